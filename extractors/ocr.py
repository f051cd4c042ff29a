"""PaddleOCR (PP-OCRv4 mobile, onnxruntime engine), offline, with a content-hash cache.

One engine per process, built lazily and warmed up once. `read(image)` turns a raw
page image into upright lines: a photographed sheet flattened, quarter turn and skew
fixed, OCR, then a 180° vote; the result is cached by the hash of the raw image, so a
page is never OCR'd twice, in one run or across runs.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import threading
import time
from collections import OrderedDict
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from extractors.flatten import find_sheet, flatten
from extractors.ink import text_band, text_only
from extractors.missed_lines import crowded_bands, missed_line_boxes, mostly_inside, without_nested_repeats
from extractors.ocr_models import DET_NAME, REC_NAME, ensure_model_dirs, orientation_model_path
from extractors.orientation import (
    UpsideDownVoter,
    deskew,
    estimate_quarter_and_skew,
    estimate_skew,
    rotate_quarter,
)
from extractors.page import Line

_MEMORY_ENTRIES = 128  # pages and strips kept in memory, most recent first
UNSURE_BELOW = 0.95  # a line read with less confidence is read once more from its own ink

# Bump when anything that changes OCR output changes, so stale cache entries are ignored.
OCR_PIPELINE_VERSION = "21"


@dataclass
class OcrResult:
    lines: list[Line]
    rotation: int  # clockwise quarter turns applied, in degrees
    skew: float
    image: np.ndarray  # the upright image the boxes refer to
    seconds: float
    cached: bool = False
    photo: bool = False  # a phone photo, flattened: glare may have faded some print


def _offline_environment(cache_home: Path) -> None:
    os.environ.setdefault("PADDLE_PDX_DISABLE_MODEL_SOURCE_CHECK", "True")
    os.environ.setdefault("PADDLE_PDX_CACHE_HOME", str(cache_home))
    os.environ.setdefault("PADDLE_PDX_LOG_LEVEL", "ERROR")


def poly_to_bbox(poly) -> tuple[float, float, float, float]:
    pts = np.asarray(poly, dtype=float).reshape(-1, 2)
    return (
        round(float(pts[:, 0].min()), 1),
        round(float(pts[:, 1].min()), 1),
        round(float(pts[:, 0].max()), 1),
        round(float(pts[:, 1].max()), 1),
    )


def drop_red(image: np.ndarray) -> np.ndarray:
    """The red channel as grey: red seals stamped over text fade to paper, black text stays.

    Seals are found on the colour image; the recogniser reads this one. (Lifting light
    grey to white as well, to clear a copy watermark, was tried twice: lifting all light
    grey thinned dense characters — 睿 read as 容 —, and lifting only broad light strokes
    erased blurred serif print, whose strokes are as light and as broad as a watermark's.)
    """
    red = image[:, :, 2]
    return np.ascontiguousarray(np.stack([red, red, red], axis=2))


def _mostly_tall(lines: list[Line]) -> bool:
    """True when most detected text runs top-to-bottom, i.e. the page is still on its side."""
    tall = sum((ln.y1 - ln.y0) * (ln.x1 - ln.x0) for ln in lines if ln.y1 - ln.y0 > 2 * (ln.x1 - ln.x0))
    wide = sum((ln.y1 - ln.y0) * (ln.x1 - ln.x0) for ln in lines if ln.x1 - ln.x0 > 2 * (ln.y1 - ln.y0))
    return tall > wide


class OcrEngine:
    def __init__(self, var_dir: Path, threads: int = 2, det_max_side: int = 1600, use_cache: bool = True) -> None:
        self.var_dir = Path(var_dir)
        self.threads = threads
        self.det_max_side = det_max_side
        self.use_cache = use_cache
        self._ocr = None
        self._voter: UpsideDownVoter | None = None
        # Recent pages only: a long-lived worker must not keep every page it ever read.
        self._memory: OrderedDict[str, dict] = OrderedDict()
        self._lock = threading.Lock()
        self.calls = 0  # real OCR passes made, for tests and benchmarks
        # seconds spent recognising outside page reads (boxes read again, seal rings), per
        # thread: a packet's extraction runs in one thread while others read theirs
        self._spent = threading.local()

    # -- set-up -----------------------------------------------------------------
    def _load(self) -> None:
        if self._ocr is not None:
            return
        _offline_environment(self.var_dir / "paddlex")
        det_dir, rec_dir = ensure_model_dirs(self.var_dir / "models")
        from paddleocr import PaddleOCR

        # paddlex sets its own logger to INFO on import and announces every model it
        # builds; keep that for --verbose runs only.
        if not logging.getLogger().isEnabledFor(logging.INFO):
            logging.getLogger("paddlex").setLevel(logging.WARNING)
        self._ocr = PaddleOCR(
            text_detection_model_name=DET_NAME,
            text_detection_model_dir=str(det_dir),
            text_recognition_model_name=REC_NAME,
            text_recognition_model_dir=str(rec_dir),
            use_doc_orientation_classify=False,
            use_doc_unwarping=False,
            use_textline_orientation=False,
            text_det_limit_type="max",
            text_det_limit_side_len=self.det_max_side,
            device="cpu",
            engine="onnxruntime",
            engine_config={"intra_op_num_threads": self.threads},
        )
        self._voter = UpsideDownVoter(orientation_model_path(), threads=self.threads)
        # The first predict is markedly slower; pay it here, not on a real page.
        warm = np.full((64, 256, 3), 255, dtype=np.uint8)
        self._ocr.predict(warm)

    # -- cache ------------------------------------------------------------------
    def _key(self, image: np.ndarray) -> str:
        digest = hashlib.sha256()
        digest.update(f"{OCR_PIPELINE_VERSION}:{self.det_max_side}:{image.shape}:{image.dtype}".encode())
        digest.update(np.ascontiguousarray(image).data)
        return digest.hexdigest()

    def _cache_path(self, key: str) -> Path:
        return self.var_dir / "cache" / "ocr" / key[:2] / f"{key}.json"

    def _cache_get(self, key: str) -> dict | None:
        if key in self._memory:
            self._memory.move_to_end(key)
            return self._memory[key]
        if not self.use_cache:
            return None
        path = self._cache_path(key)
        try:
            entry = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        self._remember(key, entry)
        return entry

    def _remember(self, key: str, entry: dict) -> None:
        self._memory[key] = entry
        self._memory.move_to_end(key)
        while len(self._memory) > _MEMORY_ENTRIES:
            self._memory.popitem(last=False)

    def forget(self) -> None:
        """Drop the in-memory results (the on-disk cache stays)."""
        self._memory.clear()

    def _cache_put(self, key: str, entry: dict) -> None:
        self._remember(key, entry)
        if not self.use_cache:
            return
        path = self._cache_path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps(entry, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, path)

    # -- reading ----------------------------------------------------------------
    def _predict(self, image: np.ndarray, page: bool = True) -> list[Line]:
        """Lines read; lines the recogniser made nothing of are kept with empty text so
        the orientation vote sees every detected box (upside-down text often reads as
        nothing at all). A page is read through `drop_red`; a strip is read as given."""
        self.calls += 1
        result = self._ocr.predict(drop_red(image) if page else np.ascontiguousarray(image))[0]
        return [
            Line(text=text.strip(), bbox=poly_to_bbox(poly), confidence=round(float(score), 4))
            for text, score, poly in zip(result["rec_texts"], result["rec_scores"], result["rec_polys"])
        ]

    @staticmethod
    def _upright(image: np.ndarray, rotation: int, skew: float) -> np.ndarray:
        return deskew(rotate_quarter(image, rotation), skew)

    def read(self, image: np.ndarray) -> OcrResult:
        """OCR a raw page image (BGR, any orientation)."""
        if image.ndim == 2:
            import cv2

            image = cv2.cvtColor(image, cv2.COLOR_GRAY2BGR)
        key = self._key(image)
        started = time.perf_counter()
        cached = self._cache_get(key)
        if cached is not None:
            if cached.get("sheet"):
                image = flatten(image, np.float32(cached["sheet"]))
            upright = self._upright(image, cached["rotation"], cached["skew"])
            lines = [Line(text=t, bbox=tuple(b), confidence=c) for t, b, c in cached["lines"]]
            return OcrResult(lines, cached["rotation"], cached["skew"], upright, time.perf_counter() - started, True,
                             photo=bool(cached.get("sheet")))

        with self._lock:  # one model, shared by threads: run it one page at a time
            self._load()
            sheet = find_sheet(image)  # a phone photo: the sheet flattened first
            if sheet is not None:
                image = flatten(image, sheet)
            quarter, skew = estimate_quarter_and_skew(image)
            rotation = 270 if quarter == 90 else 0  # rows made horizontal by a counter-clockwise turn
            upright = self._upright(image, rotation, skew)
            lines = self._predict(upright)
            if _mostly_tall(lines):  # the profile guessed the quarter wrong (tables can fool it)
                rotation = 0 if rotation == 270 else 270
                skew = estimate_skew(rotate_quarter(image, rotation))
                upright = self._upright(image, rotation, skew)
                lines = self._predict(upright)
            boxes = [line.bbox for line in lines]
            if boxes and self._voter.upside_down_share(upright, boxes) > 0.6:
                rotation = (rotation + 180) % 360
                upright = self._upright(image, rotation, skew)
                lines = self._predict(upright)
            grey = drop_red(upright)
            lines = self._redetect_crowded(upright, grey, [line for line in lines if line.text])
            lines = without_nested_repeats(lines + self._recover_missed(grey, lines))
            lines = self._unsure_read_again(grey, lines)
        seconds = time.perf_counter() - started
        self._cache_put(
            key,
            {
                "sheet": sheet.tolist() if sheet is not None else None,
                "rotation": rotation,
                "skew": skew,
                "lines": [[ln.text, list(ln.bbox), ln.confidence] for ln in lines],
            },
        )
        return OcrResult(lines, rotation, skew, upright, seconds, photo=sheet is not None)


    def read_strip(self, image: np.ndarray) -> list[Line]:
        """OCR an already-upright strip (a seal's unwrapped ring), cached like pages."""
        key = self._key(image) + "-ring"  # read as given, never through drop_red
        cached = self._cache_get(key)
        if cached is not None:
            return [Line(text=t, bbox=tuple(b), confidence=c) for t, b, c in cached["lines"]]
        with self._lock, self._timed():
            self._load()
            lines = self._predict(image, page=False)
        self._cache_put(key, {"rotation": 0, "skew": 0.0, "lines": [[ln.text, list(ln.bbox), ln.confidence] for ln in lines]})
        return lines

    def read_ring(self, strip: np.ndarray) -> Line | None:
        """A seal's unwrapped ring as one line: its text band cut out (the rim and the
        print under the stamp left behind) and recognised whole. The detector finds
        nothing in many ring strips that read plainly to a person; the recogniser alone,
        given the band, reads them."""
        band = text_band(strip)
        if band is None:
            return None
        return self._recognise_cached(band, "-ringband", (0, 0, band.shape[1], band.shape[0]))

    def read_region(self, image: np.ndarray, box: tuple[float, float, float, float], stretch: float = 2.0) -> Line | None:
        """Recognise one box of an upright page as a single line, skipping detection.

        The detector splits or drops runs of asterisks (a masked ID number is mostly
        stars), so a table cell known to hold one value is read whole, stretched to twice
        its width: at natural width the recogniser (CTC) has too few time steps for a run
        of identical narrow characters and reads ten asterisks as six, eating the digits
        beside them. Cached like pages.
        """
        x0, y0, x1, y1 = (int(round(v)) for v in box)
        x0, y0 = max(x0, 0), max(y0, 0)
        crop = text_only(drop_red(image[y0:y1, x0:x1]), stretch=stretch)
        if crop is None:
            return None
        return self._recognise_cached(crop, "-cell2", (x0, y0, x1, y1))

    def recognising_seconds(self) -> float:
        """Seconds this thread has spent recognising outside page reads."""
        return getattr(self._spent, "seconds", 0.0)

    @contextmanager
    def _timed(self):
        started = time.perf_counter()
        try:
            yield
        finally:
            self._spent.seconds = self.recognising_seconds() + time.perf_counter() - started

    def _recognise_cached(self, crop: np.ndarray, kind: str, bbox: tuple) -> Line | None:
        """The recogniser alone on one line image, cached by the image's hash and `kind`;
        the line carries `bbox`."""
        key = self._key(crop) + kind
        cached = self._cache_get(key)
        if cached is None:
            with self._lock, self._timed():
                self._load()
                text, confidence = self._recognise(crop)
            cached = {"rotation": 0, "skew": 0.0, "lines": [[text, [float(v) for v in bbox], confidence]]}
            self._cache_put(key, cached)
        text, box, confidence = cached["lines"][0]
        return Line(text=text, bbox=tuple(box), confidence=confidence) if text else None

    def _recognise(self, crop: np.ndarray) -> tuple[str, float]:
        """The recogniser alone on one line image (the caller holds the lock)."""
        pipeline = getattr(self._ocr.paddlex_pipeline, "_pipeline", self._ocr.paddlex_pipeline)
        result = next(iter(pipeline.text_rec_model([np.ascontiguousarray(crop)])))
        return str(result["rec_text"]).strip(), round(float(result["rec_score"]), 4)

    def _recognise_ink(self, patch: np.ndarray) -> tuple[str, float]:
        """The recogniser alone on a patch of a page through `drop_red`, cut to its ink
        (the caller holds the lock); ("", 0.0) where the patch holds none."""
        crop = text_only(patch)
        return self._recognise(crop) if crop is not None else ("", 0.0)

    def _redetect_crowded(self, upright: np.ndarray, grey: np.ndarray, lines: list[Line]) -> list[Line]:
        """Boxes that swallowed the lines a watermark crosses, replaced by what the
        detector finds on their band of rows alone (see `crowded_bands`); `grey` is
        `upright` through `drop_red`."""
        for crowded, (top, bottom) in crowded_bands(grey[:, :, 0], lines):
            found = [
                Line(text=ln.text, bbox=(ln.x0, ln.y0 + top, ln.x1, ln.y1 + top), confidence=ln.confidence)
                for ln in self._predict(upright[top:bottom]) if ln.text
            ]
            if not found:
                continue
            kept = [ln for ln in lines if ln is not crowded]
            lines = kept + [ln for ln in found if not any(mostly_inside(ln, other) for other in kept)]
        return lines

    def _recover_missed(self, grey: np.ndarray, lines: list[Line]) -> list[Line]:
        """Lines the detector lost under a watermark or stamp, recognised from their ink
        (`grey`: the upright page through `drop_red`)."""
        found = []
        for box in missed_line_boxes(grey[:, :, 0], lines):
            x0, y0, x1, y1 = (int(round(v)) for v in box)
            text, confidence = self._recognise_ink(grey[max(y0, 0) : y1, max(x0, 0) : x1])
            if text and confidence >= 0.7:
                found.append(Line(text=text, bbox=(float(max(x0, 0)), float(max(y0, 0)), float(x1), float(y1)),
                                  confidence=confidence))
        return found

    def _unsure_read_again(self, grey: np.ndarray, lines: list[Line]) -> list[Line]:
        """Lines the recogniser was unsure of, read again from their own ink with a little
        paper round it; the surer reading kept. The detector's box is tight, and a stroke
        it cut (三 read as 二), a colon at its edge (名称： read as 称长) or a seal's rim
        beside it is what the recogniser most often guessed at."""
        heights = sorted(ln.height for ln in lines if ln.bbox)
        typical = heights[len(heights) // 2] if heights else 0.0
        again = []
        for line in lines:
            if line.confidence >= UNSURE_BELOW or not line.bbox or line.height > 2.2 * typical:
                again.append(line)
                continue
            pad = 0.15 * line.height
            x0, y0 = int(max(line.x0 - pad, 0)), int(max(line.y0 - pad, 0))
            text, confidence = self._recognise_ink(grey[y0 : int(line.y1 + pad) + 1, x0 : int(line.x1 + pad) + 1])
            better = text and confidence > line.confidence + 0.02
            again.append(Line(text=text, bbox=line.bbox, confidence=confidence) if better else line)
        return again


_engine: OcrEngine | None = None
_engine_lock = threading.Lock()


def get_engine(var_dir: Path, threads: int = 2, det_max_side: int = 1600, use_cache: bool = True) -> OcrEngine:
    """The process-wide engine (models are loaded once per process)."""
    global _engine
    with _engine_lock:
        if _engine is None or (_engine.var_dir, _engine.det_max_side, _engine.use_cache) != (
            Path(var_dir),
            det_max_side,
            use_cache,
        ):
            _engine = OcrEngine(var_dir, threads, det_max_side, use_cache)
        return _engine
