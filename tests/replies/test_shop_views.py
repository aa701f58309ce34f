"""Shop settings pages of the replies app: script library, playbooks, skipped required steps."""

from __future__ import annotations

import pytest
from django.test import Client

from reviewdesk.replies.models import ScriptTemplate, ShopPlaybook, StepCheck
from reviewdesk.replies.services import script_use_record, step_skip
from reviewdesk.shops.models import Role
from reviewdesk.shops.services import membership_grant
from tests.conftest import World
from tests.replies.conftest import MakeCase

pytestmark = pytest.mark.postgres

SCRIPTS = "/replies/shops/shop-a/scripts/"
SAVE = "/replies/shops/shop-a/scripts/save/"
PLAYBOOKS = "/replies/shops/shop-a/playbooks/"
SKIPPED = "/replies/shops/shop-a/skipped-steps/"
HTMX = {"HX-Request": "true"}
CASHBACK = "亲，收到货给个五星好评，截图找客服返现5元"


def _client(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


@pytest.mark.parametrize(
    ("_case", "url"),
    [("scripts", SCRIPTS), ("playbooks", PLAYBOOKS), ("skipped", SKIPPED)],
)
def test_agents_get_403_and_other_shops_404(world: World, _case: str, url: str) -> None:
    assert _client(world.agent_a).get(url).status_code == 403
    assert _client(world.agent_b).get(url).status_code == 404
    assert _client(world.supervisor).get(url).status_code == 200
    assert _client(world.owner).get(url.replace("shop-a", "shop-b")).status_code == 404


def test_agent_post_changes_nothing(world: World) -> None:
    client = _client(world.agent_a)
    response = client.post(
        SAVE, {"key": "greet-apology", "title": "改过的", "body": "您好，请问有什么可以帮您？"}
    )
    deactivate = client.post(f"{SCRIPTS}sms-gentle/deactivate/")
    required = client.post(f"{PLAYBOOKS}review-quality/required/", {"required": ["find_cause"]})

    assert (response.status_code, deactivate.status_code, required.status_code) == (403, 403, 403)
    assert ScriptTemplate.objects.count() == 0
    assert ShopPlaybook.objects.count() == 0


def test_library_groups_scripts_by_step_with_uses_per_outcome(
    world: World, make_case: MakeCase
) -> None:
    case = make_case()
    script_use_record(actor=world.agent_a, case=case, script_key="greet-apology")
    script_use_record(actor=world.agent_a, case=case, script_key="greet-apology")

    page = _client(world.supervisor).get(SCRIPTS).content.decode()

    first_group = page.index('data-step="first_contact"')
    assert (
        first_group < page.index('id="script-greet-apology"') < page.index('data-step="find_cause"')
    )
    article = page[page.index('id="script-greet-apology"') :]
    article = article[: article.index("</article>")]
    assert '<b class="uses-total">2</b>' in article
    assert '<span class="chip uses-outcome">进行中 2</span>' in article
    assert "第一时间联系并致歉" in article  # the steps that list it
    assert 'class="nav-menu"' in page
    assert 'href="/replies/shops/shop-a/compensation/"' in page


def test_editing_a_default_makes_the_shops_copy(world: World) -> None:
    response = _client(world.supervisor).post(
        SAVE,
        {
            "form_id": "greet-apology",
            "key": "greet-apology",
            "title": "旺旺开场（本店）",
            "body": "{buyer_nick}您好，我是{shop_name}的{agent_name}，"
            "{item_title}的事让您费心了，抱歉！",
            "channel": "im",
        },
    )

    assert response.status_code == 302
    assert response["Location"] == f"{SCRIPTS}?saved=greet-apology"
    row = ScriptTemplate.objects.get()
    assert (row.shop, row.key, row.title, row.created_by) == (
        world.shop_a,
        "greet-apology",
        "旺旺开场（本店）",
        world.supervisor,
    )
    page = _client(world.supervisor).get(f"{SCRIPTS}?saved=greet-apology").content.decode()
    assert "已保存：greet-apology。" in page
    assert "本店修改版" in page


def test_blocked_save_shows_rule_and_evidence_and_stores_nothing(world: World) -> None:
    response = _client(world.supervisor).post(
        SAVE,
        {
            "form_id": "greet-apology",
            "key": "greet-apology",
            "title": "旺旺开场",
            "body": CASHBACK,
            "channel": "im",
        },
        headers=HTMX,
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert page.startswith('\n<div id="script-library"') or 'id="script-library"' in page[:200]
    assert "未保存：合规检查拦截了这段文字。" in page
    assert '<span class="tag tag-risk">CR1</span>' in page
    assert "以利益换取好评" in page
    assert '<mark class="evidence">' in page
    assert CASHBACK in page  # what was typed stays in the form
    assert 'aria-invalid="true"' in page
    assert ScriptTemplate.objects.count() == 0


def test_blocked_edit_of_a_shop_copy_leaves_it_unchanged(world: World) -> None:
    client = _client(world.supervisor)
    client.post(
        SAVE, {"key": "thanks-note", "title": "感谢", "body": "感谢您的耐心，祝您生活愉快！"}
    )

    plain = client.post(SAVE, {"key": "thanks-note", "title": "感谢", "body": "好 评 返 现 5 元哦"})

    assert plain.status_code == 400
    assert "CR1" in plain.content.decode()
    row = ScriptTemplate.objects.get(key="thanks-note")
    assert row.body == "感谢您的耐心，祝您生活愉快！"


def test_new_script_is_listed_under_the_chosen_step(world: World) -> None:
    response = _client(world.supervisor).post(
        SAVE,
        {
            "key": "size-chart",
            "title": "发尺码表",
            "body": "{buyer_nick}您好，这是{item_title}的尺码表，您报一下身高体重，我帮您选。",
            "channel": "im",
            "attach_to_step": "find_cause",
        },
        headers=HTMX,
    )

    page = response.content.decode()
    group = page[page.index('data-step="find_cause"') :]
    group = group[: group.index("</section>")]
    assert 'id="script-size-chart"' in group
    assert "本店自建" in group
    quality = ShopPlaybook.objects.get(shop=world.shop_a, key="review-quality")
    find_cause = next(s for s in quality.steps if s["key"] == "find_cause")
    assert find_cause["scripts"][-1] == "size-chart"
    assert not ShopPlaybook.objects.filter(shop=world.shop_b).exists()


def test_bad_key_is_refused_next_to_the_form(world: World) -> None:
    response = _client(world.supervisor).post(
        SAVE, {"key": "尺码表", "title": "发尺码表", "body": "您好"}, headers=HTMX
    )

    assert "标识只能用小写字母、数字和连字符" in response.content.decode()
    assert ScriptTemplate.objects.count() == 0


def test_disable_and_enable_again(world: World) -> None:
    client = _client(world.supervisor)

    client.post(f"{SCRIPTS}sms-gentle/deactivate/")
    page = client.get(SCRIPTS).content.decode()
    disabled = page[page.index('data-step="-"') :]
    assert 'id="script-sms-gentle"' in disabled
    assert ScriptTemplate.objects.get(key="sms-gentle").is_active is False

    row = ScriptTemplate.objects.get(key="sms-gentle")
    client.post(
        SAVE, {"key": row.key, "title": row.title, "body": row.body, "channel": row.channel}
    )
    assert ScriptTemplate.objects.get(key="sms-gentle").is_active is True


def test_reply_settings_are_saved_and_a_bad_time_limit_refused(world: World) -> None:
    client = _client(world.supervisor)
    url = f"{SCRIPTS}settings/"

    ok = client.post(
        url,
        {
            "supervisor_account": "甲店售后主管",
            "return_address": "浙江省杭州市余杭区仓前街道文一西路1500号 甲店售后组",
            "processing_hours": "12",
        },
    )
    bad = client.post(
        url, {"supervisor_account": "别人", "return_address": "", "processing_hours": "500"}
    )

    assert ok.status_code == 302
    assert bad.status_code == 400
    assert "处理时限应在 1 到 168 小时之间" in bad.content.decode()
    settings_row = world.shop_a.reply_settings
    settings_row.refresh_from_db()
    assert (settings_row.supervisor_account, settings_row.processing_hours) == ("甲店售后主管", 12)


def test_playbooks_show_ordered_steps_and_required_ones(world: World) -> None:
    page = _client(world.supervisor).get(PLAYBOOKS).content.decode()

    card = page[page.index('id="playbook-review-quality"') :]
    card = card[: card.index("</section>")]
    titles = ["第一时间联系并致歉", "请买家拍照", "承诺具体的处理时限", "询问买家是否满意"]
    positions = [card.index(t) for t in titles]
    assert positions == sorted(positions)
    # A shipped required step is locked (disabled box + hidden value), an optional one is not.
    assert '<input type="hidden" name="required" value="processing_time_promised">' in card
    assert '<input type="checkbox" name="required" value="find_cause">' in card


def test_shop_marks_an_extra_step_required(world: World, make_case: MakeCase) -> None:
    case = make_case()
    response = _client(world.supervisor).post(
        f"{PLAYBOOKS}review-quality/required/",
        {"required": ["find_cause", "processing_time_promised", "satisfaction_asked"]},
        headers=HTMX,
    )

    assert response.status_code == 200
    assert "本店必做" in response.content.decode()
    assert "本店版本" in response.content.decode()
    row = ShopPlaybook.objects.get(shop=world.shop_a, key="review-quality")
    assert [s["key"] for s in row.steps if s["required"]] == [
        "find_cause",
        "processing_time_promised",
        "satisfaction_asked",
    ]
    from reviewdesk.replies.selectors import required_steps_unchecked

    assert required_steps_unchecked(case=case)[0] == "请买家拍照，找出问题所在"


def test_shipped_required_step_cannot_be_made_optional(world: World) -> None:
    response = _client(world.supervisor).post(
        f"{PLAYBOOKS}review-quality/required/", {"required": ["satisfaction_asked"]}
    )

    assert response.status_code == 400
    assert "不能改为选做：承诺具体的处理时限" in response.content.decode()
    assert ShopPlaybook.objects.count() == 0


def test_skipped_steps_list_reasons_and_links_to_cases(world: World, make_case: MakeCase) -> None:
    case = make_case()
    other = make_case(shop=world.shop_b)
    membership_grant(user=world.supervisor, shop=world.shop_b, role=Role.SUPERVISOR)
    step_skip(
        actor=world.agent_a,
        case=case,
        step_key="processing_time_promised",
        reason="买家已申请平台介入，由小二处理",
    )
    step_skip(actor=world.agent_b, case=other, step_key="satisfaction_asked", reason="乙店原因")

    page = _client(world.supervisor).get(SKIPPED).content.decode()

    assert "买家已申请平台介入，由小二处理" in page
    assert f'href="/cases/{case.pk}/"' in page
    assert "承诺具体的处理时限" in page
    assert "agent_a" in page
    assert "乙店原因" not in page
    assert StepCheck.objects.count() == 2


def test_english_ui_is_english(world: World) -> None:
    client = _client(world.supervisor)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})

    page = client.get(SCRIPTS).content.decode()

    assert "Shop settings" in page
    assert "New script" in page
    assert "店铺设置" not in page
    assert "新建话术" not in page
