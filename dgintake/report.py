"""The human summary printed by `dgintake process` without --json."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from dgintake.models import PacketResult

_VERDICT_STYLE = {"pass": "green", "needs_review": "yellow", "fail": "red"}


def _short(value) -> str:
    if isinstance(value, list):
        return f"{len(value)} 行"
    text = "" if value is None else str(value)
    return text if len(text) <= 40 else text[:39] + "…"


def print_summary(result: PacketResult, console: Console) -> None:
    style = _VERDICT_STYLE[result.verdict]
    console.print(
        f"[bold]{result.packet.source}[/bold]  submitted {result.packet.submitted_on}  "
        f"verdict [{style}]{result.verdict}[/{style}]  ({result.timings.total_s:.1f} s, OCR {result.timings.ocr_s:.1f} s)"
    )
    docs = Table("document", "file", "pages", "conf", "sealed", "fields")
    for doc in result.documents:
        fields = "; ".join(f"{k}={_short(v.value)}" for k, v in doc.fields.items() if v.value not in (None, []))
        docs.add_row(
            doc.doc_type,
            doc.file,
            ",".join(map(str, doc.pages)),
            f"{doc.classification_confidence:.2f}",
            {True: "yes", False: "no", None: "–"}[doc.sealed],
            fields,
        )
    console.print(docs)
    if result.findings:
        findings = Table("severity", "code", "article", "message")
        for f in result.findings:
            findings.add_row(f.severity, f.code, f.article, f.message)
        console.print(findings)
    else:
        console.print("no findings")
