"""Faults in the middle of a real run of `dgintake intake --once` (Prefect flow,
PostgreSQL, S3): the database and the S3 server become unreachable for a while, the
tasks retry with backoff, and every packet ends processed exactly once."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time

import pytest
from sqlalchemy import func, select

from dgintake.intake import drop
from storage.db import session_scope
from storage.models import AuditEvent, Packet
from storage.objects import S3Store
from tests.service.proxy import CuttableProxy

pytestmark = pytest.mark.slow


def test_database_and_s3_outages_mid_run_lose_nothing_and_duplicate_nothing(tmp_path, pg_url, s3_server, digital_packets):
    from tests.service.digital_packets import write_digital_packet

    packets = digital_packets + [write_digital_packet(tmp_path / "more", seed) for seed in range(10, 15)]
    bucket = "faults"
    direct = S3Store(s3_server.endpoint, "testing", "testing", bucket)
    for n, path in enumerate(packets):
        drop(direct, path, name=f"p{n}")
    pg_port = int(pg_url.split("@127.0.0.1:")[1].split("/")[0])
    db_proxy, s3_proxy = CuttableProxy(pg_port), CuttableProxy(s3_server.port)
    db_proxy.start()
    s3_proxy.start()
    env = {
        **os.environ,
        "DGINTAKE_VAR_DIR": str(tmp_path / "var"),
        "DGINTAKE_DATABASE_URL": pg_url.replace(f":{pg_port}/", f":{db_proxy.port}/"),
        "DGINTAKE_STORE": "s3",
        "DGINTAKE_S3_ENDPOINT": f"127.0.0.1:{s3_proxy.port}",
        "DGINTAKE_S3_ACCESS_KEY": "testing",
        "DGINTAKE_S3_SECRET_KEY": "testing",
        "DGINTAKE_BUCKET": bucket,
    }
    run = subprocess.Popen(
        [sys.executable, "-m", "dgintake.cli", "intake", "--once", "--json"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    out_box: dict = {}
    reader = threading.Thread(target=lambda: out_box.update(zip(("out", "err"), run.communicate())), daemon=True)
    reader.start()

    def done_count() -> int:
        with session_scope(pg_url) as session:
            return session.scalar(select(func.count()).where(Packet.status == "awaiting_review")) or 0

    deadline = time.monotonic() + 300
    while done_count() < 1 and time.monotonic() < deadline and run.poll() is None:
        time.sleep(0.3)
    assert run.poll() is None, f"the run ended before the outage: {out_box}"
    db_proxy.cut()
    time.sleep(4)
    db_proxy.restore()
    while done_count() < 4 and time.monotonic() < deadline and run.poll() is None:
        time.sleep(0.3)
    s3_proxy.cut()
    time.sleep(4)
    s3_proxy.restore()
    reader.join(timeout=400)
    assert run.returncode == 0, out_box.get("err", "")[-3000:]
    totals = json.loads(out_box["out"])
    assert totals["registered"] == len(packets) and totals["processed"] == len(packets) and totals["failed"] == 0
    with session_scope(pg_url) as session:
        statuses = session.scalars(select(Packet.status)).all()
        assert statuses == ["awaiting_review"] * len(packets)
        processed = session.execute(
            select(AuditEvent.packet_id, func.count()).where(AuditEvent.action == "processed").group_by(AuditEvent.packet_id)
        ).all()
        assert len(processed) == len(packets) and all(n == 1 for _, n in processed)
    assert list(direct.list("incoming/")) == []
    db_proxy.cut()
    s3_proxy.cut()
