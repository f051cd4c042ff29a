"""How dark a box's print is, to tell a copy watermark's boxes from print.

A copy watermark (仅供……使用) is printed light grey across the page; the detector boxes
its characters on their own now and then, and the recogniser reads them as text (字 as
子 beside a name, 单 as 吊 inside an address). Print is dark and seals fade in the red
channel, so a box whose darkest ink is far lighter than the print around it is the
watermark's. Ruled lines a box straddles are left out: they are dark but no text.
"""

from __future__ import annotations

import numpy as np

from extractors.page import Line, Page

# how much lighter than the print around it a box's darkest ink is when it is a watermark's
WATERMARK_LIGHTER = 40


def true_runs(flags: np.ndarray) -> list[tuple[int, int]]:
    """[start, end) of each run of True in a row of flags."""
    padded = np.concatenate([[False], flags, [False]]).astype(np.int8)
    edges = np.flatnonzero(np.diff(padded))
    return list(zip(edges[::2], edges[1::2]))


def clear_rules(grey: np.ndarray, ink: np.ndarray) -> np.ndarray:
    """`grey` with the columns and rows that `ink` fills for most of their length (a
    table's ruled lines) set to paper, in place."""
    grey[:, ink.mean(axis=0) > 0.6] = 255
    grey[ink.mean(axis=1) > 0.6, :] = 255
    return grey


def ink_level(page: Page, line: Line) -> float | None:
    """The 2nd percentile of the box's red channel, ruled lines aside; None without an image."""
    if page.image is None or not line.bbox:
        return None
    f = page.image_scale
    x0, y0, x1, y1 = (int(round(v * f)) for v in line.bbox)
    crop = page.image[max(y0, 0) : y1, max(x0, 0) : x1, 2].copy()
    if crop.size == 0:
        return None
    return float(np.percentile(clear_rules(crop, crop < 140), 2))


def without_watermark_boxes(page: Page, lines: list[Line], unsure_below: float = 1.01) -> list[Line]:
    """`lines` less the boxes read below `unsure_below` whose ink is far lighter than the
    median box's. Forms print labels and headings in colours of their own, so there only
    unsure boxes are judged; a table row's cells are all print. Only recognised pages
    are judged: a text layer's words carry their own colours (a red cell is no watermark)."""
    if page.source != "ocr" or page.image is None or len(lines) < 3:
        return lines
    if all(ln.confidence >= unsure_below for ln in lines):
        return lines  # nothing that could be dropped: no crop to measure
    levels = [ink_level(page, ln) for ln in lines]
    known = [lv for lv in levels if lv is not None]
    if len(known) < 3:
        return lines
    typical = float(np.median(known))
    return [ln for ln, lv in zip(lines, levels)
            if lv is None or ln.confidence >= unsure_below or lv <= typical + WATERMARK_LIGHTER]
