"""Real parts for the service tests: an S3 server (moto) on 127.0.0.1, a fresh
PostgreSQL database, and settings pointing at them. Started here, by the tests."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from dgintake.settings import Settings


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise TimeoutError(f"nothing listening on 127.0.0.1:{port}")


class S3Server:
    """moto's S3 wire-protocol server in a subprocess; can be stopped and started again."""

    def __init__(self) -> None:
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    @property
    def endpoint(self) -> str:
        return f"127.0.0.1:{self.port}"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(self.port)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for_port(self.port)

    def stop(self) -> None:
        if self.process:
            self.process.terminate()
            self.process.wait(10)
            self.process = None


@pytest.fixture(scope="session")
def s3_server():
    server = S3Server()
    server.start()
    yield server
    server.stop()


PG_ADMIN = os.environ.get("DGINTAKE_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")


def _pg_available() -> bool:
    from sqlalchemy import create_engine, text

    try:
        engine = create_engine(PG_ADMIN)
        with engine.connect() as connection:
            connection.execute(text("select 1"))
        engine.dispose()
        return True
    except Exception:
        return False


@pytest.fixture
def pg_url():
    """A new, empty PostgreSQL database for one test, dropped afterwards."""
    if not _pg_available():
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL not reachable at {PG_ADMIN} (CI must start it)")
        pytest.skip("PostgreSQL not running here")
    from sqlalchemy import create_engine, text

    name = f"dgintake_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = PG_ADMIN.rsplit("/", 1)[0] + f"/{name}"
    yield url
    from storage.db import dispose_all

    dispose_all()
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def make_settings(tmp: Path, **overrides) -> Settings:
    values = dict(var_dir=tmp / "var", folder_quiet_seconds=60, lease_seconds=30, ocr_cache=True)
    values.update(overrides)
    return Settings(**values)


@pytest.fixture
def local_settings(tmp_path) -> Settings:
    return make_settings(tmp_path)


@pytest.fixture
def s3_settings(tmp_path, s3_server) -> Settings:
    return make_settings(
        tmp_path,
        store="s3",
        s3_endpoint=s3_server.endpoint,
        s3_access_key="testing",
        s3_secret_key="testing",
        bucket=f"b{uuid.uuid4().hex[:12]}",
    )


@pytest.fixture(scope="session")
def digital_packets(tmp_path_factory) -> list[Path]:
    from tests.service.digital_packets import write_digital_packet

    out = tmp_path_factory.mktemp("digital")
    return [write_digital_packet(out, seed) for seed in range(1, 4)]
