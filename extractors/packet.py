"""Turns a submitted packet (folder, zip, single file) into in-memory file entries.

Nothing is extracted to disk: zip members are read into memory under size, count
and ratio limits, so traversal names and bombs become `rejected` entries (later
`PKT-UNREADABLE-FILE` findings) and never touch the file system. The input is
only ever opened for reading.
"""

from __future__ import annotations

import io
import json
import posixpath
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from extractors.sniff import sniff

MANIFEST = "manifest.json"
_SKIP_NAMES = {".DS_Store", "Thumbs.db", "desktop.ini"}


@dataclass
class Limits:
    max_file_bytes: int = 200 * 1024 * 1024
    max_zip_members: int = 2000
    max_zip_total_bytes: int = 1024 * 1024 * 1024
    max_zip_ratio: float = 200.0
    max_zip_depth: int = 2


@dataclass
class FileEntry:
    path: str  # relative to the packet root, with forward slashes
    data: bytes = b""
    rejected: str | None = None  # why the file cannot be read, if it cannot


@dataclass
class Packet:
    source: str
    files: list[FileEntry] = field(default_factory=list)
    manifest: dict = field(default_factory=dict)


def _zip_member_name(info: zipfile.ZipInfo) -> str:
    """Member names without the UTF-8 flag are GBK on Chinese Windows; zipfile assumed cp437."""
    name = info.filename
    if not info.flag_bits & 0x800:
        try:
            raw = name.encode("cp437")
        except UnicodeEncodeError:
            return name
        for codec in ("utf-8", "gb18030"):
            try:
                return raw.decode(codec)
            except UnicodeDecodeError:
                continue
    return name


def _safe_member_path(name: str) -> str | None:
    name = name.replace("\\", "/")
    if name.startswith("/") or (len(name) > 1 and name[1] == ":"):
        return None
    parts = [p for p in name.split("/") if p not in ("", ".")]
    if any(p == ".." for p in parts):
        return None
    return "/".join(parts)


def _read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, cap: int) -> bytes:
    """Read at most `cap` bytes: a member's declared size can lie."""
    with archive.open(info) as fh:
        data = fh.read(cap + 1)
    if len(data) > cap:
        raise ValueError("unpacks beyond the size limit")
    return data


def _is_packet_zip(data: bytes) -> bool:
    return sniff(data) == "zip"


def _entries_from_zip(data: bytes, prefix: str, limits: Limits, depth: int, budget: list[int]) -> list[FileEntry]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        return [FileEntry(prefix.rstrip("/") or "packet.zip", rejected=f"损坏的压缩包：{exc}")]
    entries: list[FileEntry] = []
    members = [i for i in infos if not i.is_dir()]
    if len(members) > limits.max_zip_members:
        entries.append(
            FileEntry(prefix or "packet.zip", rejected=f"压缩包含 {len(members)} 个文件，超过上限 {limits.max_zip_members}")
        )
        members = members[: limits.max_zip_members]
    for info in members:
        raw_name = _zip_member_name(info)
        safe = _safe_member_path(raw_name)
        shown = prefix + (safe or raw_name)
        if safe is None:
            entries.append(FileEntry(prefix + raw_name, rejected="压缩包成员路径越界（路径穿越），已拒绝"))
            continue
        if Path(safe).name in _SKIP_NAMES or safe.startswith("__MACOSX/"):
            continue
        if info.flag_bits & 0x1:
            entries.append(FileEntry(shown, rejected="压缩包成员已加密，无法读取"))
            continue
        ratio = info.file_size / max(info.compress_size, 1)
        if ratio > limits.max_zip_ratio and info.file_size > 1024 * 1024:
            entries.append(FileEntry(shown, rejected=f"压缩比 {ratio:.0f}:1 异常（疑似压缩炸弹），已拒绝"))
            continue
        cap = min(limits.max_file_bytes, budget[0])
        try:
            member = _read_member(archive, info, cap)
        except ValueError:
            entries.append(FileEntry(shown, rejected="解压后超过大小上限（疑似压缩炸弹），已拒绝"))
            continue
        except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError, RuntimeError) as exc:
            entries.append(FileEntry(shown, rejected=f"压缩包成员损坏：{exc}"))
            continue
        budget[0] -= len(member)
        if _is_packet_zip(member) and depth < limits.max_zip_depth:
            entries.extend(_entries_from_zip(member, shown + "/", limits, depth + 1, budget))
        else:
            entries.append(FileEntry(shown, member))
    return entries


def _read_file(path: Path, limits: Limits) -> bytes | str:
    size = path.stat().st_size
    if size > limits.max_file_bytes:
        return f"文件大小 {size} 字节，超过上限 {limits.max_file_bytes}"
    return path.read_bytes()


def _entries_from_folder(root: Path, limits: Limits) -> list[FileEntry]:
    entries: list[FileEntry] = []
    resolved_root = root.resolve()
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root).as_posix()
        if path.is_dir() or path.name in _SKIP_NAMES or any(p.startswith(".") for p in rel.split("/")):
            continue
        if path.is_symlink() and resolved_root not in path.resolve().parents:
            entries.append(FileEntry(rel, rejected="符号链接指向包外，已拒绝"))
            continue
        if not path.is_file():
            continue
        content = _read_file(path, limits)
        if isinstance(content, str):
            entries.append(FileEntry(rel, rejected=content))
        elif _is_packet_zip(content):
            entries.extend(_entries_from_zip(content, rel + "/", limits, 1, [limits.max_zip_total_bytes]))
        else:
            entries.append(FileEntry(rel, content))
    return entries


def _take_manifest(packet: Packet) -> None:
    """manifest.json at the root, or inside the one folder a zip often wraps everything in."""
    candidates = [e for e in packet.files if posixpath.basename(e.path) == MANIFEST and e.path.count("/") <= 1]
    for entry in sorted(candidates, key=lambda e: e.path.count("/"))[:1]:
        if not entry.rejected:
            packet.files.remove(entry)
            try:
                packet.manifest = json.loads(entry.data.decode("utf-8-sig"))
            except (ValueError, UnicodeDecodeError):
                packet.files.append(FileEntry(entry.path, rejected="manifest.json 不是有效的 JSON"))


def load_packet(path: Path, limits: Limits | None = None) -> Packet:
    """Read a packet from a folder, a zip or a single file. Raises FileNotFoundError."""
    limits = limits or Limits()
    if not path.exists():
        raise FileNotFoundError(str(path))
    packet = Packet(source=str(path))
    if path.is_dir():
        packet.files = _entries_from_folder(path, limits)
    else:
        content = _read_file(path, limits)
        if isinstance(content, str):
            packet.files = [FileEntry(path.name, rejected=content)]
        elif _is_packet_zip(content):
            packet.files = _entries_from_zip(content, "", limits, 1, [limits.max_zip_total_bytes])
            # A zip wrapping one folder: members are named relative to the zip itself.
        else:
            packet.files = [FileEntry(path.name, content)]
    _take_manifest(packet)
    return packet
