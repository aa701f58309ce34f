"""The shop owner's case settings: routing, skills, shifts, leave, business calendar, SLA.

Writes for the rows `services/policy.py` reads (RoutingPolicy, AgentSkill, Shift, AgentLeave,
BusinessHours, ShopDay, ShopSlaPolicy). Each service takes `*, actor, shop`, lets owners and
admins through (Role.OWNER ranks below ADMIN), validates, and writes in one transaction. A bad
value raises CaseError(INVALID_INPUT) whose message starts with the field's name and whose
`details` is `[field]`, so an interface can put it next to the input. The compliance profile is
changed by `policy.compliance_practice_allow/revoke`; leave with "reassign now" goes through
`assignment.case_reassign_for_leave`.

The read side the settings pages need (`shop_settings_get`) sits at the end of this module: it is
scoped like every selector (shop_get, then the supervisor role) and would move to a cases
selectors module when the app owner splits one out.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Q

from reviewdesk.cases import compliance
from reviewdesk.cases.errors import CaseError, CaseErrorCode
from reviewdesk.cases.models import (
    AgentLeave,
    AgentSkill,
    BusinessHours,
    CaseKind,
    CompliancePolicy,
    RoutingPolicy,
    Shift,
    ShopDay,
    ShopSlaPolicy,
)
from reviewdesk.cases.services.assignment import case_reassign_for_leave
from reviewdesk.cases.services.policy import shop_compliance
from reviewdesk.core import clock
from reviewdesk.shops.models import Membership, Role, Shop
from reviewdesk.shops.selectors import Actor, actor_has_role, shop_agents
from reviewdesk.triage.types import CAUSES

MAX_OPEN_CASES_LIMIT = 500
WEEKDAYS = range(7)  # 0 = Monday, as Shift, BusinessHours and datetime.weekday()
MIDNIGHT = dt.time(0, 0)

# (minimum, maximum) per ShopSlaPolicy field; minutes unless the name says hours or percent.
SLA_BOUNDS: Mapping[str, tuple[int, int]] = {
    "first_contact_minutes": (1, 24 * 60),
    "cool_down_hours": (0, 7 * 24),
    "after_cool_down_minutes": (1, 48 * 60),
    "over_one_month_minutes": (1, 7 * 24 * 60),
    "over_six_months_minutes": (1, 14 * 24 * 60),
    "resolution_minutes": (60, 30 * 24 * 60),
    "warning_percent": (1, 99),
    "appointment_reminder_minutes": (0, 4 * 60),
}


def _invalid(field: str, message: str) -> CaseError:
    return CaseError(CaseErrorCode.INVALID_INPUT, f"{field}: {message}", details=[field])


def require_owner(actor: Actor, shop: Shop) -> None:
    """Shop settings are the owner's (admins pass: roles are ranked)."""
    if not actor_has_role(actor=actor, shop=shop, role=Role.OWNER):
        raise CaseError(CaseErrorCode.NOT_ALLOWED, "only the shop owner may change case settings")


def bounded_ints_check(
    values: Mapping[str, int], bounds: Mapping[str, tuple[int, int]], *, what: str
) -> None:
    """Every value a whole number within its field's (low, high); the error names the field."""
    for field, value in values.items():
        if field not in bounds:
            raise _invalid(field, f"not {what}")
        low, high = bounds[field]
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise _invalid(field, f"must be a whole number from {low} to {high}")


def _case_taker(shop: Shop, membership: Membership) -> Membership:
    """The membership when it is an active agent or supervisor of `shop` (takes cases here)."""
    if (
        membership.shop_id != shop.pk
        or not shop_agents(shop=shop).filter(pk=membership.pk).exists()
    ):
        raise _invalid("membership", "not an agent or supervisor of this shop")
    return membership


# --- routing ------------------------------------------------------------------------------------


def routing_policy_update(
    *,
    actor: Actor,
    shop: Shop,
    max_open_cases: int,
    high_risk_to_supervisor: bool,
    follow_shifts: bool,
) -> RoutingPolicy:
    require_owner(actor, shop)
    if not 1 <= max_open_cases <= MAX_OPEN_CASES_LIMIT:
        raise _invalid("max_open_cases", f"must be between 1 and {MAX_OPEN_CASES_LIMIT}")
    with transaction.atomic():
        row, _ = RoutingPolicy.objects.select_for_update().get_or_create(shop=shop)
        row.max_open_cases = max_open_cases
        row.high_risk_to_supervisor = high_risk_to_supervisor
        row.follow_shifts = follow_shifts
        row.save(update_fields=["max_open_cases", "high_risk_to_supervisor", "follow_shifts"])
    return row


def agent_skill_add(
    *, actor: Actor, shop: Shop, membership: Membership, cause: str, kind: str
) -> AgentSkill:
    """A cause and/or a case kind the agent is preferred for (routing rule 3)."""
    require_owner(actor, shop)
    _case_taker(shop, membership)
    if cause and cause not in CAUSES:
        raise _invalid("cause", f"unknown cause {cause!r}")
    if kind and kind not in CaseKind.values:
        raise _invalid("kind", f"unknown case kind {kind!r}")
    if not cause and not kind:
        raise _invalid("cause", "choose a cause, a case kind or both")
    with transaction.atomic():
        if AgentSkill.objects.filter(membership=membership, cause=cause, kind=kind).exists():
            raise _invalid("cause", "this agent already has this skill")
        return AgentSkill.objects.create(membership=membership, cause=cause, kind=kind)


def agent_skill_remove(*, actor: Actor, shop: Shop, skill_id: int) -> None:
    require_owner(actor, shop)
    with transaction.atomic():
        deleted, _ = AgentSkill.objects.filter(pk=skill_id, membership__shop=shop).delete()
    if not deleted:
        raise CaseError(CaseErrorCode.NOT_FOUND, f"no skill {skill_id} in this shop")


def shift_add(
    *,
    actor: Actor,
    shop: Shop,
    membership: Membership,
    weekday: int,
    starts: dt.time,
    ends: dt.time,
) -> Shift:
    """A weekly shift in shop time; one ending at or before its start runs past midnight."""
    require_owner(actor, shop)
    _case_taker(shop, membership)
    if weekday not in WEEKDAYS:
        raise _invalid("weekday", "must be 0 (Monday) to 6 (Sunday)")
    if starts == ends:
        raise _invalid("ends", "a shift cannot start and end at the same time")
    with transaction.atomic():
        if Shift.objects.filter(
            membership=membership, weekday=weekday, starts=starts, ends=ends
        ).exists():
            raise _invalid("starts", "this agent already has this shift")
        return Shift.objects.create(
            membership=membership, weekday=weekday, starts=starts, ends=ends
        )


def shift_remove(*, actor: Actor, shop: Shop, shift_id: int) -> None:
    require_owner(actor, shop)
    with transaction.atomic():
        deleted, _ = Shift.objects.filter(pk=shift_id, membership__shop=shop).delete()
    if not deleted:
        raise CaseError(CaseErrorCode.NOT_FOUND, f"no shift {shift_id} in this shop")


@dataclass(frozen=True, slots=True)
class LeaveOutcome:
    leave: AgentLeave
    reassigned: int  # open cases moved to other agents (0 unless reassign_now)


def agent_leave_record(
    *,
    actor: Actor,
    shop: Shop,
    membership: Membership,
    starts_at: dt.datetime | None,
    ends_at: dt.datetime | None,
    reason: str,
    reassign_now: bool,
) -> LeaveOutcome:
    """Record a leave. With `reassign_now` the leave starts now and the agent's open cases are
    routed to others at once (`case_reassign_for_leave`); otherwise routing skips the agent from
    `starts_at` (default now) and their current cases stay with them."""
    require_owner(actor, shop)
    _case_taker(shop, membership)
    now = clock.now()
    for name, value in (("starts_at", starts_at), ("ends_at", ends_at)):
        if value is not None and value.tzinfo is None:
            raise _invalid(name, "needs a time zone")
    start = starts_at or now
    if reassign_now and start > now:
        raise _invalid("starts_at", "cases can only be reassigned now for a leave that has begun")
    if ends_at is not None and ends_at <= (now if reassign_now else start):
        raise _invalid("ends_at", "must be after the start of the leave")
    reason = reason.strip() or "休假"
    if len(reason) > AgentLeave._meta.get_field("reason").max_length:  # type: ignore[operator]
        raise _invalid("reason", "too long")
    with transaction.atomic():
        if reassign_now:
            moved = case_reassign_for_leave(
                membership=membership, actor=actor, until=ends_at, reason=reason
            )
            leave = AgentLeave.objects.filter(membership=membership).latest("id")
            return LeaveOutcome(leave, moved)
        leave = AgentLeave.objects.create(
            membership=membership, starts_at=start, ends_at=ends_at, reason=reason
        )
    return LeaveOutcome(leave, 0)


def agent_leave_end(*, actor: Actor, shop: Shop, leave_id: int) -> None:
    """End a leave now (the agent takes cases again); a leave not yet begun is dropped."""
    require_owner(actor, shop)
    now = clock.now()
    with transaction.atomic():
        leave = (
            AgentLeave.objects.select_for_update()
            .filter(pk=leave_id, membership__shop=shop)
            .first()
        )
        if leave is None:
            raise CaseError(CaseErrorCode.NOT_FOUND, f"no leave {leave_id} in this shop")
        if leave.starts_at > now:
            leave.delete()
        elif leave.ends_at is None or leave.ends_at > now:
            leave.ends_at = now
            leave.save(update_fields=["ends_at"])


# --- business calendar --------------------------------------------------------------------------


def _check_period(prefix: str, opens: dt.time, closes: dt.time) -> None:
    """One opening period of a day; closes 00:00 means midnight (BusinessHours)."""
    if closes != MIDNIGHT and closes <= opens:
        raise _invalid(f"{prefix}closes", "must be after the opening time (00:00 = midnight)")
    if closes == MIDNIGHT and opens == MIDNIGHT:
        raise _invalid(f"{prefix}closes", "a day cannot open and close at midnight")


def business_hours_set(
    *, actor: Actor, shop: Shop, week: Mapping[int, Sequence[tuple[dt.time, dt.time]]]
) -> list[BusinessHours]:
    """Replace the shop's weekly hours: weekday -> its opening periods (none = closed that day).

    At least one day must be open: a shop with no rows falls back to every day 09:00-21:00,
    which is not what "closed all week" means.
    """
    require_owner(actor, shop)
    unknown = set(week) - set(WEEKDAYS)
    if unknown:
        raise _invalid("weekday", f"unknown weekdays {sorted(unknown)}")
    for weekday, periods in week.items():
        ordered = sorted(periods)
        for opens, closes in ordered:
            _check_period(f"day{weekday}_", opens, closes)
        for (_, first_closes), (second_opens, _) in itertools.pairwise(ordered):
            if first_closes == MIDNIGHT or second_opens < first_closes:
                raise _invalid(f"day{weekday}_opens", "opening periods of a day overlap")
    if not any(week.values()):
        raise _invalid("week", "open the shop on at least one day of the week")
    with transaction.atomic():
        BusinessHours.objects.filter(shop=shop).delete()
        return BusinessHours.objects.bulk_create(
            BusinessHours(shop=shop, weekday=weekday, opens=opens, closes=closes)
            for weekday in sorted(week)
            for opens, closes in sorted(week[weekday])
        )


def shop_day_add(
    *,
    actor: Actor,
    shop: Shop,
    date: dt.date,
    name: str,
    opens: dt.time | None = None,
    closes: dt.time | None = None,
) -> ShopDay:
    """A holiday (no hours) or a make-up working day (调休, with its hours) on `date`."""
    require_owner(actor, shop)
    if (opens is None) != (closes is None):
        raise _invalid("opens" if opens is None else "closes", "give both times or neither")
    if opens is not None and closes is not None:
        _check_period("", opens, closes)
    name = name.strip()
    if len(name) > ShopDay._meta.get_field("name").max_length:  # type: ignore[operator]
        raise _invalid("name", "too long")
    with transaction.atomic():
        if ShopDay.objects.filter(shop=shop, date=date).exists():
            raise _invalid("date", f"{date:%Y-%m-%d} already has an entry; remove it first")
        return ShopDay.objects.create(shop=shop, date=date, name=name, opens=opens, closes=closes)


def shop_day_remove(*, actor: Actor, shop: Shop, day_id: int) -> None:
    require_owner(actor, shop)
    with transaction.atomic():
        deleted, _ = ShopDay.objects.filter(pk=day_id, shop=shop).delete()
    if not deleted:
        raise CaseError(CaseErrorCode.NOT_FOUND, f"no calendar day {day_id} in this shop")


# --- SLA ----------------------------------------------------------------------------------------


def sla_policy_update(*, actor: Actor, shop: Shop, values: Mapping[str, int]) -> ShopSlaPolicy:
    """Set the SLA allowances; fields not in `values` keep their stored (or default) value.

    Applies to cases opened from now on; open cases keep the deadlines they were given.
    """
    require_owner(actor, shop)
    bounded_ints_check(values, SLA_BOUNDS, what="an SLA setting")
    with transaction.atomic():
        row, _ = ShopSlaPolicy.objects.select_for_update().get_or_create(shop=shop)
        for field, value in values.items():
            setattr(row, field, value)
        if row.over_six_months_minutes < row.over_one_month_minutes:
            raise _invalid(
                "over_six_months_minutes", "must not be shorter than the over-1-month allowance"
            )
        row.save()
    return row


# --- reads for the settings pages ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ShopSettings:
    routing: RoutingPolicy  # unsaved defaults when the shop has no row
    sla: ShopSlaPolicy
    compliance: CompliancePolicy
    agents: list[Membership]  # who takes cases, with user
    skills: list[AgentSkill]
    shifts: list[Shift]
    leaves: list[AgentLeave]  # current and future, then the latest ended ones
    business_hours: list[BusinessHours]
    days: list[ShopDay]
    practices: list[dict[str, Any]]  # compliance.PRACTICES with whether each is on, by whom


ENDED_LEAVES_SHOWN = 10


def shop_settings_get(*, actor: Actor, shop: Shop) -> ShopSettings:
    """Everything the settings pages show; supervisors and above (agents get NOT_ALLOWED)."""
    if not actor_has_role(actor=actor, shop=shop, role=Role.SUPERVISOR):
        raise CaseError(CaseErrorCode.NOT_ALLOWED, "shop settings are for supervisors and owners")
    now = clock.now()
    leaves = AgentLeave.objects.filter(membership__shop=shop).select_related("membership__user")
    current = Q(ends_at__isnull=True) | Q(ends_at__gt=now)
    policy = shop_compliance(shop=shop)
    allowed = {str(e.get("practice")): e for e in policy.allowed}
    return ShopSettings(
        routing=RoutingPolicy.objects.filter(shop=shop).first() or RoutingPolicy(shop=shop),
        sla=ShopSlaPolicy.objects.filter(shop=shop).first() or ShopSlaPolicy(shop=shop),
        compliance=policy,
        agents=list(shop_agents(shop=shop)),
        skills=list(
            AgentSkill.objects.filter(membership__shop=shop)
            .select_related("membership__user")
            .order_by("membership_id", "cause", "kind")
        ),
        shifts=list(
            Shift.objects.filter(membership__shop=shop)
            .select_related("membership__user")
            .order_by("weekday", "starts", "membership_id")
        ),
        leaves=[
            *leaves.filter(current).order_by("starts_at"),
            *leaves.exclude(current).order_by("-ends_at")[:ENDED_LEAVES_SHOWN],
        ],
        business_hours=list(BusinessHours.objects.filter(shop=shop).order_by("weekday", "opens")),
        days=list(ShopDay.objects.filter(shop=shop).order_by("date")),
        practices=[
            {
                "key": p.key,
                "label": p.label,
                "seed": p.seed,
                "conflicts_with": p.conflicts_with,
                "allowed": allowed.get(p.key),
                "allowed_at": _parse_at(allowed.get(p.key)),
            }
            for p in compliance.PRACTICES.values()
        ],
    )


def _parse_at(entry: Mapping[str, Any] | None) -> dt.datetime | None:
    try:
        return dt.datetime.fromisoformat(str(entry["at"])) if entry else None
    except (KeyError, ValueError):
        return None


def shop_membership_get(*, shop: Shop, membership_id: int) -> Membership:
    """One of the shop's case takers by id (the forms' agent choice)."""
    found = shop_agents(shop=shop).filter(pk=membership_id).first()
    if found is None:
        raise _invalid("membership", "not an agent or supervisor of this shop")
    return found
