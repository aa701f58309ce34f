"""Status changes through the workflow table, each with its guard, on the timeline (STYLE C4).

`case_transition` is the one place a status changes on a person's request; the named services
(`case_start_contact`, `case_wait`, `case_resolve`, ...) are the use cases the interfaces call.
Entering a waiting state stops the SLA clocks (an SlaPause row, pending SLA timers cancelled);
leaving it restarts them with the paused time added back (sla_timers.case_sla_reschedule).
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from reviewdesk.cases.errors import CaseError, CaseErrorCode
from reviewdesk.cases.guards import guard_for
from reviewdesk.cases.models import (
    Appointment,
    AppointmentStatus,
    Case,
    CaseEventKind,
    SlaPause,
)
from reviewdesk.cases.services.sla_timers import case_sla_reschedule, timers_cancel
from reviewdesk.cases.services.timeline import event_add
from reviewdesk.cases.workflow import (
    FINAL_STATUSES,
    WAITING_STATUSES,
    Action,
    Outcome,
    Status,
    targets_for,
    transition_for,
)
from reviewdesk.core import clock
from reviewdesk.shops.models import Role
from reviewdesk.shops.selectors import Actor, actor_has_role

_DEFAULT_OUTCOME = {Status.RESOLVED: Outcome.SOLVED, Status.EXPLAINED: Outcome.EXPLAINED}
_GUARD_MESSAGES = {
    "reason": "请填写原因",
    "explanation": "评价下还没有解释：请先发布解释，或填写原因",
}


def require_case_actor(*, actor: Actor, case: Case) -> None:
    """Anyone who works in the case's shop may act on it; others get NOT_FOUND (no leak)."""
    if not actor_has_role(actor=actor, shop=case.shop, role=Role.AGENT):
        raise CaseError(CaseErrorCode.NOT_FOUND, f"case {case.pk} not found")


def case_transition(
    *,
    actor: Actor | None,
    case: Case,
    target: Status,
    reason: str | None = None,
    outcome: str = "",
    at: dt.datetime | None = None,
) -> Case:
    """Move `case` to `target` if the table allows it and the guard passes.

    Raises CaseError ALREADY_CLOSED, TRANSITION_NOT_ALLOWED, or GUARD_FAILED / REASON_REQUIRED
    with `details` naming what is missing (e.g. the unchecked playbook steps). `actor` None is the
    system (ingestion, timers).
    """
    if actor is not None:
        require_case_actor(actor=actor, case=case)
    source = Status(case.status)
    transition = transition_for(source, target)
    if transition is None:
        code = (
            CaseErrorCode.ALREADY_CLOSED
            if source is Status.CLOSED
            else CaseErrorCode.TRANSITION_NOT_ALLOWED
        )
        raise CaseError(code, f"case {case.pk} cannot go from {source} to {target}")
    if transition.guard:
        problems = guard_for(transition.guard)(case=case, reason=reason)
        if problems:
            code = (
                CaseErrorCode.REASON_REQUIRED
                if problems == ["reason"]
                else CaseErrorCode.GUARD_FAILED
            )
            readable = "、".join(_GUARD_MESSAGES.get(p, p) for p in problems)
            raise CaseError(
                code,
                f"case {case.pk} cannot go to {target}: {readable}",
                details=problems,
            )
    now = at or clock.now()
    with transaction.atomic():
        _move(case=case, target=target, now=now, outcome=outcome)
        event_add(
            case=case,
            kind=CaseEventKind.STATUS,
            at=now,
            actor=actor,
            message=reason or "",
            data={
                "from": source,
                "to": target,
                "action": transition.action,
                "guard": transition.guard,
                "outcome": case.outcome or None,
            },
        )
    return case


def _move(*, case: Case, target: Status, now: dt.datetime, outcome: str) -> None:
    """Write the new status and its clock effects; the caller holds the transaction."""
    source = Status(case.status)
    changed = Case.objects.filter(pk=case.pk, status=source).update(status=target, updated_at=now)
    if changed != 1:
        raise CaseError(
            CaseErrorCode.TRANSITION_NOT_ALLOWED,
            f"case {case.pk} changed while you were working on it; reload it",
        )
    case.status = target
    fields = ["updated_at"]
    if target in FINAL_STATUSES:
        case.outcome = outcome or _DEFAULT_OUTCOME.get(target, Outcome.OTHER)
        case.closed_at = now
        fields += ["outcome", "closed_at"]
    elif source in FINAL_STATUSES:  # reopened
        case.outcome = ""
        case.closed_at = None
        fields += ["outcome", "closed_at"]
    case.updated_at = now
    case.save(update_fields=fields)

    entering_wait = target in WAITING_STATUSES and source not in WAITING_STATUSES
    leaving_wait = source in WAITING_STATUSES and target not in WAITING_STATUSES
    if entering_wait:
        SlaPause.objects.create(case=case, started_at=now, status=target)
    if leaving_wait or target in FINAL_STATUSES:
        SlaPause.objects.filter(case=case, ended_at__isnull=True).update(ended_at=now)
    if target in FINAL_STATUSES:
        timers_cancel(case_ids=[case.pk], kinds=None, now=now)
        Appointment.objects.filter(case=case, status=AppointmentStatus.SCHEDULED).update(
            status=AppointmentStatus.CANCELLED
        )
    elif entering_wait or leaving_wait or source in FINAL_STATUSES:
        case_sla_reschedule(case=case, now=now)


def move_if_allowed(*, case: Case, action: Action, now: dt.datetime, why: str) -> bool:
    """Side transitions other services make (a logged contact starts contacting); no guard."""
    targets = targets_for(case.status, action)
    if not targets:
        return False
    source = case.status
    _move(case=case, target=targets[0], now=now, outcome="")
    event_add(
        case=case,
        kind=CaseEventKind.STATUS,
        at=now,
        message=why,
        data={"from": source, "to": targets[0], "action": action, "automatic": True},
    )
    return True


def _by_action(
    actor: Actor | None, case: Case, action: Action, reason: str | None, outcome: str = ""
) -> Case:
    targets = targets_for(case.status, action)
    if not targets:
        code = (
            CaseErrorCode.ALREADY_CLOSED
            if case.status == Status.CLOSED
            else CaseErrorCode.TRANSITION_NOT_ALLOWED
        )
        raise CaseError(code, f"case {case.pk} ({case.status}) does not allow {action}")
    return case_transition(
        actor=actor, case=case, target=targets[0], reason=reason, outcome=outcome
    )


def case_start_contact(*, actor: Actor, case: Case) -> Case:
    return _by_action(actor, case, Action.START_CONTACT, None)


def case_wait(*, actor: Actor, case: Case, waiting_for: str = "buyer", reason: str = "") -> Case:
    """Pause the case while the buyer or a third party (courier, warehouse) has to act."""
    action = Action.WAIT_THIRD_PARTY if waiting_for == "third_party" else Action.WAIT_BUYER
    return _by_action(actor, case, action, reason)


def case_resume(*, actor: Actor, case: Case, reason: str = "") -> Case:
    return _by_action(actor, case, Action.RESUME, reason)


def case_start_resolving(*, actor: Actor, case: Case, reason: str = "") -> Case:
    return _by_action(actor, case, Action.START_RESOLVING, reason)


def case_resolve(*, actor: Actor, case: Case, reason: str | None = None) -> Case:
    """Close as resolved: the required playbook steps are done, or `reason` says why not (R14)."""
    return _by_action(actor, case, Action.RESOLVE, reason, Outcome.SOLVED)


def case_explain(*, actor: Actor, case: Case, reason: str | None = None) -> Case:
    return _by_action(actor, case, Action.EXPLAIN, reason, Outcome.EXPLAINED)


def case_close(*, actor: Actor, case: Case, outcome: str, reason: str | None) -> Case:
    """Close for another outcome (suspected extortion, no response, duplicate): needs a reason."""
    if outcome not in {o.value for o in Outcome}:
        raise CaseError(CaseErrorCode.INVALID_INPUT, f"unknown outcome {outcome!r}")
    return _by_action(actor, case, Action.CLOSE, reason, outcome)


def case_reopen(*, actor: Actor, case: Case, reason: str) -> Case:
    return _by_action(actor, case, Action.REOPEN, reason)
