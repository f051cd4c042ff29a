"""Cross-document consistency (第十条第（五）项: 伪造资料、弄虚作假) and reading quality."""

from __future__ import annotations

from dgintake.models import Finding
from validators.base import RuleContext, evidence_for, finding, reliability_note, rule
from validators.normalise import normalise_name, one_char_apart

NAME_SOURCES = (("application_letter", "applicant_name", "申请书"), ("business_license", "name", "营业执照"),
                ("social_insurance_proof", "employer_name", "社保证明"))
CODE_SOURCES = (("application_letter", "credit_code", "申请书"), ("business_license", "credit_code", "营业执照"),
                ("social_insurance_proof", "employer_credit_code", "社保证明"))
# Fields the rules lean on; each must be read, and read with confidence.
KEY_FIELDS = {
    "application_letter": ("applicant_name", "credit_code"),
    "business_license": ("credit_code", "name", "entity_type", "legal_representative"),
    "id_card_front": ("name", "id_number"),
    "id_card_back": ("valid_to",),
    "social_insurance_proof": ("employer_name", "issuer", "print_date"),
    "team_list": ("members",),
}


def _values(ctx: RuleContext, sources, normalise):
    out = []
    for doc_type, field_name, title in sources:
        doc = ctx.first(doc_type)
        value = doc.fields.get(field_name) if doc else None
        if value and value.value:
            out.append((title, value, doc, field_name, normalise(value.value)))
    return out


def _mismatch(ctx: RuleContext, code: str, sources, normalise, what: str) -> list[Finding]:
    values = _values(ctx, sources, normalise)
    if len({v[4] for v in values}) <= 1:
        return []
    shown = "、".join(f"{title}「{value.value}」" for title, value, *_ in values)
    note = reliability_note(ctx.settings, *(v[1] for v in values))
    distinct = list({v[4] for v in values})
    if len(distinct) == 2 and one_char_apart(*distinct) and note:
        note += "；差异仅一个字符，可能为识别错误"
    return [finding(code, f"各材料{what}不一致：{shown}" + note, [evidence_for(doc, f) for _, _, doc, f, _ in values])]


@rule("XDOC-NAME-MISMATCH")
def name_mismatch(ctx: RuleContext) -> list[Finding]:
    return _mismatch(ctx, "XDOC-NAME-MISMATCH", NAME_SOURCES, normalise_name, "单位名称")


@rule("XDOC-CREDIT-CODE-MISMATCH")
def code_mismatch(ctx: RuleContext) -> list[Finding]:
    return _mismatch(ctx, "XDOC-CREDIT-CODE-MISMATCH", CODE_SOURCES, lambda v: v.upper(), "统一社会信用代码")


@rule("OCR-LOW-CONFIDENCE")
def low_confidence(ctx: RuleContext) -> list[Finding]:
    out = []
    for doc in ctx.result.documents:
        for field_name in KEY_FIELDS.get(doc.doc_type, ()):
            value = doc.fields.get(field_name)
            if value is not None and value.value is None:
                out.append(finding(
                    "OCR-LOW-CONFIDENCE",
                    f"{doc.doc_type}.{field_name} 未能识别，请人工核对",
                    [evidence_for(doc, field_name)],
                ))
            elif value and value.value not in (None, []) and value.confidence < ctx.settings.confidence_floor:
                out.append(finding(
                    "OCR-LOW-CONFIDENCE",
                    f"{doc.doc_type}.{field_name}「{value.value if not isinstance(value.value, list) else '表格'}」"
                    # shown to three places: 0.796 printed as 0.80 would read as not below 0.80
                    f"识别置信度 {value.confidence:.3f}，低于阈值 {ctx.settings.confidence_floor:.2f}，请人工核对",
                    [evidence_for(doc, field_name)],
                ))
    return out
