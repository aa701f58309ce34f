from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.contrib.auth.models import User

from reviewdesk.cases.errors import CaseError, CaseErrorCode
from reviewdesk.cases.models import AgentSkill, Case, CaseEvent, RoutingPolicy, Shift
from reviewdesk.cases.selectors import notifications_unread
from reviewdesk.cases.services.assignment import (
    case_assign,
    case_reassign_for_leave,
    cases_rebalance_overload,
)
from reviewdesk.shops.models import Membership
from tests.cases.helpers import open_cases, record, triage
from tests.conftest import World, at

pytestmark = pytest.mark.postgres
FRIDAY_MORNING = at("2026-11-20 10:15")


def _membership(world: World, user: User) -> Membership:
    return Membership.objects.get(shop=world.shop_a, user=user)


def test_an_agent_skilled_in_the_cause_gets_the_case_and_the_timeline_says_why(
    world: World,
) -> None:
    AgentSkill.objects.create(membership=_membership(world, world.agent_a2), cause="logistics")
    with time_machine.travel(FRIDAY_MORNING, tick=False):
        case = open_cases(
            world.shop_a,
            [record(501, content="快递太慢")],
            triaged={501: triage(cause="logistics")},
        )[0]
    assert case.assignee_id == world.agent_a2.pk
    assert "擅长logistics" in CaseEvent.objects.get(case=case, kind="assigned").message


def test_extortion_goes_to_the_supervisor(world: World) -> None:
    with time_machine.travel(FRIDAY_MORNING, tick=False):
        open_cases(world.shop_a, [record(510)])  # moves the cursor past the supervisor
        case = open_cases(
            world.shop_a,
            [record(511, content="不给我返200块就一直差评")],
            triaged={511: triage(severity="high", flags=("extortion",))},
        )[0]
    assert case.assignee_id == world.supervisor.pk
    event = CaseEvent.objects.get(case=case, kind="assigned")
    assert (event.data["rule"], "extortion" in event.message) == ("supervisor", True)


def test_agents_off_shift_are_passed_over(world: World) -> None:
    for user in (world.supervisor, world.agent_a):
        Shift.objects.create(
            membership=_membership(world, user), weekday=4, starts=dt.time(18), ends=dt.time(23)
        )
    with time_machine.travel(FRIDAY_MORNING, tick=False):
        cases = open_cases(world.shop_a, [record(521), record(522)])
    assert {c.assignee_id for c in cases} == {world.agent_a2.pk}


def test_when_everyone_is_full_the_case_waits_for_the_supervisor(world: World) -> None:
    RoutingPolicy.objects.create(shop=world.shop_a, max_open_cases=1)
    with time_machine.travel(FRIDAY_MORNING, tick=False):
        cases = open_cases(world.shop_a, [record(531 + i) for i in range(4)])
    assert [c.assignee_id for c in cases][3] is None
    assert "等待主管分配" in CaseEvent.objects.get(case=cases[3], kind="assigned").message


def test_leave_moves_open_cases_and_records_why(world: World) -> None:
    with time_machine.travel(FRIDAY_MORNING, tick=False):
        cases = open_cases(world.shop_a, [record(541), record(542), record(543)])
    mine = [c for c in cases if c.assignee_id == world.agent_a.pk]
    with time_machine.travel(FRIDAY_MORNING + dt.timedelta(minutes=1), tick=False):
        moved = case_reassign_for_leave(membership=_membership(world, world.agent_a), reason="病假")
    assert moved == len(mine) == 1
    case = Case.objects.get(pk=mine[0].pk)
    assert case.assignee_id not in (None, world.agent_a.pk)
    event = CaseEvent.objects.filter(case=case, kind="assigned").last()
    assert event is not None
    assert "原负责人 agent_a 病假" in event.message
    assert notifications_unread(actor=case.assignee).filter(case=case).exists()  # type: ignore[arg-type]
    # While on leave, new cases skip the agent.
    with time_machine.travel(FRIDAY_MORNING + dt.timedelta(minutes=5), tick=False):
        later = open_cases(world.shop_a, [record(544 + i) for i in range(3)])
    assert world.agent_a.pk not in {c.assignee_id for c in later}


def test_overloaded_agents_hand_their_newest_cases_to_agents_with_room(world: World) -> None:
    with time_machine.travel(FRIDAY_MORNING, tick=False):
        cases = open_cases(world.shop_a, [record(551 + i) for i in range(6)])
    Case.objects.filter(pk__in=[c.pk for c in cases[:5]]).update(assignee=world.agent_a)
    RoutingPolicy.objects.create(shop=world.shop_a, max_open_cases=3)
    assert cases_rebalance_overload(shop=world.shop_a) == 2
    assert Case.objects.filter(assignee=world.agent_a).count() == 3


def test_only_a_supervisor_reassigns_by_hand(world: World) -> None:
    case = open_cases(world.shop_a, [record(561)])[0]
    with pytest.raises(CaseError) as refused:
        case_assign(actor=world.agent_a, case=case, assignee_id=world.agent_a.pk, reason="我来")
    assert refused.value.code is CaseErrorCode.NOT_ALLOWED
    case_assign(
        actor=world.supervisor, case=case, assignee_id=world.agent_a2.pk, reason="熟悉这个买家"
    )
    assert Case.objects.get(pk=case.pk).assignee_id == world.agent_a2.pk
