"""PDF: the text layer where there is a usable one, otherwise render and OCR.

Text runs and their boxes come from pdfium's text page (about 200 pages/s here);
pdfplumber, which builds a Python object per character (about 10 pages/s), is kept
for what it does best, ruled tables, on pages that draw lines at all.
"""

from __future__ import annotations

import io
import logging

import numpy as np
import pypdfium2.raw as pdfium_c

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


def _layer_lines(pdf_page, scale: float) -> list[Line]:
    """Text runs with their boxes from pdfium's text page (fast, C); PDF points are
    bottom-up, page-image pixels top-down."""
    textpage = pdf_page.get_textpage()
    height = pdf_page.get_height()
    lines = []
    try:
        for index in range(textpage.count_rects()):
            left, bottom, right, top = textpage.get_rect(index)
            raw = textpage.get_text_bounded(left, bottom, right, top)
            text = "".join(raw.split()) if _mostly_cjk(raw) else " ".join(raw.split())
            if text:
                box = (left * scale, (height - top) * scale, right * scale, (height - bottom) * scale)
                lines.append(Line(text=text, bbox=tuple(round(v, 1) for v in box), confidence=1.0))
    finally:
        textpage.close()
    return lines


def _object_kinds(pdf_page) -> set[int]:
    return {obj.type for obj in pdf_page.get_objects(max_depth=2)}


def _tables(plumber_page, scale: float) -> list[Table]:
    """Ruled tables, by pdfplumber (slow, so only asked of pages that draw paths)."""
    tables = []
    for found in plumber_page.find_tables():
        rows = [[_clean_cell(c) for c in row] for row in found.extract()]
        x0, top, x1, bottom = found.bbox
        tables.append(Table(rows=rows, bbox=(x0 * scale, top * scale, x1 * scale, bottom * scale)))
    return tables


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
            pdf_page = document[index]
            try:
                lines = _layer_lines(pdf_page, scale)
                kinds = _object_kinds(pdf_page)
            except Exception as exc:  # a broken content stream: fall back to OCR of the render
                log.warning("%s p%d: text layer unreadable (%s)", name, number, exc)
                lines, kinds = [], set()
            if _usable_text("".join(line.text for line in lines)):
                width, height = pdf_page.get_size()
                page = Page(file=name, number=number, source="text_layer", lines=lines,
                            width=width * scale, height=height * scale)
                if pdfium_c.FPDF_PAGEOBJ_PATH in kinds and index < len(plumber.pages):
                    try:
                        page.tables = _tables(plumber.pages[index], scale)
                    except Exception as exc:
                        log.warning("%s p%d: tables unreadable (%s)", name, number, exc)
                    plumber.pages[index].flush_cache()  # keeps memory flat over long PDFs
                if kinds & {pdfium_c.FPDF_PAGEOBJ_IMAGE, pdfium_c.FPDF_PAGEOBJ_PATH}:
                    page.image = _render(document, index, SEAL_RENDER_DPI)  # e-seals are pictures or paths
                    page.image_scale = SEAL_RENDER_DPI / ctx.render_dpi
            else:
                try:
                    image = _render(document, index, ctx.render_dpi)
                except Exception as exc:
                    ctx.notes.append((name, f"第 {number} 页无法渲染：{exc}"))
                    continue
                page = ctx.ocr_page(name, number, image)
            pages.append(page)
    finally:
        plumber.close()
        document.close()
    if not pages:
        raise UnreadableFile("PDF 没有可读取的页面")
    return pages
