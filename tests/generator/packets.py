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

from tests.generator import defects, digital, holdout
from tests.generator import documents as docs
from tests.generator.draw import photocopy, photograph, scan, seal_image, stamp, watermark
from tests.generator.identities import CHANGE_ITEMS, Company, Person, make_company, make_person

FORMS = ("folder", "zip", "bundle_pdf")
SUBMITTED_ON = date(2026, 11, 20)


@dataclass
class PacketSpec:
    seed: int
    form: str = "folder"
    degrade: bool = True
    submitted_on: date = SUBMITTED_ON
    defects: tuple[str, ...] = ()
    team_size: int | None = None  # None: drawn from the seed (2-16, so lists run over pages)
    family: str = "tuned"  # "holdout": the layout family extraction is never tuned on (holdout.py)


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
    company.team = [make_person(rng, (22, 50), today) for _ in range(spec.team_size or rng.randrange(2, 17))]
    built = Built(spec, company, rep)
    issuer = f"东莞市公安局{company.town.replace('街道', '').replace('镇', '')}分局" if rng.random() < 0.7 else "东莞市公安局"
    validity = docs.id_validity(rep, rng, today)
    print_date = today - timedelta(days=rng.randrange(1, 40))
    si_issuer = rng.choice(["国家税务总局东莞市税务局", "东莞市社会保险基金管理中心"])
    v = defects.apply(spec.defects, company, rep, rng, today, si_issuer, print_date)
    insured = []
    # drawn apart from the packet's own generator so adding styles does not reshuffle packets
    mask_style = random.Random(spec.seed * 7919 + 1).choice(docs.MASK_STYLES)
    for m in v.insured_people:
        start = today - timedelta(days=rng.randrange(200, 1500))
        end = today - timedelta(days=rng.randrange(20, 60))
        insured.append({
            "name": m.name,
            "shown_id": docs.mask_id(m.id_number, mask_style) if rng.random() < 0.6 else m.id_number,
            "period_from": f"{start:%Y-%m}",
            "period_to": f"{end:%Y-%m}",
            "months": (end.year - start.year) * 12 + end.month - start.month + 1,
        })
    letter_date = today - timedelta(days=rng.randrange(0, 10))
    if spec.family == "holdout":
        wanted = {
            "PKT-MISSING-LETTER": [holdout.application_letter(v.letter_company, rep, rng, letter_date, rng.choice(CHANGE_ITEMS))],
            "PKT-MISSING-LICENSE": [holdout.business_license(v.licence_company, v.licence_rep, rng)],
            "PKT-MISSING-ID": holdout.id_card(v.card_person, rng, issuer, v.validity or validity),
            "PKT-MISSING-TEAM-LIST": [docs.team_list(v.licence_company, rng, members=v.team_drawn, order=(0, 1, 3, 2, 4))],
            "PKT-MISSING-SOCIAL-INSURANCE": [docs.social_insurance(v.si_company, rng, v.print_date, v.si_issuer, insured,
                                                                   header_block=holdout.social_insurance_header)],
        }
    else:
        wanted = {
            "PKT-MISSING-LETTER": [docs.application_letter(v.letter_company, rep, rng, letter_date)],
            "PKT-MISSING-LICENSE": [docs.business_license(v.licence_company, v.licence_rep, rng)],
            "PKT-MISSING-ID": docs.id_card(v.card_person, rng, today, issuer, v.validity or validity),
            "PKT-MISSING-TEAM-LIST": [docs.team_list(v.licence_company, rng, members=v.team_drawn)],
            "PKT-MISSING-SOCIAL-INSURANCE": [docs.social_insurance(v.si_company, rng, v.print_date, v.si_issuer, insured)],
        }
    if rng.random() < 0.3:
        built.drawn.append(docs.contents_page(v.letter_company, rng))
    for key, drawn_docs in wanted.items():
        for drawn in drawn_docs:
            if key != "PKT-MISSING-ID" and key in v.missing:
                continue
            if key == "PKT-MISSING-ID":
                drawn = _drop_card_sides(drawn, v.missing)
                if drawn is None:
                    continue
            built.drawn.append(drawn)
    # The applicant seals the letter (always, unless a defect says otherwise) and most
    # copies; the stamp goes on after photocopying, so it stays red.
    for drawn in built.drawn:
        letter = drawn.doc_type == "application_letter"
        sealed = (letter and "PKT-NOT-SEALED" not in spec.defects) or (
            not letter and drawn.seal_centre is not None and rng.random() < 0.6
        )
        drawn.sealed = bool(sealed and drawn.seal_centre)
    return built


def _drop_card_sides(drawn: docs.DrawnDoc, missing: set[str]):
    """Leave out a card side: a separate picture goes; on a shared A4 copy the side is blanked."""
    drop = {t for t, code in (("id_card_front", "PKT-MISSING-ID-FRONT"), ("id_card_back", "PKT-MISSING-ID-BACK")) if code in missing}
    types = drawn.doc_type if isinstance(drawn.doc_type, list) else [drawn.doc_type]
    keep = [t for t in types if t not in drop]
    if not keep:
        return None
    if len(keep) < len(types):  # an A4 copy of one side only: paint the other out
        page = drawn.pages[0]
        if drawn.card_boxes:
            box = drawn.card_boxes["id_card_back" if keep == ["id_card_front"] else "id_card_front"]
        else:
            box = (260, 760, 260 + docs.CARD[0], 760 + docs.CARD[1]) if keep == ["id_card_front"] else (260, 180, 260 + docs.CARD[0], 180 + docs.CARD[1])
        page.paste((255, 255, 255), box)
        prefix = set(docs.FRONT_FIELDS if keep == ["id_card_front"] else docs.BACK_FIELDS)
        drawn = docs.DrawnDoc(keep[0], [page], {k: v for k, v in drawn.fields.items() if k in prefix}, drawn.seal_centre)
    return drawn


def finish_page(drawn: docs.DrawnDoc, index: int, image: Image.Image, rng: random.Random, degrade: bool, name: str,
                photo_rng: random.Random | None = None):
    """Photocopy (maybe), stamp the applicant's seal on the last page, then scan; a
    licence is sometimes a phone photo instead (`photo_rng` draws which, and how)."""
    if degrade and rng.random() < 0.35:
        image = photocopy(image, rng)
    else:
        image = image.copy()
    if drawn.sealed and index == len(drawn.pages) - 1:
        stamp(image, seal_image(name, 210, rng), drawn.seal_centre, rng)
    if degrade and photo_rng is not None and drawn.doc_type == "business_license" and photo_rng.random() < 0.3:
        # on a desk, in perspective, maybe with glare, 1,400-2,200 px across the licence
        return photograph(image, photo_rng, width=photo_rng.randrange(1400, 2200))
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
    "unknown": "材料目录",
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
    # photos draw from a stream of their own, so the rest of a seed's packet stays as it was
    photo_rng = random.Random(spec.seed * 104729 + 3) if spec.family == "tuned" else None
    for drawn in built.drawn:
        for index, image in enumerate(drawn.pages):
            pages.append((drawn, finish_page(drawn, index, image, rng, spec.degrade, built.company.name, photo_rng), {}))
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
            digital_file = _digital(drawn, built, rng, stem)
            if digital_file:
                filename, data = digital_file
                files.append((filename, data))
                truth_docs.append({"doc_type": drawn.doc_type, "file": filename, "pages": [1], "fields": drawn.fields})
                continue
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
        "expected_codes": defects.expected_codes(spec.defects),
    }
    (out_dir / f"{target.name}.truth.json").write_text(json.dumps(truth, ensure_ascii=False, indent=1), encoding="utf-8")
    return target


def _digital(drawn: docs.DrawnDoc, built: Built, rng: random.Random, stem: str) -> tuple[str, bytes] | None:
    """Some documents arrive born-digital rather than scanned."""
    kind, roll = drawn.doc_type, rng.random()
    title = f"{built.company.name}本地服务团队名单"
    if kind == "application_letter" and roll < 0.25:
        return f"{stem}.docx", digital.letter_docx(drawn.fields, rng, drawn.sealed)
    if kind == "team_list" and drawn.fields["members"]:
        if roll < 0.2:
            return f"{stem}.xlsx", digital.team_xlsx(drawn.fields, title)
        if roll < 0.4:
            return f"{stem}.docx", digital.team_docx(drawn.fields, title)
        if roll < 0.55:
            rows = [[i + 1, m["name"], m["role"], m["id_number"], m["phone"]] for i, m in enumerate(drawn.fields["members"])]
            return f"{stem}.pdf", digital.table_pdf(title, [], digital.TEAM_HEADER, rows, ["填报单位（盖章）"],
                                                    [10, 20, 25, 45, 30], None, rng)
    if kind == "social_insurance_proof" and roll < 0.2 and drawn.fields["insured"]:
        f = drawn.fields
        rows = [[i + 1, r["name"], r["id_number"], "养老保险", f"{r['period_from']}至{r['period_to']}", r["months"]]
                for i, r in enumerate(f["insured"])]
        printed = f["print_date"]
        return f"{stem}.pdf", digital.table_pdf(
            "社会保险参保缴费证明",
            [f"单位名称：{f['employer_name']}", f"统一社会信用代码：{f['employer_credit_code']}"],
            ["序号", "姓名", "证件号码", "险种", "缴费起止年月", "月数"], rows,
            [f"打印日期：{printed[:4]}年{printed[5:7]}月{printed[8:]}日", f"出具机构：{f['issuer']}"],
            [10, 18, 40, 22, 40, 12], f["issuer"], rng,
        )
    return None


def _pdf_bytes(images: list[Image.Image]) -> bytes:
    buffer = io.BytesIO()
    images[0].convert("RGB").save(buffer, "PDF", save_all=True, append_images=[i.convert("RGB") for i in images[1:]], resolution=docs.DPI)
    return buffer.getvalue()


def write_sample_set(out_dir: Path, count: int = 3, seed: int = 7, degrade: bool = True) -> list[Path]:
    return [write(PacketSpec(seed=seed + i, form=FORMS[i % len(FORMS)], degrade=degrade), out_dir) for i in range(count)]


def write_eval_set(out_dir: Path, count: int = 30, seed: int = 2000, family: str = "tuned") -> list[Path]:
    """A fixed-seed degraded set: every form, a third clean, the rest carrying one
    catalogue defect each, cycling through the whole catalogue."""
    names = sorted(defects.DEFECTS)
    paths = []
    for i in range(count):
        chosen = () if i % 3 == 0 else (names[(i - 1 - i // 3) % len(names)],)
        paths.append(write(PacketSpec(seed=seed + i, form=FORMS[i % len(FORMS)], defects=chosen, family=family), out_dir))
    return paths
