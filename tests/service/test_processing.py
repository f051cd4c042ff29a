"""Processing registered packets: leases, derived files, stored results, failures,
a worker killed with SIGKILL, and the nightly re-judging."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from dgintake.intake import Intake, drop
from dgintake.nightly import AlreadyRunning, run_nightly
from dgintake.worker import process_one
from storage import packets as repo
from storage.db import session_scope
from storage.models import Attempt, AuditEvent, Packet
from storage.objects import open_store


def _register(settings, store, paths) -> list[str]:
    for n, path in enumerate(paths):
        drop(store, path, name=f"p{n}")
    return Intake(store, settings).run().packet_ids


@pytest.fixture(params=["sqlite", "postgresql"])
def db_settings(request, local_settings):
    if request.param == "postgresql":
        local_settings.database_url = request.getfixturevalue("pg_url")
    return local_settings


def test_a_packet_is_processed_once_with_its_derived_files(db_settings, digital_packets):
    settings, store = db_settings, open_store(db_settings)
    (packet_id,) = _register(settings, store, digital_packets[:1])
    assert process_one(packet_id, store, settings, "w1").state == "processed"
    assert process_one(packet_id, store, settings, "w2").state == "skipped"
    with session_scope(settings.db_url) as session:
        row = repo.show(session, packet_id)
        assert row["status"] == "awaiting_review"
        assert row["result"]["schema"] == "dgintake.packet-result/1"
        assert row["result"]["packet"]["source"] == "incoming/p0/"
        assert row["codes"] == repo.codes_of(row["result"]) and "PKT-MISSING-LICENSE" in row["codes"]
        assert row["applicant_name"] and row["credit_code"]
        assert [e["action"] for e in row["events"]] == ["registered", "processed"]
        assert session.scalar(select(Attempt.outcome).where(Attempt.packet_id == packet_id)) == "succeeded"
    pages = json.loads(store.get(f"packets/{packet_id}/derived/pages.json"))["pages"]
    assert {p["file"] for p in pages} == {"申请书.docx", "团队名单.xlsx", "社保证明.pdf"}
    rendered = [p for p in pages if "key" in p]
    assert rendered and store.get(rendered[0]["key"])[:3] == b"\xff\xd8\xff"
    ocr = json.loads(store.get(f"packets/{packet_id}/derived/ocr.json"))
    assert any(line["text"] for page in ocr["pages"] for line in page["lines"])
    # originals are untouched by processing
    for original in row["files"]:
        assert repo.sha256_of(store.get(original["key"])) == original["sha256"]


def test_a_live_lease_is_not_taken_and_an_expired_one_is(local_settings, digital_packets):
    settings, store = local_settings, open_store(local_settings)
    (packet_id,) = _register(settings, store, digital_packets[:1])
    with session_scope(settings.db_url) as session:
        assert repo.claim(session, packet_id, "dead-worker", lease_seconds=600) is not None
    assert process_one(packet_id, store, settings, "w2").state == "skipped"
    with session_scope(settings.db_url) as session:
        session.get(Packet, packet_id).lease_expires_at = repo.utcnow() - timedelta(seconds=1)
    assert process_one(packet_id, store, settings, "w2").state == "processed"
    with session_scope(settings.db_url) as session:
        outcomes = sorted(session.scalars(select(Attempt.outcome).where(Attempt.packet_id == packet_id)))
        assert outcomes == ["lost", "succeeded"]
        assert session.get(Packet, packet_id).attempts == 2


def test_a_worker_that_lost_its_lease_cannot_store_a_result(local_settings, digital_packets):
    settings, store = local_settings, open_store(local_settings)
    (packet_id,) = _register(settings, store, digital_packets[:1])
    with session_scope(settings.db_url) as session:
        attempt = repo.claim(session, packet_id, "slow", lease_seconds=600)
        session.get(Packet, packet_id).lease_expires_at = repo.utcnow() - timedelta(seconds=1)
    assert process_one(packet_id, store, settings, "fast").state == "processed"
    with session_scope(settings.db_url) as session:
        assert not repo.complete(session, packet_id, "slow", attempt, {"verdict": "pass"}, date.today())
        assert session.scalar(
            select(AuditEvent.id).where(AuditEvent.packet_id == packet_id, AuditEvent.action == "processed").limit(1)
        )


def test_a_packet_that_keeps_failing_ends_failed_with_its_reason_and_originals(local_settings, digital_packets):
    settings, store = local_settings, open_store(local_settings)
    (packet_id,) = _register(settings, store, digital_packets[:1])
    import dgintake.worker as worker

    real = worker.process
    worker.process = lambda *a, **k: (_ for _ in ()).throw(RuntimeError("extractor bug"))
    try:
        states = [process_one(packet_id, store, settings, "w").state for _ in range(settings.max_attempts)]
    finally:
        worker.process = real
    assert states == ["retry", "retry", "failed"]
    with session_scope(settings.db_url) as session:
        row = repo.show(session, packet_id)
    assert row["status"] == "failed" and "extractor bug" in row["failure_reason"]
    assert all(store.get(f["key"]) for f in row["files"])


def test_a_worker_killed_mid_packet_is_taken_over_after_its_lease(tmp_path, digital_packets):
    """SIGKILL while the pipeline runs: no heartbeat, the lease runs out, the next worker
    takes the packet and it finishes once."""
    from tests.service.conftest import make_settings

    settings = make_settings(tmp_path, lease_seconds=3)
    store = open_store(settings)
    (packet_id,) = _register(settings, store, digital_packets[:1])
    script = (
        "import time, dgintake.worker as w\n"
        "from dgintake.settings import Settings\nfrom storage.objects import open_store\n"
        "w.process = lambda *a, **k: time.sleep(600)\n"  # stands in for a long OCR run
        f"s = Settings(); w.process_one({packet_id!r}, open_store(s), s, 'doomed')\n"
    )
    env = {**os.environ, "DGINTAKE_VAR_DIR": str(settings.var_dir), "DGINTAKE_LEASE_SECONDS": "3"}
    doomed = subprocess.Popen([sys.executable, "-c", script], env=env)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        with session_scope(settings.db_url) as session:
            if session.get(Packet, packet_id).status == "processing":
                break
        time.sleep(0.2)
    time.sleep(2)  # a heartbeat or two happen
    doomed.send_signal(signal.SIGKILL)
    doomed.wait()
    assert process_one(packet_id, store, settings, "next").state == "skipped", "lease still held"
    time.sleep(3.5)
    assert process_one(packet_id, store, settings, "next").state == "processed"
    with session_scope(settings.db_url) as session:
        processed = session.scalars(
            select(AuditEvent).where(AuditEvent.packet_id == packet_id, AuditEvent.action == "processed")
        ).all()
        assert [e.actor for e in processed] == ["next"]


def test_nightly_rejudges_for_the_date_records_changes_and_does_not_overlap(db_settings, digital_packets):
    settings, store = db_settings, open_store(db_settings)
    ids = _register(settings, store, digital_packets[:2])
    for packet_id in ids:
        process_one(packet_id, store, settings, "w", judged_on=date(2026, 11, 20))
    with session_scope(settings.db_url) as session:
        print_date = date.fromisoformat(
            next(
                d["fields"]["print_date"]["value"]
                for d in session.get(Packet, ids[0]).result["documents"]
                if d["doc_type"] == "social_insurance_proof"
            )
        )
    late = print_date + timedelta(days=settings.si_max_age_days + 5)
    summary = run_nightly(store, settings, late, "nightly-test")
    assert summary["revalidated"] == 2 and summary["changed"] == 2
    with session_scope(settings.db_url) as session:
        row = repo.show(session, ids[0])
        assert "SI-STALE" in row["codes"]
        (event,) = [e for e in row["events"] if e["action"] == "rejudged"]
        assert "SI-STALE" in event["detail"]["new"]["codes"] and "SI-STALE" not in event["detail"]["old"]["codes"]
    again = run_nightly(store, settings, late, "nightly-test")
    assert (again["revalidated"], again["changed"]) == (0, 0)
    report = json.loads(store.get(f"reports/nightly/{late.isoformat()}.json"))
    assert report["counts"]["awaiting_review"] == 2
    assert "夜间复核" in store.get(f"reports/nightly/{late.isoformat()}.txt").decode()
    with session_scope(settings.db_url) as session:
        assert repo.acquire_lock(session, "nightly", "someone-else", 60)
    with pytest.raises(AlreadyRunning):
        run_nightly(store, settings, late, "nightly-test")


def test_nightly_counts_documents_expiring_within_30_days():
    from dgintake.nightly import expiring

    result = {
        "documents": [
            {"doc_type": "id_card_back", "fields": {"valid_to": {"value": "2026-12-20"}}},
            {"doc_type": "business_license", "fields": {"term_end": {"value": "long_term"}}},
            {"doc_type": "social_insurance_proof", "fields": {"print_date": {"value": "2026-09-10"}}},
        ]
    }
    found = expiring(result, date(2026, 12, 1), si_max_age_days=90)
    assert [(f["doc_type"], f["ends"]) for f in found] == [
        ("id_card_back", "2026-12-20"),
        ("social_insurance_proof", "2026-12-09"),
    ]


def test_audit_events_are_append_only_in_the_database(db_settings):
    from sqlalchemy import text

    with session_scope(db_settings.db_url) as session:
        repo.audit(session, "x", "test")
    with pytest.raises(Exception, match="append-only"):
        with session_scope(db_settings.db_url) as session:
            session.execute(text("UPDATE audit_events SET actor = 'y'"))
    with pytest.raises(Exception, match="append-only"):
        with session_scope(db_settings.db_url) as session:
            session.execute(text("DELETE FROM audit_events"))
