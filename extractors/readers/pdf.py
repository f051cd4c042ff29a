"""PDF: the text layer where there is a usable one (pdfplumber), otherwise render and OCR."""

from __future__ import annotations

import io
import logging

import numpy as np

from extractors.page import Line, Page, Table
from extractors.readers.base import ReadContext, UnreadableFile

log = logging.getLogger(__name__)
SEAL_RENDER_DPI = 72  # enough to find a red seal on a digital page, cheap to make


def _usable_text(text: str) -> bool:
    compact = "".join(text.split())
    if len(compact) < 8 or "(cid:" in compact:
        return False
    readable = sum(1 for ch in compact if ch.isprintable() and ch != "\ufffd")
    return readable / len(compact) > 0.9


def _render(document, index: int, dpi: int) -> np.ndarray:
    bitmap = document[index].render(scale=dpi / 72)
    array = bitmap.to_numpy()
    if array.ndim == 3 and array.shape[2] == 4:
        array = array[:, :, :3]
    mode = getattr(bitmap, "mode", "BGR")
    if mode.startswith("RGB"):
        array = array[:, :, ::-1]
    return np.ascontiguousarray(array)


def _text_layer_page(name: str, number: int, plumber_page, scale: float) -> Page:
    lines = [
        Line(
            text="".join(item["text"].split()) if _mostly_cjk(item["text"]) else " ".join(item["text"].split()),
            bbox=(
                round(item["x0"] * scale, 1),
                round(item["top"] * scale, 1),
                round(item["x1"] * scale, 1),
                round(item["bottom"] * scale, 1),
            ),
            confidence=1.0,
        )
        for item in plumber_page.extract_text_lines(layout=False, strip=True, return_chars=False)
        if item["text"].strip()
    ]
    tables = []
    if plumber_page.rects or plumber_page.lines:
        for found in plumber_page.find_tables():
            rows = [[_clean_cell(c) for c in row] for row in found.extract()]
            x0, top, x1, bottom = found.bbox
            tables.append(Table(rows=rows, bbox=(x0 * scale, top * scale, x1 * scale, bottom * scale)))
    return Page(
        file=name,
        number=number,
        source="text_layer",
        lines=lines,
        tables=tables,
        width=float(plumber_page.width) * scale,
        height=float(plumber_page.height) * scale,
    )


def _mostly_cjk(text: str) -> bool:
    cjk = sum(1 for ch in text if "\u4e00" <= ch <= "\u9fff")
    return cjk * 2 >= len(text.replace(" ", ""))


def _clean_cell(cell: str | None) -> str | None:
    if cell is None:
        return None
    return "".join(cell.split()) if _mostly_cjk(cell) else " ".join(cell.split())


def _open(data: bytes):
    import pdfplumber
    import pypdfium2 as pdfium

    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise UnreadableFile("PDF 已加密（需要密码），无法读取") from exc
        raise UnreadableFile(f"PDF 文件损坏或不完整：{exc}") from exc
    try:
        plumber = pdfplumber.open(io.BytesIO(data))
        _ = plumber.pages  # parses the page tree; broken files fail here
    except Exception as exc:  # pdfminer raises many unrelated types for broken files
        document.close()
        if "password" in type(exc).__name__.lower() or "encrypt" in str(exc).lower():
            raise UnreadableFile("PDF 已加密（需要密码），无法读取") from exc
        raise UnreadableFile(f"PDF 文件损坏或不完整：{exc}") from exc
    return document, plumber


def read_pdf(name: str, data: bytes, ctx: ReadContext) -> list[Page]:
    document, plumber = _open(data)
    pages: list[Page] = []
    try:
        total = len(document)
        if total == 0:
            raise UnreadableFile("PDF 没有页面")
        if total > ctx.max_pdf_pages:
            ctx.notes.append((name, f"PDF 共 {total} 页，超过上限，仅读取前 {ctx.max_pdf_pages} 页"))
        scale = ctx.render_dpi / 72
        for index in range(min(total, ctx.max_pdf_pages)):
            number = index + 1
            try:
                plumber_page = plumber.pages[index] if index < len(plumber.pages) else None
                text = plumber_page.extract_text() if plumber_page is not None else ""
            except Exception as exc:  # a broken content stream: fall back to OCR of the render
                log.warning("%s p%d: text layer unreadable (%s)", name, number, exc)
                plumber_page, text = None, ""
            if plumber_page is not None and _usable_text(text or ""):
                page = _text_layer_page(name, number, plumber_page, scale)
                if plumber_page.images or plumber_page.curves:
                    page.image = _render(document, index, SEAL_RENDER_DPI)
                    page.image_scale = SEAL_RENDER_DPI / ctx.render_dpi
            else:
                try:
                    image = _render(document, index, ctx.render_dpi)
                except Exception as exc:
                    ctx.notes.append((name, f"第 {number} 页无法渲染：{exc}"))
                    continue
                page = ctx.ocr_page(name, number, image)
            pages.append(page)
            if plumber_page is not None:
                plumber_page.flush_cache()  # keeps memory flat over long PDFs
    finally:
        plumber.close()
        document.close()
    if not pages:
        raise UnreadableFile("PDF 没有可读取的页面")
    return pages
