"""Call-backs agreed with the buyer at an exact minute (DOMAIN R4), with an in-app reminder.

Vague input (明天, 下午, 明天下午) is refused with the reason; an exact clock time with a relative
day (今晚8:15) is resolved in shop-local time and echoed back as an absolute time. While the case
waits for the appointment it sits in waiting_buyer, so the SLA clocks stop.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.db import transaction

from reviewdesk.cases.errors import CaseError, CaseErrorCode
from reviewdesk.cases.models import (
    Appointment,
    AppointmentStatus,
    Case,
    CaseEventKind,
    Channel,
    TimerKind,
)
from reviewdesk.cases.services.policy import shop_sla_policy
from reviewdesk.cases.services.sla_timers import timer_schedule
from reviewdesk.cases.services.timeline import actor_user_id, event_add
from reviewdesk.cases.services.transitions import move_if_allowed, require_case_actor
from reviewdesk.cases.timeparse import VagueTimeError, echo, parse_exact_time
from reviewdesk.cases.workflow import Action, Status
from reviewdesk.core import clock
from reviewdesk.shops.selectors import Actor


def appointment_time(*, case: Case, when: str | dt.datetime, now: dt.datetime) -> dt.datetime:
    """The exact aware time `when` names in the shop's zone, or CaseError VAGUE_TIME with why."""
    tz = ZoneInfo(case.shop.timezone)
    if isinstance(when, dt.datetime):
        if when.tzinfo is None:
            raise CaseError(CaseErrorCode.INVALID_INPUT, "appointment time needs a time zone")
        if when <= now:
            raise CaseError(CaseErrorCode.VAGUE_TIME, f"{echo(when.astimezone(tz))} 已经过去了")
        return when
    try:
        return parse_exact_time(when, now=now, tz=tz).at
    except VagueTimeError as exc:
        raise CaseError(CaseErrorCode.VAGUE_TIME, str(exc)) from exc


def appointment_schedule(
    *,
    actor: Actor,
    case: Case,
    when: str | dt.datetime,
    channel: str = Channel.PHONE,
    note: str = "",
) -> Appointment:
    """Agree a call-back at an exact minute; remind the assignee before it."""
    require_case_actor(actor=actor, case=case)
    if not case.is_open():
        raise CaseError(CaseErrorCode.ALREADY_CLOSED, f"case {case.pk} is {case.status}")
    if channel not in Channel.values:
        raise CaseError(CaseErrorCode.INVALID_INPUT, f"unknown channel {channel!r}")
    now = clock.now()
    at = appointment_time(case=case, when=when, now=now)
    _, remind_minutes = shop_sla_policy(shop=case.shop)
    local = at.astimezone(ZoneInfo(case.shop.timezone))
    with transaction.atomic():
        appointment = Appointment.objects.create(
            case=case,
            actor_id=actor_user_id(actor),
            at=at,
            channel=channel,
            note=note,
            created_at=now,
        )
        timer_schedule(
            case=case,
            kind=TimerKind.APPOINTMENT_REMINDER,
            due_at=max(at - dt.timedelta(minutes=remind_minutes), now),
            now=now,
            payload={"appointment_id": appointment.pk},
        )
        event_add(
            case=case,
            kind=CaseEventKind.APPOINTMENT,
            at=now,
            actor=actor,
            message=f"与买家约定 {echo(local)} {Channel(channel).label}回访"
            + (f"。{note}" if note else ""),
            data={"appointment_id": appointment.pk, "at": local.isoformat(), "channel": channel},
        )
        if case.status in {Status.CONTACTING, Status.RESOLVING}:
            move_if_allowed(
                case=case, action=Action.WAIT_BUYER, now=now, why=f"等待约定时间 {echo(local)}"
            )
    return appointment


def appointment_cancel(*, actor: Actor, appointment: Appointment, reason: str) -> Appointment:
    case = appointment.case
    require_case_actor(actor=actor, case=case)
    now = clock.now()
    with transaction.atomic():
        changed = Appointment.objects.filter(
            pk=appointment.pk, status=AppointmentStatus.SCHEDULED
        ).update(status=AppointmentStatus.CANCELLED)
        if changed:
            appointment.status = AppointmentStatus.CANCELLED
            event_add(
                case=case,
                kind=CaseEventKind.APPOINTMENT,
                at=now,
                actor=actor,
                message=f"取消约定回访：{reason}",
                data={"appointment_id": appointment.pk, "cancelled": True},
            )
    return appointment
