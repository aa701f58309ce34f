from __future__ import annotations

import sys
import types

import pytest
import time_machine

from reviewdesk.cases.errors import CaseError, CaseErrorCode
from reviewdesk.cases.models import Case, SlaPause, Timer
from reviewdesk.cases.services.transitions import (
    case_close,
    case_explain,
    case_reopen,
    case_resolve,
    case_start_contact,
    case_start_resolving,
    case_wait,
)
from reviewdesk.cases.workflow import Outcome, Status
from tests.cases.helpers import open_cases, record
from tests.conftest import World, at

pytestmark = pytest.mark.postgres


@pytest.fixture
def case(world: World) -> Case:
    with time_machine.travel(at("2026-11-20 10:15"), tick=False):
        return open_cases(world.shop_a, [record(201)])[0]


@pytest.fixture
def unchecked_steps(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Stand-in for reviewdesk.replies.selectors (the replies app owns the real one)."""
    steps = ["发送退货地址", "确认运费退还"]
    module = types.ModuleType("reviewdesk.replies.selectors")
    module.required_steps_unchecked = lambda *, case: list(steps)  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "reviewdesk.replies.selectors", module)
    return steps


def test_each_transition_is_on_the_timeline_with_who_and_why(world: World, case: Case) -> None:
    with time_machine.travel(at("2026-11-20 10:20"), tick=False):
        case_start_contact(actor=world.agent_a, case=case)
        case_wait(
            actor=world.agent_a, case=case, waiting_for="third_party", reason="等快递核实签收"
        )
    event = case.events.filter(kind="status").last()
    assert event is not None
    assert (event.actor, event.message, event.data["from"], event.data["to"]) == (
        world.agent_a,
        "等快递核实签收",
        "contacting",
        "waiting_third_party",
    )
    assert SlaPause.objects.get(case=case).ended_at is None


def test_closing_as_resolved_is_refused_while_required_steps_are_unchecked(
    world: World, case: Case, unchecked_steps: list[str]
) -> None:
    case_start_resolving(actor=world.agent_a, case=case)
    with pytest.raises(CaseError) as refused:
        case_resolve(actor=world.agent_a, case=case)
    assert refused.value.code is CaseErrorCode.GUARD_FAILED
    assert refused.value.details == unchecked_steps
    case.refresh_from_db()
    assert case.status == Status.RESOLVING  # nothing changed


def test_a_reason_overrides_unchecked_steps(
    world: World, case: Case, unchecked_steps: list[str]
) -> None:
    case_start_resolving(actor=world.agent_a, case=case)
    case_resolve(actor=world.agent_a, case=case, reason="买家不退货了，直接部分退款")
    case.refresh_from_db()
    assert (case.status, case.outcome) == (Status.RESOLVED, Outcome.SOLVED)
    assert case.closed_at is not None
    assert not Timer.objects.pending().filter(case=case).exists()


def test_without_the_replies_app_the_steps_guard_passes(
    world: World, case: Case, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "reviewdesk.replies.selectors", None)  # import fails
    case_start_resolving(actor=world.agent_a, case=case)
    case_resolve(actor=world.agent_a, case=case)
    assert case.status == Status.RESOLVED


def test_explaining_needs_the_explanation_or_a_reason(world: World, case: Case) -> None:
    case_start_contact(actor=world.agent_a, case=case)
    with pytest.raises(CaseError, match="还没有解释") as refused:
        case_explain(actor=world.agent_a, case=case)
    assert refused.value.details == ["explanation"]
    case_explain(actor=world.agent_a, case=case, reason="解释已在千牛后台发布")
    assert case.status == Status.EXPLAINED


def test_closing_an_open_case_by_hand_needs_a_reason(world: World, case: Case) -> None:
    with pytest.raises(CaseError) as refused:
        case_close(actor=world.supervisor, case=case, outcome=Outcome.EXTORTION, reason=" ")
    assert refused.value.code is CaseErrorCode.REASON_REQUIRED
    case_close(
        actor=world.supervisor, case=case, outcome=Outcome.EXTORTION, reason="索要 200 元才改评"
    )
    assert (case.status, case.outcome) == (Status.CLOSED, Outcome.EXTORTION)
    with pytest.raises(CaseError) as again:
        case_start_contact(actor=world.agent_a, case=case)
    assert again.value.code is CaseErrorCode.ALREADY_CLOSED


def test_a_resolved_case_reopens_with_a_reason_and_its_clock_restarts(
    world: World, case: Case
) -> None:
    case_start_resolving(actor=world.agent_a, case=case)
    case_resolve(actor=world.agent_a, case=case, reason="已换货")
    case_reopen(actor=world.agent_a, case=case, reason="追评：换来的还是起球")
    case.refresh_from_db()
    assert (case.status, case.outcome, case.closed_at) == (Status.CONTACTING, "", None)
    assert Timer.objects.pending().filter(case=case, kind="resolution_breach").exists()


def test_an_agent_of_another_shop_cannot_touch_the_case(world: World, case: Case) -> None:
    with pytest.raises(CaseError) as refused:
        case_start_contact(actor=world.agent_b, case=case)
    assert refused.value.code is CaseErrorCode.NOT_FOUND
    case.refresh_from_db()
    assert case.status == Status.NEW
