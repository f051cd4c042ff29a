"""本地服务团队名单: one row per member."""

from __future__ import annotations

import re

from dgintake.models import FieldValue
from extractors.fields.common import find_id_number, id_checksum_ok, normalise_code_text
from extractors.fields.tables import id_cell_width, read_table, reread_cell
from extractors.page import Page

COLUMNS = {
    "seq": r"^序号$|^编号$|^No\.?$",
    "id_number": r"身份证|证件号|身份号码",
    "phone": r"电话|手机|联系方式",
    "role": r"岗位|职务|职位|角色|分工",
    "name": r"^姓名|^名字|^成员",
}
_NAME = re.compile(r"[\u4e00-\u9fff·]{2,5}")
# what a cell beside a name must show to make the row a member's (a footer's 填报单位（盖章）
# under the ID column is not an ID number)
_MEMBER_CELLS = {"seq": r"^\d{1,3}$", "id_number": r"[\d*＊]{6}", "phone": r"\d{5}", "role": r"\S"}


def _is_member(record: dict) -> bool:
    """A row naming someone and holding something else of the row (a number, a role, a
    phone): a name-like reading alone is a watermark's or a stamp's words crossing the
    table (仅供数字…)."""
    name = record.get("name") or ""
    named = bool(_NAME.fullmatch(name)) and not re.search(r"姓名|合计|备注", name)
    return named and any(
        re.search(shape, record.get(column) or "") for column, shape in _MEMBER_CELLS.items()
    )



def _phone(text: str | None) -> str | None:
    if not text:
        return None
    digits = re.sub(r"[^\d-]", "", text.replace("O", "0").replace("o", "0"))
    return digits or None


def _reread_broken_ids(pages: list[Page], rows: list[dict]) -> None:
    """A number that does not pass its check as read (a digit lost or split off by the
    detector) is read again whole from its cell; the new reading is kept only if it
    passes, so a number that is really wrong stays as printed."""
    width = id_cell_width(rows)
    if width is None:
        return
    for row in rows:
        number, _ = find_id_number(row.get("id_number") or "")
        if number and id_checksum_ok(number):
            continue
        for stretch in (1.0, 2.0):
            text = reread_cell(pages, row, "id_number", width, stretch)
            if text and id_checksum_ok(normalise_code_text(text)):
                row["id_number"] = text
                break


def extract(pages: list[Page]) -> dict[str, FieldValue]:
    rows = read_table(pages, COLUMNS, _is_member)
    _reread_broken_ids(pages, rows)
    members, confidences, corrected_any = [], [], False
    for row in rows:
        number, corrected = find_id_number(row.get("id_number") or "")
        corrected_any |= corrected
        members.append(
            {
                "name": row.get("name"),
                "role": row.get("role"),
                "id_number": number or (normalise_code_text(row["id_number"]) if row.get("id_number") else None),
                "phone": _phone(row.get("phone")),
            }
        )
        confidences.append(row.get("_confidence", 1.0))
    if not members:
        return {"members": FieldValue(value=[], confidence=0.5, page=pages[0].number)}
    boxes = [r["_bbox"] for r in rows if "_bbox" in r]
    bbox = [min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes)] if boxes else None
    return {
        "members": FieldValue(
            value=members,
            confidence=round(sum(confidences) / len(confidences), 3),  # the table as a whole
            page=pages[0].number,
            bbox=bbox,
            corrected=corrected_any,
        )
    }
