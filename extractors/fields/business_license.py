"""营业执照: labelled fields in one or two columns, landscape or portrait."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

from dgintake.models import FieldValue
from extractors import values
from extractors.fields.code_spans import labelled_code
from extractors.fields.common import (
    code_on_own_line,
    crossed_numeral_dates,
    date_lost_a_digit,
    date_may_be_cut,
    date_may_be_cut_at_start,
    date_misread,
    field_from_line,
    find_uscc,
    headless_dates,
    lost_zero_dates,
    parse_date,
    uscc_ok,
    year_fits_lost_digit,
)
from extractors.fields.scope import tidy_scope
from extractors.hit_rereads import reread_glued, reread_unsure
from extractors.labels import compact, overlaps, union_box
from extractors.layout import Hit, LayoutReader, Vocabulary
from extractors.lexicon import trim_to_place
from extractors.page import Line, Page
from extractors.values import _ADDRESS_LEAD, tidy_address  # noqa: F401 (tests import them here)

REP_LABELS = ("法定代表人", "执行事务合伙人", "负责人", "投资人", "经营者")
VOCABULARY = Vocabulary({
    "credit_code": ("统一社会信用代码", "社会信用代码"),
    "registration_number": ("注册号",),  # licences before 2016 print a 15-digit number instead
    "name": ("名称", "名稱", "企业名称"),
    "entity_type": ("类型", "组成形式", "企业类型", "公司类型"),
    "legal_representative": REP_LABELS + ("法定代表人姓名",),  # the pre-2016 form adds 姓名
    "registered_capital": ("注册资本", "出资额", "注册资金", "出资总额"),
    "_paid_in": ("实收资本",),  # pre-2016 licences
    "established_date": ("成立日期", "注册日期"),
    "term": ("营业期限", "合伙期限", "经营期限"),
    "address": ("住所", "营业场所", "主要经营场所", "经营场所"),
    "business_scope": ("经营范围",),
    "registration_authority": ("登记机关",),
    "_serial": ("编号", "副本号"),
})


def _term_end(text: str) -> str | None:
    if not text:
        return None
    tail = re.split(r"至|-|—|–|~", "".join(text.split()), maxsplit=1)
    end = tail[1] if len(tail) > 1 else tail[0]
    if "长期" in end or "永久" in end or "不约定" in end:
        return "long_term"
    return parse_date(end)


def _credit_code(pages: list[Page], reader: LayoutReader) -> FieldValue | None:
    hit = reader.find("credit_code", below=True)
    if hit and (code := labelled_code(hit, find_uscc, uscc_ok)):
        return code
    old = reader.find("registration_number")
    if old and (number := re.search(r"[0-9A-Z]{13,20}", old.value.upper())):
        return old.field(number.group(0))  # as printed: the rules say it is no credit code
    return code_on_own_line(pages, find_uscc)


def extract(pages: list[Page]) -> dict[str, FieldValue]:
    reader = LayoutReader(pages, VOCABULARY)
    fields: dict[str, FieldValue] = {}
    if code := _credit_code(pages, reader):
        fields["credit_code"] = code
    if hit := reader.find("name", multiline=True, max_lines=1, accept=values.organisation_once_tidied):
        hit = _type_split_off(hit)
        name = values.tidy_organisation(hit.value)
        fields["name"] = hit.field(name, corrected=name != hit.value)
    elif alone := _name_without_label(pages):
        fields["name"] = alone
    if hit := reader.find("entity_type", multiline=True, max_lines=1, accept=values.entity_type):
        fields["entity_type"] = _entity_type(hit.value, hit.field)
    elif found := _type_without_label(pages):  # 类型 lost under the applicant's chop: its value, less surely
        page, line = found
        fields["entity_type"] = _entity_type(compact(line.text), lambda value, corrected: field_from_line(
            page, line, value, 0.8 if corrected else 0.85, corrected=corrected))
    if hit := reader.find("legal_representative", accept=values.person_name):
        hit = reread_unsure(reread_glued(hit, values.person_name), values.person_name)
        name = re.sub(r"[^\u4e00-\u9fff·]", "", hit.value) or hit.value
        fields["legal_representative"] = hit.field(name)
    if hit := reader.find("registered_capital", accept=values.capital):
        amount = values.tidy_capital(values.drop_stray_opening(hit.value, values.capital))
        # with the speck dropped the value has its shape: trusted as far as it was read
        read_at = min(ln.confidence for ln in hit.lines) if amount != hit.value else None
        fields["registered_capital"] = hit.field(amount, corrected=amount != hit.value, confidence=read_at)
    if dated := reader.find_date("established_date"):
        fields["established_date"] = dated
    hit = reader.find("term", multiline=True, max_lines=1, accept=lambda v: _term_end(v) is not None)
    if hit and _term_end(hit.value):
        fields["term_end"] = hit.field(_term_end(hit.value))
    if hit := reader.find("address", multiline=True, max_lines=4, accept=values.address):
        fields["address"] = hit.field(tidy_address(hit.value))
    else:  # label lost under a seal: an address-shaped line of its own
        _address_without_label(pages, fields)
    if hit := reader.find("business_scope", multiline=True, max_lines=14):
        # the label's last stroke read as a character before the heading (周一般项目)
        scope = tidy_scope(re.sub(r"^[^一许（(]{1,2}(?=一般项目|许可项目)", "", hit.value))
        fields["business_scope"] = hit.field(scope)
        if scope != "".join(hit.value.split()):
            fields["business_scope"].confidence = round(min(fields["business_scope"].confidence, 0.9), 3)
    _authority_and_issue(pages, reader, fields)
    return fields


def _entity_type(read: str, field):
    closed = values.close_type_bracket(read)
    cut = values.cut_entity_type(closed)
    entity_type = values.snap_type_qualifier(cut)
    return field(entity_type, corrected=closed != read or entity_type != cut)


def _is_type(text: str) -> bool:
    """A line that is an entity type and nothing else (其他有限责任公司, 有限责任公司分公司（…）)."""
    return bool(values.ENTITY_TYPE_WORDS.match(re.sub(r"^(?:其他|一人)", "", text))) and values.entity_type(text) \
        and not re.search(r"[：:；;。]", text)


def _type_split_off(hit: Hit) -> Hit:
    """A name continued onto the next line where that line is a whole entity type (the
    类型 label beside it lost): the name without it."""
    if len(hit.lines) < 2:
        return hit
    last = compact(hit.lines[-1].text)
    head = hit.value[: -len(last)] if hit.value.endswith(last) else None
    if head and values.organisation(head) and _is_type(last):
        return replace(hit, value=head, lines=hit.lines[:-1])
    return hit


def _first_line(pages: list[Page], test) -> tuple[Page, Line] | None:
    """The first boxed line, top to bottom, whose compact text passes `test`."""
    for page in pages:
        for line in sorted((ln for ln in page.lines if ln.bbox), key=lambda ln: (ln.y0, ln.x0)):
            if test(compact(line.text)):
                return page, line
    return None


def _type_without_label(pages: list[Page]) -> tuple[Page, Line] | None:
    """类型 unread: the first line that is an entity type and nothing else."""
    return _first_line(pages, _is_type)


_NAME_ALONE = re.compile(r"^[\u4e00-\u9fff（）()·]{4,40}$")


def _name_without_label(pages: list[Page]) -> FieldValue | None:
    """名　　称 unread (both halves lost in light ink or under a stamp): the first line
    that is a registered name and nothing else (no label, no colon, no sentence), less
    surely."""
    found = _first_line(pages, lambda text: bool(_NAME_ALONE.match(text)) and values.organisation(text)
                        and not _is_type(text) and "公示" not in text)
    if found is None:
        return None
    page, line = found
    return field_from_line(page, line, values.tidy_organisation(compact(line.text)), 0.85, label=None)


_ADDRESS = re.compile(r"^(?:[\u4e00-\u9fff]{2,4}省)?[\u4e00-\u9fff]{2,5}市.{2,40}?(?:号|室|楼|栋|层|铺|房)")


def _address_without_label(pages: list[Page], fields: dict[str, FieldValue]) -> None:
    for page in pages:
        for line in page.lines:
            text = "".join(line.text.split())
            if _ADDRESS.match(text) and "有限公司" not in text and values.address(text):
                fields["address"] = field_from_line(page, line, tidy_address(text), 0.8)
                return


_AUTHORITY = re.compile(r"[\u4e00-\u9fff]{2,20}(?:市场监督管理局|工商行政管理局|行政审批局|市场监管局)(?:[\u4e00-\u9fff]{1,8}分局)?")


def _authority_and_issue(pages: list[Page], reader: LayoutReader, fields: dict[str, FieldValue]) -> None:
    hit = reader.find("registration_authority", multiline=True, max_lines=1)
    if hit and _AUTHORITY.search(hit.value):
        fields["registration_authority"] = hit.field(trim_to_place(_AUTHORITY.search(hit.value).group(0)))
    if issued := _issue_date(pages, reader, fields):
        fields["issue_date"] = issued


def _date_rows(page: Page) -> list[tuple[list, str]]:
    """Rows of boxes joined left to right: a date printed with wide gaps
    (2022 年 04 月 21 日) is read as several boxes, and a box the detector cut from it
    under a seal (二O | 一六年…) may reach a little back over the one before."""
    rows: list[list] = []
    for line in sorted((ln for ln in page.lines if ln.bbox), key=lambda ln: ln.x0):
        for row in rows:
            ref = row[-1]
            if abs(line.cy - ref.cy) <= 0.5 * max(min(line.height, ref.height), 4) \
                    and -0.5 * ref.height <= line.x0 - ref.x1 < 3 * ref.height:
                row.append(line)
                break
        else:
            rows.append([line])
    rows.sort(key=lambda row: (row[0].cy, row[0].x0))
    return [(row, "".join(compact(ln.text) for ln in row)) for row in rows]


def _completed(page: Page, row: list, text: str) -> tuple[str, float, list[str]]:
    """A dated row whose end (2019年07月2) or start (一七年十一月九日) the detector lost
    under the seal, or which it misread there (三4一日, a year of three numerals), read
    again over a box running past it; (text, confidence factor, the readings tried):
    kept as read, and marked unsure, when no new reading gives a whole date."""
    cut_end, cut_start = date_may_be_cut(text), date_may_be_cut_at_start(text)
    if not (cut_end or cut_start or date_misread(text)):
        return text, 1.0, []
    x0, y0, x1, y1 = union_box(row)
    h = max(y1 - y0, 8.0)
    box = (x0 - (4 * h if cut_start else 0.2 * h), y0 - 0.2 * h, x1 + (3 * h if cut_end else 0.2 * h), y1 + 0.2 * h)
    tight = (box[0] + 0.05 * h, y0 - 0.15 * h, box[2] - 0.05 * h, y1 + 0.15 * h)
    before, lost_a_digit = parse_date(text) or "", date_lost_a_digit(text)
    # the recogniser guesses differently at each crop and width: the first reading that
    # gives a whole date, agreeing with what was read (a year that lost a numeral keeps
    # the ones read, in order; its month and day as read), is taken
    readings = []
    for crop, stretch in ((box, 1.0), (tight, 1.0), (box, 1.3)):
        again = page.reread(crop, stretch) if page.reread else None
        if again is None:
            continue
        readings.append(compact(again.text))
        after = parse_date(again.text)
        agrees = not lost_a_digit or (
            after is not None and after[4:] == before[4:] and year_fits_lost_digit(text, after))
        if after and agrees and not date_may_be_cut(again.text) and not date_misread(again.text):
            return compact(again.text), min(again.confidence, 0.95), readings
    return text, 0.8, readings


def _the_one_possible(dates, founded: str | None, today: str) -> str | None:
    """The one of `dates` that dates a licence on or after its entity's founding and not
    after today; None where none does, more than one does, or the founding is unknown."""
    possible = {d for d in dates if founded and founded <= d <= today}
    return possible.pop() if len(possible) == 1 else None


def _year_put_back(text: str, iso: str, founded: str | None, today: str) -> str:
    """A year that lost a numeral (二〇二年: 2002 or 2020) as the one place for its 〇
    that dates the licence between the founding and today."""
    return _the_one_possible(lost_zero_dates(text), founded, today) or iso


def _year_one_numeral_off(iso: str, founded: str | None, today: str) -> str:
    """The one date whose year differs from `iso`'s by one numeral and falls between the
    founding and today; `iso` itself when there is none or more than one."""
    year, rest = iso[:4], iso[4:]
    others = (f"{year[:i]}{digit}{year[i + 1:]}{rest}" for i in range(4) for digit in "0123456789" if digit != year[i])
    return _the_one_possible(others, founded, today) or iso


def _issue_date(pages: list[Page], reader: LayoutReader, fields: dict[str, FieldValue]) -> FieldValue | None:
    """The date under 登记机关 (often under its seal): the nearest dated row below the
    label and overlapping it; with the label lost, the lowest dated row that is no other
    field's value."""
    taken = [f.bbox for f in fields.values() if f.bbox and f.label in ("成立日期", "注册日期", "营业期限", "合伙期限", "经营期限")]
    labels = reader.labels("registration_authority")
    founded = fields["established_date"].value if "established_date" in fields else None
    today = date.today().isoformat()
    for page in pages:
        dated = []
        for row, text in _date_rows(page):
            iso = parse_date(text) if "年" in text or re.search(r"\d{4}[.\-/]\d", text) else None
            box = union_box(row)
            # a date once completed or read again
            cut = date_may_be_cut_at_start(text) or date_may_be_cut(text) or date_misread(text) or bool(headless_dates(text))
            if not (iso or cut) or re.search(r"成立|期限|至|有效", text) or any(overlaps(box, t) for t in taken):
                continue
            text, factor, readings = _completed(page, row, text)
            if not (parse_date(text) or iso) and founded:
                # a year read with a 十 (a 一 the seal's ring crossed), or whose first
                # numerals were lost for good: the one date those readings allow that
                # dates the licence between the founding and today
                crossed = {d for t in (text, *readings) for d in crossed_numeral_dates(t)}
                iso = _the_one_possible(crossed, founded, today) or _the_one_possible(headless_dates(text), founded, today)
                factor *= 0.75 if iso else 1.0
            if iso := parse_date(text) or iso:
                factor *= 0.85 if date_lost_a_digit(text) else 1.0
                iso = _year_put_back(text, iso, founded, today)
                # no licence is issued after today or before its entity was founded: a
                # numeral misread (2077 for 2017), put right where one numeral of the
                # year alone dates it between the two, else kept as read; doubted
                if iso > today or (founded and iso < founded):
                    iso, factor = _year_one_numeral_off(iso, founded, today), factor * 0.6
                dated.append((box, iso, row, factor))
        if not dated:
            continue
        mine = [lb for layout, lb in labels if layout.page is page]
        if mine:
            label = mine[0]
            near = [d for d in dated if d[0][1] >= label.y0 - label.height and d[0][1] - label.y1 < 8 * label.height
                    and d[0][0] < label.end_x + 12 * label.height and d[0][2] > label.x0 - 12 * label.height]
            if near:
                box, iso, row, factor = min(near, key=lambda d: d[0][1])
                return FieldValue(value=iso, confidence=round(min(ln.confidence for ln in row) * 0.97 * factor, 3),
                                  page=page.number, bbox=box)
        box, iso, row, factor = max(dated, key=lambda d: d[0][1])
        return FieldValue(value=iso, confidence=round(min(ln.confidence for ln in row) * 0.95 * factor, 3),
                          page=page.number, bbox=box)
    return None
