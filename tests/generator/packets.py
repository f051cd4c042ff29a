"""Whole packets in every form intake sees, each with its ground truth beside it.

A packet is written as `<name>` (folder, .zip or .pdf) plus `<name>.truth.json`
holding the page classes, the fields of every document and the expected finding
codes. Nothing here special-cases the pipeline: it only draws and degrades.
"""

from __future__ import annotations

import io
import json
import random
import zipfile
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from PIL import Image

from tests.generator import documents as docs
from tests.generator.draw import photocopy, scan, seal_image, stamp, watermark
from tests.generator.identities import Company, Person, make_company, make_person

FORMS = ("folder", "zip", "bundle_pdf")
SUBMITTED_ON = date(2026, 11, 20)


@dataclass
class PacketSpec:
    seed: int
    form: str = "folder"
    degrade: bool = True
    submitted_on: date = SUBMITTED_ON
    defects: tuple[str, ...] = ()
    team_size: int = 4


@dataclass
class Built:
    spec: PacketSpec
    company: Company
    rep: Person
    drawn: list[docs.DrawnDoc] = field(default_factory=list)


class GbkZipInfo(zipfile.ZipInfo):
    """Member names in GBK without the UTF-8 flag, as Chinese Windows writes them."""

    def _encodeFilenameFlags(self):  # noqa: N802 (zipfile's own name)
        return self.filename.encode("gbk"), self.flag_bits & ~0x800


def build(spec: PacketSpec) -> Built:
    rng = random.Random(spec.seed)
    today = spec.submitted_on
    company = make_company(rng, today)
    rep = make_person(rng, (28, 60), today)
    company.team = [make_person(rng, (22, 50), today) for _ in range(spec.team_size)]
    built = Built(spec, company, rep)
    issuer = f"东莞市公安局{company.town.replace('街道', '').replace('镇', '')}分局" if rng.random() < 0.7 else "东莞市公安局"
    validity = docs.id_validity(rep, rng, today)
    insured = [
        {
            "name": m.name,
            "shown_id": docs.mask_id(m.id_number) if rng.random() < 0.6 else m.id_number,
            "months": 0,
            "period_from": "",
            "period_to": "",
        }
        for m in company.team
    ]
    for row in insured:
        start = today - timedelta(days=rng.randrange(200, 1500))
        end = today - timedelta(days=rng.randrange(20, 60))
        row["period_from"], row["period_to"] = f"{start:%Y-%m}", f"{end:%Y-%m}"
        row["months"] = (end.year - start.year) * 12 + end.month - start.month + 1
    print_date = today - timedelta(days=rng.randrange(1, 40))
    si_issuer = rng.choice(["国家税务总局东莞市税务局", "东莞市社会保险基金管理中心"])
    built.drawn.append(docs.application_letter(company, rep, rng, today - timedelta(days=rng.randrange(0, 10))))
    built.drawn.append(docs.business_license(company, rep, rng))
    built.drawn.extend(docs.id_card(rep, rng, today, issuer, validity))
    built.drawn.append(docs.team_list(company, rng))
    built.drawn.append(docs.social_insurance(company, rng, print_date, si_issuer, insured))
    # The applicant seals the letter (always, unless a defect says otherwise) and most
    # copies; the stamp goes on after photocopying, so it stays red.
    for drawn in built.drawn:
        letter = drawn.doc_type == "application_letter"
        sealed = (letter and "PKT-NOT-SEALED" not in spec.defects) or (
            not letter and drawn.seal_centre is not None and rng.random() < 0.6
        )
        drawn.sealed = bool(sealed and drawn.seal_centre)
    return built


def finish_page(drawn: docs.DrawnDoc, index: int, image: Image.Image, rng: random.Random, degrade: bool, name: str):
    """Photocopy (maybe), stamp the applicant's seal on the last page, then scan."""
    if degrade and rng.random() < 0.35:
        image = photocopy(image, rng)
    else:
        image = image.copy()
    if drawn.sealed and index == len(drawn.pages) - 1:
        stamp(image, seal_image(name, 210, rng), drawn.seal_centre, rng)
    return degrade_page(image, rng) if degrade else image


def degrade_page(image: Image.Image, rng: random.Random) -> Image.Image:
    if rng.random() < 0.4:
        watermark(image, rng)
    quarter = rng.choice([0, 0, 0, 0, 0, 90, 180, 270])
    return scan(
        image,
        rng,
        quarter=quarter,
        skew=rng.uniform(-3.0, 3.0),
        blur=rng.choice([0, 0, 0.6, 0.9]),
        jpeg=rng.choice([0, 85, 70]),
    )


def _page_bytes(image: Image.Image, fmt: str) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **({"quality": 88} if fmt == "JPEG" else {}))
    return buffer.getvalue()


FILE_NAMES = {
    "application_letter": "变更申请书",
    "business_license": "营业执照复印件",
    "id_card_front": "法人身份证正面",
    "id_card_back": "法人身份证反面",
    "team_list": "本地服务团队名单",
    "social_insurance_proof": "社保证明",
}


def _file_stem(doc_type) -> str:
    if isinstance(doc_type, list):
        return "法定代表人身份证复印件"
    return FILE_NAMES[doc_type]


def write(spec: PacketSpec, out_dir: Path) -> Path:
    """Build and write one packet; return its path (truth JSON beside it)."""
    built = build(spec)
    rng = random.Random(spec.seed * 7919 + 1)
    out_dir.mkdir(parents=True, exist_ok=True)
    name = f"packet-{spec.seed:04d}-{spec.form}"
    pages: list[tuple[object, Image.Image, dict]] = []
    for drawn in built.drawn:
        for index, image in enumerate(drawn.pages):
            pages.append((drawn, finish_page(drawn, index, image, rng, spec.degrade, built.company.name), {}))
    truth_docs, files = [], []
    if spec.form == "bundle_pdf":
        order = list(range(len(built.drawn)))
        rng.shuffle(order)
        images, page_no = [], 1
        for index in order:
            drawn = built.drawn[index]
            numbers = []
            for drawn_page, image, _ in pages:
                if drawn_page is drawn:
                    images.append(image.convert("RGB"))
                    numbers.append(page_no)
                    page_no += 1
            truth_docs.append({"doc_type": drawn.doc_type, "file": f"{name}.pdf", "pages": numbers, "fields": drawn.fields})
        target = out_dir / f"{name}.pdf"
        images[0].save(target, "PDF", save_all=True, append_images=images[1:], resolution=docs.DPI)
    else:
        for drawn in built.drawn:
            own = [image for d, image, _ in pages if d is drawn]
            stem = _file_stem(drawn.doc_type)
            if len(own) > 1 or rng.random() < 0.3:
                data = _pdf_bytes(own)
                filename = f"{stem}.pdf"
            else:
                fmt = rng.choice(["JPEG", "PNG"])
                data = _page_bytes(own[0], fmt)
                filename = f"{stem}.{'jpg' if fmt == 'JPEG' else 'png'}"
            if rng.random() < 0.3:
                filename = f"附件/{filename}"
            files.append((filename, data))
            truth_docs.append({"doc_type": drawn.doc_type, "file": filename, "pages": list(range(1, len(own) + 1)), "fields": drawn.fields})
        if spec.form == "zip":
            target = out_dir / f"{name}.zip"
            with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
                for filename, data in files:
                    info = GbkZipInfo(filename)
                    info.compress_type = zipfile.ZIP_DEFLATED
                    archive.writestr(info, data)
        else:
            target = out_dir / name
            for filename, data in files:
                path = target / filename
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(data)
    truth = {
        "seed": spec.seed,
        "form": spec.form,
        "submitted_on": spec.submitted_on.isoformat(),
        "documents": truth_docs,
        "expected_codes": sorted(set(spec.defects)),
    }
    (out_dir / f"{target.name}.truth.json").write_text(json.dumps(truth, ensure_ascii=False, indent=1), encoding="utf-8")
    return target


def _pdf_bytes(images: list[Image.Image]) -> bytes:
    buffer = io.BytesIO()
    images[0].convert("RGB").save(buffer, "PDF", save_all=True, append_images=[i.convert("RGB") for i in images[1:]], resolution=docs.DPI)
    return buffer.getvalue()


def write_sample_set(out_dir: Path, count: int = 3, seed: int = 7, degrade: bool = True) -> list[Path]:
    return [write(PacketSpec(seed=seed + i, form=FORMS[i % len(FORMS)], degrade=degrade), out_dir) for i in range(count)]
