"""变更申请书: prose letters, form-table letters and Word letters."""

from __future__ import annotations

import re

from rapidfuzz.distance import Levenshtein

from dgintake.models import FieldValue
from extractors.fields.code_spans import code_in_prose, labelled_code
from extractors.fields.common import all_dates, field_from_line, find_uscc, page_text, parse_date, uscc_ok
from extractors.layout import LayoutReader, Vocabulary
from extractors.nlp import entities
from extractors.page import Page

VOCABULARY = Vocabulary({
    "applicant_name": ("申请单位", "单位名称", "申请人", "企业名称", "申请单位名称"),
    "credit_code": ("统一社会信用代码", "社会信用代码"),
    "change_items": ("变更事项", "变更内容", "申请事项"),
    "contact_person": ("联系人", "联系人姓名"),
    "contact_phone": ("联系电话", "联系方式", "手机号码", "手机", "电话"),
    "date": ("申请日期", "日期"),
})
_SEAL_NOTE = re.compile(r"[（(](?:盖章|公章|签章|盖公章)[）)]")


def _strip_seal_note(pages: list[Page]) -> list[Page]:
    for page in pages:
        for line in page.lines:
            line.text = _SEAL_NOTE.sub("", line.text)
    return pages


def _org(text: str) -> str | None:
    for label, value in entities(text):
        if label == "ORG":
            return value
    return None


def _clearest_reading(pages: list[Page], named: FieldValue) -> FieldValue:
    """A letter names its applicant twice or more (in the first sentence, and by the
    signature, where the seal covers it and loses a character: 东莞凯达… for 东莞市凯达…);
    of the readings a slip or two apart, the one read most surely, then the longest."""
    best = named
    for page in pages:
        for line in page.lines:
            for label, value in entities(line.text):
                if (
                    label == "ORG" and value != best.value
                    and Levenshtein.distance(value, named.value, score_cutoff=2) <= 2
                    and (line.confidence, len(value)) > (best.confidence, len(best.value))
                ):
                    best = field_from_line(page, line, value, label=named.label)
    return best


def extract(pages: list[Page]) -> dict[str, FieldValue]:
    pages = _strip_seal_note(pages)
    reader = LayoutReader(pages, VOCABULARY)
    text = page_text(pages)
    fields: dict[str, FieldValue] = {}
    first = pages[0].number
    hit = reader.find("applicant_name", multiline=True, max_lines=1, accept=lambda v: _org(v) is not None)
    org = _org(hit.value) if hit else None
    if hit and org:
        fields["applicant_name"] = _clearest_reading(pages, hit.field(org))
    else:
        org = _org(text)
        if org:
            fields["applicant_name"] = FieldValue(value=org, confidence=0.8, page=first)
    hit = reader.find("credit_code")
    if hit:
        code = labelled_code(hit, find_uscc, uscc_ok)
    elif not (code := code_in_prose(pages, find_uscc, uscc_ok)):  # no label: a code in the letter's sentences
        token, corrected = find_uscc(text)  # else the first code-shaped token, as read
        code = FieldValue(value=token, confidence=0.85, page=first, corrected=corrected) if token else None
    if code:
        fields["credit_code"] = code
    hit = reader.find("change_items", multiline=True, max_lines=2)
    if hit:
        fields["change_items"] = hit.field(hit.value.rstrip("。"))
    else:
        match = re.search(r"现?申请(变更[^，。；]{2,40}|[^，。；]{2,40}变更)", "".join(text.split()))
        if match:
            fields["change_items"] = FieldValue(value=match.group(1), confidence=0.7, page=first)
    hit = reader.find("contact_person", accept=lambda v: bool(re.match(r"[\u4e00-\u9fff·]{2,5}", v)))
    if hit:
        name = re.match(r"[\u4e00-\u9fff·]{2,5}", hit.value)
        if name:
            fields["contact_person"] = hit.field(name.group(0))
    hit = reader.find("contact_phone", accept=lambda v: bool(re.search(r"1[3-9]\d{9}|0\d{2,3}-?\d{7,8}", v)))
    phone = re.search(r"1[3-9]\d{9}|0\d{2,3}-?\d{7,8}", hit.value) if hit else None
    if phone:
        fields["contact_phone"] = hit.field(phone.group(0))
    else:
        phones = [v for label, v in entities(text) if label == "PHONE"]
        if phones:
            fields["contact_phone"] = FieldValue(value=phones[0], confidence=0.75, page=first)
    if dated := reader.find_date("date"):
        fields["application_date"] = dated
    else:
        _signature_date(pages, fields)
    return fields


def _signature_date(pages: list[Page], fields: dict[str, FieldValue]) -> None:
    """The date of the signature block: the lowest dated line of the last page that has one."""
    for page in reversed(pages):
        dated = [(ln, all_dates(ln.text) or [parse_date(ln.text)]) for ln in page.lines if parse_date(ln.text)]
        if dated:
            line, dates = max(dated, key=lambda item: (item[0].y1, page.lines.index(item[0])))
            fields["application_date"] = field_from_line(page, line, dates[-1], 0.95)
            return
