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


def find_seals(image: np.ndarray | None, min_fraction: float = 0.04) -> list[SealHit]:
    """Seals on an image; `min_fraction` is the smallest seal diameter relative to the long side."""
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
        if diameter < min_fraction * long_side or diameter > 0.6 * long_side:
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
