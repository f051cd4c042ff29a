"""Packet completeness, readability and sealing (第十三条第（一）项)."""

from __future__ import annotations

from dgintake.models import Evidence, Finding
from validators.base import RuleContext, evidence_for, finding, rule

_MISSING = {
    "application_letter": ("PKT-MISSING-LETTER", "变更申请书"),
    "business_license": ("PKT-MISSING-LICENSE", "营业执照复印件"),
    "id_card_front": ("PKT-MISSING-ID-FRONT", "法定代表人身份证人像面"),
    "id_card_back": ("PKT-MISSING-ID-BACK", "法定代表人身份证国徽面"),
    "team_list": ("PKT-MISSING-TEAM-LIST", "本地服务团队名单"),
    "social_insurance_proof": ("PKT-MISSING-SOCIAL-INSURANCE", "服务团队社保证明"),
}


def _missing_rule(doc_type: str, code: str, title: str):
    def check(ctx: RuleContext) -> list[Finding]:
        if ctx.documents(doc_type):
            return []
        return [finding(code, f"材料包中未找到{title}（第十三条第（一）项要求提交）")]

    check.__name__ = f"missing_{doc_type}"
    check.__doc__ = f"{title}必须提交。"
    return rule(code)(check)


for _doc_type, (_code, _title) in _MISSING.items():
    _missing_rule(_doc_type, _code, _title)


@rule("PKT-UNREADABLE-FILE")
def unreadable_files(ctx: RuleContext) -> list[Finding]:
    """Every file that could not be read, or only in part, names itself."""
    return [
        finding(
            "PKT-UNREADABLE-FILE",
            f"文件「{report.file}」无法完整读取：{report.reason}",
            [Evidence(file=report.file)],
        )
        for report in ctx.result.files
        if report.status in ("unreadable", "partial")
    ]


@rule("PKT-UNCLASSIFIED-PAGE")
def unclassified_pages(ctx: RuleContext) -> list[Finding]:
    """Pages that matched no document type, for a reviewer to look at."""
    return [
        finding(
            "PKT-UNCLASSIFIED-PAGE",
            f"「{doc.file}」第 {page} 页无法识别为任何申请材料",
            [Evidence(file=doc.file, page=page)],
        )
        for doc in ctx.documents("unknown")
        for page in doc.pages
    ]


@rule("PKT-NOT-SEALED")
def letter_not_sealed(ctx: RuleContext) -> list[Finding]:
    """The application letter must bear the applicant's red official seal."""
    letters = ctx.documents("application_letter")
    if not letters or any(doc.sealed for doc in letters):
        return []
    if all(doc.sealed is None for doc in letters):
        return []  # seal detection did not run: nothing to say
    doc = letters[0]
    return [finding("PKT-NOT-SEALED", "变更申请书未见红色公章（第十三条第（一）项要求加盖公章）", [evidence_for(doc)])]
