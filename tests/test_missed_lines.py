"""Lines the detector lost are found again from their ink; rules, frames and light
watermarks are not taken for lines."""

import numpy as np
from PIL import Image, ImageDraw

from extractors.missed_lines import missed_line_boxes
from extractors.page import Line
from tests.generator.draw import available_fonts, font

TEXTS = ["一般项目：技术服务、技术开发", "转让、技术推广；软件开发；信息", "系统集成服务；工业互联网数据服务", "数据处理和存储支持服务。"]


def _page(ink: int = 0):
    image = Image.new("L", (900, 400), 255)
    draw = ImageDraw.Draw(image)
    face = font(*available_fonts()[0], 26)
    boxes = []
    for i, text in enumerate(TEXTS):
        x, y = 40, 40 + i * 45
        draw.text((x, y), text, font=face, fill=ink)
        left, top, right, bottom = draw.textbbox((x, y), text, font=face)
        boxes.append((float(left), float(top), float(right), float(bottom)))
    draw.rectangle([10, 10, 890, 390], outline=ink, width=3)  # a frame
    draw.line([20, 230, 880, 230], fill=ink, width=2)  # a rule
    draw.text((300, 280), "仅供变更申请使用", font=font(*available_fonts()[0], 60), fill=205)  # a watermark
    return np.asarray(image), boxes


def test_a_lost_line_is_found_and_nothing_else():
    grey, boxes = _page()
    detected = [Line(t, b, 0.99) for t, b in zip(TEXTS, boxes) if t != TEXTS[2]]
    found = missed_line_boxes(grey, detected)
    assert len(found) == 1
    x0, y0, x1, y1 = found[0]
    tx0, ty0, tx1, ty1 = boxes[2]
    assert x0 <= tx0 + 2 and x1 >= tx1 - 2 and y0 <= ty0 + 2 and y1 >= ty1 - 2
    assert y1 - y0 < 2 * (ty1 - ty0)


def test_a_lost_line_of_a_faded_photo_is_found_as_dark_as_its_print_not_its_watermark():
    # a photographed card in glare: all print grey (150), the watermark lighter still (205)
    grey, boxes = _page(ink=150)
    found = missed_line_boxes(grey, [Line(t, b, 0.99) for t, b in zip(TEXTS, boxes) if t != TEXTS[1]])
    assert len(found) == 1 and found[0][1] <= boxes[1][1] + 2 and found[0][3] >= boxes[1][3] - 2


def test_lost_lines_are_found_where_the_detector_boxed_only_two():
    grey, boxes = _page()
    detected = [Line(t, b, 0.99) for t, b in zip(TEXTS, boxes) if t in (TEXTS[0], TEXTS[3])]
    found = sorted(missed_line_boxes(grey, detected), key=lambda b: b[1])
    assert len(found) == 2 and [round(b[1]) <= boxes[i][1] + 2 for b, i in zip(found, (1, 2))] == [True, True]


def test_nothing_is_found_when_every_line_was_detected():
    grey, boxes = _page()
    assert missed_line_boxes(grey, [Line(t, b, 0.99) for t, b in zip(TEXTS, boxes)]) == []


def test_lines_lost_on_a_card_are_sized_by_its_print_not_its_headings():
    # an ID card's back: two large headings, one detected line of small print, two lost
    image = Image.new("L", (900, 620), 255)
    draw = ImageDraw.Draw(image)
    small, large = font(*available_fonts()[0], 24), font(*available_fonts()[0], 48)
    detected = [Line("他用无效", (650.0, 40.0, 800.0, 160.0), 0.9)]  # a slanted watermark's box
    for text, y, face in (("中华人民共和国", 150, large), ("居民身份证", 240, large), ("2022.11.02-长期", 470, small)):
        draw.text((300, y), text, font=face, fill=0)
        detected.append(Line(text, tuple(float(v) for v in draw.textbbox((300, y), text, font=face)), 0.99))
    lost = []
    for text, x, y in (("签发机关", 190, 395), ("东莞市公安局大岭山分局", 330, 395)):
        draw.text((x, y), text, font=small, fill=0)
        lost.append(draw.textbbox((x, y), text, font=small))
    found = missed_line_boxes(np.asarray(image), detected)
    assert len(found) == 2
    for x0, y0, x1, y1 in lost:
        assert any(f[0] <= x0 + 2 and f[2] >= x1 - 2 and f[1] <= y0 + 2 and f[3] >= y1 - 2 for f in found)


def test_a_line_crossed_by_a_grey_seal_ring_is_found_apart_from_the_ring():
    grey, boxes = _page()
    image = Image.fromarray(grey.copy())
    draw = ImageDraw.Draw(image)
    # a photocopied seal: a grey ring, darker than a watermark, over the last line's end
    x1, cy = boxes[3][2], (boxes[3][1] + boxes[3][3]) / 2
    draw.ellipse([x1 - 60, cy - 110, x1 + 160, cy + 110], outline=120, width=6)
    detected = [Line(t, b, 0.99) for t, b in zip(TEXTS[:3], boxes[:3])]
    found = missed_line_boxes(np.asarray(image), detected)
    tx0, ty0, tx1, ty1 = boxes[3]
    assert any(x0 <= tx0 + 2 and x1 >= tx1 - 30 and y0 <= ty0 + 2 and y1 >= ty1 - 2 and y1 - y0 < 2 * (ty1 - ty0)
               for x0, y0, x1, y1 in found)


def test_a_lost_line_fading_under_shade_is_found_to_its_end():
    # a photographed card: small print that fades from black to mid grey along its line
    image = Image.new("L", (460, 300), 255)
    draw = ImageDraw.Draw(image)
    face = font(*available_fonts()[0], 15)
    detected = []
    for text, y in (("姓名", 30), ("出生", 95), ("1998年2月22日", 60), ("松山湖大道226号", 160), ("7栋172房", 185)):
        x = 20 if len(text) == 2 else 77
        draw.text((x, y), text, font=face, fill=0)
        detected.append(Line(text, tuple(float(v) for v in draw.textbbox((x, y), text, font=face)), 0.99))
    lost = Image.new("L", (200, 22), 255)
    ImageDraw.Draw(lost).text((0, 2), "广东省东莞市万江街道", font=face, fill=0)
    shade = np.linspace(100, 195, lost.width)[None, :]  # its end lighter than dark ink's bar
    text = np.asarray(lost, dtype=float)
    faded = np.where(text < 128, np.maximum(text, shade), 255).astype(np.uint8)
    grey = np.asarray(image).copy()
    grey[130:152, 77:277] = np.minimum(grey[130:152, 77:277], faded)
    ink_end = 77 + int(np.nonzero((text < 128).any(axis=0))[0].max())
    found = missed_line_boxes(grey, detected)
    assert len(found) == 1
    x0, y0, x1, y1 = found[0]
    assert x0 <= 79 and x1 >= ink_end and y0 <= 134 and y1 >= 148


def test_a_lost_line_parted_by_a_stroke_is_found_once():
    # a light grey stroke crosses the lost line: its dark ink falls into two runs, each
    # followed through the stroke's fainter ink to the line's two ends
    grey, boxes = _page()
    grey = grey.copy()
    tx0, ty0, tx1, ty1 = (int(v) for v in boxes[2])
    middle = (tx0 + tx1) // 2
    band = grey[ty0 - 2 : ty1 + 2, middle - 25 : middle + 25]
    band[band < 140] = 160
    detected = [Line(t, b, 0.99) for t, b in zip(TEXTS, boxes) if t != TEXTS[2]]
    found = missed_line_boxes(grey, detected)
    assert len(found) == 1
    x0, _, x1, _ = found[0]
    assert x0 <= tx0 + 2 and x1 >= tx1 - 2


def test_a_box_that_swallowed_the_lines_a_watermark_crosses_is_banded_for_a_second_look():
    from extractors.missed_lines import crowded_bands

    grey, boxes = _page()
    lines = [Line(t, b, 0.99) for t, b in zip(TEXTS, boxes)]
    # the detector's one tall box over the second and third lines, read as three characters
    x0, y0, x1, y1 = boxes[1][0] + 100, boxes[1][1] + 10, boxes[2][0] + 220, boxes[2][3] + 12
    crowded = Line("单位变", (x0, y0, x1, y1), 0.9)
    detected = [lines[0], crowded, lines[3]]
    [(line, (top, bottom))] = crowded_bands(grey, detected)
    assert line is crowded
    # the band reaches past the box to where the half-covered line's ink ends
    assert top <= boxes[1][1] and bottom >= boxes[2][3]
    # a title, tall and as wide as its characters, is no crowded box
    title = Line("营业执照", (300, 0, 300 + 4 * 70, 70), 0.99)
    assert crowded_bands(grey, [lines[0], title, lines[3], lines[2]]) == []


def test_part_of_a_line_read_again_inside_the_box_that_holds_it_whole_is_dropped():
    from extractors.missed_lines import without_nested_repeats

    whole = Line("广东省东莞市万江街道科技", (74, 116, 265, 134), 0.99)
    part = Line("广东省东究", (73, 123, 150, 132), 0.85)
    other = Line("1981年8月29日", (72, 83, 200, 103), 0.99)
    glued = Line("住址", (27, 118, 54, 135), 0.99)
    assert without_nested_repeats([glued, whole, part, other]) == [glued, whole, other]
    # a box inside a taller one that reads something else is kept (a stamp's word over print)
    stamp = Line("专用章", (100, 118, 160, 132), 0.9)
    assert stamp in without_nested_repeats([whole, stamp])
