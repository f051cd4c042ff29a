"""Readers by file kind (sniffed from content). Adding a kind is one function plus one line."""

from __future__ import annotations

from collections.abc import Callable

from extractors.page import Page
from extractors.readers.base import ReadContext, UnreadableFile
from extractors.readers.image import read_image
from extractors.readers.office import read_docx, read_xlsx
from extractors.readers.pdf import read_pdf
from extractors.sniff import IMAGE_KINDS, sniff

Reader = Callable[[str, bytes, ReadContext], list[Page]]

READERS: dict[str, Reader] = {
    "pdf": read_pdf,
    "docx": read_docx,
    "xlsx": read_xlsx,
    **{kind: read_image for kind in IMAGE_KINDS},
}

_REFUSALS = {
    "empty": "文件为空（0 字节）",
    "zip": "无法读取的压缩包",
    "unknown": "不支持的文件格式（内容不是 PDF、图像、Word 或 Excel）",
}


def expected_pages(data: bytes) -> int:
    """How many pages reading `data` will give, found cheaply (a PDF's page tree, an
    image's frames) for progress reporting; 1 where only reading tells, 0 when refused."""
    kind = sniff(data)
    if kind not in READERS:
        return 0
    try:
        if kind == "pdf":
            import pypdfium2

            with pypdfium2.PdfDocument(data) as document:
                return len(document)
        if kind in IMAGE_KINDS:
            import io

            from PIL import Image

            from extractors.readers.image import MAX_FRAMES

            with Image.open(io.BytesIO(data)) as image:
                return min(getattr(image, "n_frames", 1), MAX_FRAMES)
    except Exception:  # an unreadable file: its reader gives the reason
        return 1
    return 1


def read_file(name: str, data: bytes, ctx: ReadContext) -> list[Page]:
    """Read one file into pages, or raise UnreadableFile with a reviewer-facing reason."""
    kind = sniff(data)
    reader = READERS.get(kind)
    if reader is None:
        raise UnreadableFile(_REFUSALS.get(kind, f"不支持的文件格式：{kind}"))
    return reader(name, data, ctx)


__all__ = ["READERS", "ReadContext", "UnreadableFile", "expected_pages", "read_file"]
