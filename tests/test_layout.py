"""Key–value reading by geometry (extractors.layout), on pages built box by box."""

from extractors import values
from extractors.fields import business_license, id_card
from extractors.layout import LayoutReader, Vocabulary
from extractors.page import Line, Page


def boxes(*items, height=28, conf=0.98):
    """items: (text, x0, y0, width)."""
    return Page(file="f.jpg", number=1, source="ocr",
                lines=[Line(t, (x, y, x + w, y + height), conf) for t, x, y, w in items])


def reread_as(page: Page, text: str) -> list:
    """Give `page` an image and a re-reader that reads every box as `text`; the list
    returned collects the boxes read again."""
    import numpy as np

    page.image = np.zeros((10, 10, 3), np.uint8)
    seen = []

    def reread(box, stretch):
        seen.append(box)
        return Line(text, box, 0.99)

    page.reread = reread
    return seen


def test_two_columns_are_read_column_by_column():
    # The detector returns boxes row by row across both columns; the right column's
    # 住所 wraps beside the left column's wrapping 经营范围.
    p = boxes(
        ("名称", 90, 300, 50), ("东莞市云帆科技有限公司", 250, 300, 330), ("注册资本", 900, 300, 100), ("壹佰万圆整", 1060, 300, 150),
        ("类型", 90, 360, 50), ("有限责任公司（自然人独资）", 250, 360, 350), ("成立日期", 900, 360, 100), ("2019年03月05日", 1060, 360, 200),
        ("法定代表人", 90, 420, 120), ("王小明", 250, 420, 90), ("营业期限", 900, 420, 100), ("2019年03月05日至长期", 1060, 420, 280),
        ("经营范围", 90, 480, 100), ("软件开发；信息系统集成服务；", 250, 480, 380), ("住所", 900, 480, 50), ("广东省东莞市南城街道", 1060, 480, 280),
        ("数据处理服务；信息技术咨询", 250, 520, 380), ("鸿福路88号1栋", 1060, 520, 180),
        ("服务。", 250, 560, 80),
        ("登记机关", 1100, 700, 100),
        ("2022", 1040, 780, 60), ("年", 1110, 780, 24), ("04", 1150, 780, 30), ("月", 1190, 780, 24), ("21", 1230, 780, 30), ("日", 1270, 780, 24),
    )
    fields = business_license.extract([p])
    assert fields["business_scope"].value == "软件开发；信息系统集成服务；数据处理服务；信息技术咨询服务。"
    assert fields["address"].value == "广东省东莞市南城街道鸿福路88号1栋"
    assert fields["registered_capital"].value == "壹佰万圆整"
    assert fields["issue_date"].value == "2022-04-21"
    assert fields["term_end"].value == "long_term"


def test_portrait_form_with_spread_labels_split_over_boxes():
    p = boxes(
        ("统一社会信用代码", 600, 200, 200), ("91441900MA4UJ8L25K", 820, 200, 260),
        ("名", 120, 300, 26), ("称", 230, 300, 26), ("东莞市云帆科技有限公司", 330, 300, 330),
        ("类　　型", 120, 350, 140), ("有限责任公司（自然人投资或控股）", 330, 350, 420),
        ("住", 120, 400, 26), ("所", 230, 400, 26), ("广东省东莞市松山湖园区科技十路", 330, 400, 420),
        ("3号研发楼502室", 330, 440, 200),
        ("法定代表人", 120, 490, 140), ("陈大文", 330, 490, 90),
        ("注册资本", 120, 540, 140), ("人民币柒仟柒佰柒拾柒万元", 330, 540, 320),
    )
    fields = business_license.extract([p])
    assert fields["name"].value == "东莞市云帆科技有限公司"
    assert fields["entity_type"].value == "有限责任公司（自然人投资或控股）"
    assert fields["address"].value == "广东省东莞市松山湖园区科技十路3号研发楼502室"
    assert fields["legal_representative"].value == "陈大文"
    assert fields["registered_capital"].value == "人民币柒仟柒佰柒拾柒万元"
    assert fields["credit_code"].value == "91441900MA4UJ8L25K"


def test_value_glued_to_the_next_label_is_cut_there():
    p = boxes(
        ("名称：东莞市云帆科技有限公司类型：有限责任公司", 90, 300, 700),
        ("法定代表人王小明", 90, 360, 200),
    )
    fields = business_license.extract([p])
    assert fields["name"].value == "东莞市云帆科技有限公司"
    assert fields["entity_type"].value == "有限责任公司"
    assert fields["legal_representative"].value == "王小明"


def test_entity_type_that_runs_on_is_cut_after_its_wording():
    assert values.cut_entity_type("有限责任公司（自然人投资或控股）法定代") == "有限责任公司（自然人投资或控股）"
    assert values.cut_entity_type("其他有限责任公司分公司") == "其他有限责任公司分公司"
    assert values.cut_entity_type("有限责任公司（外商投资、非独资）") == "有限责任公司（外商投资、非独资）"
    assert values.cut_entity_type("普通合伙企业") == "普通合伙企业"
    assert values.close_type_bracket("有限责任公司（法人独资") == "有限责任公司（法人独资）"
    assert values.close_type_bracket("有限责任公司（法人") == "有限责任公司（法人"  # not a qualifier: left as read


def test_malformed_credit_code_is_reported_as_printed():
    p = boxes(("统一社会信用代码", 80, 90, 200), ("91441900MA4UJ8L25", 80, 130, 250), ("名称", 90, 300, 50),
              ("东莞市云帆科技有限公司", 250, 300, 330))
    code = business_license.extract([p])["credit_code"]
    assert code.value == "91441900MA4UJ8L25" and not code.corrected


def test_old_licence_registration_number_is_kept_with_its_label():
    p = boxes(("注册号", 700, 150, 80), ("441900000123456", 800, 150, 220), ("名称", 90, 300, 50), ("东莞市云帆电子厂", 250, 300, 250))
    code = business_license.extract([p])["credit_code"]
    assert code.value == "441900000123456" and code.label == "注册号"


def test_branch_licence():
    p = boxes(("名称", 90, 300, 50), ("东莞市云帆科技有限公司长安分公司", 250, 300, 420),
              ("类型", 90, 350, 50), ("有限责任公司分公司（自然人投资或控股）", 250, 350, 460),
              ("负责人", 90, 400, 80), ("李四", 250, 400, 60),
              ("营业场所", 90, 450, 100), ("广东省东莞市长安镇振安路1号", 250, 450, 330))
    fields = business_license.extract([p])
    assert fields["legal_representative"].label == "负责人"
    assert fields["address"].label == "营业场所" and fields["address"].value == "广东省东莞市长安镇振安路1号"
    assert "term_end" not in fields  # no 营业期限 row: not found, not guessed


def test_id_card_address_wraps_every_eleven_characters_and_misprinted_labels():
    p = boxes(
        ("姓名", 40, 40, 50), ("韦小宝", 140, 38, 90),
        ("性别", 40, 100, 50), ("男", 140, 98, 26), ("名族", 250, 100, 50), ("壮", 340, 98, 26),
        ("出生", 40, 160, 50), ("1987", 140, 158, 60), ("年", 210, 158, 26), ("9", 250, 158, 14), ("月", 280, 158, 26),
        ("17", 320, 158, 28), ("日", 360, 158, 26),
        ("住址", 40, 220, 50), ("广东省东莞市虎门镇连升", 140, 218, 300),
        ("中路一巷十二号三楼之", 140, 258, 290),
        ("二", 140, 298, 28),
        ("公民身份号码", 40, 370, 150), ("441900198709170011", 230, 366, 330),
    )
    fields = id_card.extract_front([p])
    assert fields["address"].value == "广东省东莞市虎门镇连升中路一巷十二号三楼之二"
    assert fields["ethnicity"].value == "壮"
    assert fields["birth_date"].value == "1987-09-17"
    assert fields["name"].value == "韦小宝"


def test_one_character_misread_in_a_long_label():
    reader = LayoutReader([boxes(("法定代表入：", 90, 100, 120), ("王小明", 250, 100, 90))],
                          Vocabulary({"rep": ("法定代表人",), "phone": ("联系电话",), "person": ("联系人",)}))
    hit = reader.find("rep")
    assert hit.value == "王小明" and hit.label == "法定代表人" and hit.confidence < 0.98
    # the label's last character lost, its value glued on: the rest of the label names it
    reader = LayoutReader([boxes(("法定代表蒋强晓", 90, 100, 190))], reader.vocabulary)
    assert reader.find("rep").value == "蒋强晓" and reader.find("rep").confidence < 0.98
    # 联系电话 is a wording of its own, not 联系人 with one character misread
    reader = LayoutReader([boxes(("联系电话：13800138000", 90, 100, 300))], reader.vocabulary)
    assert reader.find("person") is None and reader.find("phone").value == "13800138000"


def test_a_value_unlike_its_kind_is_kept_but_doubted():
    reader = LayoutReader([boxes(("注册资本", 90, 100, 100), ("东莞市某某", 250, 100, 90))],
                          Vocabulary({"capital": ("注册资本",)}))
    hit = reader.find("capital", accept=values.capital)
    assert hit.value == "东莞市某某" and hit.confidence <= 0.6


def test_value_under_its_label():
    reader = LayoutReader([boxes(("统一社会信用代码", 80, 90, 200), ("91441900MA4UJ8L25K", 80, 130, 260),
                                 ("营业执照", 600, 150, 200))], Vocabulary({"code": ("统一社会信用代码",)}))
    assert reader.find("code").value == "91441900MA4UJ8L25K"
    assert reader.find("code", below=False) is None


def test_a_wrapped_line_starting_like_a_label_is_no_label():
    p = boxes(("经营范围", 90, 300, 100), ("一般项目：软件开发；信息系统集成服务。（依法须经批准的项目，经相关部门批准后方可开展", 250, 300, 900),
              ("经营活动，具体经营项目以相关部门批准文件或许可证件为准）", 250, 340, 700))
    scope = business_license.extract([p])["business_scope"].value
    assert scope.endswith("方可开展经营活动，具体经营项目以相关部门批准文件或许可证件为准）")


def test_scope_wraps_under_a_label_glued_onto_its_first_line():
    # the detector joined the scope's first line with the right column's 住所 label
    p = boxes(
        ("名称", 113, 367, 53), ("东莞市金桥软件有限公司", 228, 370, 260), ("注册资本500万元人民币", 953, 369, 267),
        ("类型", 113, 419, 52), ("其他有限责任公司", 225, 421, 200), ("成立日期2025年2月24日", 953, 421, 272),
        ("法定代表人孔豪俊", 115, 473, 182), ("营业期限2025年2月24日至长期", 952, 473, 348),
        ("经营范围一般项目：企业管理咨询；大数据服务；智能控制系统集成。（除住所", 113, 523, 888),
        ("广东省东莞市虎门镇新城大道302号8栋20楼", 1060, 524, 466),
        ("依法须经批准的项目外，凭营业执照依法自主开展经营活动）", 228, 563, 628),
    )
    fields = business_license.extract([p])
    assert fields["business_scope"].value == (
        "一般项目：企业管理咨询；大数据服务；智能控制系统集成。（除依法须经批准的项目外，凭营业执照依法自主开展经营活动）")
    assert fields["address"].value == "广东省东莞市虎门镇新城大道302号8栋20楼"
    assert fields["legal_representative"].value == "孔豪俊"


def test_a_stroke_read_after_a_registered_names_last_word_is_dropped():
    assert values.tidy_organisation("东莞市瑞丰网络科技有限公司前") == "东莞市瑞丰网络科技有限公司"
    assert values.tidy_organisation("东莞市星河工作室") == "东莞市星河工作室"  # no organisation word before its end
    p = boxes(("名称", 140, 400, 60), ("东莞市瑞丰网络科技有限公司前", 284, 403, 408), ("类型", 140, 460, 60),
              ("其他有限责任公司", 284, 460, 230))
    name = business_license.extract([p])["name"]
    assert name.value == "东莞市瑞丰网络科技有限公司" and name.corrected


def test_dongguan_town_read_one_character_off_is_put_right():
    assert values.tidy_address("广东省东莞市察步镇科技十路20号") == "广东省东莞市寮步镇科技十路20号"
    assert values.tidy_address("广东省东莞市新城镇1号") == "广东省东莞市新城镇1号"  # no town one character off
    # a longer name two off, one of them a look-alike (术 for 木); not without one
    assert values.tidy_address("广东省东莞市桃术头镇环城路199号") == "广东省东莞市樟木头镇环城路199号"
    assert values.tidy_address("广东省东莞市桃米头镇环城路199号") == "广东省东莞市桃米头镇环城路199号"


def test_a_name_glued_into_its_label_box_is_read_again_alone():
    p = boxes(("法定代表人民豪俊", 115, 473, 182), conf=0.88)
    seen = reread_as(p, "孔豪俊")
    fields = business_license.extract([p])
    assert fields["legal_representative"].value == "孔豪俊"
    assert seen and seen[0][0] > 200  # only the part after the label was read again


def _ruled(rules_y, width=1240, height=900, frame=False):
    import numpy as np

    image = np.full((height, width, 3), 255, np.uint8)
    for y in rules_y:
        image[y : y + 2, 60 : width - 60] = 30
    if frame:
        image[20:23, 20 : width - 20] = 30
        image[height - 23 : height - 20, 20 : width - 20] = 30
    return image


def test_label_centred_in_a_tall_ruled_cell_takes_the_whole_cell():
    # 经营范围 centred in its cell; the value wraps over three lines, one above the label's row
    p = boxes(
        ("名称", 90, 130, 50), ("东莞市云帆科技有限公司", 260, 130, 330),
        ("软件开发；信息技术咨询服务；", 260, 210, 600),
        ("经营范围", 90, 260, 100), ("网络技术服务；数据处理服务；", 260, 260, 600),
        ("会议及展览服务。", 260, 310, 300),
        ("住所", 90, 400, 50), ("广东省东莞市南城街道鸿福路1号", 260, 400, 500),
    )
    p.image = _ruled([100, 190, 370, 460])
    fields = business_license.extract([p])
    assert fields["business_scope"].value == "软件开发；信息技术咨询服务；网络技术服务；数据处理服务；会议及展览服务。"
    assert fields["name"].value == "东莞市云帆科技有限公司"
    assert fields["address"].value == "广东省东莞市南城街道鸿福路1号"


def test_a_frame_round_the_whole_page_is_no_cell():
    # a licence's border: the line above 经营范围 is the previous field's, not its own
    p = boxes(
        ("住所", 90, 200, 50), ("广东省东莞市南城街道鸿福路1号", 260, 200, 500),
        ("3栋201室", 260, 250, 200),
        ("经营范围", 90, 300, 100), ("网络技术服务；数据处理服务。", 260, 300, 600),
    )
    p.image = _ruled([], frame=True)
    fields = business_license.extract([p])
    assert fields["business_scope"].value == "网络技术服务；数据处理服务。"
    # nor when a label below was read without its first character (型： for 类型：)
    q = boxes(("名称", 90, 100, 50), ("东莞市云帆科技有限公司", 260, 100, 330),
              ("型：", 120, 160, 40), ("有限责任公司（法人独资）", 260, 160, 330),
              ("法定代表人", 90, 220, 120), ("王小明", 260, 220, 90))
    q.image = _ruled([], frame=True)
    cut = business_license.extract([q])
    assert cut["entity_type"].value == "有限责任公司（法人独资）" and cut["entity_type"].confidence < 0.99
    assert cut["name"].value == "东莞市云帆科技有限公司"
    assert fields["address"].value == "广东省东莞市南城街道鸿福路1号3栋201室"


def test_a_town_one_look_alike_off_two_towns_is_put_right():
    # 风岗 is one character off both 凤岗 and 谢岗; 风 is read for 凤
    assert values.tidy_address("广东省东莞市风岗镇松山湖大道142号") == "广东省东莞市凤岗镇松山湖大道142号"


def test_a_speck_read_as_a_list_comma_before_a_value_is_no_part_of_it():
    p = boxes(("法定代表人", 128, 551, 121), ("、苏玉新", 243, 551, 93))
    found = business_license.extract([p])["legal_representative"]
    assert found.value == "苏玉新" and found.confidence > 0.9


def test_a_lone_speck_at_the_edge_of_a_role_is_dropped_but_letters_of_a_role_stay():
    from extractors.fields.tables import _tidy_word_cells

    for read, kept in (("V项目经理", "项目经理"), ("实施工程师|", "实施工程师"), ("IT运维工程师", "IT运维工程师"), ("UI设计师", "UI设计师")):
        record = {"name": "龚嘉", "role": read}
        _tidy_word_cells(record)
        assert record["role"] == kept


def test_a_spread_label_whose_second_box_the_recogniser_doubted_is_still_found():
    p = Page(file="f.jpg", number=1, source="ocr", lines=[
        Line("住", (1300, 680, 1343, 711), 0.999), Line("绿", (1355, 684, 1398, 706), 0.118),
        Line("广东省东莞市莞城街道东莞大道336号1栋8楼", (1440, 680, 1900, 711), 0.99)])
    assert business_license.extract([p])["address"].value == "广东省东莞市莞城街道东莞大道336号1栋8楼"
    p.lines[1] = Line("绿", (1355, 684, 1398, 706), 0.95)  # read surely: another word, no label
    assert "address" not in business_license.extract([p]) or business_license.extract([p])["address"].label != "住所"


def test_a_card_face_whose_birth_label_went_unread_takes_its_one_date():
    p = boxes(("姓名", 40, 40, 50), ("张伟", 130, 40, 60), ("1985年4月7日", 130, 140, 150))
    found = id_card.extract_front([p])["birth_date"]
    assert found.value == "1985-04-07" and found.confidence < 0.9
    p.lines.append(Line("2020年1月1日", (130, 300, 280, 328), 0.99))  # two dates: which is which is unknown
    assert "birth_date" not in id_card.extract_front([p])


def test_the_ethnic_group_on_the_sex_row_when_its_label_went_unread():
    p = boxes(("姓名", 112, 138, 30), ("罗海", 167, 137, 40), ("性别", 111, 171, 30), ("男", 167, 172, 18),
              ("汉", 298, 174, 22), ("出生", 109, 204, 31), ("1985年4月7日", 167, 204, 140), height=20)
    found = id_card.extract_front([p])["ethnicity"]
    assert found.value == "汉" and found.confidence < 0.9


def test_a_doubted_two_character_box_one_off_a_label_is_that_label():
    p = boxes(("性别", 114, 140, 29), ("女", 176, 141, 19), ("民款", 247, 143, 40), ("回", 330, 143, 20), height=20)
    p.lines[2] = Line("民款", p.lines[2].bbox, 0.71)
    assert id_card.extract_front([p])["ethnicity"].value == "回"
    p.lines[2] = Line("民款", p.lines[2].bbox, 0.99)  # read surely: not a label
    assert id_card.extract_front([p]).get("ethnicity") is None or id_card.extract_front([p])["ethnicity"].label != "民族"


def test_a_wrapped_line_opening_with_a_bracket_continues_a_value_whose_box_was_padded_under_its_label():
    p = boxes(
        ("经营范围", 130, 676, 129), ("一般项目：大数据服务；人力资源服务（不含职业中介活动、劳务", 243, 674, 932),
        ("派遣服务）；数字内容制作服务", 288, 725, 884),
        ("（不含出版发行）；信息技术咨询", 306, 771, 869),
        ("服务。", 287, 819, 100), height=30,
    )
    assert business_license.extract([p])["business_scope"].value.endswith("（不含出版发行）；信息技术咨询服务。")


def test_a_rule_of_a_slightly_skewed_scan_is_found_and_text_strokes_are_not():
    import numpy as np

    from extractors.ruling import horizontal_rules

    image = np.full((1000, 1600, 3), 255, np.uint8)
    for step in range(4):  # one rule, 1,400 px long, stepping down a pixel every 350 px
        image[300 + step : 303 + step, 100 + 350 * step : 450 + 350 * step] = 40
    for x in range(100, 1500, 40):  # a line of text's horizontal strokes (一一一…)
        image[600:603, x : x + 26] = 40
    rules = horizontal_rules(image)
    assert len(rules) == 1 and 298 < rules[0].y < 308 and rules[0].x1 - rules[0].x0 > 1200


def test_a_spread_label_that_lost_its_first_character_is_found_where_the_labels_end():
    # 类　　型 read as 型 alone, right under 称 of 名　　称: without it the name swallows the type
    p = boxes(
        ("名", 111, 393, 36), ("称", 169, 395, 30), ("东莞市鼎盛信数字科技有限公司", 246, 395, 293),
        ("型", 164, 438, 36), ("有限责任公司（自然人投资或控股）", 247, 440, 321),
        ("法定代表人", 112, 483, 108), ("姜玉东", 243, 483, 67),
    )
    fields = business_license.extract([p])
    assert fields["name"].value == "东莞市鼎盛信数字科技有限公司"
    assert fields["entity_type"].value == "有限责任公司（自然人投资或控股）"
    # a lone 型 in a value's column is no label
    p = boxes(("名", 111, 393, 36), ("称", 169, 395, 30), ("东莞市鼎盛信数字科技有限公司", 246, 395, 293),
              ("型", 400, 438, 36))
    assert "entity_type" not in business_license.extract([p])


def test_a_card_face_whose_address_label_went_unread_takes_the_lines_between_birth_and_number():
    p = boxes(
        ("姓名", 106, 99, 28), ("方东丽", 158, 94, 57),
        ("性别", 106, 130, 30), ("男", 162, 131, 20), ("民族苗", 217, 130, 70),
        ("出生", 109, 162, 28), ("1967年12月18日", 163, 161, 148),
        ("广东省东莞市凤岗镇环", 165, 193, 159), ("城路157号26栋2", 166, 217, 123), ("813房", 166, 241, 51),
        ("公民身份号码", 119, 291, 75), ("440303196712183779", 204, 289, 217),
        height=24,
    )
    fields = id_card.extract_front([p])
    assert fields["address"].value == "广东省东莞市凤岗镇环城路157号26栋2813房"
    assert fields["address"].confidence < 0.9 and fields["address"].label is None


def test_a_value_box_reaching_back_over_its_label_loses_the_labels_last_character():
    p = boxes(("签发机关", 565, 1451, 132), ("关东莞市公安局松山湖分局", 679, 1449, 433),
              ("有效期限", 563, 1545, 133), ("2019.10.07-2039.10.07", 734, 1545, 356))
    assert id_card.extract_back([p])["issuing_authority"].value == "东莞市公安局松山湖分局"


def test_a_stray_opening_bracket_before_a_capital_is_dropped():
    assert values.drop_stray_opening("（伍仟万元（人民币）", values.capital) == "伍仟万元（人民币）"
    assert values.drop_stray_opening("（人民币）伍仟万元", values.capital) == "（人民币）伍仟万元"


def test_a_name_label_without_its_first_character_still_ends_at_the_next_label_of_its_column():
    # 称： read alone (名 lost) starts right of 类型：; the type is no second line of the name
    p = boxes(
        ("称：", 219, 483, 55), ("东莞市宏图恒智能制造有限公司", 341, 486, 371), ("注册资本：", 1223, 483, 124), ("贰佰万元整", 1411, 485, 139),
        ("类型：", 149, 538, 126), ("其他有限责任公司", 341, 541, 214), ("成立日期：", 1224, 538, 121),
        ("法定代表人：", 153, 594, 149), ("罗立欣", 336, 592, 88),
        height=34,
    )
    fields = business_license.extract([p])
    assert fields["name"].value == "东莞市宏图恒智能制造有限公司"
    assert fields["entity_type"].value == "其他有限责任公司"


def test_a_spread_label_as_wide_as_the_columns_longest_label():
    # the old form sets 名　称 across the width of 法定代表人姓名
    p = boxes(("名", 197, 547, 27), ("称", 353, 547, 36), ("东莞市松湖达智能制造有限公司", 462, 547, 373),
              ("法定代表人姓名", 197, 675, 188), ("罗英", 459, 672, 61), height=31)
    assert business_license.extract([p])["name"].value == "东莞市松湖达智能制造有限公司"


def test_labels_stacked_far_above_bound_no_value_below_them():
    # the title block's (副本) and 副本号 stack in a column of their own; the scope, far
    # below, runs past their x
    p = boxes(
        ("(副本)", 1490, 990, 119), ("副本号：1-3", 1477, 1030, 147),
        # the detector split the first line in two, the second box right of the title's x
        ("经营范围", 564, 1398, 137), ("一般项目：软件开发；大数据服务；信息系统集成服务；", 760, 1398, 700), ("数据处理服务；", 1500, 1398, 200),
        ("工业设计服务。", 760, 1440, 200),
    )
    assert business_license.extract([p])["business_scope"].value == "一般项目：软件开发；大数据服务；信息系统集成服务；数据处理服务；工业设计服务。"


def test_a_value_under_its_label_that_a_tilted_photo_puts_on_the_labels_row():
    p = boxes(
        ("经营范围：", 564, 1398, 137), ("一般项目：光伏设备及元器件销售；教育咨询服务（不含涉许可审批的教", 612, 1413, 1011),
        ("育培训活动）；工业互联网数据服务；供应链管理服务。", 605, 1467, 773),
        height=45,
    )
    assert business_license.extract([p])["business_scope"].value == (
        "一般项目：光伏设备及元器件销售；教育咨询服务（不含涉许可审批的教育培训活动）；工业互联网数据服务；供应链管理服务。")


def test_a_police_branch_read_one_character_off_a_dongguan_town_is_put_right():
    p = boxes(("签发机关", 235, 398, 94), ("东莞市公安局察步分局", 361, 398, 220))
    issuer = id_card.extract_back([p])["issuing_authority"]
    assert issuer.value == "东莞市公安局寮步分局" and issuer.corrected


def test_a_ruled_cell_whose_wrapped_lines_miss_the_labels_row_is_still_read():
    from extractors.fields import application_letter

    # 申请事项 centred between the value's two lines, neither on the label's row
    p = boxes(("申请单位", 247, 289, 100), ("东莞市智造云恒工业互联网有限公司", 493, 291, 379),
              ("在莞独立法人单位由分支机构变更为独立法", 454, 435, 454), ("申请事项", 247, 452, 100), ("人", 450, 468, 29),
              ("联系人姓名", 236, 538, 120), ("袁杰", 656, 535, 54))
    p.image = _ruled([264, 343, 422, 509, 588])
    assert application_letter.extract([p])["change_items"].value == "在莞独立法人单位由分支机构变更为独立法人"


def test_a_lone_label_end_right_aligned_with_a_tight_label_of_its_column():
    # 名　称 set to the width of 类型, its 名 lost: 称 ends where 类型 ends
    p = boxes(("称", 164, 409, 50), ("东莞市星河恒电子科技有限公司", 274, 412, 380), ("注册资本", 1021, 407, 115),
              ("类型", 92, 467, 123), ("有限责任公司（法人独资）", 273, 472, 312))
    fields = business_license.extract([p])
    assert fields["name"].value == "东莞市星河恒电子科技有限公司"
    assert fields["entity_type"].value == "有限责任公司（法人独资）"


def test_a_stroke_read_before_a_continued_line_left_of_the_values_edge_is_dropped():
    p = boxes(("住址", 27, 191, 40), ("广东省东莞市石龙镇科", 113, 192, 207), ("技十路154号2栋2", 114, 225, 160),
              ("人773房", 96, 253, 73), ("公民身份号码", 29, 317, 105), ("440303198305190025", 150, 317, 230), height=26)
    assert id_card.extract_front([p])["address"].value == "广东省东莞市石龙镇科技十路154号2栋2773房"


def test_half_labels_placed_by_their_column():
    # 类 lost with the value glued on: 型有限责任… starts where 称 of 名　称 starts
    p = boxes(("名", 81, 301, 23), ("称深圳市粤科信软件有限公司", 143, 301, 302), ("注册资本贰佰万元整", 842, 300, 215),
              ("型有限责任公司（自然人投资或控股）", 139, 348, 381), ("法定代表人毛曦华", 82, 397, 168), height=23)
    fields = business_license.extract([p])
    assert (fields["name"].value, fields["entity_type"].value) == ("深圳市粤科信软件有限公司", "有限责任公司（自然人投资或控股）")
    # 称 lost: 名 alone on the column's left edge, the value where 名　称 would have ended
    p = boxes(("名", 154, 491, 60), ("东莞市盈科智能制造有限公司", 337, 491, 394), ("注册资本", 1223, 491, 127),
              ("类", 152, 565, 56), ("型", 230, 565, 53), ("有限责任公司（法人独资）", 337, 568, 348),
              ("法定代表人", 154, 638, 158), height=36)
    fields = business_license.extract([p])
    assert (fields["name"].value, fields["entity_type"].value) == ("东莞市盈科智能制造有限公司", "有限责任公司（法人独资）")


def test_a_spread_label_that_lost_its_last_character_is_placed_by_its_column():
    # 负　责　人 read as 负责 alone: its left edge on the column's, the value far right
    p = boxes(("名", 159, 498, 38), ("称", 286, 500, 42), ("东莞市松湖达数字科技有限公司南城分公司", 364, 492, 604),
              ("类", 158, 586, 40), ("型", 287, 586, 39), ("有限责任公司分公司（自然人投资或控股）", 364, 583, 586),
              ("负责", 158, 676, 110), ("余静娜", 362, 671, 101), ("成立日期", 161, 769, 164), height=40)
    assert business_license.extract([p])["legal_representative"].value == "余静娜"
    # text that is no label's start stays a value
    p.lines[6].text = "负债"
    assert "legal_representative" not in business_license.extract([p])


def test_a_value_printed_out_of_register_with_its_label_is_still_its_value():
    # 熊杰 sits most of a line above 法定代表人, right of it; the left column's type wraps
    p = Page(file="f.jpg", number=1, source="ocr", lines=[
        Line("名称", (140, 466, 293, 503), 0.99), Line("东莞市云帆网络科技有限公司", (313, 459, 694, 494), 0.99),
        Line("股份有限公司（非上市、自然人投资或", (316, 529, 816, 563), 0.99), Line("熊杰", (1031, 525, 1098, 565), 0.99),
        Line("类型", (137, 554, 291, 597), 0.99), Line("控股）", (308, 567, 389, 610), 0.97),
        Line("法定代表人", (860, 556, 1011, 592), 0.99), Line("注册资本", (139, 648, 293, 683), 0.99),
        Line("300万元人民币", (315, 642, 511, 678), 0.99), Line("成立日期", (858, 643, 1014, 682), 0.99),
        Line("2023年09月11日", (1037, 642, 1251, 673), 0.99)])
    fields = business_license.extract([p])
    assert fields["legal_representative"].value == "熊杰"
    assert fields["registered_capital"].value == "300万元人民币"


def test_a_value_glued_to_its_label_wraps_to_where_the_columns_values_start():
    # 经营范围：一般项目… in one box: its proportions put the value's start left of where the
    # old form's values start (right of 法定代表人姓名), where the wrapped line is
    p = boxes(("法定代表人姓名", 119, 500, 196), ("罗英", 346, 500, 60),
              ("经营范围：一般项目：安防设备销售；物联网技术服务；电子产品销售；互联网", 119, 838, 1004),
              ("数据服务；信息系统运行维护服务；光伏设备及元器件销售。", 346, 878, 688), height=27)
    assert business_license.extract([p])["business_scope"].value == (
        "一般项目：安防设备销售；物联网技术服务；电子产品销售；互联网数据服务；信息系统运行维护服务；光伏设备及元器件销售。")


def test_the_sex_is_its_first_box_and_leaves_the_row_to_an_unread_ethnic_label():
    p = boxes(("姓名", 38, 34, 45), ("万涵", 114, 32, 55), ("性别", 37, 87, 47), ("男", 115, 86, 27),
              ("民放", 208, 86, 46), ("汉", 286, 88, 28), ("出生", 38, 138, 45), ("1994年12月13日", 116, 141, 213), height=27)
    p.lines[4].confidence = 0.88  # read surely enough not to be doubted as a label
    fields = id_card.extract_front([p])
    assert fields["sex"].value == "男" and fields["sex"].bbox[2] <= 142
    assert fields["ethnicity"].value == "汉"


def test_a_value_under_its_label_keeps_the_boxes_its_row_was_split_into():
    # 经营范围 prints its value on the lines under it; the detector split the first line in
    # three, the last two overlapping on 服
    p = boxes(("名称", 174, 530, 59), ("东莞市瑞丰信息技术有限公司", 332, 533, 346),
              ("经营范围", 174, 961, 108),
              ("信息咨询服务（不含许可类信息咨询服务），信息技术咨询服务，", 202, 1004, 760),
              ("云计算装备技术服务，", 975, 1002, 253), ("信息系统运行维护服", 1243, 1004, 228), ("服务，", 1460, 1010, 59),
              ("智能控制系统集成，数据处理和存储支持服务。", 202, 1047, 540), height=32)
    assert business_license.extract([p])["business_scope"].value == (
        "信息咨询服务（不含许可类信息咨询服务），信息技术咨询服务，云计算装备技术服务，"
        "信息系统运行维护服务，智能控制系统集成，数据处理和存储支持服务。")


def test_labels_far_apart_make_no_column():
    # the serial number atop the page and 登记机关 at its foot overlap in x: no column of
    # labels lies between them to cut the scope's first line
    p = boxes(("编号：704236317004060", 1241, 119, 243), ("经营范围", 174, 961, 108),
              ("一般项目：软件开发；信息系统集成服务；大数据服务；", 300, 961, 760), ("网络技术服务；数字技术服务；企业管理咨询", 1070, 961, 520),
              ("登记机关", 1058, 2041, 205), height=32)
    assert business_license.extract([p])["business_scope"].value == (
        "一般项目：软件开发；信息系统集成服务；大数据服务；网络技术服务；数字技术服务；企业管理咨询。")


def test_a_wrapped_value_stops_at_the_column_beside_it():
    # both sides of an ID card side by side on one copy: the back's lines share the rows
    # of the face's wrapped address
    p = boxes(("姓名", 40, 300, 40), ("王小明", 110, 300, 70),
              ("住址", 40, 420, 40), ("广东省东莞市东城街道鸿福", 110, 420, 250), ("签发机关", 720, 420, 80),
              ("路117号18栋1841房", 110, 455, 190), ("东莞市公安局东城分局", 820, 456, 200),
              ("公民身份号码", 40, 560, 120), ("44190019900101123X", 200, 560, 250), height=24)
    assert id_card.extract_front([p])["address"].value == "广东省东莞市东城街道鸿福路117号18栋1841房"


def test_a_spread_label_whose_value_box_starts_with_a_speck_read_as_a_colon():
    # 住 alone, then ：所广东省… (the speck before 所 read as a colon, the value glued on)
    p = boxes(("名称", 97, 376, 30), ("东莞市莞创达工业互联网有限公司", 167, 379, 405),
              ("住", 965, 521, 27), ("：所广东省东莞市东城街道环城路61号14栋11楼", 986, 520, 557), height=25)
    found = business_license.extract([p])["address"]
    assert found.value == "广东省东莞市东城街道环城路61号14栋11楼" and found.label == "住所"


def test_a_licence_name_whose_spread_label_went_unread_is_its_one_line_of_a_name():
    p = boxes(("统一社会信用代码91441900NMAR8X730P", 1332, 1007, 634), ("东莞市瑞丰信软件有限公司", 885, 1152, 484),
              ("其他有限责任公司", 890, 1254, 323), ("类", 663, 1259, 51), ("型：", 773, 1256, 75),
              ("法定代表人：姜俊伟", 660, 1439, 355), height=48)
    found = business_license.extract([p])["name"]
    assert found.value == "东莞市瑞丰信软件有限公司" and found.label is None and found.confidence < 0.9
    p.lines.pop(1)  # with the name lost as well, the type is no name
    assert "name" not in business_license.extract([p])


def test_boxes_that_touch_on_a_shared_character_are_settled_by_reading_them_as_one():
    # the detector cut 创新路270号 as 创新路2 | 270号, both boxes holding the 2
    def page():
        return boxes(("住所", 100, 400, 60), ("广东省东莞市大岭山镇创新路2", 200, 400, 269), ("270号17栋23楼", 469, 400, 139))

    once = page()
    reread_as(once, "广东省东莞市大岭山镇创新路270号17栋23楼")
    assert business_license.extract([once])["address"].value == "广东省东莞市大岭山镇创新路270号17栋23楼"
    # where the joint reading holds the character twice, it was printed twice
    twice = page()
    reread_as(twice, "广东省东莞市大岭山镇创新路2270号17栋23楼")
    assert business_license.extract([twice])["address"].value == "广东省东莞市大岭山镇创新路2270号17栋23楼"
