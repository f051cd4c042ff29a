"""The console in a real browser (Debian's chromium through Playwright): log in, filter the
queue, open a packet, click a field and see its box, correct a name so its finding goes,
propose, approve as a second user, publish, download the .docx and .xlsx and open them.

Set CONSOLE_SCREENSHOTS=folder to keep a screenshot of every page on the way.
"""

from __future__ import annotations

import io
import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

pytest.register_assert_rewrite("tests.console_fixtures")
from tests.console_fixtures import PASSWORD, machine_result, seed_packet  # noqa: E402

pytest_plugins = ["tests.console_fixtures"]
CHROMIUM = "/usr/bin/chromium"
pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs Debian's chromium (apt-get install chromium)")


@pytest.fixture()
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield browser
        browser.close()


def test_review_in_the_browser(live, browser, tmp_path):
    from docx import Document
    from openpyxl import load_workbook

    shots = Path(os.environ["CONSOLE_SCREENSHOTS"]) if os.environ.get("CONSOLE_SCREENSHOTS") else None
    if shots:
        shots.mkdir(parents=True, exist_ok=True)

    def shot(page, name: str) -> None:
        if shots:
            page.screenshot(path=str(shots / f"{name}.png"), full_page=False)

    url, packet_id = live["url"], live["packet"]
    seed_packet(live["db_url"], live["store"], "松山湖数智", machine_result(name="东莞市松山湖数智有限公司", id_name="李明华"))
    errors: list[str] = []
    context = browser.new_context(viewport={"width": 1600, "height": 1000}, accept_downloads=True, locale="zh-CN")
    page = context.new_page()
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)

    def log_in(name: str) -> None:
        page.goto(url + "/login")
        shot(page, "login")
        page.fill('input[name="username"]', name)
        page.fill('input[name="password"]', PASSWORD)
        page.click('button[type="submit"]')
        page.wait_for_url(url + "/queue")

    log_in("reviewer")
    expect(page.locator("table.queue tbody tr")).to_have_count(2)
    shot(page, "queue")
    page.select_option('select[name="verdict"]', "fail")  # htmx swaps the rows in place
    expect(page.locator("table.queue tbody tr")).to_have_count(1)
    assert "verdict=fail" in page.url
    page.click("text=东莞市智造云科技有限公司")
    page.wait_for_url(f"**/packets/{packet_id}?*")
    shot(page, "packet")

    # keyboard: j selects the first field and shows its box
    page.keyboard.press("j")
    # expect() waits for the page's script to act; a bare check races it on a loaded machine
    expect(page.locator("#f-0-applicant_name.selected")).to_have_count(1)
    expect(page.locator("#box")).to_be_visible()
    # claim it, then click the ID card's name: its box shows on the ID card's page
    page.check('input[name="to"][value="in_review"]')
    page.click("#decision button[type=submit]")
    page.wait_for_selector("text=reviewer 审核中")
    name_row = page.locator("#f-2-name")
    name_row.click()
    box = page.locator("#box")
    expect(box).to_be_visible()
    expect(page.locator('.page-img[data-page="3"]')).to_be_visible()
    expect(box).to_have_attribute("style", re.compile(r"left: 15%.*top: 11\.429%"))
    expect(page.locator(".finding.sev-blocker")).to_have_count(1)
    shot(page, "packet-field")

    # correct the name: REP-NAME-MISMATCH goes away, the machine's reading stays beside it
    name_row.locator("button.edit").click()
    page.fill('#f-2-name input[name="value"]', "李明华")
    page.click('#f-2-name button[type="submit"]')
    page.wait_for_selector("text=未发现问题")
    expect(page.locator(".finding")).to_have_count(0)
    assert "机器识别：李明" in page.locator("#f-2-name").inner_text()
    expect(page.locator(".badge.v-pass")).to_have_count(1)
    shot(page, "packet-corrected")

    page.check('input[name="to"][value="proposed_approve"]')
    page.fill("#decision textarea", "材料齐全，符合第十三条规定，拟同意变更。")
    page.click("#decision button[type=submit]")
    page.wait_for_selector(".badge.big.s-proposed_approve")
    with page.expect_download() as download:
        page.click("text=下载拟批复变更意见（.docx）")
    docx_path = tmp_path / "opinion.docx"
    download.value.save_as(docx_path)
    page.click("text=退出")
    page.wait_for_url(url + "/login")

    # a second person approves and publishes the change list
    log_in("approver")
    page.goto(f"{url}/packets/{packet_id}")
    page.check('input[name="to"][value="approved"]')
    page.click("#decision button[type=submit]")
    page.wait_for_selector(".badge.big.s-approved")
    page.locator("#decide").scroll_into_view_if_needed()
    shot(page, "packet-approved")
    page.goto(url + "/batches")
    shot(page, "batches")
    page.fill('input[name="title"]', "2026年第四批牵引单位变更名单")
    page.click("text=建立名单")
    page.wait_for_selector("#publish")
    page.click("#publish")
    page.wait_for_selector(".badge.s-published")
    shot(page, "batch")
    with page.expect_download() as download:
        page.click("text=下载变更名单（.xlsx）")
    xlsx_path = tmp_path / "changes.xlsx"
    download.value.save_as(xlsx_path)

    text = "\n".join(p.text for p in Document(io.BytesIO(docx_path.read_bytes())).paragraphs)
    assert "拟同意变更" in text
    sheet = load_workbook(xlsx_path).active
    assert sheet["B3"].value == "东莞市智造云科技有限公司" and sheet["D3"].value == "已发布"
    page.goto(url + "/queue?status=all")
    page.keyboard.press("?")
    expect(page.locator("#shortcuts")).to_be_visible()
    shot(page, "shortcuts")
    page.keyboard.press("Escape")
    page.click("text=退出")
    log_in("admin")
    page.goto(url + "/admin/users")
    shot(page, "users")
    assert errors == [], errors


def test_table_rows_and_a_conflict_in_two_tabs(live, browser):
    """A team member's row edited in the browser brings up TEAM-MEMBER-NOT-INSURED; a
    second tab holding the older version is told what changed instead of overwriting."""
    url, packet_id = live["url"], live["packet"]
    context = browser.new_context(viewport={"width": 1500, "height": 950}, locale="zh-CN")
    first = context.new_page()
    first.goto(url + "/login")
    first.fill('input[name="username"]', "reviewer")
    first.fill('input[name="password"]', PASSWORD)
    first.click('button[type="submit"]')
    first.goto(f"{url}/packets/{packet_id}")
    first.click("[data-claim]")
    first.wait_for_selector("text=reviewer 审核中")
    second = context.new_page()  # the same reviewer, another tab, same version
    second.goto(f"{url}/packets/{packet_id}")

    row = first.locator("#f-4-members")
    row.locator("button.edit").click()
    first.locator('#f-4-members input[data-col="name"]').nth(1).fill("欧阳建国")
    first.click('#f-4-members button[type="submit"]')
    first.wait_for_selector("text=TEAM-MEMBER-NOT-INSURED")
    assert "欧阳建国" in first.locator("#f-4-members").inner_text()

    second.locator("#f-2-name button.edit").click()
    second.fill('#f-2-name input[name="value"]', "李明华")
    second.keyboard.press("Control+s")
    flash = second.locator("#flash")
    flash.wait_for(state="visible")
    assert "他人已修改" in flash.inner_text() and "reviewer 修改了「团队成员」" in flash.inner_text()
    shots = os.environ.get("CONSOLE_SCREENSHOTS")
    if shots:
        second.screenshot(path=str(Path(shots) / "conflict.png"))
    second.reload()
    expect(second.locator(".finding .code", has_text="REP-NAME-MISMATCH")).to_have_count(1)  # nothing was overwritten
