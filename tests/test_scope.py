"""经营范围 items read one slip away from a catalogue wording, and brackets lost under a seal."""

from extractors.fields.scope import (
    ITEMS,
    catalogue_wording,
    close_lost_brackets,
    snap_items,
    split_glued,
    tidy_scope,
)


def test_an_item_one_slip_from_a_catalogue_wording_is_that_wording():
    assert catalogue_wording("大力资源服务（不含职业中介活动、劳务派遣服务）") == "人力资源服务（不含职业中介活动、劳务派遣服务）"
    assert catalogue_wording("人力资源服务（不含职业中介活动劳务派遣服务）") == "人力资源服务（不含职业中介活动、劳务派遣服务）"
    assert catalogue_wording("信息系统集成服条") == "信息系统集成服务"
    # as close to 企业管理 as to 企业管理咨询: a character lost is likelier than one added
    assert catalogue_wording("企业管理咨") == "企业管理咨询"


def test_a_wording_with_its_own_punctuation_is_restored_whole():
    # brackets lost, and an 、 lost between two of one wording's parts
    assert snap_items("照明器具销售，人力资源服务不含职业中介活动、劳务派遣服务。") == (
        "照明器具销售，人力资源服务（不含职业中介活动、劳务派遣服务）。"
    )
    assert snap_items("家用电器销售，技术服务、技术开发、技术咨询、技术交流、技术转让技术推广，软件开发") == (
        "家用电器销售，技术服务、技术开发、技术咨询、技术交流、技术转让、技术推广，软件开发"
    )


def test_wordings_unknown_short_or_ambiguous_stay_as_read():
    assert catalogue_wording("软件开发") is None  # a wording already
    assert catalogue_wording("软体开发") is None  # four characters: too short to judge
    assert catalogue_wording("无人机航拍摄影服务") is None  # not near any wording
    # as close to 批发 as to 零售 of the same item: no choice is made
    assert "计算机软硬件及辅助设备零售" in ITEMS and "计算机软硬件及辅助设备批发" in ITEMS
    assert catalogue_wording("计算机软硬件及辅助设备零发") is None
    assert snap_items("电子产品销售、软件开发，计算机系统服务。") == "电子产品销售、软件开发，计算机系统服务。"


def test_a_closing_bracket_lost_under_a_seal_is_put_back_for_a_catalogue_item():
    read = "人力资源服务（不含职业中介活动、劳务派遣服务送计算机系统服务；大数据服务：数字内容制作服务（不含出版发行）。"
    assert close_lost_brackets(read) == (
        "人力资源服务（不含职业中介活动、劳务派遣服务）；计算机系统服务；大数据服务：数字内容制作服务（不含出版发行）。"
    )
    assert tidy_scope("一般项目：" + read) == (
        "一般项目：人力资源服务（不含职业中介活动、劳务派遣服务）；计算机系统服务；大数据服务；数字内容制作服务（不含出版发行）。"
    )
    # an older scope parted by ， gets its ， back after the bracket, not a ；
    older = "家用电器销售，物联网技术服务，教育咨询服务（不含涉许可审批的教育培训活动工业互联网数据服务，软件开发。"
    assert tidy_scope(older) == (
        "家用电器销售，物联网技术服务，教育咨询服务（不含涉许可审批的教育培训活动），工业互联网数据服务，软件开发。")
    # an item the catalogue does not know keeps its open bracket
    unknown = "一般项目：软件开发；无人机服务（不含航拍送大数据服务；计算机系统服务。"
    assert close_lost_brackets(unknown) == unknown
    # a closing note after 。 is not an item
    noted = "软件开发。（除依法须经批准的项目外，凭营业执照依法自主开展经营活动）"
    assert close_lost_brackets(noted) == noted


def test_two_items_glued_by_a_lost_separator_are_parted():
    assert split_glued("软件开发工业设计服务") == ("软件开发", "工业设计服务")
    assert split_glued("照明器具销售工业设计服务") == ("照明器具销售", "工业设计服务")
    # a qualifier in front of a wording is part of one item
    assert split_glued("工业互联网数据服务") is None and split_glued("医疗健康大数据服务") is None
    assert tidy_scope("一般项目：软件开发工业设计服务；大数据服务。显。许可项自；第一类增值电信业务。") == (
        "一般项目：软件开发；工业设计服务；大数据服务。许可项目：第一类增值电信业务。"
    )
    assert tidy_scope("一般项目：电子产品销售。许可一项目；第二类增值电信业务。") == (
        "一般项目：电子产品销售。许可项目：第二类增值电信业务。"  # a speck read as 一 inside the heading
    )
    # the older form parts them with its own separator
    assert tidy_scope("照明器具销售工业设计服务，软件开发") == "照明器具销售，工业设计服务，软件开发。"


def test_an_item_one_look_alike_from_one_of_two_wordings_is_that_one():
    # 工 for 二: one character from both 第一类 and 第二类 增值电信业务; 工 looks like 二
    assert catalogue_wording("第工类增值电信业务") == "第二类增值电信业务"
    # a character that looks like neither leaves it as read
    assert catalogue_wording("第四类增值电信业务") is None


def test_glued_items_of_an_older_scope_are_parted_by_its_own_separator():
    # the 、 inside an item's brackets is not the scope's separator
    assert tidy_scope("光伏设备及元器件销售，人力资源服务（不含职业中介活动、劳务派遣服务）数字视频监控系统销售") == (
        "光伏设备及元器件销售，人力资源服务（不含职业中介活动、劳务派遣服务），数字视频监控系统销售。")


def test_a_closing_bracket_after_a_full_stop_closes_nothing():
    read = "一般项目：数字技术服务；信息系统运行维护服务。）（除依法须经批准的项目外，凭营业执照依法自主开展经营活动）"
    assert tidy_scope(read) == "一般项目：数字技术服务；信息系统运行维护服务。（除依法须经批准的项目外，凭营业执照依法自主开展经营活动）"


def test_two_glued_items_are_parted_and_each_snapped_to_its_wording():
    assert tidy_scope("物联网技术服务会计算装备技术服务、技术推广、信息系统集成服务。") == (
        "物联网技术服务、云计算装备技术服务、技术推广、信息系统集成服务。")


def test_an_items_lost_opening_bracket_does_not_cost_the_closing_note_its_own():
    read = ("一般项目：教育咨询服务不含涉许可审批的教育培训活动）；供应链管理服务。"
            "（除依法须经批准的项目外，凭营业执照依法自主开展经营活动）")
    assert tidy_scope(read) == ("一般项目：教育咨询服务（不含涉许可审批的教育培训活动）；供应链管理服务。"
                                "（除依法须经批准的项目外，凭营业执照依法自主开展经营活动）")


def test_headings_that_lost_their_first_character_and_a_speck_after_the_closing_note():
    read = ("般项目互联网数据服务；工业设计服务。（除依法须经批准的项目外，凭营业执照依法自主开展经营活动）"
            "可项目；第一类增值电信业务。（依法须经批准的项目，经相关部门批准后方可开展经营活动，"
            "具体经营项目以相关部门批准文件或许可证件为准）米。")
    assert tidy_scope(read) == (
        "一般项目：互联网数据服务；工业设计服务。（除依法须经批准的项目外，凭营业执照依法自主开展经营活动）"
        "许可项目：第一类增值电信业务。（依法须经批准的项目，经相关部门批准后方可开展经营活动，"
        "具体经营项目以相关部门批准文件或许可证件为准）")
    # an item that merely ends in 可 is not followed by a heading
    assert tidy_scope("一般项目：软件开发；技术许可。") == "一般项目：软件开发；技术许可。"
    # 许项目 after the general items is the heading that lost its 可; 特许经营项目 inside an item is no heading
    assert tidy_scope("一般项目：市场营销策划。许项目；建设工程施工。") == "一般项目：市场营销策划。许可项目：建设工程施工。"
    assert tidy_scope("一般项目：技术咨询；商业特许经营项目管理；软件开发。") == "一般项目：技术咨询；商业特许经营项目管理；软件开发。"
