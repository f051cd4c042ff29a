"""Phone photos of a sheet flattened before OCR; scans left as they are."""

import random

import numpy as np

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
