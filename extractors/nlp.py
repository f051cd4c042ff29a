"""A small Chinese spaCy pipeline that needs no download.

`spacy.blank("zh")` with its character segmenter (no dictionary to fetch) plus a
component that marks what the letters carry: organisations ending in a legal form,
mobile and Dongguan landline numbers, and printed dates. Matching is by regular
expression over the text, mapped onto tokens with `Doc.char_span` (spaCy's own
recipe for regex entities): bounded-repeat token patterns over single characters
make the Matcher blow up on long OCR lines.
"""

from __future__ import annotations

import re
from functools import lru_cache

ENTITY_PATTERNS = {
    "ORG": re.compile(
        r"[\u4e00-\u9fff（）()]{2,30}?(?:股份有限公司|有限责任公司|有限公司|合伙企业（有限合伙）|合伙企业|专业合作社|研究院)"
        r"(?:[\u4e00-\u9fff]{1,10}?(?:分公司|分支机构|分厂))?"
    ),
    "PHONE": re.compile(r"(?<!\d)(?:1[3-9]\d{9}|0769-?\d{8})(?!\d)"),
    "DATE": re.compile(r"\d{4}年\d{1,2}月\d{1,2}日"),
    "TOWN": re.compile(r"[\u4e00-\u9fff]{2,4}(?:镇|街道)|松山湖"),
}
_PREFIXES = ("我单位", "我公司", "申请单位", "单位名称", "申请人", "本单位", "现将", "盖章", "公章", "特此", "关于")


@lru_cache(maxsize=1)
def pipeline():
    import spacy
    from spacy.language import Language
    from spacy.util import filter_spans

    if not Language.has_factory("dg_regex_entities"):

        @Language.component("dg_regex_entities")
        def regex_entities(doc):
            spans = []
            for label, pattern in ENTITY_PATTERNS.items():
                for match in pattern.finditer(doc.text):
                    span = doc.char_span(match.start(), match.end(), label=label, alignment_mode="expand")
                    if span is not None:
                        spans.append(span)
            doc.ents = filter_spans(spans)
            return doc

    nlp = spacy.blank("zh")  # character segmentation: nothing to download
    nlp.add_pipe("dg_regex_entities")
    return nlp


def entities(text: str) -> list[tuple[str, str]]:
    """(label, text) pairs in order; organisation names trimmed of leading clause words."""
    doc = pipeline()("".join(text.split()))
    out = []
    for ent in doc.ents:
        value = ent.text
        if ent.label_ == "ORG":
            for prefix in _PREFIXES:
                if prefix in value:
                    value = value.split(prefix)[-1]
            value = value.lstrip("（）():：")
            if "东莞" in value and not value.startswith("东莞"):
                value = value[value.index("东莞") :]
        out.append((ent.label_, value))
    return out
