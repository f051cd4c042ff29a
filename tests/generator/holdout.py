"""A layout family the extraction is never tuned on (`--family holdout`).

Every document is set as a ruled grid form, the way many offices retype a copy:
labels in cells of their own, centred, several label–value pairs sharing a row;
ID card sides side by side on one A4 copy, reduced; dates in Chinese numerals under
the registration authority. Figures on this family are reported apart from the
tuned family's, and its failures are not studied one by one.
"""

from __future__ import annotations

import random
from datetime import date

from PIL import Image

from tests.generator.draw import Sheet, seal_image, stamp
from tests.generator.forms import CARD, capital_wording, card_back, card_front, cn_numeral_date


def _grid(s: Sheet, x: int, y: int, rows: list[list[tuple[str, int]]], size: int, row_h: int) -> int:
    """Rows of (text, width) cells; a cell's text wraps inside it, left-aligned when long."""
    for row in rows:
        lines_per_cell = [s.wrap(text, size, width - 16) for text, width in row]
        height = max(row_h, max(len(lines) for lines in lines_per_cell) * int(size * 1.45) + 16)
        cx = x
        for (_, width), lines in zip(row, lines_per_cell):
            s.draw.rectangle([cx, y, cx + width, y + height], outline=(40, 40, 40), width=2)
            top = y + (height - len(lines) * int(size * 1.45)) / 2
            for i, line in enumerate(lines):
                tw = s.font(size).getlength(line)
                lx = cx + (width - tw) / 2 if len(lines) == 1 else cx + 8
                s.text((int(lx), int(top + i * size * 1.45)), line, size)
            cx += width
        y += height
    return y


def business_license(company, rep, rng: random.Random):
    from tests.generator.documents import A4, DrawnDoc

    s = Sheet(*A4, rng=rng)
    w, h = A4
    size = rng.randrange(20, 24)
    s.centered(110, "营业执照", 72, bold=True, spacing=0.5)
    if company.registration_number:  # a licence from before 2016
        s.text((w - 560, 230), f"注册号：{company.registration_number}", 20)
    else:
        s.text((w - 560, 230), f"统一社会信用代码：{company.credit_code}", 20)
    branch = company.rep_label == "负责人"
    capital = None if branch else capital_wording(rng)
    term = "长期" if company.term_end is None else cn_numeral_date(company.term_end)
    established = f"{company.established.year}年{company.established.month:02d}月{company.established.day:02d}日"
    label_w, value_w = 170, 370
    wide = 2 * value_w + label_w
    rows = [
        [("名称", label_w), (company.name, wide)],
        [("类型", label_w), (company.entity_type, value_w), (company.rep_label, label_w), (rep.name, value_w)],
    ]
    if capital:
        rows.append([("注册资本", label_w), (capital, value_w), ("成立日期", label_w), (established, value_w)])
        rows.append([("营业期限", label_w), (f"{established}至{term}", wide)])
    else:
        rows.append([("成立日期", label_w), (established, value_w), ("营业期限", label_w), (f"{established}至{term}", value_w)])
    rows += [
        [(company.address_label, label_w), (company.address, wide)],
        [("经营范围", label_w), (company.scope, wide)],
    ]
    y = _grid(s, 80, 290, rows, size, 70)
    by = min(y + 120, h - 300)
    s.text((w - 440, by), "登记机关", 26)
    s.text((w - 470, by + 90), cn_numeral_date(company.issue_date), 24)
    stamp(s.image, seal_image(company.authority, 190, rng, color=(200, 40, 40)), (w - 330, by + 60), rng, opacity=0.8)
    fields = {
        "credit_code": company.registration_number or company.credit_code, "name": company.name, "entity_type": company.entity_type,
        "legal_representative": rep.name, "registered_capital": capital,
        "established_date": company.established.isoformat(),
        "term_end": "long_term" if company.term_end is None else company.term_end.isoformat(),
        "address": company.address, "business_scope": company.scope,
        "registration_authority": company.authority, "issue_date": company.issue_date.isoformat(),
    }
    return DrawnDoc("business_license", [s.image], fields, seal_centre=(int(w * 0.35), 420))


CARD_SCALE = 0.78
FRONT_AT, BACK_AT = (40, 260), (40 + int(CARD[0] * CARD_SCALE) + 40, 260)


def card_boxes() -> dict[str, tuple[int, int, int, int]]:
    cw, ch = int(CARD[0] * CARD_SCALE), int(CARD[1] * CARD_SCALE)
    return {"id_card_front": (*FRONT_AT, FRONT_AT[0] + cw, FRONT_AT[1] + ch),
            "id_card_back": (*BACK_AT, BACK_AT[0] + cw, BACK_AT[1] + ch)}


def id_copy(person, rng: random.Random, issuer: str, validity) -> Image.Image:
    """Both sides side by side on one A4 copy, reduced."""
    from tests.generator.documents import A4

    s = Sheet(*A4, rng=rng)
    size = (int(CARD[0] * CARD_SCALE), int(CARD[1] * CARD_SCALE))
    s.image.paste(card_front(person, rng).resize(size, Image.LANCZOS), FRONT_AT)
    s.image.paste(card_back(issuer, validity[0], validity[1], rng).resize(size, Image.LANCZOS), BACK_AT)
    s.text((80, 900), "复印件与原件一致", 26)
    return s.image


def application_letter(company, contact, rng: random.Random, when: date, change: str):
    from tests.generator.documents import A4, DrawnDoc

    s = Sheet(*A4, rng=rng)
    y = s.centered(130, "数字化牵引单位变更申请表", 36, bold=True) + 60
    rows = [
        [("申请单位", 220), (company.name, 860)],
        [("统一社会信用代码", 220), (company.credit_code, 860)],
        [("联系人", 220), (contact.name, 320), ("联系电话", 220), (contact.phone, 320)],
        [("变更事项", 220), (change, 860)],
        [("申请日期", 220), (f"{when.year}年{when.month}月{when.day}日", 860)],
    ]
    y = _grid(s, 80, y, rows, 22, 76) + 60
    y = s.paragraph(110, y, "本单位承诺以上信息及所附材料真实有效。", 24, 1000) + 80
    s.text((640, y), "申请单位（盖章）", 24)
    fields = {"applicant_name": company.name, "credit_code": company.credit_code, "change_items": change,
              "contact_person": contact.name, "contact_phone": contact.phone, "application_date": when.isoformat()}
    return DrawnDoc("application_letter", [s.image], fields, seal_centre=(800, y + 20))


def social_insurance_header(s: Sheet, company, y: int) -> int:
    """单位名称 and 统一社会信用代码 as two label–value pairs in one ruled row."""
    return _grid(s, 60, y, [[("单位名称", 150), (company.name, 440), ("统一社会信用代码", 220), (company.credit_code, 330)]], 19, 64)


def id_card(person, rng: random.Random, issuer: str, validity):
    from tests.generator.documents import DrawnDoc

    fields = {
        "name": person.name, "sex": "男" if person.male else "女", "ethnicity": person.ethnicity,
        "birth_date": person.birth.isoformat(), "address": person.address, "id_number": person.id_number,
        "issuing_authority": issuer, "valid_from": validity[0].isoformat(),
        "valid_to": "long_term" if validity[1] is None else validity[1].isoformat(),
    }
    return [DrawnDoc(["id_card_front", "id_card_back"], [id_copy(person, rng, issuer, validity)], fields,
                     seal_centre=(620, 1100), card_boxes=card_boxes())]
