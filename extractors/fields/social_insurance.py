"""社保（参保）证明: employer, issuer, print date and the insured persons over pages."""

from __future__ import annotations

import re
from collections import Counter

from dgintake.models import FieldValue
from extractors import values
from extractors.fields.code_spans import labelled_code
from extractors.fields.common import (
    MASKED_ID_TOKEN,
    find_id_number,
    find_uscc,
    normalise_code_text,
    uscc_ok,
)
from extractors.fields.masked_ids import read_masked
from extractors.fields.tables import cell_box, id_cell_width, read_table, reread_cell_line
from extractors.layout import LayoutReader, Vocabulary
from extractors.lexicon import SI_ISSUERS, known_or_read
from extractors.page import Page

VOCABULARY = Vocabulary({
    "employer_name": ("单位名称", "参保单位", "用人单位", "缴费单位", "参保单位名称"),
    "credit_code": ("统一社会信用代码", "社会信用代码", "纳税人识别号"),
    "print_date": ("打印日期", "打印时间", "出具日期", "开具日期"),
    "place": ("参保地",),
    "issuer": ("出具机构", "出具单位", "开具机构", "开具单位", "证明机构", "经办机构"),
    "_code": ("验证码",),
})
COLUMNS = {
    "seq": r"^序号$|^编号$|^No\.?$",
    "id_number": r"证件号|身份证|公民身份",
    "period": r"起止|期间|年月",
    "months": r"月数|缴费月|累计",
    "insurance": r"险种",
    "name": r"^姓名",
}
ISSUER = re.compile(
    r"(国家税务总局[\u4e00-\u9fff]{0,12}?税务局|[\u4e00-\u9fff]{2,12}?社会保险基金管理中心|"
    r"[\u4e00-\u9fff]{2,12}?社会保障局|[\u4e00-\u9fff]{2,10}?社保局|[\u4e00-\u9fff]{2,10}?税务局)"
)
_NAME = re.compile(r"[\u4e00-\u9fff·]{2,5}")
# what a cell beside a name must show to make the row an insured person's
_PERSON_CELLS = {"id_number": r"[\d*＊]{6}", "period": r"\d{4}", "months": r"\d"}


def _is_person(record: dict) -> bool:
    """A row naming someone and holding something of theirs (a number, a period, a
    month count): a name-like reading alone, under the table, is a stamp's or a
    watermark's strokes."""
    named = bool(_NAME.fullmatch(record.get("name") or "")) and not re.search(r"姓名|合计", record["name"])
    return named and any(re.search(shape, record.get(column) or "") for column, shape in _PERSON_CELLS.items())


def _months(period: str) -> list[str]:
    # a year is 19xx or 20xx: a speck read as a digit before it (92023-08) is no part of it
    found = re.findall(r"((?:19|20)\d{2})\D{0,2}?(\d{1,2})", period or "")
    return [f"{y}-{int(m):02d}" for y, m in found if 1 <= int(m) <= 12]


_MASK = re.compile(r"([0-9]*)[*]+([0-9Xx]*)")  # shown head, asterisk run, shown tail


def _masked(head: str, tail: str) -> str:
    """An 18-character masked number: the run fills what the shown head and tail leave."""
    return head + "*" * (18 - len(head) - len(tail)) + tail.upper()


def _mask_to_length(masked: str) -> str:
    """OCR miscounts a run of asterisks; an ID number is 18 characters, so the run is
    rebuilt to fill what the visible head and tail leave."""
    match = _MASK.fullmatch(masked)
    if not match or len(match.group(1)) + len(match.group(2)) >= 18:
        return masked
    return _masked(*match.groups())


def _id_value(text: str | None) -> str | None:
    if not text:
        return None
    compact = re.sub(r"(?<=\d)\*(?=\d)", "", normalise_code_text(text))  # a lone star inside digits is a speck
    masked = MASKED_ID_TOKEN.search(compact)
    if masked and "*" in masked.group(0):
        return _mask_to_length(masked.group(0))
    number, _ = find_id_number(compact)
    return number or compact


def _complete_id(text: str | None) -> bool:
    value = _id_value(text)
    return bool(value) and len(value) == 18 and bool(re.fullmatch(r"[0-9*]{17}[0-9Xx*]", value))


def _reread_broken_ids(pages: list[Page], rows: list[dict]) -> None:
    """Asterisk runs defeat the recogniser: a masked number comes back cut short
    (4301****), with its stars miscounted or a digit folded into them, or not at all.
    Masked cells are read again in parts (`read_masked`); failing that, a cell that is
    incomplete or masked unlike most rows is read again whole, stretched."""
    width = id_cell_width(rows)
    if width is None:
        return
    merged_rows = set()
    for index, row in enumerate(rows):  # masked or incomplete: read again in parts
        if _mask_shape(_raw_mask(row.get("id_number"))) is not None or not _complete_id(row.get("id_number")):
            found = cell_box(pages, row, "id_number", width)
            merged = _merge_readings(_id_value(row.get("id_number")), read_masked(*found) if found else None)
            if merged:
                row["id_number"] = merged
                merged_rows.add(index)
    # the proof's masking, as most masked rows now show it: rows whose two readings
    # agreed, where there are any, before rows read once
    trusted = [r for i, r in enumerate(rows) if i in merged_rows] or rows
    shapes = Counter(s for s in (_mask_shape(_raw_mask(r.get("id_number"))) for r in trusted) if s)
    usual = shapes.most_common(1)[0][0] if shapes else None
    for index, row in enumerate(rows):
        shape = _mask_shape(_raw_mask(row.get("id_number")))
        as_usual = shape is None or usual is None or shape == usual
        # read unsurely (a digit misread, two swapped): a surer whole reading replaces it
        read_at = row.get("_cell_confidence", {}).get("id_number", 1.0)
        unsure = index not in merged_rows and read_at < 0.9
        if (index in merged_rows and (usual is None or shape == usual)) or (
            _complete_id(row.get("id_number")) and as_usual and not unsure
        ):
            continue
        best, best_at = None, read_at if unsure else -1.0
        for stretch in (2.0, 2.6, 1.5):  # wider looks when one misses a character; a narrower one when a rule reads as one
            line = reread_cell_line(pages, row, "id_number", width, stretch)
            text = "".join(line.text.split()).strip("*") if line else ""
            if text and _complete_id(text) and (usual is None or _mask_shape(_raw_mask(text)) in (usual, None)):
                if line.confidence > best_at:
                    best, best_at = text, line.confidence
                if not unsure:
                    break  # the first good reading will do
        if best:
            row["id_number"] = best


def _merge_readings(whole: str | None, parts: str | None) -> str | None:
    """A masked number read whole and read in parts: each may drop a digit at the edge
    of the asterisk run, so where one reading's shown digits extend the other's, the
    longer head and the longer tail are kept and the run fills the rest (see `_extends`);
    readings that disagree on a digit leave the whole reading as it was."""
    if not parts:
        return None
    mine = _MASK.fullmatch((whole or "").upper())
    theirs = _MASK.fullmatch(parts.upper())
    if not mine:
        return parts if not whole or len(whole) != 18 else None
    heads, tails = (mine.group(1), theirs.group(1)), (mine.group(2), theirs.group(2))
    if not all(_extends(*pair) for pair in (heads, tails)):
        return None
    head, tail = max(heads, key=len), max(tails, key=len)
    return _masked(head, tail) if len(head) + len(tail) <= 16 else None


def _extends(a: str, b: str) -> bool:
    """One reading of shown digits is the other with digits lost: at either edge (the
    cell's margin or the asterisk run: 1 for 441), or a single one inside (a narrow 1
    folded into its neighbours: 44900 for 441900)."""
    short, long = sorted((a, b), key=len)
    if long.startswith(short) or long.endswith(short):
        return True
    return len(long) == len(short) + 1 and any(long[:i] + long[i + 1 :] == short for i in range(len(long)))


def _raw_mask(text: str | None) -> str | None:
    """The masked token as read, before its star run is rebuilt to length."""
    masked = MASKED_ID_TOKEN.search(normalise_code_text(text or ""))
    return masked.group(0) if masked and "*" in masked.group(0) else None


def _mask_shape(value: str | None) -> tuple[int, int] | None:
    match = _MASK.fullmatch(value or "")
    return (len(match.group(1)), len(match.group(2))) if match else None


def uniform_masks(values: list[str | None]) -> list[str | None]:
    """One proof masks every number the same way (say six digits shown, then the last
    four). Where most rows agree on that shape, a row showing more digits than the
    rest has read an asterisk as a digit, and the extra digit goes back under the mask."""
    shapes = Counter(shape for shape in map(_mask_shape, values) if shape)
    if not shapes:
        return values
    (head, tail), count = shapes.most_common(1)[0]
    if count < 3 or count < 0.6 * sum(shapes.values()):
        return values
    fixed = []
    for value in values:
        shape = _mask_shape(value)
        if shape and shape != (head, tail) and shape[0] >= head and shape[1] >= tail:
            value = _masked(value[:head], value[-tail:])
        fixed.append(value)
    return fixed


def _issuer(pages: list[Page], reader: LayoutReader) -> FieldValue | None:
    """The body that issues the proof: the value of its label (出具机构), else a line that
    names a body and nothing else (the signature block), the lowest on the last page
    holding one. A body named inside a sentence (可通过国家税务总局广东省电子税务局查验)
    is no issuer."""
    hit = reader.find("issuer", accept=lambda v: ISSUER.search(v) is not None)
    if hit and (match := ISSUER.search(hit.value)):
        return _issuer_value(match.group(1), hit.confidence, hit.page, [ln for ln in hit.lines if ln.bbox])
    for page in reversed(pages):
        signed = [(ln, name) for ln in page.lines if (name := _signature(ln.text))]
        if signed:
            line, name = max(signed, key=lambda item: item[0].y1)
            return _issuer_value(name, line.confidence, page, [line])
    return None


_AFTER_SIGNATURE = re.compile(r"[\d年月日.\-/：:（）()盖章]*")


def _signature(text: str) -> str | None:
    """A signature line: a body's name, perhaps followed by a date or (盖章)."""
    match = ISSUER.match("".join(text.split()))
    if match and _AFTER_SIGNATURE.fullmatch("".join(text.split())[match.end():]):
        return match.group(1)
    return None


def _issuer_value(read: str, confidence: float, page: Page, lines) -> FieldValue:
    value = known_or_read(read, SI_ISSUERS)
    if value != read:
        confidence *= 0.9  # 东崇市… is a misread, not a city
    box = lines[0].bbox if lines else None
    return FieldValue(value=value, confidence=round(confidence, 3), page=page.number, bbox=list(box) if box else None)


def extract(pages: list[Page]) -> dict[str, FieldValue]:
    reader = LayoutReader(pages, VOCABULARY)
    fields: dict[str, FieldValue] = {}
    hit = reader.find("employer_name", accept=values.organisation_once_tidied)
    if hit:
        name = values.tidy_organisation(hit.value)
        fields["employer_name"] = hit.field(name, corrected=name != hit.value)
    hit = reader.find("credit_code")
    if hit and (code := labelled_code(hit, find_uscc, uscc_ok)):
        fields["employer_credit_code"] = code
    if dated := reader.find_date("print_date"):
        fields["print_date"] = dated
    if issuer := _issuer(pages, reader):
        fields["issuer"] = issuer
    rows = read_table(pages, COLUMNS, _is_person)
    _reread_broken_ids(pages, rows)
    insured = []
    for row in rows:
        months_text = re.sub(r"\D", "", row.get("months") or "")
        period = _months(row.get("period") or "")
        insured.append(
            {
                "name": row.get("name"),
                "id_number": _id_value(row.get("id_number")),
                "months": int(months_text) if months_text and len(months_text) <= 3 else None,
                "period_from": period[0] if period else None,
                "period_to": period[-1] if len(period) > 1 else None,
            }
        )
    for person, number in zip(insured, uniform_masks([p["id_number"] for p in insured])):
        person["id_number"] = number
    boxes = [r["_bbox"] for r in rows if "_bbox" in r]
    fields["insured"] = FieldValue(
        value=insured,
        confidence=round(sum(r.get("_confidence", 1.0) for r in rows) / len(rows), 3) if rows else 0.5,
        page=pages[0].number,
        bbox=[min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes)] if boxes else None,
    )
    return fields
