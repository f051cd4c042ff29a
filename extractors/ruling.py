"""Horizontal rules of a form page, and the ruled cell a label sits in.

Many forms are ruled grids: application letters set as form tables, copies that an
office retyped, tax-bureau printouts. There a label is centred in a cell of its own
and its value fills the cell beside it, wrapping above and below the label's row, so
reading "same row, then the lines below" cuts the value's first lines off. The rules
give each cell its top and bottom.

Rules are found in the page image, reduced, by a morphological opening with a flat
kernel (runs of ink a twenty-fifth of the page long: no stroke of body text is), the
runs joined across a skewed scan's one-pixel steps, and kept where a joined run is an
eighth of the page wide and a few pixels thick.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

# a rule is at least this share of the page's width long
MIN_LENGTH = 0.12


@dataclass(frozen=True)
class Rule:
    y: float
    x0: float
    x1: float

    def spans(self, x0: float, x1: float) -> bool:
        return self.x0 <= x0 + 2 and self.x1 >= x1 - 2


def horizontal_rules(image: np.ndarray, scale: float = 1.0) -> list[Rule]:
    """The page's horizontal rules, top to bottom, in page pixels (image pixels / scale)."""
    if image is None or image.size == 0:
        return []
    gray = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY) if image.ndim == 3 else image
    # rules survive a reduction to ~800 px wide as a one-pixel grey line, at a sixth of the cost
    shrink = min(1.0, 800 / gray.shape[1])
    if shrink < 1.0:
        gray = cv2.resize(gray, None, fx=shrink, fy=shrink, interpolation=cv2.INTER_AREA)
        scale *= shrink
    # ink darker than its surroundings; a uniform tint (a photo's grey, the paper) is not
    ink = cv2.adaptiveThreshold(255 - gray, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY, 15, -10)
    height, width = ink.shape
    # short flat runs first (a scan's slight skew breaks a long rule into steps a pixel
    # apart), then the steps joined; what is long and thin after that is a rule
    runs = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (max(12, width // 25), 1)))
    joined = cv2.dilate(runs, cv2.getStructuringElement(cv2.MORPH_RECT, (max(6, width // 60), 3)))
    count, _, stats, _ = cv2.connectedComponentsWithStats(joined)
    thick = max(6, height // 120)
    rules = [
        Rule((y + h / 2) / scale, x / scale, (x + w) / scale)
        for x, y, w, h, _ in stats[1:count]
        if w >= width * MIN_LENGTH and h <= thick
    ]
    return sorted(rules, key=lambda r: r.y)


def cell_band(rules: list[Rule], x0: float, x1: float, cy: float) -> tuple[float, float] | None:
    """(top, bottom) of the ruled band around the point row `cy` between x0 and x1: the
    nearest rules above and below that both run under that stretch; None outside a grid."""
    above = [r.y for r in rules if r.y < cy and r.spans(x0, x1)]
    below = [r.y for r in rules if r.y > cy and r.spans(x0, x1)]
    if not above or not below:
        return None
    return max(above), min(below)
