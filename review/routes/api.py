"""SERVICE.md's console HTTP API: login, logout, session, packets, fields, transitions."""

from __future__ import annotations

import json

from fastapi import APIRouter, Form, Request
from fastapi.responses import JSONResponse, RedirectResponse

from review.security import ANY, COOKIE, allow, client_address, public
from review.services import decisions, packets, queue, users
from review.services.errors import BadInput

router = APIRouter()


def db(request: Request):
    return request.app.state.sessions()


async def json_body(request: Request) -> dict:
    try:
        body = json.loads(await request.body() or b"{}")
    except ValueError as exc:
        raise BadInput("the body must be JSON") from exc
    if not isinstance(body, dict):
        raise BadInput("the body must be a JSON object")
    return body


@router.get("/healthz")
@public
def healthz(request: Request):
    from sqlalchemy import text

    with db(request) as session:
        session.execute(text("SELECT 1"))
    return {"ok": True}


@router.post("/login")
@public
def login(request: Request, username: str = Form(""), password: str = Form("")):
    app = request.app
    with db(request) as session:
        outcome = users.login(session, app.state.secret, username, password, client_address(request), app.state.policy)
        session.commit()
    if outcome == "throttled":
        return app.state.templates.TemplateResponse(
            request, "login.html", {"error": "登录失败次数过多，请十五分钟后再试。", "user": None}, status_code=429
        )
    if outcome is None:
        return app.state.templates.TemplateResponse(
            request, "login.html", {"error": "用户名或密码不正确。", "user": None}, status_code=401
        )
    token, _user = outcome
    response = RedirectResponse("/queue", status_code=303)
    response.set_cookie(
        COOKIE,
        token,
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
        max_age=int(app.state.policy.absolute.total_seconds()),
        path="/",
    )
    return response


@router.post("/logout")
@allow(*ANY)
def logout(request: Request):
    with db(request) as session:
        users.logout(session, request.state.user)
        session.commit()
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(COOKIE, path="/")
    return response


@router.get("/api/session")
@allow(*ANY)
def api_session(request: Request):
    current = request.state.user
    return {"user": current.name, "role": current.role, "csrf_token": current.csrf_token}


@router.get("/api/packets")
@allow(*ANY)
def api_packets(request: Request, limit: int = 500, offset: int = 0):
    filters = queue.Filters.from_params(request.query_params)
    if not filters.status:
        filters.status = "all"  # as `dgintake queue`: every packet unless a status is asked for
    limit = max(1, min(limit, 1000))
    with db(request) as session:
        return {
            "packets": queue.rows(session, filters, limit=limit, offset=max(0, offset)),
            "counts": queue.counts(session),
            "total": queue.total(session, filters),
        }


@router.get("/api/packets/{packet_id}")
@allow(*ANY)
def api_packet(request: Request, packet_id: str):
    current = request.state.user
    with db(request) as session:
        return packets.view(session, packet_id, current.name, current.role)


@router.post("/api/packets/{packet_id}/fields")
@allow("reviewer")
async def api_fields(request: Request, packet_id: str):
    body = await json_body(request)
    current = request.state.user
    with db(request) as session:
        outcome = packets.correct(session, packet_id, body.get("version"), body.get("corrections"), current.name, current.role)
        session.commit()
        shown = packets.view(session, packet_id, current.name, current.role)
    shown["saved"] = outcome
    return JSONResponse(shown)


@router.post("/api/packets/{packet_id}/transition")
@allow("reviewer", "approver")
async def api_transition(request: Request, packet_id: str):
    body = await json_body(request)
    current = request.state.user
    with db(request) as session:
        decisions.transition(session, packet_id, body, current.name, current.role)
        session.commit()
        return packets.view(session, packet_id, current.name, current.role)
