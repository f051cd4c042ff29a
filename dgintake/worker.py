"""Processing one registered packet: claim it with a lease, run the pipeline, keep the
page images and OCR lines for the console, store the result, queue it for review.

The lease is the database's: a worker heartbeats while it works; a worker that dies
(even by `kill -9`) stops heartbeating and its packet is claimable again once the lease
runs out. A result is stored only by the worker that still holds the lease.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import tempfile
import threading
import uuid
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import cv2
from sqlalchemy.exc import InterfaceError, OperationalError

from dgintake.pipeline import PagesListener, process
from dgintake.settings import Settings
from extractors.page import Page
from storage import packets as repo
from storage import queries
from storage.db import session_scope
from storage.models import Packet
from storage.objects import ObjectStore, StoreError

log = logging.getLogger(__name__)

TRANSIENT = (StoreError, OperationalError, InterfaceError, ConnectionError, TimeoutError)


def worker_name(settings: Settings) -> str:
    base = settings.worker_id or f"{socket.gethostname()}:{os.getpid()}"
    return f"{base}:{uuid.uuid4().hex[:6]}"


@dataclass
class Outcome:
    packet_id: str
    state: str  # processed | skipped | retry | failed
    reason: str | None = None
    pages: int = 0


class Heartbeat:
    """Extends the lease every third of its length until stopped."""

    def __init__(self, settings: Settings, packet_id: str, worker: str) -> None:
        self.settings, self.packet_id, self.worker = settings, packet_id, worker
        self.lost = False
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._beat, name=f"lease-{packet_id}", daemon=True)

    def _beat(self) -> None:
        interval = max(1.0, self.settings.lease_seconds / 3)
        while not self._stop.wait(interval):
            try:
                with session_scope(self.settings.db_url) as session:
                    if not repo.heartbeat(session, self.packet_id, self.worker, self.settings.lease_seconds):
                        self.lost = True
                        return
            except TRANSIENT as exc:  # the database is away: keep trying, the lease may still hold
                log.warning("heartbeat for %s failed: %s", self.packet_id, exc)

    def __enter__(self) -> Heartbeat:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join(timeout=5)


def fetch_originals(store: ObjectStore, packet: Packet, into: Path) -> Path:
    """Lay the packet's originals out as they were dropped; the path to process."""
    root = into / "packet"
    if not packet.source_is_folder and len(packet.files) == 1:
        target = into / packet.files[0].path
        target.write_bytes(store.get(packet.files[0].key))
        return target
    for original in packet.files:
        target = root / original.path
        if root.resolve() not in target.resolve().parents:
            raise ValueError(f"original path leaves the packet: {original.path!r}")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(store.get(original.key))
    return root


def keep_derived(store: ObjectStore, packet_id: str, pages: list[Page]) -> None:
    """Page images (JPEG) and the OCR lines of each page under packets/<id>/derived/."""
    prefix = f"packets/{packet_id}/derived/"
    index, lines = [], []
    for n, page in enumerate(pages, start=1):
        entry = {"index": n, "file": page.file, "page": page.number, "source": page.source, "rotation": page.rotation}
        if page.image is not None:
            ok, encoded = cv2.imencode(".jpg", page.image, [cv2.IMWRITE_JPEG_QUALITY, 85])
            if ok:
                key = f"{prefix}pages/{n:04d}.jpg"
                store.put(key, encoded.tobytes(), "image/jpeg")
                height, width = page.image.shape[:2]
                entry.update(key=key, width=width, height=height, bbox_scale=page.image_scale)
        index.append(entry)
        lines.append(
            {
                "file": page.file,
                "page": page.number,
                "lines": [{"text": ln.text, "bbox": ln.bbox, "confidence": round(ln.confidence, 4)} for ln in page.lines],
            }
        )
    store.put(prefix + "pages.json", json.dumps({"pages": index}, ensure_ascii=False).encode(), "application/json")
    store.put(prefix + "ocr.json", json.dumps({"pages": lines}, ensure_ascii=False).encode(), "application/json")


def process_one(packet_id: str, store: ObjectStore, settings: Settings, worker: str, judged_on: date | None = None,
                on_pages: PagesListener | None = None) -> Outcome:
    """Claim, process and store one packet. Transient errors (store or database away)
    propagate so the caller retries; anything else is a failed attempt. `on_pages`
    follows the reading (pages read, pages expected)."""
    with session_scope(settings.db_url) as session:
        attempt_id = repo.claim(session, packet_id, worker, settings.lease_seconds)
    if attempt_id is None:
        return Outcome(packet_id, "skipped")
    try:
        with Heartbeat(settings, packet_id, worker) as beat, tempfile.TemporaryDirectory(prefix="dgintake-") as tmp:
            with session_scope(settings.db_url) as session:
                packet = queries.get(session, packet_id)
                source, submitted_on = packet.source_key, packet.submitted_on
                path = fetch_originals(store, packet, Path(tmp))
            pages: list[Page] = []
            result = process(path, submitted_on, settings, page_sink=pages.extend, on_pages=on_pages)
            document = result.to_json_dict()
            document["packet"]["source"] = source
            keep_derived(store, packet_id, pages)
            store.put(
                f"packets/{packet_id}/derived/result.json",
                json.dumps(document, ensure_ascii=False, indent=1).encode(),
                "application/json",
            )
            page_count = len(pages)
            del pages
            if beat.lost:
                return Outcome(packet_id, "skipped", "lease lost while processing")
        with session_scope(settings.db_url) as session:
            stored = repo.complete(session, packet_id, worker, attempt_id, document, judged_on or date.today())
        return Outcome(packet_id, "processed" if stored else "skipped", pages=page_count)
    except TRANSIENT:
        raise
    except Exception as exc:  # a bug or a hostile file the readers did not contain
        log.exception("processing %s failed", packet_id)
        reason = f"{type(exc).__name__}: {exc}"[:1000]
        with session_scope(settings.db_url) as session:
            state = repo.fail(session, packet_id, worker, attempt_id, reason, settings.max_attempts)
        return Outcome(packet_id, "failed" if state == "failed" else "retry", reason)
