"""Judging a stored packet again: the machine's reading with reviewers' corrections
applied, the rules run for a given date, the verdict and findings kept in the database.

Serves the nightly run (documents expire while packets wait) and the console (a
correction is judged at once). Pure rules, no OCR: re-judging costs well under a
millisecond a packet.
"""

from __future__ import annotations

import copy
from datetime import date

from sqlalchemy.orm import Session

from dgintake.models import PacketResult
from dgintake.pipeline import rule_settings
from dgintake.settings import Settings, get_settings
from storage import packets as repo
from storage.models import Packet
from validators import validate, verdict


def effective_result(packet: Packet, corrections: dict) -> dict:
    """The machine's result with each field's correction in force put in its place.

    The machine's value stays beside it (`machine_value`), so a reader of the document
    can always tell what was read from what a reviewer set.
    """
    if not corrections:
        return packet.machine_result or {}  # read only from here on: judge() copies what it changes
    result = copy.deepcopy(packet.machine_result or {})
    for (position, name), correction in corrections.items():
        documents = result.get("documents", [])
        if position >= len(documents):
            continue
        fields = documents[position].setdefault("fields", {})
        machine = fields.get(name) or {"value": None, "confidence": 0.0, "page": None, "bbox": None}
        fields[name] = {
            **machine,
            "value": correction.value,
            "confidence": 1.0,
            "machine_value": machine.get("value"),
            "machine_confidence": machine.get("confidence"),
            "reviewed_by": correction.author,
            "reviewed_at": repo.aware(correction.at).isoformat(),
        }
    return result


def judge(result: dict, on: date, settings: Settings | None = None) -> dict:
    """`result` with findings and verdict recomputed for the date `on`."""
    settings = settings or get_settings()
    model = PacketResult.model_validate(result)
    findings = validate(model, on, rule_settings(settings))
    judged = dict(result)
    judged["findings"] = [f.model_dump(mode="json") for f in findings]
    judged["verdict"] = verdict(findings)
    return judged


def rejudge(
    session: Session,
    packet: Packet,
    on: date,
    actor: str,
    settings: Settings | None = None,
    corrections: dict | None = None,
) -> bool:
    """Judge the packet again and store it; True when its verdict or findings changed
    (the change is then an audit event)."""
    if corrections is None:
        corrections = repo.corrections_by_field(session, packet.id)
    return rejudge_many(session, [packet], on, actor, settings, {packet.id: corrections}) == 1


def rejudge_many(
    session: Session,
    packets: list[Packet],
    on: date,
    actor: str,
    settings: Settings | None = None,
    corrections: dict[str, dict] | None = None,
) -> int:
    """`rejudge` for a batch, written in a few statements; how many changed."""
    if corrections is None:
        corrections = repo.corrections_for(session, [p.id for p in packets])
    stored, unchanged, events = [], [], []
    for packet in packets:
        if not packet.machine_result:
            continue
        judged = judge(effective_result(packet, corrections.get(packet.id, {})), on, settings)
        before = packet.result or {}
        if _finding_keys(before) != _finding_keys(judged) or before.get("verdict") != judged["verdict"]:
            events.append(
                (
                    packet.id,
                    {
                        "on": on.isoformat(),
                        "old": {"verdict": before.get("verdict"), "codes": repo.codes_of(before)},
                        "new": {"verdict": judged["verdict"], "codes": repo.codes_of(judged)},
                    },
                )
            )
        if judged != before:
            stored.append((packet, judged))
        else:
            unchanged.append(packet.id)
    repo.audit_many(session, actor, "rejudged", events)
    repo.store_judgements(session, stored, on)
    repo.mark_judged(session, unchanged, on)
    return len(events)


def _finding_keys(result: dict) -> list[tuple]:
    return sorted((f["code"], f["message"]) for f in result.get("findings", []))
