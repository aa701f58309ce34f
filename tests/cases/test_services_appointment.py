from __future__ import annotations

import pytest
import time_machine

from reviewdesk.cases.errors import CaseError, CaseErrorCode
from reviewdesk.cases.models import Appointment, Case, Timer, TimerKind
from reviewdesk.cases.selectors import appointment_next, notifications_unread
from reviewdesk.cases.services.appointment import appointment_schedule
from reviewdesk.cases.services.contact import contact_log
from reviewdesk.cases.services.sla_timers import timers_fire_due
from reviewdesk.cases.workflow import Status
from tests.cases.helpers import open_cases, record
from tests.conftest import World, at

pytestmark = pytest.mark.postgres


@pytest.fixture
def case(world: World) -> Case:
    with time_machine.travel(at("2026-11-20 10:15"), tick=False):
        case = open_cases(world.shop_a, [record(401)])[0]
        Case.objects.filter(pk=case.pk).update(assignee=world.agent_a)
        case.refresh_from_db()
        contact_log(actor=world.agent_a, case=case, channel="phone", outcome="call_back")
    return case


def test_tonight_at_8_15_is_resolved_reminded_and_counted_down(world: World, case: Case) -> None:
    with time_machine.travel(at("2026-11-20 10:30"), tick=False):
        appointment = appointment_schedule(actor=world.agent_a, case=case, when="今晚8:15")
    assert appointment.at == at("2026-11-20 20:15")
    assert case.status == Status.WAITING_BUYER
    assert "2026-11-20（周五）20:15" in case.events.get(kind="appointment").message
    assert appointment_next(case=case) == appointment
    assert appointment.countdown(at("2026-11-20 20:00")).total_seconds() == 15 * 60

    reminder = Timer.objects.get(kind=TimerKind.APPOINTMENT_REMINDER)
    assert reminder.due_at == at("2026-11-20 20:05")
    assert timers_fire_due(now=at("2026-11-20 20:05")).fired == 1
    assert [n.message for n in notifications_unread(actor=world.agent_a)] == [
        f"工单 #{case.pk}：11-20 20:15 与买家约定回访（电话），还有 10 分钟"
    ]


@pytest.mark.parametrize("vague", ["明天", "下午", "明天下午", "晚上有空再说"])
def test_vague_times_are_refused_with_the_reason(world: World, case: Case, vague: str) -> None:
    with pytest.raises(CaseError) as refused:
        appointment_schedule(actor=world.agent_a, case=case, when=vague)
    assert refused.value.code is CaseErrorCode.VAGUE_TIME
    assert "确切时间" in str(refused.value)
    assert not Appointment.objects.exists()


def test_calling_back_at_the_time_marks_the_appointment_kept(world: World, case: Case) -> None:
    with time_machine.travel(at("2026-11-20 10:30"), tick=False):
        appointment = appointment_schedule(actor=world.agent_a, case=case, when="2026-11-20 20:15")
    with time_machine.travel(at("2026-11-20 20:16"), tick=False):
        contact_log(actor=world.agent_a, case=case, channel="phone", outcome="talked")
    appointment.refresh_from_db()
    case.refresh_from_db()
    assert appointment.status == "kept"
    assert case.status == Status.CONTACTING
    # The reminder (due 20:05) was not swept before the call; now it has nothing to say.
    report = timers_fire_due(now=at("2026-11-20 20:20"))
    assert (report.fired, report.skipped) == (0, 1)
