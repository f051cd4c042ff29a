"""Prefect flows: intake, processing one packet, the nightly run, and their deployments.

The only package that imports `prefect`. The work itself lives in plain functions
(`dgintake.intake`, `dgintake.worker`, `dgintake.nightly`), so the flows stay thin and
the same logic runs under Prefect's ephemeral mode, a real server with workers, or tests.
"""
