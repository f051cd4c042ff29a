"""The generator draws many layouts, not one: what it varies, and its capital numerals."""

import random

import pytest

from tests.generator import forms
from tests.generator.identities import make_company, make_person


def test_capital_numerals():
    assert [forms.chinese_amount(n) for n in (7777, 305, 1200, 50, 100, 1001, 3000)] == [
        "柒仟柒佰柒拾柒", "叁佰零伍", "壹仟贰佰", "伍拾", "壹佰", "壹仟零壹", "叁仟"]


def test_every_capital_wording_reads_as_capital():
    from extractors import values

    rng = random.Random(1)
    wordings = {forms.capital_wording(rng) for _ in range(200)}
    assert len(wordings) > 20
    assert all(values.capital(w) for w in wordings), [w for w in wordings if not values.capital(w)]


@pytest.mark.parametrize("seed", [1, 2])
def test_licence_layouts_differ_between_seeds(seed):
    pictures = set()
    for offset in range(6):
        rng = random.Random(seed * 100 + offset)
        drawn = forms.business_license(make_company(rng), make_person(rng), rng)
        pictures.add((drawn.pages[0].size, drawn.fields["registered_capital"]))
    assert len({size for size, _ in pictures}) == 2  # landscape and portrait both drawn
    assert len(pictures) >= 4


def test_holdout_family_dates_and_packets(tmp_path):
    import json
    from datetime import date

    from tests.generator import holdout
    from tests.generator.packets import write_eval_set

    assert holdout.cn_numeral_date(date(2022, 4, 21)) == "二〇二二年四月二十一日"
    assert holdout.cn_numeral_date(date(2010, 10, 10)) == "二〇一〇年十月十日"
    from extractors.fields.common import parse_date

    assert parse_date(holdout.cn_numeral_date(date(2019, 12, 3))) == "2019-12-03"
    [path] = write_eval_set(tmp_path, count=1, seed=9000, family="holdout")
    truth = json.loads((tmp_path / f"{path.name}.truth.json").read_text(encoding="utf-8"))
    kinds = {t if isinstance(t, str) else "id_copy" for t in (d["doc_type"] for d in truth["documents"])}
    assert {"business_license", "application_letter", "id_copy"} <= kinds
