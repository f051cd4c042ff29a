"""Intake: find what is ready under `incoming/`, register it exactly once, keep its originals.

A unit under `incoming/` is one object (`NAME.zip`, `NAME.pdf`, an image, a Word or
Excel file) or one folder `NAME/…`. A folder is ready when it holds `_READY` or
`manifest.json`, or when nothing under it changed for the quiet period (SERVICE.md).

For each ready unit, in this order, so that nothing is lost whatever fails when:
1. read it and hash it (a folder: its sorted relative paths and file hashes);
2. refuse what cannot become a packet: moved to `rejected/` beside a `.reason.txt`;
3. the same content known already: a `duplicate` record pointing at the first;
4. otherwise copy the files to `packets/<id>/original/`, read each copy back and compare
   its hash, and only then commit the packet's row;
5. only after that commit, remove the unit from `incoming/`.
An intake run that dies between 4 and 5 finds the unit again; the packet's row says it
came from that key, so the run finishes the clean-up instead of calling it a duplicate.
"""

from __future__ import annotations

import hashlib
import io
import logging
import posixpath
import re
import tempfile
import zipfile
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from dgintake.pipeline import limits_from
from dgintake.settings import Settings
from extractors.packet import load_packet
from extractors.sniff import sniff
from storage import audit
from storage import packets as repo
from storage.db import session_scope
from storage.objects import ObjectInfo, ObjectNotFound, ObjectStore, UnsafeKey, check_key

log = logging.getLogger(__name__)

INCOMING, PACKETS, REJECTED = "incoming/", "packets/", "rejected/"
READY_MARKER, MANIFEST = "_READY", "manifest.json"
PACKET_SUFFIXES = (".zip", ".pdf", ".jpg", ".jpeg", ".png", ".tif", ".tiff", ".bmp", ".webp", ".gif", ".docx", ".xlsx")
_PAGE = 500  # objects per listing request


@dataclass
class Unit:
    """One thing dropped under incoming/: an object, or a folder of objects."""

    name: str  # the object's or folder's name below incoming/
    is_folder: bool
    objects: list[ObjectInfo] = field(default_factory=list)

    @property
    def key(self) -> str:
        return INCOMING + self.name + ("/" if self.is_folder else "")

    def relative(self, info: ObjectInfo) -> str:
        return info.key[len(self.key) :] if self.is_folder else posixpath.basename(self.name)


@dataclass
class IntakeCounts:
    registered: int = 0
    duplicates: int = 0
    rejected: int = 0
    waiting: int = 0  # folders not yet ready
    packet_ids: list[str] = field(default_factory=list)

    def add(self, other: IntakeCounts) -> None:
        self.registered += other.registered
        self.duplicates += other.duplicates
        self.rejected += other.rejected
        self.waiting += other.waiting
        self.packet_ids += other.packet_ids


def scan(store: ObjectStore, start_after: str | None = None, max_units: int = 100) -> tuple[list[Unit], str | None]:
    """Up to `max_units` units after the cursor, and the cursor to go on from (None at the end).

    Listing pages through `start_after`; a folder is listed under its own prefix once
    it is met, so a poll never lists more than it hands on.
    """
    units: list[Unit] = []
    cursor = start_after
    while len(units) < max_units:
        page = list(store.list(INCOMING, start_after=cursor, limit=_PAGE))
        if not page:
            return units, None
        index = 0
        while index < len(page) and len(units) < max_units:
            info = page[index]
            rest = info.key[len(INCOMING) :]
            if "/" not in rest:
                units.append(Unit(rest, False, [info]))
                cursor = info.key
                index += 1
                continue
            folder = rest.split("/", 1)[0]
            prefix = INCOMING + folder + "/"
            members = list(store.list(prefix))
            units.append(Unit(folder, True, members))
            cursor = members[-1].key if members else info.key
            # skip this page's members of the folder: the folder was listed whole
            while index < len(page) and page[index].key.startswith(prefix):
                index += 1
        if index < len(page):
            return units, cursor
    return units, cursor


def is_ready(unit: Unit, quiet_seconds: int, now: datetime | None = None) -> bool:
    if not unit.is_folder:
        return True  # an S3 object (and a local one, written by rename) appears whole
    names = {unit.relative(o) for o in unit.objects}
    if READY_MARKER in names or MANIFEST in names:
        return True
    now = now or datetime.now(UTC)
    newest = max((o.modified for o in unit.objects), default=now)
    return now - newest >= timedelta(seconds=quiet_seconds)


def content_hash(files: dict[str, bytes]) -> str:
    """A packet's identity: the file's own hash, or a folder's sorted paths and file hashes."""
    if list(files) == [None]:
        return hashlib.sha256(files[None]).hexdigest()
    lines = "".join(f"{path}\t{hashlib.sha256(data).hexdigest()}\n" for path, data in sorted(files.items()))
    return hashlib.sha256(lines.encode()).hexdigest()


def _safe_name(name: str) -> str:
    """A name for rejected/ that is always a valid key: unsafe characters replaced."""
    cleaned = re.sub(r"[\x00-\x1f\x7f\\]", "_", name).replace("..", "_")
    cleaned = "/".join(part for part in cleaned.split("/") if part not in ("", "."))
    return cleaned[:200] or "unnamed"


class Intake:
    """One intake pass over `incoming/` with a store and a database."""

    def __init__(self, store: ObjectStore, settings: Settings, actor: str = "intake") -> None:
        self.store = store
        self.settings = settings
        self.actor = actor

    # -- the pass --------------------------------------------------------------------
    def run(self, max_units: int = 10_000) -> IntakeCounts:
        counts = IntakeCounts()
        self.finish_cleanups()
        cursor: str | None = None
        while True:
            units, cursor = scan(self.store, cursor, max_units=min(max_units, 100))
            for unit in units:
                counts.add(self.take(unit))
            max_units -= len(units)
            if cursor is None or max_units <= 0:
                return counts

    def finish_cleanups(self) -> None:
        """Remove incoming objects of packets already committed (a run died before removing)."""
        with session_scope(self.settings.db_url) as session:
            pending = [(p.id, p.source_key, p.source_is_folder) for p in repo.uncleared(session)]
        for packet_id, source_key, is_folder in pending:
            keys = [o.key for o in self.store.list(source_key)] if is_folder else [source_key]
            self._remove(keys)
            with session_scope(self.settings.db_url) as session:
                repo.mark_incoming_cleared(session, packet_id)

    def take(self, unit: Unit) -> IntakeCounts:
        counts = IntakeCounts()
        if not is_ready(unit, self.settings.folder_quiet_seconds):
            counts.waiting = 1
            return counts
        with session_scope(self.settings.db_url) as session:
            if repo.rejected_already(session, [(o.key, o.etag) for o in unit.objects]):
                return counts
        try:
            files, reason = self._read(unit)
        except ObjectNotFound:
            return counts  # taken by another run meanwhile
        if reason:
            self.reject(unit, reason)
            counts.rejected = 1
            return counts
        sha = content_hash(files)
        with session_scope(self.settings.db_url) as session:
            first = repo.find_by_content(session, sha)
            if first is not None and first.source_key == unit.key and not first.incoming_cleared:
                first_id = first.id  # this very unit, committed by a run that died before clean-up
            else:
                first_id = None
        if first_id is None and first is None:
            packet_id = repo.packet_id_for(sha)
            new_files = self._keep_originals(unit, packet_id, files)
        else:
            new_files = []
        if first_id is None:
            with session_scope(self.settings.db_url) as session:
                packet, is_new = repo.register(
                    session,
                    name=unit.name,
                    sha256=sha,
                    source_key=unit.key,
                    is_folder=unit.is_folder,
                    files=new_files,
                    actor=self.actor,
                )
                first_id = packet.id
            if is_new:
                counts.registered = 1
                counts.packet_ids.append(first_id)
            else:
                counts.duplicates = 1
        self._remove([o.key for o in unit.objects])
        with session_scope(self.settings.db_url) as session:
            repo.mark_incoming_cleared(session, first_id)
        return counts

    # -- steps -------------------------------------------------------------------------
    def _read(self, unit: Unit) -> tuple[dict, str | None]:
        """The unit's files by relative path (a single object under the key None), or why not."""
        try:
            check_key(unit.key)
        except UnsafeKey:
            return {}, "对象名不安全（含 .. 、控制字符或空路径段），未作为申请材料接收"
        limit = self.settings.max_file_bytes
        members = [o for o in unit.objects if not o.key.endswith("/") and unit.relative(o) != READY_MARKER]
        if not members:
            return {}, "空文件夹：没有任何文件"
        files: dict = {}
        for info in members:
            relative = unit.relative(info)
            try:
                check_key(info.key)
            except UnsafeKey:
                return {}, f"文件名不安全：{relative!r}"
            if info.size > limit:
                return {}, f"文件过大：{relative}（{info.size} 字节，上限 {limit}）"
            files[relative if unit.is_folder else None] = self.store.get(info.key)
        if not unit.is_folder:
            return files, self._single_object_problem(unit.name, files[None])
        if all(len(data) == 0 for data in files.values()):
            return {}, "文件夹里的文件全是空的"
        return files, None

    def _single_object_problem(self, name: str, data: bytes) -> str | None:
        if not data:
            return "空对象（0 字节）"
        kind = sniff(data)
        if kind == "unknown" and not name.lower().endswith(PACKET_SUFFIXES):
            return f"不是可接收的申请材料格式：{name}"
        if kind == "zip":
            try:
                zipfile.ZipFile(io.BytesIO(data)).infolist()
            except (zipfile.BadZipFile, OSError, ValueError):
                return "压缩包已损坏，无法打开"
            with tempfile.TemporaryDirectory() as tmp:
                path = Path(tmp) / "packet.zip"
                path.write_bytes(data)
                loaded = load_packet(path, limits_from(self.settings))
            readable = [entry for entry in loaded.files if not entry.rejected]
            if not readable:
                reasons = "；".join(sorted({entry.rejected for entry in loaded.files if entry.rejected})) or "没有文件"
                return f"压缩包中没有可读的文件：{reasons}"[:500]
        return None

    def _keep_originals(self, unit: Unit, packet_id: str, files: dict) -> list[repo.NewFile]:
        """Copy each file to packets/<id>/original/ and verify the copy by its hash."""
        kept = []
        for info in unit.objects:
            relative = unit.relative(info)
            if info.key.endswith("/") or relative == READY_MARKER:
                continue
            data = files[relative if unit.is_folder else None]
            target = f"{PACKETS}{packet_id}/original/{relative}"
            self.store.copy(info.key, target)
            copied = self.store.get(target)
            expected = hashlib.sha256(data).hexdigest()
            if hashlib.sha256(copied).hexdigest() != expected:
                raise OSError(f"copy of {info.key} to {target} does not match its original")
            kept.append(repo.NewFile(path=relative, key=target, sha256=expected, size=len(data)))
        return kept

    def reject(self, unit: Unit, reason: str) -> None:
        """Move the unit under rejected/ with its reason; each copy is made before its removal.

        An object the store cannot address (a key with `..` segments) can be neither
        copied nor removed: its key is remembered so later polls pass over it."""
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
        base = f"{REJECTED}{stamp}-{_safe_name(unit.name)}"
        stuck = []
        for info in unit.objects:
            if info.key.endswith("/") and info.size == 0:
                continue
            target = base + ("/" + _safe_name(unit.relative(info)) if unit.is_folder else "")
            try:
                self.store.put(target, self.store.get(info.key))
            except UnsafeKey:
                stuck.append(info)
        self.store.put(base + ".reason.txt", f"{unit.key}\n{reason}\n".encode(), "text/plain; charset=utf-8")
        with session_scope(self.settings.db_url) as session:
            audit.audit(session, self.actor, "rejected", None, key=unit.key, reason=reason, moved_to=base)
            for info in stuck:
                repo.remember_rejection(session, info.key, info.etag, reason)
        self._remove([o.key for o in unit.objects if o not in stuck])
        log.warning("rejected %s: %s", unit.key, reason)

    def _remove(self, keys: list[str]) -> None:
        for key in keys:
            try:
                self.store.delete(key)
            except (ObjectNotFound, UnsafeKey):
                pass


def drop(store: ObjectStore, path: Path, name: str | None = None) -> list[tuple[str, int]]:
    """Upload a packet into incoming/: a folder's files first and its `_READY` last."""
    path = Path(path)
    name = name or path.name
    written = []
    if path.is_dir():
        for file in sorted(p for p in path.rglob("*") if p.is_file()):
            key = f"{INCOMING}{name}/{file.relative_to(path).as_posix()}"
            written.append((key, store.put(key, file.read_bytes()).size))
        key = f"{INCOMING}{name}/{READY_MARKER}"
        written.append((key, store.put(key, b"").size))
    else:
        key = f"{INCOMING}{name}"
        written.append((key, store.put(key, path.read_bytes()).size))
    return written

