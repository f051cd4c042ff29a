"""File kind by content (magic bytes), never by extension."""

from __future__ import annotations

import io
import zipfile

IMAGE_KINDS = ("jpeg", "png", "tiff", "bmp", "webp", "gif")


def sniff(data: bytes) -> str:
    """Return one of: empty, pdf, jpeg, png, tiff, bmp, webp, gif, docx, xlsx, zip, unknown."""
    if not data:
        return "empty"
    head = data[:16]
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        return "tiff"
    if head.startswith(b"BM") and len(data) > 26:
        return "bmp"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    if head[:4] == b"PK\x03\x04" or head[:4] == b"PK\x05\x06":
        return _office_or_zip(data)
    # A PDF header may follow up to 1 KiB of junk; checked only after every magic at
    # offset 0, so a zip holding a PDF near its start stays a zip.
    if b"%PDF-" in data[:1024]:
        return "pdf"
    return "unknown"


def _office_or_zip(data: bytes) -> str:
    try:
        names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return "zip"  # a broken zip is still reported as a zip, by the packet loader
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    return "zip"
