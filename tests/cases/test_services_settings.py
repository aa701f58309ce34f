"""The owner's case settings services: owner/admin only, validation naming the field, and the
rows they write are the ones routing and the SLA read (services/policy.py)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.contrib.auth.models import User

from reviewdesk.cases.errors import CaseError, CaseErrorCode
from reviewdesk.cases.models import AgentLeave, AgentSkill, BusinessHours, Case, Shift, ShopDay
from reviewdesk.cases.services import settings as s
from reviewdesk.cases.services.policy import (
    shop_calendar,
    shop_routing_rules,
    shop_sla_policy,
)
from reviewdesk.shops.models import Membership, Role
from reviewdesk.shops.services import membership_grant, user_create
from tests.cases.helpers import open_cases, record
from tests.conftest import World, at

pytestmark = pytest.mark.postgres
FRIDAY_MORNING = at("2026-11-20 10:15")
T = dt.time


def _m(world: World, user: User) -> Membership:
    return Membership.objects.get(shop=world.shop_a, user=user)


def _field(exc: pytest.ExceptionInfo[CaseError]) -> str:
    assert exc.value.code is CaseErrorCode.INVALID_INPUT
    return exc.value.details[0]


def test_routing_policy_is_saved_and_read_by_routing(world: World) -> None:
    s.routing_policy_update(
        actor=world.owner,
        shop=world.shop_a,
        max_open_cases=12,
        high_risk_to_supervisor=False,
        follow_shifts=True,
    )
    rules = shop_routing_rules(shop=world.shop_a)
    assert (rules.max_open_cases, rules.high_risk_to_supervisor) == (12, False)
    with pytest.raises(CaseError) as exc:
        s.routing_policy_update(
            actor=world.owner,
            shop=world.shop_a,
            max_open_cases=0,
            high_risk_to_supervisor=True,
            follow_shifts=True,
        )
    assert _field(exc) == "max_open_cases"
    assert shop_routing_rules(shop=world.shop_a).max_open_cases == 12


@pytest.mark.parametrize("who", ["supervisor", "agent_a", "agent_b"])
def test_only_owners_and_admins_change_settings(world: World, who: str) -> None:
    with pytest.raises(CaseError) as exc:
        s.routing_policy_update(
            actor=getattr(world, who),
            shop=world.shop_a,
            max_open_cases=5,
            high_risk_to_supervisor=True,
            follow_shifts=True,
        )
    assert exc.value.code is CaseErrorCode.NOT_ALLOWED
    admin = user_create(username="admin_a", password="pw-admin")
    membership_grant(user=admin, shop=world.shop_a, role=Role.ADMIN)
    s.routing_policy_update(
        actor=admin,
        shop=world.shop_a,
        max_open_cases=5,
        high_risk_to_supervisor=True,
        follow_shifts=True,
    )
    assert shop_routing_rules(shop=world.shop_a).max_open_cases == 5


def test_skills_need_a_known_cause_or_kind_and_an_agent_of_the_shop(world: World) -> None:
    skill = s.agent_skill_add(
        actor=world.owner,
        shop=world.shop_a,
        membership=_m(world, world.agent_a2),
        cause="logistics",
        kind="",
    )
    assert skill.cause == "logistics"
    for kwargs, field in (
        ({"cause": "", "kind": ""}, "cause"),
        ({"cause": "快递", "kind": ""}, "cause"),
        ({"cause": "", "kind": "gift"}, "kind"),
        ({"cause": "logistics", "kind": ""}, "cause"),  # already has it
    ):
        with pytest.raises(CaseError) as exc:
            s.agent_skill_add(
                actor=world.owner, shop=world.shop_a, membership=_m(world, world.agent_a2), **kwargs
            )
        assert _field(exc) == field
    shop_b_agent = Membership.objects.get(user=world.agent_b)
    with pytest.raises(CaseError) as exc:
        s.agent_skill_add(
            actor=world.owner, shop=world.shop_a, membership=shop_b_agent, cause="quality", kind=""
        )
    assert _field(exc) == "membership"
    with pytest.raises(CaseError) as exc_b:
        s.agent_skill_remove(actor=world.agent_b, shop=world.shop_b, skill_id=skill.pk)
    assert exc_b.value.code is CaseErrorCode.NOT_ALLOWED
    s.agent_skill_remove(actor=world.owner, shop=world.shop_a, skill_id=skill.pk)
    assert not AgentSkill.objects.exists()


def test_shifts_past_midnight_are_fine_but_empty_ones_are_refused(world: World) -> None:
    night = s.shift_add(
        actor=world.owner,
        shop=world.shop_a,
        membership=_m(world, world.agent_a),
        weekday=4,
        starts=T(22, 0),
        ends=T(2, 0),
    )
    assert (night.weekday, night.ends) == (4, T(2, 0))
    with pytest.raises(CaseError) as exc:
        s.shift_add(
            actor=world.owner,
            shop=world.shop_a,
            membership=_m(world, world.agent_a),
            weekday=1,
            starts=T(9, 0),
            ends=T(9, 0),
        )
    assert _field(exc) == "ends"
    with pytest.raises(CaseError) as exc:
        s.shift_add(
            actor=world.owner,
            shop=world.shop_a,
            membership=_m(world, world.agent_a),
            weekday=7,
            starts=T(9, 0),
            ends=T(18, 0),
        )
    assert _field(exc) == "weekday"
    s.shift_remove(actor=world.owner, shop=world.shop_a, shift_id=night.pk)
    assert not Shift.objects.exists()


def test_leave_with_reassign_now_moves_the_agents_open_cases(world: World) -> None:
    with time_machine.travel(FRIDAY_MORNING, tick=False):
        cases = open_cases(world.shop_a, [record(741), record(742), record(743), record(744)])
    mine = [c.pk for c in cases if c.assignee_id == world.agent_a.pk]
    assert mine
    with time_machine.travel(FRIDAY_MORNING + dt.timedelta(minutes=3), tick=False):
        outcome = s.agent_leave_record(
            actor=world.owner,
            shop=world.shop_a,
            membership=_m(world, world.agent_a),
            starts_at=None,
            ends_at=at("2026-11-23 09:00"),
            reason="病假",
            reassign_now=True,
        )
    assert outcome.reassigned == len(mine)
    assert outcome.leave.ends_at == at("2026-11-23 09:00")
    assert outcome.leave.reason == "病假"
    assert not Case.objects.filter(pk__in=mine, assignee=world.agent_a).exists()


def test_leave_without_reassign_keeps_cases_and_can_start_later(world: World) -> None:
    with time_machine.travel(FRIDAY_MORNING, tick=False):
        cases = open_cases(world.shop_a, [record(751), record(752), record(753)])
        mine = {c.pk for c in cases if c.assignee_id == world.agent_a.pk}
        outcome = s.agent_leave_record(
            actor=world.owner,
            shop=world.shop_a,
            membership=_m(world, world.agent_a),
            starts_at=at("2026-11-25 00:00"),
            ends_at=at("2026-11-27 00:00"),
            reason="",
            reassign_now=False,
        )
        assert outcome.reassigned == 0
        assert outcome.leave.reason == "休假"
        assert set(Case.objects.filter(assignee=world.agent_a).values_list("pk", flat=True)) == mine
        for kwargs, field in (
            ({"starts_at": at("2026-11-25 00:00"), "reassign_now": True}, "starts_at"),
            ({"starts_at": None, "ends_at": at("2026-11-19 00:00")}, "ends_at"),
        ):
            with pytest.raises(CaseError) as exc:
                s.agent_leave_record(
                    actor=world.owner,
                    shop=world.shop_a,
                    membership=_m(world, world.agent_a),
                    **{"ends_at": None, "reason": "", "reassign_now": False, **kwargs},  # type: ignore[arg-type]
                )
            assert _field(exc) == field
        s.agent_leave_end(actor=world.owner, shop=world.shop_a, leave_id=outcome.leave.pk)
    assert not AgentLeave.objects.exists()  # not begun yet: dropped


def test_business_hours_replace_the_week_and_feed_the_sla_calendar(world: World) -> None:
    week = {d: [(T(9, 0), T(18, 0))] for d in range(5)} | {5: [(T(10, 0), T(0, 0))], 6: []}
    s.business_hours_set(actor=world.owner, shop=world.shop_a, week=week)
    assert BusinessHours.objects.filter(shop=world.shop_a).count() == 6
    calendar = shop_calendar(shop=world.shop_a)
    assert calendar.weekly[5] == ((T(10, 0), T(0, 0)),)
    assert 6 not in calendar.weekly
    for bad, field in (
        ({0: [(T(18, 0), T(9, 0))]}, "day0_closes"),
        ({2: [(T(9, 0), T(14, 0)), (T(13, 0), T(18, 0))]}, "day2_opens"),
        ({d: [] for d in range(7)}, "week"),
    ):
        with pytest.raises(CaseError) as exc:
            s.business_hours_set(actor=world.owner, shop=world.shop_a, week=bad)
        assert _field(exc) == field
    assert BusinessHours.objects.filter(shop=world.shop_a).count() == 6  # unchanged


def test_holidays_and_make_up_days(world: World) -> None:
    s.shop_day_add(actor=world.owner, shop=world.shop_a, date=dt.date(2026, 10, 1), name="国庆")
    s.shop_day_add(
        actor=world.owner,
        shop=world.shop_a,
        date=dt.date(2026, 10, 10),
        name="国庆调休",
        opens=T(9, 0),
        closes=T(18, 0),
    )
    calendar = shop_calendar(shop=world.shop_a)
    assert calendar.overrides[dt.date(2026, 10, 1)] == ()
    assert calendar.overrides[dt.date(2026, 10, 10)] == ((T(9, 0), T(18, 0)),)
    with pytest.raises(CaseError) as exc:
        s.shop_day_add(actor=world.owner, shop=world.shop_a, date=dt.date(2026, 10, 1), name="")
    assert _field(exc) == "date"
    with pytest.raises(CaseError) as exc:
        s.shop_day_add(
            actor=world.owner, shop=world.shop_a, date=dt.date(2026, 10, 2), name="", opens=T(9, 0)
        )
    assert _field(exc) == "closes"
    day = ShopDay.objects.get(date=dt.date(2026, 10, 1))
    with pytest.raises(CaseError) as exc_nf:
        s.shop_day_remove(actor=world.owner, shop=world.shop_b, day_id=day.pk)
    assert exc_nf.value.code is CaseErrorCode.NOT_ALLOWED  # not shop B's owner
    s.shop_day_remove(actor=world.owner, shop=world.shop_a, day_id=day.pk)
    assert ShopDay.objects.count() == 1


def test_sla_values_are_bounded_and_read_by_the_sla(world: World) -> None:
    s.sla_policy_update(
        actor=world.owner,
        shop=world.shop_a,
        values={"first_contact_minutes": 30, "appointment_reminder_minutes": 15},
    )
    policy, reminder = shop_sla_policy(shop=world.shop_a)
    assert (policy.first_contact_minutes, policy.resolution_minutes, reminder) == (30, 5040, 15)
    for values, field in (
        ({"warning_percent": 100}, "warning_percent"),
        ({"first_contact_minutes": 0}, "first_contact_minutes"),
        ({"over_six_months_minutes": 60}, "over_six_months_minutes"),
        ({"sla_hours": 3}, "sla_hours"),
    ):
        with pytest.raises(CaseError) as exc:
            s.sla_policy_update(actor=world.owner, shop=world.shop_a, values=values)
        assert _field(exc) == field
    assert shop_sla_policy(shop=world.shop_a)[0].first_contact_minutes == 30


def test_settings_read_is_for_supervisors_and_up(world: World) -> None:
    data = s.shop_settings_get(actor=world.supervisor, shop=world.shop_a)
    assert data.routing.max_open_cases == 30  # defaults without a row
    assert {p["key"] for p in data.practices} == {
        "solicit_revision",
        "revision_reminder",
        "compensation_for_revision",
    }
    with pytest.raises(CaseError):
        s.shop_settings_get(actor=world.agent_a, shop=world.shop_a)
