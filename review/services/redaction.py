"""ID numbers blacked out of page images for the roles that see them masked.

A page image shows what the text hides: an ID card prints its number whole. For intake
staff and admins the console paints over every line of the page's OCR (`ocr.json`) that
holds an ID-shaped number, and over the box of each `id_number` field read on that page.
Reviewers and approvers get the page as scanned.
"""

from __future__ import annotations

import io
import json

from review.services.masking import ID_PATTERN
from storage.objects import ObjectNotFound, StoreError

PAD = 3  # pixels around each box


def _ocr_boxes(store, packet_id: str, entry: dict) -> list[list[float]]:
    try:
        data = json.loads(store.get(f"packets/{packet_id}/derived/ocr.json"))
    except (ObjectNotFound, StoreError, ValueError):
        return []
    boxes = []
    for page in data.get("pages", []) if isinstance(data, dict) else []:
        if not isinstance(page, dict) or page.get("file") != entry["file"] or page.get("page") != entry["page"]:
            continue
        for line in page.get("lines") or []:
            text = str((line or {}).get("text") or "").replace(" ", "")
            if ID_PATTERN.search(text) and isinstance(line.get("bbox"), list) and len(line["bbox"]) == 4:
                boxes.append(line["bbox"])
    return boxes


def _field_boxes(result: dict, entry: dict) -> list[list[float]]:
    boxes = []
    for document in (result or {}).get("documents", []):
        if document.get("file") != entry["file"]:
            continue
        for name, field in (document.get("fields") or {}).items():
            if name != "id_number" or not isinstance(field, dict) or field.get("page") not in (None, entry["page"]):
                continue
            if isinstance(field.get("bbox"), list) and len(field["bbox"]) == 4:
                boxes.append(field["bbox"])
    return boxes


def boxes(store, packet_id: str, entry: dict, result: dict | None) -> list[tuple[int, int, int, int]]:
    """Pixel boxes on the page's JPEG to paint over."""
    scale = entry["bbox_scale"]
    found = []
    for x0, y0, x1, y1 in _ocr_boxes(store, packet_id, entry) + _field_boxes(result or {}, entry):
        try:
            found.append((int(x0 * scale) - PAD, int(y0 * scale) - PAD, int(x1 * scale) + PAD, int(y1 * scale) + PAD))
        except (TypeError, ValueError):
            continue
    return found


def redact(data: bytes, areas: list[tuple[int, int, int, int]]) -> bytes:
    if not areas:
        return data
    from PIL import Image, ImageDraw

    with Image.open(io.BytesIO(data)) as picture:
        image = picture.convert("RGB")
    draw = ImageDraw.Draw(image)
    for area in areas:
        draw.rectangle(area, fill=(20, 20, 20))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85)
    return buffer.getvalue()
