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
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, delete, func, insert, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from storage.models import (
    AWAITING_REVIEW,
    DUPLICATE,
    FAILED,
    PROCESSING,
    RECEIVED,
    Attempt,
    AuditEvent,
    Correction,
    DocumentRow,
    FieldRow,
    FindingRow,
    Lock,
    Packet,
    PacketFile,
    Rejection,
)


def utcnow() -> datetime:
    return datetime.now(UTC)


def aware(moment: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes for timezone columns; they were stored as UTC."""
    if moment is None:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def new_id() -> str:
    return uuid.uuid4().hex[:16]


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def packet_id_for(sha256: str) -> str:
    # The first packet of a content takes its id from the hash: an intake run that died
    # after copying originals writes the same keys again when it retries.
    return sha256[:16]


# -- audit --------------------------------------------------------------------------
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
    _store_documents(session, packet, result)
    store_judgement(session, packet, result, judged_on)
    _finish_attempt(session, attempt_id, "succeeded")
    audit(session, worker, "processed", packet_id, verdict=result["verdict"], codes=codes_of(result))
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


# -- results ------------------------------------------------------------------------
def codes_of(result: dict) -> list[str]:
    return sorted({f["code"] for f in result.get("findings", [])})


def _store_documents(session: Session, packet: Packet, result: dict) -> None:
    session.execute(delete(DocumentRow).where(DocumentRow.packet_id == packet.id))
    for position, document in enumerate(result.get("documents", [])):
        row = DocumentRow(
            packet_id=packet.id,
            position=position,
            doc_type=document["doc_type"],
            file=document["file"],
            pages=document.get("pages", []),
        )
        for name, value in (document.get("fields") or {}).items():
            row.fields.append(
                FieldRow(
                    name=name,
                    value=value.get("value"),
                    confidence=value.get("confidence") or 0.0,
                    page=value.get("page"),
                    bbox=value.get("bbox"),
                    repaired=bool(value.get("corrected")),
                )
            )
        session.add(row)


def _applicant(result: dict) -> tuple[str | None, str | None]:
    """The applicant's name and credit code, licence first (it is the registered record)."""
    preferred = {"business_license": 0, "application_letter": 1, "social_insurance_proof": 2}
    name = code = None
    for document in sorted(result.get("documents", []), key=lambda d: preferred.get(d["doc_type"], 9)):
        fields = document.get("fields") or {}
        name = name or (fields.get("name") or fields.get("applicant_name") or fields.get("employer_name") or {}).get(
            "value"
        )
        code = code or (fields.get("credit_code") or fields.get("employer_credit_code") or {}).get("value")
    return (name if isinstance(name, str) else None), (code if isinstance(code, str) else None)


def store_judgement(session: Session, packet: Packet, result: dict, judged_on: date) -> None:
    """Keep `result` as the packet's current document and its columns in step with it."""
    store_judgements(session, [(packet, result)], judged_on)


def store_judgements(session: Session, items: list[tuple[Packet, dict]], judged_on: date) -> None:
    """`store_judgement` for many packets in a few statements (the nightly run's batches)."""
    if not items:
        return
    session.flush()
    ids = [packet.id for packet, _ in items]
    session.execute(delete(FindingRow).where(FindingRow.packet_id.in_(ids)))
    rows = [
        {
            "packet_id": packet.id,
            "code": finding["code"],
            "severity": finding["severity"],
            "article": finding["article"],
            "message": finding["message"],
            "evidence": finding.get("evidence", []),
        }
        for packet, result in items
        for finding in result.get("findings", [])
    ]
    if rows:
        session.execute(insert(FindingRow), rows)
    table = Packet.__table__
    values = []
    for packet, result in items:
        name, code = _applicant(result)
        values.append(
            {"b_id": packet.id, "b_result": result, "b_verdict": result["verdict"], "b_name": name, "b_code": code}
        )
    session.connection().execute(
        update(table)
        .where(table.c.id == bindparam("b_id"))
        .values(
            result=bindparam("b_result"),
            verdict=bindparam("b_verdict"),
            applicant_name=bindparam("b_name"),
            credit_code=bindparam("b_code"),
            judged_on=judged_on,
            version=table.c.version + 1,
        ),
        values,
    )
    for packet, _ in items:
        session.expire(packet)  # the ORM copy is stale now: reload on next access


def mark_judged(session: Session, ids: list[str], judged_on: date) -> None:
    """Judged again with nothing changed: only the date moves."""
    if ids:
        session.execute(
            update(Packet).where(Packet.id.in_(ids)).values(judged_on=judged_on).execution_options(
                synchronize_session=False
            )
        )


def corrections_for(session: Session, ids: list[str]) -> dict[str, dict[tuple[int, str], Correction]]:
    """Per packet, the correction in force (the newest) per (document position, field name)."""
    found: dict[str, dict[tuple[int, str], Correction]] = {}
    rows = session.execute(
        select(DocumentRow.packet_id, DocumentRow.position, FieldRow.name, Correction)
        .join(FieldRow, FieldRow.document_id == DocumentRow.id)
        .join(Correction, Correction.field_id == FieldRow.id)
        .where(DocumentRow.packet_id.in_(ids))
        .order_by(Correction.id)
    )
    for packet_id, position, name, correction in rows:
        found.setdefault(packet_id, {})[(position, name)] = correction
    return found


def corrections_by_field(session: Session, packet_id: str) -> dict[tuple[int, str], Correction]:
    return corrections_for(session, [packet_id]).get(packet_id, {})


def add_correction(
    session: Session, packet_id: str, position: int, field: str, value: Any, author: str, reason: str | None = None
) -> Any:
    """Store a reviewer's value beside the machine's; the previous value in force is returned."""
    row = session.scalar(
        select(FieldRow)
        .join(DocumentRow, FieldRow.document_id == DocumentRow.id)
        .where(DocumentRow.packet_id == packet_id, DocumentRow.position == position, FieldRow.name == field)
    )
    if row is None:
        document = session.scalar(
            select(DocumentRow).where(DocumentRow.packet_id == packet_id, DocumentRow.position == position)
        )
        if document is None:
            raise KeyError(f"packet {packet_id} has no document {position}")
        row = FieldRow(name=field, value=None, confidence=0.0)
        document.fields.append(row)
        session.flush()
    before = row.corrections[-1].value if row.corrections else row.value
    row.corrections.append(Correction(value=value, author=author, at=utcnow(), reason=reason))
    session.flush()
    audit(session, author, "correction", packet_id, document=position, field=field, old=before, new=value, reason=reason)
    return before


# -- locks ----------------------------------------------------------------------------
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


# -- the queue ------------------------------------------------------------------------
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
