"""经营范围: the scope's punctuation put back in the catalogue form, its prescribed notes
restored, and items one slip away from a catalogue wording read as that wording."""

from __future__ import annotations

import re
from difflib import SequenceMatcher

from rapidfuzz.distance import Levenshtein

from extractors.lexicon import lookalike

# The closing notes the registration rules prescribe, word for word (经营范围登记管理规定).
SCOPE_NOTES = (
    "（除依法须经批准的项目外，凭营业执照依法自主开展经营活动）",
    "（依法须经批准的项目，经相关部门批准后方可开展经营活动，具体经营项目以相关部门批准文件或许可证件为准）",
    "（依法须经批准的项目，经相关部门批准后方可开展经营活动）",
)


def _restore_notes(text: str) -> str:
    """A prescribed note read with a slip (a bracket or comma lost, a character wrong)
    is put back as prescribed, after its 。; the note is found by its wording, so only
    a close reading of the whole note is replaced."""
    for note in sorted(SCOPE_NOTES, key=len, reverse=True):
        core = note[1:-1]
        exact = [(m.start(), m.end()) for other in SCOPE_NOTES for m in re.finditer(re.escape(other), text)]
        best = None
        for start in (m.start() for m in re.finditer(re.escape(core[:3]) + "|" + re.escape(core[1:4]), text)):
            if any(a <= start < b for a, b in exact):
                continue  # inside a note already as prescribed (the short note begins the long one)
            for begin in range(max(start - 2, 0), start + 1):
                for end in range(begin + len(note) - 4, min(begin + len(note) + 3, len(text)) + 1):
                    score = SequenceMatcher(None, text[begin:end], note).ratio()
                    if best is None or score > best[0]:
                        best = (score, begin, end)
        if best and best[0] >= 0.85 and text[best[1] : best[2]] != note:
            _, begin, end = best
            if begin and text[begin - 1] in "1lI|（(［[":  # the opening bracket, misread
                begin -= 1
            prefix = text[:begin].rstrip("，；;,")
            if prefix and re.search(r"[\u4e00-\u9fff）)]$", prefix):
                prefix += "。"
            text = prefix + note + text[end:]
    for note in SCOPE_NOTES:  # a note follows the 。 that ends the items before it
        text = re.sub(r"(?<=[\u4e00-\u9fff）)])" + re.escape(note), "。" + note, text)
    # a closing bracket read twice at the very end (counted from the last opening, so an
    # item's opening bracket lost earlier does not cost the closing note its own)
    while text and text[-1] in "）)":
        last_open = max(text.rfind("（"), text.rfind("("))
        tail = text[last_open + 1 :] if last_open >= 0 else text
        if tail.count("）") + tail.count(")") < 2:
            break
        text = text[:-1]
    # nothing follows a prescribed note that ends the scope but specks read as marks (》)
    for note in SCOPE_NOTES:
        if (at := text.rfind(note)) >= 0 and re.fullmatch(r"[^\u4e00-\u9fff0-9A-Za-z]{1,2}", text[at + len(note):]):
            text = text[: at + len(note)]
    return text


# a speck between the words reads as 一 or -, 目 as 自 or 日; the heading's first
# character lost where the scope or a closing note ends before it (般项目, ）可项目), or
# its second (许项目)
_SCOPE_HEADING = re.compile(r"((?:一般|^般|[许详讦浒]可|(?<=[）)。；])许|(?<=[）)。])可)[一\-]?(?:经营)?项[目自日]?)[，；:：,;.。]?")


def tidy_scope(text: str) -> str:
    """Undo the recogniser's usual slips on 经营范围 punctuation.

    Since the 2021 business-scope catalogue a scope lists its items after 一般项目：/
    许可项目： separated by ；, and ends with 。 or a closing note in brackets. Where the
    text plainly follows that form (two or more top-level ；), a top-level ，/： between
    items is the small ； misread, and a missing final 。 is the dot the detector left
    outside the last line's box. Older scopes separated by 、 or ， are left as read.
    """
    text = "".join(text.split()).replace(";", "；").replace(":", "：").replace(",", "，")
    text = _drop_stray_closers(text)
    text = _SCOPE_HEADING.sub(lambda m: ("一般" if "般" in m.group(1)[:2] else "许可")
                              + ("经营" if "经营" in m.group(1) else "") + "项目：",
                              _restore_notes(close_lost_brackets(text)))
    # the 。 closing the general items before 许可项目, where the detector left it out
    text = re.sub(r"(?<=[\u4e00-\u9fff])(?=许可(?:经营)?项目：)", "。", text)
    # a lone character between two separators (once the notes have their brackets back)
    # is a speck or a stamp's stroke, never an item; so are one or two after the
    # closing note, which ends the scope
    text = re.sub(r"(?<=[；。，、])[\u4e00-\u9fff][；。，、]", "", text)
    # and a pause mark straight after a stop (。、（依法…) is a speck: no item starts with one
    text = re.sub(r"(?<=[。；])[、，]+", "", text)
    # a lone Latin letter inside a word (数E字) is a speck read as one: catalogue wordings
    # write Latin only as whole abbreviations (LED, 5G), X光 and X射线 aside
    text = re.sub(r"(?<=[\u4e00-\u9fff])[A-Za-z](?=[\u4e00-\u9fff])(?<!X(?=[光射]))", "", text)
    if (tail := re.search(r"[\u4e00-\u9fff]{1,2}[。.]?$", text)) and text[: tail.start()].endswith(SCOPE_NOTES):
        text = text[: tail.start()]
    headings = {m.end() - 1 for m in _SCOPE_HEADING.finditer(text)}
    separators, item_brackets_closed, depth, opened_at = [], [], 0, 0
    for i, ch in enumerate(text):
        if ch in "（(":
            depth, opened_at = depth + 1, i if depth == 0 else opened_at
        elif ch in "）)" and depth:
            depth -= 1
            # an item's own qualifier, 信息咨询服务（不含…）, not a closing note after 。
            if depth == 0 and opened_at and text[opened_at - 1] != "。":
                item_brackets_closed.append(i)
        elif depth == 0 and ch in "；，：" and i not in headings:
            separators.append(i)
    if not headings and sum(text[i] == "；" for i in separators) < 2:
        # not the catalogue form: separators stay as read, and glued items are parted by
        # the one the scope uses between items (not a 、 inside an item's brackets)
        return _with_full_stop(snap_items(text, _item_separator(text, "、，")))
    chars = list(text)
    for i in separators:
        chars[i] = "；"
    for i in reversed(item_brackets_closed):  # ）followed straight by the next item lost its ；
        if i + 1 < len(text) and re.match(r"[\u4e00-\u9fff]", text[i + 1]) and not _SCOPE_HEADING.match(text, i + 1):
            chars.insert(i + 1, "；")
    return _with_full_stop(snap_items("".join(chars)))


def _item_separator(text: str, marks: str) -> str:
    """Of `marks`, the one the scope uses most between items (not a 、 inside an item's
    brackets); a tie goes to the earlier mark."""
    top_level = re.sub(r"[（(][^）)]*[）)]", "", text)
    return max(marks, key=lambda mark: (top_level.count(mark), -marks.index(mark)))


def _drop_stray_closers(text: str) -> str:
    """A closing bracket straight after 。 or a separator, with no bracket open, closes
    nothing: a speck (服务。）（除依法…)."""
    out, depth = [], 0
    for i, ch in enumerate(text):
        if ch in "（(":
            depth += 1
        elif ch in "）)":
            if depth == 0 and i and text[i - 1] in "。；，、":
                continue
            depth = max(depth - 1, 0)
        out.append(ch)
    return "".join(out)


def _with_full_stop(text: str) -> str:
    """The 。 that ends the items, which the detector leaves outside the last line's box;
    a prescribed closing note ends the scope without one."""
    if re.search(r"[\u4e00-\u9fff]$", text) or (text.endswith(("）", ")")) and not text.endswith(SCOPE_NOTES)):
        return text + "。"
    return text


# Standard wordings from the business-scope catalogue (经营范围规范表述目录) that service
# and technology companies register most. Since 2021 a licence prints catalogue items
# word for word, so an item one slip away from one of these, and equal to none, is a
# misreading of it. Items joined by 、 are listed as the catalogue joins them.
CATALOGUE = """
技术服务、技术开发、技术咨询、技术交流、技术转让、技术推广；软件开发；软件销售；软件外包服务；
信息系统集成服务；信息系统运行维护服务；信息技术咨询服务；信息咨询服务（不含许可类信息咨询服务）；
数据处理和存储支持服务；数据处理服务；工业互联网数据服务；互联网数据服务；大数据服务；数字技术服务；
数字内容制作服务（不含出版发行）；数字文化创意软件开发；人工智能应用软件开发；人工智能基础软件开发；
人工智能理论与算法软件开发；人工智能行业应用系统集成服务；人工智能硬件销售；人工智能公共数据平台；
物联网技术服务；物联网技术研发；物联网应用服务；物联网设备销售；智能控制系统集成；计算机系统服务；
计算机软硬件及辅助设备零售；计算机软硬件及辅助设备批发；计算机软硬件及外围设备制造；网络技术服务；
网络与信息安全软件开发；网络设备销售；云计算装备技术服务；云计算设备销售；区块链技术相关软件和服务；
5G通信技术服务；企业管理咨询；企业管理；社会经济咨询服务；市场营销策划；市场调查（不含涉外调查）；
会议及展览服务；供应链管理服务；工业设计服务；专业设计服务；工业自动控制系统装置销售；
工业自动控制系统装置制造；电子产品销售；通讯设备销售；办公设备销售；仪器仪表销售；机械设备销售；
人力资源服务（不含职业中介活动、劳务派遣服务）；教育咨询服务（不含涉许可审批的教育培训活动）；
业务培训（不含教育培训、职业技能培训等需取得许可的培训）；广告设计、代理；广告制作；广告发布；
知识产权服务（专利代理服务除外）；科技中介服务；标准化服务；计量技术服务；安全咨询服务；节能管理服务；
环保咨询服务；信息安全设备销售；集成电路设计；集成电路销售；电子元器件零售；电子元器件批发；
电子专用设备销售；智能机器人的研发；智能机器人销售；工业机器人销售；工业机器人安装、维修；货物进出口；
技术进出口；进出口代理；非居住房地产租赁；物业管理；财务咨询；咨询策划服务；项目策划与公关服务；
组织文化艺术交流活动；企业形象策划；园区管理服务；创业空间服务；互联网销售（除销售需要许可的商品）；
日用百货销售；劳务服务（不含劳务派遣）；翻译服务；第一类增值电信业务；第二类增值电信业务；
互联网信息服务；基础电信业务；建设工程施工；建设工程设计；职业中介活动；劳务派遣服务；网络文化经营
"""
_SEPARATORS = "；、，：。"


def _item_end(text: str, start: int) -> int:
    """Where the top-level item starting at `start` ends (its separator, or the end; a
    bracket left open runs to the end)."""
    depth = 0
    for i in range(start, len(text)):
        depth += text[i] in "（("
        depth -= text[i] in "）)" and depth > 0
        if depth == 0 and text[i] in _SEPARATORS:
            return i
    return len(text)


def _split_items(text: str) -> list[str]:
    """Top-level items: split at separators outside brackets."""
    items, start = [], 0
    while start < len(text):
        end = _item_end(text, start)
        items.append(text[start:end])
        start = end + 1
    return [item for item in items if item]


_WORDINGS = "".join(CATALOGUE.split()).split("；")
ITEMS = frozenset(_split_items("；".join(_WORDINGS)))
# whole wordings that hold a 、 or brackets of their own, which a misreading can lose
PUNCTUATED = frozenset(w for w in _WORDINGS if re.search(r"[、（]", w))
WHOLE = sorted((w for w in _WORDINGS if len(w) >= 5), key=len, reverse=True)
_BRACKETED = tuple(w for w in ITEMS if "（" in w)


# words that tie what follows into the same item (…服务不含职业中介活动…)
_JOINING = ("不含", "含", "除", "及", "和", "与")


def split_glued(item: str) -> tuple[str, str] | None:
    """Two items read as one, the separator between them lost (软件开发工业设计服务): a
    whole catalogue wording at one end, and besides it a catalogue item or at least six
    characters (an item of its own, not a qualifier such as 工业 in 工业互联网数据服务)."""
    if item in ITEMS or item in PUNCTUATED:
        return None
    for wording in WHOLE:
        if item.endswith(wording):
            rest = item[: -len(wording)]
            if (rest in ITEMS or len(rest) >= 6) and not rest.endswith(_JOINING):
                return rest, wording
        if item.startswith(wording):
            rest = item[len(wording) :]
            if rest in ITEMS or len(rest) >= 6:
                return wording, rest
    return None


def catalogue_wording(item: str) -> str | None:
    """The one catalogue wording `item` is a slip away from: one character for an item
    of five or more, two for one of twelve or more; None when it is a wording already,
    too short to judge, or as close to two wordings."""
    if item in ITEMS or len(item) < 5:
        return None
    limit = _limit(item)
    close = sorted(
        (Levenshtein.distance(item, wording, score_cutoff=limit), wording)
        for wording in ITEMS
        if abs(len(wording) - len(item)) <= limit
    )
    close = [(d, w) for d, w in close if d <= limit]
    if close and (len(close) == 1 or close[0][0] < close[1][0]):
        return close[0][1]
    # equally close: the recogniser drops characters far more often than it adds them,
    # so a single wording the reading is a shortening of wins (企业管理咨 → 企业管理咨询)
    tied = [w for d, w in close if d == close[0][0]] if close else []
    longer = [w for w in tied if len(w) > len(item)]
    if len(longer) == 1:
        return longer[0]
    # or one of them differs from the reading only by characters the recogniser confuses
    # (第工类 is 第二类, not 第一类)
    alike = [w for w in tied if len(w) == len(item) and all(a == b or lookalike(a, b) for a, b in zip(item, w))]
    return alike[0] if len(alike) == 1 else None


def _punctuated_wording_at(text: str, start: int) -> tuple[str, int] | None:
    """A catalogue wording with its own 、 or brackets read with those slipped (lost, or
    read as a separator), starting at `start` and ending at a separator: (wording, end)."""
    ends = [e for e in range(start + 5, len(text) + 1)
            if (e == len(text) or text[e] in _SEPARATORS) and text[e - 1] not in _SEPARATORS]
    found = []
    for wording in PUNCTUATED:
        for end in ends:
            read = text[start:end]
            if abs(len(read) - len(wording)) > _limit(wording) or read == wording:
                continue
            distance = Levenshtein.distance(read, wording, score_cutoff=_limit(wording))
            if distance <= _limit(wording):
                found.append((distance, wording, end))
    found.sort(key=lambda f: (f[0], f[2]))
    rivals = [f for f in found if f[0] == found[0][0] and f[1] != found[0][1]] if found else []
    return (found[0][1], found[0][2]) if found and not rivals else None


def snap_items(text: str, joint: str = "；") -> str:
    """Each top-level item that is a slip away from a catalogue wording, replaced by it,
    and two items glued together parted by `joint`; separators and everything else as
    read."""
    out, i = [], 0
    while i < len(text):
        end = _item_end(text, i)
        item = text[i:end]
        exact = item in PUNCTUATED or any(text.startswith(w, i) for w in PUNCTUATED)
        spanning = None if exact else _punctuated_wording_at(text, i)
        if spanning:
            out.append(spanning[0])
            end = spanning[1]
        elif glued := split_glued(item):  # each part may be a slip away from its wording too
            out.append(joint.join(catalogue_wording(part) or part for part in glued))
        else:
            out.append(catalogue_wording(item) or item)
        out.append(text[end : end + 1])
        i = end + 1
    return "".join(out)


def _limit(wording: str) -> int:
    return 1 if len(wording) < 12 else 2


def _bracketed_item_at(text: str, start: int, separator: str = "；") -> str | None:
    """`text` with the bracketed catalogue wording that starts at `start`, read with its
    closing bracket (and the `separator` after it) misread, put back whole."""
    best = None
    for wording in _BRACKETED:
        for length in (len(wording), len(wording) - 1, len(wording) + 1):  # ） misread, lost, or read twice
            read = text[start : start + length]
            if read == wording or read.endswith(("（", "(")):  # not the next bracket's opening
                continue
            distance = Levenshtein.distance(read, wording, score_cutoff=_limit(wording))
            if distance <= _limit(wording) and (best is None or distance < best[0]):
                best = (distance, wording, length)
    if best is None:
        return None
    _, wording, length = best
    rest = text[start + length :]
    joint = separator if rest and rest[0] not in _SEPARATORS + "（(" else ""
    return text[:start] + wording + joint + rest


def close_lost_brackets(text: str) -> str:
    """An item whose bracket never closes before the next one opens (or the text ends)
    lost its ） to a misreading (…派遣服务送计算机…, where ）； was read as one
    character); where the item is a catalogue wording, it is put back, followed by the
    separator the scope uses between items (an older scope's ，)."""
    separator = _item_separator(text, "；，、")
    depth, start, i = 0, 0, 0
    while i <= len(text):
        ch = text[i] if i < len(text) else None
        opens_inside = ch is not None and ch in "（(" and depth == 1
        if (opens_inside or (ch is None and depth)) and text[start : start + 1] not in ("（", "("):
            fixed = _bracketed_item_at(text, start, separator)
            if fixed is None:
                return text
            text, depth, i = fixed, 0, start
            continue
        if ch is not None and ch in "（(":
            depth += 1
        elif ch is not None and ch in "）)" and depth:
            depth -= 1
        elif ch is not None and depth == 0 and ch in _SEPARATORS:
            start = i + 1
        i += 1
    return text
