"""Readers per file kind, and hostile files becoming findings (no crash, exit 0)."""

import io
import json
import struct
import subprocess
import sys
import zlib

import docx
import openpyxl
import pytest
from fpdf import FPDF

from extractors.readers import ReadContext, UnreadableFile, read_file
from tests.generator.draw import available_fonts, pdf_font


def _ctx():
    def no_ocr():
        raise AssertionError("this file must not need OCR")

    return ReadContext(engine_factory=no_ocr)


def text_pdf(lines, password=None) -> bytes:
    pdf = FPDF()
    pdf.add_font("cjk", fname=pdf_font())
    if password:
        pdf.set_encryption(owner_password="owner", user_password=password)
    pdf.add_page()
    pdf.set_font("cjk", size=14)
    for line in lines:
        pdf.cell(0, 10, line, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def test_text_layer_pdf_reads_without_ocr():
    pages = read_file("a.pdf", text_pdf(["本地服务团队名单", "张三 项目经理 13800138000"]), _ctx())
    assert pages[0].source == "text_layer"
    assert "本地服务团队名单" in pages[0].compact_text
    assert pages[0].lines[0].bbox is not None


def test_encrypted_pdf_is_unreadable_with_reason():
    with pytest.raises(UnreadableFile, match="加密"):
        read_file("a.pdf", text_pdf(["机密"], password="secret"), _ctx())


def test_truncated_pdf_is_unreadable():
    data = text_pdf(["营业执照"])
    with pytest.raises(UnreadableFile):
        read_file("a.pdf", data[: len(data) // 3], _ctx())


def test_docx_paragraphs_tables_in_order():
    document = docx.Document()
    document.add_paragraph("数字化牵引单位变更申请书")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "申请单位", "东莞市测试科技有限公司"
    table.cell(1, 0).text, table.cell(1, 1).text = "联系电话", "13800138000"
    buffer = io.BytesIO()
    document.save(buffer)
    page = read_file("letter.docx", buffer.getvalue(), _ctx())[0]
    assert page.source == "docx" and page.number == 1
    assert page.lines[0].text == "数字化牵引单位变更申请书"
    assert page.tables[0].rows[0] == ["申请单位", "东莞市测试科技有限公司"]


def test_xlsx_numbers_come_back_as_digit_strings():
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["序号", "姓名", "联系电话"])
    sheet.append([1, "李四", 13800138000])
    buffer = io.BytesIO()
    workbook.save(buffer)
    page = read_file("team.xlsx", buffer.getvalue(), _ctx())[0]
    assert page.tables[0].rows[1] == ["1", "李四", "13800138000"]


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def _png_header(width, height) -> bytes:
    """A small file whose header declares a huge image (a decompression bomb's shape)."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", ihdr) + _chunk(b"IDAT", zlib.compress(b"\0" * 1000)) + _chunk(b"IEND", b"")


def test_image_with_huge_declared_size_is_refused():
    with pytest.raises(UnreadableFile, match="尺寸"):
        read_file("big.png", _png_header(40000, 40000), _ctx())
    with pytest.raises(UnreadableFile, match="12000×9000"):
        read_file("big.png", _png_header(12000, 9000), ReadContext(engine_factory=_ctx().engine_factory, max_image_pixels=10**8))


def test_text_file_named_jpg_is_refused():
    with pytest.raises(UnreadableFile, match="不支持"):
        read_file("photo.jpg", b"just some text", _ctx())


def test_hostile_packet_yields_findings_and_exit_zero(tmp_path):
    packet = tmp_path / "packet"
    packet.mkdir()
    (packet / "empty.pdf").write_bytes(b"")
    (packet / "fake.jpg").write_text("hello")
    (packet / "big.png").write_bytes(_png_header(40000, 40000))
    (packet / "locked.pdf").write_bytes(text_pdf(["x"], password="pw"))
    (packet / "team.pdf").write_bytes(text_pdf(["本地服务团队名单", "序号 姓名 岗位 联系电话", "1 张三 项目经理 13800138000"]))
    before = {p.name: p.read_bytes() for p in packet.iterdir()}
    proc = subprocess.run(
        [sys.executable, "-m", "dgintake.cli", "process", str(packet), "--json", "--submitted-on", "2026-11-20"],
        capture_output=True, text=True, timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout)
    unreadable = {e["file"] for f in result["findings"] if f["code"] == "PKT-UNREADABLE-FILE" for e in f["evidence"]}
    assert unreadable == {"empty.pdf", "fake.jpg", "big.png", "locked.pdf"}
    assert [d["doc_type"] for d in result["documents"]] == ["team_list"]
    assert {p.name: p.read_bytes() for p in packet.iterdir()} == before


def test_missing_path_exits_nonzero_with_one_line():
    proc = subprocess.run([sys.executable, "-m", "dgintake.cli", "process", "/nonexistent/x", "--json"],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode != 0
    assert "Traceback" not in proc.stderr and proc.stderr.strip().count("\n") == 0


def test_big_pdf_is_read_within_the_page_limit(settings):
    pdf = FPDF()
    pdf.add_font("cjk", fname=pdf_font())
    pdf.set_font("cjk", size=12)
    for i in range(30):
        pdf.add_page()
        pdf.cell(0, 10, f"第{i + 1}页 本地服务团队名单 序号 姓名 岗位")
    ctx = ReadContext(engine_factory=_ctx().engine_factory, max_pdf_pages=10)
    pages = read_file("big.pdf", bytes(pdf.output()), ctx)
    assert len(pages) == 10 and ctx.notes and "30" in ctx.notes[0][1]


def test_fonts_for_generator_exist():
    assert available_fonts()


def test_reading_reports_pages_read_against_pages_expected(tmp_path):
    from dgintake.pipeline import process
    from tests.service.digital_packets import write_digital_packet

    heard = []
    result = process(write_digital_packet(tmp_path, 11), on_pages=lambda read, expected: heard.append((read, expected)))
    pages = sum(f.pages for f in result.files)
    assert heard[0] == (0, pages)  # a PDF's page tree, one page per Word or Excel file
    assert heard[-1] == (pages, pages)
    assert [read for read, _ in heard] == sorted(read for read, _ in heard)
