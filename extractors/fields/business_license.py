"""营业执照: labelled fields in one or two columns, landscape or portrait."""

from __future__ import annotations

import re

from dgintake.models import FieldValue
from extractors.fields.code_spans import labelled_code
from extractors.fields.common import LabelReader, code_on_own_line, field_from_line, find_uscc, parse_date, uscc_ok
from extractors.fields.scope import tidy_scope
from extractors.lexicon import trim_to_place
from extractors.page import Page

REP_LABELS = "法定代表人|执行事务合伙人|负责人|投资人|经营者"
LABELS = {
    "credit_code": r"统一社会信用代码|社会信用代码",
    "name": r"^名称|^名稱|^称$",
    "entity_type": r"^类型|^组成形式",
    "legal_representative": REP_LABELS,
    "registered_capital": r"注册资本|出资额|注册资金|出资总额",
    "established_date": r"成立日期|注册日期",
    "term": r"营业期限|合伙期限|经营期限",
    "address": r"^住所|^营业场所|^主要经营场所|^经营场所",
    "business_scope": r"经营范围",
    "registration_authority": r"登记机关",
}


def _term_end(text: str) -> str | None:
    if not text:
        return None
    tail = re.split(r"至|-|—|–|~", "".join(text.split()), maxsplit=1)
    end = tail[1] if len(tail) > 1 else tail[0]
    if "长期" in end or "永久" in end or "不约定" in end:
        return "long_term"
    return parse_date(end)


def extract(pages: list[Page]) -> dict[str, FieldValue]:
    reader = LabelReader(pages, LABELS)
    fields: dict[str, FieldValue] = {}
    hit = reader.find("credit_code")
    if hit and (code := labelled_code(hit, find_uscc, uscc_ok)):
        fields["credit_code"] = code
    elif own_line := code_on_own_line(pages, find_uscc):
        fields["credit_code"] = own_line
    for name in ("name", "entity_type", "legal_representative", "registered_capital"):
        hit = reader.find(name, multiline=name == "name", max_lines=1)
        if hit:
            fields[name] = hit.field()
    if dated := reader.find_date("established_date"):
        fields["established_date"] = dated
    hit = reader.find("term")
    if hit and _term_end(hit.value):
        fields["term_end"] = hit.field(_term_end(hit.value))
    hit = reader.find("address", multiline=True, max_lines=3)
    if hit:
        fields["address"] = hit.field(tidy_address(hit.value))
    else:  # label lost under a seal: an address-shaped line of its own
        _address_without_label(pages, fields)
    hit = reader.find("business_scope", multiline=True, max_lines=14)
    if hit:
        scope = tidy_scope(hit.value)
        fields["business_scope"] = hit.field(scope)
        if scope != "".join(hit.value.split()):
            fields["business_scope"].confidence = round(min(fields["business_scope"].confidence, 0.9), 3)
    _authority_and_issue(pages, reader, fields)
    return fields


# a separator misread in front of the address (：read as 三 or 一)
_ADDRESS_LEAD = re.compile(r"^[三二一\-—:：·.。，,](?=(?:[\u4e00-\u9fff]{2,3}省)?[\u4e00-\u9fff]{2,3}市)")
def tidy_address(text: str) -> str:
    """An address as printed: no separator or speck misread in front of it, and 广东省
    whole when only its first character was lost before 东莞市."""
    text = re.sub(r"[|｜]", "", "".join(text.split()))  # a rule or speck read as a bar
    text = re.sub(r"^东省(?=东莞市)", "广东省", _ADDRESS_LEAD.sub("", text))
    return trim_to_place(text, max_stray=3)


_ADDRESS = re.compile(r"^(?:[\u4e00-\u9fff]{2,4}省)?[\u4e00-\u9fff]{2,5}市.{2,40}?(?:号|室|楼|栋|层|铺|房)")


def _address_without_label(pages: list[Page], fields: dict[str, FieldValue]) -> None:
    for page in pages:
        for line in page.lines:
            text = "".join(line.text.split())
            if _ADDRESS.match(text) and "有限公司" not in text:
                fields["address"] = field_from_line(page, line, tidy_address(text), 0.8)
                return


_AUTHORITY = re.compile(r"[\u4e00-\u9fff]{2,20}(?:市场监督管理局|工商行政管理局|行政审批局|市场监管局)(?:[\u4e00-\u9fff]{1,8}分局)?")


def _authority_and_issue(pages: list[Page], reader: LabelReader, fields: dict[str, FieldValue]) -> None:
    hit = reader.find("registration_authority", multiline=True, max_lines=1)
    if hit and _AUTHORITY.search(hit.value):
        fields["registration_authority"] = hit.field(trim_to_place(_AUTHORITY.search(hit.value).group(0)))
    # The issue date sits under 登记机关, often under the authority's seal; take the
    # last full date on the page below the 营业期限 row.
    for page in pages:
        dated = [(ln, parse_date(ln.text)) for ln in page.lines if "年" in ln.text and parse_date(ln.text)]
        dated = [(ln, d) for ln, d in dated if not re.search(r"成立|期限|至", ln.text)]
        if dated:
            line, iso = max(dated, key=lambda item: item[0].y0)
            fields["issue_date"] = field_from_line(page, line, iso, 0.95)
