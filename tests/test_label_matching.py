"""Labels matched against a vocabulary where the print or the detector bent them."""

from extractors import values
from extractors.fields import business_license, social_insurance
from extractors.layout import LayoutReader
from extractors.page import Line, Page
from tests.test_layout import boxes, reread_as


def test_a_spread_label_one_box_short_of_an_exact_wording_is_not_taken_for_a_near_one():
    # 注册资 is one character off 注册号; with 本 after it, it is 注册资本
    page = boxes(("注册", 143, 568, 75), ("资", 206, 568, 57), ("本", 252, 568, 53), ("伍佰万元整", 351, 568, 115),
                 ("经", 143, 833, 28), ("营", 161, 833, 57), ("范", 212, 833, 49), ("围", 260, 833, 46),
                 ("一般项目：供应链管理服务。", 348, 833, 400))
    reader = LayoutReader([page], business_license.VOCABULARY)
    assert reader.find("registered_capital").value == "伍佰万元整"
    assert reader.find("registration_number") is None
    assert reader.find("business_scope").value == "一般项目：供应链管理服务。"
    assert reader.find("legal_representative") is None  # 经营范 is not 经营者


def test_a_label_with_its_first_character_misread_is_found_before_its_colon():
    reader = LayoutReader([boxes(("非印日期；2026年11月02日", 86, 981, 313))], social_insurance.VOCABULARY)
    hit = reader.find("print_date")
    assert hit.value == "2026年11月02日" and hit.confidence < 0.98
    # without a colon after it, a line of prose one character off a label is no label
    reader = LayoutReader([boxes(("非印日期2026年11月02日", 86, 981, 313))], social_insurance.VOCABULARY)
    assert reader.find("print_date") is None


def test_a_qualifier_that_lost_its_closing_bracket_and_a_character_is_closed_and_put_right():
    read = "股份有限公司（非上市自然人投资或控股"
    closed = values.close_type_bracket(read)
    assert closed == read + "）"
    assert values.snap_type_qualifier(values.cut_entity_type(closed)) == "股份有限公司（非上市、自然人投资或控股）"
    assert values.close_type_bracket("有限责任公司（随便写的字") == "有限责任公司（随便写的字"


def test_a_wrapped_row_starting_a_character_right_of_the_values_edge_is_read_again_from_the_edge():
    from extractors.fields import id_card

    page = boxes(("住址", 45, 226, 47), ("广东省东莞市长安镇宏图", 137, 227, 301), ("路138号26栋242", 136, 262, 206),
                 ("牛", 172, 297, 52), ("公民身份号码", 48, 379, 135), height=29)
    seen = reread_as(page, "8房")
    reader = LayoutReader([page], id_card.FRONT_VOCABULARY)
    assert reader.find("address", multiline=True, max_lines=3).value == "广东省东莞市长安镇宏图路138号26栋2428房"
    assert len(seen) == 1 and seen[0][0] < 136 and seen[0][2] == 224  # from the edge to the box's end


def test_half_a_label_beside_the_left_columns_value_is_still_placed_by_its_column():
    # 住 alone (所 lost under a stamp), the scope of the left column ending a character and a half before it
    page = boxes(("注册资本", 960, 393, 98), ("伍仟万元（人民币）", 1092, 396, 198), ("经营范围", 114, 551, 99),
                 ("一般项目：安防设备销售，文化用品设备出租（不含电子游艺设", 240, 551, 677), ("住", 959, 554, 28),
                 ("广东省东莞市莞城街道鸿福路233号5栋16楼", 1072, 550, 482))
    reader = LayoutReader([page], business_license.VOCABULARY)
    hit = reader.find("address")
    assert hit.value == "广东省东莞市莞城街道鸿福路233号5栋16楼" and hit.confidence < 0.98


def test_a_look_alike_that_hides_the_city_still_names_the_known_body():
    from extractors.lexicon import SI_ISSUERS, known_or_read

    assert known_or_read("壳市社会保险基金管理中心", SI_ISSUERS) == "东莞市社会保险基金管理中心"
    assert known_or_read("深圳市社会保险基金管理中心", SI_ISSUERS) == "深圳市社会保险基金管理中心"


def test_a_team_row_read_as_one_box_across_the_columns_is_parted_and_each_part_read_again():
    from extractors.fields import team_list

    page = boxes(("序号", 170, 600, 50), ("姓名", 320, 600, 60), ("岗位", 540, 600, 60), ("身份证号码", 880, 600, 150),
                 ("联系电话", 1290, 600, 110), ("1", 190, 660, 20), ("段鹏强", 302, 660, 95), ("数据分析师", 507, 660, 150),
                 ("440106198911186777", 818, 660, 276), ("13908452382", 1251, 660, 183),
                 ("唐娜鹏培训讲师36250219780404821713518411377", 134, 720, 1363), height=40)
    cells = iter(["2", "唐娜鹏", "培训讲师", "362502197804048217", "13518411377"])
    seen = reread_as(page, "")
    page.reread = lambda box, stretch: seen.append(box) or Line(next(cells), box, 0.99)
    members = team_list.extract([page])["members"].value
    assert {"name": "唐娜鹏", "role": "培训讲师", "id_number": "362502197804048217", "phone": "13518411377"}.items() \
        <= members[-1].items()
    assert len(seen) == 5  # one look a column; the rows boxed cell by cell are not read again


def test_a_capitals_words_read_as_look_alikes_are_put_right_only_into_a_capitals_shape():
    assert values.tidy_capital("伍佰方元整") == "伍佰万元整"
    assert values.tidy_capital("人民市伍仟万元") == "人民币伍仟万元"
    assert values.tidy_capital("人民币柒仟柒佰柒拾柒万先") == "人民币柒仟柒佰柒拾柒万元"
    assert values.tidy_capital("北方元素") == "北方元素"  # no capital either way: as read
    page = boxes(("注册资本", 960, 393, 98), ("贰佰方元（人民币）", 1092, 396, 198))
    capital = business_license.extract([page])["registered_capital"]
    assert capital.value == "贰佰万元（人民币）" and capital.corrected


def test_a_box_is_parted_only_where_its_ink_has_a_gap_by_a_columns_bound():
    import numpy as np
    from PIL import Image, ImageDraw

    from extractors.fields.tables import _parted
    from tests.generator.draw import available_fonts, font

    image = Image.new("RGB", (1300, 80), "white")
    draw = ImageDraw.Draw(image)
    face = font(*available_fonts()[0], 24)
    boxes_at = {}
    for text, x in (("2023-06至2026-10", 862), ("张三", 245), ("项目经理", 400)):
        draw.text((x, 20), text, font=face, fill="black")
        boxes_at[text] = draw.textbbox((x, 20), text, font=face)
    page = Page(file="f.png", number=1, source="ocr", lines=[], image=np.asarray(image)[:, :, ::-1].copy())
    seen = reread_as(page, "x")
    page.image = np.asarray(image)[:, :, ::-1].copy()
    # a period whose last digit reaches past the bound of the month column: not parted
    x0, y0, x1, y1 = boxes_at["2023-06至2026-10"]
    period = Line("2023-06至2026-10", (float(x0), float(y0), float(x1), float(y1)), 0.99)
    bounds = [("period", 700.0, x1 - 30.0), ("months", x1 - 30.0, float("inf"))]
    assert _parted(page, period, bounds) == [period] and not seen
    # a name and a role read as one box: parted in the gap between them
    glued = Line("张三项目经理", (float(boxes_at["张三"][0]), float(y0), float(boxes_at["项目经理"][2]), float(y1)), 0.99)
    parts = _parted(page, glued, [("name", 0.0, 330.0), ("role", 330.0, float("inf"))])
    assert len(parts) == 2 and boxes_at["张三"][2] <= parts[0].x1 <= boxes_at["项目经理"][0]
