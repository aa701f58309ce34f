from __future__ import annotations

import datetime as dt
import threading

import pytest
import time_machine
from django.db import connection

from reviewdesk.cases.models import (
    Case,
    CaseEvent,
    Notification,
    ShopDay,
    Timer,
    TimerKind,
    TimerResult,
)
from reviewdesk.cases.selectors import notifications_unread
from reviewdesk.cases.services import sla_timers
from reviewdesk.cases.services.sla_timers import timers_fire_due
from reviewdesk.cases.services.transitions import case_resume, case_start_contact, case_wait
from tests.cases.helpers import open_cases, record
from tests.conftest import World, at

pytestmark = pytest.mark.postgres

OPENED = at("2026-11-20 10:15")


def _open(world: World, *oids: int) -> list[Case]:
    with time_machine.travel(OPENED, tick=False):
        return open_cases(
            world.shop_a, [record(oid, rated_at=at("2026-11-20 10:00")) for oid in oids]
        )


def test_a_warning_then_an_escalation_to_the_supervisor(world: World) -> None:
    case = _open(world, 101)[0]  # round robin: supervisor takes the first; give it to an agent
    Case.objects.filter(pk=case.pk).update(assignee=world.agent_a)

    warned = timers_fire_due(now=at("2026-11-20 10:27"))
    assert (warned.fired, warned.skipped) == (1, 0)
    assert [n.message for n in notifications_unread(actor=world.agent_a)] == [
        f"工单 #{case.pk} 首次联系将于 11-20 10:30 超时"
    ]

    breached = timers_fire_due(now=at("2026-11-20 10:31"))
    assert breached.fired == 1
    case.refresh_from_db()
    assert case.escalated_at == at("2026-11-20 10:31")
    assert notifications_unread(actor=world.supervisor).count() == 1
    assert CaseEvent.objects.filter(case=case, kind="escalated").count() == 1


def test_a_restarted_worker_loses_no_timer_and_fires_each_once(world: World) -> None:
    cases = _open(world, 111, 112, 113)
    due_later = at("2026-12-31 23:00")
    expected = Timer.objects.due(due_later).count()
    assert expected == 3 * 6  # 2 first contact, 2 resolution, 2 window reminders per case

    # The worker was down for six weeks: nothing ran. A fresh sweep picks everything up once.
    first = timers_fire_due(now=due_later, limit=1000)
    second = timers_fire_due(now=due_later, limit=1000)

    assert first.claimed == expected
    assert second.claimed == 0
    assert Timer.objects.pending().count() == 0
    # A late sweep does not send stale warnings: the breach says it all.
    assert first.skipped == 3 * 2
    assert CaseEvent.objects.filter(case__in=cases, kind="escalated").count() == 3 * 2


def test_the_sweep_respects_its_limit_and_resumes_where_it_stopped(world: World) -> None:
    _open(world, 121, 122)
    later = at("2026-12-31 23:00")
    total = Timer.objects.due(later).count()
    claimed = 0
    for _ in range(total):
        claimed += timers_fire_due(now=later, limit=5).claimed
    assert claimed == total


def test_a_failing_handler_is_retried_with_backoff_and_recorded(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    case = _open(world, 131)[0]
    calls: list[int] = []

    def boom(timer: Timer, now: dt.datetime) -> str:
        calls.append(timer.pk)
        raise RuntimeError("channel down")

    monkeypatch.setitem(sla_timers.HANDLERS, TimerKind.FIRST_CONTACT_WARNING, boom)
    report = timers_fire_due(now=at("2026-11-20 10:28"))
    assert report.failed == 1
    timer = Timer.objects.get(case=case, kind=TimerKind.FIRST_CONTACT_WARNING)
    assert (timer.fired_at, timer.attempts) == (None, 1)
    assert timer.last_error == "RuntimeError: channel down"
    assert timer.due_at == at("2026-11-20 10:30")
    assert not Notification.objects.exists()  # the failed handler's writes rolled back


def test_waiting_on_the_buyer_pauses_the_clock_and_resuming_restarts_it(world: World) -> None:
    case = _open(world, 141)[0]
    with time_machine.travel(at("2026-11-20 10:20"), tick=False):
        case_start_contact(actor=world.agent_a, case=case)
        case_wait(actor=world.agent_a, case=case, reason="买家说晚上再聊")
    assert not Timer.objects.pending().filter(kind__startswith="first_contact").exists()
    assert timers_fire_due(now=at("2026-11-20 12:00")).fired == 0

    with time_machine.travel(at("2026-11-20 11:20"), tick=False):
        case_resume(actor=world.agent_a, case=case, reason="买家上线了")
    case.refresh_from_db()
    assert case.first_contact_due_at == at("2026-11-20 11:30")  # 15 minutes + the hour paused
    pending = Timer.objects.pending().get(case=case, kind=TimerKind.FIRST_CONTACT_BREACH)
    assert pending.due_at == at("2026-11-20 11:30")


def test_holidays_move_the_due_time(world: World) -> None:
    ShopDay.objects.create(shop=world.shop_a, date=dt.date(2026, 11, 20), name="店庆休息")
    case = _open(world, 151)[0]
    assert case.first_contact_due_at == at("2026-11-21 09:15")


def _sweep_in_threads(now: dt.datetime, workers: int) -> list[sla_timers.SweepReport]:
    reports: list[sla_timers.SweepReport] = []
    errors: list[BaseException] = []
    barrier = threading.Barrier(workers)

    def work() -> None:
        try:
            barrier.wait()
            reports.append(timers_fire_due(now=now, limit=1000))
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=work) for _ in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    return reports


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_workers_never_fire_the_same_timer(world: World) -> None:
    if connection.vendor == "sqlite" and "mode=memory" in connection.settings_dict["NAME"]:
        pytest.skip("in-memory SQLite shares one cache across threads; runs on PostgreSQL")
    cases = _open(world, *range(161, 171))
    later = at("2026-12-31 23:00")
    expected = Timer.objects.due(later).count()

    reports = _sweep_in_threads(later, workers=2)

    assert sum(r.claimed for r in reports) == expected
    assert Timer.objects.filter(result=TimerResult.FIRED).count() == sum(r.fired for r in reports)
    escalations = CaseEvent.objects.filter(case__in=cases, kind="escalated").count()
    assert escalations == 10 * 2  # one per breach timer, never twice
