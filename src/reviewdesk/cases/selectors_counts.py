"""Counts for the queue's filters, scoped like case_list (STYLE C3).

Each facet is counted with every *other* filter applied, so a count says how many rows a click on
that facet would show (the usual faceted-search contract). One query per facet.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from django.db.models import Count, Max

from reviewdesk.cases.models import BuyerGroup
from reviewdesk.cases.selectors import CaseFilters, buyer_group_q, case_list
from reviewdesk.cases.workflow import OPEN_STATUSES, Status
from reviewdesk.shops.selectors import Actor


@dataclass(frozen=True, slots=True)
class AssigneeCount:
    user_id: int | None
    username: str | None
    display_name: str
    count: int


def case_group_counts(*, actor: Actor, filters: CaseFilters) -> dict[str, int]:
    """Cases per buyer group (DOMAIN R7), in BuyerGroup order."""
    qs = case_list(actor=actor, filters=replace(filters, group=None)).order_by()
    totals = qs.aggregate(
        **{g.value: Count("id", filter=buyer_group_q(g.value)) for g in BuyerGroup}
    )
    return {g.value: int(totals[g.value] or 0) for g in BuyerGroup}


def case_status_counts(*, actor: Actor, filters: CaseFilters) -> dict[str, int]:
    """Cases per status plus "open" (the sum of the open statuses) and "all"."""
    qs = case_list(actor=actor, filters=replace(filters, status=None)).order_by()
    rows = dict(qs.values_list("status").annotate(n=Count("id")).values_list("status", "n"))
    counts = {s.value: int(rows.get(s.value, 0)) for s in Status}
    counts["open"] = sum(counts[s.value] for s in OPEN_STATUSES)
    counts["all"] = sum(int(n) for n in rows.values())
    return counts


def case_result_counts(*, actor: Actor, filters: CaseFilters) -> dict[str, int]:
    """Cases per current review result (good/neutral/bad)."""
    qs = case_list(actor=actor, filters=replace(filters, result=None)).order_by()
    rows = dict(
        qs.filter(review__isnull=False)
        .values_list("review__result")
        .annotate(n=Count("id"))
        .values_list("review__result", "n")
    )
    return {result: int(rows.get(result, 0)) for result in ("good", "neutral", "bad")}


def case_assignee_counts(*, actor: Actor, filters: CaseFilters) -> list[AssigneeCount]:
    """Cases per assignee (unassigned as user_id None), busiest first."""
    qs = case_list(actor=actor, filters=replace(filters, assignee=None)).order_by()
    rows = (
        qs.values("assignee_id", "assignee__username", "assignee__first_name")
        .annotate(n=Count("id"))
        .order_by("-n", "assignee__username")
    )
    return [
        AssigneeCount(
            user_id=row["assignee_id"],
            username=row["assignee__username"],
            display_name=row["assignee__first_name"] or row["assignee__username"] or "",
            count=int(row["n"]),
        )
        for row in rows
    ]


def cases_new_since(*, actor: Actor, filters: CaseFilters, after_id: int) -> int:
    """How many cases matching `filters` were opened after the case `after_id` (ids only grow)."""
    return case_list(actor=actor, filters=filters).filter(id__gt=after_id).order_by().count()


def case_latest_id(*, actor: Actor, filters: CaseFilters) -> int:
    """The highest case id matching `filters` (0 when none): the queue poll's starting point."""
    found = case_list(actor=actor, filters=filters).order_by().aggregate(m=Max("id"))["m"]
    return int(found or 0)
