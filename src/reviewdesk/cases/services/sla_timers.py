"""SLA deadlines as rows, and the sweep that fires them (STYLE C8, healthchecks' sendalerts).

A timer is claimed and handled in ONE transaction: the claim (`fired_at` set by a conditional
UPDATE) and everything the handler writes (notifications, timeline rows) commit together or not at
all. So a worker that dies mid-sweep loses nothing (its claim rolls back and the next sweep takes
the row) and two workers never both act on a row (the second one's UPDATE matches zero rows). On
PostgreSQL the batch is locked with SELECT ... FOR UPDATE SKIP LOCKED first, so concurrent sweeps
split the work instead of queueing on the same rows.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import F

from reviewdesk.cases import sla
from reviewdesk.cases.models import (
    Appointment,
    AppointmentStatus,
    Case,
    CaseEventKind,
    SlaPause,
    Timer,
    TimerKind,
    TimerResult,
)
from reviewdesk.cases.services.notifications import notifications_create, shop_supervisor_ids
from reviewdesk.cases.services.policy import shop_calendar, shop_sla_policy
from reviewdesk.cases.services.timeline import event_add
from reviewdesk.cases.workflow import OPEN_STATUSES
from reviewdesk.core import clock
from reviewdesk.core.bulk import insert_instances

logger = logging.getLogger(__name__)

SLA_KINDS = (
    TimerKind.FIRST_CONTACT_WARNING,
    TimerKind.FIRST_CONTACT_BREACH,
    TimerKind.RESOLUTION_WARNING,
    TimerKind.RESOLUTION_BREACH,
)
FIRST_CONTACT_KINDS = (TimerKind.FIRST_CONTACT_WARNING, TimerKind.FIRST_CONTACT_BREACH)
MAX_ATTEMPTS = 5


# --- scheduling ----------------------------------------------------------------------------------


def _sla_timers(case: Case, deadlines: sla.Deadlines, now: dt.datetime) -> list[Timer]:
    wanted: list[tuple[str, dt.datetime | None]] = [
        (TimerKind.RESOLUTION_WARNING, deadlines.resolution_warning_at),
        (TimerKind.RESOLUTION_BREACH, deadlines.resolution_due_at),
    ]
    if case.first_contacted_at is None:
        wanted[:0] = [
            (TimerKind.FIRST_CONTACT_WARNING, deadlines.first_contact_warning_at),
            (TimerKind.FIRST_CONTACT_BREACH, deadlines.first_contact_due_at),
        ]
    return [
        Timer(case=case, kind=kind, due_at=due, created_at=now)
        for kind, due in wanted
        if due is not None
    ]


def _apply_deadlines(case: Case, deadlines: sla.Deadlines) -> None:
    case.sla_rule = deadlines.rule
    case.contact_not_before = deadlines.contact_not_before
    case.first_contact_due_at = deadlines.first_contact_due_at
    case.resolution_due_at = deadlines.resolution_due_at


def cases_sla_prepare(
    *,
    cases: Sequence[Case],
    rated_at: Sequence[dt.datetime | None],
    not_after: Sequence[dt.datetime | None] | None = None,
) -> list[sla.Deadlines]:
    """Set the SLA rule and deadlines on new, unsaved cases (so one bulk_create writes them).

    `not_after` (per case) bounds the first contact: a refund's platform timeout (超时时间).
    """
    if not cases:
        return []
    shop = cases[0].shop
    calendar = shop_calendar(shop=shop)
    policy, _ = shop_sla_policy(shop=shop)
    limits = not_after if not_after is not None else [None] * len(cases)
    out = []
    for case, rated, limit in zip(cases, rated_at, limits, strict=True):
        rule = sla.first_contact_rule(
            severity=case.severity,
            risk_flags=case.risk_flags or [],
            rated_at=rated,
            opened_at=case.opened_at,
            kind=case.kind,
        )
        deadlines = sla.deadlines_not_after(
            sla.deadlines(policy, calendar, case.opened_at, (), rule=rule),
            not_after=limit,
            opened_at=case.opened_at,
            warning_percent=policy.warning_percent,
        )
        _apply_deadlines(case, deadlines)
        out.append(deadlines)
    return out


def cases_sla_timers_create(
    *, cases: Sequence[Case], deadlines: Sequence[sla.Deadlines], now: dt.datetime
) -> None:
    """The SLA timers of new cases, once they have ids (set-based)."""
    timers: list[Timer] = []
    for case, case_deadlines in zip(cases, deadlines, strict=True):
        timers.extend(_sla_timers(case, case_deadlines, now))
    insert_instances(Timer, timers)


def case_sla_reschedule(*, case: Case, now: dt.datetime) -> sla.Deadlines | None:
    """Recompute the deadlines with the case's pauses and replace its pending SLA timers.

    While paused (an open-ended pause) no SLA timer is pending: the clock is stopped.
    """
    timers_cancel(case_ids=[case.pk], kinds=SLA_KINDS, now=now)
    if not case.is_open():
        return None
    calendar = shop_calendar(shop=case.shop)
    policy, _ = shop_sla_policy(shop=case.shop)
    pauses = list(SlaPause.objects.filter(case=case).values_list("started_at", "ended_at"))
    rule = sla.FirstContactRule(case.sla_rule or sla.FirstContactRule.IMMEDIATE)
    deadlines = sla.deadlines_not_after(
        sla.deadlines(policy, calendar, case.opened_at, pauses, rule=rule),
        not_after=case.refund.timeout_at if case.refund is not None else None,
        opened_at=case.opened_at,
        warning_percent=policy.warning_percent,
    )
    _apply_deadlines(case, deadlines)
    case.save(
        update_fields=[
            "sla_rule",
            "contact_not_before",
            "first_contact_due_at",
            "resolution_due_at",
            "updated_at",
        ]
    )
    insert_instances(Timer, [t for t in _sla_timers(case, deadlines, now) if not case.is_paused()])
    return deadlines


def timers_cancel(*, case_ids: Iterable[int], kinds: Iterable[str] | None, now: dt.datetime) -> int:
    qs = Timer.objects.pending().filter(case_id__in=list(case_ids))
    if kinds is not None:
        qs = qs.filter(kind__in=list(kinds))
    return qs.update(fired_at=now, result=TimerResult.CANCELLED)


def timer_schedule(
    *, case: Case, kind: str, due_at: dt.datetime, now: dt.datetime, payload: dict[str, object]
) -> Timer:
    return Timer.objects.create(
        case=case, kind=kind, due_at=due_at, created_at=now, payload=payload
    )


# --- firing --------------------------------------------------------------------------------------


@dataclass
class SweepReport:
    fired: int = 0
    skipped: int = 0
    failed: int = 0

    @property
    def claimed(self) -> int:
        return self.fired + self.skipped + self.failed


Handler = Callable[[Timer, dt.datetime], str]


def timers_fire_due(*, now: dt.datetime | None = None, limit: int = 200) -> SweepReport:
    """Fire every unfired timer due at `now`, at most `limit`; safe to run twice or concurrently."""
    now = now or clock.now()
    report = SweepReport()
    if connection.features.has_select_for_update_skip_locked:
        with transaction.atomic():
            ids = list(
                Timer.objects.due(now)
                .select_for_update(skip_locked=True)
                .order_by("due_at", "id")
                .values_list("id", flat=True)[:limit]
            )
            for timer_id in ids:
                _fire_one(timer_id, now, report)
        return report
    ids = list(Timer.objects.due(now).order_by("due_at", "id").values_list("id", flat=True)[:limit])
    for timer_id in ids:
        with transaction.atomic():
            _fire_one(timer_id, now, report)
    return report


def _fire_one(timer_id: int, now: dt.datetime, report: SweepReport) -> None:
    """Claim and handle one timer inside the caller's transaction (a savepoint guards errors)."""
    claimed = Timer.objects.filter(pk=timer_id, fired_at__isnull=True).update(
        fired_at=now, attempts=F("attempts") + 1
    )
    if claimed != 1:
        return  # another worker fired it
    timer = Timer.objects.select_related("case", "case__shop", "case__review").get(pk=timer_id)
    try:
        with transaction.atomic():
            result = HANDLERS[timer.kind](timer, now)
            Timer.objects.filter(pk=timer_id).update(result=result)
    except Exception as exc:
        logger.exception("timer %s (%s) failed", timer_id, timer.kind)
        report.failed += 1
        retry = timer.attempts < MAX_ATTEMPTS
        Timer.objects.filter(pk=timer_id).update(
            fired_at=None if retry else now,
            due_at=now + dt.timedelta(minutes=2**timer.attempts) if retry else timer.due_at,
            result="" if retry else TimerResult.FAILED,
            last_error=f"{type(exc).__name__}: {exc}"[:2000],
        )
        return
    if result == TimerResult.FIRED:
        report.fired += 1
    else:
        report.skipped += 1


def _assignee_or_supervisors(case: Case) -> list[int]:
    if case.assignee_id is not None:
        return [case.assignee_id]
    return shop_supervisor_ids(shop_id=case.shop_id)


def _local(case: Case, at: dt.datetime | None) -> str:
    if at is None:
        return "-"
    from zoneinfo import ZoneInfo

    return at.astimezone(ZoneInfo(case.shop.timezone)).strftime("%m-%d %H:%M")


def _first_contact(timer: Timer, now: dt.datetime) -> str:
    case = timer.case
    if not case.is_open() or case.first_contacted_at is not None or case.is_paused():
        return TimerResult.SKIPPED
    breach = timer.kind == TimerKind.FIRST_CONTACT_BREACH
    return _sla_notice(timer, now, "首次联系", case.first_contact_due_at, breach=breach)


def _resolution(timer: Timer, now: dt.datetime) -> str:
    case = timer.case
    if not case.is_open() or case.is_paused():
        return TimerResult.SKIPPED
    breach = timer.kind == TimerKind.RESOLUTION_BREACH
    return _sla_notice(timer, now, "处理", case.resolution_due_at, breach=breach)


def _sla_notice(
    timer: Timer, now: dt.datetime, what: str, due: dt.datetime | None, *, breach: bool
) -> str:
    case = timer.case
    if not breach:
        if due is not None and now >= due:
            return TimerResult.SKIPPED  # a late sweep: the breach notice says it all
        message = f"工单 #{case.pk} {what}将于 {_local(case, due)} 超时"
        notifications_create(
            user_ids=_assignee_or_supervisors(case),
            case=case,
            kind=timer.kind,
            message=message,
            at=now,
        )
        event_add(
            case=case,
            kind=CaseEventKind.SLA,
            at=now,
            message=message,
            data={"timer": timer.kind, "due_at": due.isoformat() if due else None},
        )
        return TimerResult.FIRED
    message = f"工单 #{case.pk} {what}已超时（截止 {_local(case, due)}），已升级给主管"
    supervisors = shop_supervisor_ids(shop_id=case.shop_id)
    notifications_create(
        user_ids=[*_assignee_or_supervisors(case), *supervisors],
        case=case,
        kind=timer.kind,
        message=message,
        at=now,
    )
    Case.objects.filter(pk=case.pk, escalated_at__isnull=True).update(escalated_at=now)
    event_add(
        case=case,
        kind=CaseEventKind.ESCALATED,
        at=now,
        message=message,
        data={"timer": timer.kind, "supervisors": supervisors},
    )
    return TimerResult.FIRED


def _appointment_reminder(timer: Timer, now: dt.datetime) -> str:
    case = timer.case
    appointment = Appointment.objects.filter(pk=timer.payload.get("appointment_id")).first()
    if appointment is None or appointment.status != AppointmentStatus.SCHEDULED:
        return TimerResult.SKIPPED
    if case.status not in OPEN_STATUSES:
        return TimerResult.SKIPPED
    minutes = max(int((appointment.at - now).total_seconds() // 60), 0)
    message = (
        f"工单 #{case.pk}：{_local(case, appointment.at)} 与买家约定回访"
        f"（{appointment.get_channel_display()}），还有 {minutes} 分钟"
    )
    notifications_create(
        user_ids=_assignee_or_supervisors(case), case=case, kind=timer.kind, message=message, at=now
    )
    event_add(
        case=case,
        kind=CaseEventKind.REMINDER,
        at=now,
        message=message,
        data={"appointment_id": appointment.pk},
    )
    return TimerResult.FIRED


def _follow_up(timer: Timer, now: dt.datetime) -> str:
    case = timer.case
    if not case.is_open():
        return TimerResult.SKIPPED
    text = str(timer.payload.get("text", ""))
    message = f"工单 #{case.pk} 跟进计划第 {timer.payload.get('step')} 步：{text}"
    notifications_create(
        user_ids=_assignee_or_supervisors(case), case=case, kind=timer.kind, message=message, at=now
    )
    event_add(
        case=case, kind=CaseEventKind.FOLLOW_UP, at=now, message=message, data=dict(timer.payload)
    )
    return TimerResult.FIRED


def _revision_window(timer: Timer, now: dt.datetime) -> str:
    case = timer.case
    if not case.is_open():
        return TimerResult.SKIPPED
    window = sla.window_priority(case.revision_window_ends_at, now)
    priority = sla.case_priority(
        severity=case.severity, high_risk=case.is_high_risk(), window=window
    )
    Case.objects.filter(pk=case.pk).update(priority=priority)
    left = (case.revision_window_ends_at or now) - now
    message = (
        f"工单 #{case.pk}：评价可修改期还剩 {max(left.days, 0)} 天（平台规则 30 天），"
        "请优先解决买家的问题"
    )
    notifications_create(
        user_ids=_assignee_or_supervisors(case), case=case, kind=timer.kind, message=message, at=now
    )
    event_add(
        case=case,
        kind=CaseEventKind.SLA,
        at=now,
        message=message,
        data={"priority": priority, "window": window},
    )
    return TimerResult.FIRED


HANDLERS: dict[str, Handler] = {
    TimerKind.FIRST_CONTACT_WARNING: _first_contact,
    TimerKind.FIRST_CONTACT_BREACH: _first_contact,
    TimerKind.RESOLUTION_WARNING: _resolution,
    TimerKind.RESOLUTION_BREACH: _resolution,
    TimerKind.APPOINTMENT_REMINDER: _appointment_reminder,
    TimerKind.FOLLOW_UP: _follow_up,
    TimerKind.REVISION_WINDOW: _revision_window,
}
