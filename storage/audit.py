"""The audit trail (append-only: the migration's triggers refuse UPDATE and DELETE) and
the clock every record is stamped with."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from storage.models import AuditEvent


def utcnow() -> datetime:
    return datetime.now(UTC)


def aware(moment: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes for timezone columns; they were stored as UTC."""
    if moment is None:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def audit(session: Session, actor: str, action: str, packet_id: str | None = None, **detail: Any) -> None:
    session.add(AuditEvent(at=utcnow(), actor=actor, action=action, packet_id=packet_id, detail=detail))


def audit_many(session: Session, actor: str, action: str, entries: list[tuple[str | None, dict]]) -> None:
    """Many events of one kind in one statement."""
    if entries:
        now = utcnow()
        session.execute(
            insert(AuditEvent),
            [{"at": now, "actor": actor, "action": action, "packet_id": pid, "detail": detail} for pid, detail in entries],
        )


def events(session: Session, packet_id: str) -> list[dict]:
    rows = session.scalars(select(AuditEvent).where(AuditEvent.packet_id == packet_id).order_by(AuditEvent.id))
    return [{"at": aware(e.at).isoformat(), "actor": e.actor, "action": e.action, "detail": e.detail} for e in rows]
