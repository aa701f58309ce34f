"""Case reads, always scoped by the acting user (STYLE C3)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from reviewdesk.cases.errors import CaseError, CaseErrorCode
from reviewdesk.cases.models import BuyerGroup, Case
from reviewdesk.cases.workflow import Status
from reviewdesk.shops.selectors import Actor, shops_visible_to


@dataclass(frozen=True, slots=True)
class CaseFilters:
    shop: str | None = None
    status: str | None = None  # a Status value, or "open"
    group: str | None = None
    assignee: str | None = None  # username, or "me" / "none"
    result: str | None = None


def _group_q(group: str) -> Q:
    if group == BuyerGroup.REVISED:
        return Q(review__revised_at__isnull=False)
    not_revised = Q(review__revised_at__isnull=True)
    if group == BuyerGroup.OFFERED:
        return not_revised & Q(offered_revise_at__isnull=False)
    not_offered = not_revised & Q(offered_revise_at__isnull=True)
    if group == BuyerGroup.NEUTRAL:
        return not_offered & Q(review__first_result="neutral") & ~Q(review__result="bad")
    if group == BuyerGroup.BAD:
        return not_offered & ~(Q(review__first_result="neutral") & ~Q(review__result="bad"))
    raise CaseError(CaseErrorCode.INVALID_FILTER, f"unknown group {group!r}")


def case_list(*, actor: Actor, filters: CaseFilters | None = None) -> QuerySet[Case]:
    filters = filters or CaseFilters()
    qs = Case.objects.filter(shop__in=shops_visible_to(actor)).select_related(
        "shop", "review", "review__order_item", "buyer", "assignee", "order"
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
        qs = qs.filter(_group_q(filters.group))
    if filters.assignee == "none":
        qs = qs.filter(assignee__isnull=True)
    elif filters.assignee == "me":
        qs = qs.filter(assignee_id=actor.pk)
    elif filters.assignee:
        qs = qs.filter(assignee__username=filters.assignee)
    if filters.result:
        qs = qs.filter(review__result=filters.result)
    return qs.order_by("-opened_at", "-id")


def case_get(*, actor: Actor, case_id: int) -> Case:
    """The case if visible to the actor; otherwise NOT_FOUND (no existence leak across shops)."""
    case = (
        case_list(actor=actor)
        .select_related("review__order_item__order")
        .prefetch_related("events", "events__actor", "review__versions", "order__items")
        .filter(pk=case_id)
        .first()
    )
    if case is None:
        raise CaseError(CaseErrorCode.NOT_FOUND, f"case {case_id} not found")
    return case
