"""Second readings of a value found beside its label, from the page image: where the
value was glued into its label's box, where its end was lost under a watermark's
stroke, where it was read unsurely. Each keeps the second reading only when it looks
like a value of its kind and the first did not, or was read less surely."""

from __future__ import annotations

from extractors.labels import SEPARATORS, compact
from extractors.layout import Hit, Validator


def reread_glued(hit: Hit, accept: Validator) -> Hit:
    """A value read inside its label's box, read again alone: kept when that reading
    looks like a value of its kind and was read more surely (or the first did not look
    like one)."""
    if hit.glued_box is None:
        return hit
    return _read_again(hit, hit.glued_box, 1.0, accept, or_if_first_wrong=True)


def reread_unsure(hit: Hit, accept: Validator, below: float = 0.9) -> Hit:
    """A one-line value read below `below` (a blurred photo's 秦 read as 泰 at 0.86) read
    again on its own box, stretched as cells are: kept when it looks like a value of its
    kind and was read more surely."""
    if hit.confidence >= below or len(hit.lines) != 1 or not hit.lines[0].bbox:
        return hit
    return _read_again(hit, hit.lines[0].bbox, 2.0, accept, or_if_first_wrong=False)


def _read_again(hit: Hit, box, stretch: float, accept: Validator, or_if_first_wrong: bool) -> Hit:
    """`hit` with `box` read again as its value, where that reading looks like a value of
    its kind and was read more surely (or, with `or_if_first_wrong`, the first reading
    did not look like one)."""
    page = hit.page
    if page.reread is None or page.image is None:
        return hit
    again = page.reread(box, stretch)
    text = compact(again.text).lstrip(SEPARATORS) if again else ""
    better = again is not None and (again.confidence > hit.confidence or (or_if_first_wrong and not accept(hit.value)))
    if text and text != hit.value and accept(text) and better:
        return Hit(text, hit.lines, page, hit.label, min(again.confidence, 0.95), hit.glued_box)
    return hit


def reread_cut(hit: Hit, accept: Validator, reach: float = 4.0) -> Hit:
    """A value that does not look like its kind because its end was lost under a
    watermark's stroke (东莞市公安局厚 for …厚街分局, an address ending …2880 before its
    房): its last line read again over a box running `reach` line heights past its end,
    and kept when the value with that reading does look like one and the reading begins
    as the line did."""
    page, last = hit.page, hit.lines[-1] if hit.lines else None
    if accept(hit.value) or last is None or not last.bbox or page.reread is None or page.image is None:
        return hit
    head, part = "", hit.value
    if len(hit.lines) > 1:  # the earlier lines stand as read
        part = compact(last.text)
        if not part or not hit.value.endswith(part):
            return hit
        head = hit.value[: -len(part)]
    h = max(last.height, 8.0)
    x0 = hit.lines[0].x0 if len(hit.lines) == 1 else last.x0
    again = page.reread((x0, last.y0 - 0.2 * h, last.x1 + reach * h, last.y1 + 0.2 * h), 1.0)
    text = compact(again.text) if again else ""
    if text.startswith(part[:2]) and accept(head + text):
        confidence = min([again.confidence, 0.9] + [ln.confidence for ln in hit.lines[:-1]])
        return Hit(head + text, hit.lines, page, hit.label, confidence, hit.glued_box)
    return hit
