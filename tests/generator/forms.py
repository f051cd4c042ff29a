"""Licences and ID cards drawn in random layouts, as real ones vary (DOMAIN.md, "How real
documents are laid out"): label spacing and wording, one or two columns, values beside
or under labels, wrap widths, type sizes, wide-gapped dates, stamps over fields.

Every choice is drawn from the document's own random generator, so a seed gives one
layout and a set of seeds gives many.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date

from PIL import Image

from tests.generator.draw import Sheet, seal_image, stamp

_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_UNITS = ((1000, "仟"), (100, "佰"), (10, "拾"), (1, ""))


def chinese_amount(number: int) -> str:
    """1000 -> 壹仟, 7777 -> 柒仟柒佰柒拾柒, 305 -> 叁佰零伍 (numbers under 10,000)."""
    out, zero = "", False
    for size, unit in _UNITS:
        digit = number // size % 10
        if digit:
            out += ("零" if zero and out else "") + _DIGITS[digit] + unit
            zero = False
        elif out:
            zero = True
    return out or "零"


def capital_wording(rng: random.Random) -> str:
    """注册资本 as licences print it: in figures or in capital numerals, 元 or 圆, with or
    without 整 and 人民币 before, after or in brackets."""
    amount = rng.choice([100, 200, 300, 500, 1000, 3000, 5000, 7777, 1200, 50])
    style = rng.randrange(6)
    if style == 0:
        return f"{amount}万元人民币"
    if style == 1:
        return f"人民币{chinese_amount(amount)}万元"
    if style == 2:
        return f"{chinese_amount(amount)}万元整"
    if style == 3:
        return f"{chinese_amount(amount)}万圆整"
    if style == 4:
        return f"{chinese_amount(amount)}万元（人民币）"
    return f"人民币{amount}万元"


_CN = "〇一二三四五六七八九"


def cn_numeral_date(d: date) -> str:
    """2022-04-21 -> 二〇二二年四月二十一日."""
    def small(n: int) -> str:
        tens, ones = divmod(n, 10)
        return ("" if tens == 0 else ("十" if tens == 1 else _CN[tens] + "十")) + (_CN[ones] if ones or not tens else "")
    return "".join(_CN[int(c)] for c in str(d.year)) + f"年{small(d.month)}月{small(d.day)}日"


def printed_date(d: date, rng: random.Random, wide: bool | None = None) -> str:
    wide = rng.random() < 0.4 if wide is None else wide
    if wide:  # 2022 年 04 月 21 日, as the date under 登记机关 prints
        return f"{d.year} 年 {d.month:02d} 月 {d.day:02d} 日"
    return f"{d.year}年{d.month:02d}月{d.day:02d}日" if rng.random() < 0.7 else f"{d.year}年{d.month}月{d.day}日"


@dataclass
class LabelStyle:
    """How one document prints its labels."""

    spread: str  # "tight", "spaced" (letter-spaced to a fixed width) or "ideographic" (名　　称)
    colon: str
    size: int
    value_gap: int  # px between the label column and the values
    label_fill: tuple

    @classmethod
    def draw(cls, rng: random.Random, size_range=(20, 27)) -> LabelStyle:
        return cls(
            spread=rng.choice(["tight", "tight", "spaced", "ideographic"]),
            colon=rng.choice(["", "", "", "：", ":"]),
            size=rng.randrange(*size_range),
            value_gap=rng.randrange(14, 60),
            label_fill=rng.choice([(20, 20, 20), (20, 20, 20), (60, 60, 60)]),
        )

    def label_width(self, sheet: Sheet, longest: int) -> float:
        return sheet.font(self.size).getlength("字" * longest)

    def put(self, sheet: Sheet, xy, label: str, width_chars: int) -> int:
        """Draw a label; return the x where its value column starts."""
        x, y = xy
        full = self.label_width(sheet, width_chars)
        if self.spread == "ideographic" and len(label) == 2:
            text = label[0] + "\u3000" * max(width_chars - 2, 1) + label[1]
            sheet.text((x, y), text + self.colon, self.size, fill=self.label_fill)
        elif self.spread == "spaced" and len(label) < width_chars:
            gap = (full - sheet.font(self.size).getlength(label)) / max(len(label) - 1, 1) / self.size
            sheet.text((x, y), label, self.size, fill=self.label_fill, spacing=gap)
            if self.colon:
                sheet.text((x + full, y), self.colon, self.size, fill=self.label_fill)
        else:
            sheet.text((x, y), label + self.colon, self.size, fill=self.label_fill)
        return int(x + full + self.size * (1 if self.colon else 0) + self.value_gap)


def _field_block(s: Sheet, style: LabelStyle, x: int, y: int, label: str, value: str, width: float,
                 width_chars: int, under: bool, leading: float) -> int:
    """One labelled field: the value beside its label (or under it), wrapping back to
    the value's own left edge. Returns the y after it."""
    value_x = style.put(s, (x, y), label, width_chars)
    if under:
        y += int(style.size * leading)
        value_x = x + style.size
    lines = s.wrap(value, style.size, x + width - value_x)
    for line in lines:
        s.text((value_x, y), line, style.size)
        y += int(style.size * leading)
    return y + int(style.size * 0.7)


def _ruled_table(s: Sheet, x: int, y: int, rows: list[list[tuple[str, str]]], width: int, rng: random.Random) -> int:
    """Rows of (label, value) pairs in ruled cells: labels left-aligned or spread over
    their cell, perhaps shaded; values left-aligned or, on one line, centred, wrapping
    inside their cell."""
    size, pad = rng.randrange(18, 25), rng.randrange(8, 20)
    centred = rng.random() < 0.3
    longest = max(len(label) for row in rows for label, _ in row)
    label_w = int(s.font(size).getlength("字" * max(rng.choice([4, 5, 6]), longest))) + 2 * pad
    spread, shaded, rule = rng.random() < 0.4, rng.random() < 0.4, rng.randrange(1, 4)
    leading = rng.uniform(1.3, 1.6)
    for row in rows:
        value_w = (width - len(row) * label_w) // len(row)
        cells = [(label, s.wrap(value, size, value_w - 2 * pad)) for label, value in row]
        height = max(len(lines) for _, lines in cells) * int(size * leading) + 2 * pad
        cx = x
        for label, lines in cells:
            if shaded:
                s.draw.rectangle([cx, y, cx + label_w, y + height], fill=(232, 232, 232))
            s.draw.rectangle([cx, y, cx + label_w, y + height], outline=(30, 30, 30), width=rule)
            s.draw.rectangle([cx + label_w, y, cx + label_w + value_w, y + height], outline=(30, 30, 30), width=rule)
            ly = y + (height - size) // 2
            gap = (label_w - 2 * pad - s.font(size).getlength(label)) / max(len(label) - 1, 1) / size
            s.text((cx + pad, ly), label, size, spacing=gap if spread and len(label) > 1 else 0.0)
            for i, line in enumerate(lines):
                indent = (value_w - s.font(size).getlength(line)) / 2 if centred and len(lines) == 1 else pad
                s.text((int(cx + label_w + indent), y + pad + i * int(size * leading)), line, size)
            cx += label_w + value_w
        y += height
    return y


def _retyped_table(s: Sheet, items: dict, company, rng: random.Random) -> None:
    """A licence retyped by an office into a ruled table, one or two fields a row."""
    w = s.image.width
    s.centered(130, "营业执照", rng.randrange(56, 76), bold=True, spacing=rng.uniform(0.2, 0.6))
    s.text((int(w * rng.uniform(0.08, 0.45)), 240), f"统一社会信用代码{rng.choice(['：', '  '])}{company.credit_code}", 20)
    long = ["名称", company.address_label, "营业期限", "经营范围"]
    short = [k for k in items if k not in long and items[k] is not None]
    rows: list[list[tuple[str, str]]] = []
    paired = rng.random() < 0.6
    for key in ["名称", *short, company.address_label, "营业期限", "经营范围"]:
        if items.get(key) is None:
            continue
        if paired and key in short and rows and len(rows[-1]) == 1 and rows[-1][0][0] in short:
            rows[-1].append((key, items[key]))
        else:
            rows.append([(key, items[key])])
    _ruled_table(s, 80, rng.randrange(290, 330), rows, w - 160, rng)


def business_license(company, rep, rng: random.Random):
    """营业执照: the 2019 landscape two-column form or the 2016 portrait one-column form,
    with spacing, type size, wording of the title block and stamps all drawn."""
    from tests.generator.documents import A4, DrawnDoc

    landscape = rng.random() < 0.6
    size = (A4[1], A4[0]) if landscape else A4
    s = Sheet(*size, rng=rng)
    w, h = size
    style = LabelStyle.draw(rng)
    leading = rng.uniform(1.35, 1.75)
    s.draw.rectangle([30, 30, w - 30, h - 30], outline=(150, 110, 60), width=rng.randrange(4, 10))
    branch = company.rep_label == "负责人"
    capital = None if branch else capital_wording(rng)
    established = printed_date(company.established, rng, wide=False)
    term_row = company.term_end is not None or rng.random() < 0.8  # some forms print no 营业期限
    term = "长期" if company.term_end is None else printed_date(company.term_end, rng, wide=False)
    items = {
        "名称": company.name, "类型": company.entity_type, company.rep_label: rep.name,
        "注册资本": capital, "成立日期": established, "营业期限": f"{established}至{term}" if term_row else None,
        company.address_label: company.address, "经营范围": company.scope,
    }
    under = rng.random() < 0.15  # some copies set long values under their labels
    old_form = company.registration_number is not None
    if not old_form and rng.random() < 0.2:  # an office's retyped copy: the fields in a ruled table
        _retyped_table(s, items, company, rng)
    elif old_form:  # 企业法人营业执照 (before 2016): portrait, 注册号, its own label wording
        landscape = False
        s = Sheet(*A4, rng=rng)
        w, h = A4
        s.draw.rectangle([30, 30, w - 30, h - 30], outline=(150, 110, 60), width=rng.randrange(4, 10))
        s.centered(150, "企业法人营业执照", rng.randrange(56, 68), bold=True, spacing=0.3)
        s.centered(235, "（副本）", 26)
        s.text((int(w * rng.uniform(0.5, 0.58)), 300), f"注册号{rng.choice(['：', '  ', ' '])}{company.registration_number}", 20)
        items["法定代表人姓名"], items["公司类型"], items["实收资本"] = items.pop(company.rep_label), items.pop("类型"), capital
        y = 380
        for label in ["名称", company.address_label, "法定代表人姓名", "注册资本", "实收资本", "公司类型", "成立日期", "营业期限", "经营范围"]:
            if items.get(label) is None:
                continue
            y = _field_block(s, style, 110, y, label, items[label], w - 220, 7, False, leading)
    elif landscape:
        s.text((80, 80), "统一社会信用代码", rng.randrange(20, 26))
        s.text((80, 118), company.credit_code, rng.randrange(24, 32))
        s.draw.rectangle([w - 230, 70, w - 90, 210], outline=(20, 20, 20), width=3)  # QR code
        s.text((w - 420, 220), "扫描二维码登录国家企业信用", 14, fill=(80, 80, 80))
        s.centered(130, "营业执照", rng.randrange(64, 84), bold=True, spacing=rng.uniform(0.3, 0.8))
        y = s.centered(232, "（副本）", 28) + 8
        s.centered(y, f"副本号：1-{rng.randrange(1, 4)}", 18)
        split = rng.uniform(0.5, 0.56)
        left = ["名称", "类型", company.rep_label, "经营范围"]
        right = ["注册资本", "成立日期", "营业期限", company.address_label]
        top = rng.randrange(320, 360)
        columns = [(90, left, w * split - 120), (int(w * split), right, w * (1 - split) - 70)]
        for x, labels, width in columns:
            y = top
            for label in labels:
                if items.get(label) is None:
                    continue
                y = _field_block(s, style, x, y, label, items[label], width, 4, under and label in ("经营范围", "住所"), leading)
    else:
        s.text((w - 330, 70), f"编号：{rng.randrange(10**14, 10**15)}", 16)
        s.centered(150, "营业执照", rng.randrange(64, 80), bold=True, spacing=0.6)
        s.centered(240, "（副本）", 26)
        s.text((int(w * 0.42), 300), f"统一社会信用代码  {company.credit_code}", 20)
        y = 380
        order = ["名称", "类型", company.address_label, company.rep_label, "注册资本", "成立日期", "营业期限", "经营范围"]
        width_chars = rng.choice([4, 5])
        for label in order:
            if items.get(label) is None:
                continue
            y = _field_block(s, style, 110, y, label, items[label], w - 220, width_chars, under and label == "经营范围", leading)
        s.draw.rectangle([110, h - 330, 250, h - 190], outline=(20, 20, 20), width=3)  # QR code, bottom left
    bx, by = w - rng.randrange(440, 520), h - rng.randrange(230, 290)
    s.text((bx, by), "登记机关", 26, spacing=rng.choice([0.0, 0.3, 0.6]))
    # some offices' copies and older licences date the seal in Chinese numerals
    issue = cn_numeral_date(company.issue_date) if rng.random() < 0.2 else printed_date(company.issue_date, rng)
    s.text((bx + rng.randrange(0, 60), by + rng.randrange(80, 110)), issue, 26)
    stamp(s.image, seal_image(company.authority, rng.randrange(170, 210), rng, color=(200, 40, 40)),
          (bx + 170, by + 60), rng, opacity=rng.uniform(0.6, 0.9))
    s.text((80, h - 95), "国家企业信用信息公示系统网址：http://www.gsxt.gov.cn", 16, fill=(90, 90, 90))
    fields = {
        "credit_code": company.registration_number or company.credit_code, "name": company.name,
        "entity_type": company.entity_type, "legal_representative": rep.name, "registered_capital": capital,
        "established_date": company.established.isoformat(),
        "term_end": None if not term_row else "long_term" if company.term_end is None else company.term_end.isoformat(),
        "address": company.address, "business_scope": company.scope,
        "registration_authority": company.authority, "issue_date": company.issue_date.isoformat(),
    }
    # the applicant's chop often lands across 名称/类型; elsewhere on the page otherwise
    chop = (int(w * 0.3), 380) if rng.random() < 0.4 else (int(w * 0.3), int(h * 0.5))
    return DrawnDoc("business_license", [s.image], fields, seal_centre=chop)


CARD = (720, 454)  # an ID card enlarged on an A4 copy, px at 150 dpi
_BLUE = (60, 80, 140)


def card_front(person, rng: random.Random) -> Image.Image:
    """人像面: 姓名; 性别 and 民族 on one row; 出生; 住址 wrapping every ~11 characters;
    公民身份号码 on the bottom row; labels light blue, the photo on the right."""
    s = Sheet(*CARD, rng=rng, paper=(236, 240, 246))
    s.draw.rounded_rectangle([0, 0, CARD[0] - 1, CARD[1] - 1], radius=24, outline=(120, 120, 120), width=2)
    x, v = rng.randrange(30, 50), rng.randrange(120, 150)
    label = rng.randrange(20, 25)
    value = rng.randrange(24, 29)
    top, step = rng.randrange(30, 45), rng.randrange(54, 64)
    s.text((x, top), "姓名", label, fill=_BLUE)
    s.text((v, top - 4), person.name, value + 2)
    y = top + step
    s.text((x, y), "性别", label, fill=_BLUE)
    s.text((v, y - 2), "男" if person.male else "女", value)
    nx = v + rng.randrange(90, 130)
    s.text((nx, y), "民族", label, fill=_BLUE)
    s.text((nx + rng.randrange(70, 100), y - 2), person.ethnicity, value)
    y += step
    s.text((x, y), "出生", label, fill=_BLUE)
    b = person.birth
    s.text((v, y - 2), f"{b.year} 年 {b.month} 月 {b.day} 日" if rng.random() < 0.6 else f"{b.year}年{b.month}月{b.day}日", value)
    y += step
    s.text((x, y), "住址", label, fill=_BLUE)
    per_line = rng.randrange(10, 13)
    address_lines = [person.address[i : i + per_line] for i in range(0, len(person.address), per_line)]
    for line in address_lines:
        s.text((v, y - 2), line, value)
        y += int(value * rng.uniform(1.35, 1.6))
    y = max(y + 20, 360)
    s.text((x, y + 4), "公民身份号码", label, fill=_BLUE)
    s.text((x + int(label * 6.5) + rng.randrange(20, 50), y), person.id_number, 30, spacing=0.12)
    s.draw.rectangle([500, 50, 680, 300], fill=(200, 205, 215))  # photo
    return s.image


def card_back(issuer: str, valid_from: date, valid_to: date | None, rng: random.Random) -> Image.Image:
    s = Sheet(*CARD, rng=rng, paper=(238, 242, 240))
    s.draw.rounded_rectangle([0, 0, CARD[0] - 1, CARD[1] - 1], radius=24, outline=(120, 120, 120), width=2)
    s.draw.ellipse([40, 30, 160, 150], outline=(200, 60, 60), width=5)  # emblem
    s.text((220, 60), "中华人民共和国", 40, bold=True, spacing=0.2)
    s.text((220, 140), "居民身份证", 48, bold=True, spacing=0.4)
    x, v = rng.randrange(90, 130), rng.randrange(235, 265)
    y1 = rng.randrange(285, 310)
    s.text((x, y1), "签发机关", 24)
    s.text((v, y1 - 2), issuer, 26)
    end = "长期" if valid_to is None else f"{valid_to:%Y.%m.%d}"
    s.text((x, y1 + 70), "有效期限", 24)
    s.text((v, y1 + 68), f"{valid_from:%Y.%m.%d}-{end}", 26)
    return s.image
