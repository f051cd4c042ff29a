"""A packet's documents read against each other where a check character decides."""

from dgintake.models import Document, FieldValue
from extractors.reconcile import reconcile_credit_codes

CODE = "91441900NP998QGW18"  # passes its check character
MISREAD = "91441900NP9980GW18"  # Q read as 0: fails, and two single repairs pass on their own


def _doc(doc_type: str, name: str, value: str, confidence: float) -> Document:
    return Document(doc_type=doc_type, file="f.pdf", pages=[1], classification_confidence=0.9,
                    fields={name: FieldValue(value=value, confidence=confidence)})


def test_a_misread_code_one_confusable_from_another_documents_code_is_that_code():
    licence = _doc("business_license", "credit_code", MISREAD, 0.98)
    letter = _doc("application_letter", "credit_code", CODE, 0.99)
    reconcile_credit_codes([licence, letter])
    field = licence.fields["credit_code"]
    assert field.value == CODE and field.corrected and field.confidence <= 0.9


def test_a_code_invalid_on_every_document_stays_as_printed():
    licence = _doc("business_license", "credit_code", MISREAD, 0.98)
    proof = _doc("social_insurance_proof", "employer_credit_code", MISREAD, 0.97)
    reconcile_credit_codes([licence, proof])
    assert licence.fields["credit_code"].value == MISREAD and not licence.fields["credit_code"].corrected


def test_two_documents_agreeing_on_a_valid_code_are_both_sure_of_it():
    licence = _doc("business_license", "credit_code", CODE, 0.99)
    letter = _doc("application_letter", "credit_code", CODE, 0.68)
    other = _doc("social_insurance_proof", "employer_credit_code", "91441900MA4UJXXX1X", 0.6)
    reconcile_credit_codes([licence, letter, other])
    assert letter.fields["credit_code"].confidence >= 0.95
    assert other.fields["employer_credit_code"].confidence == 0.6
