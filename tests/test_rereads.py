"""Second readings from the page image: credit codes inside prose, swollen name cells."""

import numpy as np
from PIL import Image, ImageDraw
from stdnum.cn import uscc

from extractors.fields.code_spans import code_in_prose, span_box
from extractors.fields.common import find_uscc, uscc_ok
from extractors.page import Line, Page
from tests.generator.draw import available_fonts, font

CODE = "914419005M5JJMLB0" + uscc.calc_check_digit("914419005M5JJMLB0")
FIRST = "我单位东莞市数联达电子科技有限公司（统一社会信用代码：" + CODE[:13]
SECOND = CODE[13:] + "）为东莞市数字化牵引单位。"


def _rendered(first: str, second: str) -> tuple[np.ndarray, list[Line]]:
    image = Image.new("RGB", (1500, 200), "white")
    draw = ImageDraw.Draw(image)
    face = font(*available_fonts()[0], 30)
    lines = []
    for i, text in enumerate((first, second)):
        left, top, right, bottom = draw.textbbox((40, 40 + 60 * i), text, font=face)
        draw.text((40, 40 + 60 * i), text, font=face, fill="black")
        lines.append(Line(text, (float(left), float(top) - 4, float(right), float(bottom) + 4), 0.99))
    return np.asarray(image)[:, :, ::-1].copy(), lines


def test_a_code_wrapped_over_two_lines_is_joined():
    _, lines = _rendered(FIRST, SECOND)
    page = Page(file="letter.pdf", number=1, source="ocr", lines=lines)
    found = code_in_prose([page], find_uscc, uscc_ok)
    assert found is not None and found.value == CODE and not found.corrected
    assert found.confidence < 0.99  # a join is less sure than one line


def test_the_span_box_holds_the_code_and_little_else():
    image = Image.new("L", (1500, 100), 255)
    draw = ImageDraw.Draw(image)
    face = font(*available_fonts()[0], 30)
    start = 40 + draw.textlength(FIRST[: -13], font=face)
    end = 40 + draw.textlength(FIRST, font=face)
    left, top, right, bottom = draw.textbbox((40, 30), FIRST, font=face)
    line = Line(FIRST, (float(left), float(top), float(right), float(bottom)), 0.99)
    x0, _, x1, _ = span_box(line, len(FIRST) - 13, len(FIRST))
    assert x0 <= start and x1 >= end - 2
    assert x1 - x0 < 0.5 * (right - left)


def _page_read_with(first_as_read: str, settings, image, lines) -> Page:
    from extractors.ocr import get_engine

    engine = get_engine(settings.var_dir)
    lines = [Line(first_as_read, lines[0].bbox, 0.97), lines[1]]
    return Page(file="letter.pdf", number=1, source="ocr", lines=lines, image=image,
                reread=lambda box, stretch=2.0: engine.read_region(image, box, stretch))


def test_a_doubled_character_lost_in_the_line_is_read_back_from_its_span(settings):
    image, lines = _rendered(FIRST, SECOND)
    # the whole-line reading collapsed JJ into J: 17 characters, no valid code
    page = _page_read_with(FIRST.replace("JJ", "J"), settings, image, lines)
    found = code_in_prose([page], find_uscc, uscc_ok)
    assert found is not None and found.value == CODE
    assert found.confidence <= 0.9


def test_a_code_really_printed_wrong_stays_unfound(settings):
    wrong_check = CODE[:-1] + ("1" if CODE[-1] != "1" else "2")
    assert not uscc_ok(wrong_check)
    image, lines = _rendered(FIRST, wrong_check[13:] + "）为东莞市数字化牵引单位。")
    page = _page_read_with(FIRST, settings, image, lines)
    assert code_in_prose([page], find_uscc, uscc_ok) is None


def test_a_name_box_swollen_over_a_watermark_is_read_again_from_its_ink(settings):
    from extractors.fields.tables import read_table
    from extractors.fields.team_list import COLUMNS
    from extractors.ocr import get_engine

    engine = get_engine(settings.var_dir)
    image = Image.new("RGB", (900, 200), "white")
    draw = ImageDraw.Draw(image)
    face = font(*available_fonts()[0], 30)
    cells = [("姓名", 60, 30), ("身份证号码", 400, 30), ("曾鹏嘉", 60, 110), ("452501198406200930", 400, 110)]
    lines = []
    for text, x, y in cells:
        draw.text((x, y), text, font=face, fill="black")
        lines.append(Line(text, tuple(float(v) for v in draw.textbbox((x, y), text, font=face)), 0.99))
    # a light copy watermark, diagonal strokes crossing the name cell's lower right
    draw.text((150, 125), "字", font=font(*available_fonts()[0], 60), fill=(215, 215, 215))
    x0, y0, x1, y1 = lines[2].bbox
    lines[2] = Line("曾鹏嘉子", (x0, y0 - 8, x1 + 45, y1 + 14), 0.99)  # as the detector swelled it
    array = np.asarray(image)[:, :, ::-1].copy()
    page = Page(file="team.pdf", number=1, source="ocr", lines=lines, image=array,
                reread=lambda box, stretch=2.0: engine.read_region(array, box, stretch))
    rows = read_table([page], COLUMNS, lambda r: bool(r.get("name")))
    assert [r["name"] for r in rows] == ["曾鹏嘉"]


def test_a_one_character_ethnic_group_the_detector_left_out_is_read_beside_its_label(settings):
    from extractors.fields import id_card
    from extractors.ocr import get_engine

    engine = get_engine(settings.var_dir)
    image = Image.new("RGB", (700, 160), "white")
    draw = ImageDraw.Draw(image)
    face = font(*available_fonts()[0], 32)
    lines = []
    for text, x in (("性别", 40), ("男", 160), ("民族", 300)):
        draw.text((x, 60), text, font=face, fill="black")
        lines.append(Line(text, tuple(float(v) for v in draw.textbbox((x, 60), text, font=face)), 0.99))
    draw.text((430, 60), "回", font=face, fill="black")  # printed, but never boxed
    array = np.asarray(image)[:, :, ::-1].copy()
    page = Page(file="id.png", number=1, source="ocr", lines=lines, image=array,
                reread=lambda box, stretch=2.0: engine.read_region(array, box, stretch))
    fields = id_card.extract_front([page])
    assert fields["ethnicity"].value == "回" and fields["ethnicity"].confidence <= 0.9


def test_a_date_whose_end_the_detector_lost_is_read_again_past_it(settings):
    from extractors.fields import business_license
    from extractors.ocr import get_engine

    image, lines = _rendered("登记机关", "2019年07月22日")
    label, date_line = lines
    # the detector's box stopped after 2019年07月2 (the rest under the seal)
    cut = Line("2019年07月2", (date_line.x0, date_line.y0, date_line.x0 + 0.72 * (date_line.x1 - date_line.x0), date_line.y1), 0.99)
    engine = get_engine(settings.var_dir)
    page = Page(file="licence.jpg", number=1, source="ocr", lines=[label, cut], image=image,
                reread=lambda box, stretch=2.0: engine.read_region(image, box, stretch))
    found = business_license.extract([page])["issue_date"]
    assert found.value == "2019-07-22" and found.confidence <= 0.95
    # with nothing to read past it, the date is kept as read and marked unsure
    page.reread = None
    assert business_license.extract([page])["issue_date"].confidence < 0.85


def test_chinese_numeral_dates_with_the_zero_misread():
    from extractors.fields.common import date_may_be_cut, parse_date

    assert parse_date("二Q一八年二月九日") == "2018-02-09"
    assert parse_date("二0二二年四月廿一日") == "2022-04-21"
    assert date_may_be_cut("2019年07月2") and date_may_be_cut("2019 年 7 月")
    assert not date_may_be_cut("2019年07月22日")


def test_an_address_line_of_one_character_the_detector_missed_is_read_again(settings):
    from extractors.fields import id_card
    from extractors.ocr import get_engine

    image = Image.new("RGB", (700, 330), "white")
    draw = ImageDraw.Draw(image)
    face = font(*available_fonts()[0], 30)
    lines = []
    for x, y, text in ((40, 40, "住址"), (140, 40, "广东省东莞市东城街道鸿福"), (140, 85, "路117号18栋1841"), (140, 130, "房")):
        left, top, right, bottom = draw.textbbox((x, y), text, font=face)
        draw.text((x, y), text, font=face, fill="black")
        lines.append(Line(text, (float(left), float(top) - 3, float(right), float(bottom) + 3), 0.99))
    array = np.asarray(image)[:, :, ::-1].copy()
    engine = get_engine(settings.var_dir)
    page = Page(file="id.jpg", number=1, source="ocr", lines=lines[:3], image=array,
                reread=lambda box, stretch=2.0: engine.read_region(array, box, stretch))
    found = id_card.extract_front([page])["address"]
    assert found.value == "广东省东莞市东城街道鸿福路117号18栋1841房" and found.confidence <= 0.9


def test_an_invalid_code_wrapped_over_two_lines_is_reported_whole_as_printed():
    from extractors.fields import application_letter

    broken = CODE[:-1] + ("1" if CODE[-1] != "1" else "2")
    assert not uscc_ok(broken)
    page = Page(file="letter.jpg", number=1, source="ocr", lines=[
        Line("我单位东莞市数联信息技术有限公司（统一社会信用代码：" + broken[:17], (190, 321, 1139, 349), 0.99),
        Line(broken[17:] + "）为东莞市中小企业数字化转型城市试点数字化牵引单位。", (189, 363, 1135, 391), 0.99)])
    found = application_letter.extract([page])["credit_code"]
    assert found.value == broken and found.confidence < 0.95


def test_a_chinese_numeral_date_whose_day_mark_reads_as_another_character():
    from extractors.fields.common import parse_date

    assert parse_date("二〇〇六年六月八白") == "2006-06-08"


def _drawn_page(settings, size, items, boxed):
    """A page with `items` (text, x, y, px[, rgb]) drawn; only those in `boxed` given
    boxes, each as (text as read, box cut to the first n characters or None for the
    whole)."""
    from extractors.ocr import get_engine

    engine = get_engine(settings.var_dir)
    image = Image.new("RGB", size, "white")
    draw = ImageDraw.Draw(image)
    lines = []
    for text, x, y, px, *ink in items:
        face = font(*available_fonts()[0], px)
        draw.text((x, y), text, font=face, fill=tuple(ink[0]) if ink else "black")
        if text in boxed:
            read, keep = boxed[text]
            left, top, right, bottom = draw.textbbox((x, y), text[:keep] if keep else text, font=face)
            lines.append(Line(read, (float(left), float(top) - 3, float(right), float(bottom) + 3), 0.99))
    array = np.asarray(image)[:, :, ::-1].copy()
    return Page(file="id.png", number=1, source="ocr", lines=lines, image=array,
                reread=lambda box, stretch=2.0: engine.read_region(array, box, stretch))


def test_a_value_cut_short_by_the_detector_is_read_again_past_its_end(settings):
    from extractors.fields import id_card

    page = _drawn_page(settings, (900, 160), [("签发机关", 40, 60, 30), ("东莞市公安局厚街分局", 220, 60, 30)],
                       {"签发机关": ("签发机关", None), "东莞市公安局厚街分局": ("东莞市公安局厚", 7)})
    issuer = id_card.extract_back([page])["issuing_authority"]
    assert issuer.value == "东莞市公安局厚街分局" and issuer.confidence <= 0.9


def test_a_sex_row_whose_ethnic_group_and_label_went_unboxed_is_read_again(settings):
    from extractors.fields import id_card

    page = _drawn_page(settings, (700, 160), [("性别", 40, 60, 32), ("女", 160, 60, 32), ("民族", 300, 60, 32), ("汉", 430, 60, 32)],
                       {"性别": ("性别", None), "女": ("女", None)})
    assert id_card.extract_front([page])["ethnicity"].value == "汉"


def test_an_address_line_of_digits_the_detector_missed_is_read_again(settings):
    from extractors.fields import id_card

    page = _drawn_page(settings, (700, 260), [("住址", 40, 40, 30), ("广东省东莞市石龙镇科", 160, 40, 30),
                                              ("技十路154号2栋2", 160, 90, 30), ("773房", 160, 140, 30)],
                       {"住址": ("住址", None), "广东省东莞市石龙镇科": ("广东省东莞市石龙镇科", None),
                        "技十路154号2栋2": ("技十路154号2栋2", None)})
    assert id_card.extract_front([page])["address"].value == "广东省东莞市石龙镇科技十路154号2栋2773房"


def test_a_date_whose_start_the_detector_lost_is_read_again_over_a_box_reaching_left(settings):
    from extractors.fields import business_license
    from extractors.ocr import get_engine

    engine = get_engine(settings.var_dir)
    image = Image.new("RGB", (900, 300), "white")
    draw = ImageDraw.Draw(image)
    face = font(*available_fonts()[0], 30)
    draw.text((300, 60), "登记机关", font=face, fill="black")
    draw.text((260, 160), "二〇一七年十一月九日", font=face, fill="black")
    label = Line("登记机关", tuple(float(v) for v in draw.textbbox((300, 60), "登记机关", font=face)), 0.99)
    left = 260 + draw.textlength("二〇", font=face)
    _, top, right, bottom = draw.textbbox((260, 160), "二〇一七年十一月九日", font=face)
    cut = Line("一七年十一月九日", (float(left), float(top) - 3, float(right), float(bottom) + 3), 0.99)
    array = np.asarray(image)[:, :, ::-1].copy()
    page = Page(file="licence.png", number=1, source="ocr", lines=[label, cut], image=array,
                reread=lambda box, stretch=2.0: engine.read_region(array, box, stretch))
    issued = business_license.extract([page])["issue_date"]
    assert issued.value == "2017-11-09" and issued.confidence <= 0.95


def test_an_issuer_printed_light_and_left_unboxed_is_read_beside_its_label(settings):
    from PIL import ImageDraw as Draw

    from extractors.fields import id_card

    page = _drawn_page(settings, (780, 450), [("中华人民共和国", 240, 70, 40), ("签发机关", 100, 300, 24),
                                              ("东莞市公安局", 270, 300, 24, (170, 170, 170)),
                                              ("2021.04.30-2041.04.30", 270, 365, 24)],
                       {"中华人民共和国": ("中华人民共和国", None), "签发机关": ("签发机关", None),
                        "2021.04.30-2041.04.30": ("2021.04.30-2041.04.30", None)})
    image = Image.fromarray(page.image[:, :, ::-1].copy())
    Draw.Draw(image).rounded_rectangle([2, 2, 777, 447], radius=24, outline=(120, 120, 120), width=2)  # the card's edge
    page.image = np.asarray(image)[:, :, ::-1].copy()
    fields = id_card.extract_back([page])
    # not the title and the validity line, which only share the card's outline with the label
    assert fields["issuing_authority"].value == "东莞市公安局" and fields["issuing_authority"].confidence <= 0.9
    assert fields["valid_to"].value == "2041-04-30"


def test_an_address_end_under_a_box_read_as_noise_is_read_again(settings):
    from extractors.fields import id_card

    page = _drawn_page(settings, (700, 260), [("住址", 40, 40, 30), ("广东省东莞市东城街道科技", 160, 40, 30),
                                              ("十路125号7栋2880", 160, 90, 30), ("房", 160, 140, 30)],
                       {"住址": ("住址", None), "广东省东莞市东城街道科技": ("广东省东莞市东城街道科技", None),
                        "十路125号7栋2880": ("十路125号7栋2880", None)})
    # a watermark's stroke over 房 swelled its box and spoilt its reading
    page.lines.append(Line("宁", (150.0, 128.0, 260.0, 190.0), 0.44))
    address = id_card.extract_front([page])["address"]
    assert address.value == "广东省东莞市东城街道科技十路125号7栋2880房" and address.confidence <= 0.9


def test_a_wrapped_line_whose_first_words_went_unboxed_is_read_in_full(settings):
    from extractors.fields import business_license

    rows = ["一般项目：大数据服务；软件开发；物联网", "技术服务；工业互联网数据服务；技术服务、", "技术开发、技术交流、技术转让"]
    page = _drawn_page(settings, (1000, 300), [("经营范围", 40, 40, 26)] + [(t, 200, 40 + 45 * i, 26) for i, t in enumerate(rows)],
                       {"经营范围": ("经营范围", None), rows[0]: (rows[0], None), rows[1]: (rows[1], None)})
    # the detector boxed the third line only from 技术交流 on
    face = font(*available_fonts()[0], 26)
    draw = ImageDraw.Draw(Image.new("RGB", (10, 10)))
    start = 200 + draw.textlength("技术开发、", font=face)
    _, top, right, bottom = draw.textbbox((200, 130), rows[2], font=face)
    page.lines.append(Line("技术交流、技术转让", (start + 2, top - 3, right, bottom + 3), 0.99))
    assert business_license.extract([page])["business_scope"].value == (
        "一般项目：大数据服务；软件开发；物联网技术服务；工业互联网数据服务；技术服务、技术开发、技术交流、技术转让。")


def _table_drawn(cells):
    """A 1000 x 220 table image with `cells` (text, x, y) drawn at 30 px, each boxed."""
    image = Image.new("RGB", (1000, 220), "white")
    draw = ImageDraw.Draw(image)
    face = font(*available_fonts()[0], 30)
    lines = []
    for text, x, y in cells:
        draw.text((x, y), text, font=face, fill="black")
        lines.append(Line(text, tuple(float(v) for v in draw.textbbox((x, y), text, font=face)), 0.99))
    return image, draw, lines


def test_a_month_count_under_a_watermark_is_read_again_from_its_cell(settings):
    from extractors.fields.social_insurance import COLUMNS
    from extractors.fields.tables import read_table
    from extractors.ocr import get_engine

    engine = get_engine(settings.var_dir)
    image, draw, lines = _table_drawn([("姓名", 60, 30), ("证件号码", 300, 30), ("月数", 800, 30),
                                       ("夏梅", 60, 120), ("440303199110171213", 220, 120), ("21", 810, 120)])
    x0, y0, x1, y1 = lines[-1].bbox
    # a watermark's stroke crosses the count: its box swells and reads 2, and the stroke
    # beside it is boxed on its own
    lines[-1] = Line("2", (x0, y0 - 6, x1 + 10, y1 + 18), 0.44)
    lines.append(Line("效", (x1 + 20, y0 - 20, x1 + 80, y1 + 10), 0.54))
    array = np.asarray(image)[:, :, ::-1].copy()
    page = Page(file="proof.pdf", number=1, source="ocr", lines=lines, image=array,
                reread=lambda box, stretch=2.0: engine.read_region(array, box, stretch))
    rows = read_table([page], COLUMNS, lambda r: bool(r.get("name")))
    assert [(r["name"], r["months"]) for r in rows] == [("夏梅", "21")]


def test_a_wrapped_line_starting_a_little_left_keeps_its_first_digit(settings):
    from extractors.fields import id_card

    page = _drawn_page(settings, (700, 200), [("住址", 40, 40, 30), ("广东省东莞市寮步镇莞太路", 160, 40, 30),
                                              ("113号28栋1046房", 144, 85, 30)],
                       {"住址": ("住址", None), "广东省东莞市寮步镇莞太路": ("广东省东莞市寮步镇莞太路", None),
                        "113号28栋1046房": ("113号28栋1046房", None)})
    assert id_card.extract_front([page])["address"].value == "广东省东莞市寮步镇莞太路113号28栋1046房"


def test_a_month_count_lost_among_watermark_strokes_is_looked_at_as_narrow_as_its_heading():
    # which boxes are looked at is geometry: the recogniser here reads the count surely
    # only in a box that leaves out the strokes on both sides of it (as narrow as 月数
    # itself); wider boxes read the strokes as digits, unsurely
    from extractors.fields.social_insurance import COLUMNS
    from extractors.fields.tables import read_table

    cells = [("姓名", (60, 30, 120, 60)), ("证件号码", (300, 30, 420, 60)), ("缴费起止年月", (700, 30, 880, 60)),
             ("月数", (1010, 30, 1070, 60)), ("备注", (1400, 30, 1460, 60)),
             ("谭强", (60, 120, 120, 150)), ("360102199801011228", (220, 120, 500, 150)),
             ("2026-02至2026-10", (660, 120, 900, 150)), ("#", (995, 110, 1085, 165))]
    lines = [Line(text, tuple(float(v) for v in box), 0.99 if text != "#" else 0.36) for text, box in cells]
    looked = []

    def reread(box, stretch=2.0):
        looked.append(box)
        inside_strokes = box[0] < 1000 or box[2] > 1080  # strokes at 990-1000 and 1080-1090
        return Line("29", box, 0.39) if inside_strokes else Line("9", box, 0.99)

    page = Page(file="proof.pdf", number=1, source="ocr", lines=lines, image=np.full((200, 1500, 3), 255, np.uint8),
                reread=reread)
    rows = read_table([page], COLUMNS, lambda r: bool(r.get("name")))
    assert [(r["name"], r["months"]) for r in rows] == [("谭强", "9")]
    assert any(b[2] - b[0] <= 1.2 * 60 + 1 for b in looked)


def test_a_watermark_character_boxed_alone_beside_a_name_is_no_part_of_it():
    from extractors.fields.social_insurance import COLUMNS
    from extractors.fields.tables import read_table

    image, draw, lines = _table_drawn([("姓名", 60, 30), ("证件号码", 320, 30), ("月数", 800, 30),
                                       ("胡子萍", 40, 120), ("430102198409302333", 260, 120), ("34", 810, 120)])
    draw.line([200, 10, 200, 210], fill="black", width=2)  # the rule between the name and ID cells
    draw.text((185, 105), "字", font=font(*available_fonts()[0], 50), fill=(185, 185, 185))  # the copy watermark
    lines.insert(4, Line("子", (180.0, 118.0, 240.0, 154.0), 0.958))  # boxed in reading order
    array = np.asarray(image)[:, :, ::-1].copy()
    page = Page(file="proof.pdf", number=1, source="ocr", lines=lines, image=array)
    rows = read_table([page], COLUMNS, lambda r: bool(r.get("name")))
    assert [(r["name"], r["id_number"]) for r in rows] == [("胡子萍", "430102198409302333")]


def test_a_wrapped_address_line_whose_box_a_watermark_swelled_keeps_its_last_digit(settings):
    from extractors.fields import id_card

    page = _drawn_page(settings, (700, 260), [("住址", 40, 40, 30), ("广东省东莞市万江街道", 160, 40, 30),
                                              ("松山湖大道226号1", 160, 90, 30), ("7栋172房", 160, 140, 30)],
                       {"住址": ("住址", None), "广东省东莞市万江街道": ("广东省东莞市万江街道", None),
                        "松山湖大道226号1": ("松山湖大道226号", None), "7栋172房": ("7栋172房", None)})
    # the watermark's strokes swelled the second line's box, and its 1 went unread
    x0, y0, x1, y1 = page.lines[2].bbox
    page.lines[2] = Line("松山湖大道226号", (x0, y0, x1, y1 + 25), 0.996)
    assert id_card.extract_front([page])["address"].value == "广东省东莞市万江街道松山湖大道226号17栋172房"



def test_a_watermark_character_boxed_on_its_own_is_told_from_print_by_its_ink():
    from extractors.ink import without_watermark_boxes

    image = Image.new("RGB", (700, 200), "white")
    draw = ImageDraw.Draw(image)
    face = font(*available_fonts()[0], 30)
    lines = []
    for text, x, y, ink, confidence in (("住址", 40, 40, "black", 0.99), ("广东省东莞市万江街道", 160, 40, "black", 0.99),
                                        ("松山湖大道226号1", 160, 90, "black", 0.99), ("单", 480, 120, (190, 190, 190), 0.42),
                                        ("用", 560, 120, (190, 190, 190), 0.96)):
        draw.text((x, y), text, font=face, fill=ink)
        lines.append(Line(text, tuple(float(v) for v in draw.textbbox((x, y), text, font=face)), confidence))
    page = Page(file="id.png", number=1, source="ocr", lines=lines, image=np.asarray(image)[:, :, ::-1].copy())
    # on a form only the unsure light box goes (headings and labels print in colours of their own)
    assert [ln.text for ln in without_watermark_boxes(page, lines, unsure_below=0.9)] == [
        "住址", "广东省东莞市万江街道", "松山湖大道226号1", "用"]
    # in a table row every light box goes
    assert [ln.text for ln in without_watermark_boxes(page, lines)] == ["住址", "广东省东莞市万江街道", "松山湖大道226号1"]
    # a text layer's words are its own, whatever their colour
    page.source = "text_layer"
    assert len(without_watermark_boxes(page, lines)) == len(lines)


def test_a_name_read_unsurely_is_read_again_on_its_own_box(settings):
    from extractors.fields import id_card

    page = _drawn_page(settings, (600, 120), [("姓名", 40, 40, 30), ("秦宇静", 160, 40, 34)],
                       {"姓名": ("姓名", None), "秦宇静": ("泰宇静", None)})
    page.lines[1] = Line("泰宇静", page.lines[1].bbox, 0.62)  # a blurred photo's first reading
    name = id_card.extract_front([page])["name"]
    assert name.value == "秦宇静" and name.confidence <= 0.95
    # a first reading that was sure stands
    page.lines[1] = Line("泰宇静", page.lines[1].bbox, 0.97)
    assert id_card.extract_front([page])["name"].value == "泰宇静"


def test_a_box_across_two_columns_is_parted_at_the_gap_between_them(settings):
    from extractors.fields import business_license
    from extractors.ocr import get_engine

    image = Image.new("RGB", (1700, 220), "white")
    draw = ImageDraw.Draw(image)
    face = font(*available_fonts()[0], 26)
    lines = []
    for text, x, y in (("法定代表人：", 100, 20), ("李明", 300, 20), ("营业期限：", 1055, 20), ("长期", 1200, 20),
                       ("经营范围：", 100, 70), ("住所：", 1055, 70)):
        draw.text((x, y), text, font=face, fill="black")
        lines.append(Line(text, tuple(float(v) for v in draw.textbbox((x, y), text, font=face)), 0.99))
    scope, address = "一般项目：信息系统运行维护服务；软件开发。", "广东省东莞市黄江镇东莞大道108号10栋21楼"
    draw.text((124, 120), scope, font=face, fill="black")
    draw.text((1080, 120), address, font=face, fill="black")
    x0, y0, _, y1 = draw.textbbox((124, 120), scope, font=face)
    x1 = draw.textbbox((1080, 120), address, font=face)[2]
    lines.append(Line(scope + address, (float(x0), float(y0), float(x1), float(y1)), 0.99))  # one box over both
    array = np.asarray(image)[:, :, ::-1].copy()
    engine = get_engine(settings.var_dir)
    page = Page(file="licence.png", number=1, source="ocr", lines=lines, image=array,
                reread=lambda box, stretch=2.0: engine.read_region(array, box, stretch))
    fields = business_license.extract([page])
    assert fields["business_scope"].value == scope
    assert fields["address"].value == address
    # in a ruled grid each cell holds one value, whatever label stands above it: kept whole
    draw.line([(60, 114), (1680, 114)], fill="black", width=2)
    draw.line([(60, 166), (1680, 166)], fill="black", width=2)
    ruled = np.asarray(image)[:, :, ::-1].copy()
    page = Page(file="licence.png", number=1, source="ocr", lines=lines, image=ruled,
                reread=lambda box, stretch=2.0: engine.read_region(ruled, box, stretch))
    assert business_license.extract([page])["business_scope"].value.startswith(scope + address)


def test_a_card_face_whose_labels_and_one_character_values_went_unboxed(settings):
    from extractors.fields import id_card
    from extractors.ocr import get_engine

    image = Image.new("RGB", (840, 480), "white")
    draw = ImageDraw.Draw(image)
    small, face = font(*available_fonts()[0], 20), font(*available_fonts()[0], 30)
    for text, x, y in (("姓名", 40, 40), ("性别", 40, 110), ("民族", 250, 110), ("出生", 40, 175), ("住址", 40, 240)):
        draw.text((x, y), text, font=small, fill=(150, 170, 210))  # light blue labels, never boxed
    lines = []
    for text, x, y, boxed in (("姚静洋", 145, 35, True), ("女", 145, 105, False), ("苗", 350, 105, False),
                              ("1987年10月30日", 145, 170, True), ("广东省东莞市万江街道", 145, 235, True),
                              ("440104198710302003", 240, 390, True)):
        draw.text((x, y), text, font=face, fill="black")
        if boxed:
            lines.append(Line(text, tuple(float(v) for v in draw.textbbox((x, y), text, font=face)), 0.95))
    array = np.asarray(image)[:, :, ::-1].copy()
    engine = get_engine(settings.var_dir)
    page = Page(file="id.png", number=1, source="ocr", lines=lines, image=array,
                reread=lambda box, stretch=2.0: engine.read_region(array, box, stretch))
    fields = id_card.extract_front([page])
    assert fields["name"].value == "姚静洋" and fields["name"].label is None and fields["name"].confidence < 0.9
    assert fields["sex"].value == "女" and fields["sex"].confidence <= 0.8
    assert fields["ethnicity"].value == "苗"


def test_an_unsure_line_is_read_again_from_its_ink_and_a_sure_one_is_left(settings):
    from extractors.ocr import drop_red, get_engine

    engine = get_engine(settings.var_dir)
    image, lines = _rendered(FIRST, SECOND)
    grey = drop_red(image)
    # as the page read gave them: the first line garbled and unsure, the second garbled but sure
    unsure = Line(FIRST.replace("数联达", "数E达"), lines[0].bbox, 0.6)
    sure = Line(SECOND + "x", lines[1].bbox, 0.99)
    with engine._lock:
        engine._load()
        again = engine._unsure_read_again(grey, [unsure, sure])
    assert again[0].text == FIRST and again[0].confidence > 0.9 and again[0].bbox == unsure.bbox
    assert again[1] is sure
