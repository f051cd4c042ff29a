"""A packet's results in the database: its documents and the machine's fields, the
reviewers' corrections beside them, and the judged document with its findings."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import bindparam, delete, insert, select, update
from sqlalchemy.orm import Session

from storage.audit import audit, utcnow
from storage.models import Correction, DocumentRow, FieldRow, FindingRow, Packet


def codes_of(result: dict) -> list[str]:
    return sorted({f["code"] for f in result.get("findings", [])})


def store_documents(session: Session, packet: Packet, result: dict) -> None:
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
