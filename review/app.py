"""The console application: `create_app(settings)` wires the database, the object store,
the routes, security headers and error pages."""

from __future__ import annotations

import logging
from datetime import timedelta
from pathlib import Path

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.datastructures import MutableHeaders

from dgintake.settings import Settings, get_settings
from review.security import NotLoggedIn, authorize
from review.services import labels
from review.services.errors import ConsoleError
from review.services.masking import mask_text
from review.services.users import Policy
from storage.db import session_factory
from storage.objects import open_store

HERE = Path(__file__).parent
log = logging.getLogger("dgintake.console")

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)


class MissingSecret(RuntimeError):
    pass


class SecurityHeaders:
    """CSP and friends on every answer; `no-store` on everything but the static files.
    A plain ASGI middleware: it only touches the response's start message."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        static = scope["path"].startswith("/static/")
        https = scope.get("scheme") == "https"

        async def start(message):
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers["Content-Security-Policy"] = CSP
                headers["X-Content-Type-Options"] = "nosniff"
                headers["X-Frame-Options"] = "DENY"
                headers["Referrer-Policy"] = "same-origin"
                headers["Cross-Origin-Opener-Policy"] = "same-origin"
                headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()"
                if https:
                    headers["Strict-Transport-Security"] = "max-age=31536000"
                headers["Cache-Control"] = "public, max-age=3600" if static else "no-store"
            await send(message)

        await self.app(scope, receive, start)


def _templates() -> Jinja2Templates:
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    env = templates.env
    env.globals.update(
        STATUS_LABELS=labels.STATUS_LABELS,
        VERDICT_LABELS=labels.VERDICT_LABELS,
        SEVERITY_LABELS=labels.SEVERITY_LABELS,
        ROLE_LABELS={"intake": "受理", "reviewer": "审核", "approver": "审批", "admin": "管理"},
        CODES=labels.CODES,
        code_label=labels.code_label,
        MATERIALS=labels.MATERIALS,
    )
    env.filters["when"] = labels.local_time
    return templates


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/") or "application/json" in request.headers.get("accept", "")


def create_app(
    settings: Settings | None = None,
    *,
    store=None,
    secret_key: str | None = None,
    policy: Policy | None = None,
) -> FastAPI:
    settings = settings or get_settings()
    secret = secret_key or (settings.secret_key.get_secret_value() if settings.secret_key else None)
    if not secret or len(secret) < 16:
        raise MissingSecret("DGINTAKE_SECRET_KEY (16 characters or more) is required to serve the console")
    app = FastAPI(
        title="dgintake 审核台",
        dependencies=[Depends(authorize)],
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
    )
    app.state.settings = settings
    app.state.secret = secret
    app.state.policy = policy or Policy()
    app.state.sessions = session_factory(settings.db_url)
    app.state.store = store if store is not None else open_store(settings)
    app.state.templates = _templates()
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")

    from review.routes import admin, api, pages

    app.include_router(api.router)
    app.include_router(pages.router)
    app.include_router(admin.router)

    app.add_middleware(SecurityHeaders)

    @app.exception_handler(ConsoleError)
    async def console_error(request: Request, exc: ConsoleError):
        user = getattr(getattr(request.state, "user", None), "name", "-")
        log.info("%s %s %s -> %s: %s", user, request.method, request.url.path, exc.status, mask_text(exc.message))
        if isinstance(exc, NotLoggedIn) and not _wants_json(request) and request.method == "GET":
            return RedirectResponse("/login", status_code=303)
        if _wants_json(request):
            return JSONResponse({"error": exc.message, **exc.detail}, status_code=exc.status)
        return app.state.templates.TemplateResponse(
            request, "error.html", {"status": exc.status, "message": exc.message, "user": None}, status_code=exc.status
        )

    @app.exception_handler(RequestValidationError)
    async def bad_input(request: Request, exc: RequestValidationError):
        return JSONResponse({"error": "bad input", "detail": [e.get("msg") for e in exc.errors()]}, status_code=422)

    return app


def demo_policy() -> Policy:
    return Policy(idle=timedelta(hours=2))
