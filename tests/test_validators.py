"""Each rule: fires, stays quiet, and boundary days; identifier properties."""

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st
from stdnum.cn import ric

from dgintake.models import Document, FieldValue, PacketInfo, PacketResult
from extractors.fields.common import find_id_number, find_uscc, parse_date, repair, uscc_ok
from validators import validate, verdict
from validators.base import RuleSettings
from validators.identifiers import is_valid_ric

DAY = date(2026, 11, 20)
CODE = "91441900MA4UJ8L25K"


def _valid_code(body17: str) -> str:
    from stdnum.cn import uscc

    return body17 + uscc.calc_check_digit(body17)


def person_id(born="19850312", seq="123"):
    body = "441900" + born + seq
    return body + ric.calc_check_digit(body + "0")


def docs(**overrides):
    """A clean packet; overrides replace fields as {doc_type: {field: value}}."""
    code = _valid_code("91441900MA4UJ8L25")
    rep_id = person_id()
    base = {
        "application_letter": {"applicant_name": "东莞市测试科技有限公司", "credit_code": code},
        "business_license": {"credit_code": code, "name": "东莞市测试科技有限公司", "entity_type": "有限责任公司（自然人投资或控股）",
                             "legal_representative": "李明", "term_end": "long_term", "address": "广东省东莞市南城街道鸿福路1号",
                             "registration_authority": "东莞市市场监督管理局"},
        "id_card_front": {"name": "李明", "sex": "男", "birth_date": "1985-03-12", "id_number": rep_id},
        "id_card_back": {"valid_from": "2015-06-01", "valid_to": "2035-06-01"},
        "team_list": {"members": [{"name": "王芳", "role": "项目经理", "id_number": person_id("19900101", "124"), "phone": "13800138000"}]},
        "social_insurance_proof": {"employer_name": "东莞市测试科技有限公司", "employer_credit_code": code,
                                   "issuer": "国家税务总局东莞市税务局", "print_date": "2026-11-01",
                                   "insured": [{"name": "王芳", "id_number": "441900********" + person_id("19900101", "124")[-4:]}]},
    }
    for doc_type, fields in overrides.items():
        if fields is None:
            base.pop(doc_type)
        else:
            base[doc_type] = {**base[doc_type], **fields}
    documents = []
    for doc_type, fields in base.items():
        labelled = {k: FieldValue(value=v, confidence=0.99, page=1, label=("法定代表人" if k == "legal_representative" else None))
                    for k, v in fields.items()}
        documents.append(Document(doc_type=doc_type, file="f.pdf", pages=[1], classification_confidence=0.9,
                                  sealed=True, fields=labelled))
    return PacketResult(packet=PacketInfo(source="x", submitted_on=DAY.isoformat()), verdict="pass", documents=documents)


def codes(result, day=DAY, settings=None):
    return {f.code for f in validate(result, day, settings)}


def test_clean_packet_passes():
    findings = validate(docs(), DAY)
    assert findings == [] and verdict(findings) == "pass"


def test_missing_documents():
    assert codes(docs(id_card_back=None)) == {"PKT-MISSING-ID-BACK"}
    assert verdict(validate(docs(id_card_back=None), DAY)) == "needs_review"
    assert "PKT-MISSING-LETTER" in codes(docs(application_letter=None))


def test_letter_not_sealed():
    result = docs()
    result.documents[0].sealed = False
    assert codes(result) == {"PKT-NOT-SEALED"}


def test_entity_rules():
    assert "ENT-CREDIT-CODE-INVALID" in codes(docs(business_license={"credit_code": CODE[:-1] + "0"}))
    shenzhen = _valid_code("91440300MA4UJ8L25")
    found = codes(docs(business_license={"credit_code": shenzhen}, application_letter={"credit_code": shenzhen},
                       social_insurance_proof={"employer_credit_code": shenzhen}))
    assert found == {"ENT-NOT-DONGGUAN"}
    assert codes(docs(business_license={"entity_type": "有限责任公司分公司"})) == {"ENT-NOT-INDEPENDENT-LEGAL-PERSON"}
    assert codes(docs(business_license={"registration_authority": "深圳市市场监督管理局"})) == {"ENT-NOT-DONGGUAN"}
    # the same name read only from a seal's ring, against a Dongguan code: not sure enough
    ringed = docs(business_license={"registration_authority": "莞市市市场监督管理局"})
    ringed.documents[1].fields["registration_authority"].label = "印章"
    assert ringed.documents[1].doc_type == "business_license"
    assert "ENT-NOT-DONGGUAN" not in codes(ringed)


def test_license_term_boundary_day():
    assert codes(docs(business_license={"term_end": DAY.isoformat()})) == set()
    assert codes(docs(business_license={"term_end": (DAY - timedelta(days=1)).isoformat()})) == {"ENT-LICENSE-EXPIRED"}


def test_representative_rules():
    assert codes(docs(id_card_front={"name": "李明华"})) == {"REP-NAME-MISMATCH"}
    bad = person_id()[:-1] + ("0" if person_id()[-1] != "0" else "1")
    assert "REP-ID-NUMBER-INVALID" in codes(docs(id_card_front={"id_number": bad}))
    young = {"birth_date": "1995-03-12", "id_number": person_id("19950312")}  # 10-year cards at 16-25
    assert codes(docs(id_card_front=young, id_card_back={"valid_from": "2016-11-20", "valid_to": DAY.isoformat()})) == set()
    expired = {"valid_from": "2015-11-19", "valid_to": "2025-11-19"}
    assert codes(docs(id_card_front=young, id_card_back=expired)) == {"REP-ID-EXPIRED"}
    assert codes(docs(id_card_front={"sex": "女"})) == {"REP-ID-INCONSISTENT"}
    assert codes(docs(id_card_back={"valid_to": "long_term"})) == {"REP-ID-INCONSISTENT"}


def test_leap_day_issue_date_is_consistent():
    young = {"birth_date": "1995-03-12", "id_number": person_id("19950312")}
    back = {"valid_from": "2016-02-29", "valid_to": "2026-02-28"}
    assert "REP-ID-INCONSISTENT" not in codes(docs(id_card_front=young, id_card_back=back), day=date(2026, 1, 1))


def test_name_mismatch_message_names_values():
    finding = validate(docs(id_card_front={"name": "李明华"}), DAY)[0]
    assert "「李明华」" in finding.message and "「李明」" in finding.message and finding.article == "第十三条"


def test_team_rules_and_namesakes():
    assert codes(docs(team_list={"members": []})) == {"TEAM-EMPTY"}
    other = person_id("19900101", "126")
    assert codes(docs(team_list={"members": [{"name": "王芳", "id_number": other}]})) == {"TEAM-MEMBER-NOT-INSURED"}
    assert codes(docs(team_list={"members": [{"name": "王芳", "id_number": None}]})) == set()
    misread_mask = person_id("19900101", "124")
    swapped = misread_mask[:14] + misread_mask[15] + misread_mask[14] + misread_mask[16:]
    assert codes(docs(social_insurance_proof={"insured": [{"name": "王芳", "id_number": "441900********" + swapped[-4:]}]})) == set()
    tail = person_id("19900101", "124")[-4:]
    assert codes(docs(social_insurance_proof={"insured": [{"name": "王芺", "id_number": "441900********" + tail}]})) == set()
    assert codes(docs(social_insurance_proof={"insured": [{"name": "王芺", "id_number": None}]})) == {"TEAM-MEMBER-NOT-INSURED"}
    half_read = {"insured": [{"name": "王芳", "id_number": "441900"}]}
    assert codes(docs(social_insurance_proof=half_read)) == set()
    # a watermark character glued on and one misread (供荷刚秀 for 何刚秀), the same ID tail
    member = {"name": "供荷刚秀", "id_number": person_id("19900101", "124")}
    insured = {"insured": [{"name": "何刚秀", "id_number": "441900********" + tail}]}
    assert codes(docs(team_list={"members": [member]}, social_insurance_proof=insured)) == set()
    # three characters apart is another person, whatever the tail
    stranger = {"insured": [{"name": "李明华", "id_number": "441900********" + tail}]}
    assert codes(docs(social_insurance_proof=stranger)) == {"TEAM-MEMBER-NOT-INSURED"}


def test_social_insurance_rules_and_stale_boundary():
    assert codes(docs(social_insurance_proof={"issuer": "国家税务总局深圳市税务局"})) == {"SI-NOT-DONGGUAN"}
    assert codes(docs(social_insurance_proof={"print_date": (DAY - timedelta(days=90)).isoformat()})) == set()
    assert codes(docs(social_insurance_proof={"print_date": (DAY - timedelta(days=91)).isoformat()})) == {"SI-STALE"}
    assert codes(docs(social_insurance_proof={"print_date": (DAY - timedelta(days=31)).isoformat()}),
                 settings=RuleSettings(si_max_age_days=30)) == {"SI-STALE"}
    found = codes(docs(social_insurance_proof={"employer_name": "东莞市别家科技有限公司"}))
    assert found == {"SI-EMPLOYER-MISMATCH", "XDOC-NAME-MISMATCH"}


def test_names_compare_after_normalisation():
    assert codes(docs(social_insurance_proof={"employer_name": "东莞市测试科技有限公司 "})) == set()
    a = docs(business_license={"name": "东莞市测试（科技）有限公司"}, application_letter={"applicant_name": "东莞市测试(科技)有限公司"},
             social_insurance_proof={"employer_name": "东莞市测试（科技）有限公司"})
    assert codes(a) == set()


def test_low_confidence_field_is_flagged_and_mentioned():
    result = docs(id_card_front={"name": "李朋"})
    result.documents[2].fields["name"].confidence = 0.5
    findings = validate(result, DAY)
    assert {f.code for f in findings} == {"REP-NAME-MISMATCH", "OCR-LOW-CONFIDENCE"}
    assert "置信度" in next(f for f in findings if f.code == "REP-NAME-MISMATCH").message


@given(st.dates(date(1930, 1, 1), date(2010, 12, 31)), st.integers(0, 999))
def test_generated_ids_validate_and_one_digit_change_fails(born, seq):
    number = person_id(born.strftime("%Y%m%d"), f"{seq:03d}")
    assert is_valid_ric(number)
    broken = number[:5] + str((int(number[5]) + 1) % 10) + number[6:]
    assert not is_valid_ric(broken)


def test_impossible_birth_date_is_invalid():
    body = "44190019990230123"
    assert not is_valid_ric(body + ric.calc_check_digit(body + "0"))


def test_repair_one_confusable_only():
    code = _valid_code("91441900MA4UJ8L25")
    if "0" in code[8:]:
        i = code.index("0", 8)
        damaged = code[:i] + "O" + code[i + 1 :]
        assert repair(damaged, uscc_ok) == (code, True)
    assert find_uscc(code) == (code, False)
    really_wrong = code[:-1] + ("A" if code[-1] != "A" else "B")
    value, corrected = find_uscc(really_wrong)
    assert not corrected and value == really_wrong or uscc_ok(value) is False or corrected


def test_id_number_repair():
    number = person_id()
    damaged = number.replace("1", "I", 1)
    assert find_id_number(damaged) == (number, True)


def test_dates_in_every_printed_form():
    assert parse_date("2019年3月5日") == "2019-03-05"
    assert parse_date("2019.03.05") == "2019-03-05"
    assert parse_date("2019-3-5") == "2019-03-05"
    assert parse_date("二〇一九年三月五日") == "2019-03-05"
    assert parse_date("二〇二〇年十二月二十一日") == "2020-12-21"
    assert parse_date("2019年2月30日") is None
    assert parse_date("2026:11.16") == "2026-11-16"  # a dot read as a colon under a stamp
    assert parse_date("签到 12:30") is None


def test_every_catalogue_code_has_a_rule_and_rules_lists_them():
    import subprocess
    import sys

    from validators import CATALOGUE, RULES

    assert {r.code for r in RULES} == set(CATALOGUE)
    out = subprocess.run([sys.executable, "-m", "dgintake.cli", "rules"], capture_output=True, text=True,
                         env={"COLUMNS": "200", "PATH": "/usr/bin:/bin"}, timeout=60).stdout
    assert all(code in out for code in CATALOGUE)


def test_malformed_printed_code_is_judged_and_an_old_registration_number_named():
    findings = validate(docs(business_license={"credit_code": "91441900MA4UJ8L25"}), DAY)
    invalid = [f for f in findings if f.code == "ENT-CREDIT-CODE-INVALID"]
    assert len(invalid) == 1 and "长度不是18位" in invalid[0].message
    old = docs(business_license={"credit_code": "441900000123456"})
    old.documents[1].fields["credit_code"].label = "注册号"
    message = next(f.message for f in validate(old, DAY) if f.code == "ENT-CREDIT-CODE-INVALID")
    assert "注册号" in message


def test_a_field_not_found_is_reported_not_compared():
    from dgintake.models import FieldValue

    result = docs()
    result.documents[1].fields["name"] = FieldValue()  # the licence's 名称 was not found
    result.documents[5].fields["issuer"] = FieldValue()
    findings = validate(result, DAY)
    assert {f.code for f in findings} == {"OCR-LOW-CONFIDENCE"}
    assert {f.evidence[0].field for f in findings} == {"business_license.name", "social_insurance_proof.issuer"}


def test_employer_mismatch_resting_on_an_unsure_applicant_name_says_so():
    result = docs(business_license={"name": "东莞市测式科技有限公司"}, application_letter={"applicant_name": "东莞市测式科技有限公司"})
    result.documents[1].fields["name"].confidence = 0.55
    message = next(f.message for f in validate(result, DAY) if f.code == "SI-EMPLOYER-MISMATCH")
    assert "置信度较低" in message


def test_pre_2016_registration_number_is_judged_as_no_credit_code_and_not_set_against_the_proof():
    result = docs(business_license={"credit_code": "441900000123452"})
    next(d for d in result.documents if d.doc_type == "business_license").fields["credit_code"].label = "注册号"
    assert codes(result) == {"ENT-CREDIT-CODE-INVALID", "XDOC-CREDIT-CODE-MISMATCH"}


def test_an_insured_number_read_off_the_proofs_masking_shows_no_tail_to_set_against_the_team():
    member = person_id("19900101", "124")
    insured = [{"name": n, "id_number": "4419**********" + t} for n, t in (("赵一", "1234"), ("钱二", "2345"), ("孙三", "3456"))]
    # 王芳's masked number read with a star as a digit and a digit doubled: tail 4135, not hers
    misread = {"name": "王芳", "id_number": "4419*********" + "6" + member[-4:][:1] + "1" + member[-4:][1:][:2]}
    assert len(misread["id_number"]) == 18
    assert "TEAM-MEMBER-NOT-INSURED" not in codes(docs(social_insurance_proof={"insured": insured + [misread]}))
    # read on the proof's own masking, a different tail is another person
    other = {"name": "王芳", "id_number": "4419**********" + ("0000" if member[-4:] != "0000" else "1111")}
    assert "TEAM-MEMBER-NOT-INSURED" in codes(docs(social_insurance_proof={"insured": insured + [other]}))
