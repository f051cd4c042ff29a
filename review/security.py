"""Who may use which route, checked on the server for every request.

Every route declares its roles with `@allow(...)` (or `@public`); the app-wide dependency
`authorize` refuses any route that declared nothing, so a new route fails closed until
someone decides who may use it. State-changing requests also need the session's CSRF
token (header `X-CSRF-Token` or form field `csrf_token`) and, when the browser sends one,
an Origin (or Referer) of this very site.
"""

from __future__ import annotations

import hmac
from collections.abc import Callable
from urllib.parse import urlsplit

from fastapi import Request

from review.services import users
from review.services.errors import ConsoleError, Forbidden

ANY = users.ROLES
PUBLIC = ("public",)
ACCESS: dict[Callable, tuple[str, ...]] = {}
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
COOKIE = "dgintake_session"


class NotLoggedIn(ConsoleError):
    status = 401


def allow(*roles: str):
    """Declare the roles of a route (before the FastAPI route decorator registers it)."""
    for role in roles:
        if role not in users.ROLES:
            raise ValueError(f"unknown role {role}")

    def mark(endpoint: Callable) -> Callable:
        ACCESS[endpoint] = tuple(roles)
        return endpoint

    return mark


def public(endpoint: Callable) -> Callable:
    ACCESS[endpoint] = PUBLIC
    return endpoint


def _origin_ok(request: Request) -> bool:
    own = f"{request.url.scheme}://{request.url.netloc}"
    origin = request.headers.get("origin")
    if origin is not None:
        return origin == own
    referer = request.headers.get("referer")
    if referer:
        parts = urlsplit(referer)
        return f"{parts.scheme}://{parts.netloc}" == own
    return True  # not a browser (browsers send Origin on every cross-site POST); the token still counts


def client_address(request: Request) -> str:
    return (request.client.host if request.client else "-")[:64]


async def authorize(request: Request) -> None:
    endpoint = request.scope.get("endpoint")
    roles = ACCESS.get(endpoint)
    if roles is None:
        raise Forbidden("this route declares no roles")
    unsafe = request.method not in SAFE_METHODS
    if unsafe and not _origin_ok(request):
        raise Forbidden("cross-site request refused")
    if roles == PUBLIC:
        request.state.user = None
        return
    app = request.app
    with app.state.sessions() as session:
        current = users.resolve(session, app.state.secret, request.cookies.get(COOKIE), app.state.policy)
    if current is None:
        raise NotLoggedIn("log in first")
    if current.role not in roles:
        raise Forbidden(f"not for role {current.role}")
    if unsafe:
        sent = request.headers.get("x-csrf-token")
        if sent is None and request.headers.get("content-type", "").startswith(
            ("application/x-www-form-urlencoded", "multipart/form-data")
        ):
            sent = (await request.form()).get("csrf_token")
        if not isinstance(sent, str) or not hmac.compare_digest(sent.encode(), current.csrf_token.encode()):
            raise Forbidden("CSRF token missing or wrong")
    request.state.user = current


def _walk(routes, prefix: str = ""):
    for route in routes:
        inner = getattr(route, "original_router", None)
        if inner is not None:  # FastAPI keeps included routers as branches
            context = getattr(route, "include_context", None)
            yield from _walk(inner.routes, prefix + (getattr(context, "prefix", "") or ""))
        else:
            yield prefix, route


def declared_routes(app) -> list[tuple[str, str, tuple[str, ...] | None]]:
    """(method, path, roles) for every route of the app; roles None when undeclared."""
    found = []
    for prefix, route in _walk(app.routes):
        methods = getattr(route, "methods", None)
        endpoint = getattr(route, "endpoint", None)
        if not methods or endpoint is None:
            continue
        for method in sorted(methods - {"HEAD"}):
            found.append((method, prefix + route.path, ACCESS.get(endpoint)))
    return found
