"""The nightly run: judge every undecided packet again for the day's date, retry the
failed ones, and write a summary.

IDs, licences and insurance proofs expire while packets wait, so a packet that passed
on the day it arrived can fail a month later; every change of verdict or findings is an
audit event. A database lock keeps two nightly runs (two schedulers, a manual run beside
the scheduled one) from overlapping.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from dgintake.judging import rejudge_many
from dgintake.settings import Settings
from storage import packets as repo
from storage.db import session_scope
from storage.models import OPEN_STATUSES, NightlyRun, Packet
from storage.objects import ObjectStore

LOCK = "nightly"
_BATCH = 500
# (document type, field, days the value stays good after it) for "expiring within 30 days"
_EXPIRY_FIELDS = (
    ("id_card_back", "valid_to", 0),
    ("business_license", "term_end", 0),
)


class AlreadyRunning(RuntimeError):
    pass


def expiring(result: dict, on: date, si_max_age_days: int, within_days: int = 30) -> list[dict]:
    """The packet's documents whose validity ends within `within_days` after `on`."""
    horizon = on + timedelta(days=within_days)
    found = []
    for document in result.get("documents", []):
        fields = document.get("fields") or {}
        checks = [(name, days) for doc_type, name, days in _EXPIRY_FIELDS if doc_type == document["doc_type"]]
        if document["doc_type"] == "social_insurance_proof":
            checks.append(("print_date", si_max_age_days))
        for name, days in checks:
            value = (fields.get(name) or {}).get("value")
            try:
                ends = date.fromisoformat(value) + timedelta(days=days)
            except (TypeError, ValueError):
                continue  # missing, unreadable, or long_term
            if on <= ends <= horizon:
                found.append({"doc_type": document["doc_type"], "field": name, "ends": ends.isoformat()})
    return found


def run_nightly(store: ObjectStore, settings: Settings, on: date, holder: str) -> dict:
    """Re-judge, retry, summarise. Returns the summary (also kept under reports/nightly/)."""
    url = settings.db_url
    with session_scope(url) as session:
        if not repo.acquire_lock(session, LOCK, holder, seconds=6 * 3600):
            raise AlreadyRunning("another nightly run holds the lock")
        run = NightlyRun(on_date=on, started_at=repo.utcnow())
        session.add(run)
        session.flush()
        run_id = run.id
    try:
        revalidated = changed = 0
        expiring_docs: list[dict] = []
        after = ""
        while True:
            with session_scope(url) as session:
                batch = list(
                    session.scalars(
                        select(Packet)
                        .where(Packet.status.in_(OPEN_STATUSES), Packet.id > after)
                        .order_by(Packet.id)
                        .limit(_BATCH)
                    )
                )
                if not batch:
                    break
                after = batch[-1].id
                due = [p for p in batch if p.judged_on != on]
                for packet in batch:
                    for item in expiring(packet.result or {}, on, settings.si_max_age_days):
                        expiring_docs.append({"packet": packet.id, "name": packet.applicant_name, **item})
                changed += rejudge_many(session, due, on, holder, settings)
                revalidated += len(due)
        with session_scope(url) as session:
            retried = repo.retry_failed(session, holder)
            counts = repo.counts(session)
            oldest = session.scalar(
                select(Packet.received_at).where(Packet.status.in_(OPEN_STATUSES)).order_by(Packet.received_at).limit(1)
            )
        now = datetime.now(UTC)
        summary = {
            "on": on.isoformat(),
            "revalidated": revalidated,
            "changed": changed,
            "retried": len(retried),
            "retried_ids": retried,
            "expiring": len(expiring_docs),
            "expiring_documents": expiring_docs,
            "counts": counts,
            "oldest_waiting_days": round((now - repo.aware(oldest)).total_seconds() / 86400, 2) if oldest else None,
        }
        store.put(
            f"reports/nightly/{on.isoformat()}.json",
            json.dumps(summary, ensure_ascii=False, indent=1).encode(),
            "application/json",
        )
        store.put(f"reports/nightly/{on.isoformat()}.txt", report_text(summary).encode(), "text/plain; charset=utf-8")
        with session_scope(url) as session:
            run = session.get(NightlyRun, run_id)
            run.finished_at, run.summary = repo.utcnow(), summary
            repo.audit(session, holder, "nightly", None, on=on.isoformat(), revalidated=revalidated, changed=changed)
        return summary
    finally:
        with session_scope(url) as session:
            repo.release_lock(session, LOCK, holder)


def report_text(summary: dict) -> str:
    lines = [
        f"夜间复核 {summary['on']}",
        f"重新判定 {summary['revalidated']} 件，结论或问题有变化 {summary['changed']} 件，重试失败件 {summary['retried']} 件",
        "各状态件数：" + "，".join(f"{status} {n}" for status, n in sorted(summary["counts"].items())),
        f"最久待审：{summary['oldest_waiting_days']} 天" if summary["oldest_waiting_days"] is not None else "没有待审件",
        f"30 天内到期的材料：{summary['expiring']} 份",
    ]
    for item in summary["expiring_documents"][:200]:
        lines.append(f"  {item['packet']} {item['name'] or ''} {item['doc_type']}.{item['field']} 到期 {item['ends']}")
    return "\n".join(lines) + "\n"
