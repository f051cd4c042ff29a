"""Named leases in the database, so one intake scan or one nightly run goes at a time
across every machine sharing the database."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete, or_, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from storage.audit import utcnow
from storage.models import Lock


def acquire_lock(session: Session, name: str, holder: str, seconds: int) -> bool:
    now = utcnow()
    taken = session.execute(
        update(Lock)
        .where(Lock.name == name, or_(Lock.expires_at < now, Lock.holder == holder))
        .values(holder=holder, expires_at=now + timedelta(seconds=seconds))
        .execution_options(synchronize_session=False)
    )
    if taken.rowcount == 1:
        return True
    try:
        with session.begin_nested():
            session.add(Lock(name=name, holder=holder, expires_at=now + timedelta(seconds=seconds)))
        return True
    except IntegrityError:
        return False


def release_lock(session: Session, name: str, holder: str) -> None:
    session.execute(delete(Lock).where(Lock.name == name, Lock.holder == holder))
