"""Raster images (JPEG, PNG, TIFF multi-page, BMP, WebP, GIF): decode safely, then OCR."""

from __future__ import annotations

import io
import warnings

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from extractors.page import Page
from extractors.readers.base import ReadContext, UnreadableFile

MAX_FRAMES = 200


def _to_bgr(frame: Image.Image) -> np.ndarray:
    if frame.mode not in ("RGB", "L"):
        background = Image.new("RGB", frame.size, "white")
        rgba = frame.convert("RGBA")
        background.paste(rgba, mask=rgba.split()[-1])
        frame = background
    rgb = np.asarray(frame.convert("RGB"))
    return np.ascontiguousarray(rgb[:, :, ::-1])


def decode_frames(data: bytes, max_pixels: int) -> list[np.ndarray]:
    """Decode every frame, upright by EXIF; refuse what the header says is too big."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            image = Image.open(io.BytesIO(data))
            width, height = image.size  # read from the header, before any pixels are decoded
            if width * height > max_pixels:
                raise UnreadableFile(f"图像尺寸 {width}×{height} 超过上限（{max_pixels} 像素），已拒绝解码")
            frames = []
            for index in range(min(getattr(image, "n_frames", 1), MAX_FRAMES)):
                image.seek(index)
                frame = ImageOps.exif_transpose(image.copy()) if index == 0 else image.copy()
                frames.append(_to_bgr(frame))
            return frames
    except UnreadableFile:
        raise
    except Image.DecompressionBombError as exc:  # Pillow refuses before we can look
        raise UnreadableFile(f"图像尺寸超过上限（疑似解压炸弹），已拒绝解码：{exc}") from exc
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as exc:
        raise UnreadableFile(f"图像无法解码：{exc}") from exc


def read_image(name: str, data: bytes, ctx: ReadContext) -> list[Page]:
    frames = decode_frames(data, ctx.max_image_pixels)
    return [ctx.ocr_page(name, number, frame) for number, frame in enumerate(frames, start=1)]
