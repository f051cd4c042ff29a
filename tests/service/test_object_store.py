"""One contract for every object store: the local folder and S3 (moto on 127.0.0.1)."""

from __future__ import annotations

import urllib.request

import pytest

from storage.objects import LocalStore, ObjectNotFound, S3Store, UnsafeKey


@pytest.fixture(params=["local", "s3"])
def store(request, tmp_path):
    if request.param == "local":
        return LocalStore(tmp_path / "objects", "bucket")
    server = request.getfixturevalue("s3_server")
    import uuid

    return S3Store(server.endpoint, "testing", "testing", f"b{uuid.uuid4().hex[:12]}")


def test_put_get_stat_round_trip(store):
    info = store.put("incoming/申请 材料.pdf", b"%PDF-1.4 body")
    assert info.size == 13
    assert store.get("incoming/申请 材料.pdf") == b"%PDF-1.4 body"
    stat = store.stat("incoming/申请 材料.pdf")
    assert stat.size == 13 and stat.modified.tzinfo is not None


def test_missing_key_is_object_not_found(store):
    with pytest.raises(ObjectNotFound):
        store.get("incoming/nothing")
    with pytest.raises(ObjectNotFound):
        store.stat("incoming/nothing")


def test_list_prefix_start_after_and_limit_in_byte_order(store):
    keys = ["incoming/b.zip", "incoming/a/1.jpg", "incoming/a/_READY", "incoming/东莞.pdf", "other/x", "incoming/c d.png"]
    for key in keys:
        store.put(key, b"x")
    listed = [o.key for o in store.list("incoming/")]
    assert listed == sorted((k for k in keys if k.startswith("incoming/")), key=str.encode)
    after = [o.key for o in store.list("incoming/", start_after="incoming/a/_READY")]
    assert after == listed[2:]
    assert [o.key for o in store.list("incoming/", limit=2)] == listed[:2]


def test_copy_then_delete(store):
    store.put("incoming/p.pdf", b"abc")
    store.copy("incoming/p.pdf", "packets/1/original/p.pdf")
    store.delete("incoming/p.pdf")
    assert store.get("packets/1/original/p.pdf") == b"abc"
    assert [o.key for o in store.list("incoming/")] == []
    store.delete("incoming/p.pdf")  # deleting what is gone is not an error


def test_overwrite_replaces_whole_object(store):
    store.put("k", b"long content")
    store.put("k", b"short")
    assert store.get("k") == b"short"


@pytest.mark.parametrize("key", ["../etc/passwd", "a/../../b", "/abs", "a\\b", "a\x00b", "a//b", "./a"])
def test_unsafe_keys_are_refused(store, key):
    with pytest.raises(UnsafeKey):
        store.put(key, b"x")


def test_local_store_never_leaves_its_root(tmp_path):
    store = LocalStore(tmp_path / "objects", "bucket")
    with pytest.raises(UnsafeKey):
        store.get("../../outside")
    assert not (tmp_path / "outside").exists()


def test_viewing_url_serves_the_object(store):
    store.put("packets/1/derived/pages/0001.jpg", b"\xff\xd8\xffimage")
    url = store.url("packets/1/derived/pages/0001.jpg")
    if isinstance(store, S3Store):
        with urllib.request.urlopen(url, timeout=10) as response:
            assert response.read() == b"\xff\xd8\xffimage"
    else:
        assert url.startswith("file://")
