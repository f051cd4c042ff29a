"""Judging: run every registered rule over an extracted packet and recommend a verdict."""

from __future__ import annotations

from datetime import date

from dgintake.models import Finding, PacketResult
from validators import crossdoc, entity, packet, representative, team  # noqa: F401  (each registers its rules)
from validators.base import RULES, RuleContext, RuleSettings
from validators.catalogue import CATALOGUE

_SEVERITY_ORDER = {"blocker": 0, "warning": 1, "info": 2}


def validate(result: PacketResult, submitted_on: date, settings: RuleSettings | None = None) -> list[Finding]:
    ctx = RuleContext(result=result, submitted_on=submitted_on, settings=settings or RuleSettings())
    findings: list[Finding] = []
    for registered in RULES:
        findings.extend(registered.func(ctx))
    findings.sort(key=lambda f: (_SEVERITY_ORDER[f.severity], f.code))
    return findings


def verdict(findings: list[Finding]) -> str:
    severities = {f.severity for f in findings}
    if "blocker" in severities:
        return "fail"
    if "warning" in severities:
        return "needs_review"
    return "pass"


__all__ = ["CATALOGUE", "RULES", "RuleSettings", "validate", "verdict"]
