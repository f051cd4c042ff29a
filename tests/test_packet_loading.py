import io
import zipfile

from extractors.packet import Limits, load_packet
from tests.generator.packets import GbkZipInfo


def _zip(tmp_path, members, name="p.zip"):
    path = tmp_path / name
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for info, data in members:
            archive.writestr(info, data)
    return path


def test_gbk_member_names_decode(tmp_path):
    path = _zip(tmp_path, [(GbkZipInfo("附件/营业执照复印件.jpg"), b"\xff\xd8\xffdata")])
    packet = load_packet(path)
    assert [f.path for f in packet.files] == ["附件/营业执照复印件.jpg"]
    assert packet.files[0].rejected is None


def test_traversal_member_is_rejected_not_written(tmp_path):
    path = _zip(tmp_path, [("../evil.txt", b"x"), ("/abs.txt", b"y"), ("ok/a.pdf", b"%PDF-1.4")])
    packet = load_packet(path)
    rejected = {f.path: f.rejected for f in packet.files if f.rejected}
    assert "../evil.txt" in rejected and "/abs.txt" in rejected
    assert [f.path for f in packet.files if not f.rejected] == ["ok/a.pdf"]
    assert not (tmp_path.parent / "evil.txt").exists()


def test_zip_bomb_member_is_rejected(tmp_path):
    path = _zip(tmp_path, [("bomb.bin", b"\0" * (50 * 1024 * 1024)), ("fine.txt", b"hello")])
    packet = load_packet(path, Limits(max_zip_ratio=100))
    bomb = next(f for f in packet.files if f.path == "bomb.bin")
    assert bomb.rejected and "压缩" in bomb.rejected
    assert next(f for f in packet.files if f.path == "fine.txt").data == b"hello"


def test_declared_size_lie_is_capped(tmp_path):
    path = _zip(tmp_path, [("big.bin", b"\0" * (3 * 1024 * 1024))])
    packet = load_packet(path, Limits(max_file_bytes=1024 * 1024, max_zip_ratio=1e9))
    assert packet.files[0].rejected


def test_nested_folders_zip_inside_folder_and_manifest(tmp_path):
    root = tmp_path / "packet"
    (root / "a" / "b").mkdir(parents=True)
    (root / "a" / "b" / "x.pdf").write_bytes(b"%PDF-1.4")
    (root / "manifest.json").write_text('{"submitted_on": "2026-01-02"}', encoding="utf-8")
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w") as archive:
        archive.writestr("c/y.png", b"\x89PNG\r\n\x1a\n")
    (root / "more.zip").write_bytes(inner.getvalue())
    packet = load_packet(root)
    assert packet.manifest == {"submitted_on": "2026-01-02"}
    assert sorted(f.path for f in packet.files) == ["a/b/x.pdf", "more.zip/c/y.png"]


def test_input_is_never_modified(tmp_path):
    path = _zip(tmp_path, [("a.txt", b"a")])
    before = path.read_bytes()
    load_packet(path)
    assert path.read_bytes() == before


def test_manifest_inside_the_zip_s_single_folder(tmp_path):
    path = _zip(tmp_path, [("申报材料/manifest.json", '{"submitted_on": "2026-03-01"}'), ("申报材料/a.pdf", b"%PDF-1.4")])
    packet = load_packet(path)
    assert packet.manifest["submitted_on"] == "2026-03-01"
    assert [f.path for f in packet.files] == ["申报材料/a.pdf"]


def test_broken_manifest_is_reported_not_fatal(tmp_path):
    root = tmp_path / "p"
    root.mkdir()
    (root / "manifest.json").write_text("{not json", encoding="utf-8")
    packet = load_packet(root)
    assert packet.manifest == {} and packet.files[0].rejected
