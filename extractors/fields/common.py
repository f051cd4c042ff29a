"""What every field extractor shares: dates, and identifiers with OCR repair."""

from __future__ import annotations

import re
from itertools import product

from stdnum.cn import ric, uscc

from dgintake.models import FieldValue
from extractors.labels import compact, union_box  # noqa: F401 (shared by the extractors)
from extractors.page import Line, Page

# -- dates ------------------------------------------------------------------------------
_CN_DIGITS = {"〇": 0, "零": 0, "○": 0, "O": 0, "0": 0, "Ｏ": 0, "o": 0, "Q": 0, "D": 0, "口": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_DATE_PATTERNS = [
    # a dot under a stamp or speck reads as : or ·, a dot with a tail as a comma
    re.compile(r"(\d{4})\s*[年.\-/．:：·,，。]\s*(\d{1,2})\s*[月.\-/．:：·,，。]\s*(\d{1,2})\s*日?"),
    re.compile(r"(?<!\d)(\d{4})(\d{2})(\d{2})(?!\d)"),
]
# a Chinese numeral of a year: the recogniser reads 〇 as O, 0, ○, Q, D or 口 as often as not
_CN_YEAR_DIGIT = "[〇零○OＯo0QD口一二三四五六七八九→—－]"
# 二〇二二年四月二十一日; the recogniser reads 〇 as O, 0, ○, Q, D or 口 as often as not,
# or loses it (二一五年: the year has three digits), 一 as an arrow or a dash, and 日
# under a seal as 白, 曰 or 目
# (十 under a seal's strokes reads as 平, 千 or 干)
# (a numeral of the month or day now and then reads as its digit: 五月2十八日)
_CN_MONTH = "一二三四五六七八九十平千干→—－"
_CN_DAY = _CN_MONTH + "廿"
_CN_DATE = re.compile(rf"({_CN_YEAR_DIGIT}{{3,4}})年([{_CN_MONTH}\d]{{1,3}})月([{_CN_DAY}\d]{{1,3}})[日白曰目]")
_NUMERAL_LIKE = str.maketrans({"→": "一", "—": "一", "－": "一", "平": "十", "千": "十", "干": "十"})
_DIGIT_NUMERALS = str.maketrans("0123456789", "〇一二三四五六七八九")


def _cn_year(text: str) -> int | None:
    digits = [_CN_DIGITS[c] for c in text.translate(_NUMERAL_LIKE)]
    if len(digits) == 3:  # 二一五 or 二〇五: the character lost is a 〇 after the 二 of 20xx
        if digits[0] != 2:
            return None
        digits.insert(1, 0)
    return int("".join(map(str, digits)))


def date_lost_a_digit(text: str) -> bool:
    """Whether the date in `text` was read with a year of three Chinese numerals (the
    〇 put back is inferred, so the date is less sure)."""
    return _lost_digit_year(text) is not None


def _lost_digit_year(text: str) -> tuple[list[str], re.Match] | None:
    """The digits of a date's year read with three Chinese numerals, and the date's
    match; None where the year was read whole or no such date is printed."""
    match = _CN_DATE.search(compact(text))
    if not match or len(match.group(1)) != 3:
        return None
    return [str(_CN_DIGITS[c]) for c in match.group(1).translate(_NUMERAL_LIKE)], match


def year_fits_lost_digit(text: str, iso: str) -> bool:
    """Whether `iso`'s year holds the numerals of a year read with one lost (二〇四 in
    2014 and in 2024, not in 2013), in their order; True where no numeral was lost."""
    if (lost := _lost_digit_year(text)) is None:
        return True
    read = iter(iso[:4])
    return all(digit in read for digit in lost[0])


def lost_zero_dates(text: str) -> list[str]:
    """The dates a year read with three Chinese numerals can be, a 〇 put back at each
    place (二〇二年 is 2002 or 2020); none where no numeral was lost."""
    if (lost := _lost_digit_year(text)) is None:
        return []
    digits, match = lost
    month, day = _cn_number(match.group(2)), _cn_number(match.group(3))
    years = {int("".join(digits[:i] + ["0"] + digits[i:])) for i in range(1, 4)}
    return sorted(iso for year in years if (iso := _valid_ymd(year, month, day)))


def _cn_number(text: str) -> int:
    text = text.translate(_NUMERAL_LIKE).replace("廿", "二十")
    if text.isdigit():
        return int(text)
    text = text.translate(_DIGIT_NUMERALS)  # digits among numerals are numerals misread (2十八)
    if "十" in text:
        tens, _, ones = text.partition("十")
        return (_CN_DIGITS.get(tens, 1) if tens else 1) * 10 + (_CN_DIGITS.get(ones, 0) if ones else 0)
    return int("".join(str(_CN_DIGITS[c]) for c in text))


def _valid_ymd(y: int, m: int, d: int) -> str | None:
    from datetime import date

    try:
        return date(y, m, d).isoformat()
    except ValueError:
        return None


def parse_date(text: str | None) -> str | None:
    """The first date printed in `text`, as ISO, in any form a Chinese document prints it."""
    if not text:
        return None
    joined = compact(text)
    match = _CN_DATE.search(joined)
    if match and (year := _cn_year(match.group(1))):
        return _valid_ymd(year, _cn_number(match.group(2)), _cn_number(match.group(3)))
    for pattern in _DATE_PATTERNS:
        for match in pattern.finditer(joined):
            iso = _valid_ymd(int(match.group(1)), int(match.group(2)), int(match.group(3)))
            if iso:
                return iso
    return None


# a whole year, then no more than a date's worth of characters and no 日 (2019年07月2,
# 二〇二三年五月十二, 二〇一三年十二一E: the end lost or mangled under the seal)
_CUT_DATE = re.compile(rf"(?:\d{{4}}|{_CN_YEAR_DIGIT}{{4}})\s*年[^年日]{{0,6}}$")


def date_may_be_cut(text: str) -> bool:
    """Whether a line ends inside a 年/月/日 date whose end the detector lost or misread
    (2019年07月2, 二〇二三年五月十二): a whole year, and no date completed after it."""
    joined = compact(text)
    return bool(_CUT_DATE.search(joined)) and (parse_date(joined) is None or bool(re.search(r"月\d?$", joined)))


def date_misread(text: str) -> bool:
    """Whether a line holds a date's whole year and its 日 but no date can be read
    between them (二〇一七年十月三4一日: a seal's stroke read as a character), or a year
    of Chinese numerals that lost one."""
    joined = compact(text)
    # a year of three or four characters, a 十 among them read for a numeral (二〇一十, O十五)
    whole = re.search(rf"(?:\d{{4}}|{_CN_YEAR_DIGIT[:-1]}十]{{3,4}})年.{{1,8}}[日白曰目]", joined)
    return (bool(whole) and parse_date(joined) is None) or date_lost_a_digit(joined)


# a year of four numerals, one or more of them read as 十
_CROSSED_YEAR_DATE = re.compile(rf"((?:{_CN_YEAR_DIGIT}|十){{4}})年([{_CN_MONTH}]{{1,3}})月([{_CN_DAY}]{{1,3}})[日白曰目]")


def crossed_numeral_dates(text: str) -> list[str]:
    """The dates a line can print whose year was read with a 十, which no year holds: a
    一 crossed by a stroke of the seal's ring or a rule, or a 七 that lost its hook
    (二〇十五年 is 2015 or 2075); the month and day as read; the caller narrows them down."""
    match = next((m for m in _CROSSED_YEAR_DATE.finditer(compact(text)) if "十" in m.group(1)), None)
    if match is None:
        return []
    year, month, day = match.groups()
    readings = ("".join(chars) for chars in product(*("一七" if char == "十" else char for char in year)))
    try:
        month_n, day_n = _cn_number(month), _cn_number(day)
    except KeyError:
        return []
    return sorted({iso for r in readings if (y := _cn_year(r)) and (iso := _valid_ymd(y, month_n, day_n))})


# a date whose year lost its first characters, or all of them (一七年十一月九日, 17年11月9日, 年十月二日)
# (the seal's strokes left of what remains read as a Latin letter or two: CO六年五月二日)
_HEADLESS_DATE = re.compile(rf"^[A-Za-z]{{0,2}}(?:\d{{1,3}}|{_CN_YEAR_DIGIT}{{1,2}})?年[^年]{{1,3}}月[^月]{{1,3}}[日白曰目]")


# the end of a year and the month and day after it, anywhere in a line (EO1一四年八月二十八日)
_YEAR_END_DATE = re.compile(
    r"(\d{1,2}|[〇零○一二三四五六七八九]{1,2})年([一二三四五六七八九十\d]{1,3})月([一二三四五六七八九十廿\d]{1,3})[日白曰目]"
)


def headless_dates(text: str) -> list[str]:
    """The dates a line can print whose year lost its first numerals to the detector
    (一四年八月二十八日, or 14年8月28日 after a misread box): every year since 1900 ending
    in the numerals read, with the month and day as read; the caller narrows them down."""
    found = list(_YEAR_END_DATE.finditer(compact(text)))
    if not found:
        return []
    tail, month, day = found[-1].groups()
    digits = tail if tail.isdigit() else "".join(str(_CN_DIGITS[c]) for c in tail)
    try:
        month_n = int(month) if month.isdigit() else _cn_number(month)
        day_n = int(day) if day.isdigit() else _cn_number(day)
    except KeyError:  # digits and numerals mixed (三4一日): no month or day to be had
        return []
    step = 10 ** len(digits)
    years = range(1900 + int(digits) % step, 2100, step)
    return [iso for year in years if (iso := _valid_ymd(year, month_n, day_n))]


def date_may_be_cut_at_start(text: str) -> bool:
    """Whether a line starts inside a 年/月/日 date, its year short: the detector lost its start."""
    return bool(_HEADLESS_DATE.match(compact(text)))


def all_dates(text: str) -> list[str]:
    found = []
    for match in _DATE_PATTERNS[0].finditer(compact(text)):
        iso = _valid_ymd(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        if iso:
            found.append(iso)
    return found


# -- identifiers ----------------------------------------------------------------------
_CONFUSABLE = {
    "0": "ODQ", "O": "0DQ", "D": "0OQ", "Q": "0OD",
    "1": "ILT", "I": "1LT", "L": "1IT", "T": "1IL",
    "2": "Z", "Z": "2", "5": "S", "S": "5", "8": "B", "B": "8", "6": "G", "G": "6",
}


def single_repairs(code: str, is_valid) -> list[str]:
    found = []
    for i, ch in enumerate(code):
        for alt in _CONFUSABLE.get(ch, ""):
            candidate = code[:i] + alt + code[i + 1 :]
            if is_valid(candidate):
                found.append(candidate)
    return found


def repair(code: str, is_valid) -> tuple[str, bool]:
    """(value, corrected): repaired only when exactly one confusable substitution validates."""
    if is_valid(code):
        return code, False
    candidates = single_repairs(code, is_valid)
    if len(candidates) == 1:
        return candidates[0], True
    return code, False


def id_checksum_ok(number: str) -> bool:
    """Format, real birth date and check character (GB 11643); no region-age test."""
    if not re.fullmatch(r"\d{17}[\dX]", number):
        return False
    if _valid_ymd(int(number[6:10]), int(number[10:12]), int(number[12:14])) is None:
        return False
    return ric.calc_check_digit(number) == number[-1]


def uscc_ok(code: str) -> bool:
    return uscc.is_valid(code)


USCC_TOKEN = re.compile(r"(?<![0-9A-Z])[0-9A-Z]{18}(?![0-9A-Z])")
ID_TOKEN = re.compile(r"(?<![0-9A-Z])[0-9ILOTSZBGDQ]{17}[0-9XxILOTSZBGDQ](?![0-9A-Z])")
# a masked ID number: some leading digits, a run of asterisks, the last few characters
MASKED_ID_TOKEN = re.compile(r"(?<![0-9])\d{1,14}[*＊]{2,16}\d{0,4}[\dXx](?![0-9])|(?<![0-9])\d{6}[\d*＊xX]{8}\d{3}[\dXx]")


def normalise_code_text(text: str) -> str:
    return "".join(text.split()).upper().replace("＊", "*")


def _find_code(text: str, token: re.Pattern, is_valid) -> tuple[str | None, bool]:
    """The first code-shaped token that validates (possibly after one repair), else the
    first one as read; (value, corrected)."""
    normalised = normalise_code_text(text)
    tokens = token.findall(normalised)
    for candidate in tokens:
        value, corrected = repair(candidate, is_valid)
        if is_valid(value):
            return value, corrected
    if not tokens:
        # nineteen characters: one at an end is a speck or the label's last stroke read as
        # a character; the eighteen that pass their check digit are the code
        for run in re.findall(r"[0-9A-Z]{19}", normalised):
            valid = [w for w in (run[1:], run[:-1]) if token.fullmatch(w) and is_valid(w)]
            if len(valid) == 1:
                return valid[0], True
    return (tokens[0], False) if tokens else (None, False)


def find_uscc(text: str) -> tuple[str | None, bool]:
    return _find_code(text, USCC_TOKEN, uscc_ok)


def find_id_number(text: str) -> tuple[str | None, bool]:
    return _find_code(text, ID_TOKEN, id_checksum_ok)


def field_from_line(page: Page, line: Line, value, factor: float = 1.0, corrected: bool = False,
                    label: str | None = None) -> FieldValue:
    """A value read off one line without its label: the line's confidence scaled by how
    sure the finding is."""
    return FieldValue(value=value, confidence=round(line.confidence * factor, 3), page=page.number,
                      bbox=list(line.bbox) if line.bbox else None, corrected=corrected, label=label)


def code_on_own_line(pages: list[Page], finder) -> FieldValue | None:
    """A code printed under its label, or away from it, on a line of its own."""
    for page in pages:
        for line in page.lines:
            code, corrected = finder(line.text)
            if code:
                return field_from_line(page, line, code, 0.85 if corrected else 0.97, corrected=corrected)
    return None


def empty_fields(names) -> dict[str, FieldValue]:
    return {name: FieldValue() for name in names}


def page_text(pages: list[Page]) -> str:
    return "\n".join(page.text for page in pages)
