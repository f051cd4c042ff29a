"""在莞独立法人: the licence's credit code, place of registration, legal form, term."""

from __future__ import annotations

import re

from dgintake.models import Finding
from validators.base import RuleContext, evidence_for, field_value, finding, reliability_note, rule
from validators.identifiers import uscc_problem

DONGGUAN_DIVISION = "441900"
NOT_INDEPENDENT_TYPES = re.compile(r"分公司|分支机构|合伙|个人独资|个体工商户|个体户")
NOT_INDEPENDENT_LABELS = {"负责人": "分支机构", "执行事务合伙人": "合伙企业", "投资人": "个人独资企业", "经营者": "个体工商户"}


@rule("ENT-CREDIT-CODE-INVALID")
def credit_code_invalid(ctx: RuleContext) -> list[Finding]:
    out = []
    for doc_type, field_name in (("business_license", "credit_code"), ("application_letter", "credit_code"),
                                 ("social_insurance_proof", "employer_credit_code")):
        for doc in ctx.documents(doc_type):
            value = doc.fields.get(field_name)
            if not value or not value.value:
                continue
            problem = uscc_problem(value.value)
            if problem:
                # a pre-2016 licence prints a registration number, which is no credit code
                printed = "执照载明的是注册号而非统一社会信用代码：" if value.label == "注册号" else ""
                out.append(finding(
                    "ENT-CREDIT-CODE-INVALID",
                    f"{printed}统一社会信用代码「{value.value}」{problem}（GB 32100-2015）" + reliability_note(ctx.settings, value),
                    [evidence_for(doc, field_name)],
                ))
    return out


@rule("ENT-NOT-DONGGUAN")
def not_dongguan(ctx: RuleContext) -> list[Finding]:
    doc = ctx.first("business_license")
    if doc is None:
        return []
    reasons, evidence, sure = [], [], False
    floor = ctx.settings.confidence_floor
    code = doc.fields.get("credit_code")
    if code and code.value and len(code.value) == 18 and uscc_problem(code.value) is None and code.value[2:8] != DONGGUAN_DIVISION:
        reasons.append(f"信用代码登记管理机关行政区划码为「{code.value[2:8]}」而非东莞（441900）")
        evidence.append(evidence_for(doc, "credit_code"))
        sure = True  # a valid code's division is read through its check character
    for name, shown in (("registration_authority", "登记机关"), ("address", "住所")):
        value = doc.fields.get(name)
        if value and value.value and "东莞" not in value.value:
            reasons.append(f"{shown}「{value.value}」不在东莞市" + reliability_note(ctx.settings, value))
            evidence.append(evidence_for(doc, name))
            # ring text (label 印章) is never sure on its own, however cleanly it read
            sure = sure or (value.confidence >= floor and value.label != "印章")
    # One uncertain reading (a seal's ring text, say) against a Dongguan code is an OCR
    # question for OCR-LOW-CONFIDENCE, not a finding that the entity is elsewhere.
    if not reasons or not sure:
        return []
    return [finding("ENT-NOT-DONGGUAN", "申请主体非在莞登记：" + "；".join(reasons), evidence)]


@rule("ENT-NOT-INDEPENDENT-LEGAL-PERSON")
def not_independent(ctx: RuleContext) -> list[Finding]:
    doc = ctx.first("business_license")
    if doc is None:
        return []
    reasons, evidence = [], []
    entity_type = field_value(doc, "entity_type") or ""
    match = NOT_INDEPENDENT_TYPES.search(entity_type)
    if match:
        reasons.append(f"类型为「{entity_type}」")
        evidence.append(evidence_for(doc, "entity_type"))
    rep = doc.fields.get("legal_representative")
    if rep and rep.label in NOT_INDEPENDENT_LABELS:
        reasons.append(f"执照载明「{rep.label}」而非法定代表人（{NOT_INDEPENDENT_LABELS[rep.label]}）")
        evidence.append(evidence_for(doc, "legal_representative"))
    code = field_value(doc, "credit_code")
    if code and len(code) == 18 and code[0] == "9" and code[1] == "2" and uscc_problem(code) is None:
        reasons.append("统一社会信用代码第2位为2（个体工商户）")
        evidence.append(evidence_for(doc, "credit_code"))
    if not reasons:
        return []
    return [finding("ENT-NOT-INDEPENDENT-LEGAL-PERSON", "申请主体不是独立法人：" + "；".join(reasons), evidence)]


@rule("ENT-LICENSE-EXPIRED")
def license_expired(ctx: RuleContext) -> list[Finding]:
    doc = ctx.first("business_license")
    term_end = field_value(doc, "term_end")
    if not term_end or term_end == "long_term":
        return []
    if term_end >= ctx.submitted_on.isoformat():
        return []
    return [finding(
        "ENT-LICENSE-EXPIRED",
        f"营业期限已于{term_end}届满，早于申请日{ctx.submitted_on.isoformat()}（第十条第（四）项）"
        + reliability_note(ctx.settings, doc.fields.get("term_end")),
        [evidence_for(doc, "term_end")],
    )]
