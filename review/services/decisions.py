"""Decisions (SERVICE.md's table): who may move a packet where, with what, and four eyes.

Only the moves listed in TRANSITIONS exist; any other request is refused and logged.
Approving, rejecting and publishing are an approver's, and never by the person who
proposed the decision or held the packet in review.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from review.services import repo
from review.services.errors import BadInput, Conflict, Forbidden, NotFound
from review.services.labels import MATERIALS, STATUS_LABELS
from review.services.masking import mask_text
from review.services.packets import bump, check_id, lock
from storage.models import AuditEvent, Batch, Packet

PROPOSALS = ("proposed_approve", "proposed_reject", "to_meeting")


@dataclass(frozen=True)
class Move:
    roles: tuple[str, ...]
    needs: str | None = None  # "reason", "opinion", "materials"
    label: str = ""
    four_eyes: bool = False


TRANSITIONS: dict[tuple[str, str], Move] = {
    ("awaiting_review", "in_review"): Move(("reviewer",), label="认领审核"),
    ("needs_correction", "in_review"): Move(("reviewer",), label="补正材料已到，重新审核"),
    ("in_review", "needs_correction"): Move(("reviewer",), "materials", "需补正"),
    ("in_review", "proposed_approve"): Move(("reviewer",), "opinion", "拟同意"),
    ("in_review", "proposed_reject"): Move(("reviewer",), "opinion", "拟不同意"),
    ("in_review", "to_meeting"): Move(("reviewer",), "opinion", "提交局务会议审议"),
    ("proposed_approve", "to_meeting"): Move(("reviewer",), None, "提交局务会议审议"),
    ("proposed_reject", "to_meeting"): Move(("reviewer",), None, "提交局务会议审议"),
    ("proposed_approve", "approved"): Move(("approver",), None, "审核通过", True),
    ("proposed_reject", "rejected"): Move(("approver",), None, "不予通过", True),
    ("to_meeting", "approved"): Move(("approver",), "reason", "审核通过（局务会议）", True),
    ("to_meeting", "rejected"): Move(("approver",), "reason", "不予通过（局务会议）", True),
    ("proposed_approve", "in_review"): Move(("approver",), "reason", "退回重审"),
    ("proposed_reject", "in_review"): Move(("approver",), "reason", "退回重审"),
    # `published` is reached only by publishing the 变更名单 that holds the packet.
}


def moves_for(packet: Packet, user: str, role: str) -> list[tuple[str, Move]]:
    """The moves this user may offer on this packet now (the buttons on its page)."""
    found = []
    for (source, target), move in TRANSITIONS.items():
        if source != packet.status or role not in move.roles:
            continue
        if source == "in_review" and packet.claimed_by != user:
            continue
        found.append((target, move))
    return found


def involved(session: Session, packet_id: str) -> set[str]:
    """Who proposed or held the packet since it was last claimed: they may not decide it."""
    people: set[str] = set()
    for event in session.scalars(
        select(AuditEvent).where(AuditEvent.packet_id == packet_id).order_by(AuditEvent.id.desc())
    ):
        detail = event.detail or {}
        if event.action == "transition" and detail.get("to") in PROPOSALS:
            people.add(event.actor)
        if event.action == "claim":
            people.add(event.actor)
            break
    return people


def _text(value: Any, name: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or len(value) > 4000:
        raise BadInput(f"{name} must be text of at most 4000 characters")
    return value.strip() or None


def transition(session: Session, packet_id: str, body: dict, user: str, role: str) -> dict:
    """Move the packet (`{"version", "to", "reason", "materials"}`); refused moves are logged."""
    check_id(packet_id)
    target = body.get("to")
    reason = _text(body.get("reason"), "reason")
    materials = body.get("materials") or []
    if not isinstance(materials, list) or not all(isinstance(m, str) and len(m) <= 200 for m in materials):
        raise BadInput("materials must be a list of texts")
    packet = lock(session, packet_id, body.get("version"))
    source = packet.status
    move = TRANSITIONS.get((source, target))

    def refuse(error: type, message: str, **detail) -> None:
        session.rollback()
        repo.audit(session, user, "transition_refused", packet_id, frm=source, to=target, why=message)
        session.commit()
        raise error(message, **detail)

    if move is None:
        refuse(Conflict, f"no move from {source} to {target}", status=source)
    if role not in move.roles:
        refuse(Forbidden, f"moving to {target} is for {'/'.join(move.roles)}")
    if source == "in_review" and packet.claimed_by != user:
        refuse(Conflict, f"being reviewed by {packet.claimed_by}", claimed_by=packet.claimed_by)
    if move.four_eyes and user in involved(session, packet_id):
        refuse(Forbidden, "four eyes: the proposer cannot decide their own proposal")
    if move.needs in ("reason", "opinion") and not reason:
        raise BadInput("an opinion is required" if move.needs == "opinion" else "a reason is required")
    if move.needs == "materials":
        if not reason or not materials:
            raise BadInput("需补正 needs the reason and the list of missing or faulty materials")
    now = repo.utcnow()
    packet.status = target
    if target == "in_review" and source in ("awaiting_review", "needs_correction"):
        packet.claimed_by, packet.claimed_at = user, now
    if target == "in_review" and source.startswith("proposed_"):
        packet.claimed_at = now  # back to the reviewer who held it
    new = bump(session, packet)
    detail = {"frm": source, "to": target, "reason": mask_text(reason), "version": new}
    if materials:
        detail["materials"] = [mask_text(m) for m in materials]
    action = "claim" if target == "in_review" and source in ("awaiting_review", "needs_correction") else "transition"
    repo.audit(session, user, action, packet_id, **detail)
    if action == "claim":  # the claim is also a move of the table, kept findable as one
        repo.audit(session, user, "transition", packet_id, **detail)
    return {"version": new, "status": target}


def decision_history(events: list[dict]) -> list[dict]:
    rows = []
    for event in events:
        if event["action"] != "transition":
            continue
        detail = event["detail"] or {}
        rows.append(
            {
                "at": event["at"],
                "actor": event["actor"],
                "from": STATUS_LABELS.get(detail.get("frm"), detail.get("frm")),
                "to": STATUS_LABELS.get(detail.get("to"), detail.get("to")),
                "to_status": detail.get("to"),
                "reason": detail.get("reason"),
                "materials": detail.get("materials") or [],
            }
        )
    return rows


def last_decision(events: list[dict], *targets: str) -> dict | None:
    for row in reversed(decision_history(events)):
        if row["to_status"] in targets:
            return row
    return None


# -- 变更名单 (change lists) --------------------------------------------------------------
def create_batch(session: Session, title: str, packet_ids: list[str], user: str) -> Batch:
    title = (_text(title, "title") or "")[:200]
    if not title:
        raise BadInput("a 变更名单 needs a title")
    if not packet_ids:
        raise BadInput("choose the approved packets it lists")
    packets = list(session.scalars(select(Packet).where(Packet.id.in_([check_id(p) for p in packet_ids]))))
    if len(packets) != len(set(packet_ids)):
        raise NotFound("no such packet")
    for packet in packets:
        if packet.status != "approved" or packet.batch_id is not None:
            raise Conflict(f"packet {packet.id} is not an approved packet outside any list")
    batch = Batch(title=title, created_by=user, created_at=repo.utcnow())
    session.add(batch)
    session.flush()
    for packet in packets:
        packet.batch_id = batch.id
        repo.audit(session, user, "batched", packet.id, batch=batch.id, version=packet.version + 1)
    session.flush()
    repo.audit(session, user, "batch_created", None, batch=batch.id, title=title, packets=len(packets))
    return batch


def batch_packets(session: Session, batch_id: int) -> list[Packet]:
    return list(session.scalars(select(Packet).where(Packet.batch_id == batch_id).order_by(Packet.applicant_name)))


def publish(session: Session, batch_id: int, user: str) -> Batch:
    """第十三条（三）: every packet of the list becomes 已发布 at once, or none does."""
    batch = session.get(Batch, batch_id)
    if batch is None:
        raise NotFound("no such 变更名单")
    if batch.published_at is not None:
        raise Conflict("this 变更名单 is already published")
    packets = batch_packets(session, batch_id)
    if not packets:
        raise Conflict("this 变更名单 lists no packet")
    for packet in packets:
        if packet.status != "approved":
            raise Conflict(f"packet {packet.id} is {packet.status}, not approved")
        if user in involved(session, packet.id):
            raise Forbidden("four eyes: a proposer cannot publish their own proposal")
    now = repo.utcnow()
    for packet in packets:
        packet.status = "published"
        session.flush()
        repo.audit(session, user, "transition", packet.id, frm="approved", to="published", batch=batch.id,
                   reason=None, version=packet.version)
    batch.published_by, batch.published_at = user, now
    repo.audit(session, user, "batch_published", None, batch=batch.id, packets=len(packets))
    return batch


def batches(session: Session) -> list[Batch]:
    return list(session.scalars(select(Batch).order_by(Batch.id.desc())))


def unbatched_approved(session: Session) -> list[Packet]:
    return list(
        session.scalars(
            select(Packet).where(Packet.status == "approved", Packet.batch_id.is_(None)).order_by(Packet.received_at)
        )
    )


__all__ = ["MATERIALS", "TRANSITIONS", "transition", "create_batch", "publish"]
