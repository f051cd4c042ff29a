"""Born-digital variants: Word letters with an e-seal picture, Excel and Word team
lists (phone numbers stored as numbers), text-layer PDFs of tables."""

from __future__ import annotations

import io
import logging
import random

from PIL import Image

from tests.generator.draw import pdf_font, seal_image

# fpdf2 subsets the CJK font through fontTools, which warns once per text PDF that the
# font's bitmap tables cannot be subset (they are dropped; the outlines are kept)
logging.getLogger("fontTools.subset").setLevel(logging.ERROR)


def _seal_png(name: str, rng: random.Random) -> bytes:
    seal = seal_image(name, 300, rng)
    white = Image.new("RGB", seal.size, "white")
    white.paste(seal, mask=seal.split()[-1])
    buffer = io.BytesIO()
    white.save(buffer, "PNG")
    return buffer.getvalue()


def letter_docx(fields: dict, rng: random.Random, sealed: bool) -> bytes:
    import docx
    from docx.shared import Cm

    document = docx.Document()
    document.add_heading("数字化牵引单位变更申请书", level=1)
    date = fields["application_date"]
    printed_date = f"{int(date[:4])}年{int(date[5:7])}月{int(date[8:])}日"
    if rng.random() < 0.5:
        document.add_paragraph("东莞市中小企业数字化转型城市试点工作专班：")
        document.add_paragraph(
            f"我单位{fields['applicant_name']}（统一社会信用代码：{fields['credit_code']}）现申请{fields['change_items']}，"
            "特此申请，恳请予以批准。"
        )
        document.add_paragraph(f"变更事项：{fields['change_items']}")
        document.add_paragraph(f"联系人：{fields['contact_person']}")
        document.add_paragraph(f"联系电话：{fields['contact_phone']}")
    else:
        table = document.add_table(rows=0, cols=2)
        for label, key in (("申请单位", "applicant_name"), ("统一社会信用代码", "credit_code"), ("变更事项", "change_items"),
                           ("联系人", "contact_person"), ("联系电话", "contact_phone")):
            row = table.add_row().cells
            row[0].text, row[1].text = label, fields[key]
        document.add_paragraph("我单位承诺所提交材料真实有效，特此申请。")
    document.add_paragraph(f"申请单位（盖章）：{fields['applicant_name']}")
    document.add_paragraph(printed_date)
    if sealed:
        document.add_picture(io.BytesIO(_seal_png(fields["applicant_name"], rng)), width=Cm(4))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


TEAM_HEADER = ["序号", "姓名", "岗位", "身份证号码", "联系电话"]


def _team_rows(fields: dict) -> list[list]:
    return [[i + 1, m["name"], m["role"], m["id_number"], m["phone"]] for i, m in enumerate(fields["members"])]


def team_xlsx(fields: dict, title: str) -> bytes:
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append([title])
    sheet.append(TEAM_HEADER)
    for row in _team_rows(fields):
        row[4] = int(row[4])  # phone numbers typed in as numbers, as people do
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def team_docx(fields: dict, title: str) -> bytes:
    import docx

    document = docx.Document()
    document.add_heading(title, level=1)
    table = document.add_table(rows=1, cols=len(TEAM_HEADER))
    for cell, text in zip(table.rows[0].cells, TEAM_HEADER):
        cell.text = text
    for row in _team_rows(fields):
        cells = table.add_row().cells
        for cell, value in zip(cells, row):
            cell.text = str(value)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def table_pdf(title: str, before: list[str], header: list[str], rows: list[list], after: list[str],
              widths: list[int], seal_name: str | None, rng: random.Random) -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_font("cjk", fname=pdf_font())
    pdf.add_font("cjk", style="B", fname=pdf_font())  # table headings ask for bold
    pdf.set_auto_page_break(True, margin=20)
    pdf.add_page()
    pdf.set_font("cjk", size=16)
    pdf.cell(0, 12, title, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("cjk", size=10)
    for line in before:
        pdf.cell(0, 8, line, new_x="LMARGIN", new_y="NEXT")
    with pdf.table(col_widths=widths, text_align="CENTER") as table:
        for row in [header] + rows:
            table.row([str(c) for c in row])
    for line in after:
        pdf.cell(0, 8, line, new_x="LMARGIN", new_y="NEXT")
    if seal_name:
        pdf.image(io.BytesIO(_seal_png(seal_name, rng)), x=130, y=pdf.get_y() - 10, w=40)
    return bytes(pdf.output())
