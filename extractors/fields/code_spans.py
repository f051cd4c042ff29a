"""Identifiers printed inside prose: found across a line break, and read again from the page.

A letter prints its credit code in the middle of a sentence, and the sentence often wraps
inside the code (…信用代码：914419005M5J / JMLB0B）为…). Read as part of a whole line, a
code of narrow characters among wide ones is where the recogniser slips most: a doubled
character collapses into one (JJ → J, the CTC blank between them lost). Reading only the
stretch of the line that holds the code gives the recogniser more time steps per
character and nothing else to attend to.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from dgintake.models import FieldValue
from extractors.labels import union_box, units
from extractors.page import Line, Page

_RUN = re.compile(r"[0-9A-Z]{3,}")
_ANY_RUN = re.compile(r"[0-9A-Z]+")
_PRINTED = re.compile(r"(?<![0-9A-Z])[0-9A-Z]{15,20}(?![0-9A-Z])")
Piece = tuple[Line, int, int]  # a line and the character span of the code in its text


def span_box(line: Line, start: int, end: int, pad: float = 1.5) -> tuple[float, float, float, float]:
    """The page box around characters `start:end` of `line.text`, widened by `pad` ems on
    each side (the estimate is proportional, so it errs by a character or so)."""
    total = units(line.text) or 1.0
    em = (line.x1 - line.x0) / total
    x0 = line.x0 + em * (units(line.text[:start]) - pad)
    x1 = line.x0 + em * (units(line.text[:end]) + pad)
    margin = 0.2 * line.height
    return (max(x0, line.x0 - em), line.y0 - margin, min(x1, line.x1 + em), line.y1 + margin)


def code_pieces(page: Page, min_length: int = 15, max_length: int = 20) -> Iterator[list[Piece]]:
    """Every code-shaped run on the page, a run that ends one line and one that starts the
    next taken together."""
    lines = [ln for ln in page.lines if ln.bbox]
    for i, line in enumerate(lines):
        upper = line.text.upper()
        for match in _RUN.finditer(upper):
            pieces: list[Piece] = [(line, match.start(), match.end())]
            length = match.end() - match.start()
            ends_line = not upper[match.end() :].strip()
            if ends_line and i + 1 < len(lines):
                following = lines[i + 1]
                head = _ANY_RUN.match(following.text.upper().lstrip())
                if head and following.y0 > line.cy:
                    offset = len(following.text) - len(following.text.lstrip())
                    pieces.append((following, offset + head.start(), offset + head.end()))
                    length += head.end() - head.start()
            if min_length <= length <= max_length:
                yield pieces


def _joined(pieces: list[Piece]) -> str:
    return "".join(line.text.upper()[start:end] for line, start, end in pieces)


def _reread(page: Page, pieces: list[Piece], stretch: float = 1.3) -> tuple[str, float] | None:
    """The code as read again from its spans: the last run of the first span (the code
    ends that line), the first run of the next."""
    parts, confidences = [], []
    for n, (line, start, end) in enumerate(pieces):
        again = page.reread(span_box(line, start, end), stretch) if page.reread else None
        if again is None:
            return None
        runs = _ANY_RUN.findall("".join(again.text.upper().split()))
        if not runs:
            return None
        if len(pieces) == 1:
            parts.append(max(runs, key=len))
        else:
            parts.append(runs[-1] if n == 0 else runs[0])
        confidences.append(again.confidence)
    return "".join(parts), min(confidences)


def code_in_prose(
    pages: list[Page], finder: Callable[[str], tuple[str | None, bool]], is_valid: Callable[[str], bool],
    near: list[Line] | None = None,
) -> FieldValue | None:
    """The first code in the pages' prose that validates, as printed or after one
    confusable repair, whole on a line or wrapped over two; a run that fails is read
    again from the page image before it is given up. With `near`, only a code that
    starts on one of those lines (its label's) is taken."""
    for page in pages:
        for pieces in code_pieces(page):
            if near is not None and not any(pieces[0][0] is line for line in near):
                continue
            lines = [line for line, _, _ in pieces]
            code, corrected = finder(_joined(pieces))
            confidence = min(ln.confidence for ln in lines) * (0.97 if len(pieces) == 1 else 0.93)
            # read again stretched, then as it stands: which of the two keeps a doubled
            # narrow character apart (JJ) or a J beside a T varies from code to code
            for stretch in (1.3, 1.0):
                if (code and is_valid(code)) or page.image is None:
                    break
                again = _reread(page, pieces, stretch)
                if again:
                    code, corrected = finder(again[0])
                    confidence = min(again[1], 0.9)
            if code and is_valid(code):
                return FieldValue(
                    value=code, confidence=round(min(confidence, 0.85) if corrected else confidence, 3),
                    page=page.number, bbox=union_box(lines), corrected=corrected,
                )
    return None


def labelled_code(
    hit, finder: Callable[[str], tuple[str | None, bool]], is_valid: Callable[[str], bool]
) -> FieldValue | None:
    """The code printed after its label: as read when it validates, else found again on
    the label's lines (wrapped, or read again from the image), else as read for the
    rules to judge, whatever its length."""
    code, corrected = finder(hit.value)
    if code and is_valid(code):
        return hit.field(code, corrected)
    lines = hit.page.lines
    near = list(hit.lines)
    last = max((i for i, line in enumerate(lines) if any(line is used for used in hit.lines)), default=None)
    if last is not None and last + 1 < len(lines):
        near.append(lines[last + 1])  # a code printed under its label
    again = code_in_prose([hit.page], finder, is_valid, near=near)
    if again:
        return again
    if code:
        return hit.field(code, corrected)
    # printed malformed (17 characters, a letter no code uses): reported as printed, for
    # the rules to judge, rather than dropped as if no code were printed; a code of full
    # length wrapped onto the next line is printed whole, invalid or not
    for pieces in code_pieces(hit.page, 18, 18):
        if len(pieces) == 2 and any(pieces[0][0] is line for line in hit.lines):
            lines = [line for line, _, _ in pieces]
            return FieldValue(value=_joined(pieces), confidence=round(min(ln.confidence for ln in lines) * 0.93, 3),
                              page=hit.page.number, bbox=union_box(lines), label=hit.label)
    printed = _PRINTED.search("".join(hit.value.split()).upper())
    return hit.field(printed.group(0)) if printed else None
