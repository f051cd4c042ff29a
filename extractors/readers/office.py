"""Word (python-docx) and Excel (openpyxl) files: text and real tables, no OCR needed
except for pictures embedded in a Word file (a scanned licence pasted in, an e-seal)."""

from __future__ import annotations

import io
import warnings
import zipfile

from extractors.page import Line, Page, Table
from extractors.readers.base import ReadContext, UnreadableFile
from extractors.readers.image import decode_frames

MIN_PICTURE_SIDE = 120  # px: smaller pictures are icons and logos, not worth OCR


def _cell_text(cell) -> str:
    return "".join(cell.text.split())


def _docx_tables_and_lines(document) -> tuple[list[Line], list[Table]]:
    from docx.table import Table as DocxTable
    from docx.text.paragraph import Paragraph

    lines: list[Line] = []
    tables: list[Table] = []
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            text = block.text.strip()
            if text:
                lines.append(Line(text=text, bbox=None))
        elif isinstance(block, DocxTable):
            rows: list[list[str | None]] = []
            for row in block.rows:
                cells, seen = [], set()
                for cell in row.cells:
                    key = id(cell._tc)  # merged cells repeat the same element
                    cells.append(_cell_text(cell) if key not in seen else "")
                    seen.add(key)
                rows.append(cells)
                joined = " ".join(c for c in cells if c)
                if joined:
                    lines.append(Line(text=joined, bbox=None))
            tables.append(Table(rows=rows))
    for section in document.sections:  # letterheads sometimes live in the header
        for paragraph in section.header.paragraphs:
            if paragraph.text.strip():
                lines.insert(0, Line(text=paragraph.text.strip(), bbox=None))
    return lines, tables


def read_docx(name: str, data: bytes, ctx: ReadContext) -> list[Page]:
    import docx

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises KeyError, ValueError, BadZipFile …
        raise UnreadableFile(f"Word 文件损坏：{exc}") from exc
    lines, tables = _docx_tables_and_lines(document)
    page = Page(file=name, number=1, source="docx", lines=lines, tables=tables)
    ocr_seconds = 0.0
    for rel in document.part.rels.values():
        if "image" not in rel.reltype or rel.is_external:
            continue
        try:
            frames = decode_frames(rel.target_part.blob, ctx.max_image_pixels)
        except UnreadableFile:
            continue
        for frame in frames[:1]:
            page.images.append(frame)
            if min(frame.shape[:2]) >= MIN_PICTURE_SIDE:
                ocr = ctx.ocr_page(name, 1, frame)
                ocr_seconds += ocr.ocr_seconds
                page.lines.extend(Line(text=ln.text, bbox=None, confidence=ln.confidence) for ln in ocr.lines)
    page.ocr_seconds = ocr_seconds
    return [page]


def _xlsx_value(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # phone numbers typed as numbers come back as 13800138000.0
    if hasattr(value, "strftime"):
        return value.strftime("%Y-%m-%d")
    text = "".join(str(value).split())
    return text or None


def read_xlsx(name: str, data: bytes, ctx: ReadContext) -> list[Page]:
    import openpyxl

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise UnreadableFile(f"Excel 文件损坏：{exc}") from exc
    pages: list[Page] = []
    try:
        for sheet in workbook.worksheets:
            rows = []
            for row in sheet.iter_rows(values_only=True, max_row=5000, max_col=40):
                cells = [_xlsx_value(v) for v in row]
                while cells and cells[-1] is None:
                    cells.pop()
                if any(cells):
                    rows.append(cells)
            if not rows:
                continue
            lines = [Line(text=" ".join(c for c in row if c), bbox=None) for row in rows]
            pages.append(
                Page(file=name, number=len(pages) + 1, source="xlsx", lines=lines, tables=[Table(rows=rows)])
            )
    finally:
        workbook.close()
    if not pages:
        raise UnreadableFile("Excel 文件没有内容")
    return pages
