"""Name comparison after normalising width, brackets and white space."""

from __future__ import annotations

import unicodedata

CONFUSABLE_HAN = [set("己已巳"), set("未末"), set("士土"), set("日曰"), set("人入"), set("天夭"), set("东乐")]


def normalise_name(text: str | None) -> str:
    if not text:
        return ""
    text = unicodedata.normalize("NFKC", text)
    return "".join(text.split()).replace("(", "（").replace(")", "）")


def one_char_apart(a: str, b: str) -> bool:
    return len(a) == len(b) and sum(x != y for x, y in zip(a, b)) == 1
