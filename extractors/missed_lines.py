"""Print the text detector missed: black ink left outside every detected box.

A copy watermark or a stamp crossing a line can make the detector lose the whole line
(its probability map merges with the diagonal strokes and the shape is thrown away).
The line's ink is still there and still black, while watermarks are light grey and
seals vanish in the red channel, so what remains of dark ink outside every box, in a
line-shaped run, is a line worth recognising on its own.
"""

from __future__ import annotations

import cv2
import numpy as np

from extractors.ink import INK, box_ink_level
from extractors.page import BBox, Line

# A photocopied seal is grey but darker than a watermark: its ring joins the print it
# crosses into one shape no line has. Print is darker still, so a second look at only
# the darkest ink parts them.
DARK_INK = 100
# Print under glare or a photo's shading fades towards one end of its line; once a run is
# found on dark ink, its row is followed through fainter ink to where the line ends.
FAINT_INK = 180
# how much lighter than the page's darkest print the ink of the same print can be
PRINT_SPREAD = 40


def body_line_height(lines: list[Line]) -> float | None:
    """The height of a line of body print, or None when too few lines were read. Body
    print, not titles: a card's few lines are half headings (中华人民共和国…); a card
    a watermark crosses may give the detector no more than a heading and one line."""
    heights = sorted(ln.y1 - ln.y0 for ln in lines if ln.bbox and ln.text)
    return float(heights[(len(heights) - 1) // 4]) if len(heights) >= 2 else None


def crowded_bands(grey: np.ndarray, lines: list[Line]) -> list[tuple[Line, tuple[int, int]]]:
    """Detected boxes that swallowed lines, each with the band of rows to detect again.

    Where a diagonal watermark crosses print, the detector can join the watermark's
    strokes and the lines they cross into one tall box, recognised as a few of the
    watermark's characters; the lines inside are gone, and their ink may be as light as
    the watermark's (a photographed card), so no darkness parts them. Such a box is far
    taller than a body line and its characters, if it held one line, would be far
    smaller than its height. Detected again on its own band of rows, with the rest of
    the page out of view, the lines come apart. The band's edges are moved off rows
    with ink, so a line the box half covers is seen whole.
    """
    line_height = body_line_height(lines)
    if line_height is None:
        return []
    bands = []
    for line in lines:
        height, width = line.y1 - line.y0, line.x1 - line.x0
        if line.text and height > 2 * line_height and len(line.text) * height > 1.5 * width:
            inked = (grey[:, int(line.x0) : int(line.x1)] < INK).any(axis=1)
            reach = int(2 * line_height)
            top, bottom = int(max(line.y0 - 0.5 * line_height, 0)), int(min(line.y1 + 0.5 * line_height, grey.shape[0]))
            top = next((y for y in range(top, max(top - reach, 0), -1) if not inked[y]), max(top - reach, 0))
            bottom = next((y for y in range(bottom, min(bottom + reach, grey.shape[0])) if not inked[y]), bottom)
            bands.append((line, (top, bottom)))
    return bands


def print_level(grey: np.ndarray, lines: list[Line]) -> float | None:
    """How dark the page's detected print is: the median of its boxes' ink levels; None
    without boxes."""
    levels = [level for ln in lines if ln.bbox and ln.text and (level := box_ink_level(grey, ln.bbox)) is not None]
    return float(np.median(levels)) if levels else None


def missed_line_boxes(grey: np.ndarray, lines: list[Line]) -> list[BBox]:
    """Boxes of line-shaped runs of dark ink that no detected line covers. On a faded
    photo the print itself is lighter than `INK` (a card's grey 140-180 in glare): there
    ink is what is as dark as the page's print, still well darker than a watermark."""
    line_height = body_line_height(lines)
    if line_height is None:
        return []
    level = print_level(grey, lines)
    bar = INK if level is None else int(min(max(INK, level + PRINT_SPREAD), FAINT_INK - 10))
    boxes = _line_shaped_runs(grey, lines, line_height, bar)
    for box in _line_shaped_runs(grey, lines, line_height, DARK_INK):
        if not any(_overlap(box, other) for other in boxes):
            boxes.append(box)
    return boxes


def _overlap(a: BBox, b: BBox) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _outside_boxes(ink: np.ndarray, lines: list[Line], line_height: float) -> np.ndarray:
    pad = max(2, int(line_height * 0.15))
    for ln in lines:
        # a box much taller than a line (a diagonal watermark's, or a title's) would hide
        # the real lines its rectangle spans; a title's own ink is too tall to pass below
        if ln.bbox and ln.y1 - ln.y0 <= 2.5 * line_height:
            x0, y0, x1, y1 = (int(v) for v in ln.bbox)
            ink[max(y0 - pad, 0) : y1 + pad, max(x0 - pad, 0) : x1 + pad] = 0
    return ink


def _followed(faint: np.ndarray, x: int, y: int, w: int, h: int, reach: int) -> tuple[int, int]:
    """The run's left and right ends once its rows are followed through fainter ink,
    across gaps of at most `reach` columns."""
    inked = faint[y : y + h].any(axis=0)
    left, right = x, x + w
    gap, i = 0, right
    while i < inked.size and gap <= reach:
        gap = 0 if inked[i] else gap + 1
        right = i + 1 if inked[i] else right
        i += 1
    gap, i = 0, left - 1
    while i >= 0 and gap <= reach:
        gap = 0 if inked[i] else gap + 1
        left = i if inked[i] else left
        i -= 1
    return left, right


def _line_shaped_runs(grey: np.ndarray, lines: list[Line], line_height: float, bar: int) -> list[BBox]:
    ink = _outside_boxes((grey < bar).astype(np.uint8), lines, line_height)
    if not ink.any():
        return []
    faint = _outside_boxes((grey < FAINT_INK).astype(np.uint8), lines, line_height)
    # characters of one line run together; lines stay apart
    joined = cv2.morphologyEx(
        ink, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (max(3, int(line_height * 0.8)), 3))
    )
    count, _, stats, _ = cv2.connectedComponentsWithStats(joined, connectivity=8)
    boxes = []
    for x, y, w, h, _area in stats[1:count]:
        if not 0.55 * line_height <= h <= 1.8 * line_height or w < 2.5 * h:
            continue  # rules, frames, photos, stray marks
        fill = ink[y : y + h, x : x + w].mean()
        if not 0.03 <= fill <= 0.6:
            continue
        margin = int(0.25 * h)
        left, right = _followed(faint, x, y, w, h, reach=max(3, int(0.8 * line_height)))
        box = (float(left - margin), float(y - margin), float(right + margin), float(y + h + margin))
        # pieces of one line that a watermark's stroke parted are each followed to the
        # line's ends: they are one line, recognised once
        for i, other in enumerate(boxes):
            if _overlap(box, other):
                boxes[i] = (min(box[0], other[0]), min(box[1], other[1]), max(box[2], other[2]), max(box[3], other[3]))
                break
        else:
            boxes.append(box)
    return boxes


def mostly_inside(line: Line, other: Line) -> bool:
    """Whether most of `line`'s box lies inside `other`'s (the same line read twice)."""
    w = min(line.x1, other.x1) - max(line.x0, other.x0)
    h = min(line.y1, other.y1) - max(line.y0, other.y0)
    area = (line.x1 - line.x0) * (line.y1 - line.y0)
    return w > 0 and h > 0 and w * h > 0.5 * area


def without_nested_repeats(lines: list[Line]) -> list[Line]:
    """Without a box lying inside a taller one whose text repeats its own: a second
    look (a band detected again, ink recovered) that read part of a line another box
    holds whole (广东省东究 inside 广东省东莞市万江街道科技)."""
    from rapidfuzz import fuzz

    def repeated(small: Line, big: Line) -> bool:
        return small is not big and big.y1 - big.y0 > small.y1 - small.y0 and mostly_inside(small, big) \
            and len(small.text) < len(big.text) and fuzz.partial_ratio(small.text, big.text) >= 60

    return [ln for ln in lines if not any(repeated(ln, other) for other in lines)]
