"""Claims released by an admin, 变更名单 (batches) for approvers, users for admins."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from review.routes.pages import render
from review.security import allow
from review.services import decisions, exports, repo, users
from review.services.errors import BadInput, NotFound
from review.services.masking import mask
from storage.models import Batch

router = APIRouter()
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@router.post("/packets/{packet_id}/release")
@allow("admin")
def release(request: Request, packet_id: str, version: int = Form(...)):
    from review.services import packets

    with request.app.state.sessions() as session:
        packets.release(session, packet_id, version, request.state.user.name)
        session.commit()
    return RedirectResponse(request.headers.get("referer") or "/queue", status_code=303)


@router.get("/batches")
@allow("approver")
def batches_page(request: Request):
    with request.app.state.sessions() as session:
        listing = decisions.batches(session)
        counts = {b.id: len(decisions.batch_packets(session, b.id)) for b in listing}
        ready = decisions.unbatched_approved(session)
        return render(request, "batches.html", {"batches": listing, "counts": counts, "ready": ready})


@router.post("/batches")
@allow("approver")
async def create_batch(request: Request):
    form = await request.form()
    with request.app.state.sessions() as session:
        batch = decisions.create_batch(
            session, str(form.get("title") or ""), [str(p) for p in form.getlist("packet")], request.state.user.name
        )
        session.commit()
        return RedirectResponse(f"/batches/{batch.id}", status_code=303)


def _batch(session, batch_id: int) -> Batch:
    batch = session.get(Batch, batch_id)
    if batch is None:
        raise NotFound("no such 变更名单")
    return batch


def _approvals(session, packet_ids: list[str]) -> dict[str, dict]:
    return {
        pid: decisions.last_decision(mask(repo.events(session, pid)), "approved") or {} for pid in packet_ids
    }


@router.get("/batches/{batch_id}")
@allow("approver")
def batch_page(request: Request, batch_id: int):
    with request.app.state.sessions() as session:
        batch = _batch(session, batch_id)
        listed = decisions.batch_packets(session, batch_id)
        approvals = _approvals(session, [p.id for p in listed])
        return render(request, "batch.html", {"batch": batch, "packets": listed, "approvals": approvals})


@router.post("/batches/{batch_id}/publish")
@allow("approver")
def publish(request: Request, batch_id: int):
    with request.app.state.sessions() as session:
        decisions.publish(session, batch_id, request.state.user.name)
        session.commit()
    return RedirectResponse(f"/batches/{batch_id}", status_code=303)


@router.get("/batches/{batch_id}/changes.xlsx")
@allow("intake", "approver")
def batch_xlsx(request: Request, batch_id: int):
    with request.app.state.sessions() as session:
        batch = _batch(session, batch_id)
        listed = decisions.batch_packets(session, batch_id)
        data = exports.change_list_xlsx(batch, listed, _approvals(session, [p.id for p in listed]))
        repo.audit(session, request.state.user.name, "export", None, kind="changes.xlsx", batch=batch_id)
        session.commit()
    name = quote(f"变更名单-{batch.id}.xlsx")
    return Response(data, media_type=XLSX, headers={"Content-Disposition": f"attachment; filename*=UTF-8''{name}"})


@router.get("/admin/users")
@allow("admin")
def users_page(request: Request):
    with request.app.state.sessions() as session:
        return render(request, "users.html", {"users": users.list_users(session), "roles": users.ROLES, "error": None})


@router.post("/admin/users")
@allow("admin")
def add_user(request: Request, name: str = Form(""), role: str = Form(""), password: str = Form("")):
    with request.app.state.sessions() as session:
        try:
            users.add(session, name, role, password, actor=request.state.user.name)
        except users.UserError as exc:
            raise BadInput(str(exc)) from exc
        session.commit()
    return RedirectResponse("/admin/users", status_code=303)


@router.post("/admin/users/{name}/active")
@allow("admin")
def set_active(request: Request, name: str, active: str = Form("")):
    with request.app.state.sessions() as session:
        try:
            users.set_active(session, name, active == "1", request.state.user.name)
        except users.UserError as exc:
            raise NotFound(str(exc)) from exc
        session.commit()
    return RedirectResponse("/admin/users", status_code=303)
