"""Seals: found by colour or, once copied to grey, by shape; their rings read back."""

import random

import cv2
import numpy as np
from PIL import Image

from extractors.seal import GREY_INKS, find_round_stamps, find_seals, red_ink, unwrap_ring
from tests.generator.draw import seal_image

AUTHORITY = "东莞市市场监督管理局"


def _page_with_seal(color=(200, 40, 40)) -> np.ndarray:
    """A white A4-ish page at 150 dpi with a line of print and the authority's seal over a date."""
    rng = random.Random(7)
    page = Image.new("RGB", (1754, 1240), "white")
    from PIL import ImageDraw

    from tests.generator.draw import available_fonts, font

    ImageDraw.Draw(page).text((1320, 1010), "登记机关", font=font(*available_fonts()[0], 26), fill="black")
    ImageDraw.Draw(page).text((1340, 1100), "2022年05月11日", font=font(*available_fonts()[0], 26), fill="black")
    seal = seal_image(AUTHORITY, 190, rng, color=color)
    page.paste(seal, (1360, 960), seal)
    return cv2.cvtColor(np.asarray(page), cv2.COLOR_RGB2BGR)


def _photocopied(image: np.ndarray) -> np.ndarray:
    grey = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY).astype(np.float32)
    grey = np.clip((grey - 30) * 1.25, 0, 255).astype(np.uint8)
    return cv2.cvtColor(grey, cv2.COLOR_GRAY2BGR)


def test_red_seal_found_by_colour_and_not_once_grey():
    page = _page_with_seal()
    hits = find_seals(page)
    assert len(hits) == 1
    x0, y0, x1, y1 = hits[0].bbox
    assert abs((x0 + x1) / 2 - 1455) < 20 and abs((y0 + y1) / 2 - 1055) < 20
    assert find_seals(_photocopied(page)) == []


def test_grey_seal_found_by_shape():
    copy = _photocopied(_page_with_seal())
    hits = find_round_stamps(copy)
    assert len(hits) == 1
    x0, y0, x1, y1 = hits[0].bbox
    assert abs((x0 + x1) / 2 - 1455) < 20 and 160 < x1 - x0 < 220
    # no circles on a page of plain print
    blank = np.full_like(copy, 255)
    cv2.putText(blank, "2022 05 11", (200, 300), cv2.FONT_HERSHEY_SIMPLEX, 3, (0, 0, 0), 6)
    assert find_round_stamps(blank) == []


def test_a_stamp_copied_faint_is_found_by_its_contrast_with_the_paper():
    # a copy that kept the stamp only as a light grey ring, lighter than any print
    faint = _page_with_seal(color=(212, 212, 212))
    hits = find_round_stamps(faint)
    assert len(hits) == 1
    x0, y0, x1, y1 = hits[0].bbox
    assert abs((x0 + x1) / 2 - 1455) < 20 and 160 < x1 - x0 < 220


def test_rings_read_back(settings):
    from extractors.lexicon import authority_from_reading
    from extractors.ocr import get_engine

    engine = get_engine(settings.var_dir)

    def read(strip):
        return "".join(line.text for line in engine.read_strip(strip))

    page = _page_with_seal()
    red = unwrap_ring(page, find_seals(page)[0].bbox, ink_of=red_ink)
    assert authority_from_reading(read(red)) == AUTHORITY
    for seal_colour in [(200, 40, 40), (235, 120, 120)]:  # a dark and a light copy of the stamp
        copy = _photocopied(_page_with_seal(seal_colour))
        box = find_round_stamps(copy)[0].bbox
        readings = [authority_from_reading(read(unwrap_ring(copy, box, ink_of=ink))) for ink in GREY_INKS]
        assert AUTHORITY in readings, [read(unwrap_ring(copy, box, ink_of=ink)) for ink in GREY_INKS]


def test_a_copied_stamp_with_dark_specks_in_its_strokes_is_read_whole(settings):
    from dgintake.pipeline import _seal_reader
    from extractors.lexicon import authority_from_reading
    from extractors.seal import grey_stamp_ink

    copy = _photocopied(_page_with_seal((235, 120, 120)))  # the stamp copied mid grey
    grey = cv2.cvtColor(copy, cv2.COLOR_BGR2GRAY)
    # a copier's toner: one stroke pixel in ten prints as dark as print; taken for print,
    # each would punch a hole in the stamp's characters
    specks = (grey < 200) & (grey > 120) & (np.random.default_rng(3).random(grey.shape) < 1 / 10)
    copy[specks] = 70
    strip = unwrap_ring(copy, find_round_stamps(copy)[0].bbox, ink_of=grey_stamp_ink)
    assert authority_from_reading(_seal_reader(settings)(strip)) == AUTHORITY


def test_a_proofs_issuer_lost_under_its_photocopied_seal_is_read_from_the_ring(settings):
    from dgintake.pipeline import _seal_reader
    from extractors.fields import extract_document
    from extractors.page import Line, Page

    rng = random.Random(11)
    page = Image.new("RGB", (1240, 1754), "white")
    seal = seal_image("东莞市社会保险基金管理中心", 200, rng, color=(200, 40, 40))
    page.paste(seal, (900, 1300), seal)
    image = _photocopied(cv2.cvtColor(np.asarray(page), cv2.COLOR_RGB2BGR))
    lines = [Line("参保证明", (500, 150, 740, 200), 0.99), Line("验证码：626623527594", (145, 964, 457, 993), 1.0)]
    proof = Page(file="proof.png", number=1, source="ocr", lines=lines, image=image)
    issuer = extract_document("social_insurance_proof", [proof], _seal_reader(settings)).fields["issuer"]
    assert issuer.value == "东莞市社会保险基金管理中心" and issuer.label == "印章" and issuer.confidence <= 0.9


def test_a_faint_rim_is_followed_by_the_circle_that_fits_it():
    from extractors.seal import _refined, _rim_coverage

    grey = np.full((400, 400), 255, np.uint8)
    cv2.circle(grey, (200, 200), 80, 215, 3)  # a faint rim
    # the transform's estimate a few pixels off: the rim leaves the band round part of it
    assert _rim_coverage(grey, 204, 197, 78) < 0.85
    coverage, cx, cy, r = _refined(grey, 204, 197, 78)
    assert coverage >= 0.85 and abs(cx - 200) <= 4 and abs(cy - 200) <= 4 and abs(r - 80) <= 4
    # a square frame (a QR code's box) has no circle near it that follows its rim all round
    square = np.full((400, 400), 255, np.uint8)
    cv2.rectangle(square, (130, 130), (270, 270), 40, 3)
    assert _refined(square, 200, 200, 70)[0] < 0.85
