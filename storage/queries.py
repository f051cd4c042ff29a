"""The review queue: packets as rows with their finding codes, filtered and paged in the
database (indexes on status, verdict, applicant, credit code and finding code)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, selectinload

from storage.audit import aware, events, utcnow
from storage.models import AuditEvent, FindingRow, Packet


def queue_row(packet: Packet, codes: list[str]) -> dict:
    return {
        "id": packet.id,
        "name": packet.name,
        "sha256": packet.sha256,
        "status": packet.status,
        "verdict": packet.verdict,
        "codes": codes,
        "received_at": aware(packet.received_at).isoformat(),
        "processed_at": aware(packet.processed_at).isoformat() if packet.processed_at else None,
        "attempts": packet.attempts,
        "duplicate_of": packet.duplicate_of,
        "applicant_name": packet.applicant_name,
        "credit_code": packet.credit_code,
        "failure_reason": packet.failure_reason,
        "claimed_by": packet.claimed_by,
        "claimed_at": aware(packet.claimed_at).isoformat() if packet.claimed_at else None,
        "version": packet.version,
    }


def codes_for(session: Session, ids: list[str]) -> dict[str, list[str]]:
    found: dict[str, set[str]] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        for packet_id, code in session.execute(
            select(FindingRow.packet_id, FindingRow.code).where(FindingRow.packet_id.in_(chunk))
        ):
            found.setdefault(packet_id, set()).add(code)
    return {packet_id: sorted(codes) for packet_id, codes in found.items()}


def queue_query(
    status: str | None = None,
    verdict: str | None = None,
    code: str | None = None,
    q: str | None = None,
    older_than_days: int | None = None,
):
    query = select(Packet)
    if status:
        query = query.where(Packet.status.in_(status.split(",")))
    if verdict:
        query = query.where(Packet.verdict == verdict)
    if code:
        query = query.where(select(FindingRow.id).where(FindingRow.packet_id == Packet.id, FindingRow.code == code).exists())
    if q:
        like = f"%{q.strip()}%"
        query = query.where(or_(Packet.applicant_name.like(like), Packet.credit_code.like(like), Packet.name.like(like)))
    if older_than_days is not None:
        query = query.where(Packet.received_at < utcnow() - timedelta(days=older_than_days))
    return query


def queue(session: Session, limit: int | None = None, offset: int = 0, **filters) -> list[dict]:
    query = queue_query(**filters).order_by(Packet.received_at, Packet.id).offset(offset)
    if limit is not None:
        query = query.limit(limit)
    packets = list(session.scalars(query))
    codes = codes_for(session, [p.id for p in packets])
    return [queue_row(p, codes.get(p.id, [])) for p in packets]


def count_queue(session: Session, **filters) -> int:
    return session.scalar(select(func.count()).select_from(queue_query(**filters).subquery())) or 0


def counts(session: Session) -> dict[str, int]:
    return dict(session.execute(select(Packet.status, func.count()).group_by(Packet.status)).all())


def get(session: Session, packet_id: str) -> Packet | None:
    return session.scalar(
        select(Packet).where(Packet.id == packet_id).options(selectinload(Packet.files), selectinload(Packet.findings))
    )


def show(session: Session, packet_id: str) -> dict | None:
    packet = get(session, packet_id)
    if packet is None:
        return None
    row = queue_row(packet, sorted({f.code for f in packet.findings}))
    row["result"] = packet.result
    row["files"] = [{"path": f.path, "key": f.key, "sha256": f.sha256, "size": f.size} for f in packet.files]
    row["events"] = events(session, packet_id)
    return row


def outcomes_since(session: Session, moment) -> tuple[int, int]:
    """Packets processed, and packets that ended failed, since `moment`."""
    rows = dict(
        session.execute(
            select(AuditEvent.action, func.count(func.distinct(AuditEvent.packet_id)))
            .where(AuditEvent.at >= moment, AuditEvent.action.in_(("processed", "failed")))
            .group_by(AuditEvent.action)
        ).all()
    )
    return rows.get("processed", 0), rows.get("failed", 0)
