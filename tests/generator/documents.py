"""The six document types, drawn as their real counterparts look (DOMAIN.md).

Each function returns page images (before scanning) and the fields a reviewer would
read off them, in the contract's normalised form.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from PIL import Image

from tests.generator.draw import Sheet, seal_image, stamp
from tests.generator.identities import CHANGE_ITEMS, Company, Person

DPI = 150
A4 = (int(8.27 * DPI), int(11.69 * DPI))


@dataclass
class DrawnDoc:
    doc_type: str | list[str]
    pages: list[Image.Image]
    fields: dict
    seal_centre: tuple[int, int] | None = None  # where the applicant stamps, on the last page
    sealed: bool = False


def cn_date(d: date, rng: random.Random) -> str:
    style = rng.choice(["cn", "cn", "dot", "dash"])
    if style == "cn":
        return f"{d.year}年{d.month:02d}月{d.day:02d}日" if rng.random() < 0.5 else f"{d.year}年{d.month}月{d.day}日"
    if style == "dot":
        return f"{d:%Y.%m.%d}"
    return f"{d:%Y-%m-%d}"


def business_license(company: Company, rep: Person, rng: random.Random) -> DrawnDoc:
    landscape = rng.random() < 0.65
    size = (A4[1], A4[0]) if landscape else A4
    s = Sheet(*size, rng=rng)
    w, h = size
    s.draw.rectangle([30, 30, w - 30, h - 30], outline=(150, 110, 60), width=8)
    s.text((80, 90), "统一社会信用代码", 24)
    s.text((80, 125), company.credit_code, 30)
    s.draw.rectangle([w - 230, 80, w - 90, 220], outline=(20, 20, 20), width=3)  # QR code
    s.centered(150, "营业执照", 78, bold=True, spacing=0.6)
    s.centered(245, "（副本）" if rng.random() < 0.7 else "", 30)
    term = "长期" if company.term_end is None else f"{company.term_end.year}年{company.term_end.month:02d}月{company.term_end.day:02d}日"
    established = f"{company.established.year}年{company.established.month:02d}月{company.established.day:02d}日"
    items_left = [
        ("名称", company.name),
        ("类型", company.entity_type),
        (company.rep_label, rep.name),
        ("经营范围", company.scope),
    ]
    items_right = [
        ("注册资本", company.capital),
        ("成立日期", established),
        ("营业期限", f"{established}至{term}"),
        (company.address_label, company.address),
    ]
    size_t = 24
    label_w = 150
    if landscape:
        columns = [(90, items_left, w * 0.52 - 90), (int(w * 0.55), items_right, w * 0.42 - 30)]
    else:
        columns = [(90, items_left[:3] + items_right + items_left[3:], w - 180)]
    for x, items, width in columns:
        y = 330
        for label, value in items:
            spaced = rng.random() < 0.5 and len(label) == 2
            s.text((x, y), label, size_t, spacing=1.0 if spaced else 0)
            lines = s.wrap(value, size_t, width - label_w)
            for line in lines:
                s.text((x + label_w, y), line, size_t)
                y += int(size_t * 1.55)
            y += int(size_t * 0.9)
    # registration authority block, with its (grey in copies) seal over the date
    bx, by = w - 470, h - 250
    s.text((bx, by), "登记机关", 26, spacing=0.3)
    issue = f"{company.issue_date.year}年{company.issue_date.month:02d}月{company.issue_date.day:02d}日"
    s.text((bx + 40, by + 95), issue, 26)
    authority_seal = seal_image(company.authority, 190, rng, color=(200, 40, 40))
    stamp(s.image, authority_seal, (bx + 170, by + 60), rng, opacity=0.8)
    s.text((80, h - 95), "国家企业信用信息公示系统网址：http://www.gsxt.gov.cn", 16, fill=(90, 90, 90))
    fields = {
        "credit_code": company.credit_code,
        "name": company.name,
        "entity_type": company.entity_type,
        "legal_representative": rep.name,
        "registered_capital": company.capital,
        "established_date": company.established.isoformat(),
        "term_end": "long_term" if company.term_end is None else company.term_end.isoformat(),
        "address": company.address,
        "business_scope": company.scope,
        "registration_authority": company.authority,
        "issue_date": company.issue_date.isoformat(),
    }
    return DrawnDoc("business_license", [s.image], fields, seal_centre=(int(w * 0.3), int(h * 0.5)))


FRONT_FIELDS = ("name", "sex", "ethnicity", "birth_date", "address", "id_number")
BACK_FIELDS = ("issuing_authority", "valid_from", "valid_to")
CARD = (720, 454)  # an ID card enlarged on an A4 copy, px at 150 dpi


def _card_front(person: Person, rng: random.Random) -> Image.Image:
    s = Sheet(*CARD, rng=rng, paper=(236, 240, 246))
    s.draw.rounded_rectangle([0, 0, CARD[0] - 1, CARD[1] - 1], radius=24, outline=(120, 120, 120), width=2)
    x, v = 40, 140
    s.text((x, 40), "姓名", 24, fill=(60, 80, 140))
    s.text((v, 36), person.name, 30)
    s.text((x, 100), "性别", 24, fill=(60, 80, 140))
    s.text((v, 98), "男" if person.male else "女", 28)
    s.text((250, 100), "民族", 24, fill=(60, 80, 140))
    s.text((340, 98), person.ethnicity, 28)
    s.text((x, 160), "出生", 24, fill=(60, 80, 140))
    s.text((v, 158), f"{person.birth.year}年{person.birth.month}月{person.birth.day}日", 28)
    s.text((x, 220), "住址", 24, fill=(60, 80, 140))
    y = 218
    for line in s.wrap(person.address, 26, 330):
        s.text((v, y), line, 26)
        y += 40
    s.text((x, 370), "公民身份号码", 24, fill=(60, 80, 140))
    s.text((230, 366), person.id_number, 32, spacing=0.12)
    s.draw.rectangle([500, 60, 680, 300], fill=(200, 205, 215))  # photo
    return s.image


def _card_back(issuer: str, valid_from: date, valid_to: date | None, rng: random.Random) -> Image.Image:
    s = Sheet(*CARD, rng=rng, paper=(238, 242, 240))
    s.draw.rounded_rectangle([0, 0, CARD[0] - 1, CARD[1] - 1], radius=24, outline=(120, 120, 120), width=2)
    s.draw.ellipse([40, 30, 160, 150], outline=(200, 60, 60), width=5)  # emblem
    s.text((220, 60), "中华人民共和国", 40, bold=True, spacing=0.2)
    s.text((220, 140), "居民身份证", 48, bold=True, spacing=0.4)
    s.text((110, 300), "签发机关", 24)
    s.text((250, 298), issuer, 26)
    s.text((110, 370), "有效期限", 24)
    end = "长期" if valid_to is None else f"{valid_to:%Y.%m.%d}"
    s.text((250, 368), f"{valid_from:%Y.%m.%d}-{end}", 26)
    return s.image


def id_validity(person: Person, rng: random.Random, today: date) -> tuple[date, date | None]:
    issued = today - timedelta(days=rng.randrange(60, 3000))
    age = issued.year - person.birth.year - ((issued.month, issued.day) < (person.birth.month, person.birth.day))
    years = 5 if age < 16 else 10 if age <= 25 else 20 if age <= 45 else None
    if years is None:
        return issued, None
    try:
        return issued, issued.replace(year=issued.year + years)
    except ValueError:
        return issued, issued.replace(year=issued.year + years, day=28)


def id_card(person: Person, rng: random.Random, today: date, issuer: str, validity) -> list[DrawnDoc]:
    """Both sides: on one A4 copy (common) or as two separate card pictures."""
    front, back = _card_front(person, rng), _card_back(issuer, validity[0], validity[1], rng)
    front_fields = {
        "name": person.name,
        "sex": "男" if person.male else "女",
        "ethnicity": person.ethnicity,
        "birth_date": person.birth.isoformat(),
        "address": person.address,
        "id_number": person.id_number,
    }
    back_fields = {
        "issuing_authority": issuer,
        "valid_from": validity[0].isoformat(),
        "valid_to": "long_term" if validity[1] is None else validity[1].isoformat(),
    }
    if rng.random() < 0.6:
        s = Sheet(*A4, rng=rng)
        s.image.paste(front, (260, 180))
        s.image.paste(back, (260, 760))
        return [DrawnDoc(["id_card_front", "id_card_back"], [s.image], {**front_fields, **back_fields}, (620, 1400))]
    docs = []
    for doc_type, card, fields in (("id_card_front", front, front_fields), ("id_card_back", back, back_fields)):
        desk = Image.new("RGB", (CARD[0] + 160, CARD[1] + 160), tuple(rng.randrange(150, 200) for _ in range(3)))
        desk.paste(card, (80, 80))
        docs.append(DrawnDoc(doc_type, [desk], fields))
    return docs


def team_list(company: Company, rng: random.Random, rows_per_page: int = 14, members=None) -> DrawnDoc:
    members = company.team if members is None else members
    header = ["序号", "姓名", rng.choice(["岗位", "职务"]), "身份证号码", "联系电话"]
    widths = [80, 150, 200, 360, 220]
    pages = []
    for start in range(0, max(len(members), 1), rows_per_page):
        s = Sheet(*A4, rng=rng)
        y = 150
        if start == 0:
            y = s.centered(150, f"{company.name}", 32, bold=True) + 20
            y = s.centered(y, "本地服务团队名单", 34, bold=True) + 50
        rows = [header] + [
            [str(i + 1), m.name, m.role, m.id_number, m.phone]
            for i, m in enumerate(members[start : start + rows_per_page], start=start)
        ]
        y = s.table(100, y, widths, rows, 22, 58)
        pages.append(s.image)
    s.text((700, y + 80), "填报单位（盖章）", 24)
    fields = {
        "members": [{"name": m.name, "role": m.role, "id_number": m.id_number, "phone": m.phone} for m in members]
    }
    return DrawnDoc("team_list", pages, fields, seal_centre=(820, y + 100))


MASK_STYLES = ((6, 4), (6, 4), (4, 4), (3, 4), (10, 4))  # (visible head, visible tail)


def mask_id(number: str, style: tuple[int, int] = (6, 4)) -> str:
    """An ID number as insurance proofs print it, the middle hidden behind asterisks."""
    head, tail = style
    return number[:head] + "*" * (18 - head - tail) + number[-tail:]


def social_insurance(company: Company, rng: random.Random, print_date: date, issuer: str, insured: list[dict]):
    pages = []
    rows_per_page = 12
    header = ["序号", "姓名", "证件号码", "险种", "缴费起止年月", "月数"]
    widths = [70, 130, 320, 190, 250, 80]
    for start in range(0, len(insured), rows_per_page):
        s = Sheet(*A4, rng=rng)
        y = 110
        if start == 0:
            y = s.centered(y, rng.choice(["社会保险参保缴费证明", "参保证明（单位）", "社会保险参保证明"]), 36, bold=True) + 40
            s.text((90, y), f"单位名称：{company.name}", 24)
            y += 45
            s.text((90, y), f"统一社会信用代码：{company.credit_code}", 24)
            y += 45
            s.text((90, y), "参保地：东莞市", 24)
            y += 60
        rows = [header] + [
            [str(i + 1), r["name"], r["shown_id"], "养老保险", f"{r['period_from']}至{r['period_to']}", str(r["months"])]
            for i, r in enumerate(insured[start : start + rows_per_page], start=start)
        ]
        y = s.table(80, y, widths, rows, 21, 54)
        pages.append(s.image)
    y += 50
    s.text((90, y), f"打印日期：{cn_date(print_date, rng)}", 24)
    s.text((90, y + 45), f"验证码：{rng.randrange(10**11, 10**12)}", 22)
    s.text((650, y + 110), issuer, 24)
    stamp(s.image, seal_image(issuer, 200, rng), (800, y + 100), rng)
    fields = {
        "employer_name": company.name,
        "employer_credit_code": company.credit_code,
        "issuer": issuer,
        "print_date": print_date.isoformat(),
        "insured": [
            {
                "name": r["name"],
                "id_number": r["shown_id"],
                "months": r["months"],
                "period_from": r["period_from"],
                "period_to": r["period_to"],
            }
            for r in insured
        ],
    }
    return DrawnDoc("social_insurance_proof", pages, fields)


def application_letter(company: Company, contact: Person, rng: random.Random, when: date) -> DrawnDoc:
    s = Sheet(*A4, rng=rng)
    change = rng.choice(CHANGE_ITEMS)
    form = rng.random() < 0.35
    y = s.centered(140, "数字化牵引单位变更申请书" if rng.random() < 0.5 else "关于变更数字化牵引单位服务主体的申请", 36, bold=True) + 60
    if form:
        rows = [
            ["申请单位", company.name],
            ["统一社会信用代码", company.credit_code],
            ["变更事项", change],
            ["联系人", contact.name],
            ["联系电话", contact.phone],
        ]
        y = s.table(110, y, [300, 720], rows, 24, 80) + 50
        y = s.paragraph(110, y, "我单位承诺所提交材料真实、有效，特此申请。", 26, 1020)
    else:
        s.text((110, y), "东莞市中小企业数字化转型城市试点工作专班：", 26)
        y += 60
        body = (
            f"我单位{company.name}（统一社会信用代码：{company.credit_code}）为东莞市中小企业数字化转型城市试点"
            f"数字化牵引单位。根据《数字化牵引单位管理办法（试行）》第十三条规定，现申请{change}，"
            "并按要求提交营业执照复印件、法定代表人身份证复印件、本地服务团队名单及社保证明等材料。"
        )
        y = s.paragraph(160, y, body, 26, 960) + 10
        y = s.paragraph(160, y, "恳请工作专班予以审核批准。", 26, 960) + 20
        s.text((110, y), f"变更事项：{change}", 26)
        y += 60
        s.text((110, y), f"联系人：{contact.name}", 26)
        y += 55
        s.text((110, y), f"联系电话：{contact.phone}", 26)
        y += 70
        s.text((110, y), "此致", 26)
        y += 50
        s.text((110, y), "敬礼！", 26)
    y += 120
    s.text((600, y), f"申请单位（盖章）：{company.name}" if len(company.name) < 14 else "申请单位（盖章）：", 24)
    if len(company.name) >= 14:
        s.text((600, y + 45), company.name, 24)
    s.text((700, y + 110), cn_date(when, rng), 24)
    fields = {
        "applicant_name": company.name,
        "credit_code": company.credit_code,
        "change_items": change,
        "contact_person": contact.name,
        "contact_phone": contact.phone,
        "application_date": when.isoformat(),
    }
    return DrawnDoc("application_letter", [s.image], fields, seal_centre=(820, y + 70))


def contents_page(company: Company, rng: random.Random) -> DrawnDoc:
    """The cover list many applicants put first: it names every document, and is none."""
    s = Sheet(*A4, rng=rng)
    y = s.centered(160, rng.choice(["申报材料目录", "材料清单", "目  录"]), 40, bold=True) + 80
    items = ["数字化牵引单位变更申请书", "营业执照复印件（加盖公章）", "法定代表人身份证复印件（正反面）",
             "本地服务团队名单", "团队成员社保参保证明"]
    for i, item in enumerate(items, start=1):
        s.text((180, y), f"{i}．{item}", 28)
        s.text((900, y), f"第{i}页", 28)
        y += 70
    s.text((180, y + 60), f"申报单位：{company.name}", 26)
    return DrawnDoc("unknown", [s.image], {})
