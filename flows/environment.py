"""Prefect settings the service wants before prefect is imported."""

from __future__ import annotations

import os


def prepare() -> None:
    # No analytics calls out; embedded runs keep Prefect's state under our var dir
    # rather than ~/.prefect, unless the operator set PREFECT_HOME.
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("DO_NOT_TRACK", "1")
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
    # the ephemeral API server needs longer than Prefect's 20 s default on a busy 2-core machine
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")
    if "PREFECT_HOME" not in os.environ and "PREFECT_API_URL" not in os.environ:
        from dgintake.settings import get_settings

        home = (get_settings().var_dir / "prefect").resolve()
        home.mkdir(parents=True, exist_ok=True)
        os.environ["PREFECT_HOME"] = str(home)
