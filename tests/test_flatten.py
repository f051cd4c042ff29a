"""Phone photos of a sheet flattened before OCR; scans left as they are."""

import random

import numpy as np
from PIL import Image

from extractors.flatten import find_sheet, flatten
from extractors.seal import find_round_stamps
from tests.generator.draw import photograph, scan, seal_image, stamp
from tests.generator.packets import PacketSpec, build


def _licence():
    built = build(PacketSpec(seed=41))
    return next(d.pages[0] for d in built.drawn if d.doc_type == "business_license").convert("RGB")


def test_a_photographed_sheet_is_found_and_flattened_to_its_own_shape():
    page = _licence()
    stamp(page, seal_image("东莞市市场监督管理局", 200, random.Random(3), color=(200, 40, 40)), (page.width - 300, page.height - 250),
          random.Random(3), opacity=0.9)
    for seed in range(4):
        photo = np.asarray(photograph(page, random.Random(seed), width=1800))[:, :, ::-1].copy()
        corners = find_sheet(photo)
        assert corners is not None, seed
        flat = flatten(photo, corners)
        # the sheet's proportions come back (within the perspective's foreshortening)
        assert abs(flat.shape[1] / flat.shape[0] - page.width / page.height) < 0.12, seed
        # and its seal is round again, so its ring can be read
        assert find_round_stamps(flat), seed


def test_a_scan_is_left_alone():
    page = _licence()
    for skew in (0.0, 1.5):
        image = np.asarray(scan(page, random.Random(1), skew=skew))[:, :, ::-1].copy()
        assert find_sheet(image) is None
    assert find_sheet(np.full((800, 600, 3), 255, np.uint8)) is None


def test_glare_is_taken_out_of_a_photographed_sheet_and_a_plain_one_is_left_alone():
    # (what it is for: a line faded under glare is not left out as a watermark would be)
    from PIL import ImageDraw

    from extractors.flatten import even_out_glare
    from tests.generator.draw import available_fonts, font

    sheet = Image.new("RGB", (1400, 900), "white")
    draw = ImageDraw.Draw(sheet)
    for i in range(8):
        draw.text((100, 100 + 80 * i), "注册资本：200万元人民币 成立日期：2020年06月29日", font=font(*available_fonts()[0], 30), fill="black")
    plain = np.asarray(sheet)[:, :, ::-1].copy()
    assert even_out_glare(plain) is plain
    # glare as a photo has it: a soft bright spot lifting print towards white
    yy, xx = np.mgrid[0:900, 0:1400]
    glow = np.exp(-(((xx - 750) ** 2 + (yy - 300) ** 2) / (2 * 250.0**2)))[:, :, None] * 0.6
    glared = np.clip(plain + (255 - plain.astype(np.float32)) * glow, 0, 255).astype(np.uint8)
    spot = (slice(250, 350), slice(650, 850))
    assert glared[spot][:, :, 2].min() > 130  # print there is grey
    evened = even_out_glare(glared)
    assert evened[spot][:, :, 2].min() < 90  # black again
    assert np.percentile(evened[:, :, 2], 50) >= 250  # paper stays white


def test_print_faded_under_glare_is_kept_and_a_watermark_is_still_left_out():
    from PIL import ImageDraw

    from extractors.page import Line
    from extractors.readers.base import drop_faint_lines
    from tests.generator.draw import available_fonts, font

    sheet = Image.new("RGB", (1400, 900), "white")
    draw = ImageDraw.Draw(sheet)
    face = font(*available_fonts()[0], 30)
    lines = []
    for i in range(5):
        xy = (100, 100 + 80 * i)
        draw.text(xy, "注册资本：200万元人民币 成立日期：2020年06月29日", font=face, fill="black")
        lines.append(Line(f"line {i}", tuple(float(v) for v in draw.textbbox(xy, "注册资本：200万元人民币 成立日期：2020年06月29日", font=face)), 0.99))
    # a copy watermark's slanted band below the print, as grey as the faded print, boxed whole
    band = Image.new("L", (900, 120), 0)
    ImageDraw.Draw(band).text((10, 10), "仅供变更申请使用", font=font(*available_fonts()[0], 90), fill=255)
    band = band.rotate(25, expand=True)
    sheet.paste(Image.new("RGB", band.size, (150, 150, 150)), (250, 480), band)
    lines.append(Line("仅供变更申请使用", (250.0, 480.0, 250.0 + band.width, 480.0 + band.height), 0.9))
    plain = np.asarray(sheet)[:, :, ::-1].copy()
    yy, xx = np.mgrid[0:900, 0:1400]
    glow = np.exp(-(((xx - 750) ** 2 + (yy - 180) ** 2) / (2 * 200.0**2)))[:, :, None] * 0.6
    glared = np.clip(plain + (255 - plain.astype(np.float32)) * glow, 0, 255).astype(np.uint8)
    kept = {ln.text for ln in drop_faint_lines(lines, glared, photo=True)}
    assert {f"line {i}" for i in range(5)} <= kept and "仅供变更申请使用" not in kept
