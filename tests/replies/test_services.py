from __future__ import annotations

import pytest

from reviewdesk.cases.models import CaseEvent
from reviewdesk.replies.errors import ReplyError, ReplyErrorCode
from reviewdesk.replies.models import (
    Explanation,
    ScriptTemplate,
    ScriptUse,
    ShopPlaybook,
    StepCheck,
)
from reviewdesk.replies.selectors import effective_scripts, playbook_for_case
from reviewdesk.replies.services import (
    explanation_draft,
    explanation_post,
    playbook_save,
    reply_settings_update,
    script_deactivate,
    script_save,
    script_use_record,
    step_check,
    step_skip,
    step_skips_record,
    step_uncheck,
)
from reviewdesk.shops.models import ShopConnection
from tests.conftest import World, at
from tests.replies.conftest import MakeCase

pytestmark = pytest.mark.postgres


def test_checking_a_step_is_recorded_on_the_timeline(world: World, make_case: MakeCase) -> None:
    case = make_case()

    row = step_check(actor=world.agent_a, case=case, step_key="processing_time_promised")

    assert (row.state, row.checked_by, row.checked_at) == (
        "checked",
        world.agent_a,
        at("2026-11-20 12:00"),
    )
    event = CaseEvent.objects.filter(case=case, kind="note").get()
    assert event.message == "完成步骤：承诺具体的处理时限"
    step_uncheck(actor=world.agent_a, case=case, step_key="processing_time_promised")
    assert StepCheck.objects.count() == 0


def test_agent_of_another_shop_cannot_check_steps(world: World, make_case: MakeCase) -> None:
    case = make_case()

    with pytest.raises(ReplyError) as exc:
        step_check(actor=world.agent_b, case=case, step_key="first_contact")

    assert exc.value.code is ReplyErrorCode.NOT_ALLOWED
    assert StepCheck.objects.count() == 0


def test_unknown_step_and_skip_without_reason_are_refused(
    world: World, make_case: MakeCase
) -> None:
    case = make_case()
    with pytest.raises(ReplyError) as unknown:
        step_check(actor=world.agent_a, case=case, step_key="return_address_sent")
    with pytest.raises(ReplyError) as no_reason:
        step_skip(actor=world.agent_a, case=case, step_key="satisfaction_asked", reason="  ")

    assert unknown.value.code is ReplyErrorCode.UNKNOWN_STEP
    assert no_reason.value.code is ReplyErrorCode.REASON_REQUIRED
    assert StepCheck.objects.count() == 0


def test_close_reason_is_recorded_on_every_unchecked_required_step(
    world: World, make_case: MakeCase
) -> None:
    case = make_case()
    step_check(actor=world.agent_a, case=case, step_key="processing_time_promised")

    rows = step_skips_record(actor=world.agent_a, case=case, reason="买家已申请平台介入")

    assert [(r.step_key, r.state, r.note) for r in rows] == [
        ("satisfaction_asked", "skipped", "买家已申请平台介入")
    ]


def test_shop_script_overrides_the_default_and_passes_compliance(world: World) -> None:
    script_save(
        actor=world.supervisor,
        shop=world.shop_a,
        key="greet-apology",
        title="旺旺开场",
        body="{buyer_nick}您好，我是{agent_name}，{item_title}的问题让您费心了，抱歉！",
    )

    scripts = effective_scripts(shop=world.shop_a)
    assert scripts["greet-apology"].shop_copy is True
    assert scripts["greet-apology"].title == "旺旺开场"
    assert effective_scripts(shop=world.shop_b)["greet-apology"].shop_copy is False


def test_script_with_inducement_is_refused_with_the_rule(world: World) -> None:
    with pytest.raises(ReplyError) as exc:
        script_save(
            actor=world.supervisor,
            shop=world.shop_a,
            key="custom-thanks",
            title="感谢",
            body="亲，收到货给个五星好评，截图找客服返现5元",
        )

    assert exc.value.code is ReplyErrorCode.BLOCKED_BY_COMPLIANCE
    assert "CR1" in exc.value.message
    assert ScriptTemplate.objects.count() == 0


def test_agents_cannot_edit_scripts_and_unknown_placeholders_are_refused(world: World) -> None:
    with pytest.raises(ReplyError) as role:
        script_save(actor=world.agent_a, shop=world.shop_a, key="x", title="x", body="您好")
    with pytest.raises(ReplyError) as placeholder:
        script_save(
            actor=world.supervisor, shop=world.shop_a, key="x", title="x", body="{buyer_name}您好"
        )

    assert role.value.code is ReplyErrorCode.NOT_ALLOWED
    assert placeholder.value.code is ReplyErrorCode.INVALID_TEMPLATE


def test_deactivated_default_disappears_for_that_shop(world: World) -> None:
    script_deactivate(actor=world.supervisor, shop=world.shop_a, key="sms-gentle")

    assert "sms-gentle" not in effective_scripts(shop=world.shop_a)
    assert "sms-gentle" in effective_scripts(shop=world.shop_b)


def test_revision_howto_cannot_be_used_unless_the_buyer_offered(
    world: World, make_case: MakeCase
) -> None:
    case = make_case()
    with pytest.raises(ReplyError) as exc:
        script_use_record(actor=world.agent_a, case=case, script_key="revise-howto")
    assert exc.value.code is ReplyErrorCode.REQUIRES_BUYER_OFFER
    assert ScriptUse.objects.count() == 0

    case.offered_revise_at = at("2026-11-20 11:40")
    case.save(update_fields=["offered_revise_at"])
    _, text = script_use_record(actor=world.agent_a, case=case, script_key="revise-howto")
    assert text.startswith("谢谢您愿意重新评价")


def test_editing_a_playbook_makes_a_shop_copy(world: World, make_case: MakeCase) -> None:
    case = make_case(cause="quality")
    steps: list[dict[str, object]] = [
        {"key": "first_contact", "title": "立即电话联系", "scripts": ["greet-phone"]},
        {"key": "photos", "title": "请买家拍照", "required": True, "scripts": ["quality-photos"]},
        {"key": "satisfaction_asked", "title": "询问是否满意", "required": True},
    ]

    playbook_save(actor=world.supervisor, shop=world.shop_a, key="review-quality", steps=steps)

    playbook = playbook_for_case(case=case)
    assert playbook.shop_copy is True
    assert [s.key for s in playbook.required_steps] == ["photos", "satisfaction_asked"]
    assert ShopPlaybook.objects.get().causes == ["fake_goods", "not_as_described", "quality"]
    other = make_case(shop=world.shop_b, cause="quality")
    assert playbook_for_case(case=other).shop_copy is False


def test_playbook_step_asking_for_a_revision_is_refused(world: World) -> None:
    steps = [{"key": "ask", "title": "请买家把差评改成好评", "required": True}]

    with pytest.raises(ReplyError) as exc:
        playbook_save(actor=world.supervisor, shop=world.shop_a, key="review-quality", steps=steps)

    assert exc.value.code is ReplyErrorCode.BLOCKED_BY_COMPLIANCE
    assert ShopPlaybook.objects.count() == 0


# --- explanations -----------------------------------------------------------------------------
def _contacts(case_id: int, *times: str) -> None:
    for text in times:
        CaseEvent.objects.create(case_id=case_id, at=at(text), kind="contact", message="未接通")


def test_draft_uses_contact_times_and_the_supervisor_account(
    world: World, make_case: MakeCase
) -> None:
    case = make_case(cause="quality")
    _contacts(case.pk, "2026-11-20 10:20", "2026-11-20 11:45")
    reply_settings_update(actor=world.supervisor, shop=world.shop_a, supervisor_account="甲店:小王")

    explanation = explanation_draft(actor=world.agent_a, case=case, use_llm=False)

    assert "11月20日 10:20和11:45" in explanation.draft
    assert "（账号：甲店:小王）" in explanation.draft
    assert (explanation.draft_source, explanation.tone_findings) == ("template", [])


def test_manual_copy_marks_the_explanation_posted_once(world: World, make_case: MakeCase) -> None:
    case = make_case()
    draft = explanation_draft(actor=world.agent_a, case=case, use_llm=False).draft

    posted = explanation_post(actor=world.agent_a, case=case, text=draft)

    assert (posted.posted_via, posted.posted_at, posted.posted_by) == (
        "manual_copy",
        at("2026-11-20 12:00"),
        world.agent_a,
    )
    with pytest.raises(ReplyError) as again:
        explanation_post(actor=world.agent_a, case=case, text=draft)
    assert again.value.code is ReplyErrorCode.ALREADY_POSTED
    assert Explanation.objects.get().text == draft


def test_posting_is_closed_after_a_followup_or_30_days(world: World, make_case: MakeCase) -> None:
    with_followup = make_case(followup="用了一周还是掉毛")
    expired = make_case(rated_at="2026-10-20 10:00")

    for case in (with_followup, expired):
        with pytest.raises(ReplyError) as exc:
            explanation_post(actor=world.agent_a, case=case, text="非常抱歉给您带来不便。")
        assert exc.value.code is ReplyErrorCode.EXPLANATION_CLOSED
    assert Explanation.objects.count() == 0


@pytest.mark.parametrize(
    ("_case", "text", "code"),
    [
        ("inducement", "非常抱歉，好评返现5元", ReplyErrorCode.BLOCKED_BY_COMPLIANCE),
        ("phone", "非常抱歉，请拨打13812345678", ReplyErrorCode.TONE_ERRORS),
        ("known name", "非常抱歉，李秀英女士", ReplyErrorCode.TONE_ERRORS),
        ("sarcasm", "抱歉，您开心就好", ReplyErrorCode.TONE_NOT_ACKNOWLEDGED),
    ],
)
def test_posting_refuses_bad_text(
    world: World, make_case: MakeCase, _case: str, text: str, code: ReplyErrorCode
) -> None:
    case = make_case()

    with pytest.raises(ReplyError) as exc:
        explanation_post(actor=world.agent_a, case=case, text=text)

    assert exc.value.code is code
    assert Explanation.objects.count() == 0


def test_tone_warnings_can_be_acknowledged(world: World, make_case: MakeCase) -> None:
    case = make_case()

    posted = explanation_post(
        actor=world.agent_a, case=case, text="已为您补发，请查收。", acknowledge_warnings=True
    )

    assert [f["rule"] for f in posted.tone_findings] == ["missing_apology"]


def test_connector_posting_needs_a_capable_connector(world: World, make_case: MakeCase) -> None:
    case = make_case()
    ShopConnection.objects.create(shop=world.shop_a, connector="taobao")

    with pytest.raises(ReplyError) as exc:
        explanation_post(actor=world.agent_a, case=case, text="非常抱歉。", via="connector")

    assert exc.value.code is ReplyErrorCode.CONNECTOR_UNSUPPORTED
    assert Explanation.objects.count() == 0
