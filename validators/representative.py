"""The legal representative's ID card against the licence and against itself."""

from __future__ import annotations

from datetime import date

from dgintake.models import Finding
from validators.base import RuleContext, evidence_for, field_value, finding, reliability_note, rule
from validators.identifiers import birth_date, expected_validity_years, is_valid_ric, ric_problem, sex
from validators.normalise import normalise_name, one_char_apart


@rule("REP-ID-NUMBER-INVALID")
def id_number_invalid(ctx: RuleContext) -> list[Finding]:
    doc = ctx.first("id_card_front")
    value = doc.fields.get("id_number") if doc else None
    if not value or not value.value:
        return []
    problem = ric_problem(value.value)
    if not problem:
        return []
    return [finding(
        "REP-ID-NUMBER-INVALID",
        f"身份证号码「{value.value}」{problem}（GB 11643-1999）" + reliability_note(ctx.settings, value),
        [evidence_for(doc, "id_number")],
    )]


@rule("REP-ID-EXPIRED")
def id_expired(ctx: RuleContext) -> list[Finding]:
    doc = ctx.first("id_card_back")
    valid_to = field_value(doc, "valid_to")
    if not valid_to or valid_to == "long_term" or valid_to >= ctx.submitted_on.isoformat():
        return []
    return [finding(
        "REP-ID-EXPIRED",
        f"身份证有效期至{valid_to}，早于申请日{ctx.submitted_on.isoformat()}" + reliability_note(ctx.settings, doc.fields.get("valid_to")),
        [evidence_for(doc, "valid_to")],
    )]


@rule("REP-NAME-MISMATCH")
def name_mismatch(ctx: RuleContext) -> list[Finding]:
    card, licence = ctx.first("id_card_front"), ctx.first("business_license")
    card_name, rep_name = field_value(card, "name"), field_value(licence, "legal_representative")
    if not card_name or not rep_name or normalise_name(card_name) == normalise_name(rep_name):
        return []
    a, b = card.fields["name"], licence.fields["legal_representative"]
    note = reliability_note(ctx.settings, a, b)
    if one_char_apart(normalise_name(card_name), normalise_name(rep_name)) and min(a.confidence, b.confidence) < ctx.settings.confidence_floor:
        note += "；两者仅差一个字，且识别置信度较低，可能为识别错误"
    return [finding(
        "REP-NAME-MISMATCH",
        f"身份证姓名「{card_name}」与营业执照{b.label or '法定代表人'}「{rep_name}」不一致" + note,
        [evidence_for(card, "name"), evidence_for(licence, "legal_representative")],
    )]


@rule("REP-ID-INCONSISTENT")
def id_inconsistent(ctx: RuleContext) -> list[Finding]:
    card, back = ctx.first("id_card_front"), ctx.first("id_card_back")
    number = field_value(card, "id_number")
    if not number or not is_valid_ric(number):
        return []
    reasons, evidence = [], []
    born = birth_date(number)
    printed_birth = field_value(card, "birth_date")
    if printed_birth and printed_birth != born.isoformat():
        reasons.append(f"所印出生日期{printed_birth}与号码中的{born.isoformat()}不符")
        evidence.append(evidence_for(card, "birth_date"))
    printed_sex = field_value(card, "sex")
    if printed_sex and printed_sex != sex(number):
        reasons.append(f"所印性别「{printed_sex}」与号码所示「{sex(number)}」不符")
        evidence.append(evidence_for(card, "sex"))
    valid_from, valid_to = field_value(back, "valid_from"), field_value(back, "valid_to")
    if valid_from and valid_to:
        issued = date.fromisoformat(valid_from)
        years = expected_validity_years(born, issued)
        if years is None and valid_to != "long_term":
            reasons.append(f"签发时已满46周岁，有效期应为长期，却印为至{valid_to}")
        elif years is not None and valid_to == "long_term":
            reasons.append(f"签发时年龄对应{years}年有效期，却印为长期")
        elif years is not None:
            end = date.fromisoformat(valid_to)
            same_day = (end.month, end.day) == (issued.month, issued.day) or (
                (issued.month, issued.day) == (2, 29) and (end.month, end.day) in ((2, 28), (3, 1))
            )
            if end.year - issued.year != years or not same_day:
                reasons.append(f"有效期{valid_from}至{valid_to}与签发时年龄对应的{years}年不符")
        if len(evidence) < len(reasons):
            evidence.append(evidence_for(back, "valid_to"))
    if not reasons:
        return []
    return [finding("REP-ID-INCONSISTENT", "身份证信息前后不一致（疑似篡改，第十条第（五）项）：" + "；".join(reasons), evidence)]
