"""Deployments on a real Prefect server: `process-packet` for the worker pool, and
`nightly` on a cron schedule (02:00 Asia/Shanghai) that never overlaps itself."""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path

from flows.environment import prepare

prepare()

from prefect import flow  # noqa: E402
from prefect.client.schemas.objects import ConcurrencyLimitConfig, ConcurrencyLimitStrategy  # noqa: E402
from prefect.schedules import Cron  # noqa: E402

PROJECT = Path(__file__).resolve().parents[1]
NIGHTLY_CRON = Cron("0 2 * * *", timezone="Asia/Shanghai")


def deploy(pool: str, name: str = "dgintake", source: Path = PROJECT) -> dict[str, str]:
    """Register both deployments; returns their ids. Workers run the code at `source`."""
    # Prefect prints advice on stdout while deploying; stdout is kept for --json.
    with contextlib.redirect_stdout(sys.stderr):
        return _deploy(pool, name, source)


def _deploy(pool: str, name: str, source: Path) -> dict[str, str]:
    process = flow.from_source(source=str(source), entrypoint="flows/intake.py:process_packet")
    nightly = flow.from_source(source=str(source), entrypoint="flows/intake.py:nightly")
    ids = {
        "process-packet": process.deploy(
            name=name, work_pool_name=pool, build=False, push=False, print_next_steps=False, ignore_warnings=True
        ),
        "nightly": nightly.deploy(
            name=name,
            work_pool_name=pool,
            schedules=[NIGHTLY_CRON],
            # one nightly run at a time: a late one cancels the newcomer rather than overlapping
            concurrency_limit=ConcurrencyLimitConfig(limit=1, collision_strategy=ConcurrencyLimitStrategy.CANCEL_NEW),
            build=False,
            push=False,
            print_next_steps=False,
            ignore_warnings=True,
        ),
    }
    return {key: str(value) for key, value in ids.items()}
