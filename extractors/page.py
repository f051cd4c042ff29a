"""The reading stage's output: pages made of text lines with boxes.

Every reader (PDF text layer, OCR, DOCX, XLSX) produces the same `Page`, so the
classifier and the field extractors never care where the text came from.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

import numpy as np

BBox = tuple[float, float, float, float]
TextSource = Literal["text_layer", "ocr", "docx", "xlsx"]


@dataclass
class Line:
    """One line of text as read, with its box in page-image pixels."""

    text: str
    bbox: BBox | None
    confidence: float = 1.0

    @property
    def x0(self) -> float:
        return self.bbox[0] if self.bbox else 0.0

    @property
    def y0(self) -> float:
        return self.bbox[1] if self.bbox else 0.0

    @property
    def x1(self) -> float:
        return self.bbox[2] if self.bbox else 0.0

    @property
    def y1(self) -> float:
        return self.bbox[3] if self.bbox else 0.0

    @property
    def height(self) -> float:
        return self.y1 - self.y0

    @property
    def cy(self) -> float:
        return (self.y0 + self.y1) / 2


@dataclass
class Table:
    """A table read from a structured source (docx, xlsx, a PDF text layer)."""

    rows: list[list[str | None]]
    bbox: BBox | None = None


@dataclass
class Page:
    """One page of one file, oriented upright."""

    file: str
    number: int  # 1-based within the file
    source: TextSource
    lines: list[Line] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    width: float = 0.0
    height: float = 0.0
    # The upright page image (BGR) where one exists: seals are looked for here and
    # field boxes refer to its pixels. Text-layer pages carry a low-resolution render.
    image: np.ndarray | None = None
    image_scale: float = 1.0  # image pixels per page pixel (text-layer pages keep a small render)
    images: list[np.ndarray] = field(default_factory=list)  # embedded pictures (docx)
    rotation: int = 0  # degrees clockwise applied to make the page upright
    skew: float = 0.0
    ocr_seconds: float = 0.0
    # Recognise one box of `image` as a single line (OCR pages only): for cells the
    # detector split or missed.
    reread: Callable[..., Line | None] | None = field(default=None, repr=False, compare=False)

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)

    @property
    def compact_text(self) -> str:
        """The page's text without any white space, for keyword matching."""
        return "".join(self.text.split())
