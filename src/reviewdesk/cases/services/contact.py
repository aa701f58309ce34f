"""Contact attempts (DOMAIN R4, R6, R8): log, move the case, plan the follow-up.

A contact on one case counts for every open case of the same buyer and order (DOMAIN 004: the
agent handles the buyer once): their first-contact clocks stop too, and the attempt is visible
from each of them (selectors.case_contacts).
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from reviewdesk.cases import followup, sla
from reviewdesk.cases.errors import CaseError, CaseErrorCode
from reviewdesk.cases.models import (
    Appointment,
    AppointmentStatus,
    Case,
    CaseEventKind,
    Channel,
    ContactAttempt,
    ContactOutcome,
    Timer,
    TimerKind,
)
from reviewdesk.cases.services.policy import shop_calendar
from reviewdesk.cases.services.sla_timers import FIRST_CONTACT_KINDS, timers_cancel
from reviewdesk.cases.services.timeline import actor_user_id, event_add
from reviewdesk.cases.services.transitions import move_if_allowed, require_case_actor
from reviewdesk.cases.workflow import Action, Status
from reviewdesk.core import clock
from reviewdesk.shops.selectors import Actor

_MOVES = {
    ContactOutcome.SOLVED: (Action.START_RESOLVING, "买家的问题已解决，进入处理/结案"),
    ContactOutcome.OFFERED_REVISE: (Action.WAIT_BUYER, "买家主动提出修改评价，等待买家操作"),
}
_NO_PLAN = {ContactOutcome.SOLVED, ContactOutcome.OFFERED_REVISE}


def contact_log(
    *,
    actor: Actor,
    case: Case,
    channel: str,
    outcome: str,
    note: str = "",
    at: dt.datetime | None = None,
) -> ContactAttempt:
    """Record one attempt to reach the buyer and what came of it.

    Raises CaseError INVALID_INPUT (unknown channel/outcome, a time in the future) or
    ALREADY_CLOSED. "offered_revise" records `offered_revise_at` (group OFFERED): recorded, never
    solicited, and no message to the buyer is generated (DOMAIN compliance).
    """
    require_case_actor(actor=actor, case=case)
    if channel not in Channel.values:
        raise CaseError(
            CaseErrorCode.INVALID_INPUT,
            f"unknown channel {channel!r}; use {', '.join(Channel.values)}",
        )
    if outcome not in ContactOutcome.values:
        raise CaseError(
            CaseErrorCode.INVALID_INPUT,
            f"unknown outcome {outcome!r}; use {', '.join(ContactOutcome.values)}",
        )
    if not case.is_open():
        raise CaseError(CaseErrorCode.ALREADY_CLOSED, f"case {case.pk} is {case.status}")
    now = clock.now()
    at = at or now
    if at > now + dt.timedelta(minutes=1):
        raise CaseError(CaseErrorCode.INVALID_INPUT, "a contact cannot be logged in the future")
    with transaction.atomic():
        attempt = ContactAttempt.objects.create(
            case=case,
            actor_id=actor_user_id(actor),
            channel=channel,
            outcome=outcome,
            note=note,
            at=at,
        )
        cooling = case.contact_not_before is not None and at < case.contact_not_before
        event_add(
            case=case,
            kind=CaseEventKind.CONTACT,
            at=at,
            actor=actor,
            message=f"{Channel(channel).label}：{ContactOutcome(outcome).label}"
            + (f"。{note}" if note else ""),
            data={
                "attempt_id": attempt.pk,
                "channel": channel,
                "outcome": outcome,
                "during_cool_down": cooling,
            },
        )
        first = _first_contact_for_linked(case=case, actor=actor, at=at)
        if outcome == ContactOutcome.OFFERED_REVISE and case.offered_revise_at is None:
            case.offered_revise_at = at
            case.save(update_fields=["offered_revise_at", "updated_at"])
            event_add(
                case=case,
                kind=CaseEventKind.NOTE,
                at=at,
                actor=actor,
                message="买家主动提出修改评价：已记录（系统不会向买家索要修改或为此提供任何利益）",
                data={"offered_revise_at": at.isoformat(), "solicited": False},
            )
        if outcome != ContactOutcome.NO_ANSWER:
            Appointment.objects.filter(
                case=case, status=AppointmentStatus.SCHEDULED, at__lte=at + dt.timedelta(hours=1)
            ).update(status=AppointmentStatus.KEPT)
        _move_after(case=case, outcome=outcome, now=at)
        if first and outcome not in _NO_PLAN:
            _plan_follow_up(case=case, first_contact_at=at, now=now)
    return attempt


def _first_contact_for_linked(*, case: Case, actor: Actor, at: dt.datetime) -> bool:
    """Stop the first-contact clocks of this case and its open linked cases; True if first."""
    pending = list(Case.objects.linked_to(case).open().filter(first_contacted_at__isnull=True))
    if not pending:
        return False
    ids = [c.pk for c in pending]
    Case.objects.filter(pk__in=ids).update(first_contacted_at=at)
    timers_cancel(case_ids=ids, kinds=FIRST_CONTACT_KINDS, now=at)
    for other in pending:
        if other.pk == case.pk:
            case.first_contacted_at = at
            continue
        event_add(
            case=other,
            kind=CaseEventKind.CONTACT,
            at=at,
            actor=actor,
            message=f"已在关联工单 #{case.pk} 联系买家（同一买家同一订单）",
            data={"linked_from": case.pk},
        )
    return any(c.pk == case.pk for c in pending)


def _move_after(*, case: Case, outcome: str, now: dt.datetime) -> None:
    if case.status == Status.NEW:
        move_if_allowed(case=case, action=Action.START_CONTACT, now=now, why="已联系买家")
    elif case.status == Status.WAITING_BUYER and outcome in {
        ContactOutcome.TALKED,
        ContactOutcome.SOLVED,
    }:
        move_if_allowed(case=case, action=Action.RESUME, now=now, why="买家有回应，继续处理")
    if outcome in _MOVES:
        action, why = _MOVES[ContactOutcome(outcome)]
        move_if_allowed(case=case, action=action, now=now, why=why)


def _plan_follow_up(*, case: Case, first_contact_at: dt.datetime, now: dt.datetime) -> None:
    """R8: a light plan over about a week, created once per case, each step in working hours."""
    if Timer.objects.filter(case=case, kind=TimerKind.FOLLOW_UP).exists():
        return
    calendar = shop_calendar(shop=case.shop)
    timers = []
    for step, due in followup.plan_due_times(first_contact_at):
        at = sla.add_business_time(calendar, due, dt.timedelta(0)) or due
        timers.append(
            Timer(
                case=case,
                kind=TimerKind.FOLLOW_UP,
                due_at=at,
                created_at=now,
                payload={"step": step.step, "day": step.day, "text": step.text},
            )
        )
    Timer.objects.bulk_create(timers)
    event_add(
        case=case,
        kind=CaseEventKind.FOLLOW_UP,
        at=now,
        message="已生成一周跟进计划："
        + "；".join(f"第{s.day}天 {s.text}" for s in followup.FOLLOW_UP_PLAN),
        data={"steps": [s.step for s in followup.FOLLOW_UP_PLAN]},
    )
