"""The tasks: each wraps one plain service call; retries with backoff cover transient
faults (object store or database away), which are the only errors they let out."""

from __future__ import annotations

from datetime import date

from prefect import task
from prefect.tasks import exponential_backoff

from dgintake.intake import Intake
from dgintake.nightly import run_nightly
from dgintake.settings import get_settings
from dgintake.worker import process_one, worker_name
from flows import progress
from storage import packets as repo
from storage.db import session_scope
from storage.objects import open_store

_worker: str | None = None


def this_worker() -> str:
    global _worker
    if _worker is None:
        _worker = worker_name(get_settings())
    return _worker


RETRIES = dict(retries=6, retry_delay_seconds=exponential_backoff(backoff_factor=1), retry_jitter_factor=0.5)


@task(name="register-ready", **RETRIES)
def register_ready() -> dict:
    settings = get_settings()
    counts = Intake(open_store(settings), settings).run()
    return {
        "registered": counts.registered,
        "duplicates": counts.duplicates,
        "rejected": counts.rejected,
        "waiting": counts.waiting,
        "packet_ids": counts.packet_ids,
    }


@task(name="claimable", **RETRIES)
def claimable(limit: int = 1000) -> list[str]:
    with session_scope(get_settings().db_url) as session:
        return repo.claimable(session, limit)


@task(name="process-packet", **RETRIES)
def process_packet_task(packet_id: str) -> dict:
    settings = get_settings()
    def pages(read: int, expected: int) -> None:
        progress.report("pages", packet_id=packet_id, read=read, expected=expected)

    outcome = process_one(packet_id, open_store(settings), settings, this_worker(), on_pages=pages)
    return {"packet_id": outcome.packet_id, "state": outcome.state, "reason": outcome.reason, "pages": outcome.pages}


@task(name="nightly-rejudge", retries=2, retry_delay_seconds=30)
def nightly_task(on: date) -> dict:
    settings = get_settings()
    return run_nightly(open_store(settings), settings, on, this_worker())
