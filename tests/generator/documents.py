"""The six document types, drawn as their real counterparts look (DOMAIN.md).

Each function returns page images (before scanning) and the fields a reviewer would
read off them, in the contract's normalised form.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from PIL import Image

from tests.generator.draw import Sheet, photograph, seal_image, stamp
from tests.generator.forms import CARD, business_license, card_back, card_front  # noqa: F401 (drawn from here)
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
    card_boxes: dict | None = None  # where each card side lies on an A4 copy, if not the usual places


def cn_date(d: date, rng: random.Random) -> str:
    style = rng.choice(["cn", "cn", "dot", "dash"])
    if style == "cn":
        return f"{d.year}年{d.month:02d}月{d.day:02d}日" if rng.random() < 0.5 else f"{d.year}年{d.month}月{d.day}日"
    if style == "dot":
        return f"{d:%Y.%m.%d}"
    return f"{d:%Y-%m-%d}"


FRONT_FIELDS = ("name", "sex", "ethnicity", "birth_date", "address", "id_number")
BACK_FIELDS = ("issuing_authority", "valid_from", "valid_to")
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
    front, back = card_front(person, rng), card_back(issuer, validity[0], validity[1], rng)
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
        # a cut card photo: small (300-600 px wide), on a desk, in perspective, maybe with glare
        docs.append(DrawnDoc(doc_type, [photograph(card, rng, width=rng.randrange(380, 640))], fields))
    return docs


def team_list(company: Company, rng: random.Random, rows_per_page: int = 14, members=None, order=(0, 1, 2, 3, 4)) -> DrawnDoc:
    members = company.team if members is None else members
    header = ["序号", "姓名", rng.choice(["岗位", "职务"]), rng.choice(["身份证号码", "身份证号", "证件号码"]),
              rng.choice(["联系电话", "手机号码", "联系方式"])]
    header = [header[i] for i in order]
    widths = [80, 150, 200, 360, 220]
    pages = []
    for start in range(0, max(len(members), 1), rows_per_page):
        s = Sheet(*A4, rng=rng)
        y = 150
        if start == 0:
            y = s.centered(150, f"{company.name}", 32, bold=True) + 20
            y = s.centered(y, "本地服务团队名单", 34, bold=True) + 50
        rows = [header] + [
            [[str(i + 1), m.name, m.role, m.id_number, m.phone][k] for k in order]
            for i, m in enumerate(members[start : start + rows_per_page], start=start)
        ]
        y = s.table(100, y, [widths[k] for k in order], rows, 22, 58)
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


def social_insurance(company: Company, rng: random.Random, print_date: date, issuer: str, insured: list[dict],
                     header_block=None):
    pages = []
    rows_per_page = 12
    header = ["序号", "姓名", "证件号码", "险种", "缴费起止年月", "月数"]
    widths = [70, 130, 320, 190, 250, 80]
    for start in range(0, len(insured), rows_per_page):
        s = Sheet(*A4, rng=rng)
        y = 110
        if start == 0:
            y = s.centered(y, rng.choice(["社会保险参保缴费证明", "参保证明（单位）", "社会保险参保证明"]), 36, bold=True) + 40
            if header_block is not None:  # another family's way of printing the employer
                y = header_block(s, company, y) + 40
        if start == 0 and header_block is None:
            colon = rng.choice(["：", "：", ":", "  "])
            s.text((90, y), f"{rng.choice(['单位名称', '参保单位', '用人单位', '缴费单位'])}{colon}{company.name}", 24)
            y += 45
            s.text((90, y), f"统一社会信用代码{colon}{company.credit_code}", 24)
            y += 45
            s.text((90, y), f"参保地{colon}东莞市", 24)
            y += 60
        rows = [header] + [
            [str(i + 1), r["name"], r["shown_id"], "养老保险", f"{r['period_from']}至{r['period_to']}", str(r["months"])]
            for i, r in enumerate(insured[start : start + rows_per_page], start=start)
        ]
        y = s.table(80, y, widths, rows, 21, 54)
        pages.append(s.image)
    y += 50
    s.text((90, y), f"{rng.choice(['打印日期', '打印时间', '出具日期'])}：{cn_date(print_date, rng)}", 24)
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
            [rng.choice(["申请单位", "单位名称", "申请单位名称"]), company.name],
            ["统一社会信用代码", company.credit_code],
            [rng.choice(["变更事项", "变更内容", "申请事项"]), change],
            [rng.choice(["联系人", "联系人姓名"]), contact.name],
            [rng.choice(["联系电话", "手机号码", "联系方式"]), contact.phone],
        ]
        # some letters narrow the value column and let long values wrap in their cells
        wrap = rng.random() < 0.5
        label_w = rng.randrange(230, 300) if wrap else 300
        widths = [label_w, rng.randrange(420, 600) if wrap else 720]
        y = s.table(110, y, widths, rows, rng.randrange(24, 28) if wrap else 24, 80, wrap=wrap) + 50
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
        colon = rng.choice(["：", "：", ":"])
        s.text((110, y), f"{rng.choice(['变更事项', '变更内容'])}{colon}{change}", 26)
        y += 60
        s.text((110, y), f"联系人{colon}{contact.name}", 26)
        y += 55
        s.text((110, y), f"{rng.choice(['联系电话', '手机'])}{colon}{contact.phone}", 26)
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
