"""The rule catalogue of DOMAIN.md: every finding code with its severity and article."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CatalogueEntry:
    code: str
    severity: str
    article: str
    fires_when: str


_ROWS = [
    ("PKT-MISSING-LETTER", "blocker", "第十三条", "缺少变更申请书"),
    ("PKT-MISSING-LICENSE", "blocker", "第十三条", "缺少营业执照复印件"),
    ("PKT-MISSING-ID-FRONT", "blocker", "第十三条", "缺少法定代表人身份证人像面"),
    ("PKT-MISSING-ID-BACK", "warning", "第十三条", "缺少身份证国徽面"),
    ("PKT-MISSING-TEAM-LIST", "blocker", "第十三条", "缺少本地服务团队名单"),
    ("PKT-MISSING-SOCIAL-INSURANCE", "blocker", "第十三条", "缺少社保证明"),
    ("PKT-NOT-SEALED", "blocker", "第十三条", "申请书未加盖公章"),
    ("PKT-UNREADABLE-FILE", "warning", "第十三条", "文件损坏、加密、为空、不支持或过大"),
    ("PKT-UNCLASSIFIED-PAGE", "info", "–", "页面无法归入任何材料类型"),
    ("ENT-CREDIT-CODE-INVALID", "blocker", "第十三条", "统一社会信用代码格式或校验位错误"),
    ("ENT-NOT-DONGGUAN", "blocker", "第十三条", "非东莞登记（区划代码、登记机关、住所）"),
    ("ENT-NOT-INDEPENDENT-LEGAL-PERSON", "blocker", "第十三条", "分公司、合伙企业、个人独资企业或个体工商户"),
    ("ENT-LICENSE-EXPIRED", "blocker", "第十条", "营业期限已届满"),
    ("REP-ID-NUMBER-INVALID", "blocker", "第十三条", "身份证号码格式、出生日期或校验位错误"),
    ("REP-ID-EXPIRED", "blocker", "第十三条", "身份证已过有效期"),
    ("REP-NAME-MISMATCH", "blocker", "第十三条", "身份证姓名与营业执照法定代表人不一致"),
    ("REP-ID-INCONSISTENT", "warning", "第十条", "身份证所印信息与号码或有效期不符（疑似篡改）"),
    ("TEAM-EMPTY", "blocker", "第十三条", "团队名单无人员"),
    ("TEAM-MEMBER-NOT-INSURED", "blocker", "第十三条", "团队成员不在社保证明上"),
    ("SI-EMPLOYER-MISMATCH", "blocker", "第十三条", "参保单位不是申请单位"),
    ("SI-NOT-DONGGUAN", "blocker", "第十三条", "社保证明非东莞机构出具"),
    ("SI-STALE", "warning", "第十三条", "社保证明打印日期过早"),
    ("XDOC-NAME-MISMATCH", "blocker", "第十条", "申请书、营业执照、社保证明的单位名称不一致"),
    ("XDOC-CREDIT-CODE-MISMATCH", "blocker", "第十条", "各材料的统一社会信用代码不一致"),
    ("OCR-LOW-CONFIDENCE", "warning", "–", "关键字段识别置信度低于阈值"),
]

CATALOGUE: dict[str, CatalogueEntry] = {row[0]: CatalogueEntry(*row) for row in _ROWS}
