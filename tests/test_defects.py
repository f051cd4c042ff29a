"""Each catalogue defect injected into an otherwise clean packet: exactly its codes come out."""

import pytest

from dgintake.pipeline import process
from tests.generator.defects import DEFECTS, expected_codes
from tests.generator.packets import FORMS, SUBMITTED_ON, PacketSpec, write

QUICK = ["PKT-NOT-SEALED", "REP-NAME-MISMATCH", "SI-STALE", "TEAM-MEMBER-NOT-INSURED"]


def _codes(result):
    return sorted({f.code for f in result.findings if f.code not in ("PKT-UNCLASSIFIED-PAGE", "OCR-LOW-CONFIDENCE")})


def _run(tmp_path, defect, index, degrade):
    spec = PacketSpec(seed=700 + index, form=FORMS[index % len(FORMS)], degrade=degrade, defects=(defect,))
    path = write(spec, tmp_path)
    return process(path, SUBMITTED_ON)


@pytest.mark.parametrize("defect", QUICK)
def test_quick_defects_on_clean_scans(tmp_path, defect):
    result = _run(tmp_path, defect, QUICK.index(defect), degrade=False)
    assert _codes(result) == expected_codes([defect])


@pytest.mark.slow
@pytest.mark.parametrize("defect", sorted(DEFECTS))
def test_every_defect_on_degraded_packets(tmp_path, defect):
    result = _run(tmp_path, defect, sorted(DEFECTS).index(defect), degrade=True)
    assert _codes(result) == expected_codes([defect]), [f.message for f in result.findings]
