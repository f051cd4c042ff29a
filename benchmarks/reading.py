"""Reading speed, measured side by side in one run.

    python benchmarks/reading.py [--pages 12]

Prints:
- our reading step (orientation + skew + OCR) vs the raw PaddleOCR call with its
  defaults on the same scanned pages, and pages per minute;
- a cached re-run vs the cold run;
- text-layer PDF and DOCX pages per second (no OCR);
- extraction time as a share of reading time, and judging time per stored packet;
- whole packets, uncached: the extraction's own time as a share of all OCR time.
"""

from __future__ import annotations

import argparse
import io
import random
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from extractors.ocr import OcrEngine  # noqa: E402
from extractors.ocr_models import DET_NAME, REC_NAME, ensure_model_dirs  # noqa: E402
from extractors.readers import ReadContext, read_file  # noqa: E402


def scanned_pages(count: int) -> list[np.ndarray]:
    from tests.generator.packets import PacketSpec, build, finish_page

    pages, seed = [], 900
    while len(pages) < count:
        built = build(PacketSpec(seed=seed))
        rng = random.Random(seed)
        for drawn in built.drawn:
            for index, image in enumerate(drawn.pages):
                page = finish_page(drawn, index, image, rng, True, built.company.name)
                pages.append(np.ascontiguousarray(np.asarray(page.convert("RGB"))[:, :, ::-1]))
        seed += 1
    return pages[:count]


def raw_paddleocr(var: Path):
    from paddleocr import PaddleOCR

    det_dir, rec_dir = ensure_model_dirs(var / "models")
    return PaddleOCR(
        text_detection_model_name=DET_NAME, text_detection_model_dir=str(det_dir),
        text_recognition_model_name=REC_NAME, text_recognition_model_dir=str(rec_dir),
        use_doc_orientation_classify=False, use_doc_unwarping=False, use_textline_orientation=False,
        device="cpu", engine="onnxruntime", engine_config={"intra_op_num_threads": 2},
    )


def timed(fn, items) -> float:
    started = time.perf_counter()
    for item in items:
        fn(item)
    return time.perf_counter() - started


def text_documents(pages: int) -> tuple[bytes, bytes]:
    import docx
    from fpdf import FPDF

    from tests.generator.draw import pdf_font

    pdf = FPDF()
    pdf.add_font("cjk", fname=pdf_font())
    pdf.set_font("cjk", size=11)
    for i in range(pages):
        pdf.add_page()
        for line in range(30):
            pdf.cell(0, 7, f"第{i + 1}页第{line + 1}行 东莞市数字化转型 本地服务团队名单 13800138000", new_x="LMARGIN", new_y="NEXT")
    document = docx.Document()
    for line in range(60):
        document.add_paragraph(f"第{line + 1}段 数字化牵引单位变更申请书 东莞市中小企业数字化转型城市试点工作专班")
    buffer = io.BytesIO()
    document.save(buffer)
    return bytes(pdf.output()), buffer.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", type=int, default=12)
    parser.add_argument("--packets", type=int, default=3, help="whole packets through the pipeline, uncached")
    args = parser.parse_args()
    var = Path(tempfile.mkdtemp(prefix="dgintake-bench-"))
    pages = scanned_pages(args.pages)
    print(f"{len(pages)} scanned pages, {np.mean([p.shape[0] * p.shape[1] for p in pages]) / 1e6:.1f} MP on average")

    raw = raw_paddleocr(var)
    raw.predict(np.full((64, 256, 3), 255, np.uint8))
    ours = OcrEngine(var, use_cache=False)
    ours._load()
    # interleave the two so drift in machine load hits both
    raw_s = ours_s = 0.0
    single = [0.0, 0.0, 0]  # raw, ours, pages read in one OCR pass (upright or merely skewed)
    for page in pages:
        raw_t = timed(lambda p: raw.predict(p), [page])
        calls = ours.calls
        ours_t = timed(ours.read, [page])
        raw_s, ours_s = raw_s + raw_t, ours_s + ours_t
        if ours.calls - calls == 1:
            single = [single[0] + raw_t, single[1] + ours_t, single[2] + 1]
    print(f"raw PaddleOCR predict : {raw_s:7.2f} s  ({60 * len(pages) / raw_s:5.1f} pages/min)")
    print(f"dgintake reading step : {ours_s:7.2f} s  ({60 * len(pages) / ours_s:5.1f} pages/min)")
    print(f"ratio ours / raw      : {ours_s / raw_s:.2f}x   (OCR passes: {ours.calls} for {len(pages)} pages)")
    if single[2]:
        print(f"  on the {single[2]} pages needing no turn: {single[1] / single[0]:.2f}x;"
              " a page turned 90/180° is read a second time once its orientation is known,"
              " where the raw call returns unreadable text")

    cached = OcrEngine(var / "cached", use_cache=True)
    cold = timed(cached.read, pages)
    warm_engine = OcrEngine(var / "cached", use_cache=True)  # a new process would start like this
    warm = timed(warm_engine.read, pages)
    print(f"cold run {cold:.2f} s, cached re-run {warm:.3f} s: cached/cold = {warm / cold:.4f}")

    pdf_bytes, docx_bytes = text_documents(100)

    def no_ocr():
        raise AssertionError("no OCR expected")

    ctx = ReadContext(engine_factory=no_ocr)
    started = time.perf_counter()
    pdf_pages = read_file("bench.pdf", pdf_bytes, ctx)
    pdf_s = time.perf_counter() - started
    docx_s = timed(lambda _: read_file("bench.docx", docx_bytes, ctx), range(50))
    print(f"text-layer PDF: {len(pdf_pages) / pdf_s:6.1f} pages/s;  DOCX: {50 / docx_s:6.1f} files/s")

    from dgintake.pipeline import stage_extract, stage_group
    from extractors.classify import classify_pages
    from extractors.page import Page

    read_pages: list[Page] = [ctx_page for ctx_page in (_page(warm_engine, p, i) for i, p in enumerate(pages))]
    # the first pass loads what a process loads once (spaCy's pipeline, compiled patterns);
    # the second is what every further page costs
    started = time.perf_counter()
    stage_extract(stage_group(read_pages, classify_pages(read_pages)))
    first_s = time.perf_counter() - started
    started = time.perf_counter()
    documents = stage_extract(stage_group(read_pages, classify_pages(read_pages)))
    extract_s = time.perf_counter() - started
    print(f"classify+extract (seals found, not read): {extract_s / len(pages) * 1000:.1f} ms/page = "
          f"{extract_s / ours_s:.1%} of reading time (first pass, loading included: {first_s:.2f} s)")

    from datetime import date

    from dgintake.models import PacketInfo, PacketResult
    from validators import validate

    stored = PacketResult(packet=PacketInfo(source="bench", submitted_on="2026-11-20"), verdict="pass", documents=documents)
    stored = PacketResult.model_validate_json(stored.model_dump_json(by_alias=True))
    runs = 500
    judge_s = timed(lambda _: validate(stored, date(2026, 11, 20)), range(runs))
    print(f"judging a stored extracted packet: {judge_s / runs * 1000:.2f} ms")
    whole_packets(var / "packets", args.packets)


def whole_packets(folder: Path, count: int) -> None:
    """Whole packets through the pipeline, nothing cached: the extraction's own time
    against all the recogniser's (page reads, and boxes read again and seal rings during
    extraction), from the timings every result carries."""
    from dgintake.pipeline import process
    from dgintake.settings import Settings
    from tests.generator.packets import write_eval_set

    settings = Settings(var_dir=folder / "var", ocr_cache=False)
    results = [process(path, None, settings) for path in write_eval_set(folder, count=count, seed=950)]
    ocr = sum(r.timings.ocr_s for r in results)
    extract_ocr = sum(r.timings.extract_ocr_s for r in results)
    extract = sum(r.timings.extract_s for r in results)
    print(f"{count} whole packets: page OCR {ocr:.1f} s, recogniser during extraction {extract_ocr:.1f} s, "
          f"extraction's own {extract:.2f} s = {extract / (ocr + extract_ocr):.1%} of all OCR time")


def _page(engine: OcrEngine, image: np.ndarray, index: int):
    from extractors.page import Page
    from extractors.readers.base import sort_reading_order

    result = engine.read(image)
    return Page(file=f"p{index}.jpg", number=1, source="ocr", lines=sort_reading_order(result.lines),
                image=result.image, width=result.image.shape[1], height=result.image.shape[0])


if __name__ == "__main__":
    main()
