"""The local service team and its social-insurance proof."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date

from rapidfuzz.distance import Levenshtein

from dgintake.models import Finding
from validators.base import RuleContext, evidence_for, field_value, finding, reliability_note, rule
from validators.normalise import normalise_name

DONGGUAN_ISSUER = re.compile(r"东莞")


def id_tail(number: str | None, length: int = 4) -> str | None:
    """The visible tail of an ID number, masked or not; None unless the number was read
    whole (18 characters): a half-read number shows no tail worth comparing."""
    if not number or len(number) != 18:
        return None
    tail = re.sub(r"[^0-9Xx]", "", number[-length:]).upper()
    return tail if len(tail) == length else None


def same_person_name(a: str, b: str) -> bool:
    """Equal after normalisation, or one holds the other whole: table OCR glues a stray
    character from a neighbouring cell onto a name far more often than it drops one."""
    if a == b:
        return True
    short, long = sorted((a, b), key=len)
    return len(short) >= 2 and short in long and len(long) - len(short) <= 2


def tails_agree(a: str, b: str) -> bool:
    """Equal, or one OCR slip apart (one character, or two neighbours swapped): two
    namesakes' random tails agree that closely about once in 250 pairs, a misread
    masked number far more often."""
    if a == b:
        return True
    diff = [i for i, (x, y) in enumerate(zip(a, b)) if x != y]
    if len(diff) == 1:
        return True
    return len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]]


def masking(number: str | None) -> tuple[int, int, int] | None:
    """(shown before, masked, shown after) of a masked number (4419**********6435)."""
    match = re.fullmatch(r"([0-9Xx]*)(\*+)([0-9Xx]*)", number or "")
    return (len(match.group(1)), len(match.group(2)), len(match.group(3))) if match else None


def insured_keys(insured: list[dict]) -> list[tuple[str, str | None]]:
    """Each insured row's normalised name and ID tail, worked out once per proof. A proof
    masks every number alike; a reading off its usual masking (a star read as a digit,
    a digit doubled: 4419*********64135) shows no tail worth comparing."""
    shapes = [masking(row.get("id_number")) for row in insured]
    usual, count = Counter(s for s in shapes if s).most_common(1)[0] if any(shapes) else (None, 0)
    return [
        (normalise_name(row.get("name")),
         None if count >= 3 and shape is not None and shape != usual else id_tail(row.get("id_number")))
        for row, shape in zip(insured, shapes)
    ]


def is_insured(member: dict, insured: list[dict], keys: list[tuple[str, str | None]] | None = None) -> bool:
    name = normalise_name(member.get("name"))
    mine = id_tail(member.get("id_number"))
    for other, theirs in keys if keys is not None else insured_keys(insured):
        tails = bool(mine and theirs)
        if same_person_name(other, name):
            if tails and not tails_agree(mine, theirs):
                continue  # a namesake with another ID is not the same person
            return True
        if tails and mine == theirs and Levenshtein.distance(other, name) <= 2:
            # a character or two misread or glued on (供荷刚秀 for 何刚秀), the same ID
            # tail: the same person
            return True
    return False


@rule("TEAM-EMPTY")
def team_empty(ctx: RuleContext) -> list[Finding]:
    doc = ctx.first("team_list")
    if doc is None:
        return []
    members = field_value(doc, "members") or []
    if len(members) >= max(ctx.settings.min_team_size, 1):
        return []
    return [finding("TEAM-EMPTY", f"本地服务团队名单列出 {len(members)} 人，至少应有 {max(ctx.settings.min_team_size, 1)} 人", [evidence_for(doc, "members")])]


@rule("TEAM-MEMBER-NOT-INSURED")
def member_not_insured(ctx: RuleContext) -> list[Finding]:
    team, proof = ctx.first("team_list"), ctx.first("social_insurance_proof")
    if team is None or proof is None:
        return []
    insured = field_value(proof, "insured") or []
    keys = insured_keys(insured)
    out = []
    for member in field_value(team, "members") or []:
        if member.get("name") and not is_insured(member, insured, keys):
            namesake = any(name == normalise_name(member["name"]) for name, _ in keys)
            detail = "（同名人员身份证号尾号不同）" if namesake else ""
            out.append(finding(
                "TEAM-MEMBER-NOT-INSURED",
                f"团队成员「{member['name']}」未出现在社保证明参保人员中{detail}",
                [evidence_for(team, "members"), evidence_for(proof, "insured")],
            ))
    return out


@rule("SI-EMPLOYER-MISMATCH")
def employer_mismatch(ctx: RuleContext) -> list[Finding]:
    proof, licence = ctx.first("social_insurance_proof"), ctx.first("business_license")
    letter = ctx.first("application_letter")
    applicant_doc = licence or letter
    if proof is None or applicant_doc is None:
        return []
    reasons, evidence = [], [evidence_for(proof, "employer_name")]
    applicant = field_value(licence, "name") or field_value(letter, "applicant_name")
    employer = field_value(proof, "employer_name")
    if applicant and employer and normalise_name(applicant) != normalise_name(employer):
        reasons.append(f"参保单位「{employer}」与申请单位「{applicant}」不一致")
    licence_code = licence.fields.get("credit_code") if licence else None
    if licence_code and licence_code.label == "注册号":  # a pre-2016 number is another identifier
        licence_code = None
    code = (licence_code.value if licence_code else None) or field_value(letter, "credit_code")
    employer_code = field_value(proof, "employer_credit_code")
    if code and employer_code and code != employer_code:
        reasons.append(f"参保单位信用代码「{employer_code}」与申请单位「{code}」不一致")
        evidence.append(evidence_for(proof, "employer_credit_code"))
    if not reasons:
        return []
    applicant_fields = [doc.fields.get(name) for doc, name in ((licence, "name"), (letter, "applicant_name"),
                                                               (licence, "credit_code"), (letter, "credit_code")) if doc]
    note = reliability_note(ctx.settings, proof.fields.get("employer_name"), proof.fields.get("employer_credit_code"),
                            *applicant_fields)
    return [finding("SI-EMPLOYER-MISMATCH", "；".join(reasons) + note, evidence)]


@rule("SI-NOT-DONGGUAN")
def not_dongguan_issuer(ctx: RuleContext) -> list[Finding]:
    proof = ctx.first("social_insurance_proof")
    issuer = field_value(proof, "issuer")
    if not issuer or DONGGUAN_ISSUER.search(issuer):
        return []
    note = reliability_note(ctx.settings, proof.fields.get("issuer"))
    return [finding("SI-NOT-DONGGUAN", f"社保证明出具机构「{issuer}」不是东莞市的社保或税务机构" + note,
                    [evidence_for(proof, "issuer")])]


@rule("SI-STALE")
def stale_proof(ctx: RuleContext) -> list[Finding]:
    proof = ctx.first("social_insurance_proof")
    printed = field_value(proof, "print_date")
    if not printed:
        return []
    age = (ctx.submitted_on - date.fromisoformat(printed)).days
    if age <= ctx.settings.si_max_age_days:
        return []
    return [finding(
        "SI-STALE",
        f"社保证明打印于{printed}，距申请日已 {age} 天（超过 {ctx.settings.si_max_age_days} 天）",
        [evidence_for(proof, "print_date")],
    )]
