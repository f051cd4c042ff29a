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
