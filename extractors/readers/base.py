"""What every reader shares: the context it reads in and the error it raises."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from extractors.flatten import even_out_glare
from extractors.ocr import OcrEngine, OcrResult
from extractors.page import Line, Page


class UnreadableFile(Exception):
    """The file cannot be read; the message is shown to reviewers (Chinese)."""


@dataclass
class ReadContext:
    engine_factory: Callable[[], OcrEngine]
    render_dpi: int = 200
    max_pdf_pages: int = 200
    max_image_pixels: int = 80_000_000
    notes: list[tuple[str, str]] = field(default_factory=list)  # (file, message) for partial reads
    _engine: OcrEngine | None = None

    @property
    def engine(self) -> OcrEngine:
        if self._engine is None:
            self._engine = self.engine_factory()
        return self._engine

    def ocr_page(self, file: str, number: int, image: np.ndarray) -> Page:
        result: OcrResult = self.engine.read(image)
        h, w = result.image.shape[:2]
        return Page(
            file=file,
            number=number,
            source="ocr",
            lines=sort_reading_order(drop_faint_lines(result.lines, result.image, result.photo)),
            width=float(w),
            height=float(h),
            image=result.image,
            rotation=result.rotation,
            skew=result.skew,
            ocr_seconds=0.0 if result.cached else result.seconds,
            reread=lambda box, stretch=2.0, engine=self.engine, upright=result.image: engine.read_region(
                upright, box, stretch
            ),
        )


def drop_faint_lines(lines: list[Line], image: np.ndarray, photo: bool = False) -> list[Line]:
    """Leave out text printed much fainter than the page's own: copy watermarks
    (「仅供……使用，他用无效」), show-through from the back, grey seal remnants.

    Faintness is the darkest ink in the line's box (1st percentile of the red channel,
    the channel OCR reads): black print, however thin or blurred, has some near-black
    pixels; a grey watermark has none. The bar rises with the page's typical line so a
    light scan keeps its text. On a phone photo, glare fades print as grey as a
    watermark: a box shaped like a line of body text (a watermark's is a slanted band,
    or its single large characters) is judged with the glare taken out.
    """
    if len(lines) < 4 or image is None:
        return lines
    red = image[:, :, 2] if image.ndim == 3 else image
    heights = sorted(ln.height for ln in lines if ln.bbox)
    typical_height = heights[len(heights) // 2]
    evened = None
    if photo and image.ndim == 3 and (glare_free := even_out_glare(image)) is not image:
        evened = glare_free[:, :, 2]
    darkness = []
    for line in lines:
        x0, y0, x1, y1 = (int(v) for v in line.bbox)
        box = (slice(max(y0, 0), max(y1, y0 + 1)), slice(max(x0, 0), max(x1, x0 + 1)))
        crop = red[box]
        ink = float(np.percentile(crop, 1)) if crop.size else 0.0
        if evened is not None and crop.size and line.height <= 1.6 * typical_height and x1 - x0 >= 2 * line.height:
            ink = min(ink, float(np.percentile(evened[box], 1)))
        darkness.append(ink)
    typical = float(np.median(darkness))
    limit = max(145.0, typical + 70.0)
    return [line for line, ink in zip(lines, darkness) if ink <= limit]


def sort_reading_order(lines: list[Line]) -> list[Line]:
    """Top-to-bottom rows, left-to-right within a row (rows grouped by vertical overlap)."""
    rows: list[list[Line]] = []
    for line in sorted(lines, key=lambda ln: ln.cy):
        if rows:
            last = rows[-1]
            ref = sum(ln.cy for ln in last) / len(last)
            tol = 0.5 * min(line.height, sum(ln.height for ln in last) / len(last))
            if abs(line.cy - ref) <= max(tol, 2.0):
                last.append(line)
                continue
        rows.append([line])
    return [ln for row in rows for ln in sorted(row, key=lambda ln: ln.x0)]
