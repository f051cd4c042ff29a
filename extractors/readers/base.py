"""What every reader shares: the context it reads in and the error it raises."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

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
            lines=sort_reading_order(result.lines),
            width=float(w),
            height=float(h),
            image=result.image,
            rotation=result.rotation,
            skew=result.skew,
            ocr_seconds=0.0 if result.cached else result.seconds,
        )


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
