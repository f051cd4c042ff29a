"""Page classification: each page on its own, by weighted cues of what it prints.

Cues are regexes over the page's compact text (white space removed) with weights for
how specific they are to one document type. A page scoring for both sides of an ID
card carries both types (an A4 copy of the card). A page that scores for nothing but
continues a multi-page table or letter from the page before inherits its type.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from extractors.page import Page

ID_NUMBER = r"[1-9]\d{5}(?:19|20)\d{2}[01]\d[0-3]\d\d{3}[\dXx]"
MASKED_ID = r"\d{6}[\d*＊]{8,}\d{2,3}[\dXx]"

CUES: dict[str, list[tuple[str, float]]] = {
    "business_license": [
        (r"营业执照", 4),
        (r"经营范围", 3),
        (r"注册资本|出资额|注册资金", 2),
        (r"成立日期", 2),
        (r"营业期限|合伙期限", 2),
        (r"登记机关", 2.5),
        (r"统一社会信用代码", 1),
        (r"法定代表人|负责人|执行事务合伙人|投资人|经营者", 0.5),
        (r"住所|营业场所|主要经营场所|经营场所", 1),
        (r"副本|正本", 1),
        (r"国家企业信用信息公示系统|市场主体应当于", 2),
    ],
    "id_card_front": [
        (r"公民身份.?号码", 5),
        (r"民族", 2),
        (r"性别", 1.5),
        (r"住址", 1.5),
        (r"出生", 1),
        (r"姓名", 0.5),
    ],
    "id_card_back": [
        (r"居民身份证", 3.5),
        (r"签发机关", 4),
        (r"有效期限|有效期", 2),
        (r"中华人民共和国", 1),
        (r"\d{4}[.\-．]\d{2}[.\-．]\d{2}[-—–至]+(?:\d{4}|长期)", 2),
    ],
    "team_list": [
        (r"服务团队|团队名单|团队成员|人员名单|服务人员", 4),
        (r"名单", 2),
        (r"序号", 1.5),
        (r"岗位|职务|职位|角色", 2),
        (r"联系电话|手机号|电话", 1),
        (r"身份证号|证件号", 0.5),
    ],
    "social_insurance_proof": [
        (r"参保", 3),
        (r"社会保险|社保", 2.5),
        (r"缴费", 2),
        (r"险种|养老保险|失业保险|工伤保险|医疗保险", 2),
        (r"社会保险基金|社保局|税务局", 1),
        (r"打印日期|打印时间", 1),
        (r"验证码|校验码|查验", 1),
        (r"月数|缴费月|起止", 1),
    ],
    "application_letter": [
        (r"申请书|申请函|申请表", 4),
        (r"变更申请|申请变更|拟变更|变更事项|变更内容|变更为|变更原因", 3),
        (r"申请单位|申请人", 1.5),
        (r"特此申请|恳请|敬请|请予|批准", 2),
        (r"此致", 2),
        (r"牵引单位", 1.5),
        (r"联系人", 1),
        (r"工作专班|数字化转型", 1),
    ],
}
THRESHOLD = 5.0
_COMPILED = {doc_type: [(re.compile(p), w) for p, w in cues] for doc_type, cues in CUES.items()}
# What a letter of this pilot is about: an application form for anything else (a rates
# relief form titled 申请表 with its 申请人) prints the letter's generic words but none of
# these, and counts for half.
_SUBJECT = {"application_letter": re.compile(r"变更|牵引|数字化|专班")}
_CONTINUABLE = ("team_list", "social_insurance_proof", "application_letter")


@dataclass
class PageClass:
    doc_types: list[str]
    confidence: float
    scores: dict[str, float]


# A card face whose light labels went unread still prints the number and, beside it, the
# birth date the number holds: no other document of a packet prints the two together.
BIRTH_DATE_OF_NUMBER = 4.0


def _birth_date_of_number_printed(compact_text: str) -> bool:
    for number in re.findall(ID_NUMBER, compact_text):
        year, month, day = number[6:10], int(number[10:12]), int(number[12:14])
        if re.search(rf"{year}年0?{month}月0?{day}日", compact_text):
            return True
    return False


def score_text(compact_text: str) -> dict[str, float]:
    scores = {}
    for doc_type, cues in _COMPILED.items():
        score = sum(weight for pattern, weight in cues if pattern.search(compact_text))
        if doc_type == "id_card_front" and _birth_date_of_number_printed(compact_text):
            score += BIRTH_DATE_OF_NUMBER
        subject = _SUBJECT.get(doc_type)
        scores[doc_type] = score / 2 if subject is not None and not subject.search(compact_text) else score
    return scores


def _confidence(best: float, runner_up: float) -> float:
    strength = min(1.0, best / (THRESHOLD * 2))
    margin = (best - runner_up) / best if best else 0.0
    return round(max(0.05, min(0.99, 0.5 * strength + 0.5 * margin)), 2)


_INDEX_PAGE = re.compile(r"目录|材料清单|材料目录|申报材料|附件清单")
_TITLES = re.compile(r"申请书|营业执照|身份证|团队名单|社保|参保")


def _is_index_page(text: str) -> bool:
    """A cover list names several documents by title and is none of them."""
    return bool(_INDEX_PAGE.search(text)) and len(set(_TITLES.findall(text))) >= 3 and not re.search(
        r"此致|特此申请|经营范围|公民身份|签发机关", text
    )


def classify_page(page: Page) -> PageClass:
    text = page.compact_text
    scores = score_text(text)
    if _is_index_page(text):
        return PageClass(["unknown"], 0.9, scores)
    ranked = sorted(scores.items(), key=lambda kv: kv[1], reverse=True)
    (best_type, best), (_, runner_up) = ranked[0], ranked[1]
    if best < THRESHOLD:
        return PageClass(["unknown"], _confidence(THRESHOLD - best, 0) if best else 0.9, scores)
    front, back = scores["id_card_front"], scores["id_card_back"]
    if front >= THRESHOLD and back >= THRESHOLD and best_type in ("id_card_front", "id_card_back"):
        return PageClass(["id_card_front", "id_card_back"], _confidence(min(front, back), runner_up), scores)
    # A card face cut from an A4 copy holds a little of the other side's wording; the
    # licence and letters mention other documents by name: only the leader counts.
    return PageClass([best_type], _confidence(best, runner_up), scores)


def _looks_like_continuation(page: Page, doc_type: str) -> bool:
    text = page.compact_text
    if len(page.lines) < 2:
        return False
    if doc_type in ("team_list", "social_insurance_proof"):
        return len(re.findall(ID_NUMBER + "|" + MASKED_ID, text)) >= 1 or bool(page.tables)
    return bool(re.search(r"此致|敬礼|盖章|特此|申请|[（(]?公章[）)]?|\d{4}年\d{1,2}月\d{1,2}日", text))


def classify_pages(pages: list[Page]) -> list[PageClass]:
    """Classify every page; an unknown page continuing a table or letter inherits its type."""
    results: list[PageClass] = []
    for index, page in enumerate(pages):
        result = classify_page(page)
        if result.doc_types == ["unknown"] and index > 0 and not _is_index_page(page.compact_text):
            previous_page, previous = pages[index - 1], results[-1]
            inherit = [t for t in previous.doc_types if t in _CONTINUABLE]
            if previous_page.file == page.file and inherit and _looks_like_continuation(page, inherit[0]):
                result = PageClass(inherit[:1], round(min(previous.confidence, 0.75), 2), result.scores)
        results.append(result)
    return results
