"""The flows: `intake` (register what is ready, then process or dispatch it),
`process-packet` (one packet, run by a worker of the pool) and `nightly`."""

from __future__ import annotations

import time
from datetime import date

from flows.environment import prepare

prepare()

from prefect import flow  # noqa: E402
from prefect.deployments import run_deployment  # noqa: E402

from dgintake.settings import get_settings  # noqa: E402
from flows import progress  # noqa: E402
from flows.tasks import claimable, nightly_task, process_packet_task, register_ready  # noqa: E402
from storage import audit, queries  # noqa: E402
from storage import packets as repo  # noqa: E402
from storage.db import session_scope  # noqa: E402


@flow(name="process-packet", log_prints=False)
def process_packet(packet_id: str) -> dict:
    """One packet, claimed through its database lease: a second run of it does nothing."""
    return process_packet_task(packet_id)


def _dispatch() -> int:
    settings = get_settings()
    with session_scope(settings.db_url) as session:
        ids = repo.to_dispatch(session, settings.lease_seconds)
    for packet_id in ids:
        # timeout=0: hand it to the pool and go on; the worker's run claims it
        run_deployment(settings.deployment, parameters={"packet_id": packet_id}, timeout=0, as_subflow=False)
        with session_scope(settings.db_url) as session:
            repo.mark_dispatched(session, [packet_id])
    return len(ids)


def _pending() -> int:
    with session_scope(get_settings().db_url) as session:
        return repo.pending(session)


def _process_locally(totals: dict) -> int:
    ids = claimable()
    progress.report("packets", total=len(ids))
    for packet_id in ids:
        outcome = process_packet_task(packet_id)
        if outcome["state"] == "processed":
            totals["processed"] += 1
        elif outcome["state"] == "failed":
            totals["failed"] += 1
        progress.report("packet_done", **outcome)
    return len(ids)


@flow(name="intake", log_prints=False)
def intake(once: bool = True, poll_seconds: float = 10.0, wait_timeout: float = 3600.0) -> dict:
    """Find what is ready in incoming/, register it exactly once, process it (here, or on
    the worker pool when DGINTAKE_DISPATCH=deployment). `once`: drain and return."""
    settings = get_settings()
    totals = {"registered": 0, "processed": 0, "duplicates": 0, "failed": 0, "rejected": 0, "dispatched": 0}
    started, run_started = time.monotonic(), audit.utcnow()
    while True:
        counts = register_ready()
        for key in ("registered", "duplicates", "rejected"):
            totals[key] += counts[key]
        progress.report("registered", **counts)
        if settings.dispatch == "deployment":
            totals["dispatched"] += _dispatch()
            # drained: everything handed out has been processed (folders still uploading
            # are left for the next run)
            if once and (_pending() == 0 or time.monotonic() - started > wait_timeout):
                break
        else:
            worked = _process_locally(totals)
            if once and not worked and not counts["registered"]:
                break
        time.sleep(poll_seconds if not once else min(poll_seconds, 1.0))
    if settings.dispatch == "deployment":  # the workers' outcomes, as the database has them
        with session_scope(settings.db_url) as session:
            totals["processed"], totals["failed"] = queries.outcomes_since(session, run_started)
    return totals


@flow(name="nightly", log_prints=False)
def nightly(on: str | None = None) -> dict:
    """Re-judge every undecided packet for the date (default: today in Asia/Shanghai)."""
    day = date.fromisoformat(on) if on else _today_in_dongguan()
    summary = nightly_task(day)
    if summary["retried"] and get_settings().dispatch == "deployment":
        _dispatch()
    elif summary["retried"]:
        _process_locally({"processed": 0, "failed": 0})
    return summary


def _today_in_dongguan() -> date:
    from datetime import datetime
    from zoneinfo import ZoneInfo

    return datetime.now(ZoneInfo("Asia/Shanghai")).date()
