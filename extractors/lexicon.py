"""Names that seals print, for snapping a noisy ring-text reading to its likely spelling.

Seal text is arced, speckled and often stamped over print, so the recogniser gets a
character or two wrong even when the name is plain to a person. A reading that is
close to one known name (and not close to two) is taken as that name, at a low
confidence the rules know to doubt.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher
from functools import lru_cache

# Dongguan's streets, towns and special zones (the registration authority has a branch
# office in each).
DONGGUAN_PLACES = (
    "莞城", "南城", "东城", "万江",
    "石碣", "石龙", "茶山", "石排", "企石", "横沥", "桥头", "谢岗", "东坑", "常平", "寮步", "樟木头", "大朗",
    "黄江", "清溪", "塘厦", "凤岗", "大岭山", "长安", "虎门", "厚街", "沙田", "道滘", "洪梅", "麻涌", "望牛墩",
    "中堂", "高埗",
    "松山湖", "东莞港", "东莞生态园", "滨海湾",
)
ETHNIC_GROUPS = (
    "汉", "蒙古", "回", "藏", "维吾尔", "苗", "彝", "壮", "布依", "朝鲜", "满", "侗", "瑶", "白", "土家", "哈尼", "哈萨克",
    "傣", "黎", "傈僳", "佤", "畲", "高山", "拉祜", "水", "东乡", "纳西", "景颇", "柯尔克孜", "土", "达斡尔", "仫佬", "羌",
    "布朗", "撒拉", "毛南", "仡佬", "锡伯", "阿昌", "普米", "塔吉克", "怒", "乌孜别克", "俄罗斯", "鄂温克", "德昂", "保安",
    "裕固", "京", "塔塔尔", "独龙", "鄂伦春", "赫哲", "门巴", "珞巴", "基诺",
)
SI_ISSUERS = ("国家税务总局东莞市税务局", "东莞市社会保险基金管理中心", "东莞市人力资源和社会保障局")


_CITY_BUREAUS = ("东莞市市场监督管理局", "东莞市工商行政管理局")


@lru_cache(maxsize=1)
def registration_authorities() -> tuple[str, ...]:
    names = list(_CITY_BUREAUS)
    names += [f"东莞市市场监督管理局{place}分局" for place in DONGGUAN_PLACES]
    names += [f"东莞市工商行政管理局{place}分局" for place in DONGGUAN_PLACES]
    return tuple(names)


@lru_cache(maxsize=1)
def police_issuers() -> tuple[str, ...]:
    """Who issues a Dongguan resident's identity card: the city bureau or a town's branch."""
    return ("东莞市公安局", *(f"东莞市公安局{place}分局" for place in DONGGUAN_PLACES))


# A trace of 东莞 where a city name stands: 东莞, 东市, 东?市, 东??市, or 莞 anywhere (no
# other place name uses it). Not 广东省 (the province's own bureaus are not Dongguan's).
_DONGGUAN_TRACE = re.compile(r"东莞|东[^省]{0,2}市|莞")


def snap(reading: str, names: tuple[str, ...], threshold: float = 0.6, margin: float = 0.04) -> str | None:
    """The one known name `reading` is close to, if exactly one stands out.

    Every name here holds its city; a reading that shows no trace of 东莞 is never
    pulled to a Dongguan name (深圳市市场监督管理局 is not one misread character away
    from a Dongguan authority, it is another city)."""
    reading = "".join(reading.split())
    if not reading or not _DONGGUAN_TRACE.search(reading):
        return None
    scored = sorted(((SequenceMatcher(None, reading, name).ratio(), name) for name in names), reverse=True)
    best_score, best = scored[0]
    runner_up = scored[1][0] if len(scored) > 1 else 0.0
    if best_score >= threshold and best_score - runner_up >= margin:
        return best
    return None


_BUREAU = "市场监督管理局"


def authority_from_reading(reading: str, town: str | None = None) -> str | None:
    """A registration authority from a noisy reading: a known Dongguan name when the
    reading is close to one, else `<city>市场监督管理局` when the reading is a city
    followed by something close to 市场监督管理局 (another city's bureau, kept as that
    city). Authority names are all Chinese characters: digits and letters in a ring
    reading are print under the stamp.

    `town`, the Dongguan town of the entity's address, names a branch whose own town
    reads as none: each town's branch registers the entities seated in it."""
    reading = "".join(re.findall(r"[\u4e00-\u9fff]", reading))
    if branch := _dongguan_branch_after_bureau(reading, town):
        return branch
    # a branch's 分局 often reads with its last character wrong (分息, 分居)
    exact = re.search(
        r"[\u4e00-\u9fff]{2,20}?(?:市场监督管理局|工商行政管理局|行政审批局|市场监管局)(?:[\u4e00-\u9fff]{1,8}?分[\u4e00-\u9fff]?)?",
        reading,
    )
    if exact:
        name = exact.group(0)
        # 深圳市市场… read as 深圳市场…: the recogniser folds a doubled 市 into one
        place = re.match(r"(.+?)(?=市场监督管理局|市场监管局)", name)
        if place and not re.search(r"[市省区县州盟旗]$", place.group(1)):
            name = place.group(1) + "市" + name[len(place.group(1)) :]
        name = _place_with_strays_dropped(name)
        names = registration_authorities()
        if re.search(r"局[\u4e00-\u9fff]{1,8}?分", name):  # a branch is read: the city bureau is no candidate
            names = tuple(n for n in names if n.endswith("分局"))
        return known_or_read(trim_to_place(name), names)
    if branch := _branch_past_reading(reading, town):
        return branch
    if known := snap(reading, registration_authorities()):
        return known
    if branch := _dongguan_branch(reading):
        return branch
    # a branch after the bureau is let go of (its city is what the rules judge)
    city = re.match(r"([\u4e00-\u9fff]{2,3}?[市州盟])(.{5,9}?)(?:[\u4e00-\u9fff]{1,4}分[\u4e00-\u9fff]?)?$", reading)
    if city and SequenceMatcher(None, city.group(2), _BUREAU).ratio() >= 0.5:
        return city.group(1) + _BUREAU
    return None


def _branch_past_reading(reading: str, town: str | None) -> str | None:
    """东莞市市场监督资理品桃研分局: a Dongguan branch whose bureau and town both read
    wrong, its 分局 plain: the one branch the reading is close to, else the branch of the
    address's town (never the city bureau: a branch was read). `town` is the address's,
    and only a Dongguan town's."""
    if not re.search(r"分[\u4e00-\u9fff]?$", reading) or len(reading) < 10:
        return None
    branches = tuple(n for n in registration_authorities() if n.endswith("分局"))
    if known := snap(reading, branches):
        return known
    # the city lost, the branch plain after the bureau (…监督管理局凤岗分局): the branch of
    # the entity's own Dongguan town
    if town and re.search(rf"(?:管理局|监督){town}分", reading):
        return f"{_CITY_BUREAUS[0]}{town}分局"
    bureau = max(SequenceMatcher(None, reading[: len(c)], c).ratio() for c in _CITY_BUREAUS)
    return f"{_CITY_BUREAUS[0]}{town}分局" if town and bureau >= 0.6 and _DONGGUAN_TRACE.search(reading) else None


def _dongguan_branch_after_bureau(reading: str, town: str | None) -> str | None:
    """东莞市市场监督管理局横沥公 / …管理局黄江局 / …管理局蓄江分局: the Dongguan bureau
    followed by a branch, however its 分局 reads: the town the branch names, else (its
    town read past knowing, its 分局 not) the address's town. A character or none after
    the bureau is no branch."""
    found = re.match(r"(.{4,12}?管理局)(.*)$", reading)
    if not found or len(found.group(2)) < 2 or not (city := snap(found.group(1), _CITY_BUREAUS)):
        return None
    rest = found.group(2)
    place = next((p for p in sorted(DONGGUAN_PLACES, key=len, reverse=True) if rest.startswith(p)), None)
    place = place or next((LOOKALIKES[c] + rest[1] for c in rest[:1] if c in LOOKALIKES
                           and LOOKALIKES[c] + rest[1] in DONGGUAN_PLACES), None)
    if place:
        return f"{city}{place}分局"
    # the address's town only for what reads as a branch (its 分局 or 局 at the end), not
    # for print under the ring read on after the bureau (a date's 二〇二…)
    return f"{city}{town}分局" if town and re.search(r"分.?$|局$", rest) else None


def _dongguan_branch(reading: str) -> str | None:
    """美市市场督管理局常平分局: the city misread past recognition (no trace of 东莞 and
    no place of its own) but the branch a Dongguan town's, and the rest close to the
    bureau's wording: that town's branch of the Dongguan bureau. A reading naming a real
    city keeps it (西安市…长安分局 is Xi'an's)."""
    found = re.search(r"^(.{0,4}?[市州])(.{4,9}?)(" + "|".join(DONGGUAN_PLACES) + r")分[\u4e00-\u9fff]?$", reading)
    if not found or found.group(1) in place_names() or found.group(1)[:-1] in place_names():
        return None
    city, bureau, town = found.groups()
    wordings = (_BUREAU, "工商行政管理局")
    score, wording = max((SequenceMatcher(None, bureau, w).ratio(), w) for w in wordings)
    return f"东莞市{wording}{town}分局" if score >= 0.7 else None


# Characters the recogniser takes for one another in place names.
LOOKALIKES = {"风": "凤", "凤": "风", "步": "埗", "埗": "步", "窖": "滘", "滘": "窖", "勇": "涌", "洌": "沥", "沥": "洌",
               "漳": "樟", "樟": "漳", "塘": "溏", "溏": "塘", "厦": "夏", "夏": "厦", "壳": "莞"}

# Printed characters the recogniser takes for one another anywhere (a stroke more or
# less): they settle a tie between two wordings each one character from a reading.
PRINT_LOOKALIKES = frozenset(
    frozenset(pair) for pair in ("工二", "二三", "土士", "己已", "未末", "人入", "日曰", "日目", "大太", "天夭", "木术")
)


def lookalike(a: str, b: str) -> bool:
    return frozenset((a, b)) in PRINT_LOOKALIKES or LOOKALIKES.get(a) == b


def known_or_read(value: str, names: tuple[str, ...]) -> str:
    """A reading that is not a known name but is close to one becomes that name; one
    look-alike character (风 for 凤) settles a tie that spelling distance cannot."""
    if value in names:
        return value
    swaps = [value[:i] + LOOKALIKES[ch] + value[i + 1 :] for i, ch in enumerate(value) if ch in LOOKALIKES]
    for swapped in swaps:
        if swapped in names:
            return swapped
    # a look-alike can hide the city itself (壳市… for 东莞市…, its 东 lost to the ring)
    return snap(value, names) or next((known for swapped in swaps if (known := snap(swapped, names))), None) or value


def reading_confidence(reading: str, value: str) -> float:
    """How far to trust a name taken from a ring reading: by how much of the name the
    reading actually shows (a seal read cleanly gives 0.9; a name rebuilt from half its
    characters about 0.7). Ring text never counts as much as clean print."""
    shown = "".join(re.findall(r"[\u4e00-\u9fff]", reading))
    if not shown or not value:
        return 0.5
    matcher = SequenceMatcher(None, shown, value)
    share = sum(block.size for block in matcher.get_matching_blocks()) / len(value)
    return round(min(0.9, 0.45 + 0.45 * share), 3)


@lru_cache(maxsize=1)
def place_names() -> frozenset[str]:
    """China's province, prefecture and county names, from the administrative-division
    table python-stdnum ships for checking ID numbers."""
    from importlib.resources import files

    table = files("stdnum").joinpath("cn/loc.dat").read_text(encoding="utf-8")
    # names carry the years they held, as in county="[1988-]东莞市"
    return frozenset(re.findall(r'(?:province|county)="(?:\[[^\]]*\])?([^"]+)"', table))


def _place_with_strays_dropped(name: str) -> str:
    """电深圳光市市场监督管理局: a bureau whose place, before its bureau wording, is no
    place but holds exactly one, in order, with up to two stray characters (print
    under the ring): that place."""
    found = re.match(r"(.+?)(?=市场监督管理局|工商行政管理局|市场监管局|行政审批局)", name)
    if not found or found.group(1) in place_names() or _DONGGUAN_TRACE.search(found.group(1)):
        return name
    read = found.group(1)

    def within(place: str) -> bool:
        chars = iter(read)
        return all(ch in chars for ch in place)

    close = {p for p in place_names() if 3 <= len(p) < len(read) <= len(p) + 2 and within(p)}
    return name.replace(read, close.pop(), 1) if len(close) == 1 else name


def trim_to_place(name: str, max_stray: int = 1) -> str:
    """A name or address read with stray characters in front of its place name
    (乙深圳市市场监督管理局, 斤1广东省东莞市…): up to `max_stray` of them dropped when
    what follows begins with a place name and the whole does not."""
    places = place_names()

    def starts_with_place(text: str) -> bool:
        return any(text[:n] in places for n in range(2, 9))

    if len(name) <= 3 or starts_with_place(name):
        return name
    for stray in range(1, max_stray + 1):
        if starts_with_place(name[stray:]):
            return name[stray:]
    return name
