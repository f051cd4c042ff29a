"""Red round official seals (公章): colour, then shape.

A seal is a ring of saturated red, roughly circular (or a slightly flattened
ellipse on a photographed page), a few centimetres across. Red survives a grey
photocopy made before stamping and text printed under the stamp, so the red mask
is taken in HSV and closed before contours are judged.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np


@dataclass
class SealHit:
    bbox: tuple[float, float, float, float]  # in the analysed image's pixels
    score: float


def red_mask(image: np.ndarray) -> np.ndarray:
    hsv = cv2.cvtColor(image, cv2.COLOR_BGR2HSV)
    hue, sat, val = hsv[:, :, 0], hsv[:, :, 1], hsv[:, :, 2]
    red_hue = (hue <= 10) | (hue >= 160)
    return ((red_hue & (sat >= 70) & (val >= 70)).astype(np.uint8)) * 255


def red_ink(image: np.ndarray) -> np.ndarray:
    """Redness as dark ink on white: keeps faint, speckled stamp strokes that a hard
    threshold breaks up, and drops black print under the stamp (it is not red)."""
    b, g, r = (image[:, :, i].astype(np.int16) for i in range(3))
    redness = np.clip((r - np.maximum(g, b)) * 2.2, 0, 255).astype(np.uint8)
    return 255 - redness


def grey_stamp_ink(image: np.ndarray) -> np.ndarray:
    """A seal that a photocopy turned grey, as dark ink on white: the stamp copies lighter
    than black print, so print (and its blurred edge) is taken out and the stamp's own
    tone stretched to black."""
    grey = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
    # print is strokes: a copied stamp's own dark specks, left in, would punch holes all
    # over its characters once the print round them is taken out
    strokes = cv2.medianBlur(grey, 5) < 110
    print_ink = cv2.dilate(strokes.astype(np.uint8), cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (11, 11))) > 0
    stamp = (grey < 235) & ~print_ink
    if stamp.sum() < 50:
        return grey
    darkest = float(np.percentile(grey[stamp], 10))
    out = np.clip((grey.astype(np.float32) - darkest) / max(240.0 - darkest, 1.0) * 255, 0, 255).astype(np.uint8)
    out[print_ink] = 255
    return out


def dark_ink(image: np.ndarray) -> np.ndarray:
    """All ink as it is: a grey stamp as dark as the print around it cannot be told
    from print by tone."""
    return cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)


# How to see a stamp that is no longer red, in the order worth trying.
GREY_INKS = (grey_stamp_ink, dark_ink)


def find_round_stamps(image: np.ndarray | None, min_fraction: float = 0.07, max_fraction: float = 0.2) -> list[SealHit]:
    """Round stamps in any colour (a seal photocopied to grey is no longer red): circles
    of a seal's size whose rim is a continuous ring of ink. Used where a seal is expected,
    not to decide whether a page is sealed."""
    if image is None or image.ndim != 3 or image.size == 0:
        return []
    scale = min(1.0, 1000 / max(image.shape[:2]))
    grey = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
    small = cv2.resize(grey, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA) if scale < 1 else grey
    long_side = max(small.shape[:2])
    blurred = cv2.medianBlur(small, 5)
    circles = cv2.HoughCircles(
        blurred, cv2.HOUGH_GRADIENT, dp=1.5, minDist=long_side * min_fraction,
        param1=80, param2=40,
        minRadius=int(long_side * min_fraction / 2), maxRadius=int(long_side * max_fraction / 2),
    )
    hits = []
    for cx, cy, r in (circles[0] if circles is not None else []):
        coverage = _rim_coverage(small, cx, cy, r)
        if 0.5 <= coverage < 0.85:
            coverage, cx, cy, r = _refined(small, cx, cy, r)
        if coverage < 0.85:
            continue
        hits.append(SealHit(bbox=((cx - r) / scale, (cy - r) / scale, (cx + r) / scale, (cy + r) / scale),
                            score=round(float(coverage), 2)))
    return sorted(hits, key=lambda h: -h.score)


def _refined(grey: np.ndarray, cx: float, cy: float, r: float) -> tuple[float, float, float, float]:
    """(coverage, cx, cy, r) of the best circle a few pixels from the one found: the
    transform's estimate is coarse, and a faint rim (a photographed stamp, slightly
    elliptical) is only followed all round by the circle that fits it. A square frame
    has no circle near it that follows its rim all round."""
    steps = (-4, -2, 0, 2, 4)
    return max((_rim_coverage(grey, cx + dx, cy + dy, r + dr), cx + dx, cy + dy, r + dr)
               for dx in steps for dy in steps for dr in steps)


# How much darker than the paper beside it a faint stamp's rim still prints.
FAINT_STAMP_CONTRAST = 25


def _rim_coverage(grey: np.ndarray, cx: float, cy: float, r: float) -> float:
    """The share of a circle's angles where its rim shows ink within a few pixels: ink
    darker than 200, or, for a stamp copied faint, clearly darker than the paper beside
    the rim at that angle."""
    angles = np.linspace(0, 2 * np.pi, 180, endpoint=False)

    def band(offsets: np.ndarray) -> np.ndarray:  # angles x offsets, -1 off the image
        xs = (cx + (r + offsets)[None, :] * np.cos(angles)[:, None]).astype(int)
        ys = (cy + (r + offsets)[None, :] * np.sin(angles)[:, None]).astype(int)
        ok = (xs >= 0) & (xs < grey.shape[1]) & (ys >= 0) & (ys < grey.shape[0])
        return np.where(ok, grey[np.clip(ys, 0, grey.shape[0] - 1), np.clip(xs, 0, grey.shape[1] - 1)], -1)

    rim = band(np.arange(-3, 4)).astype(np.int16)
    rim_min = np.where(rim >= 0, rim, 999).min(axis=1)
    # the ring's own text lies just inside the rim, print may lie outside: the lighter side is paper
    paper = np.maximum(np.median(band(np.arange(-10, -5)), axis=1), np.median(band(np.arange(6, 11)), axis=1))
    inked = (rim_min < 200) | ((rim_min < 999) & (rim_min <= paper - FAINT_STAMP_CONTRAST))
    return float(inked.mean())


def find_seals(image: np.ndarray | None, min_fraction: float = 0.04, max_fraction: float = 0.6) -> list[SealHit]:
    """Seals on an image; the fractions bound the seal's diameter relative to the long side
    (a page holds a seal of a few centimetres; an e-seal picture is all seal)."""
    if image is None or image.ndim != 3 or image.size == 0:
        return []
    scale = min(1.0, 1000 / max(image.shape[:2]))
    small = cv2.resize(image, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA) if scale < 1 else image
    mask = red_mask(small)
    long_side = max(small.shape[:2])
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (5, 5))
    closed = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, kernel, iterations=2)
    contours, _ = cv2.findContours(closed, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    hits = []
    for contour in contours:
        x, y, w, h = cv2.boundingRect(contour)
        diameter = max(w, h)
        if diameter < min_fraction * long_side or diameter > max_fraction * long_side:
            continue
        if not 0.6 <= w / max(h, 1) <= 1.6:
            continue
        (_, _), radius = cv2.minEnclosingCircle(contour)
        hull_area = cv2.contourArea(cv2.convexHull(contour))
        roundness = hull_area / (np.pi * radius * radius + 1e-6)
        if roundness < 0.55:
            continue
        ink = float(mask[y : y + h, x : x + w].mean() / 255)
        if not 0.06 <= ink <= 0.75:  # a filled red block is not a seal; nor are a few specks
            continue
        hits.append(
            SealHit(
                bbox=(x / scale, y / scale, (x + w) / scale, (y + h) / scale),
                score=round(float(min(1.0, roundness)), 2),
            )
        )
    return hits


def unwrap_ring(image: np.ndarray, bbox: tuple[float, float, float, float], ink_of=red_ink) -> np.ndarray | None:
    """The seal's ring of text as a straight strip, read left to right.

    The red ink is taken as black on white, the ring unwrapped with a polar warp
    starting at six o'clock and running clockwise (the way seal text reads), and the
    band between 50% and 92% of the radius kept (inside the rim line), upright (outer
    edge on top).
    """
    x0, y0, x1, y1 = (int(round(v)) for v in bbox)
    pad = int(0.04 * max(x1 - x0, y1 - y0))
    x0, y0 = max(x0 - pad, 0), max(y0 - pad, 0)
    x1, y1 = min(x1 + pad, image.shape[1]), min(y1 + pad, image.shape[0])
    crop = image[y0:y1, x0:x1]
    if crop.size == 0 or min(crop.shape[:2]) < 40:
        return None
    # ~480 px across leaves the ring's characters some 40 px tall in the strip, near the
    # recogniser's 48 px input; at 320 px blurred seals read as nothing
    scale = 480 / max(crop.shape[:2])
    crop = cv2.resize(crop, None, fx=scale, fy=scale, interpolation=cv2.INTER_CUBIC if scale > 1 else cv2.INTER_AREA)
    ink = ink_of(crop)
    # square it up with paper so the whole ring lies inside the image: warpPolar leaves
    # samples from outside the image undefined
    side = max(ink.shape[:2]) + 4
    top, left = (side - ink.shape[0]) // 2, (side - ink.shape[1]) // 2
    ink = cv2.copyMakeBorder(ink, top, side - ink.shape[0] - top, left, side - ink.shape[1] - left,
                             cv2.BORDER_CONSTANT, value=255)
    radius = (side - 4) / 2
    centre = (side / 2, side / 2)
    circumference = int(2 * np.pi * radius * 0.8)
    polar = cv2.warpPolar(ink, (int(radius), circumference), centre, radius, cv2.WARP_POLAR_LINEAR | cv2.INTER_LINEAR | cv2.WARP_FILL_OUTLIERS)
    # rows are angles (0 = three o'clock, clockwise); start at six o'clock
    quarter = circumference // 4
    polar = np.concatenate([polar[quarter:], polar[:quarter]], axis=0)
    band = polar[:, int(radius * 0.5) : int(radius * 0.92)]
    strip = cv2.rotate(band, cv2.ROTATE_90_COUNTERCLOCKWISE)  # outer edge up, angle left to right
    strip = cv2.copyMakeBorder(strip, 12, 12, 12, 12, cv2.BORDER_CONSTANT, value=255)
    return cv2.cvtColor(strip, cv2.COLOR_GRAY2BGR)
