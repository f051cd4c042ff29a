"""Image readers through real OCR: EXIF orientation, multi-page TIFF, WebP and BMP."""

import io
import random

from PIL import Image

from dgintake.pipeline import make_read_context
from extractors.classify import classify_page
from extractors.readers import read_file
from tests.generator.forms import card_back, card_front
from tests.generator.identities import make_person


def _cards():
    rng = random.Random(5)
    person = make_person(rng)
    from datetime import date

    return person, card_front(person, rng), card_back("东莞市公安局", date(2020, 1, 2), date(2040, 1, 2), rng)


def test_exif_rotated_jpeg_is_read_upright(settings):
    person, front, _ = _cards()
    stored = front.rotate(90, expand=True)  # a phone stores the pixels on their side…
    exif = Image.Exif()
    exif[0x0112] = 6  # …and says so in EXIF (rotate 90° clockwise to view)
    buffer = io.BytesIO()
    stored.save(buffer, "JPEG", quality=92, exif=exif.tobytes())
    page = read_file("card.jpg", buffer.getvalue(), make_read_context(settings))[0]
    assert page.rotation == 0  # EXIF already made it upright: no turn was needed
    assert classify_page(page).doc_types == ["id_card_front"]
    assert person.id_number in page.compact_text


def test_multipage_tiff_gives_one_page_per_frame(settings):
    _, front, back = _cards()
    buffer = io.BytesIO()
    front.save(buffer, "TIFF", save_all=True, append_images=[back])
    pages = read_file("cards.tif", buffer.getvalue(), make_read_context(settings))
    assert [p.number for p in pages] == [1, 2]
    assert [classify_page(p).doc_types for p in pages] == [["id_card_front"], ["id_card_back"]]


def test_webp_and_bmp(settings):
    _, _, back = _cards()
    for fmt in ("WEBP", "BMP"):
        buffer = io.BytesIO()
        back.save(buffer, fmt)
        page = read_file(f"back.{fmt.lower()}", buffer.getvalue(), make_read_context(settings))[0]
        assert "签发机关" in page.compact_text
