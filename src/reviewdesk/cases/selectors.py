"""Case reads, always scoped by the acting user (STYLE C3)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import F, Q, QuerySet

from reviewdesk.cases import followup, sla
from reviewdesk.cases.errors import CaseError, CaseErrorCode
from reviewdesk.cases.models import (
    Appointment,
    AppointmentStatus,
    BuyerGroup,
    Case,
    CaseEvent,
    ContactAttempt,
    Notification,
    SlaPause,
)
from reviewdesk.cases.workflow import Status
from reviewdesk.core import clock
from reviewdesk.shops.selectors import Actor, shops_visible_to


@dataclass(frozen=True, slots=True)
class CaseFilters:
    shop: str | None = None
    status: str | None = None  # a Status value, or "open"
    group: str | None = None
    assignee: str | None = None  # username, or "me" / "none"
    result: str | None = None
    order: str = "newest"  # newest | priority (window closing first) | due (first contact due)
    overdue: bool = False  # open, not yet contacted, first contact past due
    linked_to: int | None = None  # the cases of the same buyer and order as this case id
    q: str | None = None  # buyer nick (part of it), or an exact order / sub-order / refund id


def _search_q(text: str) -> Q:
    """A buyer nick fragment, or an exact tid/oid (ids are compared as integers, never floats)."""
    text = text.strip()
    found = Q(buyer__nick__icontains=text)
    if text.isascii() and text.isdigit() and int(text) < 2**63:  # 64-bit ids (PLATFORM §1.3)
        number = int(text)
        found |= (
            Q(order__tid=number)
            | Q(review__tid=number)
            | Q(review__oid=number)
            | Q(refund__refund_id=number)
        )
    return found


def buyer_group_q(group: str) -> Q:
    if group == BuyerGroup.REVISED:
        return Q(review__revised_at__isnull=False)
    not_revised = Q(review__revised_at__isnull=True)
    if group == BuyerGroup.OFFERED:
        return not_revised & Q(offered_revise_at__isnull=False)
    not_offered = not_revised & Q(offered_revise_at__isnull=True)
    if group == BuyerGroup.NEUTRAL:
        return not_offered & Q(review__first_result="neutral") & ~Q(review__result="bad")
    if group == BuyerGroup.BAD:
        return (
            not_offered
            & ~(Q(review__first_result="neutral") & ~Q(review__result="bad"))
            & ~Q(review__result="good")
        )
    raise CaseError(CaseErrorCode.INVALID_FILTER, f"unknown group {group!r}")


def case_list(*, actor: Actor, filters: CaseFilters | None = None) -> QuerySet[Case]:  # noqa: PLR0912
    filters = filters or CaseFilters()
    qs = Case.objects.filter(shop__in=shops_visible_to(actor)).select_related(
        "shop", "review", "review__order_item", "refund", "shipment", "buyer", "assignee", "order"
    )
    if filters.shop:
        qs = qs.filter(shop__slug=filters.shop)
    if filters.status == "open":
        qs = qs.open()
    elif filters.status:
        if filters.status not in {s.value for s in Status}:
            valid = ", ".join(["open", *(s.value for s in Status)])
            raise CaseError(
                CaseErrorCode.INVALID_FILTER, f"unknown status {filters.status!r}; use {valid}"
            )
        qs = qs.filter(status=filters.status)
    if filters.group:
        qs = qs.filter(buyer_group_q(filters.group))
    if filters.assignee == "none":
        qs = qs.filter(assignee__isnull=True)
    elif filters.assignee == "me":
        qs = qs.filter(assignee_id=actor.pk)
    elif filters.assignee:
        qs = qs.filter(assignee__username=filters.assignee)
    if filters.result:
        qs = qs.filter(review__result=filters.result)
    if filters.overdue:
        qs = qs.overdue(clock.now())
    if filters.q and filters.q.strip():
        qs = qs.filter(_search_q(filters.q))
    if filters.linked_to is not None:
        anchor = qs.model.objects.filter(pk=filters.linked_to).values("shop_id", "link_key")
        first = anchor.first()
        if first is None or not first["link_key"]:
            qs = qs.filter(pk=filters.linked_to)
        else:
            qs = qs.filter(shop_id=first["shop_id"], link_key=first["link_key"])
    if filters.order == "priority":
        return qs.order_by(
            "-priority", F("revision_window_ends_at").asc(nulls_last=True), "opened_at", "id"
        )
    if filters.order == "due":
        return qs.order_by(F("first_contact_due_at").asc(nulls_last=True), "id")
    if filters.order != "newest":
        raise CaseError(CaseErrorCode.INVALID_FILTER, f"unknown order {filters.order!r}")
    return qs.order_by("-opened_at", "-id")


def case_get(*, actor: Actor, case_id: int) -> Case:
    """The case if visible to the actor; otherwise NOT_FOUND (no existence leak across shops)."""
    case = (
        case_list(actor=actor)
        .select_related("review__order_item__order", "refund__order", "shipment")
        .prefetch_related(
            "events",
            "events__actor",
            "review__versions",
            "order__items",
            "appointments",
        )
        .filter(pk=case_id)
        .first()
    )
    if case is None:
        raise CaseError(CaseErrorCode.NOT_FOUND, f"case {case_id} not found")
    return case


def case_linked(*, actor: Actor, case: Case) -> QuerySet[Case]:
    """The other cases of the same buyer and order (DOMAIN 004), oldest first."""
    if not case.link_key:
        return Case.objects.none()
    return (
        case_list(actor=actor, filters=CaseFilters(linked_to=case.pk))
        .exclude(pk=case.pk)
        .order_by("opened_at", "id")
    )


def case_contacts(*, actor: Actor, case: Case) -> QuerySet[ContactAttempt]:
    """Contact attempts on this case and its linked cases, oldest first (one buyer, one history)."""
    visible = case_list(actor=actor).filter(shop_id=case.shop_id)
    linked = visible.filter(link_key=case.link_key) if case.link_key else visible.filter(pk=case.pk)
    return (
        ContactAttempt.objects.filter(case__in=linked)
        .select_related("actor", "case")
        .order_by("at", "id")
    )


def case_timeline(*, actor: Actor, case: Case) -> QuerySet[CaseEvent]:
    case_get(actor=actor, case_id=case.pk)
    return CaseEvent.objects.filter(case=case).select_related("actor").order_by("at", "id")


def case_appointments(*, actor: Actor, case: Case) -> QuerySet[Appointment]:
    case_get(actor=actor, case_id=case.pk)
    return Appointment.objects.filter(case=case).order_by("at", "id")


def appointment_next(*, case: Case) -> Appointment | None:
    """The next scheduled appointment (the case page shows its countdown)."""
    return (
        Appointment.objects.filter(case=case, status=AppointmentStatus.SCHEDULED)
        .order_by("at", "id")
        .first()
    )


def case_sla_state(*, case: Case, now: dt.datetime) -> sla.SlaState:
    deadlines = sla.Deadlines(
        rule=sla.FirstContactRule(case.sla_rule or sla.FirstContactRule.IMMEDIATE),
        contact_not_before=case.contact_not_before,
        first_contact_warning_at=None,
        first_contact_due_at=case.first_contact_due_at,
        resolution_warning_at=None,
        resolution_due_at=case.resolution_due_at,
    )
    resolved = case.closed_at if not case.is_open() else None
    return sla.agreement_status(
        deadlines, case.first_contacted_at, resolved, now, paused=case.is_paused()
    )


def case_paused_total(*, case: Case, now: dt.datetime) -> dt.timedelta:
    total = dt.timedelta(0)
    for started, ended in SlaPause.objects.filter(case=case).values_list("started_at", "ended_at"):
        total += (ended or now) - started
    return total


def case_next_contact(*, actor: Actor, case: Case) -> followup.Suggestion:
    """R4: which channel to try next, from the buyer's whole contact history (linked cases too)."""
    history = list(case_contacts(actor=actor, case=case).values_list("channel", "outcome"))
    return followup.next_channel(history)


def notifications_unread(*, actor: Actor) -> QuerySet[Notification]:
    """The actor's unread in-app notifications, newest first (only their own)."""
    if actor.pk is None:
        return Notification.objects.none()
    return (
        Notification.objects.filter(user_id=actor.pk, read_at__isnull=True)
        .select_related("case")
        .order_by("-created_at", "-id")
    )
