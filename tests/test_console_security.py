"""The console's safety: every route × every role, CSRF and Origin, sessions, throttling,
masking of ID numbers, untrusted OCR text, formula injection, security headers, images."""

from __future__ import annotations

import io
import logging
import re
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update

from review.security import PUBLIC, declared_routes
from storage.db import session_scope
from storage.models import UserSession

pytest.register_assert_rewrite("tests.console_fixtures")
from tests.console_fixtures import ROLES, add_user, login, machine_result, seed_packet  # noqa: E402

pytest_plugins = ["tests.console_fixtures"]

WHOLE_ID = re.compile(r"\d{17}[\dX]")


def fill(path: str, packet_id: str) -> str:
    return (
        path.replace("{packet_id}", packet_id).replace("{page}", "1").replace("{batch_id}", "999").replace("{name}", "nobody")
    )


def test_every_route_declares_its_roles(console):
    routes = declared_routes(console["app"])
    assert len(routes) >= 20
    undeclared = [(m, p) for m, p, roles in routes if roles is None]
    assert undeclared == [], f"routes nobody declared: {undeclared}"


def test_route_role_matrix(console):
    """Each role gets 403 exactly on the routes it is not declared for; nobody logged in
    gets 401 (or the login page) everywhere but the public routes."""
    app, packet_id = console["app"], console["packet"]
    routes = [(m, p, roles) for m, p, roles in declared_routes(app) if p != "/logout"]
    anonymous = TestClient(app)
    for method, path, roles in routes:
        response = anonymous.request(method, fill(path, packet_id), follow_redirects=False)
        if roles == PUBLIC:  # (POST /login answers 401 to the empty form: bad credentials, not a role)
            assert response.status_code != 403, (method, path)
        else:
            assert response.status_code in (401, 303), (method, path, response.status_code)
            if response.status_code == 303:
                assert response.headers["location"] == "/login"
    checked = 0
    for role in ROLES:
        client = TestClient(app)
        token = login(client, role)
        for method, path, roles in routes:
            response = client.request(
                method, fill(path, packet_id), headers={"X-CSRF-Token": token}, json={}, follow_redirects=False
            )
            if roles == PUBLIC:
                assert response.status_code != 403, (role, method, path)
            elif role in roles:
                assert response.status_code not in (401, 403), (role, method, path, response.status_code, response.text)
            else:
                assert response.status_code == 403, (role, method, path, response.status_code)
            checked += 1
        assert client.post("/logout", headers={"X-CSRF-Token": token}, follow_redirects=False).status_code == 303
    assert checked == len(routes) * len(ROLES)


def test_a_new_route_without_roles_fails_closed(console):
    app = console["app"]

    @app.get("/forgotten")
    def forgotten():
        return {"secret": True}

    client = TestClient(app)
    login(client, "admin")
    assert client.get("/forgotten").status_code == 403
    assert ("GET", "/forgotten", None) in declared_routes(app)


def _claimed(client, token, packet_id):
    version = client.get(f"/api/packets/{packet_id}").json()["version"]
    response = client.post(
        f"/api/packets/{packet_id}/transition", json={"version": version, "to": "in_review"}, headers={"X-CSRF-Token": token}
    )
    assert response.status_code == 200, response.text
    return response.json()["version"]


def test_csrf_missing_foreign_and_origin(console):
    app, packet_id = console["app"], console["packet"]
    mine, other = TestClient(app), TestClient(app)
    token = login(mine, "reviewer")
    foreign = login(other, "reviewer2")
    version = mine.get(f"/api/packets/{packet_id}").json()["version"]
    body = {"version": version, "to": "in_review"}
    url = f"/api/packets/{packet_id}/transition"
    assert mine.post(url, json=body).status_code == 403
    assert mine.post(url, json=body, headers={"X-CSRF-Token": foreign}).status_code == 403
    assert mine.post(url, json=body, headers={"X-CSRF-Token": ""}).status_code == 403
    evil = {"X-CSRF-Token": token, "Origin": "https://evil.example"}
    assert mine.post(url, json=body, headers=evil).status_code == 403
    assert mine.post(url, json=body, headers={"X-CSRF-Token": token, "Referer": "http://evil.example/x"}).status_code == 403
    # a form post needs the token in its field
    assert mine.post("/logout", data={"csrf_token": "wrong"}, follow_redirects=False).status_code == 403
    assert mine.get(f"/api/packets/{packet_id}").json()["status"] == "awaiting_review"  # nothing happened
    ok = mine.post(url, json=body, headers={"X-CSRF-Token": token, "Origin": "http://testserver"})
    assert ok.status_code == 200
    # a cross-site login attempt is refused too
    assert TestClient(app).post("/login", data={"username": "reviewer", "password": "x"}, headers={"Origin": "https://evil.example"}).status_code == 403


def test_session_ends_at_logout_disable_idle_and_absolute(console):
    app, db_url = console["app"], console["db_url"]
    client = TestClient(app)
    token = login(client, "reviewer")
    cookie = client.cookies.get("dgintake_session")
    assert client.post("/logout", headers={"X-CSRF-Token": token}, follow_redirects=False).status_code == 303
    replay = TestClient(app, cookies={"dgintake_session": cookie})
    assert replay.get("/api/session").status_code == 401
    assert replay.get("/queue", follow_redirects=False).headers["location"] == "/login"

    # disabling a user ends their sessions at once
    victim, admin = TestClient(app), TestClient(app)
    login(victim, "reviewer2")
    admin_token = login(admin, "admin")
    assert victim.get("/api/session").status_code == 200
    response = admin.post(
        "/admin/users/reviewer2/active", data={"csrf_token": admin_token, "active": "0"}, follow_redirects=False
    )
    assert response.status_code == 303
    assert victim.get("/api/session").status_code == 401
    assert TestClient(app).post("/login", data={"username": "reviewer2", "password": "correct horse 9"}).status_code == 401

    # idle and absolute timeouts
    for column, age in (("last_seen_at", timedelta(minutes=31)), ("created_at", timedelta(hours=13))):
        client = TestClient(app)
        login(client, "approver")
        key = app.state.sessions().get(UserSession, _session_id(app, client)).id
        with session_scope(db_url) as session:
            from review.services.repo import utcnow

            session.execute(update(UserSession).where(UserSession.id == key).values({column: utcnow() - age}))
        assert client.get("/api/session").status_code == 401, column


def _session_id(app, client) -> str:
    from review.services.users import session_key

    return session_key(app.state.secret, client.cookies.get("dgintake_session"))


def test_cookie_flags(console):
    client = TestClient(console["app"], base_url="https://testserver")
    response = client.post("/login", data={"username": "reviewer", "password": "correct horse 9"}, follow_redirects=False)
    cookie = response.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Secure" in cookie
    assert "Strict-Transport-Security" in response.headers
    plain = TestClient(console["app"]).post(
        "/login", data={"username": "reviewer", "password": "correct horse 9"}, follow_redirects=False
    )
    assert "Secure" not in plain.headers["set-cookie"]


def test_login_throttled_per_user_and_per_address(console):
    app = console["app"]
    client = TestClient(app)
    for _ in range(5):
        assert client.post("/login", data={"username": "approver", "password": "wrong password"}).status_code == 401
    # the right password no longer helps while the user is throttled
    assert client.post("/login", data={"username": "approver", "password": "correct horse 9"}).status_code == 429
    # per address: many names tried from one address
    for n in range(15):
        client.post("/login", data={"username": f"guess{n}", "password": "x"})
    assert client.post("/login", data={"username": "intake", "password": "correct horse 9"}).status_code == 429


def test_id_numbers_masked_in_lists_logs_audit_and_exports(console, caplog):
    app, packet_id = console["app"], console["packet"]
    caplog.set_level(logging.DEBUG)
    reviewer = TestClient(app)
    token = login(reviewer, "reviewer")
    version = _claimed(reviewer, token, packet_id)
    new_number = "44190019900101002X"
    response = reviewer.post(
        f"/api/packets/{packet_id}/fields",
        json={"version": version, "corrections": [{"document": 2, "field": "id_number", "value": new_number}]},
        headers={"X-CSRF-Token": token},
    )
    assert response.status_code == 200, response.text
    # reviewers see it whole on the packet page and API, and that view is audited
    page = reviewer.get(f"/packets/{packet_id}").text
    assert new_number in page
    shown = reviewer.get(f"/api/packets/{packet_id}").json()
    assert any(e["action"] == "view_personal_data" for e in shown["events"])
    # nobody sees it whole in a list, in the audit trail or in an export
    assert not WHOLE_ID.search(reviewer.get("/queue").text)
    assert not WHOLE_ID.search(reviewer.get("/api/packets").text)
    assert not WHOLE_ID.search(str(shown["events"]))
    docx = reviewer.get(f"/packets/{packet_id}/opinion.docx")
    assert docx.status_code == 200
    assert not WHOLE_ID.search(_docx_text(docx.content))
    for role in ("intake", "admin"):
        client = TestClient(app)
        login(client, role)
        html = client.get(f"/packets/{packet_id}").text
        assert not WHOLE_ID.search(html), role
        assert "441900********002X" in html, role
        assert not WHOLE_ID.search(client.get(f"/api/packets/{packet_id}").text), role
    assert not WHOLE_ID.search(caplog.text)


def _docx_text(data: bytes) -> str:
    from docx import Document

    document = Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def test_ocr_text_is_inert_markup(console):
    app = console["app"]
    evil = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    packet_id = seed_packet(console["db_url"], console["store"], "evil", machine_result(name=evil))
    client = TestClient(app)
    login(client, "reviewer")
    for url in ("/queue?status=all", f"/packets/{packet_id}"):
        html = client.get(url).text
        assert "<script>alert" not in html and "<img src=x" not in html, url
        assert "&lt;script&gt;alert(" in html, url
    assert "script-src 'self'" in client.get(f"/packets/{packet_id}").headers["content-security-policy"]


def test_formula_in_a_cell_is_neutralised(console):
    from openpyxl import load_workbook

    from review.services import exports

    app, db_url = console["app"], console["db_url"]
    bad = "=cmd|' /C calc'!A0"
    packet_id = seed_packet(db_url, console["store"], "formula", machine_result(name=bad, code="+SUM(1,2)"))
    with session_scope(db_url) as session:
        from storage.models import Batch, Packet

        batch = Batch(title="=HYPERLINK(\"http://evil\")", created_by="x", created_at=__import__("datetime").datetime.now())
        session.add(batch)
        session.flush()
        packet = session.get(Packet, packet_id)
        packet.status, packet.batch_id = "approved", batch.id
        batch_id = batch.id
    client = TestClient(app)
    login(client, "approver")
    response = client.get(f"/batches/{batch_id}/changes.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = [c for row in sheet.iter_rows() for c in row if c.value is not None]
    assert all(c.data_type != "f" for c in cells)
    values = [c.value for c in cells]
    assert "'" + bad in values and "'+SUM(1,2)" in values
    assert all(not str(v).startswith(("=", "+", "-", "@")) for v in values)
    assert exports.safe_cell("@SUM(A1)") == "'@SUM(A1)" and exports.safe_cell(3) == 3


def test_security_headers_and_no_store(console):
    client = TestClient(console["app"])
    login(client, "reviewer")
    response = client.get(f"/packets/{console['packet']}")
    assert response.headers["cache-control"] == "no-store"
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    assert response.headers["x-content-type-options"] == "nosniff"
    assert client.get("/api/packets").headers["cache-control"] == "no-store"


def test_images_only_for_logged_in_users_and_only_from_the_packet(console):
    import json

    app, store, packet_id = console["app"], console["store"], console["packet"]
    anonymous = TestClient(app)
    assert anonymous.get(f"/packets/{packet_id}/pages/1.jpg", follow_redirects=False).status_code in (303, 401)
    client = TestClient(app)
    login(client, "intake")
    assert client.get(f"/packets/{packet_id}/pages/1.jpg").headers["content-type"] == "image/jpeg"
    thumb = client.get(f"/packets/{packet_id}/pages/1.jpg?size=thumb")
    assert thumb.headers["content-type"] == "image/jpeg" and len(thumb.content) < 20_000
    assert client.get(f"/packets/{packet_id}/pages/99.jpg").status_code == 404
    assert client.get(f"/packets/{packet_id}/pages/99.jpg?size=thumb").status_code == 404
    assert client.get("/packets/..%2F..%2Fetc/pages/1.jpg").status_code == 404
    assert client.get("/packets/notahexid/pages/1.jpg").status_code == 404
    # an index pointing outside the packet's own prefix is not followed
    other = seed_packet(console["db_url"], store, "other", machine_result(name="别的公司"))
    store.put(
        f"packets/{other}/derived/pages.json",
        json.dumps({"pages": [{"index": 1, "file": "a", "page": 1, "key": f"packets/{packet_id}/derived/pages/0001.jpg"}]}).encode(),
    )
    assert client.get(f"/packets/{other}/pages/1.jpg").status_code == 404


def test_unknown_packet_and_bad_input(console):
    client = TestClient(console["app"])
    token = login(client, "reviewer")
    assert client.get("/api/packets/0000000000000000").status_code == 404
    assert client.get("/packets/0000000000000000").status_code == 404
    response = client.post(
        f"/api/packets/{console['packet']}/fields", content=b"not json", headers={"X-CSRF-Token": token}
    )
    assert response.status_code == 422
    assert response.json()["error"]


@pytest.mark.parametrize("password", ["", "short"])
def test_users_need_a_real_password(console, password):
    from review.services.users import UserError

    with pytest.raises(UserError):
        add_user(console["db_url"], "weak", "reviewer", password)


def test_id_numbers_painted_over_page_images_for_masked_roles(console):
    import json

    from PIL import Image

    app, store, packet_id = console["app"], console["store"], console["packet"]
    # the team list's OCR holds a whole ID number on one line
    ocr = {"pages": [{"file": "team_list.jpg", "page": 1, "lines": [
        {"text": "1 李明华 项目负责人 441900198709171236", "bbox": [60.0, 200.0, 900.0, 240.0], "confidence": 0.9},
        {"text": "序号 姓名 岗位", "bbox": [60.0, 120.0, 900.0, 160.0], "confidence": 0.9},
    ]}]}
    store.put(f"packets/{packet_id}/derived/ocr.json", json.dumps(ocr, ensure_ascii=False).encode())

    def pixel(client, page: int, xy: tuple[int, int]) -> int:
        response = client.get(f"/packets/{packet_id}/pages/{page}.jpg")
        assert response.status_code == 200
        return Image.open(io.BytesIO(response.content)).convert("L").getpixel(xy)

    reviewer, staff = TestClient(app), TestClient(app)
    login(reviewer, "reviewer")
    login(staff, "intake")
    id_card, team = (3, (600, 585)), (5, (480, 220))  # inside the id_number box / the OCR'd line
    label = (5, (480, 140))  # a line without a number
    for page, xy in (id_card, team):
        assert pixel(reviewer, page, xy) > 200  # as scanned
        assert pixel(staff, page, xy) < 60  # painted over
    assert pixel(staff, *label) > 200
    whole = reviewer.get(f"/packets/{packet_id}/pages/3.jpg?size=thumb").content
    masked = staff.get(f"/packets/{packet_id}/pages/3.jpg?size=thumb").content
    assert whole != masked


def test_a_reviewer_looking_at_a_full_page_image_is_audited(console):
    from sqlalchemy import select

    from storage.db import session_scope
    from storage.models import AuditEvent

    app, packet_id = console["app"], console["packet"]
    client = TestClient(app)
    login(client, "reviewer")
    assert client.get(f"/packets/{packet_id}/pages/1.jpg?size=thumb").status_code == 200
    assert client.get(f"/packets/{packet_id}/pages/1.jpg").status_code == 200
    with session_scope(console["db_url"]) as session:
        looks = session.scalars(
            select(AuditEvent).where(AuditEvent.packet_id == packet_id, AuditEvent.action == "view_personal_data")
        ).all()
    assert [(e.actor, e.detail.get("page")) for e in looks] == [("reviewer", 1)]
