"""Tables as rows of named columns, from structured tables (docx, xlsx, PDF text layer)
or rebuilt from OCR box geometry; a table may continue over pages without a header."""

from __future__ import annotations

import re

import numpy as np

from extractors.ink import INK, true_runs, without_watermark_boxes
from extractors.labels import compact, rows_of
from extractors.page import Line, Page
from extractors.row_rereads import overlap_dropped


def _column_for(header_text: str, columns: dict[str, str]) -> str | None:
    for name, pattern in columns.items():
        if re.search(pattern, header_text):
            return name
    return None


def _from_structured(pages: list[Page], columns: dict[str, str]) -> list[dict]:
    out: list[dict] = []
    mapping: dict[int, str] | None = None
    for page in pages:
        for table in page.tables:
            for row in table.rows:
                cells = [compact(c) if c else "" for c in row]
                found = {i: _column_for(c, columns) for i, c in enumerate(cells) if c}
                found = {i: n for i, n in found.items() if n}
                if len(set(found.values())) >= 2:  # a header row
                    mapping = found
                    continue
                if mapping and any(cells):
                    record = {name: (cells[i] if i < len(cells) and cells[i] else None) for i, name in mapping.items()}
                    record["_confidence"] = 1.0
                    out.append(record)
    return out


def _header(rows: list[list[Line]], columns: dict[str, str]) -> tuple[int, dict[str, tuple[float, float]]] | None:
    for r, row in enumerate(rows):
        spans: dict[str, tuple[float, float]] = {}
        for line in row:
            name = _column_for(compact(line.text), columns)
            if name and name not in spans:
                spans[name] = (line.x0, line.x1)
        if len(spans) >= 2:
            return r, spans
    return None


def _assign(line: Line, centres: dict[str, float], bounds: list[tuple[str, float, float]]) -> str:
    cx = (line.x0 + line.x1) / 2
    for name, left, right in bounds:
        if left <= cx < right:
            return name
    return min(centres, key=lambda n: abs(centres[n] - cx))


def _gap_near(page: Page, line: Line, x: float) -> float | None:
    """The middle of the blank run in a box's ink nearest page x `x`, within a line
    height and a half of it; `x` itself where the image shows nothing of the box; None
    where its ink runs on there (a value's last character past a column's bound)."""
    f, h = page.image_scale, line.height
    x0, y0, x1, y1 = (int(round(v * f)) for v in line.bbox)
    grey = page.image[max(y0, 0) : y1, max(x0, 0) : x1, 2]
    if grey.size == 0 or grey.shape[1] < x1 - max(x0, 0):
        return x
    blank = true_runs(~(grey < INK).any(axis=0))
    middles = [line.x0 + (a + b) / 2 / f for a, b in blank if b - a >= 0.5 * h * f]  # wider than between characters
    near = [m for m in middles if abs(m - x) <= 1.5 * h]
    return min(near, key=lambda m: abs(m - x)) if near else None


def _placed(parts: list[tuple[Line, int]], centres: dict[str, float],
            bounds: list[tuple[str, float, float]]) -> list[tuple[Line, str]]:
    """Each box of a row (with the index of the detected box it was parted from) and its
    column; a detected box touching the one before it (2025-12至2026- | 10, the
    detector's cut inside one value) continues that box's cell, whatever bound it
    crosses: cells of a table stand apart."""
    placed: list[tuple[Line, str]] = []
    for i, (line, origin) in enumerate(parts):
        before, before_origin = parts[i - 1] if i else (None, origin)
        touching = before is not None and origin != before_origin and bool(before.bbox and line.bbox) \
            and line.x0 < before.x1 + 0.3 * min(line.height, before.height)
        placed.append((line, placed[-1][1] if touching else _assign(line, centres, bounds)))
    return placed


def _parted(page: Page, line: Line, bounds: list[tuple[str, float, float]]) -> list[Line]:
    """A box the detector ran across several columns (a row read as one line:
    唐娜鹏培训讲师3625…) parted at the gaps in its ink by the columns' bounds, each part
    read again on its own; the box as it is where it reaches a character's width into
    one column only, where no gap lies by a bound, or where the page cannot be read again."""
    if page.reread is None or page.image is None or not line.bbox:
        return [line]
    cuts = [_gap_near(page, line, right) for _, _, right in bounds[:-1] if line.x0 + line.height < right < line.x1 - line.height]
    edges = [line.x0, *sorted(c for c in cuts if c is not None), line.x1]
    inside = [(a, b) for a, b in zip(edges, edges[1:]) if b - a > line.height]
    if len(inside) < 2:
        return [line]
    parts = [page.reread((a, line.y0, b, line.y1), 1.0) for a, b in inside]
    parts = [Line(part.text, (a, line.y0, b, line.y1), min(part.confidence, line.confidence))
             for part, (a, b) in zip(parts, inside) if part is not None and compact(part.text)]
    return parts or [line]


def _from_geometry(pages: list[Page], columns: dict[str, str], row_filter) -> list[dict]:
    out: list[dict] = []
    spans = None
    for index, page in enumerate(pages):
        on_page: list[dict] = []
        rows = rows_of(page)
        header = _header(rows, columns)
        start = 0
        if header:
            start, spans = header[0] + 1, header[1]
        if spans is None:
            continue
        page_spans = spans if header else _shifted(spans, rows)
        ordered = sorted(page_spans.items(), key=lambda kv: kv[1][0])
        centres = {n: (a + b) / 2 for n, (a, b) in ordered}
        header_widths = {n: b - a for n, (a, b) in ordered}
        bounds = []
        for k, (name, _) in enumerate(ordered):
            left = (centres[ordered[k - 1][0]] + centres[name]) / 2 if k else float("-inf")
            right = (centres[name] + centres[ordered[k + 1][0]]) / 2 if k + 1 < len(ordered) else float("inf")
            bounds.append((name, left, right))
        for row in rows[start:]:
            parts = [(part, k) for k, line in enumerate(without_watermark_boxes(page, row)) for part in _parted(page, line, bounds)]
            row = [part for part, _ in parts]
            record: dict = {}
            cells: dict[str, list[Line]] = {}
            placed = _placed(parts, centres, bounds)
            numbered = {name for line, name in placed if name in _NUMBER_CELLS and re.search(r"\d", line.text)}
            for line, name in placed:
                if name in numbered and not re.search(r"\d", line.text):
                    continue  # beside the number, a box without a digit is a watermark's stroke
                text = compact(line.text)
                if cells.get(name):  # 软件工程师 | 师: a box overlapping the one before on a character
                    text = overlap_dropped(page, cells[name][-1], line, text, max(line.height, 8.0))
                record[name] = (record.get(name) or "") + text
                cells.setdefault(name, []).append(line)
            record["_cell_confidence"] = {name: min(ln.confidence for ln in lines) for name, lines in cells.items()}
            record["_cell_x"] = {name: (min(ln.x0 for ln in lines), max(ln.x1 for ln in lines)) for name, lines in cells.items()}
            # how surely the row was read rests on its values, not on its sequence number (a
            # speck in that column reads as N at 0.12)
            record["_confidence"] = min([c for n, c in record["_cell_confidence"].items() if n != "seq"] or [1.0])
            record["_bbox"] = [min(ln.x0 for ln in row), min(ln.y0 for ln in row), max(ln.x1 for ln in row), max(ln.y1 for ln in row)]
            record["_page"] = page.number
            record["_page_index"] = index
            record["_centres"] = centres
            record["_header_widths"] = header_widths
            # the row's own text band: a tall stray box (a watermark's) must not widen it
            record["_band"] = (float(np.median([ln.cy for ln in row])), float(np.median([ln.height for ln in row])))
            if _a_person_row(record):
                _reread_missing(pages, record)  # short cells (a name, a month count) the detector missed
                for column, shape in _SWELLING_CELLS.items():
                    _reread_swollen(page, record, column, cells.get(column), shape)
            _tidy_word_cells(record)
            if row_filter(record):
                out.append(record)
                on_page.append(record)
        _stray_heads(on_page, "role")  # names are too short to judge their alignment by
    return out


def _stray_heads(records: list[dict], column: str) -> None:
    """A word cell that starts one character before its column's other cells line up
    (left-aligned, or centred) while the rest of it lines up with them: that first
    character is a watermark's stroke beside the cell (人软件工程师)."""
    cells = [(r, r["_cell_x"][column], r[column]) for r in records if r.get(column) and column in r.get("_cell_x", {})]
    if len(cells) < 3:
        return
    widths = [(x1 - x0) / len(text) for _, (x0, x1), text in cells]
    em = float(np.median(widths))
    lefts = [x0 for _, (x0, _), _ in cells]
    centres = [(x0 + x1) / 2 for _, (x0, x1), _ in cells]
    for values, key in ((lefts, lambda x0, x1: x0), (centres, lambda x0, x1: (x0 + x1) / 2)):
        mode = float(np.median(values))
        if sum(abs(v - mode) <= 0.3 * em for v in values) < 0.6 * len(values):
            continue  # not the way this column is set
        for record, (x0, x1), text in cells:
            before, after = abs(key(x0, x1) - mode), abs(key(x0 + em, x1) - mode)
            if len(text) >= 4 and before >= 0.6 * em and after <= 0.4 * em:
                record[column] = text[1:]
        return


def _tidy_word_cells(record: dict) -> None:
    """Word cells. A person's name is Chinese characters (and ·): a letter or digit beside it in a
    scanned cell is a speck or a stamp's edge read as text."""
    name = record.get("name")
    stray = re.sub(r"[\u4e00-\u9fff·]", "", name or "")
    if name and stray and len(stray) <= 2 and len(name) - len(stray) >= 2:  # not 验证码：6615…
        record["name"] = re.sub(r"[^\u4e00-\u9fff·]", "", name)
    # a role may hold letters (IT运维工程师), but one lone letter at the edge of a
    # Chinese role (V项目经理) is the same kind of speck
    role = record.get("role")
    if role and (speck := re.fullmatch(r"[^\u4e00-\u9fff]([\u4e00-\u9fff]{3,})|([\u4e00-\u9fff]{3,})[^\u4e00-\u9fff）)]", role)):
        record["role"] = speck.group(1) or speck.group(2)


def _a_person_row(record: dict) -> bool:
    """A row of the table proper: it holds an ID number, or a sequence number and a name
    (its ID cell lost under a stamp); not a title, a footer or a stray mark."""
    if _ID_LIKE.match(record.get("id_number") or ""):
        return True
    return bool(re.fullmatch(r"\d{1,3}", record.get("seq") or "")) and bool(
        re.fullmatch(r"[\u4e00-\u9fff·]{2,5}", record.get("name") or "")
    )


def cell_box(pages: list[Page], record: dict, column: str, width: float) -> tuple[Page, tuple] | None:
    """The page and box of one cell of a geometry-rebuilt row: `width` pixels wide around
    its column's centre, the row's height."""
    if "_page_index" not in record or column not in record.get("_centres", {}):
        return None
    page = pages[record["_page_index"]]
    if page.reread is None or page.image is None:
        return None
    cy, height = record["_band"]
    centres = record["_centres"]
    centre = centres[column]
    # no further than halfway to the next column's centre: its text is not this cell's
    left = max([(c + centre) / 2 for c in centres.values() if c < centre], default=float("-inf"))
    right = min([(c + centre) / 2 for c in centres.values() if c > centre], default=float("inf"))
    x0, x1 = max(centre - width / 2, left), min(centre + width / 2, right)
    # nor over the ink of the row's other cells (a wide period beside a short month count)
    for name, (a, b) in record.get("_cell_x", {}).items():
        if name != column and b < centre:
            x0 = max(x0, b + 2)
        elif name != column and a > centre:
            x1 = min(x1, a - 2)
    return page, (x0, cy - 0.8 * height, x1, cy + 0.8 * height)


def id_cell_width(rows: list[dict]) -> float | None:
    """How wide to read an ID-number cell again: eighteen digits at about 0.6 em of the
    table's median row height; None for a table not rebuilt from geometry."""
    heights = sorted(r["_bbox"][3] - r["_bbox"][1] for r in rows if "_bbox" in r)
    return 18 * 0.62 * heights[len(heights) // 2] if heights else None


def reread_cell(pages: list[Page], record: dict, column: str, width: float, stretch: float = 2.0) -> str | None:
    """Read one cell again as a single line, where the detector split or lost its text."""
    line = reread_cell_line(pages, record, column, width, stretch)
    return compact(line.text) if line else None


def reread_cell_line(pages: list[Page], record: dict, column: str, width: float, stretch: float = 2.0) -> Line | None:
    """`reread_cell`, with the recogniser's confidence."""
    found = cell_box(pages, record, column, width)
    if found is None:
        return None
    page, box = found
    return page.reread(box, stretch)


# Columns worth a second look when empty; an ID number needs its own (stretched) reading.
_SHORT_CELLS = ("name", "months", "role", "phone", "period")
# what a cell of a number column must hold; anything else there is a watermark's stroke
_NUMBER_CELLS = {"months": re.compile(r"\d"), "phone": re.compile(r"\d{5}")}


_DIGIT_LIKE = str.maketrans({"i": "1", "l": "1", "I": "1", "|": "1", "!": "1", "O": "0", "o": "0"})


def _as_digits(text: str) -> str:
    """A number cell read as letters that are digits' shapes (11 read as ii): those
    letters as the digits, when nothing else in the cell is a letter."""
    mapped = text.translate(_DIGIT_LIKE)
    return mapped if re.fullmatch(r"[\d\-]+", mapped) else text


def _reread_missing(pages: list[Page], record: dict) -> None:
    centres = record["_centres"]
    for column in _SHORT_CELLS:
        mine = centres.get(column)
        shape = _NUMBER_CELLS.get(column)
        present = record.get(column) and (shape is None or shape.search(record[column]))
        if mine is None or present or len(centres) < 2:
            continue
        gap = min(abs(c - mine) for c in centres.values() if c != mine)
        if shape is None:
            text = reread_cell(pages, record, column, 0.9 * gap, stretch=1.0)
        else:
            # a month count is short: narrower looks leave out strokes crossing the cell's
            # edge, down to the width of the column's own heading; the surest look that
            # holds a number wins (a stroke read as 2 before the 6 comes at 0.39)
            widths = [0.9 * gap]
            if column == "months":
                widths += [0.5 * gap, 1.2 * record.get("_header_widths", {}).get(column, 0.5 * gap)]
            looks = [reread_cell_line(pages, record, column, w, stretch=1.0) for w in widths]
            readings = [(ln.confidence, _as_digits(compact(ln.text))) for ln in looks if ln is not None]
            text = max((r for r in readings if shape.search(r[1])), default=(0.0, None))[1]
        if text:
            record[column] = text
            record["_confidence"] = min(record["_confidence"], 0.8)  # read without its box


# what a cell read again must hold to replace the first reading
_SWELLING_CELLS = {
    "name": re.compile(r"[\u4e00-\u9fff·]{2,}"),
    "role": re.compile(r"[\u4e00-\u9fff·]{2,}"),
    "months": re.compile(r"\d{1,3}"),
}


def _reread_swollen(page: Page, record: dict, column: str, lines: list[Line] | None, shape: re.Pattern) -> None:
    """A short cell (a name, a role, a month count) whose box the detector swelled over a
    watermark's or stamp's strokes (taller than the row's print), or read unsurely, is
    read again from its dark ink within the row's own band: the recogniser otherwise
    reads the stray strokes as one more character (曾鹏嘉子, 世欧鹏佳, 八产品经理, 724)."""
    if not lines or len(lines) != 1 or page.reread is None or page.image is None:
        return
    line, (cy, height) = lines[0], record["_band"]
    swollen = line.height >= 1.35 * height
    if not swollen and line.confidence >= 0.97 and line.height < 1.2 * height:
        return
    again = page.reread((line.x0, cy - 0.75 * height, line.x1, cy + 0.75 * height), 1.0)
    text = compact(again.text) if again else ""
    # a longer reading adds the strokes as characters, unless it replaces an unsure first
    # reading with a sure one (2 at 0.44 for a 21 crossed by a watermark)
    longer_but_sure = line.confidence < 0.8 and again is not None and again.confidence >= 0.95
    if (
        shape.fullmatch(text)
        and (len(text) <= len(record.get(column) or "") or longer_but_sure)
        and (swollen or again.confidence > line.confidence)
    ):
        record[column] = text
        record["_confidence"] = min(record["_confidence"], again.confidence)


_ID_LIKE = re.compile(r"^[0-9*＊Xx]{15,19}$")


def _shifted(spans: dict[str, tuple[float, float]], rows: list[list[Line]]) -> dict[str, tuple[float, float]]:
    """A continuation page has no header and was scanned with its own offset: move the
    previous page's columns so the ID-number column lands on this page's ID numbers."""
    if "id_number" not in spans:
        return spans
    centres = [(ln.x0 + ln.x1) / 2 for row in rows for ln in row if _ID_LIKE.match(compact(ln.text))]
    if not centres:
        return spans
    a, b = spans["id_number"]
    shift = float(np.median(centres)) - (a + b) / 2
    return {name: (x0 + shift, x1 + shift) for name, (x0, x1) in spans.items()}


def read_table(pages: list[Page], columns: dict[str, str], row_filter) -> list[dict]:
    structured = _from_structured(pages, columns)
    structured = [r for r in structured if row_filter(r)]
    if structured:
        return structured
    return _from_geometry(pages, columns, row_filter)
