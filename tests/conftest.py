"""Shared fixtures: an isolated working folder and generated packets per session."""

from __future__ import annotations

import os
from pathlib import Path

import pytest


@pytest.fixture(scope="session", autouse=True)
def isolated_var(tmp_path_factory) -> Path:
    var = tmp_path_factory.mktemp("var")
    os.environ["DGINTAKE_VAR_DIR"] = str(var)
    from dgintake.settings import get_settings

    get_settings.cache_clear()
    return var


@pytest.fixture(scope="session")
def settings(isolated_var):
    from dgintake.settings import get_settings

    return get_settings()


@pytest.fixture(scope="session")
def sample_packets(tmp_path_factory, isolated_var) -> list[Path]:
    """One degraded packet in each form: folder, zip (GBK names), one bundle PDF."""
    from tests.generator.packets import write_sample_set

    return write_sample_set(tmp_path_factory.mktemp("packets"), count=3, seed=101)


@pytest.fixture(scope="session")
def processed(sample_packets):
    from dgintake.pipeline import process
    from tests.generator.packets import SUBMITTED_ON

    return {path: process(path, SUBMITTED_ON) for path in sample_packets}
