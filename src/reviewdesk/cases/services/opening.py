"""Opening, updating and closing review cases from what ingestion observed; `cases_open` is the
one set-based opening path every kind shares (refund cases: cases/services/refunds.py).

Set-based like ingestion: a file of 100,000 reviews opens its cases in a few queries, inside the
caller's transaction, so a review and its case are committed together or not at all. Opening:
link the cases of one buyer's order (DOMAIN 004), route them (routing.py), set the SLA deadlines
and timers (sla.py), and the priority from the platform's 30-day window (PLATFORM §9.1 L5).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Count

from reviewdesk.cases import routing, sla
from reviewdesk.cases.models import (
    Appointment,
    AppointmentStatus,
    Case,
    CaseEvent,
    CaseEventKind,
    CaseKind,
    Severity,
    Timer,
    TimerKind,
)
from reviewdesk.cases.services.assignment import case_facts, route_batch
from reviewdesk.cases.services.sla_timers import (
    cases_sla_prepare,
    cases_sla_timers_create,
    timers_cancel,
)
from reviewdesk.cases.workflow import OPEN_STATUSES, Outcome, Status
from reviewdesk.core import clock
from reviewdesk.core.bulk import insert_instances
from reviewdesk.reviews.events import ReviewEvent, ReviewEventKind
from reviewdesk.reviews.models import NEGATIVE_RESULTS, Review, ReviewResult
from reviewdesk.shops.models import Shop

_OPENING = {ReviewEventKind.CREATED, ReviewEventKind.WORSENED}
# Warn (and raise priority) when this many days are left in the 30-day window.
_WINDOW_WARNINGS = (10, 3)


def needs_case(review: Review) -> bool:
    """Neutral/bad reviews open a case; so does a good review that triage reads as a complaint."""
    if review.result in NEGATIVE_RESULTS:
        return True
    triage = review.triage or {}
    return review.result == ReviewResult.GOOD and bool(triage.get("is_complaint"))


def link_key(*, order_id: int | None, buyer_id: int | None) -> str:
    """One key per buyer and order: the cases a single angry buyer opened together (004), and a
    refund of the same order with its reviews (one buyer, one agent)."""
    if order_id is None:
        return ""
    return f"o{order_id}-b{buyer_id or 0}"


def link_key_for(review: Review) -> str:
    return link_key(order_id=review.order_item.order_id, buyer_id=review.buyer_id)


def cases_apply_review_events(
    *, shop: Shop, events: Sequence[ReviewEvent], at: dt.datetime | None = None
) -> list[Case]:
    """Open, update or close review cases for what ingestion observed. Returns the opened cases."""
    at = at or clock.now()
    if not events:
        return []
    reviews = Review.objects.select_related("order_item").in_bulk([e.review_id for e in events])
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
    to_open: dict[int, Review] = {}
    for e in events:
        review = reviews[e.review_id]
        if e.kind in _OPENING and e.review_id not in has_case and needs_case(review):
            to_open[review.pk] = review
    opened = _cases_open_for_reviews(shop=shop, reviews=list(to_open.values()), at=at)

    timeline: list[CaseEvent] = []
    closing: list[Case] = []
    for event in events:
        case = open_cases.get(event.review_id)
        if case is None:
            continue
        review = reviews[event.review_id]
        if event.kind is ReviewEventKind.REVISED:
            case_close_fields(case, Outcome.REVISED, at)
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
                        "content": review.content[:500],
                        "revised_at": review.revised_at.isoformat() if review.revised_at else None,
                        "within_window": _within_window(case, at),
                    },
                )
            )
        elif event.kind is ReviewEventKind.DELETED:
            case_close_fields(case, Outcome.DELETED, at)
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
                        "within_window": _within_window(case, at),
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
    cases_close_observed(closing, at)
    insert_instances(CaseEvent, timeline)
    return opened


def cases_close_observed(cases: Sequence[Case], at: dt.datetime) -> None:
    """Store cases closed by what the platform showed (`case_close_fields` set them): their timers
    and scheduled appointments end with them."""
    if not cases:
        return
    Case.objects.bulk_update(cases, ["status", "outcome", "closed_at", "updated_at"])
    closed_ids = [c.pk for c in cases]
    timers_cancel(case_ids=closed_ids, kinds=None, now=at)
    Appointment.objects.filter(case_id__in=closed_ids, status=AppointmentStatus.SCHEDULED).update(
        status=AppointmentStatus.CANCELLED
    )


def _within_window(case: Case, at: dt.datetime) -> bool | None:
    ends = case.revision_window_ends_at
    return None if ends is None else at <= ends


def case_close_fields(case: Case, outcome: Outcome, at: dt.datetime) -> None:
    case.status = Status.CLOSED
    case.outcome = outcome
    case.closed_at = at


def _case_for(shop: Shop, review: Review, at: dt.datetime) -> Case:
    triage = review.triage or {}
    flags = [str(f) for f in triage.get("risk_flags") or []]
    severity = str(triage.get("severity") or "")
    if review.result == ReviewResult.GOOD:
        severity = Severity.LOW  # a good review that reads as a complaint: look, but low weight
    window_ends = sla.revision_window_ends_at(
        platform=shop.platform, result=review.result, rated_at=review.rated_at
    )
    case = Case(
        shop=shop,
        kind=CaseKind.REVIEW,
        review=review,
        order_id=review.order_item.order_id,
        buyer_id=review.buyer_id,
        status=Status.NEW,
        cause=str(triage.get("cause") or ""),
        severity=severity,
        risk_flags=flags,
        triage_model=_model_label(triage),
        opened_at=at,
        link_key=link_key_for(review),
        revision_window_ends_at=window_ends,
    )
    case.priority = sla.case_priority(
        severity=severity,
        high_risk=case.is_high_risk(),
        window=sla.window_priority(window_ends, at),
    )
    return case


def _cases_open_for_reviews(
    *, shop: Shop, reviews: Sequence[Review], at: dt.datetime
) -> list[Case]:
    if not reviews:
        return []
    cases = [_case_for(shop, review, at) for review in reviews]
    opened = [
        OpenedNote(
            "新的中差评，已登记"
            if review.result != ReviewResult.GOOD
            else "好评但内容像投诉，已登记（低优先级）",
            {"review_id": review.pk, "result": review.result},
        )
        for review in reviews
    ]
    return cases_open(
        shop=shop,
        cases=cases,
        at=at,
        rated_at=[r.rated_at for r in reviews],
        notes=opened,
        key="review_id",
    )


@dataclass(frozen=True, slots=True)
class OpenedNote:
    """The OPENED timeline row of a new case: its message and what it was opened from."""

    message: str
    data: dict[str, object]


def cases_open(
    *,
    shop: Shop,
    cases: Sequence[Case],
    at: dt.datetime,
    rated_at: Sequence[dt.datetime | None],
    notes: Sequence[OpenedNote],
    key: str | tuple[str, ...],
    not_after: Sequence[dt.datetime | None] | None = None,
) -> list[Case]:
    """Insert new, unsaved cases set-based, the same way for every kind (DOMAIN R1: registered
    and assigned at once): route them (a buyer+order's cases follow one agent), set the SLA
    deadlines (the first contact no later than `not_after`), write the opened / assigned /
    linked timeline rows and the timers. `key` is the unique source column (`review_id`,
    `refund_id`, or `("shipment_id", "cause")`) by which the new rows' ids are read back."""
    if not cases:
        return []
    choices = _route_with_links(shop=shop, cases=cases, at=at)
    for case, choice in zip(cases, choices, strict=True):
        case.assignee_id = choice.user_id
    deadlines = cases_sla_prepare(cases=cases, rated_at=rated_at, not_after=not_after)
    insert_instances(Case, cases)
    if cases[0].pk is None:
        keys = (key,) if isinstance(key, str) else key
        rows = Case.objects.filter(
            **{f"{keys[0]}__in": [getattr(c, keys[0]) for c in cases]}
        ).values_list(*keys, "id")
        ids = {tuple(row[:-1]): row[-1] for row in rows}
        for case in cases:
            case.pk = ids[tuple(getattr(case, k) for k in keys)]
    events: list[CaseEvent] = []
    for case, choice, note in zip(cases, choices, notes, strict=True):
        events.append(
            CaseEvent(
                case=case,
                at=at,
                kind=CaseEventKind.OPENED,
                message=note.message,
                data={
                    **note.data,
                    "priority": case.priority,
                    "revision_window_ends_at": case.revision_window_ends_at.isoformat()
                    if case.revision_window_ends_at
                    else None,
                },
            )
        )
        events.append(
            CaseEvent(
                case=case,
                at=at,
                kind=CaseEventKind.ASSIGNED,
                message=choice.reason,
                data={"assignee_id": case.assignee_id, "rule": choice.rule},
            )
        )
    events.extend(_link_events(cases, at))
    insert_instances(CaseEvent, events)
    cases_sla_timers_create(cases=cases, deadlines=deadlines, now=at)
    insert_instances(Timer, _window_timers(cases, at))
    return list(cases)


def _route_with_links(
    *, shop: Shop, cases: Sequence[Case], at: dt.datetime
) -> list[routing.Choice]:
    """Route the first case of each buyer+order; its linked cases follow the same agent."""
    existing = {
        key: (case_id, assignee_id)
        for key, case_id, assignee_id in Case.objects.open()
        .filter(shop=shop, link_key__in={c.link_key for c in cases})
        .order_by("id")
        .values_list("link_key", "id", "assignee_id")
    }
    leaders: dict[str, int] = {}
    to_route: list[Case] = []
    for index, case in enumerate(cases):
        if case.link_key not in existing and case.link_key not in leaders:
            leaders[case.link_key] = index
            to_route.append(case)
    routed = dict(
        zip(
            [c.link_key for c in to_route],
            route_batch(shop=shop, facts=[case_facts(c) for c in to_route], now=at),
            strict=True,
        )
    )
    choices: list[routing.Choice] = []
    for index, case in enumerate(cases):
        if case.link_key in existing:
            case_id, assignee_id = existing[case.link_key]
            choices.append(
                routing.Choice(
                    assignee_id, "linked", f"同一买家同一订单，跟随关联工单 #{case_id} 的负责人"
                )
            )
        elif leaders[case.link_key] == index:
            choices.append(routed[case.link_key])
        else:
            leader = routed[case.link_key]
            choices.append(
                routing.Choice(
                    leader.user_id, "linked", "同一买家同一订单的多条中差评，由同一客服统一处理"
                )
            )
    return choices


def _link_events(cases: Sequence[Case], at: dt.datetime) -> list[CaseEvent]:
    by_key: dict[str, list[Case]] = {}
    for case in cases:
        by_key.setdefault(case.link_key, []).append(case)
    siblings = dict(
        Case.objects.filter(link_key__in=list(by_key), shop_id=cases[0].shop_id)
        .values_list("link_key")
        .annotate(n=Count("id"))
        .values_list("link_key", "n")
    )
    events = []
    for key, group in by_key.items():
        total = int(siblings.get(key, len(group)))
        if total < 2:
            continue
        for case in group:
            events.append(
                CaseEvent(
                    case=case,
                    at=at,
                    kind=CaseEventKind.LINKED,
                    message=f"同一买家同一订单共 {total} 条工单，已关联：联系一次，统一处理",
                    data={"link_key": key, "count": total},
                )
            )
    return events


def _window_timers(cases: Sequence[Case], at: dt.datetime) -> list[Timer]:
    timers = []
    for case in cases:
        ends = case.revision_window_ends_at
        if ends is None:
            continue
        for days in _WINDOW_WARNINGS:
            due = ends - dt.timedelta(days=days)
            if due > at:
                timers.append(
                    Timer(
                        case=case,
                        kind=TimerKind.REVISION_WINDOW,
                        due_at=due,
                        created_at=at,
                        payload={"days_left": days},
                    )
                )
    return timers


def _model_label(triage: dict[str, object]) -> str:
    name, version = triage.get("model_name"), triage.get("model_version")
    return f"{name}@{version}" if name else ""
