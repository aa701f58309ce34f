"""Real browser walks through the workbench (Playwright + Debian's Chromium).

1. The queue: log in, filter, see a new case announced by the 5-second poll, open a case.
2. The case page: log a failed phone call, see the next channel, agree an exact call-back time
   and see its countdown, then move the case back to contacting.
3. The ratings page draws its plotly chart (the chart div gets an svg).

They skip where Chromium is missing and fail instead under REVIEWDESK_REQUIRE_BROWSER=1
(tests/web/conftest.py). Screenshots go to REVIEWDESK_SCREENSHOT_DIR (default: the temp dir).
"""

from __future__ import annotations

import datetime as dt
import os
import re
import tempfile
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from reviewdesk.platforms.pipeline import ingest_reviews
from reviewdesk.platforms.records import ReviewRecord
from tests.conftest import World, at
from tests.ratings.seed import seed
from tests.web.conftest import build_desk

SCREENSHOTS = Path(os.environ.get("REVIEWDESK_SCREENSHOT_DIR", tempfile.gettempdir()))

pytestmark = [pytest.mark.browser, pytest.mark.slow]

# htmx wires up swapped-in content while it settles (~20 ms); a person never acts that fast, a
# test does, so it waits for the swap to finish before the next interaction.
HTMX_IDLE = (
    "() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling, .htmx-added')"
)


def _login(page: Any, base: str, username: str) -> None:
    page.goto(f"{base}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", f"pw-{username}")
    page.click("button[type=submit].btn-primary")


def test_agent_works_the_queue_in_a_browser(
    transactional_db: None,
    live_server: object,
    world: World,
    chromium: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from playwright.sync_api import expect

    from reviewdesk.web.views import queue

    monkeypatch.setattr(queue, "POLL_SECONDS", 1)  # the live server runs in this process

    desk = build_desk(world)
    base = str(live_server)
    page = chromium.new_page(viewport={"width": 1440, "height": 900}, locale="zh-CN")
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

    # Search by nick narrows the rows as the agent types.
    page.fill("input[name=q]", "阿花")
    expect(rows).to_have_count(1)
    page.wait_for_function(HTMX_IDLE)
    page.fill("input[name=q]", "")
    page.press("input[name=q]", "Enter")
    expect(rows).to_have_count(2)
    page.wait_for_function(HTMX_IDLE)

    # The simulator adds a case; the poll (every 5 s; 1 s here) announces it without a reload.
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
    expect(announce).to_contain_text("1 个新工单", timeout=8_000)
    announce.click()
    expect(rows).to_have_count(3)

    page.click(f"tr[data-case-id='{desk.scarf_case.pk}'] a.text-link")
    expect(page).to_have_url(re.compile(rf"/cases/{desk.scarf_case.pk}/$"))
    expect(page.locator(".case-head")).to_contain_text("t**小白")
    expect(page.locator(".contact .phone")).to_have_text("138****5678")
    expect(page.locator("table.items tbody tr")).to_have_count(2)
    expect(page.locator(".timeline")).to_contain_text("新的中差评，已登记")

    # Switch to English and back via Django's set_language.
    page.click("button.lang-btn[value=en]")
    expect(page.locator(".card h2").first).to_have_text("Review")
    page.click("button.lang-btn[value=zh-hans]")
    expect(page.locator(".card h2").first).to_have_text("评价")


def test_agent_contacts_schedules_and_resumes_in_a_browser(
    transactional_db: None, live_server: object, world: World, chromium: Any
) -> None:
    from playwright.sync_api import expect

    desk = build_desk(world)
    base = str(live_server)
    page = chromium.new_page(viewport={"width": 1440, "height": 900}, locale="zh-CN")
    _login(page, base, "agent_a")
    page.goto(f"{base}/cases/{desk.scarf_case.pk}/")
    expect(page.locator("#case-status")).to_have_text("新建")
    # The replies partials arrive by hx-get after the page.
    expect(page.locator(f"#replies-playbook-{desk.scarf_case.pk} .steps")).to_be_visible()

    # 1. A phone call nobody answers: the next channel is suggested at once (R4).
    page.select_option("#contact-form select[name=channel]", "phone")
    page.select_option("#contact-form select[name=outcome]", "no_answer")
    page.fill("#contact-form input[name=note]", "响铃无人接")
    page.click("#contact-form button[type=submit]")
    suggestion = page.locator("#next-channel.is-after-failure")
    expect(suggestion).to_contain_text("旺旺/千牛")
    expect(page.locator("#case-status")).to_have_text("联系中")
    expect(page.locator(".timeline")).to_contain_text("电话：未接通")
    page.wait_for_function(HTMX_IDLE)

    # 2. The buyer agrees a call-back tomorrow at 20:15 (an exact minute, R4).
    tomorrow = (dt.datetime.now(ZoneInfo("Asia/Shanghai")) + dt.timedelta(days=1)).date()
    page.fill("#appointment-form input[name=date]", tomorrow.isoformat())
    page.fill("#appointment-form input[name=time]", "20:15")
    page.click("#appointment-form button[type=submit]")
    expect(page.locator(".next-appointment")).to_contain_text(f"{tomorrow.isoformat()} 20:15")
    countdown = page.locator(".appt-countdown")
    expect(countdown).to_contain_text("后到期")
    first = countdown.inner_text()
    # It ticks every second; poll up to 10 s so a loaded machine doesn't make this flaky.
    expect(countdown).not_to_have_text(first, timeout=10_000)
    expect(page.locator("#case-status")).to_have_text("等待买家")
    expect(page.locator("#case-sla")).to_contain_text("计时已暂停")
    page.wait_for_function(HTMX_IDLE)
    page.screenshot(path=str(SCREENSHOTS / "reviewdesk-case-work.png"), full_page=True)

    # A vague time is refused with the service's reason.
    page.fill("#appointment-form input[name=text]", "明天下午")
    page.click("#appointment-form button[type=submit]")
    expect(page.locator("#appointment-form .form-error")).to_contain_text("不是确切时间")
    page.wait_for_function(HTMX_IDLE)

    # 3. Back to contacting: the resume action takes an optional reason.
    page.click("details.action-box[data-action=resume] > summary")
    page.fill("details.action-box[data-action=resume] input[name=reason]", "买家提前上线了")
    page.click("details.action-box[data-action=resume] button[type=submit]")
    expect(page.locator("#case-status")).to_have_text("联系中")
    expect(page.locator(".flash-ok")).to_contain_text("继续处理")
    expect(page.locator(".timeline")).to_contain_text("买家提前上线了")


def test_ratings_page_draws_the_trend_chart(
    transactional_db: None, live_server: object, world: World, chromium: Any
) -> None:
    from playwright.sync_api import expect

    seed(world.shop_a)
    base = str(live_server)
    page = chromium.new_page(viewport={"width": 1440, "height": 900}, locale="zh-CN")
    _login(page, base, "owner")
    page.goto(f"{base}/shops/shop-a/ratings/")
    expect(page.locator("#dsr-trend svg.main-svg").first).to_be_attached(timeout=15_000)
    expect(page.locator(".dsr-card")).to_have_count(4)
    page.click("#whatif-promotion button[type=submit]")
    expect(page.locator("#whatif-result")).to_contain_text("活动后预计")
    page.screenshot(path=str(SCREENSHOTS / "reviewdesk-ratings.png"), full_page=True)
