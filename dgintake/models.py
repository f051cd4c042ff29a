"""The packet-result contract (CONTRACT.md) as typed models.

Other systems read exactly this shape: keys may be added, never renamed.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

SCHEMA = "dgintake.packet-result/1"

DocType = Literal[
    "application_letter",
    "business_license",
    "id_card_front",
    "id_card_back",
    "team_list",
    "social_insurance_proof",
    "unknown",
]
Severity = Literal["blocker", "warning", "info"]
Verdict = Literal["pass", "needs_review", "fail"]

# Required documents, in the order Article 13 lists them.
REQUIRED_DOC_TYPES: tuple[str, ...] = (
    "application_letter",
    "business_license",
    "id_card_front",
    "id_card_back",
    "team_list",
    "social_insurance_proof",
)

FIELDS_BY_DOC_TYPE: dict[str, tuple[str, ...]] = {
    "application_letter": (
        "applicant_name",
        "credit_code",
        "change_items",
        "contact_person",
        "contact_phone",
        "application_date",
    ),
    "business_license": (
        "credit_code",
        "name",
        "entity_type",
        "legal_representative",
        "registered_capital",
        "established_date",
        "term_end",
        "address",
        "business_scope",
        "registration_authority",
        "issue_date",
    ),
    "id_card_front": ("name", "sex", "ethnicity", "birth_date", "address", "id_number"),
    "id_card_back": ("issuing_authority", "valid_from", "valid_to"),
    "team_list": ("members",),
    "social_insurance_proof": ("employer_name", "employer_credit_code", "issuer", "print_date", "insured"),
    "unknown": (),
}


class FieldValue(BaseModel):
    value: Any = None
    confidence: float = 0.0
    page: int | None = None
    bbox: list[float] | None = None
    corrected: bool = False
    label: str | None = None  # the printed label the value stood next to, where it matters


class Seal(BaseModel):
    page: int
    bbox: list[float] | None = None  # None for a picture inside a Word file
    text: str | None = None
    names_applicant: bool | None = None


class Document(BaseModel):
    doc_type: DocType
    file: str
    pages: list[int]
    classification_confidence: float
    sealed: bool | None = None
    fields: dict[str, FieldValue] = Field(default_factory=dict)
    seals: list[Seal] = Field(default_factory=list)
    text_source: str | None = None


class Evidence(BaseModel):
    file: str | None = None
    page: int | None = None
    field: str | None = None
    bbox: list[float] | None = None


class Finding(BaseModel):
    code: str
    severity: Severity
    article: str
    message: str
    evidence: list[Evidence] = Field(default_factory=list)


class FileReport(BaseModel):
    """How one file of the packet was read (an addition to the contract's keys)."""

    file: str
    kind: str
    pages: int = 0
    status: Literal["read", "partial", "unreadable"] = "read"
    reason: str | None = None


class PacketInfo(BaseModel):
    source: str
    submitted_on: str
    kind: str = "entity_change"


class Timings(BaseModel):
    total_s: float = 0.0
    ocr_s: float = 0.0
    read_s: float = 0.0
    extract_s: float = 0.0  # classification and extraction, their recogniser calls aside
    extract_ocr_s: float = 0.0  # the recogniser's time during extraction (boxes read again, seal rings)
    validate_s: float = 0.0


class PacketResult(BaseModel):
    schema_: str = Field(SCHEMA, alias="schema")
    packet: PacketInfo
    verdict: Verdict
    documents: list[Document] = Field(default_factory=list)
    findings: list[Finding] = Field(default_factory=list)
    files: list[FileReport] = Field(default_factory=list)
    timings: Timings = Field(default_factory=Timings)

    model_config = {"populate_by_name": True}

    def to_json_dict(self) -> dict:
        return self.model_dump(by_alias=True, mode="json")
