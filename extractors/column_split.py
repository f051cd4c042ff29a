"""Boxes the detector drew across the gap between two columns, parted again.

Where two columns' values share a row with little room between them (a two-column
licence whose values are set under their labels), the detector may box both as one
line: 信息系统运行维护服务；广东省东莞市… The column's labels say where the right
column starts; the page image says where the gap between the two texts lies near
there; each side is read again on its own, and the box's own reading is cut where
those two readings fit it best.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from rapidfuzz.distance import Levenshtein

from extractors.ink import true_runs
from extractors.labels import compact
from extractors.page import Line, Page

# darker than this in the red channel is ink (seals have faded to paper there)
INK = 160


def split_across_columns(page: Page, lines: list[Line], column_labels: list[Line], line_height: float,
                         keep: set[int], in_a_cell: Callable[[Line], bool]) -> list[Line]:
    """`lines` with each box that runs across a right-hand column's left edge parted at
    the blank gap near that edge: where the column's nearest label on or above the box's
    row starts (`column_labels`: the first boxes of the labels of columns with another
    column left of them). The box may hold the right column's value (values set under
    their labels) or only the first character of its spread label (…维护服务、住 | 所).
    Boxes in `keep` (labels), boxes without such a gap and boxes inside a ruled cell
    (`in_a_cell`: a grid's cell holds one value, whatever lies under it) stay as they are."""
    if page.image is None or page.reread is None or not column_labels:
        return lines
    out = []
    for line in lines:
        parts = None
        if line.bbox and id(line) not in keep:
            h = max(line.height, 8.0)
            near = [lb for lb in column_labels if lb.x0 > line.x0 + 2 * h
                    and lb.y1 <= line.y0 + 0.3 * h + line.height and line.y0 - lb.y1 <= 8 * line_height]
            # the nearest label decides (a title block's 副本号 higher up is no edge of this row)
            left = max(near, key=lambda lb: lb.y1).x0 if near else None
            if left is not None and left < line.x1 - 0.5 * h and not in_a_cell(line):
                # the right column's value starts at its label's edge or, set beside the labels, further right
                parts = _parted(page, line, (left - 3 * h, min(left + 6 * h, line.x1)), h)
        out.extend(parts or [line])
    return out


def _parted(page: Page, line: Line, window: tuple[float, float], h: float) -> list[Line] | None:
    # columns stand a character or more apart; a date or a name has no such gap inside
    gap = _blank_gap(page.image, line, *window, min_width=1.0 * h)
    if gap is None:
        return None
    start, end = gap
    first = page.reread((line.x0, line.y0, start, line.y1), 1.0)
    second = page.reread((end, line.y0, line.x1, line.y1), 1.0)
    if first is None or second is None or not compact(first.text) or not compact(second.text):
        return None
    # the whole box's reading is the surer one (more context): it is cut where the two
    # readings of the sides fit it best
    text = compact(line.text)
    cut = min(range(1, len(text)), key=lambda k: Levenshtein.distance(text[:k], compact(first.text))
              + Levenshtein.distance(text[k:], compact(second.text)), default=None)
    if cut is None:
        return None
    return [Line(text[:cut], (line.x0, line.y0, start, line.y1), line.confidence),
            Line(text[cut:], (end, line.y0, line.x1, line.y1), line.confidence)]


def _blank_gap(image: np.ndarray, line: Line, x0: float, x1: float, min_width: float) -> tuple[float, float] | None:
    """Where the widest run of ink-free columns between x0 and x1 inside the line's box
    starts and ends, when it is at least `min_width` wide."""
    red = image[:, :, 2] if image.ndim == 3 else image
    y0, y1 = int(max(line.y0, 0)), int(line.y1)
    a, b = int(max(x0, line.x0, 0)), int(min(x1, line.x1, red.shape[1]))
    if b - a < min_width or y1 <= y0:
        return None
    blank = true_runs((red[y0:y1, a:b] >= INK).all(axis=0))
    start, end = max(blank, key=lambda run: run[1] - run[0], default=(0, 0))
    if end - start < min_width:
        return None
    return float(a + start), float(a + end)
