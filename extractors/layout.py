"""Key–value reading by page geometry, shared by every document type.

A form prints labels (名称, 住　　所, 公民身份号码 …) and puts each value to the
label's right, or under it, wrapping back to the value's own left edge. Which text
belongs to which label is decided here from the boxes alone, never from the order a
generator happened to draw them in:

1. labels are found by fuzzy match against the document type's vocabulary
   (page_labels.py): spread apart (名　　称) or split over several boxes, with an
   optional colon, one character misread in a label of three or more, read only in
   half, printed misprints listed as wordings;
2. labels whose boxes overlap horizontally form a column; a column of two labels or
   more bounds the values beside it of the columns left of it (two-column licences);
3. a value is the text right of its label on the same row, up to the next label or
   the column edge, else the line under the label; it continues onto following lines
   that start at the value's left edge, hold no label and are not below the next
   label of the same column. In a ruled grid, a label centred in a tall cell takes the
   whole cell beside it, lines above its row included (ruling.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

from dgintake.models import FieldValue
from extractors.column_split import split_across_columns
from extractors.labels import SEPARATORS, TRAILING, Label, Vocabulary, compact, union_box
from extractors.page import Line, Page
from extractors.page_labels import PageLabels, same_row
from extractors.row_rereads import late_start, overlap_dropped, short_start_read_again, stray_head_dropped
from extractors.ruling import Rule, cell_band, horizontal_rules

__all__ = ["Hit", "LayoutReader", "PageLayout", "Validator", "Vocabulary"]


@dataclass
class Hit:
    """A value found beside its label."""

    value: str
    lines: list[Line]
    page: Page
    label: str
    confidence: float
    # where a value glued into its label's box lies on the page (read again on its own:
    # the recogniser reads 法定代表人孔豪俊 as …人民豪俊, the label's words pulling it)
    glued_box: tuple[float, float, float, float] | None = None

    def field(self, value=None, corrected: bool = False, confidence: float | None = None) -> FieldValue:
        conf = self.confidence if confidence is None else confidence
        if corrected:
            conf = min(conf, 0.85)
        return FieldValue(
            value=self.value if value is None else value, confidence=round(conf, 3), page=self.page.number,
            bbox=union_box(self.lines), corrected=corrected, label=self.label,
        )


class PageLayout(PageLabels):
    """One page's labels, columns and rows, computed once and asked for values."""

    def __init__(self, page: Page, vocabulary: Vocabulary) -> None:
        super().__init__(page, vocabulary)
        self._columns = self._find_columns()
        # a right-hand column's value boxed together with the one left of it is parted
        inner = [(left, top, bottom) for left, _, top, bottom in self._columns
                 if any(right < left for _, right, _, _ in self._columns)]
        inner_labels = [lb.boxes[0] for lb in self.labels if lb.boxes[0].bbox
                        and any(left <= lb.x0 and top <= lb.y0 <= bottom for left, top, bottom in inner)]
        labelled = {id(b) for lb in self.labels for b in [*lb.boxes, lb.tail_line] if b is not None}
        self.lines = split_across_columns(page, self.lines, inner_labels, self.line_height, labelled, self._in_a_cell)

    # -- columns ---------------------------------------------------------------------
    def _find_columns(self) -> list[tuple[float, float, float, float]]:
        """Left and right x, top and bottom y of each group of two or more labels stacked
        one above the other (their boxes overlap horizontally, and no more than a block of
        text apart: the serial number atop a page and 登记机关 at its foot are no column)."""
        groups: list[list[Label]] = []
        near = 12 * self.line_height
        for label in sorted((lb for lb in self.labels if lb.boxes[0].bbox), key=lambda lb: lb.x0):
            for group in groups:
                if any(label.x0 < other.end_x and other.x0 < label.end_x
                       and max(label.y0 - other.y1, other.y0 - label.y1) < near for other in group):
                    group.append(label)
                    break
            else:
                groups.append([label])
        columns = [(min(lb.x0 for lb in g), max(lb.end_x for lb in g), min(lb.y0 for lb in g), max(lb.y1 for lb in g))
                   for g in groups if len({round(lb.y0) for lb in g}) >= 2]
        return sorted(columns)

    def right_edge(self, label: Label) -> float:
        """Where the label's value must stop: the left edge of the next column beside it
        (not one of labels far above or below, such as the title block's 副本号)."""
        reach = 3 * max(label.height, self.line_height)
        for left, _, top, bottom in self._columns:
            if left > label.end_x + 0.5 * label.height and top - reach < label.y0 < bottom + reach:
                return left - 0.3 * label.height
        return float("inf")

    # -- values ----------------------------------------------------------------------
    def value(self, label: Label, multiline: bool, max_lines: int, below: bool) -> tuple[str, list[Line]] | None:
        if not label.boxes[0].bbox:
            return self._value_unboxed(label)
        h = max(label.height, 8.0)
        edge = self.right_edge(label)
        parts: list[str] = []
        used: list[Line] = []
        cut = None
        if label.tail_line is not None:
            whole = compact(label.tail_line.text)
            text, cut = self._text_between(label.tail_line, len(whole) - len(label.tail))
            if cut is not None and not text.strip(SEPARATORS):
                return None
            parts, used = [text], [label.tail_line]
        last_x1 = label.boxes[-1].x1 if not label.tail else label.tail_line.x1
        anchor = label.boxes[-1]
        mine = {id(b) for b in label.boxes} | {id(label.tail_line)}
        # a value box may start under the label's last character (the detector pads boxes)
        row = [] if cut is not None else sorted(
            (ln for ln in self.lines if same_row(ln, anchor) and (ln.x0 + ln.x1) / 2 > last_x1 + 0.3 * h
             and ln.x0 > label.x0 and id(ln) not in mine), key=lambda ln: ln.x0)
        for other in row:
            if other.x0 >= edge:
                break
            if self.label_starting(other):  # the next pair on this row bounds the value's lines
                edge = min(edge, other.x0 - 0.3 * h)
                break
            if parts and other.x0 - last_x1 > 2.5 * h:
                break  # a gap this wide is the next column, even where its labels went unread
            if other.height > 2.2 * self.line_height:
                continue  # a watermark's slanted box
            text, cut = self._text_between(other)
            if not parts and other.x0 < label.boxes[-1].x1 - 0.3 * h and text[:1] == label.wording[-1:]:
                text = text[1:]  # the box reaches back over the label: 关东莞市… beside 签发机关
            elif used:
                text = overlap_dropped(self.page, used[-1], other, text, h)
            parts.append(text)
            used.append(other)
            last_x1 = other.x1
            if cut is not None:
                break
        if cut is not None:  # the next label on this row bounds the value's later lines too
            edge = min(edge, cut - 0.3 * h)
        if not parts and cut is None and (off := self._line_off_row(label, last_x1, edge, mine)) is not None:
            parts, used = [self._text_before_label(off)], [off]
            self._rest_of_row(off, parts, used, edge, h)
        if not parts and below:
            under = self._line_under(label, edge)
            if under is not None:
                parts, used = [self._text_before_label(under)], [under]
                self._rest_of_row(under, parts, used, edge, h)
        if multiline and (cell := self._cell_value(label, parts, used, edge)) is not None:
            return cell  # a ruled cell's lines need not share the label's row at all
        if not parts:
            return None
        if multiline:
            self._continue(label, used, parts, edge, max_lines)
        return "".join(parts), used

    def _cell_value(self, label: Label, parts: list[str], used: list[Line], edge: float) -> tuple[str, list[Line]] | None:
        """In a ruled grid, the whole text of the cell beside the label, when the cell is
        taller than a line (the label centred, the value wrapping above and below it)."""
        h = max(label.height, 8.0)
        if not self.rules:
            return None
        band = cell_band(self.rules, label.x0, label.end_x + h, (label.y0 + label.y1) / 2)
        if band is None or band[1] - band[0] < 1.8 * max(h, self.line_height):
            return None
        top, bottom = band
        inside = lambda ln: top < (ln.y0 + ln.y1) / 2 < bottom  # noqa: E731
        # a cell holds its own label, and at most labels of other pairs on the label's row
        # to its left; anything else inside the band is a frame (a page border), no cell
        if any(lb is not label and inside(lb.boxes[0]) and lb.x0 < edge
               and not (lb.end_x <= label.x0 and same_row(lb.boxes[0], label.boxes[0])) for lb in self.labels):
            return None
        first_text = {id(used[0]): parts[0]} if used else {}
        lines = [ln for ln in self.lines if inside(ln) and label.end_x - 0.5 * h <= ln.x0 < edge
                 and (id(ln) in first_text or (ln not in label.boxes and not self.label_starting(ln)))
                 and ln.height < 2.2 * self.line_height]
        rows: list[list[Line]] = []
        for ln in sorted(lines, key=lambda ln: ln.y0):
            if rows and same_row(rows[-1][0], ln):
                rows[-1].append(ln)
            else:
                rows.append([ln])
        ordered = [ln for row in rows for ln in sorted(row, key=lambda ln: ln.x0)]
        if not ordered or not self._stacked(rows, label):
            return None
        return "".join(first_text.get(id(ln)) or self._text_between(ln)[0] for ln in ordered), ordered

    def _in_a_cell(self, line: Line) -> bool:
        """Whether the line lies in a ruled cell: rules close above and below it (a page's
        frame, rules far apart, is no cell)."""
        band = cell_band(self.rules, line.x0, line.x1, line.cy) if self.rules else None
        return band is not None and band[1] - band[0] <= 6 * self.line_height

    @staticmethod
    def _stacked(rows: list[list[Line]], label: Label) -> bool:
        """Whether a cell's rows and its label's row stand one under the next, as text
        wrapped in one cell does: rows far apart are a frame's contents (a card's title
        and its validity line inside the card's outline), not one cell."""
        h = max(label.height, 8.0)
        spans = sorted([(min(ln.y0 for ln in row), max(ln.y1 for ln in row)) for row in rows]
                       + [(label.y0, label.y1)])
        return all(b[0] - a[1] < 1.5 * h for a, b in zip(spans, spans[1:]))

    @cached_property
    def rules(self) -> list[Rule]:
        """The page's horizontal rules (none without a page image), found on first use."""
        image = self.page.image
        return horizontal_rules(image, self.page.image_scale) if image is not None and self.boxed else []

    def _line_off_row(self, label: Label, start_x: float, edge: float, mine: set[int]) -> Line | None:
        """A value printed beside its label but set off its row by up to a line height (a
        form's values printed out of register with its labels): the nearest box right of
        the label that shares some of its height and is no label and no other's value."""
        h = max(label.height, 8.0)
        centre = (label.y0 + label.y1) / 2
        near = [ln for ln in self.lines if (ln.x0 + ln.x1) / 2 > start_x + 0.3 * h and ln.x0 - start_x < 2.5 * h
                and ln.x0 < edge and abs(ln.cy - centre) < h and min(ln.y1, label.y1) > max(ln.y0, label.y0)
                and ln.height < 2.2 * self.line_height and id(ln) not in mine
                and not self.label_starting(ln) and not self._beside_a_label(ln)]
        return min(near, key=lambda ln: ln.x0) if near else None

    def _line_under(self, label: Label, edge: float) -> Line | None:
        h = max(label.height, 8.0)
        under = [ln for ln in self.lines if ln.y0 > label.y0 + 0.5 * h and ln.y0 - label.y1 < 1.6 * h
                 and label.x0 - 2 * h <= ln.x0 <= label.end_x + 2 * h and ln.x0 < edge
                 and ln.height < 2.2 * self.line_height and not self.label_starting(ln) and not self._beside_a_label(ln)]
        return min(under, key=lambda ln: (ln.y0, ln.x0)) if under else None

    def _rest_of_row(self, start: Line, parts: list[str], used: list[Line], edge: float, h: float) -> None:
        """The boxes after `start` on its row that the detector split off the same line
        of the value, up to the edge, the next label or a gap as wide as a column's."""
        for other in sorted((ln for ln in self.lines if ln is not start and same_row(ln, start) and ln.x0 > start.x0
                             and ln.x0 < edge and ln.height < 2.2 * self.line_height), key=lambda ln: ln.x0):
            if self.label_starting(other) or other.x0 - used[-1].x1 > 2.5 * h:
                return
            text, cut = self._text_between(other)
            parts.append(overlap_dropped(self.page, used[-1], other, text, h))
            used.append(other)
            if cut is not None:
                return

    def _beside_a_label(self, line: Line) -> bool:
        """Whether the line stands right of another label on its row (that label's value)."""
        return any(same_row(lb.boxes[-1], line) and lb.end_x <= line.x0 + 0.5 * lb.height for lb in self.labels)

    def _continue(self, label: Label, used: list[Line], parts: list[str], edge: float, max_lines: int) -> None:
        h = max(label.height, 8.0)
        first = used[0]
        left = first.x0 if first is not label.tail_line else label.end_x
        if first is not label.tail_line and same_row(first, label.boxes[-1]) and first.x0 >= label.end_x - h:
            # the detector padded the value's box back under the label's last character; a
            # value starting further left is printed under the label (a tilted photo puts
            # it on the label's row)
            left = max(left, label.end_x)
        last = used[-1]
        # the label's column starts where its column's labels do (a label read without its
        # first character starts further right than the next label under it)
        column_left = min([label.x0, left] + [a for a, b, _, _ in self._columns if a <= label.x0 <= b]) - 0.5 * h
        taken = {id(ln) for ln in used}
        # a value glued into its label's box starts where the box's proportions put it, which
        # misses the gap printed between label and value: its wrapped lines start where the
        # column's values do, right of its longest label
        latest = left + 2 * h
        if first is label.tail_line:
            latest = max([latest] + [b + 2 * h for a, b, _, _ in self._columns if a <= label.x0 <= b])
        for _ in range(max_lines):
            after = [ln for ln in self.lines if ln.y0 > last.y0 + 0.5 * last.height and left - 1.5 * h <= ln.x0 < edge
                     and ln.height < 2.6 * self.line_height and id(ln) not in taken]
            below = [ln for ln in after if ln.x0 <= latest]
            late = late_start(self.page, after, below, last, left, latest, h)
            if not below and late is None:
                return
            nxt = late.row_start if late else min(below, key=lambda ln: ln.y0)
            if nxt.y0 - last.y1 > 1.3 * max(last.height, h):
                return
            # the next label of this column ends the value, wherever the value's lines are
            if any(lb is not label and column_left <= lb.x0 < edge and lb.y0 < nxt.y1 - 0.3 * h and lb.y1 > last.y1 - 0.2 * h
                   for lb in self.labels):
                return
            if self.label_starting(nxt):
                return
            row = sorted((ln for ln in after if same_row(ln, nxt)), key=lambda ln: ln.x0)
            if late:
                parts.append(late.text)
            for ln in row:
                if ln is not row[0] and ln.x0 - used[-1].x1 > 2.5 * h:
                    break  # the rest of the row is the next column's (a card's back beside its face)
                text, cut = self._text_between(ln)
                if ln is row[0] and not late and ln.x0 > left + 0.8 * h:
                    text = short_start_read_again(self.page, ln, text, left, h)
                if ln is row[0] and first is not label.tail_line:  # an edge set by a value box of its own
                    text = stray_head_dropped(self.page, ln, text, left, h)
                elif ln is not row[0]:
                    text = overlap_dropped(self.page, used[-1], ln, text, h)
                parts.append(text)
                used.append(ln)
                taken.add(id(ln))
                if cut is not None:
                    return
            last = nxt

    def _value_unboxed(self, label: Label) -> tuple[str, list[Line]] | None:
        """Text without boxes (a Word file): the rest of the label's line, else the next line."""
        line = label.boxes[0]
        if label.tail and label.tail_line is not None:
            whole = compact(label.tail_line.text)
            return self._text_between(label.tail_line, len(whole) - len(label.tail))[0], [label.tail_line]
        index = next((i for i, ln in enumerate(self.lines) if ln is line), None)
        if index is not None and index + 1 < len(self.lines) and not self.label_starting(self.lines[index + 1]):
            return self._text_before_label(self.lines[index + 1]), [line, self.lines[index + 1]]
        return None


Validator = Callable[[str], bool]


class LayoutReader:
    """Values by label over a document's pages: `find(name)` gives the first value
    found beside a label of that name that `accept` allows, else the first found at a
    lowered confidence (the value is still reported as read, never invented)."""

    def __init__(self, pages: list[Page], vocabulary: Vocabulary | dict[str, tuple[str, ...]]) -> None:
        self.vocabulary = vocabulary if isinstance(vocabulary, Vocabulary) else Vocabulary(vocabulary)
        self.layouts = [PageLayout(page, self.vocabulary) for page in pages]

    def labels(self, name: str) -> list[tuple[PageLayout, Label]]:
        return [(layout, lb) for layout in self.layouts for lb in layout.labels if lb.name == name]

    def find_all(self, name: str, multiline: bool = False, max_lines: int = 6, below: bool = True) -> list[Hit]:
        hits = []
        for layout, label in self.labels(name):
            found = layout.value(label, multiline, max_lines, below)
            if not found:
                continue
            text, lines = found
            text = text.lstrip(SEPARATORS).rstrip(TRAILING)
            if not text:
                continue
            confidence = min([ln.confidence for ln in lines] or [label.boxes[0].confidence]) * (1.0 if label.score >= 1 else 0.95)
            glued = None
            if label.tail_line is not None and lines and lines[0] is label.tail_line and label.tail_line.bbox:
                tail = label.tail_line
                glued = (label.end_x, tail.y0 - 0.15 * tail.height, tail.x1 + 0.3 * tail.height, tail.y1 + 0.15 * tail.height)
            hits.append(Hit(text, lines, layout.page, label.wording, confidence, glued))
        return hits

    def find(self, name: str, multiline: bool = False, max_lines: int = 6, below: bool = True,
             accept: Validator | None = None) -> Hit | None:
        hits = self.find_all(name, multiline, max_lines, below)
        if not hits:
            return None
        if accept is None:
            return hits[0]
        for hit in hits:
            if accept(hit.value):
                return hit
        first = hits[0]
        first.confidence = min(first.confidence, 0.6)  # no reading looks like such a value
        return first

    def reread_beside(self, name: str, accept: Validator, reach: float) -> Hit | None:
        """A label with nothing boxed beside it (a one-character value too small for the
        detector, a value crossed by a watermark's stroke): the row right of it, up to
        `reach` line heights or its column's edge, read again on its own, and kept, less
        surely, when that reading looks like a value of its kind."""
        for layout, label in self.labels(name):
            page = layout.page
            if page.reread is None or page.image is None or not label.boxes[-1].bbox:
                continue
            h = max(label.height, 8.0)
            x1 = min(label.end_x + reach * h, layout.right_edge(label), page.width or float("inf"))
            box = (label.end_x + 0.3 * h, label.y0 - 0.2 * h, x1, label.y1 + 0.2 * h)
            again = page.reread(box, 1.0) if x1 > box[0] + h else None
            text = compact(again.text).lstrip(SEPARATORS).rstrip(TRAILING) if again else ""
            if text and accept(text):
                line = Line(text, box, again.confidence)
                return Hit(text, [line], page, label.wording, min(again.confidence, 0.9))
        return None

    def find_date(self, name: str) -> FieldValue | None:
        """A labelled date, as ISO, or None when the label is missing or holds no date."""
        from extractors.fields.common import parse_date

        for hit in self.find_all(name):
            iso = parse_date(hit.value)
            if iso:
                return hit.field(iso)
        return None
