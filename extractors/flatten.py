"""Phone photos of a document, flattened before OCR.

A photo shows the sheet on a desk, seen a little from the side: its edges are a
quadrilateral, lines of text converge, and a round seal is an ellipse that no ring reader
can unwrap. Where the page is one bright quadrilateral on a darker background, filling
most of the picture but clearly not all of it, the quadrilateral is mapped back to a
rectangle of the sheet's own size. Scans (paper to the edges) and born-digital pages are
left alone.
"""

from __future__ import annotations

import cv2
import numpy as np

WORK_SIDE = 800  # the quadrilateral is found on a reduced copy
MIN_SHARE, MAX_SHARE = 0.30, 0.93  # of the picture's area: a sheet, with desk round it


def _order(corners: np.ndarray) -> np.ndarray:
    """Top-left, top-right, bottom-right, bottom-left."""
    s, d = corners.sum(axis=1), np.diff(corners, axis=1).ravel()
    return np.float32([corners[np.argmin(s)], corners[np.argmin(d)], corners[np.argmax(s)], corners[np.argmax(d)]])


def find_sheet(image: np.ndarray) -> np.ndarray | None:
    """The four corners (full-size pixels, ordered) of a sheet photographed on a darker
    background, or None when the picture is not such a photo."""
    h, w = image.shape[:2]
    scale = WORK_SIDE / max(h, w)
    small = cv2.resize(image, (max(1, int(w * scale)), max(1, int(h * scale))), interpolation=cv2.INTER_AREA)
    grey = cv2.cvtColor(small, cv2.COLOR_BGR2GRAY) if small.ndim == 3 else small
    grey = cv2.GaussianBlur(grey, (5, 5), 0)
    _, bright = cv2.threshold(grey, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    # print inside the sheet must not split it: close over characters and rules
    bright = cv2.morphologyEx(bright, cv2.MORPH_CLOSE, np.ones((15, 15), np.uint8))
    contours, _ = cv2.findContours(bright, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    if not contours:
        return None
    sheet = max(contours, key=cv2.contourArea)
    share = cv2.contourArea(sheet) / float(small.shape[0] * small.shape[1])
    if not MIN_SHARE <= share <= MAX_SHARE:
        return None
    quad = cv2.approxPolyDP(sheet, 0.02 * cv2.arcLength(sheet, True), True)
    if len(quad) != 4 or not cv2.isContourConvex(quad):
        return None
    corners = _order(quad.reshape(4, 2).astype(np.float32) / scale)
    # a sheet squarely in frame needs no warp (a scan with a dark margin)
    if _squareness(corners) < 0.01:
        return None
    return corners


def _squareness(corners: np.ndarray) -> float:
    """How far the quadrilateral is from an axis-aligned rectangle, as a share of its size."""
    (tl, tr, br, bl) = corners
    size = max(np.linalg.norm(tr - tl), np.linalg.norm(bl - tl), 1.0)
    off = max(abs(tl[1] - tr[1]), abs(bl[1] - br[1]), abs(tl[0] - bl[0]), abs(tr[0] - br[0]))
    return float(off / size)


def flatten(image: np.ndarray, corners: np.ndarray) -> np.ndarray:
    """The sheet inside `corners` as a rectangle as large as its longer opposite sides."""
    tl, tr, br, bl = corners
    width = int(round(max(np.linalg.norm(tr - tl), np.linalg.norm(br - bl))))
    height = int(round(max(np.linalg.norm(bl - tl), np.linalg.norm(br - tr))))
    target = np.float32([[0, 0], [width - 1, 0], [width - 1, height - 1], [0, height - 1]])
    matrix = cv2.getPerspectiveTransform(corners.astype(np.float32), target)
    return cv2.warpPerspective(image, matrix, (width, height), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)


# Black print reads near 40 in the red channel; a photo's glare lifts it towards white.
PRINT_FLOOR = 40.0


def even_out_glare(image: np.ndarray) -> np.ndarray:
    """A photographed sheet with its glare taken back out (the image itself where no
    ink anywhere is faded).

    Glare adds light in a soft spot: print under it fades from black to the grey of a
    copy watermark, and would be left out as one while a person reads it plainly. Paper is
    white under glare and away from it, so the spot shows only in how dark the darkest
    ink nearby is. That floor is taken over windows several lines tall (in the red
    channel, where seals are paper), and where it sits well above black print, the
    distance from white is stretched back to print's. A copy watermark alone in a
    window is as grey as faded print, so this image is only for judging the ink of
    lines already found (see `drop_faint_lines`).
    """
    red = image[:, :, 2].astype(np.float32)
    h, w = red.shape
    shrink = 4
    # reduced by taking minima (averaging would grey thin black strokes into faded ones)
    small = cv2.resize(cv2.erode(red, np.ones((shrink, shrink), np.uint8)), (max(1, w // shrink), max(1, h // shrink)),
                       interpolation=cv2.INTER_NEAREST)
    k = max(5, int(max(h, w) / 15 / shrink)) | 1
    floor = cv2.erode(small, cv2.getStructuringElement(cv2.MORPH_RECT, (k, k)))
    # a median, not a mean: at a block of print's edge, print's floor or the paper's, never
    # a grey between them that would read as faded print
    floor = cv2.medianBlur(floor.astype(np.uint8), k).astype(np.float32)
    # below 80 the floor is print as printed; above 175 it is paper, or a copy watermark
    # (light grey wherever it lies, where glare at its strongest leaves print darker)
    gain = np.where((floor > 80) & (floor < 175), (255.0 - PRINT_FLOOR) / np.maximum(255.0 - floor, 1.0), 1.0)
    gain = cv2.blur(np.clip(gain, 1.0, 3.5).astype(np.float32), (k, k))
    if float(gain.max()) < 1.05:
        return image
    gain = cv2.resize(gain, (w, h), interpolation=cv2.INTER_LINEAR)
    out = 255.0 - (255.0 - image.astype(np.float32)) * gain[:, :, None]
    return np.clip(out, 0, 255).astype(np.uint8)
