"""Page orientation and skew, found before OCR so the recogniser sees upright lines.

Quarter turns and skew come from the projection profile: rows of text make the
row sums of an upright, straight page alternate sharply between ink and paper, and
that sharpness peaks at the right angle. Whether the page is upside down cannot be
seen in a profile, so it is decided after OCR by a vote of the text-line
orientation classifier over the longest lines found.
"""

from __future__ import annotations

import cv2
import numpy as np

_ANALYSIS_SIDE = 640  # px: enough to resolve text rows, small enough to rotate quickly


def _ink_mask(gray: np.ndarray) -> np.ndarray:
    scale = _ANALYSIS_SIDE / max(gray.shape)
    if scale < 1:
        gray = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    mask = cv2.adaptiveThreshold(gray, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, 25, 15)
    # Frames and table rules are long straight strokes in both directions; they say
    # nothing about which way the text runs, so take them out before profiling.
    h, w = mask.shape
    for size in ((max(w // 12, 15), 1), (1, max(h // 12, 15))):
        rules = cv2.morphologyEx(mask, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, size))
        mask = cv2.subtract(mask, cv2.dilate(rules, np.ones((3, 3), np.uint8)))
    return (mask > 0).astype(np.float32)


def _profile_sharpness(mask: np.ndarray, angle: float) -> float:
    h, w = mask.shape
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    rotated = cv2.warpAffine(mask, matrix, (w, h), flags=cv2.INTER_NEAREST, borderValue=0)
    rows = rotated.sum(axis=1)
    return float(np.square(np.diff(rows)).sum())


def _best_angle(mask: np.ndarray, limit: float) -> tuple[float, float]:
    coarse = np.arange(-limit, limit + 0.01, 1.0)
    scores = [_profile_sharpness(mask, a) for a in coarse]
    best = float(coarse[int(np.argmax(scores))])
    fine = np.arange(best - 0.8, best + 0.81, 0.2)
    fine_scores = [_profile_sharpness(mask, a) for a in fine]
    i = int(np.argmax(fine_scores))
    return float(fine[i]), float(fine_scores[i])


def estimate_quarter_and_skew(image: np.ndarray, max_skew: float = 8.0) -> tuple[int, float]:
    """Return (quarter turn in {0, 90}, skew in degrees) that make text rows horizontal.

    A quarter of 90 means the rows run vertically; whether to turn clockwise or
    counter-clockwise is settled later together with the 180° question.
    """
    gray = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY) if image.ndim == 3 else image
    mask = _ink_mask(gray)
    if mask.sum() < 50:  # blank page
        return 0, 0.0
    turned = np.ascontiguousarray(np.rot90(mask))
    # Which way do the rows run? A few angles suffice: skew only blurs both profiles.
    probe = (-4.0, 0.0, 4.0)
    score0 = max(_profile_sharpness(mask, a) for a in probe)
    score90 = max(_profile_sharpness(turned, a) for a in probe)
    quarter, chosen = (90, turned) if score90 > score0 * 1.1 else (0, mask)
    angle, _ = _best_angle(chosen, max_skew)
    return quarter, round(angle, 2)


def estimate_skew(image: np.ndarray, max_skew: float = 8.0) -> float:
    """Skew of a page whose rows already run horizontally."""
    gray = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY) if image.ndim == 3 else image
    mask = _ink_mask(gray)
    if mask.sum() < 50:
        return 0.0
    return round(_best_angle(mask, max_skew)[0], 2)


def rotate_quarter(image: np.ndarray, degrees_clockwise: int) -> np.ndarray:
    turns = (degrees_clockwise // 90) % 4
    if turns == 0:
        return image
    # np.rot90 turns counter-clockwise for positive k.
    return np.ascontiguousarray(np.rot90(image, k=-turns))


def deskew(image: np.ndarray, angle: float) -> np.ndarray:
    """Rotate by `angle` degrees (counter-clockwise, as OpenCV counts), keeping every corner."""
    if abs(angle) < 0.1:
        return image
    h, w = image.shape[:2]
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    cos, sin = abs(matrix[0, 0]), abs(matrix[0, 1])
    new_w, new_h = int(h * sin + w * cos), int(h * cos + w * sin)
    matrix[0, 2] += new_w / 2 - w / 2
    matrix[1, 2] += new_h / 2 - h / 2
    border = (255, 255, 255) if image.ndim == 3 else 255
    return cv2.warpAffine(image, matrix, (new_w, new_h), flags=cv2.INTER_LINEAR, borderValue=border)


class UpsideDownVoter:
    """Votes 0° vs 180° for a page from crops of its text lines."""

    def __init__(self, model_path, threads: int = 1) -> None:
        import onnxruntime as ort

        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.log_severity_level = 3
        self._session = ort.InferenceSession(str(model_path), options, providers=["CPUExecutionProvider"])
        self._input = self._session.get_inputs()[0].name

    @staticmethod
    def _prepare(crop: np.ndarray) -> np.ndarray:
        h, w = crop.shape[:2]
        target_w = min(192, max(8, int(48 * w / max(h, 1))))
        resized = cv2.resize(crop, (target_w, 48)).astype(np.float32)
        resized = (resized / 255.0 - 0.5) / 0.5
        padded = np.zeros((3, 48, 192), dtype=np.float32)
        padded[:, :, :target_w] = resized.transpose(2, 0, 1)
        return padded

    def upside_down_share(self, image: np.ndarray, boxes: list[tuple[float, float, float, float]]) -> float:
        """Share of the (up to 24 widest) line crops that the classifier sees as turned 180°."""
        crops = []
        for x0, y0, x1, y1 in sorted(boxes, key=lambda b: b[2] - b[0], reverse=True)[:24]:
            if x1 - x0 < 2 * (y1 - y0):
                continue
            crop = image[int(max(y0, 0)) : int(y1), int(max(x0, 0)) : int(x1)]
            if crop.size:
                crops.append(self._prepare(crop if crop.ndim == 3 else cv2.cvtColor(crop, cv2.COLOR_GRAY2BGR)))
        if not crops:
            return 0.0
        probs = self._session.run(None, {self._input: np.stack(crops)})[0]
        weights = probs.max(axis=1)
        return float((weights * (probs[:, 1] > probs[:, 0])).sum() / weights.sum())
