"""Lines the detector lost are found again from their ink; rules, frames and light
watermarks are not taken for lines."""

import numpy as np
from PIL import Image, ImageDraw

from extractors.missed_lines import missed_line_boxes
from extractors.page import Line
from tests.generator.draw import available_fonts, font

TEXTS = ["一般项目：技术服务、技术开发", "转让、技术推广；软件开发；信息", "系统集成服务；工业互联网数据服务", "数据处理和存储支持服务。"]


def _page():
    image = Image.new("L", (900, 400), 255)
    draw = ImageDraw.Draw(image)
    face = font(*available_fonts()[0], 26)
    boxes = []
    for i, text in enumerate(TEXTS):
        x, y = 40, 40 + i * 45
        draw.text((x, y), text, font=face, fill=0)
        left, top, right, bottom = draw.textbbox((x, y), text, font=face)
        boxes.append((float(left), float(top), float(right), float(bottom)))
    draw.rectangle([10, 10, 890, 390], outline=0, width=3)  # a frame
    draw.line([20, 230, 880, 230], fill=0, width=2)  # a rule
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


def test_nothing_is_found_when_every_line_was_detected():
    grey, boxes = _page()
    assert missed_line_boxes(grey, [Line(t, b, 0.99) for t, b in zip(TEXTS, boxes)]) == []
