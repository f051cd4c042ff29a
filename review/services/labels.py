"""Chinese labels for statuses, verdicts, document types, fields and finding codes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from validators.catalogue import CATALOGUE

CHINA = timezone(timedelta(hours=8), "CST")

STATUS_LABELS = {
    "received": "已接收",
    "processing": "识别中",
    "awaiting_review": "待审核",
    "failed": "识别失败",
    "duplicate": "重复提交",
    "in_review": "审核中",
    "needs_correction": "需补正",
    "proposed_approve": "拟同意",
    "proposed_reject": "拟不同意",
    "to_meeting": "提交局务会议审议",
    "approved": "审核通过",
    "rejected": "不予通过",
    "published": "已发布",
}
VERDICT_LABELS = {"pass": "建议通过", "needs_review": "需人工核查", "fail": "不符合"}
SEVERITY_LABELS = {"blocker": "否决", "warning": "提醒", "info": "提示"}
DOC_LABELS = {
    "application_letter": "变更申请书",
    "business_license": "营业执照",
    "id_card_front": "身份证人像面",
    "id_card_back": "身份证国徽面",
    "team_list": "本地服务团队名单",
    "social_insurance_proof": "社保证明",
    "unknown": "未识别页面",
}
FIELD_LABELS = {
    "applicant_name": "申请单位",
    "credit_code": "统一社会信用代码",
    "change_items": "变更事项",
    "contact_person": "联系人",
    "contact_phone": "联系电话",
    "application_date": "申请日期",
    "name": "名称/姓名",
    "entity_type": "类型",
    "legal_representative": "法定代表人",
    "registered_capital": "注册资本",
    "established_date": "成立日期",
    "term_end": "营业期限至",
    "address": "住所/住址",
    "business_scope": "经营范围",
    "registration_authority": "登记机关",
    "issue_date": "发照日期",
    "sex": "性别",
    "ethnicity": "民族",
    "birth_date": "出生日期",
    "id_number": "公民身份号码",
    "issuing_authority": "签发机关",
    "valid_from": "有效期起",
    "valid_to": "有效期至",
    "members": "团队成员",
    "employer_name": "参保单位",
    "employer_credit_code": "参保单位信用代码",
    "issuer": "出具机构",
    "print_date": "打印日期",
    "insured": "参保人员",
}
COLUMN_LABELS = {
    "name": "姓名",
    "role": "岗位",
    "id_number": "身份证号码",
    "phone": "联系电话",
    "months": "月数",
    "period_from": "起",
    "period_to": "止",
}
TABLE_COLUMNS = {
    "members": ("name", "role", "id_number", "phone"),
    "insured": ("name", "id_number", "months", "period_from", "period_to"),
}
# The materials a 补正通知 can ask for (第十三条（一）).
MATERIALS = [
    "变更申请书（加盖公章）",
    "在莞独立法人营业执照复印件",
    "法定代表人身份证复印件（人像面）",
    "法定代表人身份证复印件（国徽面）",
    "本地服务团队名单",
    "社保（参保）证明",
]
CODES = sorted(CATALOGUE)


def code_label(code: str) -> str:
    entry = CATALOGUE.get(code)
    return entry.fires_when if entry else code


def local_time(value) -> str:
    """A stored UTC moment as Dongguan's clock shows it (UTC+8), to the minute."""
    if not value:
        return ""
    try:
        moment = datetime.fromisoformat(str(value))
    except ValueError:
        return str(value)[:16]
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(CHINA).strftime("%Y-%m-%d %H:%M")
