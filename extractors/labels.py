"""Labels as printed and the text of boxes: what the layout reader matches and measures.

A label is matched against a document type's vocabulary of wordings: spread apart or
read across several boxes (the reader joins them), with an optional colon, one
character misread in a wording of three or more standing alone, and printed misprints
listed as wordings of their own.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from extractors.page import Line, Page

SEPARATORS = "：:;；,，.。、 "  # 、 too: a colon or a speck before a value reads as one
TRAILING = "：:;；,， "  # a value's closing 。 is part of what was printed
# a label inside a box starts after one of these (…服务）；住所 / 李明 民族汉)
_BREAKS = set(" \u3000：:;；,，.。、)）]】")


def units(text: str) -> float:
    """Printed width in ems: ASCII letters and digits are about half as wide as CJK."""
    return sum(0.3 if ch.isspace() else 0.55 if ord(ch) < 128 else 1.0 for ch in text)


def x_at(line: Line, index: int) -> float:
    """The page x where character `index` of `line.text` starts (proportional estimate)."""
    total = units(line.text) or 1.0
    return line.x0 + (line.x1 - line.x0) * units(line.text[:index]) / total


def strip_index(raw: str, compact_index: int) -> int:
    """The index in `raw` of the character after the first `compact_index` non-space ones."""
    seen = 0
    for i, ch in enumerate(raw):
        if seen == compact_index:
            return i
        if not ch.isspace():
            seen += 1
    return len(raw)


def compact(text: str) -> str:
    return "".join(text.split())


def union_box(lines: Iterable[Line]) -> list[float] | None:
    """The box around every line that has one."""
    boxes = [ln.bbox for ln in lines if ln.bbox]
    if not boxes:
        return None
    return [min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes)]


def overlaps(a, b) -> bool:
    """Whether two boxes (x0, y0, x1, y1) share some area."""
    return bool(a and b) and min(a[2], b[2]) > max(a[0], b[0]) and min(a[3], b[3]) > max(a[1], b[1])


def _in_row(line: Line, ref: Line) -> bool:
    """Centres within half the smaller height; a speck (under half the other's height)
    whose centre lies inside the other box belongs to its row."""
    if abs(line.cy - ref.cy) <= 0.5 * max(min(line.height, ref.height), 4):
        return True
    small, large = sorted((line, ref), key=lambda b: b.height)
    return small.height < 0.5 * large.height and large.y0 < small.cy < large.y1


def rows_of(page: Page) -> list[list[Line]]:
    """Lines grouped into visual rows (for tables, whose reading order is row-major)."""
    rows: list[list[Line]] = []
    for line in page.lines:
        if rows and line.bbox and rows[-1][0].bbox:
            if _in_row(line, rows[-1][0]) and line.x0 >= rows[-1][-1].x0:
                rows[-1].append(line)
                continue
        rows.append([line])
    return rows


@dataclass
class Vocabulary:
    """A document type's labels: field name -> printed wordings (plain text, any
    spacing). Names starting with `_` are labels that only bound other values (编号)."""

    wordings: dict[str, tuple[str, ...]]

    def __post_init__(self) -> None:
        self._all = sorted(((w, n) for n, ws in self.wordings.items() for w in ws), key=lambda p: -len(p[0]))
        # a wording of four or more less its last character, where that names one field alone
        self._heads = [(wording[:-1], name, wording[-1]) for wording, name in self._all
                       if len(wording) >= 4 and {n for w, n in self._all if w.startswith(wording[:-1])} == {name}]

    def at_start(self, text: str) -> tuple[str, str, float] | None:
        """(name, wording, score) of a label that begins `text` (compact): exact wordings
        first, longest first; else one misread character in a wording of three or more
        standing alone in its box; else one of four or more that lost its last character
        to the value glued after it."""
        for wording, name in self._all:
            if text.startswith(wording):
                return name, wording, 1.0
        for wording, name in self._all:
            n = len(wording)
            # a wrapped line of prose can start with three characters one off a label
            # (经营活动… / 经营者): only a box holding the label alone, or with a colon
            # (read as one or as a semicolon)
            colon = len(text) > n and text[n] in "：:；;"
            if n >= 3 and (len(text) == n or colon) and sum(a != b for a, b in zip(text[:n], wording)) == 1 \
                    and (text[0] == wording[0] or (n >= 4 and colon)):  # 非印日期： for 打印日期：
                return name, wording, 0.9
        for head, name, last in self._heads:
            # a label of four or more glued to its value with its last character lost
            # (法定代表蒋强晓): its other characters name it alone
            if text.startswith(head) and len(text) > len(head) and text[len(head)] != last:
                return name, head, 0.9
        return None

    def inside(self, text: str, after_label: bool, start_from: int = 1) -> tuple[int, str, str] | None:
        """(index, name, wording) of the first exact label inside `text` (compact) from
        `start_from` on: after a break character, or anywhere in a box that began with a
        label (性别男民族汉), or for a wording of four or more."""
        best = None
        for wording, name in self._all:
            start = text.find(wording, max(start_from, 1))
            while start > 0:
                if after_label or len(wording) >= 4 or text[start - 1] in _BREAKS:
                    if best is None or start < best[0]:
                        best = (start, name, wording)
                    break
                start = text.find(wording, start + 1)
        if best is not None and text[best[0] - 1] not in _BREAKS:
            # 有限公司类型: the value's 公司 and the label 类型, not the wording 公司类型
            start, name, wording = best
            shorter = [w for w in self.wordings[name] if len(w) < len(wording) and wording.endswith(w)]
            if shorter:
                cut = len(wording) - len(max(shorter, key=len))
                best = (start + cut, name, wording[cut:])
        return best

    def wordings_of_length(self, length: int | None) -> list[tuple[str, str]]:
        """(wording, name) pairs, longest first; only those of `length` when given."""
        return [(w, n) for w, n in self._all if length is None or len(w) == length]

    def prefixes(self) -> set[str]:
        """Every proper prefix of a wording: a box holding one may be a spread label's start."""
        return {w[:i] for w, _ in self._all for i in range(1, len(w))}


@dataclass
class Label:
    name: str
    wording: str
    score: float
    boxes: list[Line]  # the box(es) the label was read in
    end_x: float  # where the label's print ends on the page
    tail: str = ""  # text of the last box after the label (a value glued to it)
    tail_line: Line | None = None

    @property
    def x0(self) -> float:
        return self.boxes[0].x0

    @property
    def y0(self) -> float:
        return min(b.y0 for b in self.boxes)

    @property
    def y1(self) -> float:
        return max(b.y1 for b in self.boxes)

    @property
    def height(self) -> float:
        return max(b.height for b in self.boxes)
