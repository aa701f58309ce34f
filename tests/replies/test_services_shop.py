"""Shop-level services added for the settings pages: script_save's findings and step
attachment, playbook_required_set (more required steps, never fewer)."""

from __future__ import annotations

import pytest

from reviewdesk.replies.errors import ReplyError, ReplyErrorCode
from reviewdesk.replies.models import ScriptTemplate, ShopPlaybook
from reviewdesk.replies.selectors import effective_playbooks, script_library
from reviewdesk.replies.services import playbook_required_set, script_save
from tests.conftest import World

pytestmark = pytest.mark.postgres


def test_blocked_script_error_carries_findings_and_field(world: World) -> None:
    with pytest.raises(ReplyError) as exc:
        script_save(
            actor=world.supervisor,
            shop=world.shop_a,
            key="thanks",
            title="好评返现活动",
            body="感谢您的支持！",
        )

    assert exc.value.field == "title"
    assert [(f.rule_id, f.evidence) for f in exc.value.findings] == [("CR1", "好评返现")]
    assert ScriptTemplate.objects.count() == 0


def test_attaching_a_script_adds_it_to_every_playbook_with_that_step(world: World) -> None:
    script_save(
        actor=world.supervisor,
        shop=world.shop_a,
        key="return-label",
        title="退货面单说明",
        body="{buyer_nick}您好，退货地址是：{return_address}，运费由我们承担。",
        attach_to_step="return_address_sent",
    )

    playbooks = effective_playbooks(shop=world.shop_a)
    with_step = [p for p in playbooks.values() if p.step("return_address_sent")]
    assert with_step
    for playbook in with_step:
        step = playbook.step("return_address_sent")
        assert step is not None
        assert step.scripts[-1] == "return-label"
        assert playbook.shop_copy is True
    assert ShopPlaybook.objects.filter(shop=world.shop_a).count() == len(with_step)


def test_unknown_step_is_refused_and_nothing_stored(world: World) -> None:
    with pytest.raises(ReplyError) as exc:
        script_save(
            actor=world.supervisor,
            shop=world.shop_a,
            key="x1",
            title="说明",
            body="您好",
            attach_to_step="no_such_step",
        )

    assert exc.value.code is ReplyErrorCode.UNKNOWN_STEP
    assert ScriptTemplate.objects.count() == 0


def test_required_steps_can_be_added_not_removed(world: World) -> None:
    row = playbook_required_set(
        actor=world.supervisor,
        shop=world.shop_a,
        key="review-fit",
        required={"find_cause", "processing_time_promised", "satisfaction_asked"},
    )
    assert [s["key"] for s in row.steps if s["required"]] == [
        "find_cause",
        "processing_time_promised",
        "satisfaction_asked",
    ]

    with pytest.raises(ReplyError) as exc:
        playbook_required_set(
            actor=world.supervisor, shop=world.shop_a, key="review-fit", required={"find_cause"}
        )
    assert exc.value.code is ReplyErrorCode.DEFAULT_REQUIRED
    with pytest.raises(ReplyError) as agent:
        playbook_required_set(
            actor=world.agent_a,
            shop=world.shop_a,
            key="review-fit",
            required={"processing_time_promised", "satisfaction_asked"},
        )
    assert agent.value.code is ReplyErrorCode.NOT_ALLOWED
    row.refresh_from_db()
    assert sum(1 for s in row.steps if s["required"]) == 3


def test_library_lists_every_active_script_once(world: World) -> None:
    groups = script_library(actor=world.supervisor, shop=world.shop_a)

    keys = [r.script.key for g in groups for r in g.rows]
    assert len(keys) == len(set(keys))
    assert "greet-apology" in keys
    assert all(r.origin == "default" and r.uses == 0 for g in groups for r in g.rows)
