"""The review flow through the HTTP API: claim, correct and re-judge, decide with four
eyes, publish a change list, export; the optimistic lock with two real clients."""

from __future__ import annotations

import io
import threading

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, update

from storage.db import session_scope
from storage.models import AuditEvent, User

pytest.register_assert_rewrite("tests.console_fixtures")
from tests.console_fixtures import login, machine_result, seed_packet  # noqa: E402

pytest_plugins = ["tests.console_fixtures"]


def api(client, token, packet_id, what, body):
    return client.post(f"/api/packets/{packet_id}/{what}", json=body, headers={"X-CSRF-Token": token})


def version_of(client, packet_id) -> int:
    return client.get(f"/api/packets/{packet_id}").json()["version"]


def move(client, token, packet_id, to, reason=None, **extra):
    return api(client, token, packet_id, "transition", {"version": version_of(client, packet_id), "to": to, "reason": reason, **extra})


def test_correction_rejudges_and_keeps_the_machine_reading(console):
    client = TestClient(console["app"])
    token = login(client, "reviewer")
    packet_id = console["packet"]
    shown = client.get(f"/api/packets/{packet_id}").json()
    assert shown["verdict"] == "fail" and "REP-NAME-MISMATCH" in shown["codes"]
    assert set(shown) >= {"id", "status", "verdict", "codes", "result", "events", "version", "files"}
    # a correction before claiming is refused
    assert api(client, token, packet_id, "fields", {"version": shown["version"], "corrections": []}).status_code == 422
    early = [{"document": 2, "field": "name", "value": "李明华"}]
    assert api(client, token, packet_id, "fields", {"version": shown["version"], "corrections": early}).status_code == 409
    claimed = move(client, token, packet_id, "in_review")
    assert claimed.status_code == 200 and claimed.json()["claimed_by"] == "reviewer"
    version = claimed.json()["version"]
    assert version == shown["version"] + 1
    response = api(client, token, packet_id, "fields", {"version": version, "corrections": early})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["version"] == version + 1
    assert body["verdict"] == "pass" and body["codes"] == []
    field = body["result"]["documents"][2]["fields"]["name"]
    assert field["value"] == "李明华" and field["machine_value"] == "李明" and field["reviewed_by"] == "reviewer"
    actions = [e["action"] for e in body["events"]]
    assert "correction" in actions and "rejudged" in actions
    correction = next(e for e in body["events"] if e["action"] == "correction")
    assert correction["detail"]["old"] == "李明" and correction["detail"]["new"] == "李明华"
    # bad input: unknown field, wrong document, malformed rows
    for bad in (
        [{"document": 2, "field": "nonsense", "value": "x"}],
        [{"document": 99, "field": "name", "value": "x"}],
        [{"document": 4, "field": "members", "value": "not rows"}],
    ):
        assert api(client, token, packet_id, "fields", {"version": body["version"], "corrections": bad}).status_code == 422
    # table rows: dropping the second team member from the list
    rows = [{"name": "李明华", "role": "项目负责人", "id_number": None, "phone": None}]
    response = api(client, token, packet_id, "fields", {"version": body["version"], "corrections": [{"document": 4, "field": "members", "value": rows}]})
    assert response.status_code == 200
    assert response.json()["result"]["documents"][4]["fields"]["members"]["value"] == rows
    # the page shows the reviewer's value beside the machine's
    html = client.get(f"/packets/{packet_id}").text
    assert "机器识别：李明" in html and "已人工修改" in html


def test_decisions_four_eyes_batch_publish_and_exports(console):
    from docx import Document
    from docx.oxml.ns import qn
    from openpyxl import load_workbook

    app, packet_id, db_url = console["app"], console["packet"], console["db_url"]
    reviewer, approver, approver2 = TestClient(app), TestClient(app), TestClient(app)
    rt, at, at2 = login(reviewer, "reviewer"), login(approver, "approver"), login(approver2, "approver2")
    assert move(approver, at, packet_id, "in_review").status_code == 403  # claiming is a reviewer's
    assert move(reviewer, rt, packet_id, "approved").status_code == 409  # no such move from awaiting_review
    assert move(reviewer, rt, packet_id, "in_review").status_code == 200
    assert move(reviewer, rt, packet_id, "proposed_approve").status_code == 422  # the opinion is required
    assert move(reviewer, rt, packet_id, "needs_correction", "身份证姓名不清").status_code == 422  # materials too
    assert move(reviewer, rt, packet_id, "proposed_approve", "材料齐全，拟同意变更。").status_code == 200
    assert move(reviewer, rt, packet_id, "approved").status_code == 403  # an approver's move
    # four eyes: the proposer, even once made an approver, cannot approve their own proposal
    with session_scope(db_url) as session:
        session.execute(update(User).where(User.name == "reviewer").values(role="approver"))
    assert move(reviewer, rt, packet_id, "approved").status_code == 403
    with session_scope(db_url) as session:
        session.execute(update(User).where(User.name == "reviewer").values(role="reviewer"))
        refused = session.scalars(select(AuditEvent).where(AuditEvent.action == "transition_refused")).all()
    assert len(refused) >= 3  # refused moves are logged
    approved = move(approver, at, packet_id, "approved")
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    # the opinion as Word, with Chinese fonts set for East Asian text
    docx = approver.get(f"/packets/{packet_id}/opinion.docx")
    assert docx.status_code == 200
    document = Document(io.BytesIO(docx.content))
    text = "\n".join(p.text for p in document.paragraphs)
    cells = "\n".join(c.text for t in document.tables for r in t.rows for c in r.cells)
    assert "拟批复变更意见" in text and "材料齐全，拟同意变更。" in text
    assert "东莞市智造云科技有限公司" in cells and "reviewer" in cells and "approver" in cells
    fonts = {r._element.rPr.rFonts.get(qn("w:eastAsia")) for p in document.paragraphs for r in p.runs}
    assert fonts <= {"宋体", "黑体"} and fonts
    # a change list: created and published by approvers, then its spreadsheet
    response = approver2.post("/batches", data={"csrf_token": at2, "title": "2026年第四批变更名单", "packet": packet_id}, follow_redirects=False)
    assert response.status_code == 303
    batch_url = response.headers["location"]
    assert reviewer.post(batch_url + "/publish", headers={"X-CSRF-Token": rt}).status_code == 403
    assert approver2.post(batch_url + "/publish", data={"csrf_token": at2}, follow_redirects=False).status_code == 303
    assert reviewer.get(f"/api/packets/{packet_id}").json()["status"] == "published"
    assert approver2.post(batch_url + "/publish", data={"csrf_token": at2}).status_code == 409
    sheet = load_workbook(io.BytesIO(approver2.get(batch_url + "/changes.xlsx").content)).active
    assert "已发布" in sheet["A1"].value
    assert [c.value for c in sheet[3]][:4] == [1, "东莞市智造云科技有限公司", "91441900MA4UJ8L25K", "已发布"]
    assert sheet["E3"].value == "approver"


def test_needs_correction_gives_a_notice(console):
    from docx import Document

    app, packet_id = console["app"], console["packet"]
    reviewer, staff = TestClient(app), TestClient(app)
    rt = login(reviewer, "reviewer")
    login(staff, "intake")
    assert staff.get(f"/packets/{packet_id}/notice.docx").status_code == 409
    move(reviewer, rt, packet_id, "in_review")
    response = move(reviewer, rt, packet_id, "needs_correction", "身份证复印件姓名与执照不符",
                    materials=["法定代表人身份证复印件（人像面）"])
    assert response.status_code == 200 and response.json()["status"] == "needs_correction"
    notice = staff.get(f"/packets/{packet_id}/notice.docx")
    assert notice.status_code == 200
    text = "\n".join(p.text for p in Document(io.BytesIO(notice.content)).paragraphs)
    assert "补正通知" in text and "法定代表人身份证复印件（人像面）" in text and "姓名与执照不符" in text
    assert move(reviewer, rt, packet_id, "in_review").status_code == 200  # the materials came back


def test_admin_releases_a_claim_and_queue_filters(console):
    app, packet_id, db_url, store = console["app"], console["packet"], console["db_url"], console["store"]
    other = seed_packet(db_url, store, "第二件", machine_result(name="东莞市松山湖数智有限公司", id_name="李明华"), images=False)
    reviewer, admin = TestClient(app), TestClient(app)
    rt, admin_token = login(reviewer, "reviewer"), login(admin, "admin")
    move(reviewer, rt, packet_id, "in_review")
    html = admin.get("/queue").text
    assert "reviewer 审核中" in html and "释放" in html
    assert "释放" not in reviewer.get("/queue").text
    response = admin.post(f"/packets/{packet_id}/release", data={"csrf_token": admin_token, "version": version_of(admin, packet_id)}, follow_redirects=False)
    assert response.status_code == 303
    assert admin.get(f"/api/packets/{packet_id}").json()["status"] == "awaiting_review"
    rows = lambda **q: [p["id"] for p in reviewer.get("/api/packets", params=q).json()["packets"]]  # noqa: E731
    assert rows() == [packet_id, other]  # oldest first
    assert rows(verdict="pass") == [other]
    assert rows(code="REP-NAME-MISMATCH") == [packet_id]
    assert rows(q="松山湖") == [other] and rows(q="91441900MA4UJ8L25K") == [packet_id, other]
    assert rows(status="in_review") == []
    move(reviewer, rt, other, "in_review")
    mine = reviewer.get("/queue", params={"mine": "1"}).text
    assert "东莞市松山湖数智有限公司" in mine and "东莞市智造云科技有限公司" not in mine
    listing = reviewer.get("/api/packets").json()
    assert listing["counts"] == {"awaiting_review": 1, "in_review": 1}
    # the page: filtered, with counts, htmx gets only the rows
    page = reviewer.get("/queue", params={"verdict": "pass"})
    assert "东莞市松山湖数智有限公司" in page.text and "东莞市智造云科技有限公司" not in page.text
    partial = reviewer.get("/queue", params={"q": "松山湖"}, headers={"HX-Request": "true"})
    assert "<html" not in partial.text and "松山湖" in partial.text
    # next packet in the filtered list
    assert f"/packets/{other}?" in reviewer.get(f"/packets/{packet_id}").text


def test_stale_version_is_409_with_what_changed(console):
    app, packet_id = console["app"], console["packet"]
    reviewer = TestClient(app)
    rt = login(reviewer, "reviewer")
    stale = version_of(reviewer, packet_id)
    move(reviewer, rt, packet_id, "in_review")
    response = api(reviewer, rt, packet_id, "transition", {"version": stale, "to": "in_review"})
    assert response.status_code == 409
    body = response.json()
    assert body["version"] == stale + 1 and body["yours"] == stale
    assert [c["action"] for c in body["changes"]][:1] in (["claim"], ["transition"])


def _race(url, clients, bodies, path) -> list[httpx.Response]:
    barrier = threading.Barrier(len(clients))
    results: list = [None] * len(clients)

    def fire(n: int) -> None:
        barrier.wait()
        results[n] = clients[n].post(url + path, json=bodies[n])

    threads = [threading.Thread(target=fire, args=(n,)) for n in range(len(clients))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return results


def _live_client(url: str, name: str) -> httpx.Client:
    client = httpx.Client(base_url=url, timeout=30)
    response = client.post("/login", data={"username": name, "password": "correct horse 9"})
    assert response.status_code == 303, response.text
    client.headers["X-CSRF-Token"] = client.get("/api/session").json()["csrf_token"]
    return client


def test_two_real_clients_one_wins_the_other_gets_409(live):
    """Against the running server: two reviewers claim at once, then two sessions of the
    claimant save different values at once. Each time exactly one wins; no lost update."""
    race_claims_and_saves(live["url"], live["packet"])


def race_claims_and_saves(url: str, packet_id: str) -> None:
    first, second = _live_client(url, "reviewer"), _live_client(url, "reviewer2")
    version = first.get(f"/api/packets/{packet_id}").json()["version"]
    claims = _race(url, [first, second], [{"version": version, "to": "in_review"}] * 2, f"/api/packets/{packet_id}/transition")
    assert sorted(r.status_code for r in claims) == [200, 409]
    loser = next(r for r in claims if r.status_code == 409).json()
    assert loser["version"] == version + 1 and loser["changes"]
    winner = first if claims[0].status_code == 200 else second
    winner_name = "reviewer" if winner is first else "reviewer2"
    tab = _live_client(url, winner_name)  # the same reviewer in a second browser tab
    version += 1
    bodies = [
        {"version": version, "corrections": [{"document": 2, "field": "name", "value": value}]}
        for value in ("李明华", "李明明")
    ]
    saves = _race(url, [winner, tab], bodies, f"/api/packets/{packet_id}/fields")
    assert sorted(r.status_code for r in saves) == [200, 409], [r.text for r in saves]
    won = next(n for n, r in enumerate(saves) if r.status_code == 200)
    lost = saves[1 - won].json()
    assert lost["version"] == version + 1
    assert any(c["action"] == "correction" for c in lost["changes"])
    final = winner.get(f"/api/packets/{packet_id}").json()
    assert final["version"] == version + 1
    assert final["result"]["documents"][2]["fields"]["name"]["value"] == bodies[won]["corrections"][0]["value"]
    corrections = [e for e in final["events"] if e["action"] == "correction"]
    assert len(corrections) == 1  # the loser changed nothing
