"""Drawing helpers: fonts, text, tables, seals, scan degradations."""

from __future__ import annotations

import io
import math
import os
import random
import tempfile
from functools import lru_cache
from pathlib import Path

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

FONT_FILES = [
    ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", "Noto Sans CJK SC"),
    ("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc", "Noto Serif CJK SC"),
    ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", None),
]
BOLD_FONT = ("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc", "Noto Sans CJK SC")
WATERMARK = "仅供数字化牵引单位变更申请使用，他用无效"


def pdf_font() -> str:
    """A TrueType CJK font file for fpdf2 (which reads neither collections nor CFF):
    the first face of WenQuanYi Zen Hei, extracted once."""
    target = Path(tempfile.gettempdir()) / "dgintake-wqy-zenhei.ttf"
    if not target.exists():
        from fontTools.ttLib import TTCollection

        collection = TTCollection("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc")
        partial = target.with_suffix(f".{os.getpid()}.tmp")
        collection.fonts[0].save(str(partial))
        os.replace(partial, target)
    return str(target)


def available_fonts() -> list[tuple[str, str | None]]:
    fonts = [f for f in FONT_FILES if Path(f[0]).exists()]
    if not fonts:
        raise RuntimeError("No CJK font found: install Debian's fonts-noto-cjk")
    return fonts


@lru_cache(maxsize=256)
def font(path: str, family: str | None, size: int) -> ImageFont.FreeTypeFont:
    if family is None:
        return ImageFont.truetype(path, size)
    for index in range(10):
        try:
            candidate = ImageFont.truetype(path, size, index=index)
        except OSError:
            break
        if candidate.getname()[0] == family:
            return candidate
    return ImageFont.truetype(path, size)


NO_LINE_START = set("。，、；：？！）」』》〉】’”.,;:!?)%")


class Sheet:
    """A page being drawn, with one body font chosen per document."""

    def __init__(self, width: int, height: int, rng: random.Random, paper=(255, 255, 255)) -> None:
        self.image = Image.new("RGB", (width, height), paper)
        self.draw = ImageDraw.Draw(self.image)
        self.rng = rng
        self.font_file = rng.choice(available_fonts())

    def font(self, size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
        if bold and Path(BOLD_FONT[0]).exists():
            return font(BOLD_FONT[0], BOLD_FONT[1], size)
        return font(self.font_file[0], self.font_file[1], size)

    def text(self, xy, text: str, size: int, fill=(20, 20, 20), bold=False, spacing: float = 0.0) -> tuple[int, int]:
        """Draw text (optionally letter-spaced); return the end x and the bottom y."""
        f = self.font(size, bold)
        x, y = xy
        if spacing:
            for ch in text:
                self.draw.text((x, y), ch, font=f, fill=fill)
                x += f.getlength(ch) + spacing * size
            return int(x), y + size
        self.draw.text((x, y), text, font=f, fill=fill)
        return int(x + f.getlength(text)), y + size

    def centered(self, y: int, text: str, size: int, bold=False, spacing: float = 0.0, fill=(20, 20, 20)) -> int:
        f = self.font(size, bold)
        width = f.getlength(text) + spacing * size * max(len(text) - 1, 0)
        self.text(((self.image.width - width) / 2, y), text, size, bold=bold, spacing=spacing, fill=fill)
        return y + size

    def wrap(self, text: str, size: int, max_width: float) -> list[str]:
        """Chinese line breaking (避头尾): closing punctuation never starts a line; it
        hangs at the end of the line before, as typesetters and word processors do."""
        f = self.font(size)
        lines, current = [], ""
        for ch in text:
            if f.getlength(current + ch) > max_width and current and ch not in NO_LINE_START:
                lines.append(current)
                current = ch
            else:
                current += ch
        if current:
            lines.append(current)
        return lines

    def paragraph(self, x: int, y: int, text: str, size: int, max_width: float, leading: float = 1.6) -> int:
        for line in self.wrap(text, size, max_width):
            self.text((x, y), line, size)
            y += int(size * leading)
        return y

    def table(self, x: int, y: int, widths: list[int], rows: list[list[str]], size: int, row_h: int, wrap: bool = False) -> int:
        """A ruled table, every cell's text centred. A text too wide for its cell is
        shrunk to fit, or with `wrap` set wrapped inside the cell, the row growing to
        hold it and the other cells staying centred on it (as word processors do)."""
        for row in rows:
            f = self.font(size)
            step = int(size * 1.4)
            wrapped = [self.wrap(cell, size, width - 16) if wrap else [cell] for width, cell in zip(widths, row)]
            height = max(row_h, max(len(lines) for lines in wrapped) * step + 20)
            cx = x
            for width, cell, lines in zip(widths, row, wrapped):
                self.draw.rectangle([cx, y, cx + width, y + height], outline=(30, 30, 30), width=2)
                if len(lines) > 1:
                    top = y + (height - len(lines) * step) / 2
                    for i, line in enumerate(lines):
                        self.draw.text((cx + 8, top + i * step), line, font=f, fill=(20, 20, 20))
                else:
                    cf, tw = f, f.getlength(cell)
                    if tw > width - 8:  # shrink to fit
                        cf = self.font(max(12, int(size * (width - 8) / tw)))
                        tw = cf.getlength(cell)
                    self.draw.text((cx + (width - tw) / 2, y + (height - cf.size) / 2 - 2), cell, font=cf, fill=(20, 20, 20))
                cx += width
            y += height
        return y


def seal_image(text: str, diameter: int, rng: random.Random, centre_text: str = "", color=(220, 30, 40)) -> Image.Image:
    """A round red official seal: ring, arced name, star, optional bottom text; RGBA."""
    size = diameter
    layer = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)
    ring = max(3, size // 28)
    draw.ellipse([ring, ring, size - ring, size - ring], outline=color + (255,), width=ring)
    cx = cy = size / 2
    # star
    r_outer, r_inner = size * 0.13, size * 0.05
    points = []
    for i in range(10):
        r = r_outer if i % 2 == 0 else r_inner
        angle = -math.pi / 2 + i * math.pi / 5
        points.append((cx + r * math.cos(angle), cy + r * math.sin(angle)))
    draw.polygon(points, fill=color + (255,))
    # arced text over the top ~240 degrees
    fnt = font(BOLD_FONT[0], BOLD_FONT[1], max(10, int(size * 0.11))) if Path(BOLD_FONT[0]).exists() else font(
        *available_fonts()[0], max(10, int(size * 0.11))
    )
    span = math.radians(min(250, 20 * len(text) + 40))
    start = -math.pi / 2 - span / 2
    radius = size / 2 - ring * 2 - fnt.size * 0.65
    for i, ch in enumerate(text):
        angle = start + span * (i + 0.5) / len(text)
        glyph = Image.new("RGBA", (fnt.size + 4, fnt.size + 4), (0, 0, 0, 0))
        ImageDraw.Draw(glyph).text((2, 0), ch, font=fnt, fill=color + (255,))
        glyph = glyph.rotate(-math.degrees(angle + math.pi / 2), resample=Image.BICUBIC, expand=True)
        gx = cx + radius * math.cos(angle) - glyph.width / 2
        gy = cy + radius * math.sin(angle) - glyph.height / 2
        layer.alpha_composite(glyph, (int(gx), int(gy)))
    if centre_text:
        small = font(available_fonts()[0][0], available_fonts()[0][1], max(8, int(size * 0.08)))
        tw = small.getlength(centre_text)
        draw.text((cx - tw / 2, cy + size * 0.2), centre_text, font=small, fill=color + (255,))
    # ink is never even: knock out specks
    alpha = np.array(layer.split()[-1], dtype=np.float32)
    speckle = np.random.default_rng(rng.randrange(1 << 30)).random(alpha.shape) < 0.12
    alpha[speckle] *= 0.3
    layer.putalpha(Image.fromarray(alpha.astype(np.uint8)))
    return layer


def stamp(page: Image.Image, seal: Image.Image, centre: tuple[int, int], rng: random.Random, opacity=0.85) -> tuple:
    """Stamp a seal (multiply blend, so text below stays visible); return its box."""
    seal = seal.rotate(rng.uniform(-25, 25), resample=Image.BICUBIC)
    x0, y0 = int(centre[0] - seal.width / 2), int(centre[1] - seal.height / 2)
    base = np.asarray(page.convert("RGB"), dtype=np.float32)
    ink = np.asarray(seal, dtype=np.float32)
    alpha = ink[:, :, 3:4] / 255 * opacity
    h, w = ink.shape[:2]
    region = base[y0 : y0 + h, x0 : x0 + w]
    a = alpha[: region.shape[0], : region.shape[1]]
    colour = ink[: region.shape[0], : region.shape[1], :3]
    blended = region * (1 - a) + np.minimum(region, colour) * a
    base[y0 : y0 + h, x0 : x0 + w] = blended
    page.paste(Image.fromarray(base.astype(np.uint8)))
    return (x0, y0, x0 + w, y0 + h)


def watermark(page: Image.Image, rng: random.Random) -> None:
    layer = Image.new("RGBA", page.size, (0, 0, 0, 0))
    d = ImageDraw.Draw(layer)
    size = max(24, page.width // 22)
    fnt = font(*available_fonts()[0], size)
    d.text((page.width * 0.08, page.height * 0.45), WATERMARK, font=fnt, fill=(120, 120, 120, 90))
    layer = layer.rotate(rng.uniform(15, 35), resample=Image.BICUBIC)
    page.paste(Image.alpha_composite(page.convert("RGBA"), layer).convert("RGB"))


def photocopy(page: Image.Image, rng: random.Random) -> Image.Image:
    grey = np.asarray(page.convert("L"), dtype=np.float32)
    grey = np.clip((grey - 30) * 1.25 + rng.uniform(-10, 10), 0, 255)
    noise = np.random.default_rng(rng.randrange(1 << 30)).normal(0, 6, grey.shape)
    grey = np.clip(grey + noise, 0, 255).astype(np.uint8)
    return Image.fromarray(grey).convert("RGB")


def scan(page: Image.Image, rng: random.Random, quarter: int = 0, skew: float = 0.0, blur: float = 0.0, jpeg: int = 0):
    """Scanner/camera effects; returns the degraded image."""
    array = np.asarray(page.convert("RGB"))[:, :, ::-1].copy()
    if blur > 0:
        k = int(blur * 2) * 2 + 1
        array = cv2.GaussianBlur(array, (k, k), blur)
    if abs(skew) > 0.01:
        h, w = array.shape[:2]
        matrix = cv2.getRotationMatrix2D((w / 2, h / 2), skew, 1.0)
        array = cv2.warpAffine(array, matrix, (w, h), borderValue=(245, 245, 245))
    if quarter:
        array = np.ascontiguousarray(np.rot90(array, k=-(quarter // 90)))
    image = Image.fromarray(array[:, :, ::-1])
    if jpeg:
        buffer = io.BytesIO()
        image.save(buffer, "JPEG", quality=jpeg)
        image = Image.open(io.BytesIO(buffer.getvalue())).convert("RGB")
    return image


def photograph(image: Image.Image, rng: random.Random, width: int | None = None) -> Image.Image:
    """A phone photo of a document: on a desk, seen a little from the side (perspective),
    maybe with a glare spot, scaled to `width` pixels across the document."""
    card = np.asarray(image.convert("RGB"))[:, :, ::-1]
    h, w = card.shape[:2]
    scale = (width or w) / w
    margin = int(0.18 * w * scale) + 20
    out_w, out_h = int(w * scale) + 2 * margin, int(h * scale) + 2 * margin
    jitter = 0.06 * w * scale
    source = np.float32([[0, 0], [w, 0], [w, h], [0, h]])
    corners = [(margin, margin), (margin + w * scale, margin), (margin + w * scale, margin + h * scale), (margin, margin + h * scale)]
    target = np.float32([[x + rng.uniform(-jitter, jitter), y + rng.uniform(-jitter, jitter)] for x, y in corners])
    matrix = cv2.getPerspectiveTransform(source, target)
    desk = tuple(int(c) for c in (rng.randrange(90, 200), rng.randrange(90, 190), rng.randrange(80, 180)))
    photo = cv2.warpPerspective(card, matrix, (out_w, out_h), flags=cv2.INTER_AREA, borderValue=desk)
    if rng.random() < 0.4:  # glare: a soft bright spot
        yy, xx = np.mgrid[0:out_h, 0:out_w]
        cx, cy = rng.uniform(0.25, 0.75) * out_w, rng.uniform(0.25, 0.75) * out_h
        radius = rng.uniform(0.12, 0.25) * out_w
        glow = np.exp(-(((xx - cx) ** 2 + (yy - cy) ** 2) / (2 * radius**2)))[:, :, None] * rng.uniform(0.3, 0.6)
        photo = np.clip(photo + (255 - photo) * glow, 0, 255).astype(np.uint8)
    return Image.fromarray(photo[:, :, ::-1].copy())
