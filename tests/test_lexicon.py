from extractors.lexicon import SI_ISSUERS, registration_authorities, snap


def test_close_misreads_snap_to_the_known_name():
    assert snap("东筑市市场监督管理局", registration_authorities()) == "东莞市市场监督管理局"
    assert snap("东莞市市场监格设理局第平分局", registration_authorities()) == "东莞市市场监督管理局常平分局"
    assert snap("国家税务总局东荣市税务局", SI_ISSUERS) == "国家税务总局东莞市税务局"
    # a branch read with its place and 局 garbled is a branch, not the city bureau
    from extractors.lexicon import authority_from_reading

    assert authority_from_reading("东莞市市场监督管理局案步分") == "东莞市市场监督管理局寮步分局"


def test_other_cities_and_other_text_do_not_snap():
    assert snap("深圳市市场监督管理居", registration_authorities()) is None
    assert snap("东莞市鼎盛网络科技有限公司", registration_authorities()) is None
    assert snap("", registration_authorities()) is None


def test_printed_issuer_misread_snaps_but_another_city_stays():
    from extractors.fields import social_insurance
    from extractors.page import Line, Page

    def issuer(text):
        page = Page(file="p.pdf", number=1, source="ocr", lines=[Line(text, (0, 0, 300, 30), 0.95)])
        return social_insurance.extract([page])["issuer"].value

    assert issuer("东崇市社会保险基金管理中心") == "东莞市社会保险基金管理中心"
    assert issuer("深圳市社会保险基金管理中心") == "深圳市社会保险基金管理中心"


def test_authority_from_a_noisy_ring_reading():
    from extractors.lexicon import authority_from_reading

    assert authority_from_reading("东莞市治场监督饺理岛清溪分局") == "东莞市市场监督管理局清溪分局"
    assert authority_from_reading("东送发市场监梦健理局") == "东莞市市场监督管理局"
    # another city's bureau stays that city, its bureau name tidied
    assert authority_from_reading("深圳市石场监繁警理局") == "深圳市市场监督管理局"
    # the province's bureau is not Dongguan's, nor is a company seal an authority
    assert authority_from_reading("广东省市场监督管理局") == "广东省市场监督管理局"
    assert authority_from_reading("东莞市鼎盛网络科技有限公司") is None
    assert authority_from_reading("东英市市缘定最警理服线水头分屋") is None  # too garbled to choose a branch
    # bureau and town both misread, 分局 plain: a branch, the address's town's, never the city bureau
    assert authority_from_reading("东莞市市场监督资理品桃研分局", "横沥") == "东莞市市场监督管理局横沥分局"
    # the city lost, the entity's own town plain after the bureau
    assert authority_from_reading("S为监督管理局凤岗分局", "凤岗") == "东莞市市场监督管理局凤岗分局"
    assert authority_from_reading("S为监督管理局凤岗分局", "塘厦") is None


def test_lookalikes_and_folded_characters_in_authority_names():
    from extractors.lexicon import authority_from_reading

    # 风 for 凤: spelling distance ties 凤岗 with 谢岗; the look-alike settles it
    assert authority_from_reading("东莞市市场监督管理局风岗分局") == "东莞市市场监督管理局凤岗分局"
    # the doubled 市 folded into one by the recogniser
    assert authority_from_reading("深圳市场监督管理局") == "深圳市市场监督管理局"


def test_a_stray_character_before_an_authoritys_place_name_is_dropped():
    from extractors.lexicon import authority_from_reading, trim_to_place

    assert trim_to_place("乙深圳市市场监督管理局") == "深圳市市场监督管理局"
    assert authority_from_reading("乙深圳市市场监督管理局") == "深圳市市场监督管理局"  # a ring reading
    assert trim_to_place("乙东莞市市场监督管理局松山湖分局") == "东莞市市场监督管理局松山湖分局"
    assert trim_to_place("斤1广东省东莞市寮步镇创新路21号", max_stray=3) == "广东省东莞市寮步镇创新路21号"
    assert trim_to_place("斤1广东省东莞市寮步镇创新路21号") == "斤1广东省东莞市寮步镇创新路21号"  # one stray by default
    # names that begin with their place, or with none, stay as read
    for name in ("东莞市市场监督管理局", "广东省市场监督管理局", "国家市场监督管理总局"):
        assert trim_to_place(name) == name


def test_a_dongguan_towns_branch_read_without_its_city_is_dongguans():
    from extractors.lexicon import authority_from_reading

    # 东莞 read as 美: no trace of the city, but 常平 is a Dongguan town and 美 no place
    assert authority_from_reading("美市市场督管理局常平分局") == "东莞市市场监督管理局常平分局"
    # a real city keeps its own bureau (Xi'an has a 长安 branch too); its branch is let go
    assert authority_from_reading("西安市市场督管理局长安分局") == "西安市市场监督管理局"


def test_a_dongguan_police_issuer_one_character_off_is_that_bureau():
    from extractors.lexicon import known_or_read, police_issuers

    assert known_or_read("东莞市公安属横沥分局", police_issuers()) == "东莞市公安局横沥分局"
    assert known_or_read("长沙市公安局开福分局", police_issuers()) == "长沙市公安局开福分局"  # another city's stays


def test_a_branch_whose_town_reads_as_none_is_the_address_towns():
    from extractors.lexicon import authority_from_reading

    ring = "东奔市市场监智管理局城#分局"
    assert authority_from_reading(ring, town="塘厦") == "东莞市市场监督管理局塘厦分局"
    assert authority_from_reading(ring) != "东莞市市场监督管理局塘厦分局"
    # a town the ring does show is not overruled by the address
    assert authority_from_reading("东莞市市场监督管理局长安分局", town="塘厦") == "东莞市市场监督管理局长安分局"


def test_a_branch_after_the_bureau_is_read_however_its_suffix_reads():
    from extractors.lexicon import authority_from_reading

    assert authority_from_reading("·东莞市市场监督管理局横沥公") == "东莞市市场监督管理局横沥分局"
    assert authority_from_reading("东莞市市场监督管理局黄江局") == "东莞市市场监督管理局黄江分局"
    # 蓄江 is one character from both 黄江 and 万江: the address's town settles it
    assert authority_from_reading("东莞市，6场监督管理局蓄江分局", town="黄江") == "东莞市市场监督管理局黄江分局"
    assert authority_from_reading("东莞市市场监督管理局日", town="长安") == "东莞市市场监督管理局"  # a speck is no branch


def test_another_citys_bureau_read_with_strays_around_its_place():
    from extractors.lexicon import authority_from_reading

    assert authority_from_reading("电深圳光市市场监督管理局") == "深圳市市场监督管理局"
    assert authority_from_reading("日深圳兴市市场监督管理局") == "深圳市市场监督管理局"


def test_print_read_on_after_the_bureau_is_no_branch():
    from extractors.lexicon import authority_from_reading

    assert authority_from_reading("东莞市市场监督管理局二〇二", town="长安") == "东莞市市场监督管理局"
