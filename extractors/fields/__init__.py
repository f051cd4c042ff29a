"""Field extraction: one module per document type, registered here.

Adding a document type is one module with an `extract(pages) -> dict[str, FieldValue]`
function plus one line in EXTRACTORS.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from dgintake.models import FIELDS_BY_DOC_TYPE, FieldValue, Seal
from extractors.fields import application_letter, business_license, id_card, social_insurance, team_list
from extractors.lexicon import (
    SI_ISSUERS,
    authority_from_reading,
    known_or_read,
    reading_confidence,
    registration_authorities,
    snap,
)
from extractors.page import Page
from extractors.seal import GREY_INKS, find_round_stamps, find_seals, unwrap_ring
from extractors.values import address_town

FieldExtractor = Callable[[list[Page]], dict[str, FieldValue]]
SealReader = Callable[[np.ndarray], str]  # unwrapped ring strip -> text

EXTRACTORS: dict[str, FieldExtractor] = {
    "application_letter": application_letter.extract,
    "business_license": business_license.extract,
    "id_card_front": id_card.extract_front,
    "id_card_back": id_card.extract_back,
    "team_list": team_list.extract,
    "social_insurance_proof": social_insurance.extract,
}
# Whose seal text matters: the applicant's on the letter, the authority's on the licence
# (its name is often printed nowhere else), the issuer's on the insurance proof.
READ_SEALS_OF = {"application_letter", "business_license", "social_insurance_proof"}
MAX_SEALS_READ = 3


@dataclass
class ExtractedDocument:
    fields: dict[str, FieldValue]
    sealed: bool | None
    seals: list[Seal] = field(default_factory=list)


def page_seals(page: Page, reader: SealReader | None = None) -> list[Seal]:
    seals = []
    if page.image is not None:
        factor = 1 / page.image_scale
        for hit in find_seals(page.image):
            text = None
            if reader is not None and len(seals) < MAX_SEALS_READ:
                strip = unwrap_ring(page.image, hit.bbox)
                text = reader(strip) if strip is not None else None
            seals.append(Seal(page=page.number, bbox=[round(v * factor, 1) for v in hit.bbox], text=text or None))
    for picture in page.images:  # e-seal pictures pasted into a Word file
        for hit in find_seals(picture, min_fraction=0.2, max_fraction=1.0):
            strip = unwrap_ring(picture, hit.bbox) if reader is not None else None
            seals.append(Seal(page=page.number, bbox=None, text=(reader(strip) if strip is not None else None) or None))
            break
    return seals


def _stamp_readings(pages: list[Page], seals: list[Seal], reader: SealReader | None):
    """(text, page, bbox) of every seal's ring: the red seals as read, then every round
    stamp (a seal a photocopy turned grey) looked at as grey ink."""
    for seal in seals:
        yield "".join((seal.text or "").split()), seal.page, seal.bbox or None
    if reader is None:
        return
    for page in pages:
        if page.image is None:
            continue
        factor = 1 / page.image_scale
        for hit in find_round_stamps(page.image)[:MAX_SEALS_READ]:
            for ink in GREY_INKS:
                strip = unwrap_ring(page.image, hit.bbox, ink_of=ink)
                reading = reader(strip) if strip is not None else ""
                yield "".join(reading.split()), page.number, [round(v * factor, 1) for v in hit.bbox]


def _issuer_from_stamps(pages: list[Page], fields: dict[str, FieldValue], seals: list[Seal], reader: SealReader | None) -> None:
    """The proof's issuer, printed only inside its seal (or its print lost under it): the
    first ring reading that names a known issuer, or an issuer's wording."""
    for text, number, bbox in _stamp_readings(pages, seals, reader):
        match = social_insurance.ISSUER.search(text)
        value = known_or_read(match.group(1), SI_ISSUERS) if match else snap(text, SI_ISSUERS)
        if value:
            fields["issuer"] = FieldValue(value=value, confidence=reading_confidence(text, value), page=number,
                                          bbox=bbox, label="印章")
            return


def _authority_from_stamps(pages: list[Page], fields: dict[str, FieldValue], seals: list[Seal], reader: SealReader) -> None:
    """The licence's authority, printed nowhere but in its seal. A known Dongguan name
    wins over another reading; among known names, the one most looks give, then the
    best-read."""
    town = address_town(fields["address"].value if "address" in fields else None)
    candidates = [(value, reading_confidence(text, value), number, bbox)
                  for text, number, bbox in _stamp_readings(pages, seals, reader)
                  if (value := authority_from_reading(text, town))]
    if not candidates:
        return
    known = [c for c in candidates if c[0] in registration_authorities()]
    # a ring read short loses the branch (…管理局 of …管理局塘厦分局); none invents one
    branches = [c for c in known if c[0].endswith("分局")]
    pool = branches or known or candidates
    # a ring read from a little past its start loses the first characters (圳市… for
    # 深圳市…): such a reading votes for the whole name it ends
    read = Counter(c[0] for c in pool)
    votes = {name: sum(n for other, n in read.items() if name.endswith(other)) for name in read}
    value, confidence, number, bbox = max(pool, key=lambda c: (votes[c[0]], c[1]))
    fields["registration_authority"] = FieldValue(value=value, confidence=confidence, page=number, bbox=bbox, label="印章")


def extract_document(doc_type: str, pages: list[Page], seal_reader: SealReader | None = None) -> ExtractedDocument:
    names = FIELDS_BY_DOC_TYPE.get(doc_type, ())
    fields = {name: FieldValue() for name in names}
    extractor = EXTRACTORS.get(doc_type)
    if extractor is not None:
        fields.update(extractor(pages))
    reader = seal_reader if doc_type in READ_SEALS_OF else None
    seals = [seal for page in pages for seal in page_seals(page, reader)]
    if doc_type == "business_license" and reader is not None and fields["registration_authority"].value is None:
        _authority_from_stamps(pages, fields, seals, reader)
    if doc_type == "social_insurance_proof" and fields["issuer"].value is None:
        _issuer_from_stamps(pages, fields, seals, reader)
    return ExtractedDocument(fields=fields, sealed=bool(seals), seals=seals)
