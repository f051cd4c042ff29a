"""Field extraction: one module per document type, registered here.

Adding a document type is one module with an `extract(pages) -> dict[str, FieldValue]`
function plus one line in EXTRACTORS.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from dgintake.models import FIELDS_BY_DOC_TYPE, FieldValue, Seal
from extractors.fields import application_letter, business_license, id_card, social_insurance, team_list
from extractors.page import Page
from extractors.seal import find_seals

FieldExtractor = Callable[[list[Page]], dict[str, FieldValue]]

EXTRACTORS: dict[str, FieldExtractor] = {
    "application_letter": application_letter.extract,
    "business_license": business_license.extract,
    "id_card_front": id_card.extract_front,
    "id_card_back": id_card.extract_back,
    "team_list": team_list.extract,
    "social_insurance_proof": social_insurance.extract,
}


@dataclass
class ExtractedDocument:
    fields: dict[str, FieldValue]
    sealed: bool | None
    seals: list[Seal] = field(default_factory=list)


def page_seals(page: Page) -> list[Seal]:
    seals = []
    if page.image is not None:
        factor = 1 / page.image_scale
        for hit in find_seals(page.image):
            seals.append(Seal(page=page.number, bbox=[round(v * factor, 1) for v in hit.bbox]))
    for picture in page.images:  # e-seal pictures pasted into a Word file
        for _hit in find_seals(picture, min_fraction=0.2):
            seals.append(Seal(page=page.number, bbox=[]))
            break
    return seals


def extract_document(doc_type: str, pages: list[Page]) -> ExtractedDocument:
    names = FIELDS_BY_DOC_TYPE.get(doc_type, ())
    fields = {name: FieldValue() for name in names}
    extractor = EXTRACTORS.get(doc_type)
    if extractor is not None:
        fields.update(extractor(pages))
    seals = [seal for page in pages for seal in page_seals(page)]
    return ExtractedDocument(fields=fields, sealed=bool(seals), seals=seals)
