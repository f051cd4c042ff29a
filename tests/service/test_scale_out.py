"""Scale-out for real: a `prefect server` on PostgreSQL, a process work pool, two
`prefect worker`s, S3 (moto) and PostgreSQL for the service. Twenty packets dropped,
`dgintake intake --once` dispatches them to the pool, each is processed exactly once,
and both workers take part."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import urllib.request
import uuid

import pytest
from sqlalchemy import create_engine, func, select, text

from dgintake.intake import drop
from storage.db import session_scope
from storage.models import Attempt, AuditEvent, Packet
from storage.objects import S3Store
from tests.service.conftest import PG_ADMIN, free_port

pytestmark = pytest.mark.slow


def _prefect_database():
    name = f"prefect_test_{uuid.uuid4().hex[:8]}"
    admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    return admin, name


def _wait_healthy(api: str, timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{api}/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(1)
    raise TimeoutError("prefect server did not become healthy")


def test_two_prefect_workers_process_twenty_packets_each_exactly_once(tmp_path, pg_url, s3_server):
    from tests.service.digital_packets import write_digital_packet

    prefect = shutil.which("prefect", path=os.path.dirname(sys.executable))
    admin, prefect_db = _prefect_database()
    port = free_port()
    api = f"http://127.0.0.1:{port}/api"
    base_env = {
        **os.environ,
        "PREFECT_HOME": str(tmp_path / "prefect"),
        "PREFECT_API_URL": api,
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_API_DATABASE_CONNECTION_URL": f"postgresql+asyncpg://postgres@127.0.0.1:5432/{prefect_db}",
        "PREFECT_WORKER_QUERY_SECONDS": "1",
        "PREFECT_WORKER_PREFETCH_SECONDS": "5",
        "PREFECT_LOGGING_LEVEL": "WARNING",
        "DGINTAKE_VAR_DIR": str(tmp_path / "var"),
        "DGINTAKE_DATABASE_URL": pg_url,
        "DGINTAKE_STORE": "s3",
        "DGINTAKE_S3_ENDPOINT": s3_server.endpoint,
        "DGINTAKE_S3_ACCESS_KEY": "testing",
        "DGINTAKE_S3_SECRET_KEY": "testing",
        "DGINTAKE_BUCKET": "scale",
        "DGINTAKE_DISPATCH": "deployment",
    }
    processes: list[subprocess.Popen] = []
    logs = tmp_path / "logs"
    logs.mkdir()

    def spawn(name: str, *args: str, **extra: str) -> subprocess.Popen:
        handle = open(logs / f"{name}.log", "w")
        process = subprocess.Popen(args, env={**base_env, **extra}, stdout=handle, stderr=subprocess.STDOUT)
        processes.append(process)
        return process

    try:
        spawn("server", prefect, "server", "start", "--host", "127.0.0.1", "--port", str(port))
        _wait_healthy(api)
        subprocess.run([prefect, "work-pool", "create", "--type", "process", "dgintake-test"], env=base_env, check=True,
                       capture_output=True)
        deployed = subprocess.run([sys.executable, "-m", "dgintake.cli", "deploy", "--pool", "dgintake-test", "--json"],
                                  env=base_env, capture_output=True, text=True)
        assert deployed.returncode == 0, deployed.stderr[-3000:]
        assert set(json.loads(deployed.stdout)) == {"process-packet", "nightly"}
        for worker in ("A", "B"):
            spawn(f"worker-{worker}", prefect, "worker", "start", "--pool", "dgintake-test", "--limit", "2",
                  DGINTAKE_WORKER_ID=f"worker-{worker}")
        store = S3Store(s3_server.endpoint, "testing", "testing", "scale")
        for seed in range(20):
            drop(store, write_digital_packet(tmp_path / "packets", 100 + seed), name=f"packet-{seed:02d}")
        intake = subprocess.run([sys.executable, "-m", "dgintake.cli", "intake", "--once", "--json"], env=base_env,
                                capture_output=True, text=True, timeout=900)
        assert intake.returncode == 0, intake.stderr[-3000:]
        totals = json.loads(intake.stdout)
        assert (totals["registered"], totals["processed"], totals["failed"]) == (20, 20, 0)
        with session_scope(pg_url) as session:
            assert session.scalars(select(Packet.status)).all() == ["awaiting_review"] * 20
            processed = session.execute(
                select(AuditEvent.packet_id, func.count())
                .where(AuditEvent.action == "processed")
                .group_by(AuditEvent.packet_id)
            ).all()
            assert len(processed) == 20 and {n for _, n in processed} == {1}
            workers = {w.split(":")[0] for w in session.scalars(select(Attempt.worker))}
            assert workers == {"worker-A", "worker-B"}, workers
    finally:
        for process in reversed(processes):
            process.terminate()
        for process in processes:
            try:
                process.wait(20)
            except subprocess.TimeoutExpired:
                process.kill()
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{prefect_db}" WITH (FORCE)'))
        admin.dispose()
