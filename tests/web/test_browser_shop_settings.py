"""Real browser walks through the shop settings pages and the playbook → resolve form link.

1. A supervisor opens 店铺设置 → 话术 from the top bar, edits a default script with a 好评返现
   phrase, sees it blocked with the rule and the evidence, fixes it and saves; then approves an
   agent's compensation offer that waits above the agent's limit.
2. An agent checks and skips required steps in the playbook; the resolve form's list of open
   required steps follows without a reload (HX-Trigger: playbookChanged).

Skips without Chromium, fails instead under REVIEWDESK_REQUIRE_BROWSER=1 (tests/web/conftest.py).
Screenshots go to REVIEWDESK_SCREENSHOT_DIR (default: the temp dir).
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path
from typing import Any

import pytest

from reviewdesk.cases.services.transitions import case_start_contact, case_start_resolving
from reviewdesk.compensation.models import CompensationOffer, OfferStatus
from reviewdesk.compensation.services import compensation_offer
from reviewdesk.replies.models import ScriptTemplate
from reviewdesk.replies.services import step_skip
from tests.conftest import World
from tests.web.conftest import build_desk
from tests.web.test_browser import HTMX_IDLE, _login

SCREENSHOTS = Path(os.environ.get("REVIEWDESK_SCREENSHOT_DIR", tempfile.gettempdir()))

pytestmark = [pytest.mark.browser, pytest.mark.slow]

FIXED = "{buyer_nick}您好，{item_title}给您添麻烦了，我们马上为您处理，有任何问题随时找我。"


def test_supervisor_fixes_a_blocked_script_and_approves_an_offer(
    transactional_db: None, live_server: object, world: World, chromium: Any
) -> None:
    from playwright.sync_api import expect

    desk = build_desk(world)
    offer = compensation_offer(
        actor=world.agent_a,
        case=desk.scarf_case,
        kind="partial_refund",
        amount="50",
        reason="围巾掉毛，部分退款",
    )
    assert offer.status == OfferStatus.PENDING_APPROVAL
    step_skip(
        actor=world.agent_a,
        case=desk.ahua_case,
        step_key="satisfaction_asked",
        reason="买家已申请平台介入",
    )
    base = str(live_server)
    page = chromium.new_page(viewport={"width": 1440, "height": 900}, locale="zh-CN")
    _login(page, base, "supervisor")

    page.click("#shop-settings-menu > summary")
    expect(page.locator("#shop-settings-menu .nav-menu-panel")).to_be_visible()
    page.screenshot(path=str(SCREENSHOTS / "reviewdesk-settings-menu.png"))
    page.click("#shop-settings-menu a[href$='/scripts/']")
    expect(page).to_have_url(re.compile(r"/replies/shops/shop-a/scripts/$"))
    expect(page.locator(".settings-tabs a.is-active")).to_have_text("话术")
    page.screenshot(path=str(SCREENSHOTS / "reviewdesk-settings-scripts.png"), full_page=True)

    script = page.locator("#script-greet-apology")
    script.locator("details.edit-script > summary").click()
    form = script.locator("form.script-form")
    form.locator("textarea[name=body]").fill("{buyer_nick}您好，本周晒单好评返现5元哦！")
    form.locator("button[type=submit]").click()

    blocked = page.locator("#script-greet-apology .blocked")
    expect(blocked).to_contain_text("未保存：合规检查拦截了这段文字。")
    expect(blocked.locator(".blocked-rules")).to_contain_text("CR1")
    expect(blocked.locator(".blocked-rules")).to_contain_text("以利益换取好评")
    expect(blocked.locator("mark.evidence").first).to_contain_text("好评返现")
    assert ScriptTemplate.objects.count() == 0
    page.wait_for_function(HTMX_IDLE)
    blocked.scroll_into_view_if_needed()
    page.screenshot(path=str(SCREENSHOTS / "reviewdesk-settings-script-blocked.png"))

    form = page.locator("#script-greet-apology form.script-form")
    form.locator("textarea[name=body]").fill(FIXED)
    form.locator("button[type=submit]").click()
    expect(page.locator("#script-library .flash-ok")).to_contain_text("已保存：greet-apology")
    expect(page.locator("#script-greet-apology .lib-script-body")).to_have_text(FIXED)
    expect(page.locator("#script-greet-apology .tag-origin-edited")).to_have_text("本店修改版")
    assert ScriptTemplate.objects.get(key="greet-apology").body == FIXED
    page.wait_for_function(HTMX_IDLE)

    page.click(".settings-tabs a[href$='/playbooks/']")
    expect(page.locator("#playbook-review-quality")).to_contain_text("询问买家是否满意")
    page.screenshot(path=str(SCREENSHOTS / "reviewdesk-settings-playbooks.png"), full_page=True)

    page.click(".settings-tabs a[href$='/skipped-steps/']")
    expect(page.locator("table.skipped")).to_contain_text("买家已申请平台介入")
    page.screenshot(path=str(SCREENSHOTS / "reviewdesk-settings-skipped.png"), full_page=True)

    page.click(".settings-tabs a[href$='/compensation/']")
    row = page.locator(f"#offer-{offer.pk}")
    expect(row).to_contain_text("¥50.00")
    expect(row).to_contain_text("客服超过单笔上限 20.00 元")
    page.screenshot(path=str(SCREENSHOTS / "reviewdesk-settings-compensation.png"), full_page=True)
    row.locator("button.approve").click()
    expect(page.locator("#pending-approvals")).to_contain_text("没有等待你审批的补偿。")
    expect(page.locator("#month-spend .spent")).to_have_text("¥50.00")
    offer_row = CompensationOffer.objects.get(pk=offer.pk)
    assert (offer_row.status, offer_row.approved_by_id) == (
        OfferStatus.APPROVED,
        world.supervisor.pk,
    )
    page.wait_for_function(HTMX_IDLE)
    page.screenshot(
        path=str(SCREENSHOTS / "reviewdesk-settings-compensation-approved.png"), full_page=True
    )


def test_resolve_form_follows_the_playbook(
    transactional_db: None, live_server: object, world: World, chromium: Any
) -> None:
    from playwright.sync_api import expect

    desk = build_desk(world)
    case = desk.scarf_case
    case_start_contact(actor=world.agent_a, case=case)
    case_start_resolving(actor=world.agent_a, case=case, reason="买家同意换货")
    base = str(live_server)
    page = chromium.new_page(viewport={"width": 1440, "height": 900}, locale="zh-CN")
    _login(page, base, "agent_a")
    page.goto(f"{base}/cases/{case.pk}/")
    steps = page.locator(f"#replies-playbook-{case.pk} .steps")
    expect(steps).to_be_visible()

    resolve = page.locator("details.action-box[data-action=resolve]")
    resolve.locator("summary").click()
    open_steps = page.locator(f"#resolve-steps-{case.pk}")
    expect(open_steps.locator(".unchecked li")).to_have_count(2)
    open_steps.locator("input[name=reason]").fill("已电话确认")

    page.click(f"#replies-playbook-{case.pk} li[data-step=processing_time_promised] .step-box")
    expect(open_steps.locator(".unchecked li")).to_have_count(1)
    expect(open_steps.locator(".unchecked")).to_contain_text("询问买家是否满意")
    page.wait_for_function(HTMX_IDLE)

    skip = page.locator(f"#replies-playbook-{case.pk} li[data-step=satisfaction_asked] .skip-form")
    skip.locator("input[name=note]").fill("买家不再回复旺旺")
    skip.locator("button[type=submit]").click()
    expect(open_steps.locator(".unchecked")).to_have_count(0)
    expect(open_steps.locator("input[name=reason]")).to_have_value("已电话确认")
    expect(open_steps.locator("input[name=reason]")).not_to_have_attribute("required", "")
    page.wait_for_function(HTMX_IDLE)
    page.screenshot(path=str(SCREENSHOTS / "reviewdesk-case-resolve-follows.png"), full_page=True)
