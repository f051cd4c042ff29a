"""One packet in the console: its view (masked or whole), the optimistic lock, claims,
and reviewers' corrections re-judged at once."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified

from dgintake.judging import rejudge
from dgintake.models import FIELDS_BY_DOC_TYPE
from review.services import repo
from review.services.errors import BadInput, Conflict, NotFound
from review.services.labels import FIELD_LABELS, STATUS_LABELS, TABLE_COLUMNS, VERDICT_LABELS
from review.services.masking import mask, mask_field_value
from storage.models import AWAITING_REVIEW, Correction, DocumentRow, FieldRow, Packet

UNMASKED_ROLES = ("reviewer", "approver")
PACKET_ID = re.compile(r"^[0-9a-f]{16}$")
MAX_TEXT = 2000
MAX_ROWS = 200


def check_id(packet_id: str) -> str:
    if not PACKET_ID.match(packet_id or ""):
        raise NotFound("no such packet")
    return packet_id


def load(session: Session, packet_id: str) -> Packet:
    packet = repo.get(session, check_id(packet_id))
    if packet is None:
        raise NotFound("no such packet")
    return packet


def view(session: Session, packet_id: str, user: str, role: str) -> dict:
    """`dgintake show` plus `version`; ID numbers whole only for reviewers and approvers,
    and every such view is an audit event."""
    shown = repo.show(session, check_id(packet_id))
    if shown is None:
        raise NotFound("no such packet")
    shown["events"] = mask(shown["events"])
    if role in UNMASKED_ROLES:
        repo.audit(session, user, "view_personal_data", packet_id, role=role)
        session.commit()
        return shown
    return mask(shown)


def describe(event: dict) -> str:
    """One audit event in a reviewer's words (for the 409 answer and the page)."""
    detail = event.get("detail") or {}
    action = event["action"]
    if action == "correction":
        what = FIELD_LABELS.get(detail.get("field"), detail.get("field"))
        return f"{event['actor']} 修改了「{what}」"
    if action in ("claim", "transition"):
        return f"{event['actor']} 将状态改为「{STATUS_LABELS.get(detail.get('to'), detail.get('to'))}」"
    if action == "rejudged":
        new = (detail.get("new") or {}).get("verdict")
        return f"重新判定为「{VERDICT_LABELS.get(new, new)}」"
    if action == "release":
        return f"{event['actor']} 释放了审核认领"
    return f"{event['actor']} {action}"


def changes_since(session: Session, packet_id: str, version: int) -> list[dict]:
    """The audit events after the one that produced `version`: what a stale client missed."""
    events = repo.events(session, packet_id)
    marks = [n for n, e in enumerate(events) if (e["detail"] or {}).get("version") == version]
    if marks:
        later = events[marks[-1] + 1 :]
    else:
        later = [e for e in events if (e["detail"] or {}).get("version", 0) > version]
    shown = [e for e in mask(later) if e["action"] not in ("view_personal_data", "saved", "export")]
    return [{**e, "summary": describe(e)} for e in shown]


def lock(session: Session, packet_id: str, version: Any) -> Packet:
    """Take the packet at `version` for this transaction, or 409 with what changed since.

    The first statement is a conditional UPDATE: on PostgreSQL it takes the row lock, on
    SQLite the write lock, so of two requests at the same version the second waits for the
    first to commit and then matches no row.
    """
    check_id(packet_id)
    if not isinstance(version, int) or isinstance(version, bool):
        raise BadInput("version must be an integer")
    taken = session.execute(
        update(Packet)
        .where(Packet.id == packet_id, Packet.version == version)
        .values(version=Packet.version)
        .execution_options(synchronize_session=False)
    )
    if taken.rowcount != 1:
        current = session.scalar(select(Packet.version).where(Packet.id == packet_id))
        if current is None:
            raise NotFound("no such packet")
        raise Conflict(
            "the packet changed since you loaded it",
            version=current,
            yours=version,
            changes=changes_since(session, packet_id, version),
        )
    packet = session.get(Packet, packet_id, populate_existing=True)
    packet._console_start_version = packet.version
    return packet


def bump(session: Session, packet: Packet) -> int:
    """Flush so the version grows by exactly one for this request; the new version."""
    session.flush()
    if packet.version == packet._console_start_version:
        flag_modified(packet, "result")
        session.flush()
    return packet.version


def judging_date(packet: Packet) -> date:
    return packet.judged_on or packet.submitted_on or date.today()


def require_claim(packet: Packet, user: str) -> None:
    if packet.status != "in_review":
        raise Conflict("claim the packet before changing it", status=packet.status)
    if packet.claimed_by != user:
        raise Conflict(f"being reviewed by {packet.claimed_by}", claimed_by=packet.claimed_by)


def release(session: Session, packet_id: str, version: Any, actor: str) -> int:
    """An admin hands a claimed packet back to the queue."""
    packet = lock(session, packet_id, version)
    if packet.status != "in_review":
        raise Conflict("the packet is not claimed", status=packet.status)
    held_by = packet.claimed_by
    packet.status, packet.claimed_by, packet.claimed_at = AWAITING_REVIEW, None, None
    new = bump(session, packet)
    repo.audit(session, actor, "release", packet_id, held_by=held_by, version=new)
    return new


# -- corrections --------------------------------------------------------------------------
def _clean_scalar(value: Any) -> Any:
    if value is None or isinstance(value, bool):
        return None if value is None else value
    if isinstance(value, int | float):
        return value
    if not isinstance(value, str):
        raise BadInput("a field value must be text, a number or null")
    value = value.strip()
    if len(value) > MAX_TEXT:
        raise BadInput(f"a field value is at most {MAX_TEXT} characters")
    return value or None


def clean_value(name: str, value: Any) -> Any:
    columns = TABLE_COLUMNS.get(name)
    if columns is None:
        return _clean_scalar(value)
    if not isinstance(value, list) or len(value) > MAX_ROWS:
        raise BadInput(f"{name} takes a list of at most {MAX_ROWS} rows")
    rows = []
    for row in value:
        if not isinstance(row, dict) or set(row) - set(columns):
            raise BadInput(f"each row of {name} has only {', '.join(columns)}")
        cleaned = {column: _clean_scalar(row.get(column)) for column in columns}
        if name == "insured" and isinstance(cleaned.get("months"), str):
            cleaned["months"] = int(cleaned["months"]) if cleaned["months"].isdigit() else None
        if any(v is not None for v in cleaned.values()):
            rows.append(cleaned)
    return rows


def correct(session: Session, packet_id: str, version: Any, corrections: Any, author: str, role: str) -> dict:
    """Store each correction beside the machine's reading, re-judge, one version step."""
    if not isinstance(corrections, list) or not corrections or len(corrections) > 100:
        raise BadInput("corrections must be a list of 1-100 items")
    packet = lock(session, packet_id, version)
    require_claim(packet, author)
    documents = list(session.scalars(select(DocumentRow).where(DocumentRow.packet_id == packet_id)))
    by_position = {d.position: d for d in documents}
    changed = 0
    for item in corrections:
        if not isinstance(item, dict):
            raise BadInput("each correction is {document, field, value}")
        position, name = item.get("document"), item.get("field")
        document = by_position.get(position) if isinstance(position, int) else None
        if document is None:
            raise BadInput(f"no document {position!r}")
        if name not in FIELDS_BY_DOC_TYPE.get(document.doc_type, ()):
            raise BadInput(f"{document.doc_type} has no field {name!r}")
        value = clean_value(name, item.get("value"))
        reason = item.get("reason")
        reason = reason.strip()[:MAX_TEXT] if isinstance(reason, str) and reason.strip() else None
        row = next((f for f in document.fields if f.name == name), None)
        if row is None:
            row = FieldRow(name=name, value=None, confidence=0.0)
            document.fields.append(row)
            session.flush()
        before = row.corrections[-1].value if row.corrections else row.value
        if before == value:
            continue
        row.corrections.append(Correction(value=value, author=author, at=repo.utcnow(), reason=reason))
        changed += 1
        repo.audit(
            session,
            author,
            "correction",
            packet_id,
            document=position,
            field=name,
            old=mask_field_value(name, before),
            new=mask_field_value(name, value),
            reason=reason,
        )
    session.flush()
    rejudged = rejudge(session, packet, judging_date(packet), author) if changed else False
    new = bump(session, packet)
    repo.audit(session, author, "saved", packet_id, corrections=changed, rejudged=rejudged, version=new)
    return {"version": new, "changed": changed, "rejudged": rejudged}


def corrections_of(session: Session, packet_id: str) -> dict[tuple[int, str], list[Correction]]:
    """Every correction per (document, field), oldest first: the history beside the reading."""
    rows = session.execute(
        select(DocumentRow.position, FieldRow.name, Correction)
        .join(FieldRow, FieldRow.document_id == DocumentRow.id)
        .join(Correction, Correction.field_id == FieldRow.id)
        .where(DocumentRow.packet_id == packet_id)
        .order_by(Correction.id)
    )
    found: dict[tuple[int, str], list[Correction]] = {}
    for position, name, correction in rows:
        found.setdefault((position, name), []).append(correction)
    return found
