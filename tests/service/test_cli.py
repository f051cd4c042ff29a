"""The service commands as a user runs them, embedded (no servers): drop, intake, queue,
show, nightly, db upgrade; JSON shapes of SERVICE.md; nothing written to the working folder."""

from __future__ import annotations

import json
import os
import subprocess
import sys

QUEUE_KEYS = {"id", "name", "sha256", "status", "verdict", "codes", "received_at", "processed_at", "attempts", "duplicate_of"}


def _run(args, cwd, env):
    done = subprocess.run(
        [sys.executable, "-m", "dgintake.cli", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def test_embedded_commands_end_to_end(tmp_path, digital_packets):
    workdir = tmp_path / "cwd"
    workdir.mkdir()
    env = {**os.environ, "DGINTAKE_VAR_DIR": str(tmp_path / "var")}
    env.pop("PREFECT_API_URL", None)
    env.pop("PREFECT_HOME", None)
    _run(["db", "upgrade"], workdir, env)
    dropped = json.loads(_run(["drop", str(digital_packets[0]), str(digital_packets[1]), "--json"], workdir, env))
    assert {d["key"].split("/")[1] for d in dropped["dropped"]} == {digital_packets[0].name, digital_packets[1].name}
    assert all(set(d) == {"key", "bytes"} for d in dropped["dropped"])
    _run(["drop", str(digital_packets[0]), "--name", "same-again", "--json"], workdir, env)
    totals = json.loads(_run(["intake", "--once", "--json"], workdir, env))
    assert totals == {"registered": 2, "processed": 2, "duplicates": 1, "failed": 0, "rejected": 0}
    queue = json.loads(_run(["queue", "--json"], workdir, env))
    assert queue["counts"] == {"awaiting_review": 2, "duplicate": 1}
    assert all(QUEUE_KEYS <= set(row) for row in queue["packets"])
    first = next(r for r in queue["packets"] if r["status"] == "awaiting_review")
    shown = json.loads(_run(["show", first["id"], "--json"], workdir, env))
    assert QUEUE_KEYS <= set(shown) and shown["result"]["schema"] == "dgintake.packet-result/1"
    assert [e["action"] for e in shown["events"]] == ["registered", "processed"]
    nightly = json.loads(_run(["nightly", "--on", "2030-01-01", "--json"], workdir, env))
    assert {"revalidated", "changed", "retried", "expiring"} <= set(nightly)
    assert nightly["revalidated"] == 2
    waiting = json.loads(_run(["queue", "--status", "awaiting_review", "--json"], workdir, env))
    assert len(waiting["packets"]) == 2
    assert list(workdir.iterdir()) == [], "commands must not litter the working folder"
    assert "awaiting_review: 2" in _run(["queue"], workdir, env)  # the table form, with its counts line
