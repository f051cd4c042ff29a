"""Exports: the 拟批复变更意见 and the 补正通知 of a packet (.docx) and a published
变更名单 (.xlsx).

Everything read off a page is untrusted: ID numbers are masked, and no cell of the
spreadsheet may start like a formula. Chinese text in Word needs the eastAsia font set
on every run (`w:rFonts/@w:eastAsia`), not only `font.name`, or Word and WPS fall back
to a Latin font.
"""

from __future__ import annotations

import io
from datetime import datetime

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from review.services.labels import DOC_LABELS, SEVERITY_LABELS, STATUS_LABELS, VERDICT_LABELS, local_time
from review.services.masking import mask, mask_text
from storage.models import Batch, Packet

BODY_FONT, HEADING_FONT, LATIN_FONT = "宋体", "黑体", "Times New Roman"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "|", "%")


def _font(run, east_asia: str = BODY_FONT, size: float = 12, bold: bool = False) -> None:
    run.font.name = LATIN_FONT
    run.font.size = Pt(size)
    run.font.bold = bold
    r_pr = run._element.get_or_add_rPr()
    fonts = r_pr.get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), east_asia)
    fonts.set(qn("w:ascii"), LATIN_FONT)
    fonts.set(qn("w:hAnsi"), LATIN_FONT)


def _new_document() -> Document:
    document = Document()
    normal = document.styles["Normal"]
    normal.font.name = LATIN_FONT
    normal.font.size = Pt(12)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)
    return document


def _para(document, text: str, size: float = 12, bold=False, font=BODY_FONT, center=False):
    paragraph = document.add_paragraph()
    if center:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(paragraph.add_run(mask_text(text or "")), font, size, bold)
    return paragraph


def _table(document, header: list[str], rows: list[list[str]]):
    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header):
        cell.text = ""
        _font(cell.paragraphs[0].add_run(text), HEADING_FONT, 10.5, True)
    for values in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, values):
            cell.text = ""
            _font(cell.paragraphs[0].add_run(mask_text(str(text or ""))), BODY_FONT, 10.5)
    return table


def _date(moment: str | datetime | None) -> str:
    """The day as Dongguan's calendar shows it (stored moments are UTC)."""
    if not moment:
        return ""
    return local_time(moment.isoformat() if isinstance(moment, datetime) else str(moment))[:10]


def opinion_docx(shown: dict, decision: dict | None, approval: dict | None) -> bytes:
    """拟批复变更意见 for one packet, from its (masked) view and its decisions."""
    shown = mask(shown)
    result = shown.get("result") or {}
    document = _new_document()
    _para(document, "牵引单位变更申请拟批复变更意见", 18, True, HEADING_FONT, center=True)
    _para(document, "（依据《东莞市中小企业数字化转型城市试点数字化牵引单位管理办法（试行）》第十三条）", 10.5, center=True)
    _table(
        document,
        ["项目", "内容"],
        [
            ["申请单位", shown.get("applicant_name") or "（未识别）"],
            ["统一社会信用代码", shown.get("credit_code") or "（未识别）"],
            ["材料包", shown.get("name")],
            ["收件日期", _date(shown.get("received_at"))],
            ["机器初审结论", VERDICT_LABELS.get(shown.get("verdict"), shown.get("verdict") or "")],
            ["当前状态", STATUS_LABELS.get(shown.get("status"), shown.get("status"))],
        ],
    )
    _para(document, "一、已核材料", 14, True, HEADING_FONT)
    _table(
        document,
        ["序号", "材料", "文件", "页码"],
        [
            [str(n), DOC_LABELS.get(d.get("doc_type"), d.get("doc_type")), d.get("file"), "、".join(map(str, d.get("pages", [])))]
            for n, d in enumerate(result.get("documents", []), 1)
        ],
    )
    _para(document, "二、审核发现", 14, True, HEADING_FONT)
    findings = result.get("findings", [])
    if findings:
        _table(
            document,
            ["序号", "条款", "性质", "说明"],
            [
                [str(n), f.get("article"), SEVERITY_LABELS.get(f.get("severity"), f.get("severity")), f.get("message")]
                for n, f in enumerate(findings, 1)
            ],
        )
    else:
        _para(document, "未发现不符合第十三条要求的情形。")
    _para(document, "三、拟批复意见", 14, True, HEADING_FONT)
    _para(document, (decision or {}).get("to") or "（尚未提出）", 12, True)
    _para(document, (decision or {}).get("reason") or "")
    _para(document, "四、审核与审批", 14, True, HEADING_FONT)
    _table(
        document,
        ["环节", "人员", "日期"],
        [
            ["审核（拟批复）", (decision or {}).get("actor", ""), _date((decision or {}).get("at"))],
            ["审批", (approval or {}).get("actor", ""), _date((approval or {}).get("at"))],
        ],
    )
    _para(document, "东莞市中小企业数字化转型城市试点工作专班", 12, center=False).alignment = WD_ALIGN_PARAGRAPH.RIGHT
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def notice_docx(shown: dict, notice: dict) -> bytes:
    """补正通知: what the applicant must supply again, and why."""
    shown = mask(shown)
    document = _new_document()
    _para(document, "材料补正通知书", 18, True, HEADING_FONT, center=True)
    _para(document, f"{shown.get('applicant_name') or '申请单位'}：")
    _para(
        document,
        "你单位报送的牵引单位变更申请材料经工作专班审核，依据《东莞市中小企业数字化转型城市试点数字化牵引单位"
        "管理办法（试行）》第十三条，需补正以下材料：",
    )
    for n, material in enumerate(notice.get("materials") or [], 1):
        _para(document, f"{n}. {material}")
    _para(document, "补正原因：", 12, True)
    _para(document, notice.get("reason") or "")
    _para(document, "请补正后重新加盖公章报送工作专班。")
    _para(document, f"经办人：{notice.get('actor', '')}    日期：{_date(notice.get('at'))}")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def safe_cell(value):
    """A value that cannot become a formula: text starting like one gets a leading `'`."""
    if value is None:
        return ""
    if isinstance(value, int | float):
        return value
    text = mask_text(str(value))
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def change_list_xlsx(batch: Batch, packets: list[Packet], approvals: dict[str, dict]) -> bytes:
    """变更名单 of one batch: one row per packet, every cell plain text or a number."""
    book = Workbook()
    sheet = book.active
    sheet.title = "变更名单"
    state = f"已发布 {_date(batch.published_at)}" if batch.published_at else "未发布（草稿）"
    sheet.append([safe_cell(f"牵引单位变更名单：{batch.title}（{state}）")])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append(["序号", "申请单位", "统一社会信用代码", "审核结论", "审批人", "审批日期", "材料包编号"])
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for n, packet in enumerate(packets, 1):
        approval = approvals.get(packet.id) or {}
        sheet.append(
            [
                n,
                safe_cell(packet.applicant_name),
                safe_cell(packet.credit_code),
                safe_cell(STATUS_LABELS.get(packet.status, packet.status)),
                safe_cell(approval.get("actor")),
                safe_cell(_date(approval.get("at"))),
                safe_cell(packet.id),
            ]
        )
    for row in sheet.iter_rows(min_row=3):
        for cell in row:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # never a formula, whatever the text
            cell.alignment = Alignment(vertical="top")
    for column, width in zip("ABCDEFG", (6, 40, 24, 12, 12, 14, 20)):
        sheet.column_dimensions[column].width = width
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
