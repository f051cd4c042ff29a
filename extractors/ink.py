"""How dark a box's print is, to tell a copy watermark's boxes from print.

A copy watermark (仅供……使用) is printed light grey across the page; the detector boxes
its characters on their own now and then, and the recogniser reads them as text (字 as
子 beside a name, 单 as 吊 inside an address). Print is dark and seals fade in the red
channel, so a box whose darkest ink is far lighter than the print around it is the
watermark's. Ruled lines a box straddles are left out: they are dark but no text.

Also here: a box's or a seal ring's text cut to its ink, for the recogniser to read alone.
"""

from __future__ import annotations

import cv2
import numpy as np

from extractors.page import Line, Page

# how much lighter than the print around it a box's darkest ink is when it is a watermark's
WATERMARK_LIGHTER = 40
INK = 140  # print is darker than any watermark; the red channel has already dropped red seals


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
    return box_ink_level(page.image[:, :, 2], tuple(v * f for v in line.bbox))


def box_ink_level(grey: np.ndarray, box) -> float | None:
    """The 2nd percentile of `grey` inside `box` (image pixels), ruled lines aside; None
    where the box holds no pixel."""
    x0, y0, x1, y1 = (int(round(v)) for v in box)
    crop = grey[max(y0, 0) : y1, max(x0, 0) : x1].copy()
    if crop.size == 0:
        return None
    return float(np.percentile(clear_rules(crop, crop < INK), 2))


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


def text_only(crop: np.ndarray, stretch: float = 1.0) -> np.ndarray | None:
    """A cell's text without the table's rules, cut to its ink with a little margin (the
    recogniser reads a ruled edge as a 1 or an I)."""
    if crop.size == 0 or min(crop.shape[:2]) < 8:
        return None
    grey = crop[:, :, 0].copy()
    bar = INK
    if np.count_nonzero(grey < bar) < max(10, 0.01 * grey.size):
        # a light scan prints its text in grey (a few dark specks are no text): ink is what
        # stands out from the crop's paper
        dark, paper = np.percentile(grey, (1, 50))
        bar = int(dark + 0.5 * (paper - dark)) if paper - dark > 40 else bar
    ink = grey < bar
    clear_rules(grey, ink)
    ys, xs = np.nonzero(grey < bar)
    if len(xs) < 10:
        return None
    margin = max(4, (ys.max() - ys.min()) // 4)
    y0, y1 = max(ys.min() - margin, 0), min(ys.max() + margin + 1, grey.shape[0])
    x0, x1 = max(xs.min() - margin, 0), min(xs.max() + margin + 1, grey.shape[1])
    cut = grey[y0:y1, x0:x1]
    if stretch != 1.0:
        cut = cv2.resize(cut, None, fx=stretch, fy=1.0, interpolation=cv2.INTER_CUBIC)
    return np.ascontiguousarray(np.repeat(cut[:, :, None], 3, axis=2))


def text_band(strip: np.ndarray) -> np.ndarray | None:
    """The tallest run of inked rows in a ring strip, with a margin; rows inked across
    most of the width are the rim, not text."""
    grey = strip[:, :, 0] if strip.ndim == 3 else strip
    ink = grey < 128
    ink[ink.mean(axis=1) > 0.35, :] = False
    per_row = ink.sum(axis=1)
    if per_row.max() == 0:
        return None
    on = np.concatenate([per_row > 0.15 * per_row.max(), [False]])
    best, start = (0, 0), None
    for i, value in enumerate(on):
        if value and start is None:
            start = i
        elif not value and start is not None:
            best = max(best, (start, i), key=lambda run: run[1] - run[0])
            start = None
    y0, y1 = best
    if y1 - y0 < 6:
        return None
    pad = max(3, (y1 - y0) // 5)
    columns = np.flatnonzero(ink[y0:y1].any(axis=0))
    band = grey[max(y0 - pad, 0) : y1 + pad, max(columns[0] - pad, 0) : columns[-1] + pad]
    return np.ascontiguousarray(np.repeat(band[:, :, None], 3, axis=2))
