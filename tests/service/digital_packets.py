"""Small born-digital packets (Word letter, Excel team list, text-layer insurance proof):
real packets the pipeline reads without OCR, so service tests stay quick."""

from __future__ import annotations

import random
from pathlib import Path

from tests.generator import digital
from tests.generator.packets import PacketSpec, build


def write_digital_packet(out_dir: Path, seed: int) -> Path:
    """A folder packet of three born-digital documents, unique per seed."""
    built = build(PacketSpec(seed=seed, degrade=False))
    rng = random.Random(seed)
    folder = out_dir / f"digital-{seed:04d}"
    folder.mkdir(parents=True, exist_ok=True)
    by_type = {drawn.doc_type: drawn for drawn in built.drawn if isinstance(drawn.doc_type, str)}
    letter = by_type["application_letter"]
    (folder / "申请书.docx").write_bytes(digital.letter_docx(letter.fields, rng, letter.sealed))
    team = by_type["team_list"]
    (folder / "团队名单.xlsx").write_bytes(digital.team_xlsx(team.fields, f"{built.company.name}本地服务团队名单"))
    proof = by_type["social_insurance_proof"].fields
    rows = [
        [i + 1, r["name"], r["id_number"], "养老保险", f"{r['period_from']}至{r['period_to']}", r["months"]]
        for i, r in enumerate(proof["insured"])
    ]
    printed = proof["print_date"]
    (folder / "社保证明.pdf").write_bytes(
        digital.table_pdf(
            "社会保险参保缴费证明",
            [f"单位名称：{proof['employer_name']}", f"统一社会信用代码：{proof['employer_credit_code']}"],
            ["序号", "姓名", "证件号码", "险种", "缴费起止年月", "月数"],
            rows,
            [f"打印日期：{printed[:4]}年{printed[5:7]}月{printed[8:]}日", f"出具机构：{proof['issuer']}"],
            [10, 18, 40, 22, 40, 12],
            proof["issuer"],
            rng,
        )
    )
    return folder
