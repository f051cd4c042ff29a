"""Generated degraded packets in every form, through the whole pipeline."""

import json
import subprocess
import sys

from dgintake.evaluate import Scores, normalise, page_accuracy, score_packet


def _truth(path):
    return json.loads((path.parent / f"{path.name}.truth.json").read_text(encoding="utf-8"))


def test_every_page_classified(processed):
    scores = Scores()
    for path, result in processed.items():
        score_packet(result, _truth(path), scores)
    assert page_accuracy(scores) == 1.0, scores.pages


def test_key_fields_match_ground_truth(processed):
    checked = 0
    for path, result in processed.items():
        for tdoc in _truth(path)["documents"]:
            types = tdoc["doc_type"] if isinstance(tdoc["doc_type"], list) else [tdoc["doc_type"]]
            for doc_type in types:
                doc = next(d for d in result.documents if d.doc_type == doc_type)
                for name in ("credit_code", "name", "id_number", "employer_name", "applicant_name"):
                    if name in tdoc["fields"] and name in doc.fields:
                        assert normalise(doc.fields[name].value) == normalise(tdoc["fields"][name]), (path, doc_type, name)
                        checked += 1
                if doc_type == "team_list":
                    got = [m["name"] for m in doc.fields["members"].value]
                    assert got == [m["name"] for m in tdoc["fields"]["members"]]
    assert checked >= 15


def test_clean_generated_packets_pass(processed):
    for path, result in processed.items():
        assert result.verdict == "pass", (path, [f.message for f in result.findings])
        assert all(d.file for d in result.documents)


def test_ocr_cache_makes_second_run_free(sample_packets, processed):
    from dgintake.pipeline import process
    from extractors import ocr

    engine = ocr._engine
    calls = engine.calls
    result = process(sample_packets[0])
    assert engine.calls == calls
    assert result.timings.ocr_s == 0.0


def test_cli_json_contract(sample_packets):
    proc = subprocess.run(
        [sys.executable, "-m", "dgintake.cli", "process", str(sample_packets[2]), "--json", "--submitted-on", "2026-11-20"],
        capture_output=True, text=True, timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout)
    assert result["schema"] == "dgintake.packet-result/1"
    assert result["packet"]["submitted_on"] == "2026-11-20"
    assert {"verdict", "documents", "findings", "timings"} <= result.keys()
    licence = next(d for d in result["documents"] if d["doc_type"] == "business_license")
    assert set(licence["fields"]) >= {"credit_code", "name", "legal_representative", "term_end", "business_scope"}
    for value in licence["fields"].values():
        assert {"value", "confidence", "page", "bbox", "corrected"} <= value.keys()
