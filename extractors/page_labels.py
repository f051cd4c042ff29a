"""Finding a page's printed labels, the first step of key–value reading (layout.py).

Labels are matched against the document type's vocabulary: as printed, spread over
several boxes (名　　称), with one character misread or doubted, glued to their value,
or read only in half, where the labels of the same column place the half that is left.
Each label remembers where its print ends and any value text glued after it in its box.
"""

from __future__ import annotations

import statistics

from extractors.ink import without_watermark_boxes
from extractors.labels import SEPARATORS, Label, Vocabulary, compact, strip_index, x_at
from extractors.page import Line, Page


def same_row(a: Line, b: Line) -> bool:
    """Two boxes on one visual row: they overlap vertically by half the smaller height."""
    overlap = min(a.y1, b.y1) - max(a.y0, b.y0)
    return overlap >= 0.5 * max(min(a.height, b.height), 1)


class PageLabels:
    """One page's lines and the labels found among them."""

    def __init__(self, page: Page, vocabulary: Vocabulary) -> None:
        self.page = page
        self.vocabulary = vocabulary
        # a watermark's character boxed on its own and read unsurely is no text of the form
        self.lines = without_watermark_boxes(page, [ln for ln in page.lines if compact(ln.text)], unsure_below=0.9)
        self.boxed = bool(self.lines) and all(ln.bbox for ln in self.lines)
        heights = [ln.height for ln in self.lines if ln.bbox and ln.height > 0]
        self.line_height = statistics.median(heights) if heights else 20.0
        self.labels: list[Label] = []
        self._label_at: dict[int, Label] = {}  # id(first box) -> label starting that box
        self._cuts: dict[int, list[tuple[int, float]]] = {}  # id(box) -> (compact index, x) of labels inside it
        self._find_labels()

    # -- labels ----------------------------------------------------------------------
    def _find_labels(self) -> None:
        prefixes = self.vocabulary.prefixes()
        used: set[int] = set()
        for line in self.lines:
            if id(line) in used:
                continue
            text = compact(line.text)
            start = 1 if len(text) > 2 and not text[0].isalnum() else 0  # a speck before the label
            found = self.vocabulary.at_start(text[start:])
            boxes = [line]
            if found is None and text in prefixes and self.boxed:
                found, boxes = self._spread_label(line, text)
            if found is None and self.boxed:
                found = self._label_missing_its_start(text) or self._doubted_short_label(line, text)
            if found is not None:
                name, wording, score = found
                last = boxes[-1]
                offset = len(wording) if len(boxes) == 1 else len(compact(last.text)) - len(self._spread_tail(boxes, wording))
                offset += start if len(boxes) == 1 else 0
                raw_cut = strip_index(last.text, offset)
                tail = compact(last.text[raw_cut:]).lstrip(SEPARATORS)
                end_x = x_at(last, raw_cut) if last.bbox else 0.0
                label = Label(name, wording, score, boxes, end_x, tail, last if tail else None)
                self.labels.append(label)
                self._label_at[id(line)] = label
                used.update(id(b) for b in boxes)
                self._inner_labels(last, offset, after_label=True)
                continue
            self._inner_labels(line, 1, after_label=False)
        self._lone_label_ends(used)

    def _lone_label_ends(self, used: set[int]) -> None:
        """A label the detector lost one character of, placed by the labels of its column
        (labels set to one width start and end alike), with nothing just left of it on
        its row: 型 alone for 类　　型 (its right edge under a longer label's), 型有限责任…
        (the end glued to the value, starting where a spread label's second box starts),
        or 名 for 名　　称 and 负责 for 负　责　人 (its left edge on the column's, the
        value far right)."""
        found = list(self.labels)
        spread_ends = [lb.boxes[-1].x0 for lb in found if len(lb.boxes) > 1]
        near = 0.6 * self.line_height
        for line in self.lines:
            text = compact(line.text).rstrip("：:")
            if id(line) in used or not text or not line.bbox:
                continue
            char_w = (line.x1 - line.x0) / max(len(text), 1)
            ends_aligned = len(text) == 1 and any(
                abs(lb.boxes[-1].x1 - line.x1) <= near and lb.boxes[0].x0 < line.x0 - char_w for lb in found)
            glued = len(text) > 2 and any(abs(x - line.x0) <= near for x in spread_ends)
            starts_aligned = not ends_aligned and self._names_one_field(text, lost_first=False) and any(
                abs(lb.x0 - line.x0) <= near and lb.end_x > line.x1 + char_w for lb in found)
            if not (ends_aligned or glued or starts_aligned):
                continue
            row = [o for o in self.lines if o is not line and same_row(o, line)]
            # text just left of it: a character of running text, not a label (the value
            # of the column to the left, a character's width off or more, is no matter)
            if any(line.x0 - char_w < o.x1 <= line.x0 for o in row):
                continue
            if ends_aligned or glued:
                self._half_label(line, text[0], True, used)
            elif (value := [o for o in row if o.x0 > line.x1]) and min(o.x0 for o in value) > line.x1 + 1.5 * char_w:
                self._half_label(line, text, False, used)  # room for the lost end before the value

    def _fields_named(self, kept: str, lost_first: bool) -> set[str]:
        """The fields with a wording that is `kept` with one character more, lost at its
        start or (负责 for 负责人, 名 for 名称) at its end."""
        return {n for w, n in self.vocabulary.wordings_of_length(len(kept) + 1)
                if (w[1:] if lost_first else w[:-1]) == kept}

    def _names_one_field(self, kept: str, lost_first: bool) -> bool:
        return len(self._fields_named(kept, lost_first)) == 1

    def _half_label(self, line: Line, kept: str, lost_first: bool, used: set[int]) -> None:
        """`kept`, what is left of exactly one field's wording that lost one character at
        its start or end: that label, less surely; what follows it in the box is its value."""
        names = self._fields_named(kept, lost_first)
        if len(names) != 1:
            return
        raw_cut = strip_index(line.text, len(kept))
        tail = compact(line.text[raw_cut:]).lstrip(SEPARATORS)
        end_x = x_at(line, raw_cut) if tail else line.x1
        label = Label(names.pop(), kept, 0.75, [line], end_x, tail, line if tail else None)
        self.labels.append(label)
        self._label_at[id(line)] = label
        used.add(id(line))

    def _inner_labels(self, line: Line, start_from: int, after_label: bool) -> None:
        text = compact(line.text)
        while (inner := self.vocabulary.inside(text, after_label, start_from)) is not None:
            self._inner_label(line, inner)
            start_from = inner[0] + len(inner[2])

    def _inner_label(self, line: Line, inner: tuple[int, str, str]) -> None:
        index, name, wording = inner
        raw_cut = strip_index(line.text, index)
        raw_end = strip_index(line.text, index + len(wording))
        tail = compact(line.text[raw_end:]).lstrip(SEPARATORS)
        end_x = x_at(line, raw_end) if line.bbox else 0.0
        label = Label(name, wording, 1.0, [line], end_x, tail, line if tail else None)
        label_start_x = x_at(line, raw_cut) if line.bbox else 0.0
        label.boxes = [Line(wording, (label_start_x, line.y0, end_x, line.y1), line.confidence) if line.bbox else line]
        self.labels.append(label)
        self._cuts.setdefault(id(line), []).append((index, label_start_x))

    def _spread_label(self, line: Line, text: str):
        """名　　称 read as 名 and 称 (or 经营 and 范围): boxes on one row, close together,
        that spell a wording when joined."""
        row = sorted((ln for ln in self.lines if ln is not line and same_row(ln, line) and ln.x0 > line.x0), key=lambda ln: ln.x0)
        joined, boxes = text, [line]
        doubted = None  # a wording matched with a character off, kept while one more box may spell one exactly
        for other in row:
            # 名 and 称 stand as far apart as the column's longest label (法定代表人姓名)
            if other.x0 - boxes[-1].x1 > 6 * max(line.height, 8):
                break
            # a speck before the later box reads as a colon (住 and ：所广东省…)
            joined += compact(other.text).lstrip(SEPARATORS)
            boxes.append(other)
            found = self.vocabulary.at_start(joined) or self._spread_with_unsure_box(boxes)
            if found and found[2] >= 1:
                return found, boxes
            if doubted is not None:
                break  # 注册资 is 注册号 with one off only if 本 does not follow
            if found:
                doubted = found, list(boxes)
            if len(joined) > 8:
                break
        return doubted or (None, [line])

    def _spread_with_unsure_box(self, boxes: list[Line]) -> tuple[str, str, float] | None:
        """住 and 绿 (read at 0.12) for 住　　所: a spread label whose later boxes the
        recogniser itself doubted, one character each, matching a wording elsewhere."""
        chars = [compact(b.text).rstrip("：:") for b in boxes]
        if any(len(c) != 1 for c in chars[1:]):
            return None
        joined = "".join(chars)
        for wording, name in self.vocabulary.wordings_of_length(len(joined)):
            wrong = [i for i, (a, b) in enumerate(zip(joined, wording)) if a != b]
            # the first character read surely, each wrong one doubted, at most half wrong
            if wrong and wrong[0] > 0 and all(boxes[i].confidence < 0.5 for i in wrong) and 2 * len(wrong) <= len(wording):
                return name, wording, 0.85
        return None

    def _doubted_short_label(self, line: Line, text: str) -> tuple[str, str, float] | None:
        """民款 (read at 0.71) for 民族: a box of two characters alone, which the
        recogniser doubted, one character off exactly one two-character wording."""
        if len(text) != 2 or line.confidence >= 0.8:
            return None
        close = [(w, n) for w, n in self.vocabulary.wordings_of_length(2) if w[0] == text[0] and w != text]
        return (close[0][1], close[0][0], 0.8) if len(close) == 1 else None

    def _label_missing_its_start(self, text: str) -> tuple[str, str, float] | None:
        """型： for 类型：: a box holding the end of a wording and its colon alone (the
        detector lost the first character): still the label, less surely."""
        if len(text) < 2 or text[-1] not in "：:":
            return None
        end = text[:-1]
        for wording, name in self.vocabulary.wordings_of_length(None):
            if len(wording) > len(end) and wording.endswith(end) and len(wording) - len(end) <= 2:
                return name, end, 0.8
        return None

    @staticmethod
    def _spread_tail(boxes: list[Line], wording: str) -> str:
        joined = compact(boxes[0].text) + "".join(compact(b.text).lstrip(SEPARATORS) for b in boxes[1:])
        return joined[len(wording):]

    def label_starting(self, line: Line) -> Label | None:
        return self._label_at.get(id(line))

    def _text_between(self, line: Line, start: int = 0) -> tuple[str, float | None]:
        """A box's text from compact index `start`, cut where the next label inside it
        starts; and the page x of that label, if there is one."""
        text = compact(line.text)
        cut = next(((c, x) for c, x in self._cuts.get(id(line), ()) if c >= start), None)
        return (text[start : cut[0]], cut[1]) if cut is not None else (text[start:], None)

    def _text_before_label(self, line: Line) -> str:
        return self._text_between(line)[0]
