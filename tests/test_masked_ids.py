"""Masked ID numbers: the asterisk run found from ink, readings merged digit by digit."""

import numpy as np
from PIL import Image, ImageDraw

from extractors.fields.masked_ids import star_run
from extractors.fields.social_insurance import _merge_readings
from tests.generator.draw import available_fonts, font


def _cell(text: str) -> tuple[np.ndarray, ImageDraw.ImageDraw, tuple]:
    image = Image.new("L", (420, 50), 255)
    draw = ImageDraw.Draw(image)
    face = font(*available_fonts()[0], 24)
    draw.rectangle([2, 2, 417, 47], outline=0, width=2)  # the cell's rules
    draw.text((40, 10), text, font=face, fill=60)  # grey print, as a light copy gives
    return np.asarray(image), draw, face


def test_the_asterisk_run_is_found_between_the_shown_digits():
    grey, draw, face = _cell("441900********7088")
    run = star_run(grey)
    assert run is not None
    head_end = 40 + draw.textlength("441900", font=face)
    tail_start = 40 + draw.textlength("441900********", font=face)
    assert abs(run[0] - head_end) < 8 and abs(run[1] - tail_start) < 8


def test_a_whole_number_has_no_run():
    grey, _, _ = _cell("441900198901011234")
    assert star_run(grey) is None


def test_readings_merge_only_where_they_agree():
    # each reading dropped a digit next to the run; together they show all of them
    assert _merge_readings("44190*********7088", "441900********7088") == "441900********7088"
    assert _merge_readings("4201**********328X", "4201***********28X") == "4201**********328X"
    # a narrow 1 folded away inside the shown digits
    assert _merge_readings("44900*********4850", "441900********4850") == "441900********4850"
    # the whole reading lost the cell's first digits
    assert _merge_readings("1*************6348", "441***********6348") == "441***********6348"
    # a digit read differently: the whole reading stands
    assert _merge_readings("360***********2172", "860***********2172") is None
    assert _merge_readings(None, "441900********7088") == "441900********7088"
