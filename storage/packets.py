"""The packet repository: registration, leases, results, the queue, the audit trail.

Every state change is one conditional UPDATE whose row count says whether it happened,
so two workers (or two intake runs, or a worker and the nightly run) can never both
win: the database, not the orchestrator, is the authority on "exactly once".
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from storage import results
from storage.audit import audit, utcnow
from storage.models import (
    AWAITING_REVIEW,
    DUPLICATE,
    FAILED,
    PROCESSING,
    RECEIVED,
    Attempt,
    Packet,
    PacketFile,
    Rejection,
)


def new_id() -> str:
    return uuid.uuid4().hex[:16]


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def packet_id_for(sha256: str) -> str:
    # The first packet of a content takes its id from the hash: an intake run that died
    # after copying originals writes the same keys again when it retries.
    return sha256[:16]


# -- registration ---------------------------------------------------------------------
@dataclass
class NewFile:
    path: str
    key: str
    sha256: str
    size: int


def find_by_content(session: Session, sha256: str) -> Packet | None:
    return session.scalar(select(Packet).where(Packet.content_key == sha256))


def register(
    session: Session,
    *,
    name: str,
    sha256: str,
    source_key: str,
    is_folder: bool,
    files: Iterable[NewFile],
    submitted_on: date | None = None,
    actor: str = "intake",
) -> tuple[Packet, bool]:
    """Insert the packet once per content; (packet, True) when it is a new one.

    The same content already registered gives a `duplicate` record pointing at the first.
    The caller commits; on a race, the unique index on `content_key` decides.
    """
    now = utcnow()
    first = find_by_content(session, sha256)
    if first is None:
        packet = Packet(
            id=packet_id_for(sha256),
            name=name,
            sha256=sha256,
            content_key=sha256,
            status=RECEIVED,
            source_key=source_key,
            source_is_folder=is_folder,
            submitted_on=submitted_on,
            received_at=now,
            files=[PacketFile(path=f.path, key=f.key, sha256=f.sha256, size=f.size) for f in files],
        )
        try:
            with session.begin_nested():
                session.add(packet)
            audit(session, actor, "registered", packet.id, name=name, source=source_key, files=len(packet.files))
            return packet, True
        except IntegrityError:
            first = find_by_content(session, sha256)
            if first is None:
                raise
    duplicate = Packet(
        id=new_id(),
        name=name,
        sha256=sha256,
        content_key=None,
        status=DUPLICATE,
        duplicate_of=first.id,
        source_key=source_key,
        source_is_folder=is_folder,
        received_at=now,
    )
    session.add(duplicate)
    audit(session, actor, "duplicate", duplicate.id, of=first.id, name=name, source=source_key)
    return duplicate, False


def mark_incoming_cleared(session: Session, packet_id: str) -> None:
    session.execute(update(Packet).where(Packet.id == packet_id).values(incoming_cleared=True))


def uncleared(session: Session) -> list[Packet]:
    """Packets whose incoming objects may still be there (intake died after committing)."""
    return list(session.scalars(select(Packet).where(Packet.incoming_cleared.is_(False))))


def remember_rejection(session: Session, key: str, etag: str | None, reason: str) -> None:
    session.merge(Rejection(key=key, etag=etag, reason=reason, at=utcnow()))


def rejected_already(session: Session, keys_and_etags: list[tuple[str, str | None]]) -> bool:
    """True when every one of these objects was rejected before, unchanged since."""
    if not keys_and_etags:
        return False
    known = dict(
        session.execute(
            select(Rejection.key, Rejection.etag).where(Rejection.key.in_([k for k, _ in keys_and_etags]))
        ).all()
    )
    return all(key in known and known[key] == etag for key, etag in keys_and_etags)


# -- leases ---------------------------------------------------------------------------
def claimable(session: Session, limit: int = 100) -> list[str]:
    now = utcnow()
    query = (
        select(Packet.id)
        .where(or_(Packet.status == RECEIVED, (Packet.status == PROCESSING) & (Packet.lease_expires_at < now)))
        .order_by(Packet.received_at, Packet.id)
        .limit(limit)
    )
    return list(session.scalars(query))


def to_dispatch(session: Session, lease_seconds: int, limit: int = 1000) -> list[str]:
    """Claimable packets not handed to the worker pool within a lease's time (a run lost
    with its worker is handed out again once its lease has run out)."""
    stale = utcnow() - timedelta(seconds=lease_seconds)
    query = (
        select(Packet.id)
        .where(
            or_(
                (Packet.status == RECEIVED) & (Packet.dispatched_at.is_(None) | (Packet.dispatched_at < stale)),
                (Packet.status == PROCESSING) & (Packet.lease_expires_at < utcnow()),
            )
        )
        .order_by(Packet.received_at, Packet.id)
        .limit(limit)
    )
    return list(session.scalars(query))


def mark_dispatched(session: Session, ids: list[str]) -> None:
    if ids:
        session.execute(
            update(Packet).where(Packet.id.in_(ids)).values(dispatched_at=utcnow()).execution_options(
                synchronize_session=False
            )
        )


def pending(session: Session) -> int:
    """Packets still waiting for or in processing."""
    return session.scalar(select(func.count()).where(Packet.status.in_((RECEIVED, PROCESSING)))) or 0


def claim(session: Session, packet_id: str, worker: str, lease_seconds: int) -> int | None:
    """Take the packet for processing; the attempt's id, or None when another has it.

    Claimable: `received`, or `processing` whose lease ran out (its worker died).
    The previous attempt, if one is still marked running, is recorded as lost.
    """
    now = utcnow()
    taken = session.execute(
        update(Packet)
        .where(
            Packet.id == packet_id,
            or_(
                Packet.status == RECEIVED,
                # an expired lease, or this worker's own (a task retried after a transient error)
                (Packet.status == PROCESSING) & ((Packet.lease_expires_at < now) | (Packet.lease_owner == worker)),
            ),
        )
        .values(
            status=PROCESSING,
            lease_owner=worker,
            lease_expires_at=now + timedelta(seconds=lease_seconds),
            attempts=Packet.attempts + 1,
            version=Packet.version + 1,
        )
        .execution_options(synchronize_session=False)
    )
    if taken.rowcount != 1:
        return None
    # an earlier attempt still marked running lost its lease
    session.execute(
        update(Attempt)
        .where(Attempt.packet_id == packet_id, Attempt.outcome == "running")
        .values(outcome="lost", finished_at=now, error="lease expired; taken over")
    )
    attempt = Attempt(packet_id=packet_id, worker=worker, started_at=now)
    session.add(attempt)
    session.flush()
    return attempt.id


def heartbeat(session: Session, packet_id: str, worker: str, lease_seconds: int) -> bool:
    """Extend the lease; False when this worker no longer holds it."""
    done = session.execute(
        update(Packet)
        .where(Packet.id == packet_id, Packet.status == PROCESSING, Packet.lease_owner == worker)
        .values(lease_expires_at=utcnow() + timedelta(seconds=lease_seconds))
        .execution_options(synchronize_session=False)
    )
    return done.rowcount == 1


def _finish_attempt(session: Session, attempt_id: int | None, outcome: str, error: str | None = None) -> None:
    if attempt_id is not None:
        session.execute(
            update(Attempt).where(Attempt.id == attempt_id).values(outcome=outcome, finished_at=utcnow(), error=error)
        )


def complete(
    session: Session, packet_id: str, worker: str, attempt_id: int | None, result: dict, judged_on: date
) -> bool:
    """Store the machine's result and queue the packet for review — only if `worker`
    still holds the lease (fencing: a worker that lost it must not write)."""
    stored = session.execute(
        update(Packet)
        .where(Packet.id == packet_id, Packet.status == PROCESSING, Packet.lease_owner == worker)
        .values(
            status=AWAITING_REVIEW,
            lease_owner=None,
            lease_expires_at=None,
            processed_at=utcnow(),
            failure_reason=None,
            version=Packet.version + 1,
        )
        .execution_options(synchronize_session=False)
    )
    if stored.rowcount != 1:
        return False
    packet = session.get(Packet, packet_id, populate_existing=True)
    packet.machine_result = result
    packet.submitted_on = date.fromisoformat(result["packet"]["submitted_on"])
    results.store_documents(session, packet, result)
    results.store_judgement(session, packet, result, judged_on)
    _finish_attempt(session, attempt_id, "succeeded")
    audit(session, worker, "processed", packet_id, verdict=result["verdict"], codes=results.codes_of(result))
    return True


def fail(session: Session, packet_id: str, worker: str, attempt_id: int | None, reason: str, max_attempts: int) -> str:
    """Record a failed attempt; the packet goes back to `received` or, out of tries, `failed`."""
    packet = session.get(Packet, packet_id, populate_existing=True)
    if packet is None or packet.status != PROCESSING or packet.lease_owner != worker:
        return packet.status if packet else "missing"
    status = FAILED if packet.attempts >= max_attempts else RECEIVED
    session.execute(
        update(Packet)
        .where(Packet.id == packet_id, Packet.lease_owner == worker)
        .values(
            status=status, lease_owner=None, lease_expires_at=None, failure_reason=reason, version=Packet.version + 1
        )
        .execution_options(synchronize_session=False)
    )
    _finish_attempt(session, attempt_id, "failed", reason)
    audit(session, worker, "failed" if status == FAILED else "attempt_failed", packet_id, reason=reason)
    return status


def retry_failed(session: Session, actor: str) -> list[str]:
    """Put every `failed` packet back in line with a fresh set of attempts."""
    ids = list(session.scalars(select(Packet.id).where(Packet.status == FAILED)))
    if ids:
        session.execute(
            update(Packet)
            .where(Packet.id.in_(ids), Packet.status == FAILED)
            .values(status=RECEIVED, attempts=0, version=Packet.version + 1)
            .execution_options(synchronize_session=False)
        )
        for packet_id in ids:
            audit(session, actor, "retry", packet_id)
    return ids
