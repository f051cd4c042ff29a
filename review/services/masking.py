"""ID numbers (居民身份证号码) masked to their first 6 and last 4 characters.

Applied to lists, logs, audit details and exports everywhere; only reviewers and
approvers see a number whole, on the packet page and its API, and that view is audited.
"""

from __future__ import annotations

import re
from typing import Any

# An 18-character number with a plausible birth date (or an old 15-digit one), not part of
# a longer run of letters or digits (a credit code holds letters, a phone is 11 digits).
ID_PATTERN = re.compile(
    r"(?<![0-9A-Za-z])(?:\d{6}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx]"
    r"|\d{6}\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3})(?![0-9A-Za-z])"
)
ID_KEYS = {"id_number"}
CODE_KEYS = {"credit_code", "employer_credit_code"}


def mask_id(value: Any) -> Any:
    """`441900********123X` for a whole number; anything shorter than 11 characters is
    starred out entirely (nothing of a short fragment is worth showing)."""
    if not isinstance(value, str) or not value:
        return value
    if len(value) <= 10:
        return "*" * len(value)
    return value[:6] + "*" * (len(value) - 10) + value[-4:]


def mask_text(text: Any) -> Any:
    if not isinstance(text, str):
        return text
    return ID_PATTERN.sub(lambda m: mask_id(m.group(0)), text)


def mask(data: Any, key: str | None = None) -> Any:
    """A copy of `data` with every ID number masked: values under an `id_number` key, and
    any ID-shaped run inside other strings (messages, names read wrongly, audit details)."""
    if isinstance(data, dict):
        if key in ID_KEYS and "value" in data:  # a contract field {"value": …, "confidence": …}
            return {k: (mask_id(v) if k in ("value", "machine_value") else mask(v, k)) for k, v in data.items()}
        return {k: mask(v, k) for k, v in data.items()}
    if isinstance(data, list):
        return [mask(v, key) for v in data]
    if isinstance(data, str):
        if key in ID_KEYS:
            return mask_id(data)
        if key in CODE_KEYS:
            return data
        return mask_text(data)
    return data


def mask_field_value(field_name: str, value: Any) -> Any:
    """A field's value (scalar, or table rows) masked as lists and logs show it."""
    return mask({field_name: value}).get(field_name)
