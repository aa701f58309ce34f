"""One real browser walk through the workbench: log in, filter the queue, open a case, see a new
case announced by the 5-second poll. Screenshots go to /tmp for a human look."""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

import pytest

from reviewdesk.platforms.pipeline import ingest_reviews
from reviewdesk.platforms.records import ReviewRecord
from tests.conftest import World, at
from tests.web.conftest import build_desk

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = Path(os.environ.get("REVIEWDESK_SCREENSHOT_DIR", tempfile.gettempdir()))

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason="needs Debian's Chromium at /usr/bin/chromium"
    ),
]


# htmx wires up swapped-in content while it settles (~20 ms); a person never acts that fast, a
# test does, so it waits for the swap to finish before the next interaction.
HTMX_IDLE = (
    "() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling, .htmx-added')"
)


def test_agent_works_the_queue_in_a_browser(
    transactional_db: None,
    live_server: object,
    world: World,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Playwright's sync API runs an event loop in this thread; Django's ORM calls made here by the
    # test itself are safe (they are ours, not the browser's).
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import expect, sync_playwright

    desk = build_desk(world)
    base = str(live_server)

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=str(CHROMIUM),
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--no-first-run",
                "--disable-sync",
            ],
        )
        try:
            page = browser.new_page(viewport={"width": 1440, "height": 900}, locale="zh-CN")
            page.goto(f"{base}/")
            expect(page).to_have_url(re.compile(r"/login/\?next=/$"))
            page.fill("#id_username", "agent_a")
            page.fill("#id_password", "pw-agent_a")
            page.click("button[type=submit].btn-primary")

            expect(page.locator("h1, .topnav a.is-active").first).to_be_visible()
            rows = page.locator("tr.case-row")
            expect(rows).to_have_count(2)
            expect(page.locator("table.cases")).to_contain_text("围巾掉毛严重")
            expect(page.locator("table.cases")).not_to_contain_text("假货")
            page.screenshot(path=str(SCREENSHOTS / "reviewdesk-queue.png"), full_page=True)

            # A facet click goes through htmx (served locally): the URL and the rows change.
            page.click("a.fchip-group-neutral")
            expect(page).to_have_url(re.compile(r"group=neutral"))
            expect(rows).to_have_count(1)
            expect(rows.first).to_contain_text("j**阿花")
            page.wait_for_function(HTMX_IDLE)
            page.click("a.fchip:not([class*='fchip-'])")  # 全部
            expect(rows).to_have_count(2)
            page.wait_for_function(HTMX_IDLE)

            # Changing a select submits the filter form through htmx as well.
            page.select_option("select[name=assignee]", "none")
            expect(page).to_have_url(re.compile(r"assignee=none"))
            expect(page.locator("td.empty")).to_be_visible()
            page.wait_for_function(HTMX_IDLE)
            page.select_option("select[name=assignee]", "")
            expect(rows).to_have_count(2)
            page.wait_for_function(HTMX_IDLE)

            # The simulator adds a case; the 5-second poll announces it without a reload.
            ingest_reviews(
                shop=world.shop_a,
                records=[
                    ReviewRecord(
                        tid=3032000011112222,
                        oid=3032000011112223,
                        buyer_nick="q**青青",
                        result="bad",
                        rated_at=at("2026-11-20 11:00"),
                        content="尺码偏小两个码，穿不上",
                        item_title="羽绒服",
                    )
                ],
                source="simulator",
            )
            announce = page.locator(".new-cases-btn")
            expect(announce).to_contain_text("1 个新工单", timeout=12_000)
            announce.click()
            expect(rows).to_have_count(3)

            page.click(f"tr[data-case-id='{desk.scarf_case.pk}'] a.text-link")
            expect(page).to_have_url(re.compile(rf"/cases/{desk.scarf_case.pk}/$"))
            expect(page.locator(".case-head")).to_contain_text("t**小白")
            expect(page.locator(".contact .phone")).to_have_text("138****5678")
            expect(page.locator("table.items tbody tr")).to_have_count(2)
            expect(page.locator(".timeline")).to_contain_text("新的中差评，已登记")
            page.screenshot(path=str(SCREENSHOTS / "reviewdesk-case.png"), full_page=True)

            # Switch to English and back via Django's set_language.
            page.click("button.lang-btn[value=en]")
            expect(page.locator(".card h2").first).to_have_text("Review")
        finally:
            browser.close()
