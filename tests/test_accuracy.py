"""Accuracy on a fixed-seed degraded set (slow: run in CI with -m slow)."""

import pytest

from dgintake.evaluate import evaluate, page_accuracy
from dgintake.pipeline import process
from tests.generator.packets import write_sample_set


@pytest.mark.slow
def test_classification_and_identifiers_on_degraded_set(tmp_path):
    write_sample_set(tmp_path, count=9, seed=500)
    scores = evaluate(tmp_path, process)
    assert page_accuracy(scores) >= 0.99, scores.pages
    for name in ("business_license.credit_code", "id_card_front.id_number", "id_card_front.name",
                 "social_insurance_proof.employer_name"):
        right, total = scores.fields[name]
        assert right / total >= 0.88, (name, right, total)
    for name, (tp, fp, fn) in scores.names.items():
        assert 2 * tp / (2 * tp + fp + fn) >= 0.9, name
