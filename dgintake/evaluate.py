"""Scores the pipeline on a folder of generated packets with `<packet>.truth.json` beside each.

Reports page classification accuracy with a confusion table, per-field exact match
after normalisation, list-field name F1, letter-seal accuracy, finding precision and
recall per code, and verdict accuracy.
"""

from __future__ import annotations

import json
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from dgintake.models import PacketResult


def normalise(value) -> str:
    if value is None:
        return ""
    text = unicodedata.normalize("NFKC", str(value))
    return "".join(text.split()).replace("(", "（").replace(")", "）").upper()


@dataclass
class Scores:
    pages: Counter = field(default_factory=Counter)  # (truth, predicted) -> count
    fields: dict = field(default_factory=lambda: defaultdict(lambda: [0, 0]))  # name -> [right, total]
    names: dict = field(default_factory=lambda: defaultdict(lambda: [0, 0, 0]))  # list field -> [tp, fp, fn]
    seal: list = field(default_factory=lambda: [0, 0])
    codes: dict = field(default_factory=lambda: defaultdict(lambda: [0, 0, 0]))  # code -> [tp, fp, fn]
    verdicts: list = field(default_factory=lambda: [0, 0])
    confidence: list = field(default_factory=list)  # (confidence, right) per scalar field read
    packets: int = 0
    seconds: float = 0.0


def _truth_pages(truth: dict) -> dict[tuple[str, int], set[str]]:
    pages: dict[tuple[str, int], set[str]] = defaultdict(set)
    for doc in truth["documents"]:
        types = doc["doc_type"] if isinstance(doc["doc_type"], list) else [doc["doc_type"]]
        for number in doc["pages"]:
            pages[(doc["file"], number)].update(types)
    return pages


def _expected_verdict(codes: list[str]) -> str:
    from validators.catalogue import CATALOGUE

    severities = {CATALOGUE[c].severity for c in codes}
    return "fail" if "blocker" in severities else "needs_review" if "warning" in severities else "pass"


def score_packet(result: PacketResult, truth: dict, scores: Scores) -> None:
    scores.packets += 1
    scores.seconds += result.timings.total_s
    predicted: dict[tuple[str, int], set[str]] = defaultdict(set)
    for doc in result.documents:
        for number in doc.pages:
            predicted[(doc.file, number)].add(doc.doc_type)
    for key, types in _truth_pages(truth).items():
        got = predicted.get(key, {"missing"})
        for t in types:
            scores.pages[(t, t if t in got else "/".join(sorted(got)))] += 1
    for tdoc in truth["documents"]:
        types = tdoc["doc_type"] if isinstance(tdoc["doc_type"], list) else [tdoc["doc_type"]]
        for doc_type in types:
            doc = next((d for d in result.documents if d.doc_type == doc_type and d.file == tdoc["file"]), None)
            doc = doc or next((d for d in result.documents if d.doc_type == doc_type), None)
            names = [n for n in _field_names(doc_type)]
            for name in names:
                if name not in tdoc["fields"]:
                    continue
                expected = tdoc["fields"][name]
                got = doc.fields[name].value if doc and name in doc.fields else None
                key = f"{doc_type}.{name}"
                if isinstance(expected, list):
                    want = Counter(normalise(r["name"]) for r in expected)
                    have = Counter(normalise(r.get("name")) for r in (got or []))
                    tp = sum((want & have).values())
                    scores.names[key][0] += tp
                    scores.names[key][1] += sum(have.values()) - tp
                    scores.names[key][2] += sum(want.values()) - tp
                    for sub in ("id_number", "phone", "role", "months", "period_from", "period_to"):
                        if expected and sub in expected[0]:
                            got_rows = {normalise(r.get("name")): r for r in (got or [])}
                            for row in expected:
                                mine = got_rows.get(normalise(row["name"]), {})
                                cell = scores.fields[f"{key}[].{sub}"]
                                cell[1] += 1
                                cell[0] += normalise(mine.get(sub)) == normalise(row[sub])
                else:
                    cell = scores.fields[key]
                    cell[1] += 1
                    right = normalise(got) == normalise(expected)
                    cell[0] += right
                    if got is not None:
                        scores.confidence.append((doc.fields[name].confidence, right))
        if "application_letter" in types:
            letter = next((d for d in result.documents if d.doc_type == "application_letter"), None)
            scores.seal[1] += 1
            scores.seal[0] += bool(letter and letter.sealed) == ("PKT-NOT-SEALED" not in truth["expected_codes"])
    got_codes = {f.code for f in result.findings if f.code != "PKT-UNCLASSIFIED-PAGE"}
    want_codes = set(truth["expected_codes"])
    for code in got_codes | want_codes:
        cell = scores.codes[code]
        cell[0] += code in got_codes and code in want_codes
        cell[1] += code in got_codes and code not in want_codes
        cell[2] += code in want_codes and code not in got_codes
    scores.verdicts[1] += 1
    scores.verdicts[0] += result.verdict == _expected_verdict(truth["expected_codes"])


def _field_names(doc_type: str):
    from dgintake.models import FIELDS_BY_DOC_TYPE

    return FIELDS_BY_DOC_TYPE[doc_type]


def evaluate(folder: Path, process, save_to: Path | None = None) -> Scores:
    scores = Scores()
    if save_to is not None:
        save_to.mkdir(parents=True, exist_ok=True)
    for truth_path in sorted(folder.glob("*.truth.json")):
        truth = json.loads(truth_path.read_text(encoding="utf-8"))
        packet = folder / truth_path.name[: -len(".truth.json")]
        result = process(packet, date.fromisoformat(truth["submitted_on"]))
        score_packet(result, truth, scores)
        if save_to is not None:
            (save_to / f"{packet.name}.result.json").write_text(
                json.dumps(result.to_json_dict(), ensure_ascii=False, indent=1), encoding="utf-8"
            )
    return scores


CONFIDENCE_BINS = (0.0, 0.5, 0.7, 0.8, 0.9, 0.95, 1.0001)


def reliability(scores: Scores) -> list[tuple[float, float, int, float, float]]:
    """Per confidence bin: (low, high, fields, mean confidence, share right). A calibrated
    confidence has the last two close in every bin."""
    rows = []
    for low, high in zip(CONFIDENCE_BINS, CONFIDENCE_BINS[1:]):
        inside = [(c, r) for c, r in scores.confidence if low <= c < high]
        if inside:
            rows.append((low, min(high, 1.0), len(inside), sum(c for c, _ in inside) / len(inside),
                         sum(r for _, r in inside) / len(inside)))
    return rows


def calibration_error(scores: Scores) -> float:
    """Expected calibration error over the bins: the field-weighted gap between stated
    confidence and observed accuracy."""
    total = len(scores.confidence)
    return sum(n * abs(mean - right) for _, _, n, mean, right in reliability(scores)) / total if total else 0.0


def page_accuracy(scores: Scores) -> float:
    total = sum(scores.pages.values())
    right = sum(n for (t, p), n in scores.pages.items() if t == p)
    return right / total if total else 0.0
