"""What the packet page shows: documents and fields beside their page images, findings
pointing at their evidence, cross-document values side by side, the decision history."""

from __future__ import annotations

from typing import Any

from dgintake.models import FIELDS_BY_DOC_TYPE
from dgintake.settings import get_settings
from review.services import pages as page_service
from review.services.labels import COLUMN_LABELS, DOC_LABELS, FIELD_LABELS, SEVERITY_LABELS, TABLE_COLUMNS, local_time
from review.services.masking import mask, mask_field_value
from validators.normalise import normalise_name
from validators.team import is_insured

# Where one name means different things on different documents.
LABELS_BY_DOC = {
    ("business_license", "name"): "名称",
    ("business_license", "address"): "住所",
    ("id_card_front", "name"): "姓名",
    ("id_card_front", "address"): "住址",
}


def box_percent(entry: dict | None, bbox: Any) -> list[float] | None:
    """[left, top, width, height] in percent of the page image, for an overlay that
    follows the image through zoom and rotation."""
    if entry is None or not isinstance(bbox, list) or len(bbox) != 4:
        return None
    try:
        x0, y0, x1, y1 = (float(v) * entry["bbox_scale"] for v in bbox)
    except (TypeError, ValueError):
        return None
    w, h = entry["width"], entry["height"]
    return [round(100 * x0 / w, 3), round(100 * y0 / h, 3), round(100 * (x1 - x0) / w, 3), round(100 * (y1 - y0) / h, 3)]


def _display(value: Any) -> str:
    if value is None:
        return ""
    if value == "long_term":
        return "长期"
    return str(value)


def documents(result: dict, pages: list[dict], history: dict, unmasked: bool) -> list[dict]:
    floor = get_settings().confidence_floor
    shown = []
    for position, document in enumerate(result.get("documents", [])):
        doc_type = document.get("doc_type", "unknown")
        fields = document.get("fields") or {}
        names = list(FIELDS_BY_DOC_TYPE.get(doc_type, ())) + [n for n in fields if n not in FIELDS_BY_DOC_TYPE.get(doc_type, ())]
        first_page = page_service.locate(pages, document.get("file"), (document.get("pages") or [1])[0])
        rows = []
        for name in names:
            data = fields.get(name) or {"value": None, "confidence": 0.0, "page": None, "bbox": None}
            value = data.get("value")
            if not unmasked:
                value = mask_field_value(name, value)
            entry = page_service.locate(pages, document.get("file"), data.get("page")) or first_page
            reviewed = "reviewed_by" in data
            machine_value = data.get("machine_value") if reviewed else value
            if not unmasked:
                machine_value = mask_field_value(name, machine_value)
            corrections = [
                {
                    "author": c.author,
                    "at": local_time(c.at.isoformat()),
                    "value": _display(c.value if unmasked else mask_field_value(name, c.value)),
                }
                for c in history.get((position, name), [])
                if not isinstance(c.value, list)
            ]
            confidence = data.get("machine_confidence") if reviewed else data.get("confidence")
            rows.append(
                {
                    "name": name,
                    "label": LABELS_BY_DOC.get((doc_type, name)) or FIELD_LABELS.get(name, name),
                    "table": name in TABLE_COLUMNS,
                    "columns": [(c, COLUMN_LABELS.get(c, c)) for c in TABLE_COLUMNS.get(name, ())],
                    "value": value if name in TABLE_COLUMNS else _display(value),
                    "raw": value,
                    "machine_value": machine_value if name in TABLE_COLUMNS else _display(machine_value),
                    "confidence": confidence or 0.0,
                    "low": value is not None and (confidence or 0.0) < floor,
                    "missing": value is None or value == [],
                    "repaired": bool(data.get("corrected")),
                    "reviewed": reviewed,
                    "reviewed_by": data.get("reviewed_by"),
                    "page_index": entry["index"] if entry else None,
                    "box": box_percent(entry, data.get("bbox")),
                    "history": corrections,
                }
            )
        shown.append(
            {
                "position": position,
                "doc_type": doc_type,
                "label": DOC_LABELS.get(doc_type, doc_type),
                "file": document.get("file"),
                "pages": document.get("pages") or [],
                "page_index": first_page["index"] if first_page else None,
                "sealed": document.get("sealed"),
                "fields": rows,
            }
        )
    return shown


def findings(result: dict, pages: list[dict]) -> list[dict]:
    positions = {}
    for position, document in enumerate(result.get("documents", [])):
        positions.setdefault(document.get("doc_type"), position)
    shown = []
    for finding in mask(result.get("findings", [])):
        evidence = []
        for item in finding.get("evidence") or []:
            entry = page_service.locate(pages, item.get("file"), item.get("page"))
            doc_type, _, field = (item.get("field") or "").partition(".")
            evidence.append(
                {
                    "label": " · ".join(
                        x for x in (item.get("file"), f"第{item.get('page')}页" if item.get("page") else "",
                                    FIELD_LABELS.get(field, field)) if x
                    ),
                    "page_index": entry["index"] if entry else None,
                    "box": box_percent(entry, item.get("bbox")),
                    "document": positions.get(doc_type),
                    "field": field or None,
                }
            )
        shown.append({**finding, "severity_label": SEVERITY_LABELS.get(finding.get("severity"), ""), "evidence": evidence})
    order = {"blocker": 0, "warning": 1, "info": 2}
    return sorted(shown, key=lambda f: order.get(f.get("severity"), 3))


def _value(result: dict, doc_type: str, field: str) -> Any:
    for document in result.get("documents", []):
        if document.get("doc_type") == doc_type:
            return ((document.get("fields") or {}).get(field) or {}).get("value")
    return None


def crossdoc(result: dict, unmasked: bool) -> list[dict]:
    """Rows of values that must agree across documents, with whether they do."""

    def row(label: str, cells: list[tuple[str, Any]]) -> dict:
        present = [normalise_name(v) for _, v in cells if isinstance(v, str) and v]
        if len(set(present)) > 1:
            state = "differ"
        else:
            state = "agree" if len(present) == len(cells) else "partial"  # nothing contradicts, something is missing
        return {"label": label, "cells": [(k, _display(v)) for k, v in cells], "agree": state == "agree", "state": state}

    rows = [
        row(
            "单位名称",
            [
                ("申请书", _value(result, "application_letter", "applicant_name")),
                ("营业执照", _value(result, "business_license", "name")),
                ("社保证明", _value(result, "social_insurance_proof", "employer_name")),
            ],
        ),
        row(
            "统一社会信用代码",
            [
                ("申请书", _value(result, "application_letter", "credit_code")),
                ("营业执照", _value(result, "business_license", "credit_code")),
                ("社保证明", _value(result, "social_insurance_proof", "employer_credit_code")),
            ],
        ),
        row(
            "法定代表人",
            [
                ("营业执照", _value(result, "business_license", "legal_representative")),
                ("身份证", _value(result, "id_card_front", "name")),
            ],
        ),
    ]
    members = _value(result, "team_list", "members") or []
    insured = _value(result, "social_insurance_proof", "insured") or []
    team = []
    for member in members if isinstance(members, list) else []:
        if not isinstance(member, dict):
            continue
        ok = isinstance(insured, list) and is_insured(member, [i for i in insured if isinstance(i, dict)])
        number = member.get("id_number")
        team.append(
            {
                "name": _display(member.get("name")),
                "id_number": _display(number if unmasked else mask_field_value("id_number", number)),
                "insured": ok,
            }
        )
    return [{"kind": "values", "rows": rows}, {"kind": "team", "members": team}]
