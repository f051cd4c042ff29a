"""One packet's documents read against each other, where a check character decides.

A credit code printed on several documents of one application is the same code: the
licence, the letter and the insurance proof copy it from one register. A reading that
fails its check character but is one confusable character (0/D/Q, 1/I/T …) from a code
that passes on another document of the packet is that code misread; on its own page the
repair is ambiguous (two substitutions pass), across the packet it is not. A code that
fails on every document stays as read, for the rules to judge. Two documents read
apart that agree on a code passing its check are both sure of it, however unsure the
recogniser was of one of them.
"""

from __future__ import annotations

from dgintake.models import Document
from extractors.fields.common import single_repairs, uscc_ok

CREDIT_CODE_FIELDS = {
    "business_license": "credit_code",
    "application_letter": "credit_code",
    "social_insurance_proof": "employer_credit_code",
}


def reconcile_credit_codes(documents: list[Document]) -> None:
    """Put right, in place, a credit code one confusable character from another
    document's valid one; raise the confidence of a valid code another document agrees on."""
    fields = [doc.fields[name] for doc in documents
              if (name := CREDIT_CODE_FIELDS.get(doc.doc_type)) and name in doc.fields]
    valid = {f.value for f in fields if isinstance(f.value, str) and uscc_ok(f.value)}
    for field in fields:
        if not isinstance(field.value, str):
            continue
        if field.value in valid:
            agreeing = [f.confidence for f in fields if f is not field and f.value == field.value]
            if agreeing:
                field.confidence = round(max(field.confidence, min(max(agreeing), 0.97)), 3)
            continue
        matches = [code for code in single_repairs(field.value, uscc_ok) if code in valid]
        if len(matches) == 1:
            field.value, field.corrected = matches[0], True
            field.confidence = round(min(field.confidence, 0.9), 3)
