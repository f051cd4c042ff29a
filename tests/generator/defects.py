"""Defects of the rule catalogue, injected into otherwise clean packets.

Each defect changes what is drawn the way a real faulty packet would differ, and
names every code it must raise (some defects raise more than one by definition:
an insurance proof of another employer also makes the employer names disagree).
"""

from __future__ import annotations

import copy
import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from stdnum.cn import uscc

from extractors.fields.common import repair
from tests.generator.identities import Company, Person, make_company, make_credit_code, make_registration_number

# defect -> codes it raises
DEFECTS: dict[str, tuple[str, ...]] = {
    "PKT-MISSING-LETTER": ("PKT-MISSING-LETTER",),
    "PKT-MISSING-LICENSE": ("PKT-MISSING-LICENSE",),
    "PKT-MISSING-ID-FRONT": ("PKT-MISSING-ID-FRONT",),
    "PKT-MISSING-ID-BACK": ("PKT-MISSING-ID-BACK",),
    "PKT-MISSING-TEAM-LIST": ("PKT-MISSING-TEAM-LIST",),
    "PKT-MISSING-SOCIAL-INSURANCE": ("PKT-MISSING-SOCIAL-INSURANCE",),
    "PKT-NOT-SEALED": ("PKT-NOT-SEALED",),
    "ENT-CREDIT-CODE-INVALID": ("ENT-CREDIT-CODE-INVALID",),
    "ENT-NOT-DONGGUAN": ("ENT-NOT-DONGGUAN",),
    "ENT-NOT-INDEPENDENT-LEGAL-PERSON": ("ENT-NOT-INDEPENDENT-LEGAL-PERSON",),
    "ENT-LICENSE-EXPIRED": ("ENT-LICENSE-EXPIRED",),
    "REP-ID-NUMBER-INVALID": ("REP-ID-NUMBER-INVALID",),
    "REP-ID-EXPIRED": ("REP-ID-EXPIRED",),
    "REP-NAME-MISMATCH": ("REP-NAME-MISMATCH",),
    "REP-ID-INCONSISTENT": ("REP-ID-INCONSISTENT",),
    "TEAM-EMPTY": ("TEAM-EMPTY",),
    "TEAM-MEMBER-NOT-INSURED": ("TEAM-MEMBER-NOT-INSURED",),
    "SI-EMPLOYER-MISMATCH": ("SI-EMPLOYER-MISMATCH", "XDOC-NAME-MISMATCH", "XDOC-CREDIT-CODE-MISMATCH"),
    "SI-NOT-DONGGUAN": ("SI-NOT-DONGGUAN",),
    "SI-STALE": ("SI-STALE",),
    "XDOC-NAME-MISMATCH": ("XDOC-NAME-MISMATCH",),
    "XDOC-CREDIT-CODE-MISMATCH": ("XDOC-CREDIT-CODE-MISMATCH",),
    # an outdated pre-2016 licence: its 注册号 is no credit code, and differs from the letter's
    "LICENSE-REGISTRATION-NUMBER": ("ENT-CREDIT-CODE-INVALID", "XDOC-CREDIT-CODE-MISMATCH"),
}


@dataclass
class Variants:
    """What each document shows, after the defects."""

    licence_company: Company
    letter_company: Company
    si_company: Company
    licence_rep: Person
    card_person: Person
    team_drawn: list[Person]
    insured_people: list[Person]
    si_issuer: str
    print_date: date
    validity: tuple[date, date | None] | None = None
    missing: set[str] = field(default_factory=set)


def expected_codes(defects) -> list[str]:
    return sorted({code for d in defects for code in DEFECTS[d]})


def _broken_check(code: str, valid, alphabet: str = "0123456789ACEFHJKMNPRUWXY") -> str:
    """The same code with a wrong check character that no single OCR repair can fix."""
    for ch in alphabet:
        candidate = code[:-1] + ch
        if candidate == code or valid(candidate):
            continue
        if not repair(candidate, valid)[1]:  # the pipeline's own repair must not rescue it
            return candidate
    raise RuntimeError("no unrepairable variant")


def expired_validity(person: Person, today: date) -> tuple[date, date]:
    """A card issued long enough ago to have run out, with the span its holder's age then gave."""
    from validators.identifiers import expected_validity_years

    for back in range(6, 45):
        issued = date(today.year - back, today.month, min(today.day, 28)) - timedelta(days=45)
        years = expected_validity_years(person.birth, issued)
        if years is not None and issued.year + years < today.year:
            return issued, issued.replace(year=issued.year + years)
    raise ValueError("no expired validity possible for this age")


def apply(defects, company: Company, rep: Person, rng: random.Random, today: date, si_issuer: str, print_date: date) -> Variants:
    v = Variants(company, company, company, rep, rep, list(company.team), list(company.team), si_issuer, print_date)
    for defect in defects:
        if defect.startswith("PKT-MISSING-"):
            v.missing.add(defect)
        elif defect == "PKT-NOT-SEALED":
            pass  # the packet builder leaves the letter unstamped
        elif defect == "ENT-CREDIT-CODE-INVALID":
            bad = copy.copy(company)
            bad.credit_code = _broken_check(company.credit_code, uscc.is_valid)
            v.licence_company = v.letter_company = v.si_company = bad
        elif defect == "ENT-NOT-DONGGUAN":
            moved = copy.copy(company)
            moved.credit_code = make_credit_code(rng, division="440300")
            moved.name = company.name.replace("东莞市", "深圳市")
            moved.address = "广东省深圳市南山区科技园科苑路15号"
            moved.authority = "深圳市市场监督管理局"
            v.licence_company = v.letter_company = v.si_company = moved
        elif defect == "ENT-NOT-INDEPENDENT-LEGAL-PERSON":
            branch = copy.copy(company)
            branch.name = company.name.replace("有限公司", "有限公司南城分公司")
            branch.entity_type = "有限责任公司分公司（自然人投资或控股）"
            branch.rep_label, branch.address_label = "负责人", "营业场所"
            v.licence_company = v.letter_company = v.si_company = branch
        elif defect == "ENT-LICENSE-EXPIRED":
            ended = copy.copy(company)
            ended.term_end = today - timedelta(days=rng.randrange(10, 300))
            ended.established = ended.term_end.replace(year=ended.term_end.year - 20)
            ended.issue_date = ended.established + timedelta(days=30)
            v.licence_company = ended
        elif defect == "REP-ID-NUMBER-INVALID":
            from validators.identifiers import is_valid_ric

            v.card_person = copy.copy(rep)
            v.card_person.id_number = _broken_check(rep.id_number, is_valid_ric, alphabet="0123456789X")
        elif defect == "REP-ID-EXPIRED":
            v.validity = expired_validity(rep, today)
        elif defect == "REP-NAME-MISMATCH":
            v.licence_rep = copy.copy(rep)
            v.licence_rep.name = rep.name[0] + ("国" if rep.name[1:2] != "国" else "华") + rep.name[2:] + "华"
        elif defect == "REP-ID-INCONSISTENT":
            v.card_person = copy.copy(rep)
            v.card_person.male = not rep.male
        elif defect == "TEAM-EMPTY":
            v.team_drawn = []
        elif defect == "TEAM-MEMBER-NOT-INSURED":
            v.insured_people = v.insured_people[1:]
        elif defect == "SI-EMPLOYER-MISMATCH":
            other = make_company(rng, today)
            v.si_company = copy.copy(company)
            v.si_company.name, v.si_company.credit_code = other.name, other.credit_code
        elif defect == "SI-NOT-DONGGUAN":
            v.si_issuer = "国家税务总局深圳市税务局"
        elif defect == "SI-STALE":
            v.print_date = today - timedelta(days=rng.randrange(100, 200))
        elif defect == "XDOC-NAME-MISMATCH":
            v.letter_company = copy.copy(company)
            v.letter_company.name = company.name.replace("有限公司", "集团有限公司")
        elif defect == "XDOC-CREDIT-CODE-MISMATCH":
            v.letter_company = copy.copy(company)
            v.letter_company.credit_code = make_credit_code(rng)
        elif defect == "LICENSE-REGISTRATION-NUMBER":
            old = copy.copy(company)
            old.registration_number = make_registration_number(rng)
            v.licence_company = old
        else:
            raise KeyError(defect)
    return v
