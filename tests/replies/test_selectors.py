from __future__ import annotations

import pytest

from reviewdesk.cases.models import CaseEvent
from reviewdesk.replies.models import ScriptUse, StepCheck
from reviewdesk.replies.selectors import (
    contact_times,
    current_step,
    placeholder_values,
    playbook_for_case,
    required_steps_unchecked,
    script_use_counts,
    scripts_for_step,
    steps_skipped,
)
from reviewdesk.replies.services import (
    reply_settings_update,
    script_use_record,
    step_check,
    step_skip,
)
from tests.conftest import World, at
from tests.replies.conftest import MakeCase

pytestmark = pytest.mark.postgres


def test_playbook_follows_cause_age_and_risk(world: World, make_case: MakeCase) -> None:
    assert playbook_for_case(case=make_case(cause="quality")).key == "review-quality"
    assert playbook_for_case(case=make_case(cause="size_fit")).key == "review-fit"
    old = make_case(cause="quality", rated_at="2026-10-01 09:00")
    assert playbook_for_case(case=old).key == "review-old-1m"
    older = make_case(cause="quality", rated_at="2026-04-01 09:00")
    assert playbook_for_case(case=older).key == "review-old-6m"
    flagged = make_case(cause="quality", risk_flags=("extortion",))
    assert playbook_for_case(case=flagged).key == "suspected-extortion"


def test_required_steps_unchecked_lists_titles_until_checked_or_skipped(
    world: World, make_case: MakeCase
) -> None:
    case = make_case(cause="quality")

    assert required_steps_unchecked(case=case) == ["承诺具体的处理时限", "询问买家是否满意"]

    step_check(actor=world.agent_a, case=case, step_key="processing_time_promised")
    assert required_steps_unchecked(case=case) == ["询问买家是否满意"]

    step_skip(
        actor=world.agent_a,
        case=case,
        step_key="satisfaction_asked",
        reason="买家电话拒接，已短信说明",
    )
    assert required_steps_unchecked(case=case) == []


def test_supervisor_sees_skipped_steps_of_their_shops_only(
    world: World, make_case: MakeCase
) -> None:
    case = make_case(cause="quality")
    step_skip(
        actor=world.agent_a, case=case, step_key="satisfaction_asked", reason="买家拉黑了旺旺"
    )

    rows = list(steps_skipped(actor=world.supervisor))
    assert [(r.step_key, r.note, r.checked_by) for r in rows] == [
        ("satisfaction_asked", "买家拉黑了旺旺", world.agent_a)
    ]
    assert list(steps_skipped(actor=world.agent_b)) == []


def test_current_step_moves_on_as_steps_are_checked(world: World, make_case: MakeCase) -> None:
    case = make_case(cause="quality")
    assert current_step(case=case).key == "first_contact"

    step_check(actor=world.agent_a, case=case, step_key="first_contact")

    assert current_step(case=case).key == "find_cause"


def test_scripts_are_filled_from_the_case(world: World, make_case: MakeCase) -> None:
    case = make_case(cause="quality")
    reply_settings_update(
        actor=world.supervisor,
        shop=world.shop_a,
        supervisor_account="甲店旗舰店:小王",
        return_address="浙江省杭州市余杭区仓前街道文一西路1号 甲店售后 0571-88886666",
        processing_hours=24,
    )

    step, scripts = scripts_for_step(case=case, actor=world.agent_a, step_key="first_contact")

    assert step.key == "first_contact"
    assert [s.script.key for s in scripts] == ["greet-phone", "greet-apology", "sms-gentle"]
    assert scripts[1].rendered.text == (
        "t**小白您好，我是甲店旗舰店的售后agent_a。看到您对加厚羊毛围巾不太满意，先跟您说声抱歉。"
        "能具体说说遇到了什么情况吗？我来跟进到底。"
    )
    values = placeholder_values(case=case, actor=world.agent_a)
    assert values["tid"] == case.review.tid  # type: ignore[union-attr]
    assert values["processing_time"] == "11月21日 12:00"
    assert values["appointment_time"] is None


def test_revision_howto_only_after_the_buyer_offered(world: World, make_case: MakeCase) -> None:
    case = make_case(cause="quality")
    _, before = scripts_for_step(case=case, actor=world.agent_a, step_key="satisfaction_asked")
    assert [s.script.key for s in before] == ["satisfaction-ask"]

    case.offered_revise_at = at("2026-11-20 11:30")
    case.save(update_fields=["offered_revise_at"])
    _, after = scripts_for_step(case=case, actor=world.agent_a, step_key="satisfaction_asked")
    assert [s.script.key for s in after] == ["satisfaction-ask", "revise-howto"]
    assert str(case.review.tid) in after[1].rendered.text  # type: ignore[union-attr]


def test_contact_times_come_from_contact_events(world: World, make_case: MakeCase) -> None:
    case = make_case()
    for text in ("2026-11-20 20:25", "2026-11-20 11:15"):
        CaseEvent.objects.create(case=case, at=at(text), kind="contact", message="电话未接通")

    assert contact_times(case=case) == [at("2026-11-20 11:15"), at("2026-11-20 20:25")]


def test_script_use_is_counted_per_script_and_outcome(
    world: World, make_case: MakeCase, clock: None
) -> None:
    solved, still_open = make_case(), make_case()
    script_use_record(actor=world.agent_a, case=solved, script_key="greet-apology")
    script_use_record(actor=world.agent_a, case=solved, script_key="satisfaction-ask")
    script_use_record(actor=world.agent_a2, case=still_open, script_key="greet-apology")
    solved.outcome = "solved"
    solved.save(update_fields=["outcome"])

    assert script_use_counts(actor=world.supervisor) == [
        {"script": "greet-apology", "outcome": "", "uses": 1},
        {"script": "greet-apology", "outcome": "solved", "uses": 1},
        {"script": "satisfaction-ask", "outcome": "solved", "uses": 1},
    ]
    assert script_use_counts(actor=world.agent_b) == []
    assert ScriptUse.objects.count() == 3
    assert StepCheck.objects.count() == 0
