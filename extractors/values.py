"""What a field's value can look like, per kind of field.

Used to choose among the readings found beside a label (the first one that looks
right wins) and to lower the confidence of a reading that looks like nothing of its
kind. They never make a value up: they only say yes or no, or cut off what runs on
past the end of a recognisable value.
"""

from __future__ import annotations

import re

from extractors.lexicon import DONGGUAN_PLACES, LOOKALIKES, lookalike, trim_to_place

# 企业登记类型 wordings (市场主体登记): what 类型 / 组成形式 print.
ENTITY_TYPE_WORDS = re.compile(
    r"有限责任公司|股份有限公司|有限公司|分公司|分支机构|合伙企业|个人独资企业|个体工商户|个体户|农民专业合作社"
    r"|全民所有制|集体所有制|股份合作制|联营|非公司企业法人|外商投资|外国法人独资|台港澳|港澳台|个人经营|家庭经营"
)
_CJK = r"\u4e00-\u9fff"
_PERSON = re.compile(rf"[{_CJK}]{{2,4}}|[{_CJK}]{{1,8}}·[{_CJK}]{{1,8}}")
_CN_AMOUNT = re.compile(r"[零〇壹贰叁肆伍陆柒捌玖拾佰仟万亿一二三四五六七八九十百千]+")
_CAPITAL = re.compile(
    rf"^(?:人民币|美元|港币|港元)?(?:\d[\d,，.]*|{_CN_AMOUNT.pattern})\s*(?:万|亿)?\s*(?:元|圆)(?:整)?"
    r"(?:人民币|美元|港元|港币|[（(](?:人民币|美元|港元|港币)[)）])?$"
)
_ADDRESS_END = re.compile(r"(?:号|室|楼|栋|层|铺|房|座|幢|单元|村|组|路|街|道|场|园|区|厦|巷|弄|段|仓|坊|首层|之[一二三四五六七八九十\d]+)")


def entity_type(text: str) -> bool:
    return bool(ENTITY_TYPE_WORDS.search(text)) and len(text) <= 40


def person_name(text: str) -> bool:
    return bool(_PERSON.fullmatch(text))


def capital(text: str) -> bool:
    return bool(_CAPITAL.match("".join(text.split())))


def date(text: str) -> bool:
    from extractors.fields.common import parse_date

    return parse_date(text) is not None


def address(text: str) -> bool:
    """An address anywhere in China: a place (省/市/县/区/镇 or a Dongguan town) and an
    end that addresses print (号, 室, 路 …)."""
    return bool(re.search(r"[省市县区镇]|" + "|".join(DONGGUAN_PLACES), text)) and bool(_ADDRESS_END.search(text)) and len(text) >= 6


def address_end(text: str) -> bool:
    """Whether `text` is a word an address may end with (号, 房, 村, 之一 …)."""
    return bool(_ADDRESS_END.fullmatch(text))


def dongguan_address(text: str) -> bool:
    return address(text) and ("东莞" in text or any(place in text for place in DONGGUAN_PLACES))


def organisation(text: str) -> bool:
    """A registered name: ends like one (公司, 厂, 中心, 合作社, 店, 部 …)."""
    return bool(re.search(r"(?:公司|厂|中心|合作社|店|部|所|院|社|行|馆|站|企业)(?:[（(][^）)]{1,12}[）)])?$", text)) and len(text) >= 4


def tidy_organisation(text: str) -> str:
    """A registered name with the 公 of 有限公司 lost (有限司南城分公司): no name is
    registered with 有限司, so the 公 is put back; a character or two after its last
    organisation word that no name ends with (有限公司前: a seal's stroke) dropped."""
    text = text.replace("有限司", "有限公司")
    if not organisation(text):
        for stray in (1, 2):
            if len(text) > stray + 4 and organisation(text[:-stray]):
                return text[:-stray]
    return text


def organisation_once_tidied(text: str) -> bool:
    return organisation(tidy_organisation(text))


# the qualifiers 企业登记类型 prints in brackets after a type (有限责任公司（法人独资）)
TYPE_QUALIFIERS = (
    "自然人独资", "自然人投资或控股", "自然人投资或控股的法人独资", "法人独资", "非自然人投资或控股的法人独资",
    "外商投资", "外商投资、非独资", "外商独资", "外国法人独资", "台港澳法人独资", "台港澳与境内合资", "台港澳与外国投资者合资",
    "非上市", "上市", "非上市、自然人投资或控股", "非上市、国有控股", "国有独资", "国有控股",
)


def close_type_bracket(text: str) -> str:
    """有限责任公司（法人独资 with its closing bracket lost (read off the edge, under a
    stamp): closed again when what the bracket holds is a qualifier the register prints."""
    match = ENTITY_TYPE_WORDS.search(text)
    opened = re.search(r"[（(]([^）)]{2,20})$", text)
    if match and opened and opened.start() >= match.end() and nearest_qualifier(opened.group(1)):
        return text + "）"
    return text


def snap_type_qualifier(text: str) -> str:
    """（非上市自然人投资或控股）: a bracketed qualifier of an entity type a character
    (a lost 、, a misread character) from the one the register prints, put right: one
    edit in a short qualifier, two in one of eight characters or more (非上市自然大投资
    或控股), and only where no other qualifier is as near."""
    match = re.search(r"[（(]([^）)]{2,20})[）)]$", text)
    if not match or match.group(1) in TYPE_QUALIFIERS:
        return text
    qualifier = nearest_qualifier(match.group(1))
    return text[: match.start(1)] + qualifier + text[match.end(1) :] if qualifier else text


def nearest_qualifier(read: str) -> str | None:
    """The register's qualifier `read` is, or is within one edit of in a short one, two
    in one of eight characters or more, with no other as near; None otherwise."""
    from rapidfuzz.distance import Levenshtein

    if read in TYPE_QUALIFIERS:
        return read
    distances = sorted((Levenshtein.distance(q, read), q) for q in TYPE_QUALIFIERS)
    (best, qualifier), runner_up = distances[0], distances[1][0]
    allowed = 2 if len(read) >= 8 else 1
    return qualifier if best <= allowed and runner_up > best else None


# characters the recogniser takes for a capital's own words, each after what must stand
# before that word in an amount: 万 read as 方, 元 as 先/无/兀, 币 as 市, 人 lost before 民币
_CAPITAL_LOOKALIKES = (
    (re.compile(r"(?<=[零壹贰叁肆伍陆柒捌玖拾佰仟\d一二三四五六七八九十百千])方"), "万"),
    (re.compile(r"(?<=[万亿])[先无兀](?=整|$|[（(]|人民币)"), "元"),
    (re.compile(r"(?<=人民)市"), "币"),
    (re.compile(r"^民币"), "人民币"),
)


def tidy_capital(text: str) -> str:
    """A registered capital with its words put right where a look-alike took their
    place; only the result that has a capital's shape, and only from one that had not."""
    if capital(text):
        return text
    tidied = text
    for pattern, word in _CAPITAL_LOOKALIKES:
        tidied = pattern.sub(word, tidied)
    return tidied if capital(tidied) else text


def drop_stray_opening(text: str, accept) -> str:
    """（伍仟万元（人民币）: an opening bracket in front of a value, with no closing one
    for it, is the label's last stroke or a speck read as punctuation; dropped when the
    value then has the shape `accept` wants and had not before."""
    opens, closes = len(re.findall(r"[（(]", text)), len(re.findall(r"[）)]", text))
    if text[:1] in "（(" and opens > closes and not accept(text) and accept(text[1:]):
        return text[1:]
    return text


def cut_entity_type(text: str) -> str:
    """A 类型 reading that ran into the next field (有限责任公司（自然人投资或控股）法定代…):
    cut after the registration wording, its brackets and any words that follow it
    directly (有限责任公司分公司（自然人投资或控股）)."""
    match = ENTITY_TYPE_WORDS.search(text)
    if match is None:
        return text
    end = match.end()
    while True:
        more = ENTITY_TYPE_WORDS.match(text, end) or re.compile(r"[（(][^）)]{1,30}[）)]").match(text, end)
        if not more:
            return text[:end]
        end = more.end()


# a separator misread in front of the address (：read as 三 or 一)
_ADDRESS_LEAD = re.compile(r"^[三二一\-—:：·.。，,](?=(?:[\u4e00-\u9fff]{2,3}省)?[\u4e00-\u9fff]{2,3}市)")

def tidy_address(text: str) -> str:
    """An address as printed: no separator or speck misread in front of it, and 广东省
    whole when only its first character was lost before 东莞市."""
    text = re.sub(r"[|｜]", "", "".join(text.split()))  # a rule or speck read as a bar
    text = re.sub(r"(?<=[\u4e00-\u9fff])[+＋](?=[\u4e00-\u9fff])", "十", text)  # 科技+路: 十 read as a plus
    text = re.sub(r"^东省(?=东莞市)", "广东省", _ADDRESS_LEAD.sub("", text))
    return town_snapped(trim_to_place(text, max_stray=3))


def dongguan_place(read: str) -> str | None:
    """The Dongguan town or district `read` is, or is one character off (察步 for 寮步), or
    for a longer name two: the towns are a closed list; None when it is none of them or
    as close to two."""
    if read in DONGGUAN_PLACES:
        return read
    close = [p for p in DONGGUAN_PLACES if len(p) == len(read) and sum(a != b for a, b in zip(p, read)) == 1]
    if len(close) > 1:  # 风岗 is one off 凤岗 and 谢岗: the look-alike character settles it
        close = [p for p in close if any(LOOKALIKES.get(a) == b for a, b in zip(read, p))]
    if not close and len(read) >= 3:
        # a longer name two off (桃术头 for 樟木头), one of the two a look-alike: the only one
        close = [p for p in DONGGUAN_PLACES if len(p) == len(read)
                 and len(wrong := [(a, b) for a, b in zip(read, p) if a != b]) == 2 and any(lookalike(a, b) for a, b in wrong)]
    return close[0] if len(close) == 1 else None


def address_town(address: str | None) -> str | None:
    """The Dongguan town or street an address lies in (东莞市塘厦镇… → 塘厦), or None."""
    match = re.search(r"东莞市([\u4e00-\u9fff]{2,5}?)(?:镇|街道)", address or "")
    return dongguan_place(match.group(1)) if match else None


def town_snapped(text: str, pattern: str = r"东莞市([\u4e00-\u9fff]{2,4}?)(?:镇|街道)") -> str:
    """The Dongguan town in `text` (group 1 of `pattern`: after 东莞市 in an address, in
    an issuer's branch 东莞市公安局寮步分局) put right when read one character off;
    anything else is left as read."""
    match = re.search(pattern, text)
    place = dongguan_place(match.group(1)) if match else None
    if place is None:
        return text
    return text[: match.start(1)] + place + text[match.end(1) :]


