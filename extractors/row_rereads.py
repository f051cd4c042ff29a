"""A value's continued rows read again where the detector's boxes left part of them out.

The layout reader follows a wrapped value down its left edge (layout.py). A row whose
first box starts right of that edge lost its start to the detector (under a watermark's
stroke, a short last row); one that starts left of it may carry a stroke beside the
value as a character. Each is settled by reading the row again from the edge. Two
boxes of one row that overlap or touch on a character both read are settled by
reading them again as one.
"""

from __future__ import annotations

from dataclasses import dataclass

from extractors.labels import compact, strip_index, x_at
from extractors.page import Line, Page


@dataclass
class GapReading:
    text: str  # what the gap before the row's first box reads
    row_start: Line  # that first box


def late_start(page: Page, after: list[Line], below: list[Line], last: Line, left: float, latest: float,
                h: float) -> GapReading | None:
    """The next row of a value whose first words the detector left unboxed (under a
    watermark's stroke): its first box starts a few characters right of the value's
    edge, and the gap before it, read again, holds text."""
    later = [ln for ln in after if latest < ln.x0 <= left + 6 * h]
    if not later or page.reread is None or page.image is None:
        return None
    start = min(later, key=lambda ln: ln.y0)
    if (below and min(ln.y0 for ln in below) <= start.y0 + 0.3 * h) or start.y0 - last.y1 > 1.3 * max(last.height, h):
        return None
    again = page.reread((left - 0.2 * h, start.y0 - 0.15 * h, start.x0, start.y1 + 0.15 * h), 1.0)
    text = compact(again.text) if again else ""
    if not text or again.confidence < 0.8:
        return None
    return GapReading(text, start)


def short_start_read_again(page: Page, line: Line, text: str, left: float, h: float) -> str:
    """A continued row whose box starts a character or so right of the value's edge
    (牛 for the last row 8房 of an address, its 8 unboxed): the row read again from
    the edge, where that reading is sure and holds more."""
    if page.reread is None or page.image is None or not line.bbox:
        return text
    again = page.reread((left - 0.2 * h, line.y0 - 0.15 * h, line.x1, line.y1 + 0.15 * h), 1.0)
    more = compact(again.text) if again else ""
    return more if again and again.confidence >= 0.9 and len(more) > len(text) else text


def stray_head_dropped(page: Page, line: Line, text: str, left: float, h: float) -> str:
    """A continued line whose box starts well left of the value's edge (人773房 under a
    value starting at 技…): its first character, if it ends at that edge, is a
    watermark's stroke beside the value, not part of it. Where the page can be read
    again, the line from the edge on settles it (113号 under 广东省… keeps its 1)."""
    if not line.bbox or line.x0 >= left - 0.4 * h or len(text) < 2:
        return text
    raw_end = strip_index(line.text, 1)
    if x_at(line, raw_end) > left + 0.3 * h:
        return text
    if page.reread is not None and page.image is not None:
        again = page.reread((left - 0.15 * h, line.y0, line.x1, line.y1), 1.0)
        if again and compact(again.text)[:2] == text[:2]:
            return text  # the character is there right of the edge: the value's own
    return text[1:]


def overlap_dropped(page: Page, before: Line, line: Line, text: str, h: float) -> str:
    """A box overlapping the one before it on its row (信息系统运行维护服 | 服务，) read the
    shared character twice: the second reading of it is dropped. Where the two boxes only
    touch (创新路2 | 270号), the character may be printed twice or read twice: the two
    read again as one settle it."""
    if not (before.bbox and line.bbox and text[:1] and compact(before.text)[-1:] == text[:1]):
        return text
    if line.x0 < before.x1 - 0.2 * h:
        return text[1:]
    if line.x0 < before.x1 + 0.3 * h and page.reread is not None and page.image is not None:
        box = (before.x0, min(before.y0, line.y0), line.x1, max(before.y1, line.y1))
        again = page.reread(box, 1.0)
        if again is not None and compact(again.text) == compact(before.text) + text[1:]:
            return text[1:]
    return text
