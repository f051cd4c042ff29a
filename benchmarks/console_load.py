"""Review console under load: 10,000 stored packets, the queue page and the packet API.

    python benchmarks/console_load.py [--packets 10000] [--requests 400] [--concurrency 8] [--db URL]

Seeds a database (a fresh SQLite file unless --db names one) with N packets, each with
its documents, fields, findings and audit events, serves the console with uvicorn in a
separate process on 127.0.0.1, logs a reviewer in, and measures with a bounded httpx
load generator (loopback only):
- GET /queue (the first page, a deep page, filtered pages),
- GET /api/packets/{id} for random packets (as a reviewer: unmasked, so each view
  also writes its audit event),
- GET /packets/{id} (the packet page, with its neighbours in a filtered list).
Prints p50 / p95 / max per route and a JSON line; exit status 1 when a p95 is over 200 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402

PASSWORD = "benchmark password 1"
STATUSES = ["awaiting_review"] * 70 + ["in_review"] * 10 + ["proposed_approve"] * 5 + ["needs_correction"] * 5 + ["approved"] * 10


def seed(db_url: str, count: int) -> list[str]:
    """Bulk-insert `count` packets built from the test fixture's machine result."""
    from sqlalchemy import insert

    from dgintake.judging import judge
    from review.services import users
    from storage.db import get_engine, session_scope
    from storage.models import AuditEvent, DocumentRow, FieldRow, FindingRow, Packet
    from tests.console_fixtures import SUBMITTED, credit_code, machine_result

    engine = get_engine(db_url)
    rng = random.Random(10)
    now = datetime.now(UTC)
    templates = []
    for n in range(20):
        result = machine_result(name=f"东莞市样本{n:02d}科技有限公司", id_name="李明" if n % 3 == 0 else "李明华")
        templates.append(judge(result, SUBMITTED))
    ids = [f"{n:016x}" for n in range(1, count + 1)]
    batch = 1000
    with engine.begin() as connection:
        for start in range(0, count, batch):
            packets, findings, events, documents = [], [], [], []
            for n in range(start, min(count, start + batch)):
                result = templates[n % len(templates)]
                status = rng.choice(STATUSES)
                name = f"东莞市样本{n:05d}科技有限公司"
                received = now - timedelta(days=60) + timedelta(seconds=n * 500)
                packets.append(
                    {
                        "id": ids[n],
                        "name": f"packet-{n:05d}",
                        "sha256": f"{n:064x}",
                        "content_key": f"{n:064x}",
                        "status": status,
                        "verdict": result["verdict"],
                        "applicant_name": name,
                        "credit_code": credit_code(n),
                        "source_key": f"incoming/packet-{n:05d}.zip",
                        "source_is_folder": False,
                        "incoming_cleared": True,
                        "submitted_on": SUBMITTED,
                        "received_at": received,
                        "processed_at": received + timedelta(minutes=3),
                        "judged_on": SUBMITTED,
                        "attempts": 1,
                        "machine_result": result,
                        "result": result,
                        "claimed_by": "reviewer" if status != "awaiting_review" else None,
                        "claimed_at": received + timedelta(hours=2) if status != "awaiting_review" else None,
                        "version": 3,
                    }
                )
                for finding in result["findings"]:
                    findings.append(
                        {
                            "packet_id": ids[n],
                            "code": finding["code"],
                            "severity": finding["severity"],
                            "article": finding["article"],
                            "message": finding["message"],
                            "evidence": finding["evidence"],
                        }
                    )
                for action in ("registered", "processed"):
                    events.append({"at": received, "actor": "intake", "packet_id": ids[n], "action": action, "detail": {}})
                for position, document in enumerate(result["documents"]):
                    documents.append(
                        {
                            "packet_id": ids[n],
                            "position": position,
                            "doc_type": document["doc_type"],
                            "file": document["file"],
                            "pages": document["pages"],
                        }
                    )
            connection.execute(insert(Packet), packets)
            connection.execute(insert(FindingRow), findings)
            connection.execute(insert(AuditEvent), events)
            connection.execute(insert(DocumentRow), documents)
        # fields for the documents (what corrections hang off)
        rows = connection.execute(DocumentRow.__table__.select()).mappings().all()
        by_type = {d["doc_type"]: d for d in templates[0]["documents"]}
        fields = []
        for row in rows:
            for name, value in (by_type[row["doc_type"]].get("fields") or {}).items():
                fields.append(
                    {
                        "document_id": row["id"],
                        "name": name,
                        "value": value["value"],
                        "confidence": value["confidence"],
                        "page": value["page"],
                        "bbox": value["bbox"],
                        "repaired": bool(value.get("corrected")),
                    }
                )
        for start in range(0, len(fields), 5000):
            connection.execute(insert(FieldRow), fields[start : start + 5000])
    with session_scope(db_url) as session:
        users.add(session, "bench", "reviewer", PASSWORD)
    if engine.dialect.name == "postgresql":  # the statistics autovacuum would have gathered by now
        from sqlalchemy import text

        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("ANALYZE"))
    return ids


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


SERVER = """
import sys, uvicorn
sys.path.insert(0, {root!r})
from dgintake.settings import Settings
from review.app import create_app
settings = Settings(var_dir={var!r}, database_url={db!r}, secret_key="benchmark-secret-key-0123456789")
uvicorn.run(create_app(settings), host="127.0.0.1", port={port}, log_level="warning", access_log=False)
"""


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


async def load(url: str, ids: list[str], requests: int, concurrency: int) -> dict[str, list[float]]:
    rng = random.Random(3)
    timings: dict[str, list[float]] = {"queue page": [], "packet API": [], "packet page": []}
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=url, timeout=30, limits=limits) as client:
        response = await client.post("/login", data={"username": "bench", "password": PASSWORD})
        assert response.status_code == 303, response.text
        pages = max(1, len(ids) // 50 // 2)
        queue_urls = ["/queue", f"/queue?page={pages}", "/queue?verdict=fail", "/queue?code=REP-NAME-MISMATCH&page=3",
                      "/queue?q=样本0042", "/queue?status=all&page=50", "/queue?age=30"]
        gate = asyncio.Semaphore(concurrency)

        async def one(n: int) -> None:
            if n % 5 in (0, 1):
                kind, path = "queue page", rng.choice(queue_urls)
            elif n % 5 in (2, 3):
                kind, path = "packet API", f"/api/packets/{rng.choice(ids)}"
            else:
                kind, path = "packet page", f"/packets/{rng.choice(ids)}?verdict=fail"
            async with gate:
                start = time.perf_counter()
                response = await client.get(path)
                elapsed = time.perf_counter() - start
            assert response.status_code == 200, (path, response.status_code)
            timings[kind].append(elapsed * 1000)

        for n in range(20):  # warm up
            await one(n)
        for values in timings.values():
            values.clear()
        await asyncio.gather(*(one(n) for n in range(requests)))
    return timings


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--packets", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--db", help="database URL (default: a fresh SQLite file)")
    args = parser.parse_args()
    var = Path(tempfile.mkdtemp(prefix="console-load-"))
    os.environ["DGINTAKE_VAR_DIR"] = str(var)
    db_url = args.db or f"sqlite:///{var / 'load.db'}"
    started = time.perf_counter()
    ids = seed(db_url, args.packets)
    seeded = time.perf_counter() - started
    print(f"seeded {len(ids)} packets in {seeded:.1f} s ({db_url.split(':')[0]})")
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-c", SERVER.format(root=str(ROOT), var=str(var), db=db_url, port=port)],
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(url + "/healthz", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.3)
        timings = asyncio.run(load(url, ids, args.requests, args.concurrency))
    finally:
        server.terminate()
        server.wait(10)
    summary = {"packets": len(ids), "requests": args.requests, "concurrency": args.concurrency}
    worst = 0.0
    load1 = os.getloadavg()[0]
    summary["load_average_1min"] = round(load1, 1)
    print(f"machine load average {load1:.1f} on {os.cpu_count()} CPUs")
    for kind, values in timings.items():
        p50, p95 = statistics.median(values), percentile(values, 0.95)
        worst = max(worst, p95)
        print(f"{kind:12s} n={len(values):4d}  p50 {p50:6.1f} ms  p95 {p95:6.1f} ms  max {max(values):6.1f} ms")
        summary[kind.replace(" ", "_") + "_p95_ms"] = round(p95, 1)
        summary[kind.replace(" ", "_") + "_p50_ms"] = round(p50, 1)
    print(json.dumps(summary, ensure_ascii=False))
    return 0 if worst < 200 else 1


if __name__ == "__main__":
    sys.exit(main())
