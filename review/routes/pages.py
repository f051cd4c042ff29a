"""The HTML pages: login, the queue, the packet page, page images and the exports."""

from __future__ import annotations

from urllib.parse import quote, urlencode

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from review.security import ANY, allow, public
from review.services import decisions, exports, packet_page, packets, queue, repo
from review.services import pages as page_service
from review.services.masking import mask
from review.services.packets import UNMASKED_ROLES

router = APIRouter()
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def render(request: Request, name: str, context: dict, status_code: int = 200):
    context.setdefault("user", request.state.user)
    return request.app.state.templates.TemplateResponse(request, name, context, status_code=status_code)


@router.get("/login")
@public
def login_page(request: Request):
    return render(request, "login.html", {"error": None})


@router.get("/")
@allow(*ANY)
def home(request: Request):
    return RedirectResponse("/queue", status_code=303)


@router.get("/queue")
@allow(*ANY)
def queue_page(request: Request, page: int = 1):
    filters = queue.Filters.from_params({**request.query_params, "_user": request.state.user.name})
    page = max(1, page)
    with request.app.state.sessions() as session:
        total = queue.total(session, filters)
        rows = queue.rows(session, filters, limit=queue.PAGE_SIZE, offset=(page - 1) * queue.PAGE_SIZE)
        counts = queue.status_counts(session)
    pages = max(1, -(-total // queue.PAGE_SIZE))
    context = {
        "rows": rows,
        "total": total,
        "page": page,
        "pages": pages,
        "filters": filters,
        "counts": counts,
        "query": urlencode(filters.params()),
        "open_total": sum(n for s, n in counts if s in queue.OPEN_STATUSES_SET),
    }
    if request.headers.get("hx-request"):
        return render(request, "_queue_rows.html", context)
    return render(request, "queue.html", context)


@router.get("/packets/{packet_id}")
@allow(*ANY)
def packet_page_view(request: Request, packet_id: str):
    current = request.state.user
    filters = queue.Filters.from_params({**request.query_params, "_user": current.name})
    store = request.app.state.store
    with request.app.state.sessions() as session:
        packet = packets.load(session, packet_id)
        unmasked = current.role in UNMASKED_ROLES
        result = packet.result or {}
        if not unmasked:
            result = mask(result)
        pages = page_service.index(store, packet_id)
        history = packets.corrections_of(session, packet_id)
        events = mask(repo.events(session, packet_id))
        prev_id, next_id = queue.neighbours(session, packet, filters)
        moves = decisions.moves_for(packet, current.name, current.role)
        row = queue.masked_row(repo.queue_row(packet, sorted({f.code for f in packet.findings})))
        if unmasked:
            repo.audit(session, current.name, "view_personal_data", packet_id, role=current.role, page="packet")
            session.commit()
    query = urlencode(filters.params())
    context = {
        "packet": row,
        "documents": packet_page.documents(result, pages, history, unmasked),
        "findings": packet_page.findings(result, pages),
        "crossdoc": packet_page.crossdoc(result, unmasked),
        "pages": pages,
        "events": [e for e in events if e["action"] != "view_personal_data"][-40:],
        "decisions": decisions.decision_history(events),
        "moves": moves,
        "query": query,
        "prev_url": f"/packets/{prev_id}?{query}" if prev_id else None,
        "next_url": f"/packets/{next_id}?{query}" if next_id else None,
        "can_edit": current.role == "reviewer" and row["status"] == "in_review" and row["claimed_by"] == current.name,
        "unmasked": unmasked,
        "verdict_label": None,
        "notice": decisions.last_decision(events, "needs_correction"),
    }
    return render(request, "packet.html", context)


@router.get("/packets/{packet_id}/pages/{page}.jpg")
@allow(*ANY)
def page_image(request: Request, packet_id: str, page: int, size: str = ""):
    store = request.app.state.store
    current = request.state.user
    redact_for = None
    with request.app.state.sessions() as session:
        packet = packets.load(session, packet_id)
        if current.role not in UNMASKED_ROLES:
            redact_for = packet.result or {}
        elif size != "thumb":
            # a full page shows ID numbers and faces unmasked: each look is on the record
            repo.audit(session, current.name, "view_personal_data", packet_id, role=current.role, page=page)
            session.commit()
    if size == "thumb":
        data = page_service.thumbnail(store, packet_id, page, redact_for)
    else:
        data = page_service.image(store, packet_id, page, redact_for)
    return Response(data, media_type="image/jpeg", headers={"Cache-Control": "private, no-store"})


def _attachment(data: bytes, media_type: str, filename: str) -> Response:
    return Response(
        data,
        media_type=media_type,
        headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(filename)}"},
    )


@router.get("/packets/{packet_id}/opinion.docx")
@allow("reviewer", "approver")
def opinion_docx(request: Request, packet_id: str):
    current = request.state.user
    with request.app.state.sessions() as session:
        shown = packets.view(session, packet_id, current.name, "intake")  # masked, as every export
        events = mask(repo.events(session, packet_id))
        decision = decisions.last_decision(events, "proposed_approve", "proposed_reject", "to_meeting")
        approval = decisions.last_decision(events, "approved", "rejected")
        repo.audit(session, current.name, "export", packet_id, kind="opinion.docx")
        session.commit()
    data = exports.opinion_docx(shown, decision, approval)
    return _attachment(data, DOCX, f"拟批复变更意见-{shown.get('applicant_name') or packet_id}.docx")


@router.get("/packets/{packet_id}/notice.docx")
@allow("intake", "reviewer", "approver")
def notice_docx(request: Request, packet_id: str):
    current = request.state.user
    with request.app.state.sessions() as session:
        shown = packets.view(session, packet_id, current.name, "intake")
        notice = decisions.last_decision(mask(repo.events(session, packet_id)), "needs_correction")
        if notice is None or shown["status"] != "needs_correction":
            from review.services.errors import Conflict

            raise Conflict("this packet has no 补正 request")
        repo.audit(session, current.name, "export", packet_id, kind="notice.docx")
        session.commit()
    return _attachment(exports.notice_docx(shown, notice), DOCX, f"补正通知-{shown.get('applicant_name') or packet_id}.docx")
