"""Page images of a packet, from the object store only (`packets/<id>/derived/`).

A request names a packet id (16 hex characters) and a page index (an integer); the key
read is the one the worker wrote into the packet's `pages.json` under the packet's own
prefix, so nothing from the request reaches a path or another packet's objects. Roles that
see ID numbers masked get the pages with those numbers painted over (`redaction`).
"""

from __future__ import annotations

import io
import json
import threading
from collections import OrderedDict

from review.services import redaction
from review.services.errors import NotFound
from review.services.packets import check_id
from storage.objects import ObjectNotFound, StoreError, UnsafeKey


def index(store, packet_id: str) -> list[dict]:
    check_id(packet_id)
    try:
        data = json.loads(store.get(f"packets/{packet_id}/derived/pages.json"))
    except (ObjectNotFound, StoreError, ValueError):
        return []
    pages = data.get("pages") if isinstance(data, dict) else None
    prefix = f"packets/{packet_id}/derived/"
    good = []
    for entry in pages or []:
        if not isinstance(entry, dict) or not isinstance(entry.get("index"), int):
            continue
        key = entry.get("key")
        if not isinstance(key, str) or not key.startswith(prefix) or ".." in key:
            continue
        good.append(
            {
                "index": entry["index"],
                "file": str(entry.get("file") or ""),
                "page": entry.get("page") if isinstance(entry.get("page"), int) else 1,
                "key": key,
                "width": float(entry.get("width") or 1),
                "height": float(entry.get("height") or 1),
                "bbox_scale": float(entry.get("bbox_scale") or 1),
            }
        )
    return good


def _entry(store, packet_id: str, page: int) -> dict:
    entry = next((p for p in index(store, packet_id) if p["index"] == page), None)
    if entry is None:
        raise NotFound("no such page")
    return entry


def image(store, packet_id: str, page: int, redact_for: dict | None = None) -> bytes:
    """The page's JPEG; with `redact_for` (the packet's result) its ID numbers painted over."""
    entry = _entry(store, packet_id, page)
    try:
        data = store.get(entry["key"])
    except (ObjectNotFound, UnsafeKey) as exc:
        raise NotFound("no such page") from exc
    if redact_for is not None:
        data = redaction.redact(data, redaction.boxes(store, packet_id, entry, redact_for))
    return data


THUMB_WIDTH = 180
_thumbs: OrderedDict[tuple[str, str | None], bytes] = OrderedDict()
_thumbs_lock = threading.Lock()
THUMBS_KEPT = 2000  # ~10 kB each


def thumbnail(store, packet_id: str, page: int, redact_for: dict | None = None) -> bytes:
    """A small JPEG of the page for the thumbnail strip, made once per stored version
    of the page and per kind (whole or redacted), kept in memory, never written anywhere."""
    from PIL import Image

    entry = _entry(store, packet_id, page)
    try:
        info = store.stat(entry["key"])
    except (ObjectNotFound, UnsafeKey) as exc:
        raise NotFound("no such page") from exc
    cache_key = (entry["key"], info.etag, redact_for is not None)
    with _thumbs_lock:
        if cache_key in _thumbs:
            _thumbs.move_to_end(cache_key)
            return _thumbs[cache_key]
    with Image.open(io.BytesIO(image(store, packet_id, page, redact_for))) as picture:
        picture.draft("RGB", (THUMB_WIDTH * 2, THUMB_WIDTH * 4))  # JPEG: decode at a fraction of the size
        small = picture.convert("RGB")
        small.thumbnail((THUMB_WIDTH, THUMB_WIDTH * 3))
        buffer = io.BytesIO()
        small.save(buffer, "JPEG", quality=70)
    data = buffer.getvalue()
    with _thumbs_lock:
        _thumbs[cache_key] = data
        while len(_thumbs) > THUMBS_KEPT:
            _thumbs.popitem(last=False)
    return data


def locate(pages: list[dict], file: str | None, page: int | None) -> dict | None:
    """The page image of (file, page within that file)."""
    for entry in pages:
        if entry["file"] == file and entry["page"] == (page or 1):
            return entry
    return None
