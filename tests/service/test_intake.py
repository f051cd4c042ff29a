"""Intake exactly once: registration by content, duplicates, readiness, hostile objects,
originals kept byte for byte and removed from incoming/ only after their copy is safe."""

from __future__ import annotations

import io
import os
import zipfile
from datetime import UTC, datetime, timedelta

import pytest

from dgintake.intake import Intake, content_hash, drop, is_ready, scan
from storage import packets as repo
from storage.db import session_scope
from storage.objects import ObjectInfo, open_store


@pytest.fixture(params=["local", "s3"])
def env(request):
    settings = request.getfixturevalue(f"{request.param}_settings")
    return settings, open_store(settings)


def _rows(settings):
    with session_scope(settings.db_url) as session:
        return repo.queue(session)


def test_same_packet_dropped_ten_times_is_one_packet_and_nine_duplicates(env, digital_packets):
    settings, store = env
    for n in range(10):
        drop(store, digital_packets[0], name=f"第{n}次提交")
    counts = Intake(store, settings).run()
    assert (counts.registered, counts.duplicates, counts.rejected) == (1, 9, 0)
    rows = _rows(settings)
    first = [r for r in rows if r["status"] == "received"]
    assert len(first) == 1
    assert sorted(r["duplicate_of"] for r in rows if r["status"] == "duplicate") == [first[0]["id"]] * 9
    assert list(store.list("incoming/")) == []
    # the same content again, in a zip this time, is a different content: a new packet
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in sorted(digital_packets[0].iterdir()):
            archive.write(path, path.name)
    store.put("incoming/again.zip", buffer.getvalue())
    assert Intake(store, settings).run().registered == 1


def test_originals_are_kept_byte_for_byte_before_incoming_is_cleared(env, digital_packets):
    settings, store = env
    drop(store, digital_packets[1])
    files = {p.relative_to(digital_packets[1]).as_posix(): p.read_bytes() for p in digital_packets[1].rglob("*") if p.is_file()}
    Intake(store, settings).run()
    (row,) = _rows(settings)
    assert row["sha256"] == content_hash(files)
    for relative, data in files.items():
        assert store.get(f"packets/{row['id']}/original/{relative}") == data
    assert list(store.list("incoming/")) == []


def test_a_folder_being_uploaded_is_not_taken_before_it_is_ready(env, digital_packets):
    settings, store = env
    first = sorted(p for p in digital_packets[2].iterdir())[0]
    store.put(f"incoming/uploading/{first.name}", first.read_bytes())
    counts = Intake(store, settings).run()
    assert (counts.registered, counts.waiting) == (0, 1)
    assert _rows(settings) == []
    for path in sorted(digital_packets[2].iterdir())[1:]:
        store.put(f"incoming/uploading/{path.name}", path.read_bytes())
    store.put("incoming/uploading/_READY", b"")
    assert Intake(store, settings).run().registered == 1


def test_quiet_period_makes_a_folder_ready():
    now = datetime(2026, 12, 1, tzinfo=UTC)
    from dgintake.intake import Unit

    unit = Unit("f", True, [ObjectInfo("incoming/f/a.pdf", 3, now - timedelta(seconds=30))])
    assert not is_ready(unit, 60, now)
    assert is_ready(unit, 20, now)


def _bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("bomb.pdf", b"\0" * (50 * 1024 * 1024))
    return buffer.getvalue()


def test_hostile_objects_are_rejected_with_a_reason_and_the_rest_flows(env, digital_packets):
    settings, store = env
    settings.folder_quiet_seconds = 0
    store.put("incoming/empty.pdf", b"")
    store.put("incoming/bomb.zip", _bomb())
    store.put("incoming/broken.zip", b"PK\x03\x04 not really a zip")
    store.put("incoming/program.exe", b"MZ\x90\x00binary")
    store.put("incoming/hollow/", b"")  # a 0-byte "folder" and nothing in it
    store.put("incoming/空格 与 符号 #%&.pdf", (digital_packets[0] / "社保证明.pdf").read_bytes())
    drop(store, digital_packets[1], name="good")
    counts = Intake(store, settings).run()
    assert (counts.registered, counts.rejected) == (2, 5)
    reasons = {o.key: store.get(o.key).decode() for o in store.list("rejected/") if o.key.endswith(".reason.txt")}
    text = "\n".join(reasons.values())
    for expected in ("空对象", "压缩", "已损坏", "不是可接收", "空文件夹"):
        assert expected in text
    assert any(o.key.endswith("bomb.zip") for o in store.list("rejected/")), "the rejected object itself is kept"
    assert list(store.list("incoming/")) == []


def test_zip_with_traversal_names_only_is_rejected_and_one_with_good_files_is_taken(env, digital_packets):
    settings, store = env
    hostile = io.BytesIO()
    with zipfile.ZipFile(hostile, "w") as archive:
        archive.writestr("../../etc/passwd", b"root:x:0:0")
        archive.writestr("/abs/evil.pdf", b"%PDF-1.4")
    mixed = io.BytesIO()
    with zipfile.ZipFile(mixed, "w") as archive:
        archive.writestr("../escape.pdf", b"%PDF-1.4")
        archive.write(digital_packets[0] / "社保证明.pdf", "社保证明.pdf")
    store.put("incoming/traversal.zip", hostile.getvalue())
    store.put("incoming/mixed.zip", mixed.getvalue())
    counts = Intake(store, settings).run()
    assert (counts.registered, counts.rejected) == (1, 1)
    (reason,) = [store.get(o.key).decode() for o in store.list("rejected/") if o.key.endswith(".reason.txt")]
    assert "traversal.zip" in reason and "没有可读的文件" in reason
    assert not (settings.var_dir.parent / "etc").exists()


def test_an_intake_that_died_before_removing_finishes_the_removal_not_a_duplicate(local_settings, digital_packets):
    store = open_store(local_settings)
    drop(store, digital_packets[0], name="p")
    intake = Intake(store, local_settings)
    intake._remove = lambda keys: (_ for _ in ()).throw(OSError("killed"))  # dies right after the commit
    with pytest.raises(OSError):
        intake.run()
    assert len(list(store.list("incoming/p/"))) > 0, "nothing removed before its copy is committed"
    counts = Intake(store, local_settings).run()
    assert (counts.registered, counts.duplicates) == (0, 0)
    assert [r["status"] for r in _rows(local_settings)] == ["received"]
    assert list(store.list("incoming/")) == []


def test_an_intake_that_died_while_copying_leaves_incoming_untouched(local_settings, digital_packets):
    store = open_store(local_settings)
    drop(store, digital_packets[0], name="p")
    before = {o.key: store.get(o.key) for o in store.list("incoming/")}
    intake = Intake(store, local_settings)
    real_copy = store.copy
    calls = []

    def dying_copy(source, target):
        calls.append(source)
        if len(calls) == 2:
            raise OSError("disk gone")
        return real_copy(source, target)

    store.copy = dying_copy
    with pytest.raises(OSError):
        intake.run()
    store.copy = real_copy
    assert {o.key: store.get(o.key) for o in store.list("incoming/")} == before
    assert _rows(local_settings) == []
    assert Intake(store, local_settings).run().registered == 1


def test_scan_pages_with_start_after_and_lists_each_folder_once(local_settings):
    store = open_store(local_settings)
    for n in range(7):
        store.put(f"incoming/f{n}/a.pdf", b"x")
        store.put(f"incoming/f{n}/b.pdf", b"x")
        store.put(f"incoming/s{n}.pdf", b"x")
    seen, cursor = [], None
    while True:
        units, cursor = scan(store, cursor, max_units=3)
        seen += [(u.name, len(u.objects)) for u in units]
        if cursor is None:
            break
    assert sorted(seen) == sorted([(f"f{n}", 2) for n in range(7)] + [(f"s{n}.pdf", 1) for n in range(7)])


def test_two_intake_runs_at_once_register_each_packet_once(tmp_path, digital_packets):
    """Two processes race over the same incoming/ with one SQLite database."""
    import subprocess
    import sys

    from tests.service.conftest import make_settings

    settings = make_settings(tmp_path)
    store = open_store(settings)
    for n in range(6):
        drop(store, digital_packets[n % 3], name=f"p{n}")
    script = (
        "from dgintake.intake import Intake; from dgintake.settings import Settings; "
        "from storage.objects import open_store; s = Settings(); Intake(open_store(s), s).run()"
    )
    env = {**os.environ, "DGINTAKE_VAR_DIR": str(settings.var_dir)}
    runs = [subprocess.Popen([sys.executable, "-c", script], env=env, stderr=subprocess.PIPE) for _ in range(2)]
    for run in runs:
        run.wait(120)
    rows = _rows(settings)
    assert sorted(r["status"] for r in rows).count("received") == 3
    originals = [r for r in rows if r["status"] == "received"]
    assert len({r["sha256"] for r in originals}) == 3
    assert all(r["duplicate_of"] in {o["id"] for o in originals} for r in rows if r["status"] == "duplicate")
