"""Field extractors on pages built line by line (no OCR): layouts, labels, tables."""

from extractors.fields import application_letter, business_license, id_card, social_insurance, team_list
from extractors.page import Line, Page, Table


def page(rows, number=1, source="ocr"):
    """rows: list of [(text, x0, width)] per visual row, 40 px apart."""
    lines = []
    for r, row in enumerate(rows):
        y = 100 + 40 * r
        for text, x0, width in row:
            lines.append(Line(text=text, bbox=(x0, y, x0 + width, y + 28), confidence=0.98))
    return Page(file="f.jpg", number=number, source=source, lines=lines)


def test_licence_two_columns_and_wrapped_scope():
    p = page([
        [("统一社会信用代码", 80, 200)],
        [("91441900MA4UJ8L25K", 80, 260)],
        [("营业执照", 600, 200)],
        [("名称", 90, 50), ("东莞市智造云科技有限公司", 250, 300), ("注册资本", 970, 100), ("1000万元人民币", 1120, 200)],
        [("类型", 90, 50), ("有限责任公司（自然人投资或控股）", 250, 400), ("成立日期", 970, 100), ("2019年3月5日", 1120, 180)],
        [("法定代表人", 90, 120), ("李明", 250, 60), ("营业期限", 970, 100), ("2019年03月05日至长期", 1120, 260)],
        [("经营范围", 90, 100), ("一般项目：软件开发；信息", 250, 400), ("住所", 970, 50), ("广东省东莞市南城街道", 1120, 300)],
        [("系统集成服务。", 250, 200), ("鸿福路1号", 1120, 120)],
        [("登记机关", 1300, 100)],
        [("2020年01月02日", 1340, 180)],
    ])
    fields = business_license.extract([p])
    assert fields["credit_code"].value == "91441900MA4UJ8L25K"
    assert fields["name"].value == "东莞市智造云科技有限公司"
    assert fields["legal_representative"].value == "李明" and fields["legal_representative"].label == "法定代表人"
    assert fields["established_date"].value == "2019-03-05"
    assert fields["term_end"].value == "long_term"
    assert fields["registered_capital"].value == "1000万元人民币"
    assert fields["business_scope"].value == "一般项目：软件开发；信息系统集成服务。"
    assert fields["address"].value == "广东省东莞市南城街道鸿福路1号"
    assert fields["issue_date"].value == "2020-01-02"
    assert fields["credit_code"].bbox == [80.0, 140.0, 340.0, 168.0]


def test_branch_licence_keeps_its_label():
    p = page([[("负责人", 90, 80), ("王五", 250, 60)], [("营业场所", 90, 100), ("广东省东莞市长安镇1号", 250, 300)]])
    fields = business_license.extract([p])
    assert fields["legal_representative"].value == "王五" and fields["legal_representative"].label == "负责人"
    assert fields["address"].label == "营业场所"


def test_id_front_labels_run_into_values_and_repair():
    p = page([
        [("姓名李明", 40, 150)],
        [("性别男", 40, 100), ("民族汉", 250, 100)],
        [("出生1985年3月12日", 40, 300)],
        [("住址广东省东莞市南城街道", 40, 330)],
        [("鸿福路1号", 140, 120)],
        [("公民身份号码", 40, 150), ("44I900198503121233", 230, 330)],
    ])
    fields = id_card.extract_front([p])
    assert [fields[k].value for k in ("name", "sex", "ethnicity", "birth_date")] == ["李明", "男", "汉", "1985-03-12"]
    assert fields["address"].value == "广东省东莞市南城街道鸿福路1号"
    number = fields["id_number"]
    assert number.value == "441900198503121233" and number.corrected and number.confidence <= 0.85


def test_an_id_number_a_digit_short_is_read_again_wider_or_reported_as_read():
    from tests.test_layout import reread_as

    def front(number_row, reread=None):
        p = page([[("姓名", 40, 60), ("李明", 140, 60)], number_row])
        seen = reread_as(p, reread) if reread else None
        return id_card.extract_front([p])["id_number"], seen

    # the watermark took the first digit from the detector: the wider box reads all eighteen
    got, seen = front([("公民身份号码", 40, 150), ("41900198503121233", 260, 320)], reread="441900198503121233")
    assert got.value == "441900198503121233" and seen and seen[0][0] < 260
    got, _ = front([("41900198503121233", 260, 320)], reread="441900198503121233")
    assert got.value == "441900198503121233"
    # read short again: reported as read, unsure, for the number check to judge
    got, _ = front([("41900198503121233", 260, 320)])
    assert got.value == "41900198503121233" and got.confidence < 0.7


def test_an_address_read_without_its_label_is_read_on_to_its_lost_end():
    from tests.test_layout import reread_as

    p = page([[("李明", 140, 60)], [("1984年12月7日", 140, 250)], [("广东省东莞市东城街道工业", 141, 345)],
              [("西路286号9栋1089", 140, 254)], [], [("420106198412079770", 240, 410)]])
    reread_as(p, "房")  # 房 alone on a line the detector left unboxed
    assert id_card.extract_front([p])["address"].value == "广东省东莞市东城街道工业西路286号9栋1089房"


def test_id_back_long_term():
    p = page([[("签发机关", 100, 100), ("东莞市公安局", 250, 150)], [("有效期限", 100, 100), ("2015.06.01-长期", 250, 200)]])
    fields = id_card.extract_back([p])
    assert (fields["issuing_authority"].value, fields["valid_from"].value, fields["valid_to"].value) == (
        "东莞市公安局", "2015-06-01", "long_term")


def test_id_back_dash_lost_by_ocr():
    for printed, end in (("2015.06.012035.06.01", "2035-06-01"), ("2025.04.04长期", "long_term")):
        fields = id_card.extract_back([page([[("有效期限", 100, 100), (printed, 250, 200)]])])
        assert fields["valid_to"].value == end


def test_id_back_validity_found_when_its_label_is_lost():
    p = page([[("签发机关", 100, 100), ("东莞市公安局长安分局", 250, 200)], [("2022.03.22-长期", 250, 200)]])
    fields = id_card.extract_back([p])
    assert (fields["valid_from"].value, fields["valid_to"].value) == ("2022-03-22", "long_term")
    assert fields["valid_to"].confidence < 0.99  # its label was not seen
    lone_date = id_card.extract_back([page([[("签发机关", 100, 100), ("东莞市公安局", 250, 150)], [("2022.03.22", 250, 150)]])])
    assert "valid_to" not in lone_date


def test_a_cell_read_in_two_boxes_that_overlap_on_a_character_keeps_it_once():
    p = page([
        [("序号", 100, 50), ("姓名", 250, 50), ("岗位", 420, 50), ("身份证号码", 650, 120), ("联系电话", 950, 100)],
        [("1", 110, 10), ("赵辉", 245, 60), ("软件工程师", 390, 150), ("师", 525, 60), ("440106197804012603", 600, 230),
         ("15061122230", 930, 150)],
    ])
    assert team_list.extract([p])["members"].value[0]["role"] == "软件工程师"


def test_team_list_from_geometry_over_two_pages():
    first = page([
        [("本地服务团队名单", 500, 200)],
        [("序号", 100, 50), ("姓名", 250, 50), ("岗位", 420, 50), ("身份证号码", 650, 120), ("联系电话", 950, 100)],
        [("1", 110, 10), ("张三", 245, 60), ("项目经理", 400, 100), ("441900198503121233", 600, 230), ("13800138000", 930, 150)],
    ])
    second = page([[("2", 130, 10), ("李四", 265, 60), ("实施工程师", 410, 120), ("441900199001011234", 620, 230), ("13900139000", 950, 150)]],
                  number=2)
    members = team_list.extract([first, second])["members"].value
    assert [m["name"] for m in members] == ["张三", "李四"]
    assert members[1] == {"name": "李四", "role": "实施工程师", "id_number": "441900199001011234", "phone": "13900139000"}


def test_team_list_from_structured_table():
    p = Page(file="t.xlsx", number=1, source="xlsx",
             tables=[Table(rows=[["团队名单"], ["序号", "姓名", "职务", "身份证号码", "手机号"],
                                 ["1", "王芳", "技术总监", None, "13800138000"]])])
    assert team_list.extract([p])["members"].value == [
        {"name": "王芳", "role": "技术总监", "id_number": None, "phone": "13800138000"}]


def test_a_period_the_detector_cut_across_the_month_columns_bound_stays_one_cell():
    p = page([
        [("序号", 80, 40), ("姓名", 200, 50), ("证件号码", 420, 100), ("险种", 700, 50), ("缴费起止年月", 900, 150), ("月数", 1150, 50)],
        [("1", 90, 10), ("张三", 195, 60), ("441900******1234", 380, 200), ("养老保险", 680, 100), ("2025-12至2026-", 880, 220),
         ("10", 1096, 46), ("11", 1160, 30)],
    ])
    assert social_insurance.extract([p])["insured"].value[0] == {
        "name": "张三", "id_number": "441900********1234", "months": 11, "period_from": "2025-12", "period_to": "2026-10"}


def test_social_insurance_masked_ids_and_periods():
    p = page([
        [("参保证明", 500, 150)],
        [("单位名称：东莞市智造云科技有限公司", 80, 500)],
        [("统一社会信用代码：91441900MA4UJ8L25K", 80, 500)],
        [("序号", 80, 40), ("姓名", 200, 50), ("证件号码", 420, 100), ("险种", 700, 50), ("缴费起止年月", 900, 150), ("月数", 1150, 50)],
        [("1", 90, 10), ("张三", 195, 60), ("441900******1234", 380, 200), ("养老保险", 680, 100), ("2024-01至2026-10", 880, 200), ("34", 1160, 30)],
        [("打印日期：2026年11月01日", 80, 300)],
        [("东莞市社会保险基金管理中心", 700, 330)],
    ])
    fields = social_insurance.extract([p])
    assert fields["employer_name"].value == "东莞市智造云科技有限公司"
    assert fields["employer_credit_code"].value == "91441900MA4UJ8L25K"
    assert fields["print_date"].value == "2026-11-01"
    assert fields["issuer"].value == "东莞市社会保险基金管理中心"
    assert fields["insured"].value == [{"name": "张三", "id_number": "441900********1234", "months": 34,
                                        "period_from": "2024-01", "period_to": "2026-10"}]


def test_prose_letter_uses_entities():
    text = [
        "数字化牵引单位变更申请书",
        "我单位东莞市智造云科技有限公司（统一社会信用代码：91441900MA4UJ8L25K）现申请变更在莞服务主体，特此申请。",
        "联系人：张三",
        "联系电话：13800138000",
        "申请单位（盖章）：东莞市智造云科技有限公司",
        "2026年11月18日",
    ]
    p = Page(file="l.docx", number=1, source="docx", lines=[Line(t, None) for t in text])
    fields = application_letter.extract([p])
    assert fields["applicant_name"].value == "东莞市智造云科技有限公司"
    assert fields["credit_code"].value == "91441900MA4UJ8L25K"
    assert fields["contact_person"].value == "张三" and fields["contact_phone"].value == "13800138000"
    assert fields["application_date"].value == "2026-11-18"
    assert fields["change_items"].value == "变更在莞服务主体"


def test_letter_applicant_is_its_clearest_reading():
    lines = [
        Line("我单位东莞市凯达智能制造有限公司（统一社会信用代码：914419000CB4N6GX9B）", (250, 431, 1528, 467), 0.99),
        Line("申请单位（盖章）：东莞凯达智能制造有限公司", (839, 1270, 1537, 1304), 0.95),  # 市 lost under the seal
        Line("2026.11.13", (969, 1416, 1133, 1452), 1.0),
    ]
    fields = application_letter.extract([Page(file="l.pdf", number=1, source="ocr", lines=lines)])
    assert fields["applicant_name"].value == "东莞市凯达智能制造有限公司"
    # another company named in the letter is not a reading of the applicant
    lines[0] = Line("我单位系东莞市华信电子科技有限公司的全资子公司。", (250, 431, 1528, 467), 0.99)
    fields = application_letter.extract([Page(file="l.pdf", number=1, source="ocr", lines=lines)])
    assert fields["applicant_name"].value == "东莞凯达智能制造有限公司"


def test_scope_punctuation_slips_are_undone_only_in_the_catalogue_form():
    from extractors.fields.scope import tidy_scope

    read = "一般项目，网络技术服务，云计算装备技术服务；大数据服务；供应链管理服务：信息咨询服务（不含许可类信息咨询服务）会议及展览服务"
    assert tidy_scope(read) == (
        "一般项目：网络技术服务；云计算装备技术服务；大数据服务；供应链管理服务；"
        "信息咨询服务（不含许可类信息咨询服务）；会议及展览服务。"
    )
    # a closing note after 。 keeps its commas, and the next heading follows it directly
    noted = "一般项目：软件开发；信息咨询服务；会议服务。（除依法须经批准的项目外，凭营业执照依法自主开展经营活动）许可项目：互联网信息服务。"
    assert tidy_scope(noted) == noted
    # brackets stay as printed
    assert tidy_scope("一般项目：软件开发；大数据服务；信息咨询服务(不含许可类)。") == "一般项目：软件开发；大数据服务；信息咨询服务(不含许可类)。"
    # older scopes separated by 、 and ， are not the catalogue form: separators left as
    # read, only the closing 。 the detector left outside the box put back
    assert tidy_scope("电子产品销售、软件开发，计算机系统服务") == "电子产品销售、软件开发，计算机系统服务。"
    assert tidy_scope("软件开发、照明器具销售（不含特种灯具）") == "软件开发、照明器具销售（不含特种灯具）。"
    noted_only = "软件开发。（除依法须经批准的项目外，凭营业执照依法自主开展经营活动）"
    assert tidy_scope(noted_only) == noted_only


def test_specks_read_as_a_pause_mark_or_a_latin_letter_leave_the_scope():
    from extractors.fields.scope import tidy_scope

    assert tidy_scope("一般项目：数E字视频监控系统销售；医用X射线设备销售；5G通信技术服务；、软件开发。") == (
        "一般项目：数字视频监控系统销售；医用X射线设备销售；5G通信技术服务；软件开发。")


def test_prescribed_scope_notes_are_restored_when_read_with_slips():
    from extractors.fields.scope import tidy_scope

    read = ("一般项目：电子产品销售；企业管理咨询（除依法须经批准的项目外凭营业执照依法自主开展经营活动）"
            "许可项目：第二类增值电信业务。（依法须经批准的项目，经相关部门批准后方可开展经营活动具体经营项目以相关部门批准文件或许可证件为准）")
    assert tidy_scope(read) == (
        "一般项目：电子产品销售；企业管理咨询。（除依法须经批准的项目外，凭营业执照依法自主开展经营活动）"
        "许可项目：第二类增值电信业务。（依法须经批准的项目，经相关部门批准后方可开展经营活动，具体经营项目以相关部门批准文件或许可证件为准）"
    )
    # the short note is the long note's opening words: an exact long note is left alone
    exact = "一般项目：软件开发；会议服务。许可项目：互联网信息服务。（依法须经批准的项目，经相关部门批准后方可开展经营活动，具体经营项目以相关部门批准文件或许可证件为准）"
    assert tidy_scope(exact) == exact


def test_closed_vocabularies_trim_what_runs_on():
    from extractors.fields.business_license import _ADDRESS_LEAD
    from extractors.fields.id_card import ethnicity

    assert ethnicity("汉更申请使") == "汉"  # a watermark's characters after the group
    assert ethnicity("土家") == "土家" and ethnicity("维吾尔") == "维吾尔"
    assert ethnicity("未知") == "未知"  # not a group: kept as read for the reviewer
    assert _ADDRESS_LEAD.sub("", "三广东省东莞市常平镇创新路466号") == "广东省东莞市常平镇创新路466号"
    assert _ADDRESS_LEAD.sub("", "三元里大道88号") == "三元里大道88号"


def test_one_proof_masks_every_number_alike():
    from extractors.fields.social_insurance import uniform_masks

    read = ["441900********1234", "440106********5678", "430102********9999", "44190071******1234", "441900199001011234"]
    fixed = uniform_masks(read)
    assert fixed[3] == "441900********1234"  # two stars read as digits go back under the mask
    assert fixed[:3] == read[:3] and fixed[4] == read[4]  # complete numbers are not masks
    # no shape most rows share: nothing changes
    assert uniform_masks(["441900********1234", "4419**********1234"]) == ["441900********1234", "4419**********1234"]


def test_a_speck_read_beside_a_name_does_not_lose_the_row():
    rows = page([
        [("序号", 100, 50), ("姓名", 250, 50), ("岗位", 420, 50), ("身份证号码", 650, 120), ("联系电话", 950, 100)],
        [("1", 110, 10), ("戴建K", 245, 80), ("项目经理", 400, 100), ("430111200404187379", 600, 230), ("13800138000", 930, 150)],
    ])
    assert [m["name"] for m in team_list.extract([rows])["members"].value] == ["戴建"]


def test_address_and_scope_edges_read_with_slips():
    from extractors.fields.business_license import tidy_address
    from extractors.fields.scope import tidy_scope

    assert tidy_address("东省东莞市清溪镇莞太路385号") == "广东省东莞市清溪镇莞太路385号"
    assert tidy_address("三广东省东莞市万江街道新城大道362号") == "广东省东莞市万江街道新城大道362号"
    assert tidy_address("广东省深圳市南山区科技园") == "广东省深圳市南山区科技园"
    assert tidy_address("斤1广东省东莞市松山湖科|技十路370号") == "广东省东莞市松山湖科技十路370号"
    # the 。 before a prescribed note, and a closing bracket read twice at the end
    assert tidy_scope("许可项目：互联网信息服务；第一类增值电信业务（依法须经批准的项目，经相关部门批准后方可开展经营活动）)") == (
        "许可项目：互联网信息服务；第一类增值电信业务。（依法须经批准的项目，经相关部门批准后方可开展经营活动）"
    )


def test_id_back_issuer_without_its_label():
    back = page([
        [("中华人民共和国", 300, 300)],
        [("居民身份证", 300, 300)],
        [("仅供数李", 100, 160), ("东莞市公安局茶山分局", 340, 260)],
        [("有效期限", 200, 100), ("2022.11.24-长期", 340, 200)],
    ])
    fields = id_card.extract_back([back])
    assert fields["issuing_authority"].value == "东莞市公安局茶山分局"
    assert fields["issuing_authority"].confidence < 0.8  # its label was not seen
    assert fields["valid_to"].value == "long_term"


def test_proof_issuer_is_the_signing_body_not_a_body_named_in_a_note():
    p = page([
        [("参保证明", 500, 150)],
        [("单位名称：东莞市智造云科技有限公司", 80, 500)],
        [("打印日期：2026年11月01日", 80, 300)],
        [("东莞市社会保险基金管理中心", 700, 330)],
        [("注：本证明可通过国家税务总局广东省电子税务局查验真伪", 80, 700)],
    ])
    assert social_insurance.extract([p])["issuer"].value == "东莞市社会保险基金管理中心"
    labelled = page([[("出具机构：国家税务总局东莞市税务局", 80, 500)], [("可通过国家税务总局广东省税务局查验", 80, 600)]])
    assert social_insurance.extract([labelled])["issuer"].value == "国家税务总局东莞市税务局"


def test_a_flat_speck_inside_a_row_keeps_the_row_whole():
    # a speck 8 px high (read as NAWKY) sits inside the row's band a little above its centre
    p = page([
        [("序号", 80, 40), ("姓名", 200, 50), ("证件号码", 420, 100), ("险种", 700, 50), ("缴费起止年月", 900, 150), ("月数", 1150, 50)],
        [("6", 90, 10), ("向晓", 195, 60), ("430*********729", 380, 200), ("养老保险", 680, 100), ("2023-12至2026-09", 880, 200), ("34", 1160, 30)],
    ])
    speck = Line(text="NAWKY", bbox=(450, 143, 500, 151), confidence=0.41)
    p.lines.insert(9, speck)  # after the ID number, as the detector orders boxes
    [person] = social_insurance.extract([p])["insured"].value
    assert (person["name"], person["period_from"], person["period_to"], person["months"]) == ("向晓", "2023-12", "2026-09", 34)


def test_a_footer_under_the_table_beside_a_watermark_word_is_no_member():
    rows = page([
        [("序号", 100, 50), ("姓名", 250, 50), ("岗位", 420, 50), ("身份证号码", 650, 120), ("联系电话", 950, 100)],
        [("1", 110, 10), ("张三", 245, 60), ("项目经理", 400, 100), ("441900198503121233", 600, 230), ("13800138000", 930, 150)],
        [("仅供数字", 230, 100), ("填报单位（盖章）", 640, 210)],
    ])
    assert [m["name"] for m in team_list.extract([rows])["members"].value] == ["张三"]


def test_a_period_with_a_speck_before_its_year_and_a_month_count_read_as_letters():
    from extractors.fields.social_insurance import _months
    from extractors.fields.tables import _as_digits

    assert _months("92023-08至2026-10") == ["2023-08", "2026-10"]
    assert _as_digits("ii") == "11" and _as_digits("iH") == "iH"


def test_a_dotted_date_whose_dot_reads_as_a_comma():
    from extractors.fields.common import parse_date

    assert parse_date("2026,11.20") == "2026-11-20" and parse_date("2026，11，20") == "2026-11-20"


def test_chinese_numeral_dates_read_with_a_lost_zero_or_an_arrow_for_one():
    from extractors.fields.common import date_lost_a_digit, parse_date

    assert parse_date("二一五年二月十七日") == "2015-02-17" and date_lost_a_digit("二一五年二月十七日")
    assert parse_date("二〇一七年十→月九日") == "2017-11-09" and not date_lost_a_digit("二〇一七年十→月九日")
    assert parse_date("一九九年三月一日") is None  # 199x: which digit was lost is not known


def test_specks_after_the_closing_note_and_a_lost_full_stop_before_the_licensed_items():
    from extractors.fields.scope import tidy_scope

    note = "（依法须经批准的项目，经相关部门批准后方可开展经营活动，具体经营项目以相关部门批准文件或许可证件为准）"
    assert tidy_scope("一般项目：软件开发；大数据服务许可项目：互联网信息服务。" + note + "》") == (
        "一般项目：软件开发；大数据服务。许可项目：互联网信息服务。" + note)


def test_a_speck_after_an_id_address_house_number_is_dropped():
    from extractors.fields.id_card import _address
    from extractors.layout import Hit

    lines = [Line("广东省东莞市黄江镇创新", (245, 330, 452, 366), 1.0), Line("路168号21栋213", (251, 363, 389, 393), 1.0),
             Line("房年", (253, 389, 327, 421), 0.96)]
    hit = Hit("广东省东莞市黄江镇创新路168号21栋213房年", lines, Page(file="f.jpg", number=1, source="ocr", lines=lines), "住址", 0.96)
    assert _address(hit) == ("广东省东莞市黄江镇创新路168号21栋213房", 0.85)


def test_a_code_with_one_character_too_many_at_an_end_and_type_and_name_slips():
    from extractors import values
    from extractors.fields.common import find_id_number

    # the label's last stroke read as a 9 before the number
    assert find_id_number("9440303196812195515") == ("440303196812195515", True)
    assert values.snap_type_qualifier("股份有限公司（非上市自然人投资或控股）") == "股份有限公司（非上市、自然人投资或控股）"
    assert values.snap_type_qualifier("有限责任公司（外商投资）") == "有限责任公司（外商投资）"
    # a lost 、 and 人 read as 大: two slips in a long qualifier
    assert values.snap_type_qualifier("股份有限公司（非上市自然大投资或控股）") == "股份有限公司（非上市、自然人投资或控股）"
    # two slips in a short one are too many
    assert values.snap_type_qualifier("有限责任公司（外国技资）") == "有限责任公司（外国技资）"
    assert values.tidy_organisation("东莞市汇智恒科技有限司南城分公司") == "东莞市汇智恒科技有限公司南城分公司"


def test_a_stroke_before_a_role_out_of_line_with_its_column_is_dropped():
    rows = [[("序号", 100, 50), ("姓名", 250, 50), ("岗位", 549, 66), ("身份证号码", 880, 148), ("联系电话", 1280, 123)]]
    people = [("魏军海", "项目经理", 522, 120), ("钟涛红", "软件工程师", 507, 148), ("周桂新", "软件工程师", 506, 148),
              ("孔文琪", "技术总监", 519, 123), ("杜华家", "人数据分析师", 457, 198)]  # the stroke and a gap before it
    for i, (name, role, x, width) in enumerate(people):
        rows.append([(str(i + 1), 110, 10), (name, 240, 90), (role, x, width), ("441900198503121233", 800, 300),
                     ("13800138000", 1270, 150)])
    members = team_list.extract([page(rows)])["members"].value
    assert [m["role"] for m in members] == ["项目经理", "软件工程师", "软件工程师", "技术总监", "数据分析师"]


def test_a_speck_in_the_sequence_column_leaves_the_lists_confidence_alone():
    p = page([
        [("序号", 100, 50), ("姓名", 250, 50), ("岗位", 420, 50), ("身份证号码", 650, 120), ("联系电话", 950, 100)],
        [("张三", 245, 60), ("项目经理", 400, 100), ("441900198503121233", 600, 230), ("13800138000", 930, 150)],
    ])
    # the row's number, too small to read, in reading order before the name
    p.lines.insert(5, Line(text="N", bbox=(112, 152, 118, 160), confidence=0.12))
    members = team_list.extract([p])["members"]
    assert [m["name"] for m in members.value] == ["张三"] and members.confidence >= 0.9


def test_an_issue_date_split_under_its_seal_is_joined_left_to_right():
    # the detector cut 二O from the date, its box reaching back over the rest's, and left
    # the 日 of another date as a box of its own a little higher than the rest
    lines = [
        Line("登记机关", (800, 1500, 910, 1530), 0.99),
        Line("一六年四月十一日", (889, 1603, 1099, 1630), 0.96),
        Line("二O", (847, 1605, 900, 1630), 0.90),
    ]
    assert business_license.extract([Page(file="f.jpg", number=1, source="ocr", lines=lines)])["issue_date"].value == "2016-04-11"
    lines = [Line("登记机关", (1287, 984, 1395, 1015), 0.99), Line("二〇二三年五月十二", (1299, 1088, 1527, 1115), 0.94),
             Line("日", (1530, 1091, 1550, 1110), 0.97)]
    assert business_license.extract([Page(file="f.jpg", number=1, source="ocr", lines=lines)])["issue_date"].value == "2023-05-12"


def test_a_misread_issue_date_is_read_again_and_a_lost_numeral_only_where_the_day_agrees():
    from extractors.fields.common import date_may_be_cut, date_misread, parse_date

    assert date_misread("二〇一七年十月三4一日") and date_may_be_cut("二〇二三年五月十二") and date_may_be_cut("二〇一三年十二一E")
    assert not date_misread("二〇一七年十月三十一日") and parse_date("二〇—二年七月十一日") == "2012-07-11"
    assert date_misread("二〇一十年六月七日")  # no year has a 十

    def issue(text, again):
        lines = [Line("登记机关", (800, 1500, 910, 1530), 0.99), Line(text, (811, 1596, 1093, 1628), 0.91)]
        reread = lambda box, stretch=2.0: Line(again, box, 0.93)  # noqa: E731
        return business_license.extract([Page(file="f.jpg", number=1, source="ocr", lines=lines, reread=reread)]).get("issue_date")

    assert issue("二〇一七年十月三4一日", "二〇一七年十月三十一日").value == "2017-10-31"
    assert issue("二〇一七年十月三4一日", "二〇一七年十月三A一日") is None  # read no better: nothing to give
    # 二二四年 read again as 二Q二四年…十日: the day changed, so the second reading is not taken
    found = issue("二二四年一月一日", "二Q二四年一月十日")
    assert found.value == "2024-01-01" and found.confidence < 0.8
    assert issue("二〇二年八月十八日", "二〇二〇年八月十八日").value == "2020-08-18"


def test_a_name_is_not_continued_into_the_entity_type_whose_label_was_lost():
    p = page([
        [("名", 107, 33), ("称：东莞市智联恒科技有限公司", 129, 359), ("注册资本：", 917, 104), ("1200万元人民币", 1041, 159)],
        [("有限责任公司（法人独资）", 228, 248), ("成立日期：", 917, 99), ("2012年04月23日", 1041, 234)],
        [("法定代表人", 107, 120), ("李明", 228, 60)],
    ])
    fields = business_license.extract([p])
    assert fields["name"].value == "东莞市智联恒科技有限公司"
    assert fields["entity_type"].value == "有限责任公司（法人独资）" and fields["entity_type"].label is None
    assert fields["entity_type"].confidence < 0.9


def test_a_year_that_lost_its_zero_takes_the_place_that_dates_the_licence_after_the_founding():
    def issue(founded):
        lines = [Line("成立日期", (100, 400, 200, 430), 0.99), Line(founded, (250, 400, 480, 430), 0.99),
                 Line("登记机关", (800, 1500, 910, 1530), 0.99), Line("二〇二年八月十八日", (827, 1598, 1084, 1631), 0.98)]
        return business_license.extract([Page(file="f.jpg", number=1, source="ocr", lines=lines)])["issue_date"]

    assert issue("2020年06月01日").value == "2020-08-18"  # 2002 would be before the founding
    assert issue("2001年06月01日").value == "2002-08-18"  # both could be: the usual place for the 〇
    assert issue("2001年06月01日").confidence < 0.85


def test_an_issue_date_after_today_or_before_the_founding_is_put_right_by_one_numeral_or_kept_and_doubted():
    from extractors.fields.common import parse_date

    def issue(text):
        lines = [Line("成立日期", (100, 400, 200, 430), 0.99), Line("2021年06月01日", (250, 400, 480, 430), 0.99),
                 Line("登记机关", (800, 1500, 910, 1530), 0.99), Line(text, (827, 1598, 1084, 1631), 0.99)]
        return business_license.extract([Page(file="f.jpg", number=1, source="ocr", lines=lines)])["issue_date"]

    assert issue("2021年07月02日").confidence > 0.9
    # one numeral of the year alone dates it between the founding and today
    for misread in ("2061年07月02日", "2011年07月02日"):
        assert issue(misread).value == "2021-07-02" and issue(misread).confidence < 0.8
    # no one numeral does: kept as read
    assert issue("2099年07月02日").value == parse_date("2099年07月02日") and issue("2099年07月02日").confidence < 0.8
