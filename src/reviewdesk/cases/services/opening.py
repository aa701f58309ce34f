"""Case writes (STYLE C2): opening cases from review events, assignment, closing on revision.

Set-based like ingestion: a file of 100,000 reviews opens its cases in a few queries, inside the
caller's transaction, so a review and its case are committed together or not at all.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db.models import F

from reviewdesk.cases.models import Case, CaseEvent, CaseEventKind, CaseKind
from reviewdesk.cases.workflow import OPEN_STATUSES, Outcome, Status
from reviewdesk.core import clock
from reviewdesk.reviews.events import ReviewEvent, ReviewEventKind
from reviewdesk.reviews.models import NEGATIVE_RESULTS, Review
from reviewdesk.shops.models import Shop
from reviewdesk.shops.selectors import shop_agents

_OPENING = {ReviewEventKind.CREATED, ReviewEventKind.WORSENED}


def _round_robin_assignees(*, shop: Shop, count: int) -> list[int | None]:
    """The next `count` assignees in round-robin order; the cursor moves atomically."""
    agent_ids = list(shop_agents(shop=shop).values_list("user_id", flat=True))
    if not agent_ids or count == 0:
        return [None] * count
    Shop.objects.filter(pk=shop.pk).update(assignment_counter=F("assignment_counter") + count)
    end = Shop.objects.values_list("assignment_counter", flat=True).get(pk=shop.pk)
    start = end - count
    return [agent_ids[(start + i) % len(agent_ids)] for i in range(count)]


def cases_apply_review_events(
    *, shop: Shop, events: Sequence[ReviewEvent], at: dt.datetime | None = None
) -> list[Case]:
    """Open, update or close review cases for what ingestion observed. Returns the opened cases."""
    at = at or clock.now()
    if not events:
        return []
    reviews = Review.objects.in_bulk([e.review_id for e in events])
    open_cases = {
        c.review_id: c
        for c in Case.objects.filter(
            review_id__in=reviews, kind=CaseKind.REVIEW, status__in=[s.value for s in OPEN_STATUSES]
        )
    }
    has_case = set(
        Case.objects.filter(review_id__in=reviews, kind=CaseKind.REVIEW).values_list(
            "review_id", flat=True
        )
    )
    to_open = [
        reviews[e.review_id]
        for e in events
        if e.kind in _OPENING
        and e.review_id not in has_case
        and reviews[e.review_id].result in NEGATIVE_RESULTS
    ]
    opened = _cases_open_for_reviews(shop=shop, reviews=to_open, at=at)

    timeline: list[CaseEvent] = []
    closing: list[Case] = []
    for event in events:
        case = open_cases.get(event.review_id)
        if case is None:
            continue
        review = reviews[event.review_id]
        if event.kind is ReviewEventKind.REVISED:
            _close(case, Outcome.REVISED, at)
            closing.append(case)
            timeline.append(
                CaseEvent(
                    case=case,
                    at=at,
                    kind=CaseEventKind.REVIEW_CHANGED,
                    message="买家已将评价修改为好评，工单自动关闭",
                    data={
                        "from": event.previous_result,
                        "to": review.result,
                        "version": event.version,
                        "outcome": Outcome.REVISED,
                    },
                )
            )
        elif event.kind is ReviewEventKind.DELETED:
            _close(case, Outcome.DELETED, at)
            closing.append(case)
            timeline.append(
                CaseEvent(
                    case=case,
                    at=at,
                    kind=CaseEventKind.REVIEW_CHANGED,
                    message="买家已删除评价，工单自动关闭",
                    data={
                        "from": event.previous_result,
                        "version": event.version,
                        "outcome": Outcome.DELETED,
                    },
                )
            )
        elif event.kind is ReviewEventKind.FOLLOWUP_ADDED:
            timeline.append(
                CaseEvent(
                    case=case,
                    at=at,
                    kind=CaseEventKind.FOLLOWUP,
                    message=review.followup_content[:500],
                    data={"version": event.version},
                )
            )
        elif event.kind is ReviewEventKind.CHANGED:
            timeline.append(
                CaseEvent(
                    case=case,
                    at=at,
                    kind=CaseEventKind.REVIEW_CHANGED,
                    message="评价内容有变化",
                    data={"version": event.version, "result": review.result},
                )
            )
    if closing:
        Case.objects.bulk_update(closing, ["status", "outcome", "closed_at", "updated_at"])
    CaseEvent.objects.bulk_create(timeline)
    return opened


def _close(case: Case, outcome: Outcome, at: dt.datetime) -> None:
    case.status = Status.CLOSED
    case.outcome = outcome
    case.closed_at = at


def _cases_open_for_reviews(
    *, shop: Shop, reviews: Sequence[Review], at: dt.datetime
) -> list[Case]:
    if not reviews:
        return []
    assignees = _round_robin_assignees(shop=shop, count=len(reviews))
    cases = []
    for review, assignee_id in zip(reviews, assignees, strict=True):
        triage = review.triage or {}
        cases.append(
            Case(
                shop=shop,
                kind=CaseKind.REVIEW,
                review=review,
                order_id=review.order_item.order_id,
                buyer_id=review.buyer_id,
                status=Status.NEW,
                assignee_id=assignee_id,
                cause=triage.get("cause") or "",
                severity=triage.get("severity") or "",
                risk_flags=triage.get("risk_flags") or [],
                triage_model=_model_label(triage),
                opened_at=at,
            )
        )
    Case.objects.bulk_create(cases)
    if cases[0].pk is None:
        ids = dict(
            Case.objects.filter(
                review_id__in=[r.pk for r in reviews], kind=CaseKind.REVIEW
            ).values_list("review_id", "id")
        )
        for case in cases:
            case.pk = ids[case.review_id]
    events: list[CaseEvent] = []
    for case in cases:
        events.append(
            CaseEvent(
                case=case,
                at=at,
                kind=CaseEventKind.OPENED,
                message="新的中差评，已登记",
                data={
                    "review_id": case.review_id,
                    "result": case.review.result if case.review else "",
                },
            )
        )
        events.append(
            CaseEvent(
                case=case,
                at=at,
                kind=CaseEventKind.ASSIGNED,
                message="按轮流分配给客服" if case.assignee_id else "店铺没有在岗客服，暂未分配",
                data={"assignee_id": case.assignee_id, "rule": "round_robin"},
            )
        )
    CaseEvent.objects.bulk_create(events)
    return cases


def _model_label(triage: dict[str, object]) -> str:
    name, version = triage.get("model_name"), triage.get("model_version")
    return f"{name}@{version}" if name else ""
