"""Quarter turns and skew found from the page itself, before any OCR."""

import random

import numpy as np
import pytest

from extractors.orientation import deskew, estimate_quarter_and_skew, rotate_quarter
from tests.generator.draw import scan
from tests.generator.packets import PacketSpec, build


@pytest.fixture(scope="module")
def prose_pages():
    built = build(PacketSpec(seed=41))
    return [d.pages[0] for d in built.drawn if d.doc_type in ("application_letter", "business_license")]


@pytest.mark.parametrize("quarter", [0, 90, 180, 270])
@pytest.mark.parametrize("skew", [-2.5, 0.0, 1.7])
def test_rows_direction_and_skew(prose_pages, quarter, skew):
    for page in prose_pages:
        image = np.asarray(scan(page, random.Random(1), quarter=quarter, skew=skew))[:, :, ::-1].copy()
        found_quarter, found_skew = estimate_quarter_and_skew(image)
        assert found_quarter == (0 if quarter in (0, 180) else 90)
        if found_quarter == 0:
            # deskewing by the found angle undoes the scanner's tilt (sign flips when upside down)
            assert abs(abs(found_skew) - abs(skew)) <= 0.5


def test_rotate_quarter_and_deskew_keep_content():
    image = np.zeros((100, 200, 3), np.uint8)
    assert rotate_quarter(image, 90).shape == (200, 100, 3)
    assert rotate_quarter(image, 180).shape == image.shape
    turned = deskew(np.full((100, 200), 255, np.uint8), 5)
    assert turned.shape[0] > 100 and turned.shape[1] > 200


def test_blank_page_is_left_alone():
    assert estimate_quarter_and_skew(np.full((500, 400, 3), 255, np.uint8)) == (0, 0.0)
