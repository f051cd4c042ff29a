"""What every field extractor shares: dates, identifiers with OCR repair, label reading."""

from __future__ import annotations

import re
from dataclasses import dataclass

from stdnum.cn import ric, uscc

from dgintake.models import FieldValue
from extractors.page import Line, Page

# -- dates ------------------------------------------------------------------------------
_CN_DIGITS = {"〇": 0, "零": 0, "○": 0, "O": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_DATE_PATTERNS = [
    # a dot under a stamp or speck reads as : or ·
    re.compile(r"(\d{4})\s*[年.\-/．:：·]\s*(\d{1,2})\s*[月.\-/．:：·]\s*(\d{1,2})\s*日?"),
    re.compile(r"(?<!\d)(\d{4})(\d{2})(\d{2})(?!\d)"),
]
_CN_DATE = re.compile(r"([〇零○O一二三四五六七八九]{4})年([一二三四五六七八九十]{1,3})月([一二三四五六七八九十]{1,3})日")


def _cn_number(text: str) -> int:
    if "十" in text:
        tens, _, ones = text.partition("十")
        return (_CN_DIGITS.get(tens, 1) if tens else 1) * 10 + (_CN_DIGITS.get(ones, 0) if ones else 0)
    return int("".join(str(_CN_DIGITS[c]) for c in text))


def _valid_ymd(y: int, m: int, d: int) -> str | None:
    from datetime import date

    try:
        return date(y, m, d).isoformat()
    except ValueError:
        return None


def parse_date(text: str | None) -> str | None:
    """The first date printed in `text`, as ISO, in any form a Chinese document prints it."""
    if not text:
        return None
    compact = "".join(text.split())
    match = _CN_DATE.search(compact)
    if match:
        year = int("".join(str(_CN_DIGITS[c]) for c in match.group(1)))
        return _valid_ymd(year, _cn_number(match.group(2)), _cn_number(match.group(3)))
    for pattern in _DATE_PATTERNS:
        for match in pattern.finditer(compact):
            iso = _valid_ymd(int(match.group(1)), int(match.group(2)), int(match.group(3)))
            if iso:
                return iso
    return None


def all_dates(text: str) -> list[str]:
    compact = "".join(text.split())
    found = []
    for match in _DATE_PATTERNS[0].finditer(compact):
        iso = _valid_ymd(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        if iso:
            found.append(iso)
    return found


# -- identifiers ----------------------------------------------------------------------
_CONFUSABLE = {
    "0": "ODQ", "O": "0DQ", "D": "0OQ", "Q": "0OD",
    "1": "ILT", "I": "1LT", "L": "1IT", "T": "1IL",
    "2": "Z", "Z": "2", "5": "S", "S": "5", "8": "B", "B": "8", "6": "G", "G": "6",
}


def _single_repairs(code: str, is_valid) -> list[str]:
    found = []
    for i, ch in enumerate(code):
        for alt in _CONFUSABLE.get(ch, ""):
            candidate = code[:i] + alt + code[i + 1 :]
            if is_valid(candidate):
                found.append(candidate)
    return found


def repair(code: str, is_valid) -> tuple[str, bool]:
    """(value, corrected): repaired only when exactly one confusable substitution validates."""
    if is_valid(code):
        return code, False
    candidates = _single_repairs(code, is_valid)
    if len(candidates) == 1:
        return candidates[0], True
    return code, False


def id_checksum_ok(number: str) -> bool:
    """Format, real birth date and check character (GB 11643); no region-age test."""
    if not re.fullmatch(r"\d{17}[\dX]", number):
        return False
    if _valid_ymd(int(number[6:10]), int(number[10:12]), int(number[12:14])) is None:
        return False
    return ric.calc_check_digit(number) == number[-1]


def uscc_ok(code: str) -> bool:
    return uscc.is_valid(code)


USCC_TOKEN = re.compile(r"(?<![0-9A-Z])[0-9A-Z]{18}(?![0-9A-Z])")
ID_TOKEN = re.compile(r"(?<![0-9A-Z])[0-9ILOTSZBGDQ]{17}[0-9XxILOTSZBGDQ](?![0-9A-Z])")
# a masked ID number: some leading digits, a run of asterisks, the last few characters
MASKED_ID_TOKEN = re.compile(r"(?<![0-9])\d{1,14}[*＊]{2,16}\d{0,4}[\dXx](?![0-9])|(?<![0-9])\d{6}[\d*＊xX]{8}\d{3}[\dXx]")


def normalise_code_text(text: str) -> str:
    return "".join(text.split()).upper().replace("＊", "*")


def _find_code(text: str, token: re.Pattern, is_valid) -> tuple[str | None, bool]:
    """The first code-shaped token that validates (possibly after one repair), else the
    first one as read; (value, corrected)."""
    tokens = token.findall(normalise_code_text(text))
    for candidate in tokens:
        value, corrected = repair(candidate, is_valid)
        if is_valid(value):
            return value, corrected
    return (tokens[0], False) if tokens else (None, False)


def find_uscc(text: str) -> tuple[str | None, bool]:
    return _find_code(text, USCC_TOKEN, uscc_ok)


def find_id_number(text: str) -> tuple[str | None, bool]:
    return _find_code(text, ID_TOKEN, id_checksum_ok)


def union_box(lines: list[Line]) -> list[float] | None:
    """The box around every line that has one."""
    boxes = [ln.bbox for ln in lines if ln.bbox]
    if not boxes:
        return None
    return [min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes)]


def field_from_line(page: Page, line: Line, value, factor: float = 1.0, corrected: bool = False,
                    label: str | None = None) -> FieldValue:
    """A value read off one line without its label: the line's confidence scaled by how
    sure the finding is."""
    return FieldValue(value=value, confidence=round(line.confidence * factor, 3), page=page.number,
                      bbox=list(line.bbox) if line.bbox else None, corrected=corrected, label=label)


def code_on_own_line(pages: list[Page], finder) -> FieldValue | None:
    """A code printed under its label, or away from it, on a line of its own."""
    for page in pages:
        for line in page.lines:
            code, corrected = finder(line.text)
            if code:
                return field_from_line(page, line, code, 0.85 if corrected else 0.97, corrected=corrected)
    return None


# -- labels -----------------------------------------------------------------------------
SEPARATORS = "：:;；,，.。 "
TRAILING = "：:;；,， "  # a value's closing 。 is part of what was printed


@dataclass
class Hit:
    value: str
    lines: list[Line]
    page: Page
    label: str
    confidence: float

    def field(self, value=None, corrected: bool = False, confidence: float | None = None) -> FieldValue:
        bbox = union_box(self.lines)
        conf = self.confidence if confidence is None else confidence
        if corrected:
            conf = min(conf, 0.85)
        return FieldValue(
            value=self.value if value is None else value,
            confidence=round(conf, 3),
            page=self.page.number,
            bbox=bbox,
            corrected=corrected,
            label=self.label,
        )


def compact(text: str) -> str:
    return "".join(text.split())


def rows_of(page: Page) -> list[list[Line]]:
    """Lines grouped into visual rows (reading order is already row-major)."""
    rows: list[list[Line]] = []
    for line in page.lines:
        if rows and line.bbox and rows[-1][0].bbox:
            ref = rows[-1][0]
            if abs(line.cy - ref.cy) <= 0.5 * max(min(line.height, ref.height), 4) and line.x0 >= rows[-1][-1].x0:
                rows[-1].append(line)
                continue
        rows.append([line])
    return rows


class LabelReader:
    """Reads `label value` pairs, whether the value shares the label's box, stands to its
    right, or wraps onto following lines; several pairs may share one row (two columns)."""

    def __init__(self, pages: list[Page], labels: dict[str, str]) -> None:
        self.pages = pages
        self.labels = {name: re.compile(pattern) for name, pattern in labels.items()}
        self.any_label = re.compile("|".join(f"(?:{p})" for p in labels.values()))
        # a label the detector glued onto the end of the box before it (…服务）；住所)
        words = {w.strip("^$") for p in labels.values() for w in p.split("|") if len(w.strip("^$")) >= 2}
        self.trailing_label = re.compile(
            "(?:" + "|".join(sorted(words, key=len, reverse=True)) + ")$"
        ) if words else None
        self._rows = [rows_of(page) for page in pages]  # every find walks the same rows

    def _starts_with_label(self, text: str) -> bool:
        match = self.any_label.match(compact(text))
        return bool(match) and match.start() == 0

    def find(self, name: str, multiline: bool = False, max_lines: int = 6) -> Hit | None:
        pattern = self.labels[name]
        for page, rows in zip(self.pages, self._rows):
            for r, row in enumerate(rows):
                for i, line in enumerate(row):
                    text = compact(line.text)
                    match = pattern.search(text)
                    if not match or match.start() > 2:
                        continue
                    rest = text[match.end() :].lstrip(SEPARATORS)
                    used = [line]
                    nxt = self.any_label.search(rest)
                    if nxt and nxt.start() > 0:  # another label shares this box
                        rest = rest[: nxt.start()]
                    elif not nxt:
                        for other in row[i + 1 :]:
                            gap = other.x0 - used[-1].x1
                            if self._starts_with_label(other.text) or (rest and gap > 1.5 * max(line.height, 10)):
                                break  # the next label, or the next column of a two-column form
                            text_of_box = compact(other.text)
                            glued = self.trailing_label.search(text_of_box) if self.trailing_label else None
                            if glued and glued.start() > 0:
                                rest += text_of_box[: glued.start()]
                                used.append(other)
                                break  # what follows belongs to the glued label
                            rest += text_of_box
                            used.append(other)
                    value_x0 = used[-1].x0 if len(used) > 1 else (line.x0 if rest else None)
                    if not rest and r + 1 < len(rows):  # value on the next row (a stacked form)
                        below = [ln for ln in rows[r + 1] if not self._starts_with_label(ln.text)]
                        if below and not line.bbox:
                            rest, used = compact(below[0].text), used + [below[0]]
                    if multiline and line.bbox:
                        rest, used = self._continue(rows, r, line, used, rest, value_x0, max_lines)
                    rest = rest.lstrip(SEPARATORS).rstrip(TRAILING)
                    if rest:
                        conf = min(ln.confidence for ln in used)
                        return Hit(rest, used, page, match.group(0), conf)
        return None

    def find_date(self, name: str) -> FieldValue | None:
        """A labelled date, as ISO, or None when the label is missing or holds no date."""
        hit = self.find(name)
        iso = parse_date(hit.value) if hit else None
        return hit.field(iso) if iso else None

    def _continue(self, rows, r, label_line, used, rest, value_x0, max_lines):
        anchor = used[1] if len(used) > 1 else label_line
        left = anchor.x0 if len(used) > 1 else label_line.x1 - (label_line.x1 - label_line.x0) * 0.6
        right_limit = None
        row = rows[r]
        for other in row:
            if other.x0 > anchor.x1 and self._starts_with_label(other.text):
                right_limit = other.x0
                break
        last = used[-1]
        for next_row in rows[r + 1 : r + 1 + max_lines]:
            # a continuation starts inside the value's column: under the first value line,
            # not in a second column further right (whose label may sit on another row)
            candidates = [
                ln for ln in next_row
                if ln.x0 >= left - 0.6 * last.height - 30 and (right_limit is None or ln.x0 < right_limit - 10)
                and ln.x0 > label_line.x0 + 10 and ln.x0 < anchor.x1 - 10
                and ln.height < 2 * max(last.height, 10)  # not a large watermark's slanted box
            ]
            if not candidates or candidates[0].y0 - last.y1 > 1.2 * max(last.height, 10):
                break
            if any(self._starts_with_label(ln.text) for ln in next_row if ln.x0 <= label_line.x1):
                break
            if self._starts_with_label(candidates[0].text):
                break
            rest += "".join(compact(ln.text) for ln in candidates)
            used.extend(candidates)
            last = candidates[0]
        return rest, used


def empty_fields(names) -> dict[str, FieldValue]:
    return {name: FieldValue() for name in names}


def page_text(pages: list[Page]) -> str:
    return "\n".join(page.text for page in pages)
