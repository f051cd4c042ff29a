"""Identifier checks with python-stdnum, uniform with its API (compact/validate/is_valid).

stdnum's `cn.ric` also rejects a number whose region code was created after the
holder's birth; real numbers issued since 1999 carry current codes whatever the
birth year, so for people we check format, real birth date and check character only.
"""

from __future__ import annotations

import re
from datetime import date

from stdnum.cn import ric, uscc
from stdnum.exceptions import InvalidChecksum, InvalidComponent, InvalidFormat, InvalidLength, ValidationError


def compact_uscc(number: str) -> str:
    return uscc.compact(number)


def validate_uscc(number: str) -> str:
    """Return the compact code or raise a stdnum ValidationError (GB 32100-2015)."""
    return uscc.validate(number)


def is_valid_uscc(number: str) -> bool:
    return uscc.is_valid(number)


def uscc_problem(number: str) -> str | None:
    try:
        validate_uscc(number)
    except InvalidLength:
        return "长度不是18位"
    except InvalidFormat:
        return "含有不允许的字符"
    except InvalidChecksum:
        return "校验位错误"
    except ValidationError:
        return "格式错误"
    return None


def compact_ric(number: str) -> str:
    return ric.compact(number)


def validate_ric(number: str) -> str:
    """Format, real birth date, check character (GB 11643-1999)."""
    number = compact_ric(number)
    if len(number) != 18:
        raise InvalidLength()
    if not re.fullmatch(r"\d{17}[\dX]", number):
        raise InvalidFormat()
    birth_date(number)  # raises InvalidComponent for an impossible date
    if ric.calc_check_digit(number) != number[-1]:
        raise InvalidChecksum()
    return number


def is_valid_ric(number: str) -> bool:
    try:
        validate_ric(number)
    except ValidationError:
        return False
    return True


def ric_problem(number: str) -> str | None:
    try:
        validate_ric(number)
    except InvalidLength:
        return "长度不是18位"
    except InvalidFormat:
        return "格式错误"
    except InvalidComponent:
        return "出生日期不存在"
    except InvalidChecksum:
        return "校验位错误"
    return None


def birth_date(number: str) -> date:
    try:
        return date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError as exc:
        raise InvalidComponent() from exc


def sex(number: str) -> str:
    return "男" if int(number[16]) % 2 else "女"


def age_on(born: date, day: date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def expected_validity_years(born: date, issued: date) -> int | None:
    """Years of validity by age at issue; None means 长期 (46 and over)."""
    age = age_on(born, issued)
    if age < 16:
        return 5
    if age <= 25:
        return 10
    if age <= 45:
        return 20
    return None
