"""居民身份证: the face (人像面) and the back (国徽面)."""

from __future__ import annotations

import re

from dgintake.models import FieldValue
from extractors import values
from extractors.fields.common import code_on_own_line, field_from_line, find_id_number, normalise_code_text, parse_date
from extractors.hit_rereads import reread_cut, reread_glued, reread_unsure
from extractors.labels import compact, overlaps, union_box
from extractors.layout import Hit, LayoutReader, Vocabulary
from extractors.lexicon import ETHNIC_GROUPS, known_or_read, police_issuers
from extractors.page import Line, Page

# Specimens in circulation misprint labels (名族, 有限期限): they are wordings too.
FRONT_VOCABULARY = Vocabulary({
    "name": ("姓名",),
    "sex": ("性别",),
    "ethnicity": ("民族", "名族"),
    "birth": ("出生", "出生日期"),
    "address": ("住址",),
    "id_number": ("公民身份号码", "公民身份证号码", "身份证号码", "身份号码"),
})
_CARD_DATE = re.compile(r"\d{4}[.．\-/年]\d{2}[.．\-/月]\d{2}日?")
BACK_VOCABULARY = Vocabulary({"issuing_authority": ("签发机关",), "valid": ("有效期限", "有限期限", "有效期")})


def ethnicity(read: str) -> str:
    """One of the 56 recognised groups: the longest that begins what was read (text
    crossing the card, a watermark say, runs on after it); else what was read."""
    chars = re.sub(r"[^\u4e00-\u9fff]", "", read)
    known = [group for group in ETHNIC_GROUPS if chars.startswith(group)]
    if not known:  # a speck read as a character before it
        known = [group for group in ETHNIC_GROUPS if chars[1:].startswith(group)]
    return max(known, key=len) if known else (chars[:5] or read)


def _group_on_the_sex_row(pages: list[Page], sex: FieldValue | None) -> FieldValue | None:
    """民族 unread: the card prints 性别 and 民族 on one row, so a box on the sex's row
    right of it holding one of the 56 groups alone is the ethnic group (less surely);
    where nothing there was boxed, that stretch of the row is read again."""
    if sex is None or not sex.bbox:
        return None
    x1, y0, y1 = sex.bbox[2], sex.bbox[1], sex.bbox[3]
    page = next((p for p in pages if p.number == sex.page), None)
    for line in sorted(page.lines if page else [], key=lambda ln: ln.x0):
        if not line.bbox or line.x0 <= x1 or min(line.y1, y1) - max(line.y0, y0) < 0.5 * (y1 - y0):
            continue
        chars = re.sub(r"[^\u4e00-\u9fff]", "", line.text)
        if chars in ETHNIC_GROUPS:
            return FieldValue(value=chars, confidence=round(line.confidence * 0.85, 3), page=page.number,
                              bbox=list(line.bbox), label=None)
    if page is None or page.reread is None or page.image is None:
        return None
    # nothing boxed there at all (label and group in light ink): the row right of the sex read again
    h = y1 - y0
    box = (x1 + 0.5 * h, y0 - 0.2 * h, x1 + 9 * h, y1 + 0.2 * h)
    if any(ln.bbox and overlaps(ln.bbox, box) for ln in page.lines):
        return None
    again = page.reread(box, 1.0)
    chars = re.sub(r"[^\u4e00-\u9fff]", "", again.text) if again else ""
    found = re.fullmatch(r"民族(.{1,5})", chars)
    if found and (group := ethnicity(found.group(1))) in ETHNIC_GROUPS:
        return FieldValue(value=group, confidence=round(min(again.confidence, 0.85), 3),
                          page=page.number, bbox=list(box), label="民族")
    return None


def extract_front(pages: list[Page]) -> dict[str, FieldValue]:
    reader = LayoutReader(pages, FRONT_VOCABULARY)
    fields: dict[str, FieldValue] = {}
    hit = reader.find("name", below=False, accept=lambda v: values.person_name(re.sub(r"[^\u4e00-\u9fff·]", "", v)))
    if hit:
        hit = reread_unsure(reread_glued(hit, values.person_name), values.person_name)
        fields["name"] = hit.field(re.sub(r"[^\u4e00-\u9fff·]", "", hit.value) or hit.value)
    hit = reader.find("sex", below=False, accept=lambda v: v[:1] in "男女")
    if hit and hit.value[:1] in "男女":
        # the sex is its first box: a value run on over an unread 民族 (男民放汉) keeps the rest
        # of the row for the ethnic group
        sure = hit.lines[0].confidence if hit.lines and len(hit.value) > 1 else hit.confidence
        fields["sex"] = Hit(hit.value[:1], hit.lines[:1], hit.page, hit.label, sure).field()
    elif alone := _lone_sex(pages):  # 性别 unread (light ink): the card's one box holding 男 or 女
        fields["sex"] = alone
    hit = reader.find("ethnicity", below=False)
    # a one-character group (回, 汉) is often too small for the detector to box
    hit = hit or reader.reread_beside("ethnicity", lambda v: ethnicity(v) in ETHNIC_GROUPS, reach=4)
    if hit:
        fields["ethnicity"] = hit.field(ethnicity(hit.value))
    elif beside := _group_on_the_sex_row(pages, fields.get("sex")):
        fields["ethnicity"] = beside
    if dated := reader.find_date("birth"):
        fields["birth_date"] = dated
    elif dated := _only_date_on_the_face(pages):  # the light-blue 出生 went unread
        fields["birth_date"] = dated
    hit = reader.find("address", multiline=True, max_lines=4, below=False)
    if hit:
        text, sure = _address(hit)
        fields["address"] = hit.field(text, confidence=sure)
    hit = reader.find("id_number")
    source = hit.value if hit else ""
    number, corrected = find_id_number(source)
    sure = None
    if number is None and hit:  # printed under its label but malformed: report it as read
        raw = re.search(r"[0-9A-Z]{15,20}", normalise_code_text(source))
        if raw:
            number, corrected = raw.group(0), False
            if _DIGIT_RUN.fullmatch(number) and (wider := _read_wider(hit.page, hit.lines[-1])):
                number, corrected, sure = wider
    if number is not None:
        fields["id_number"] = hit.field(number, corrected, confidence=sure)
    elif own_line := code_on_own_line(pages, find_id_number) or _number_a_digit_off(pages):
        fields["id_number"] = own_line  # often read apart from its label
    if "address" not in fields and (between := _address_without_label(pages, fields)):
        fields["address"] = between  # 住址 unread (light ink on a small photo)
    if "name" not in fields and (top := _name_without_label(pages, fields)):
        fields["name"] = top  # 姓名 unread: the value column's first line
    if "name" in fields and not ("sex" in fields and "ethnicity" in fields):
        _sex_row_read_again(pages, fields)
    return fields


# a number one digit short or long of eighteen
_DIGIT_RUN = re.compile(r"\d{16}[\dX]|\d{18}[\dX]")


def _read_wider(page: Page, line: Line) -> tuple[str, bool, float] | None:
    """A number a digit short or long (a watermark's stroke took its first digit from
    the detector) read again over a box one and a half line heights wider each side:
    (number, corrected, confidence) where that gives a number of eighteen."""
    if page.reread is None or page.image is None or not line.bbox:
        return None
    h = line.height
    again = page.reread((line.x0 - 1.5 * h, line.y0 - 0.15 * h, line.x1 + 1.5 * h, line.y1 + 0.15 * h), 1.0)
    number, corrected = find_id_number(again.text) if again is not None else (None, False)
    return (number, corrected, round(min(again.confidence, 0.95) * 0.9, 3)) if number else None


def _number_a_digit_off(pages: list[Page]) -> FieldValue | None:
    """A line of nothing but a number a digit short or long: read again wider, else
    reported as read, unsure, for the number check to judge."""
    for page in pages:
        for line in page.lines:
            run = normalise_code_text(line.text)
            if line.bbox and _DIGIT_RUN.fullmatch(run):
                if wider := _read_wider(page, line):
                    number, corrected, sure = wider
                    return FieldValue(value=number, confidence=sure, page=page.number, bbox=list(line.bbox),
                                      corrected=corrected)
                return field_from_line(page, line, run, 0.6)
    return None


def _value_column(pages: list[Page], fields: dict[str, FieldValue]) -> tuple[Page, tuple, float] | None:
    """The page and box of the birth date, which starts the value column, and its height."""
    birth = fields.get("birth_date")
    page = next((p for p in pages if birth and birth.bbox and p.number == birth.page), None)
    return (page, birth.bbox, birth.bbox[3] - birth.bbox[1]) if page else None


def _name_without_label(pages: list[Page], fields: dict[str, FieldValue]) -> FieldValue | None:
    """The face prints the name two rows above the birth date, at the value column's
    left edge: the topmost line there that reads as a person's name, less surely."""
    if (column := _value_column(pages, fields)) is None:
        return None
    page, (left, top, _, _), h = column
    above = sorted((ln for ln in page.lines if ln.bbox and ln.y1 <= top and top - ln.y1 < 5 * h
                    and abs(ln.x0 - left) <= 1.5 * h), key=lambda ln: ln.y0)
    for line in above[:1]:
        name = re.sub(r"[^\u4e00-\u9fff·]", "", line.text)
        if values.person_name(name):
            return field_from_line(page, line, name, 0.85, label=None)
    return None


def _sex_row_read_again(pages: list[Page], fields: dict[str, FieldValue]) -> None:
    """性别 and 民族 with their one-character values all unboxed (light labels, values
    too small for the detector): the row between the name and the birth date read
    again whole (女民族苗, or 女苗 with the labels read as nothing), at its own width and
    stretched: the sex is a 男 or 女 at its start, the group what ends it."""
    name = fields["name"]
    if (column := _value_column(pages, fields)) is None or not name.bbox or name.page != column[0].number:
        return
    page, (left, top, right, _), h = column
    if page.reread is None or page.image is None or name.bbox[3] >= top - 0.5 * h:
        return
    box = (max(left - 3 * h, 0), name.bbox[3] + 0.1 * h, right + 2 * h, top - 0.1 * h)
    for stretch in (1.0, 1.5):
        again = page.reread(box, stretch)
        text = re.sub(r"[^\u4e00-\u9fff]", "", again.text) if again else ""
        value_at = next((i for i, c in enumerate(text[:3]) if c in "男女"), None)
        if value_at is None:
            continue
        row = Line(text, box, min(again.confidence, 0.8))
        if "sex" not in fields:
            fields["sex"] = field_from_line(page, row, text[value_at], 1.0, label=None)
        rest = text[value_at + 1 :]
        group = next((rest[i:] for i in range(len(rest)) if ethnicity(rest[i:]) in ETHNIC_GROUPS), None)
        if "ethnicity" not in fields and group:
            fields["ethnicity"] = field_from_line(page, row, ethnicity(group), 1.0, label=None)
        if "ethnicity" in fields:
            return


def _address_without_label(pages: list[Page], fields: dict[str, FieldValue]) -> FieldValue | None:
    """The face prints 住址 between the birth date and the number, its lines starting at
    the value column: those lines, taken without their label (less surely) when they
    read as an address."""
    birth, number = fields.get("birth_date"), fields.get("id_number")
    if not (birth and number and birth.bbox and number.bbox and birth.page == number.page):
        return None
    page = next((p for p in pages if p.number == birth.page), None)
    if page is None:
        return None
    left, top, bottom = birth.bbox[0], birth.bbox[3], number.bbox[1]
    h = birth.bbox[3] - birth.bbox[1]
    lines = sorted((ln for ln in page.lines if ln.bbox and ln.y0 >= top - 0.3 * h and ln.y1 <= bottom + 0.3 * h
                    and abs(ln.x0 - left) <= 1.5 * h), key=lambda ln: ln.y0)
    text = values.tidy_address("".join(compact(ln.text) for ln in lines))
    if not lines or not values.address(text):
        return None
    # read on as a labelled address is: its lost end (房 alone on a line of its own) too
    text, sure = _address(Hit(text, lines, page, "住址", min(ln.confidence for ln in lines)))
    return FieldValue(value=text, confidence=round(sure * 0.85, 3), page=page.number,
                      bbox=list(union_box(lines)), label=None)


def _lone_sex(pages: list[Page]) -> FieldValue | None:
    found = [(page, ln) for page in pages for ln in page.lines if "".join(ln.text.split()) in ("男", "女")]
    if len(found) != 1:
        return None
    page, line = found[0]
    return field_from_line(page, line, "".join(line.text.split()), 0.8, label=None)


def _only_date_on_the_face(pages: list[Page]) -> FieldValue | None:
    """A card face prints one date, the birth date: the single line holding a whole
    年/月/日 date, taken without its label (less surely); none when there are more."""
    dated = [(page, line, iso) for page in pages for line in page.lines
             if re.search(r"\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日", line.text) and (iso := parse_date(line.text))]
    if len(dated) != 1:
        return None
    page, line, iso = dated[0]
    return field_from_line(page, line, iso, 0.85, label=None)


def _address(hit: Hit) -> tuple[str, float]:
    """住址 as printed, and how surely it was read: no stray ink of the label before it;
    where a watermark swelled the last line's box, nothing after the address's last
    house-number word; a short last line the detector missed (房 alone) read again."""
    hit = _swollen_lines_read_again(hit)
    last = hit.lines[-1]
    others = [ln.height for ln in hit.lines[:-1]]
    part = compact(last.text)
    if others and last.height > 1.6 * max(others) and hit.value.endswith(part):
        # the last line's box swollen by a watermark: of that line, only what runs up to
        # its last house-number word (all of it a watermark's, where it holds none)
        end = max(part.rfind(word) for word in "号室房楼栋层组")
        hit = Hit(hit.value[: -len(part)] + part[: end + 1], hit.lines[:-1] if end < 0 else hit.lines,
                  hit.page, hit.label, min(ln.confidence for ln in hit.lines[:-1]) if end < 0 else hit.confidence)
    # a house number without its word lost the word under a stroke: its line read on
    hit = reread_cut(hit, lambda v: not re.search(r"\d$", v), reach=2.5)
    text = values.tidy_address(hit.value)
    # a character or two after the house number's last word that no address ends with
    # (房年, 房牵引): a watermark's strokes on the short last line
    tail = re.search(r"(?<=[号室房楼栋层组])[\u4e00-\u9fff]{1,2}$", text)
    if tail and not values.address_end(tail.group(0)) and not any(values.address_end(ch) for ch in tail.group(0)):
        return text[: tail.start()], min(hit.confidence, 0.85)
    if re.search(r"[号室房楼栋层组村]$", text):
        return text, hit.confidence
    rest = _short_last_line(hit)
    if rest is not None:
        return text + rest[0], min(hit.confidence, rest[1])
    return text, hit.confidence


def _swollen_lines_read_again(hit: Hit) -> Hit:
    """A wrapped line whose box a watermark swelled (half again as tall as the value's
    shortest line) can lose its last character to the strokes (226号1 read as 226号):
    read again within its box, a sure reading that only adds a character or two at its
    end replaces it."""
    page = hit.page
    boxed = [ln for ln in hit.lines if ln.bbox]
    if page.reread is None or page.image is None or len(boxed) < 2:
        return hit
    shortest = min(ln.height for ln in boxed)
    value = hit.value
    for line in boxed:
        part = compact(line.text)
        if line.height < 1.5 * shortest or not part or value.count(part) != 1:
            continue
        again = page.reread(line.bbox, 1.0)
        longer = compact(again.text) if again else ""
        if again and again.confidence >= 0.95 and longer.startswith(part) and 1 <= len(longer) - len(part) <= 2:
            value = value.replace(part, longer)
    return hit if value == hit.value else Hit(value, hit.lines, page, hit.label, hit.confidence, hit.glued_box)


def _short_last_line(hit) -> tuple[str, float] | None:
    """The few characters (房, 773房) a wrapped address ends with, on a line of their own
    under its last line where the detector boxed nothing."""
    page, first, last = hit.page, hit.lines[0], hit.lines[-1]
    if page.reread is None or page.image is None or not last.bbox:
        return None
    h = max(last.height, 8.0)
    box = (first.x0 - 0.2 * h, last.y1 + 0.05 * h, first.x0 + 3.5 * h, last.y1 + 1.3 * h)
    # something there was read, and was not this value's (a box half again as tall as a
    # line, a watermark's slanted text, hides nothing, nor does a box read as noise: 房
    # under a stroke read as 宁 at 0.44)
    if any(overlaps(ln.bbox, box) and ln.height < 1.5 * h and ln.confidence >= 0.6 for ln in page.lines if ln.bbox):
        return None
    again = page.reread(box, 1.0)
    chars = "".join(again.text.split()) if again else ""
    if 1 <= len(chars) <= 6 and re.fullmatch(r"[\u4e00-\u9fff0-9]*[号室房楼栋层组]", chars) and again.confidence >= 0.8:
        return chars, min(again.confidence, 0.9)
    return None


def extract_back(pages: list[Page]) -> dict[str, FieldValue]:
    reader = LayoutReader(pages, BACK_VOCABULARY)
    fields: dict[str, FieldValue] = {}
    is_issuer = lambda v: bool(_ISSUER.fullmatch(v))  # noqa: E731
    hit = reader.find("issuing_authority", multiline=True, max_lines=1, below=False, accept=is_issuer)
    if hit:
        hit = reread_cut(hit, is_issuer)
    if hit is None or not is_issuer(hit.value):  # the bureau's name crossed by a watermark's stroke, unboxed
        hit = reader.reread_beside("issuing_authority", is_issuer, reach=14) or hit
    if (hit is None or not is_issuer(hit.value)) and (alone := _issuer_without_label(pages)):
        fields["issuing_authority"] = alone
    elif hit:
        # a Dongguan bureau one character off its name (公安属) is that bureau
        issuer = known_or_read(values.town_snapped(hit.value, _BRANCH_TOWN), police_issuers())
        fields["issuing_authority"] = hit.field(issuer, corrected=issuer != hit.value)
    hit = reader.find("valid", multiline=True, max_lines=1, below=False)
    if hit:
        _validity(hit.value, hit.field, fields)
    else:  # 有效期限 lost under a watermark: the back's one line holding a date range
        for page in pages:
            for line in page.lines:
                if len(_CARD_DATE.findall(line.text)) == 2 or (_CARD_DATE.search(line.text) and "长期" in line.text):
                    # label unseen; a range on a card's back is nothing else
                    _validity(line.text, lambda value, p=page, ln=line: field_from_line(p, ln, value, 0.9), fields)
                    return fields
    return fields


def _validity(text: str, make, fields: dict[str, FieldValue]) -> None:
    # OCR often drops the dash: read the dates themselves, then 长期
    dates = [d for d in (parse_date(m.group(0)) for m in _CARD_DATE.finditer(text)) if d]
    if dates:
        fields["valid_from"] = make(dates[0])
    end = dates[1] if len(dates) > 1 else ("long_term" if "长期" in text else None)
    if end:
        fields["valid_to"] = make(end)


_ISSUER = re.compile(r"[\u4e00-\u9fff]{2,12}公安局(?:[\u4e00-\u9fff]{1,8}分局)?")
_BRANCH_TOWN = r"东莞市公安局([\u4e00-\u9fff]{2,5}?)分局"  # the town of a Dongguan police branch


def _issuer_without_label(pages: list[Page]) -> FieldValue | None:
    """签发机关 lost (under a stamp or a watermark): the back's one line naming a public
    security bureau, at a lower confidence since its label was not seen."""
    for page in pages:
        for line in page.lines:
            text, confidence = "".join(line.text.split()), 0.8
            if not _ISSUER.fullmatch(text) and "公安" in text and page.reread and line.bbox:
                # a blurred branch's town read as a digit (东莞市公安局院1分局): read again
                pad = 0.2 * line.height
                again = page.reread((line.x0 - pad, line.y0 - pad, line.x1 + pad, line.y1 + pad), 1.0)
                text, confidence = ("".join(again.text.split()), 0.75) if again else (text, confidence)
            if match := _ISSUER.fullmatch(text):
                issuer = values.town_snapped(match.group(0), _BRANCH_TOWN)
                return field_from_line(page, line, issuer, confidence, corrected=issuer != match.group(0))
    return None
