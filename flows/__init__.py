"""Prefect flows: intake, packet processing, nightly re-validation (the only place importing prefect)."""
