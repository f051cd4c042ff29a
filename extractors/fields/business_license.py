"""营业执照: labelled fields in one or two columns, landscape or portrait."""

from __future__ import annotations

import re
from difflib import SequenceMatcher

from dgintake.models import FieldValue
from extractors.fields.common import LabelReader, code_on_own_line, find_uscc, parse_date
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


# The closing notes the registration rules prescribe, word for word (经营范围登记管理规定).
SCOPE_NOTES = (
    "（除依法须经批准的项目外，凭营业执照依法自主开展经营活动）",
    "（依法须经批准的项目，经相关部门批准后方可开展经营活动，具体经营项目以相关部门批准文件或许可证件为准）",
    "（依法须经批准的项目，经相关部门批准后方可开展经营活动）",
)


def _restore_notes(text: str) -> str:
    """A prescribed note read with a slip (a bracket or comma lost, a character wrong)
    is put back as prescribed, after its 。; the note is found by its wording, so only
    a close reading of the whole note is replaced."""
    for note in sorted(SCOPE_NOTES, key=len, reverse=True):
        core = note[1:-1]
        exact = [(m.start(), m.end()) for other in SCOPE_NOTES for m in re.finditer(re.escape(other), text)]
        best = None
        for start in (m.start() for m in re.finditer(re.escape(core[:3]) + "|" + re.escape(core[1:4]), text)):
            if any(a <= start < b for a, b in exact):
                continue  # inside a note already as prescribed (the short note begins the long one)
            for begin in range(max(start - 2, 0), start + 1):
                for end in range(begin + len(note) - 4, min(begin + len(note) + 3, len(text)) + 1):
                    score = SequenceMatcher(None, text[begin:end], note).ratio()
                    if best is None or score > best[0]:
                        best = (score, begin, end)
        if best and best[0] >= 0.85 and text[best[1] : best[2]] != note:
            _, begin, end = best
            if begin and text[begin - 1] in "1lI|（(［[":  # the opening bracket, misread
                begin -= 1
            prefix = text[:begin].rstrip("，；;,")
            if prefix and re.search(r"[\u4e00-\u9fff）)]$", prefix):
                prefix += "。"
            text = prefix + note + text[end:]
    for note in SCOPE_NOTES:  # a note follows the 。 that ends the items before it
        text = re.sub(r"(?<=[\u4e00-\u9fff）)])" + re.escape(note), "。" + note, text)
    # a closing bracket read twice at the very end
    while text and text[-1] in "）)" and text.count("（") + text.count("(") < text.count("）") + text.count(")"):
        text = text[:-1]
    return text


_SCOPE_HEADING = re.compile(r"((?:一般|[许详讦浒]可)(?:经营)?项目)[，；:：,;.。]?")


def tidy_scope(text: str) -> str:
    """Undo the recogniser's usual slips on 经营范围 punctuation.

    Since the 2021 business-scope catalogue a scope lists its items after 一般项目：/
    许可项目： separated by ；, and ends with 。 or a closing note in brackets. Where the
    text plainly follows that form (two or more top-level ；), a top-level ，/： between
    items is the small ； misread, and a missing final 。 is the dot the detector left
    outside the last line's box. Older scopes separated by 、 or ， are left as read.
    """
    text = "".join(text.split()).replace(";", "；").replace(":", "：").replace(",", "，")
    text = _SCOPE_HEADING.sub(lambda m: ("一般" if m.group(1).startswith("一般") else "许可") + m.group(1)[2:] + "：",
                              _restore_notes(text))
    headings = {m.end() - 1 for m in _SCOPE_HEADING.finditer(text)}
    separators, item_brackets_closed, depth, opened_at = [], [], 0, 0
    for i, ch in enumerate(text):
        if ch in "（(":
            depth, opened_at = depth + 1, i if depth == 0 else opened_at
        elif ch in "）)" and depth:
            depth -= 1
            # an item's own qualifier, 信息咨询服务（不含…）, not a closing note after 。
            if depth == 0 and opened_at and text[opened_at - 1] != "。":
                item_brackets_closed.append(i)
        elif depth == 0 and ch in "；，：" and i not in headings:
            separators.append(i)
    if not headings and sum(text[i] == "；" for i in separators) < 2:
        return text  # not the catalogue form
    chars = list(text)
    for i in separators:
        chars[i] = "；"
    for i in reversed(item_brackets_closed):  # ）followed straight by the next item lost its ；
        if i + 1 < len(text) and re.match(r"[\u4e00-\u9fff]", text[i + 1]) and not _SCOPE_HEADING.match(text, i + 1):
            chars.insert(i + 1, "；")
    text = "".join(chars)
    if re.search(r"[\u4e00-\u9fff]$", text):
        text += "。"
    return text


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
    code, corrected = find_uscc(hit.value if hit else "")
    if code:
        fields["credit_code"] = hit.field(code, corrected)
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
    """An address as printed: no separator misread in front of it, and 广东省 whole
    when only its first character was lost before 东莞市."""
    text = _ADDRESS_LEAD.sub("", "".join(text.split()))
    return re.sub(r"^东省(?=东莞市)", "广东省", text)


_ADDRESS = re.compile(r"^(?:[\u4e00-\u9fff]{2,4}省)?[\u4e00-\u9fff]{2,5}市.{2,40}?(?:号|室|楼|栋|层|铺|房)")


def _address_without_label(pages: list[Page], fields: dict[str, FieldValue]) -> None:
    for page in pages:
        for line in page.lines:
            text = "".join(line.text.split())
            if _ADDRESS.match(text) and "有限公司" not in text:
                fields["address"] = FieldValue(
                    value=tidy_address(text), confidence=round(line.confidence * 0.8, 3), page=page.number,
                    bbox=list(line.bbox) if line.bbox else None,
                )
                return


_AUTHORITY = re.compile(r"[\u4e00-\u9fff]{2,20}(?:市场监督管理局|工商行政管理局|行政审批局|市场监管局)(?:[\u4e00-\u9fff]{1,8}分局)?")


def _authority_and_issue(pages: list[Page], reader: LabelReader, fields: dict[str, FieldValue]) -> None:
    hit = reader.find("registration_authority", multiline=True, max_lines=1)
    if hit and _AUTHORITY.search(hit.value):
        fields["registration_authority"] = hit.field(_AUTHORITY.search(hit.value).group(0))
    # The issue date sits under 登记机关, often under the authority's seal; take the
    # last full date on the page below the 营业期限 row.
    for page in pages:
        dated = [(ln, parse_date(ln.text)) for ln in page.lines if "年" in ln.text and parse_date(ln.text)]
        dated = [(ln, d) for ln, d in dated if not re.search(r"成立|期限|至", ln.text)]
        if dated:
            line, iso = max(dated, key=lambda item: item[0].y0)
            fields["issue_date"] = FieldValue(
                value=iso, confidence=round(line.confidence * 0.95, 3), page=page.number,
                bbox=list(line.bbox) if line.bbox else None,
            )
