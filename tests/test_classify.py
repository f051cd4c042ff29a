"""Page classification from text alone."""

from extractors.classify import classify_pages
from extractors.page import Line, Page


def _page(text, number=1, file="f.pdf"):
    return Page(file=file, number=number, source="text_layer", lines=[Line(t, (0, i * 40, 500, i * 40 + 30)) for i, t in enumerate(text)])


def test_each_type_on_its_own():
    pages = [
        _page(["数字化牵引单位变更申请书", "我单位现申请变更服务主体，特此申请。", "此致"]),
        _page(["营业执照", "统一社会信用代码", "名称", "经营范围", "登记机关"]),
        _page(["姓名张三", "性别男民族汉", "出生1990年1月1日", "住址广东省东莞市", "公民身份号码441900199001011231"]),
        _page(["中华人民共和国", "居民身份证", "签发机关东莞市公安局", "有效期限2015.06.01-2035.06.01"]),
        _page(["本地服务团队名单", "序号姓名岗位身份证号码联系电话"]),
        _page(["社会保险参保缴费证明", "单位名称", "险种", "缴费起止年月"]),
    ]
    assert [c.doc_types for c in classify_pages(pages)] == [
        ["application_letter"], ["business_license"], ["id_card_front"], ["id_card_back"], ["team_list"],
        ["social_insurance_proof"]]


def test_a4_copy_with_both_card_sides_carries_both():
    page = _page(["姓名张三", "性别男", "民族汉", "住址东莞市", "公民身份号码441900199001011231",
                  "中华人民共和国", "居民身份证", "签发机关东莞市公安局", "有效期限2015.06.01-2035.06.01"])
    assert classify_pages([page])[0].doc_types == ["id_card_front", "id_card_back"]


def test_cover_list_is_unknown():
    page = _page(["申报材料目录", "1．数字化牵引单位变更申请书", "2．营业执照复印件", "3．法定代表人身份证复印件",
                  "4．本地服务团队名单", "5．团队成员社保参保证明"])
    assert classify_pages([page])[0].doc_types == ["unknown"]


def test_table_continuation_inherits_and_stranger_page_does_not():
    head = _page(["本地服务团队名单", "序号姓名岗位身份证号码联系电话", "1张三经理441900199001011231"])
    more = _page(["15李四工程师441900199001011231", "16王五工程师44190019900101123X"], number=2)
    other_file = _page(["15李四工程师441900199001011231", "16王五工程师"], number=1, file="g.pdf")
    result = classify_pages([head, more, other_file])
    assert [c.doc_types for c in result] == [["team_list"], ["team_list"], ["unknown"]]


def test_an_application_form_about_something_else_is_no_letter_of_ours():
    # a rates-relief form: 申请表 and 申请人, but nothing of a change of traction unit
    relief = _page(["Maribyrnong市政府", "困难申请表", "仅限业主自住物业", "姓名：夏艳辰", "电话：家中：0731-56494164",
                    "申请针对的物业地址", "问题", "回答", "申请人的姓名", "第一债务人"])
    # a terse letter of ours with the same generic words does count
    ours = _page(["变更申请表", "申请人：东莞市数联达软件有限公司", "联系人：魏磊"])
    assert [c.doc_types for c in classify_pages([relief])] == [["unknown"]]
    assert [c.doc_types for c in classify_pages([ours])] == [["application_letter"]]


def test_a_card_face_whose_labels_went_unread_is_known_by_its_number_and_birth_date():
    from extractors.classify import classify_page
    from extractors.page import Line, Page

    lines = [Line(t, (0.0, 30.0 * i, 200.0, 30.0 * i + 25), 0.99) for i, t in enumerate(
        ["姓名", "马伟磊", "民族", "土家", "女", "1970年6月18日", "广东省东莞市大岭山镇新", "362502197006189488"])]
    assert classify_page(Page(file="f.jpg", number=1, source="ocr", lines=lines)).doc_types == ["id_card_front"]
    # a team list prints numbers, never the dates they hold
    lines = [Line(t, (0.0, 30.0 * i, 200.0, 30.0 * i + 25), 0.99) for i, t in enumerate(
        ["马伟磊", "362502197006189488", "13800138000", "2026年11月20日"])]
    assert classify_page(Page(file="f.jpg", number=1, source="ocr", lines=lines)).doc_types == ["unknown"]
