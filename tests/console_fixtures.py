"""Fixtures for the review console tests: seeded packets (no OCR), users, live servers.

Packets are built from a hand-written machine result whose findings come from the real
rules (`dgintake.judging.judge`), with page images drawn by PIL and stored in the local
object store as the worker lays them out (`packets/<id>/derived/pages*`).
"""

from __future__ import annotations

import hashlib
import io
import json
import socket
import threading
import time
from datetime import date
from pathlib import Path

import pytest

SUBMITTED = date(2026, 11, 20)
CREDIT = "91441900MA4UJ8L25K"
ID_NUMBER = "44190019870917123X"
PAGES = [
    ("application_letter", 1),
    ("business_license", 2),
    ("id_card_front", 3),
    ("id_card_back", 4),
    ("team_list", 5),
    ("social_insurance_proof", 6),
]
W, H = 1000, 700


def _check_uscc(body: str) -> str:
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
    total = sum(alphabet.index(c) * w for c, w in zip(body, weights))
    return body + alphabet[(31 - total % 31) % 31]


def _check_ric(body: str) -> str:
    total = sum(int(c) * (2 ** (17 - i) % 11) for i, c in enumerate(body))
    return body + "10X98765432"[total % 11]


def credit_code(n: int) -> str:
    return _check_uscc(f"91441900MA{n:07d}"[:17])


def id_number(n: int = 123) -> str:
    return _check_ric(f"44190019870917{n % 1000:03d}")


def field(value, page, box, confidence=0.97, corrected=False):
    return {"value": value, "confidence": confidence, "page": page, "bbox": box, "corrected": corrected}


def machine_result(
    name: str = "东莞市智造云科技有限公司",
    code: str | None = None,
    rep: str = "李明华",
    id_name: str = "李明",
    idno: str | None = None,
    extra_member: str | None = None,
) -> dict:
    """A whole packet as the pipeline would give it; by default the ID card says 李明
    where the licence says 李明华 (REP-NAME-MISMATCH)."""
    code = code or CREDIT
    idno = idno or id_number()
    box = [120.0, 100.0, 520.0, 140.0]
    members = [
        {"name": rep, "role": "项目负责人", "id_number": idno, "phone": "13800000001"},
        {"name": "王芳", "role": "实施工程师", "id_number": id_number(246), "phone": "13800000002"},
    ]
    if extra_member:
        members.append({"name": extra_member, "role": "顾问", "id_number": None, "phone": None})
    insured = [
        {"name": m["name"], "id_number": m["id_number"], "months": 12, "period_from": "2025-11", "period_to": "2026-10"}
        for m in members[:2]
    ]
    docs = {
        "application_letter": {
            "applicant_name": field(name, 1, box),
            "credit_code": field(code, 1, [120.0, 160.0, 520.0, 200.0]),
            "change_items": field("变更在莞独立法人", 1, [120.0, 220.0, 700.0, 260.0], 0.62),
            "contact_person": field("张伟", 1, [120.0, 280.0, 300.0, 320.0]),
            "contact_phone": field("0769-22223333", 1, [120.0, 340.0, 400.0, 380.0]),
            "application_date": field("2026-11-18", 1, [600.0, 600.0, 900.0, 640.0]),
        },
        "business_license": {
            "credit_code": field(code, 2, [80.0, 60.0, 420.0, 100.0], 0.99, corrected=True),
            "name": field(name, 2, [120.0, 180.0, 600.0, 220.0]),
            "entity_type": field("有限责任公司（自然人投资或控股）", 2, [120.0, 240.0, 600.0, 280.0]),
            "legal_representative": field(rep, 2, [120.0, 300.0, 400.0, 340.0]),
            "registered_capital": field("人民币伍佰万元", 2, [600.0, 180.0, 900.0, 220.0]),
            "established_date": field("2018-05-21", 2, [600.0, 240.0, 900.0, 280.0]),
            "term_end": field("long_term", 2, [600.0, 300.0, 900.0, 340.0]),
            "address": field("广东省东莞市南城街道鸿福路200号", 2, [600.0, 360.0, 950.0, 400.0]),
            "business_scope": field("软件开发；信息系统集成服务", 2, [120.0, 420.0, 560.0, 500.0]),
            "registration_authority": field("东莞市市场监督管理局", 2, [600.0, 560.0, 900.0, 600.0]),
            "issue_date": field("2022-04-21", 2, [600.0, 620.0, 900.0, 660.0]),
        },
        "id_card_front": {
            "name": field(id_name, 1, [150.0, 80.0, 330.0, 130.0], 0.95),
            "sex": field("男", 1, [150.0, 150.0, 220.0, 190.0]),
            "ethnicity": field("汉", 1, [300.0, 150.0, 380.0, 190.0]),
            "birth_date": field("1987-09-17", 1, [150.0, 210.0, 500.0, 250.0]),
            "address": field("广东省东莞市南城街道", 1, [150.0, 270.0, 600.0, 350.0]),
            "id_number": field(idno, 1, [300.0, 560.0, 900.0, 610.0]),
        },
        "id_card_back": {
            "issuing_authority": field("东莞市公安局", 1, [350.0, 480.0, 700.0, 520.0]),
            "valid_from": field("2015-06-01", 1, [350.0, 560.0, 600.0, 600.0]),
            "valid_to": field("2035-06-01", 1, [620.0, 560.0, 900.0, 600.0]),
        },
        "team_list": {"members": field(members, 1, [60.0, 120.0, 940.0, 400.0], 0.9)},
        "social_insurance_proof": {
            "employer_name": field(name, 1, [120.0, 100.0, 600.0, 140.0]),
            "employer_credit_code": field(code, 1, [120.0, 160.0, 600.0, 200.0]),
            "issuer": field("国家税务总局东莞市税务局", 1, [120.0, 600.0, 600.0, 640.0]),
            "print_date": field("2026-11-10", 1, [650.0, 600.0, 900.0, 640.0]),
            "insured": field(insured, 1, [60.0, 240.0, 940.0, 520.0], 0.88),
        },
    }
    documents = []
    for doc_type, page in PAGES:
        file = "scan.pdf" if doc_type in ("application_letter", "business_license") else f"{doc_type}.jpg"
        fields = docs[doc_type]
        if file == "scan.pdf":
            for value in fields.values():
                value["page"] = page
        documents.append(
            {
                "doc_type": doc_type,
                "file": file,
                "pages": [page if file == "scan.pdf" else 1],
                "classification_confidence": 0.97,
                "sealed": True if doc_type == "application_letter" else None,
                "fields": fields,
            }
        )
    return {
        "schema": "dgintake.packet-result/1",
        "packet": {"source": "packet", "submitted_on": SUBMITTED.isoformat(), "kind": "entity_change"},
        "verdict": "pass",
        "documents": documents,
        "findings": [],
        "timings": {"total_s": 1.0, "ocr_s": 0.5},
    }


def page_entries(packet_id: str, result: dict) -> list[dict]:
    seen, pages = set(), []
    for document in result["documents"]:
        for page in document["pages"]:
            if (document["file"], page) in seen:
                continue
            seen.add((document["file"], page))
            index = len(pages) + 1
            pages.append(
                {
                    "index": index,
                    "file": document["file"],
                    "page": page,
                    "key": f"packets/{packet_id}/derived/pages/{index:04d}.jpg",
                    "width": W,
                    "height": H,
                    "bbox_scale": 1.0,
                    "doc_type": document["doc_type"],
                }
            )
    return pages


def page_image(label: str) -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (W, H), (250, 250, 246))
    draw = ImageDraw.Draw(image)
    draw.rectangle([20, 20, W - 20, H - 20], outline=(60, 60, 60), width=3)
    for y in range(100, H - 60, 60):
        draw.line([120, y + 30, 880, y + 30], fill=(180, 180, 180), width=2)
    draw.text((40, 30), label, fill=(20, 20, 20))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=70)
    return buffer.getvalue()


def seed_packet(db_url: str, store, name: str = "智造云变更申请", result: dict | None = None, images: bool = True) -> str:
    """Register, process and queue one packet the way the worker does; its id."""
    from dgintake.judging import judge
    from storage import packets as repo
    from storage.db import session_scope

    result = result or machine_result()
    judged = judge(result, SUBMITTED)
    sha = hashlib.sha256(json.dumps([name, result], ensure_ascii=False).encode()).hexdigest()
    with session_scope(db_url) as session:
        packet, _ = repo.register(
            session, name=name, sha256=sha, source_key=f"incoming/{name}.zip", is_folder=False, files=[]
        )
        packet_id = packet.id
    with session_scope(db_url) as session:
        attempt = repo.claim(session, packet_id, "test-worker", 600)
        repo.complete(session, packet_id, "test-worker", attempt, judged, SUBMITTED)
    if images and store is not None:
        entries = page_entries(packet_id, result)
        for entry in entries:
            store.put(entry["key"], page_image(f"{entry['doc_type']} {entry['file']} p{entry['page']}"), "image/jpeg")
        store.put(f"packets/{packet_id}/derived/pages.json", json.dumps({"pages": entries}).encode())
    return packet_id


def add_user(db_url: str, name: str, role: str, password: str = "correct horse 9") -> None:
    from review.services import users
    from storage.db import session_scope

    with session_scope(db_url) as session:
        users.add(session, name, role, password)


ROLES = ("intake", "reviewer", "approver", "admin")
PASSWORD = "correct horse 9"


def _build(folder: Path) -> None:
    from sqlalchemy import text

    from storage.db import get_engine
    from storage.objects import LocalStore

    db_url = f"sqlite:///{folder / 'console.db'}"
    store = LocalStore(folder / "objects", "dgintake")
    for role in ROLES:
        add_user(db_url, role, role)
    add_user(db_url, "reviewer2", "reviewer")
    add_user(db_url, "approver2", "approver")
    packet_id = seed_packet(db_url, store)
    (folder / "packet.txt").write_text(packet_id)
    with get_engine(db_url).connect() as connection:
        connection.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))


@pytest.fixture(scope="session")
def console_template(tmp_path_factory) -> Path:
    """Users and one packet, built once; each test works on a copy."""
    from argon2 import PasswordHasher

    from review.services import users

    # Argon2id still, with test-sized cost: the default one takes ~0.4 s a hash here.
    users.use_hasher(PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1))
    folder = tmp_path_factory.mktemp("console-template")
    _build(folder)
    return folder


@pytest.fixture()
def console(tmp_path, console_template):
    """A console app on its own SQLite database and object store, with one user per role
    (plus a second reviewer and approver) and one seeded packet."""
    import shutil

    from dgintake.settings import Settings
    from review.app import create_app
    from storage.objects import LocalStore

    shutil.copy(console_template / "console.db", tmp_path / "console.db")
    shutil.copytree(console_template / "objects", tmp_path / "objects")
    settings = Settings(var_dir=tmp_path, database_url=f"sqlite:///{tmp_path / 'console.db'}", secret_key="s" * 32)
    store = LocalStore(tmp_path / "objects", "dgintake")
    packet_id = (console_template / "packet.txt").read_text()
    app = create_app(settings, store=store)
    return {"app": app, "settings": settings, "store": store, "db_url": settings.db_url, "packet": packet_id}


def login(client, name: str, password: str = PASSWORD) -> str:
    """Log `client` in; the session's CSRF token."""
    response = client.post("/login", data={"username": name, "password": password}, follow_redirects=False)
    assert response.status_code == 303, response.text
    return client.get("/api/session").json()["csrf_token"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class LiveServer:
    """The app served by uvicorn in a thread on a loopback port."""

    def __init__(self, app) -> None:
        import uvicorn

        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning", access_log=False)
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> LiveServer:
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started and time.monotonic() < deadline:
            time.sleep(0.02)
        return self

    def __exit__(self, *exc) -> None:
        self.server.should_exit = True
        self.thread.join(5)


@pytest.fixture()
def live(console):
    with LiveServer(console["app"]) as server:
        yield {**console, "url": server.url}


def tmp_file(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path
