"""The rule registry and what every rule receives.

A rule is a small pure function `(RuleContext) -> list[Finding]`, registered with the
catalogue code it raises. Adding a rule is one function plus one catalogue row.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from dgintake.models import Document, Evidence, FieldValue, Finding, PacketResult
from validators.catalogue import CATALOGUE

ARTICLE_CLAUSE = {"第十三条": "第十三条第（一）项", "第十条": "第十条"}


@dataclass(frozen=True)
class RuleSettings:
    confidence_floor: float = 0.80
    si_max_age_days: int = 90
    min_team_size: int = 1


@dataclass
class RuleContext:
    result: PacketResult
    submitted_on: date
    settings: RuleSettings = field(default_factory=RuleSettings)

    def documents(self, doc_type: str) -> list[Document]:
        return [d for d in self.result.documents if d.doc_type == doc_type]

    def first(self, doc_type: str) -> Document | None:
        docs = self.documents(doc_type)
        return docs[0] if docs else None


Rule = Callable[[RuleContext], list[Finding]]


@dataclass(frozen=True)
class RegisteredRule:
    code: str
    func: Rule


RULES: list[RegisteredRule] = []


def rule(code: str) -> Callable[[Rule], Rule]:
    if code not in CATALOGUE:
        raise KeyError(f"{code} is not in the rule catalogue")

    def register(func: Rule) -> Rule:
        RULES.append(RegisteredRule(code, func))
        return func

    return register


def finding(code: str, message: str, evidence: list[Evidence] | None = None) -> Finding:
    entry = CATALOGUE[code]
    return Finding(
        code=code,
        severity=entry.severity,
        article=entry.article,
        message=message,
        evidence=evidence or [],
    )


def evidence_for(document: Document | None, field_name: str | None = None) -> Evidence:
    if document is None:
        return Evidence()
    value: FieldValue | None = document.fields.get(field_name) if field_name else None
    return Evidence(
        file=document.file,
        page=(value.page if value and value.page else document.pages[0] if document.pages else None),
        field=f"{document.doc_type}.{field_name}" if field_name else None,
        bbox=value.bbox if value else None,
    )


def field_value(document: Document | None, name: str):
    if document is None or name not in document.fields:
        return None
    return document.fields[name].value


def reliability_note(settings: RuleSettings, *values: FieldValue | None) -> str:
    """A clause saying the finding rests on an uncertain or repaired reading, if it does."""
    notes = []
    for value in values:
        if value is None:
            continue
        if value.corrected:
            notes.append("所依据的字段经校验位修复")
        elif value.confidence < settings.confidence_floor:
            notes.append(f"所依据的字段识别置信度较低（{value.confidence:.2f}），请人工核对")
    return ("；" + "；".join(dict.fromkeys(notes))) if notes else ""
