"""Masked ID numbers read in three parts: the digits shown before the asterisks, the
run of asterisks, the characters shown after.

Read as one line, a masked number loses characters at the joins: the recogniser (CTC)
folds a digit into the asterisk run next to it, and the run's length comes out wrong.
Asterisks sit high on the line while digits reach its foot, so the run is found from
the ink alone; the digits on either side are then recognised on their own, and the
run is whatever the eighteen characters leave.
"""

from __future__ import annotations

import re

import numpy as np

from extractors.ink import true_runs
from extractors.page import BBox, Page

INK_CEILING = 200  # never lighter than this counts as ink


def _ink(grey: np.ndarray) -> np.ndarray:
    """Dark ink without the cell's rules: long lines, and thin marks standing apart at
    either edge (what is left of a blurred rule)."""
    # halfway between the darkest print and the paper: a light copy prints grey digits
    threshold = min(INK_CEILING, (float(np.percentile(grey, 2)) + float(np.median(grey))) / 2)
    ink = grey < threshold
    ink[:, ink.mean(axis=0) > 0.6] = False
    ink[ink.mean(axis=1) > 0.6, :] = False
    runs = true_runs(ink.any(axis=0))
    height = max(int(ink.any(axis=1).sum()), 1)
    while len(runs) > 1 and runs[0][1] - runs[0][0] <= 3 and runs[1][0] - runs[0][1] > height // 2:
        ink[:, runs[0][0] : runs[0][1]] = False
        runs = runs[1:]
    while len(runs) > 1 and runs[-1][1] - runs[-1][0] <= 3 and runs[-1][0] - runs[-2][1] > height // 2:
        ink[:, runs[-1][0] : runs[-1][1]] = False
        runs = runs[:-1]
    return ink


def star_run(grey: np.ndarray) -> tuple[int, int] | None:
    """Columns [start, end) of the asterisk run in a one-line crop, or None."""
    ink = _ink(grey)
    per_row = ink.sum(axis=1)
    rows = np.flatnonzero(per_row >= 0.1 * per_row.max()) if per_row.max() else []
    if len(rows) < 6:
        return None  # the text's own rows; specks above or below do not count
    top, bottom = rows[0], rows[-1] + 1
    foot = ink[top + int(0.65 * (bottom - top)) : bottom].any(axis=0)  # digits reach the foot
    high = ink[top : top + int(0.5 * (bottom - top))].any(axis=0)
    height = bottom - top
    best = None
    for start, end in true_runs(~foot):
        if end - start < 2 * height or not high[start:end].any():
            continue  # a gap between digits, not a run of asterisks
        if best is None or end - start > best[1] - best[0]:
            best = (int(start), int(end))
    return best


def read_masked(page: Page, box: BBox) -> str | None:
    """The masked number in `box` (page pixels), read in parts; None when the box holds
    no asterisk run or a part does not read as digits."""
    if page.image is None or page.reread is None:
        return None
    x0, y0, x1, y1 = (int(round(v)) for v in box)
    x0, y0 = max(x0, 0), max(y0, 0)
    grey = page.image[y0:y1, x0:x1, 2]
    run = star_run(grey)
    if run is None:
        return None
    columns = np.flatnonzero(_ink(grey).any(axis=0))
    # each part reaches a little into the run: a digit blurred into the first or last
    # asterisk must not be cut; an asterisk caught at the edge is dropped from the text
    reach = max(2, (y1 - y0) // 6)
    head_box = (x0 + columns[0] - 2, y0, x0 + run[0] + reach, y1)
    tail_box = (x0 + run[1] - reach, y0, x0 + columns[-1] + 3, y1)
    head = page.reread(head_box, 1.5) if run[0] > columns[0] else None
    tail = page.reread(tail_box, 1.5) if columns[-1] > run[1] else None
    head_text = re.sub(r"[\s*]", "", head.text) if head else ""
    tail_text = re.sub(r"[\s*]", "", tail.text).upper() if tail else ""
    if not re.fullmatch(r"\d{1,14}", head_text) or not re.fullmatch(r"\d{0,4}[\dX]", tail_text):
        return None
    stars = 18 - len(head_text) - len(tail_text)
    return head_text + "*" * stars + tail_text if stars >= 2 else None
