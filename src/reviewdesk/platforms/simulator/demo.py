"""Installing the demo shop: users, memberships, 200 days of history and the live connection.

`demo_load` is what `reviewdesk demo load` (and so `make run`) calls. The history goes through
platforms.pipeline like any import, in time order, so cases open, close on revision or deletion
and get 追评 on their timelines the real way, at the times they happened; refund and return
requests open, escalate and close theirs the same way. Every shipped order's parcel comes last,
through the logistics stream's pipeline (signed parcels open nothing). It is idempotent: an
existing demo shop is left alone unless `reset=True`, and the whole load is one transaction, so
an interrupted load leaves nothing behind.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import groupby

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from reviewdesk.aftersales.models import Refund
from reviewdesk.cases.models import Case
from reviewdesk.cases.services.contact import contact_log
from reviewdesk.cases.services.transitions import case_transition
from reviewdesk.cases.workflow import Outcome, Status
from reviewdesk.core import clock
from reviewdesk.platforms import pipeline
from reviewdesk.platforms.records import RefundRecord, ReviewGoneRecord, ReviewRecord
from reviewdesk.platforms.simulator.calendar import SHANGHAI
from reviewdesk.platforms.simulator.generator import history
from reviewdesk.platforms.simulator.logistics import history_parcel
from reviewdesk.platforms.simulator.world import OrderPlan, World
from reviewdesk.platforms.sync import connection_create
from reviewdesk.reviews.models import Review
from reviewdesk.shops.models import Organisation, Platform, Role, Shop
from reviewdesk.shops.services import membership_grant, shop_create, user_create

DEMO_SLUG = "demo"
DEMO_SHOP_NAME = "暖居家纺旗舰店"
DEMO_ORGANISATION = "暖居家纺（演示）"
DEMO_PASSWORD = "reviewdesk-demo"  # noqa: S105 - published on purpose: it is the demo's login
DEMO_SEED = 20261111
DEMO_USERS: tuple[tuple[str, str, str], ...] = (
    ("demo-owner", Role.OWNER, "林掌柜"),
    ("demo-supervisor", Role.SUPERVISOR, "周主管"),
    ("demo-agent1", Role.AGENT, "小陈"),
    ("demo-agent2", Role.AGENT, "小吴"),
)
SOURCE = "demo:history"
_ORDER_BATCH = 500
# Cases open a couple of minutes after their review, as when the sync runs every few minutes.
_DETECTION_DELAY = dt.timedelta(minutes=2)


@dataclass
class DemoReport:
    created: bool
    orders: int = 0
    reviews: int = 0
    refunds: int = 0
    parcels: int = 0
    cases: int = 0
    open_cases: int = 0
    seconds: float = 0.0


def demo_shop() -> Shop | None:
    return Shop.objects.filter(slug=DEMO_SLUG).first()


def demo_logins() -> list[tuple[str, str, str]]:
    """(username, role label, display name) of the demo users that exist, in role order."""
    existing = set(
        get_user_model()
        .objects.filter(username__in=[u for u, _, _ in DEMO_USERS])
        .values_list("username", flat=True)
    )
    labels = dict(Role.choices)
    return [(u, str(labels[role]), name) for u, role, name in DEMO_USERS if u in existing]


def demo_load(
    *,
    days: int = 200,
    orders: int = 3000,
    reset: bool = False,
    seed: int = DEMO_SEED,
    now: dt.datetime | None = None,
) -> DemoReport:
    """Create the demo shop with `orders` orders over the last `days` days, unless it exists."""
    if days < 1 or orders < 0:
        raise ValueError("days must be at least 1 and orders at least 0")
    started = time.monotonic()
    now = now or clock.now()
    with transaction.atomic():
        if reset:
            _demo_delete()
        elif demo_shop() is not None:
            return DemoReport(created=False, seconds=time.monotonic() - started)
        organisation, _ = Organisation.objects.get_or_create(name=DEMO_ORGANISATION)
        shop = shop_create(
            slug=DEMO_SLUG,
            name=DEMO_SHOP_NAME,
            platform=Platform.SIMULATOR,
            organisation=organisation,
        )
        _demo_users(shop)
        world = World(seed=seed, history_orders=orders, history_days=days, anchor=now)
        plans = history(world)
        _history_ingest(shop, plans, now=now)
        parcels = _parcels_ingest(shop, world, plans, now=now)
        connection_create(shop=shop, connector="simulator", options=world.options())
    cases = Case.objects.filter(shop=shop)
    return DemoReport(
        created=True,
        orders=len(plans),
        reviews=Review.objects.filter(shop=shop).count(),
        refunds=Refund.objects.filter(shop=shop).count(),
        parcels=parcels,
        cases=cases.count(),
        open_cases=cases.open().count(),
        seconds=time.monotonic() - started,
    )


def _demo_users(shop: Shop) -> None:
    user_model = get_user_model()
    for username, role, display_name in DEMO_USERS:
        user: AbstractBaseUser | None = user_model.objects.filter(username=username).first()
        if user is None:
            user = user_create(username=username, password=DEMO_PASSWORD, display_name=display_name)
        membership_grant(user=user, shop=shop, role=role)


def _demo_delete() -> None:
    """Remove the demo shop with everything in it, and the demo users (`demo load --reset`)."""
    Shop.objects.filter(slug=DEMO_SLUG).delete()
    Organisation.objects.filter(name=DEMO_ORGANISATION, shops__isnull=True).delete()
    get_user_model().objects.filter(username__in=[u for u, _, _ in DEMO_USERS]).delete()


@dataclass(frozen=True, slots=True)
class _Event:
    at: dt.datetime
    review: ReviewRecord | None = None
    gone: ReviewGoneRecord | None = None
    refund: RefundRecord | None = None

    @property
    def key(self) -> tuple[str, int]:
        """What may appear once per batch: a review's oid, or a refund request's id."""
        if self.refund is not None:
            return ("refund", self.refund.refund_id)
        if self.review is not None:
            return ("review", self.review.oid)
        assert self.gone is not None  # noqa: S101 - one of the three is always set
        return ("review", self.gone.oid)


def _events(plans: Sequence[OrderPlan], *, now: dt.datetime) -> list[_Event]:
    """Every observation of the history in time order: reviews, 追评, revisions, deletions, and
    the states of refund requests."""
    events: list[_Event] = []
    for plan in plans:
        for review in plan.reviews:
            events.append(_Event(review.first.rated_at, review=review.first))
            if review.followup is not None and review.followup.followup_at is not None:
                events.append(_Event(review.followup.followup_at, review=review.followup))
            if review.revision is not None and review.revised_at is not None:
                events.append(_Event(review.revised_at, review=review.revision))
            if review.deleted_at is not None:
                gone = ReviewGoneRecord(oid=review.first.oid, observed_at=review.deleted_at)
                events.append(_Event(review.deleted_at, gone=gone))
        if plan.refund is not None:
            for step in plan.refund.steps:
                filed = plan.refund.steps[0].record.applied_at
                if filed is not None:
                    events.append(_Event(filed + step.after, refund=step.record))
    events = [e for e in events if e.at <= now]
    events.sort(key=lambda e: e.at)
    return events


def _window(event: _Event, *, now: dt.datetime) -> tuple[int, ...]:
    """Batches of ingestion, finer towards now: one per hour in the last three days (recent cases
    open within the hour of their review), one per day up to six weeks back, one per week before
    that (those cases are long settled; fewer, larger batches keep `demo load` quick)."""
    local = event.at.astimezone(SHANGHAI)
    age = now - event.at
    if age < dt.timedelta(days=3):
        return (local.year, local.month, local.day, local.hour)
    if age < dt.timedelta(days=42):
        return (local.year, local.month, local.day)
    year, week, _ = local.isocalendar()
    return (year, week)


def _batches(events: list[_Event]) -> Iterator[list[_Event]]:
    """Split a window so that no oid or refund appears twice in one batch (each state must be
    its own observation)."""
    batch: list[_Event] = []
    seen: set[tuple[str, int]] = set()
    for event in events:
        if event.key in seen:
            yield batch
            batch, seen = [], set()
        batch.append(event)
        seen.add(event.key)
    if batch:
        yield batch


def _history_ingest(shop: Shop, plans: Sequence[OrderPlan], *, now: dt.datetime) -> None:
    orders = [p.order for p in plans]
    for start in range(0, len(orders), _ORDER_BATCH):
        pipeline.ingest_orders(shop=shop, records=orders[start : start + _ORDER_BATCH])
    events = _events(plans, now=now)
    for _, window in groupby(events, key=lambda e: _window(e, now=now)):
        at = now
        events_of_window = list(window)
        # Refund states go in their own batches, after the window's reviews (a refund case then
        # joins its review case), so a request's several states in one window do not split the
        # reviews into many small, slower batches.
        reviewish = [e for e in events_of_window if e.refund is None]
        refund_events = [e for e in events_of_window if e.refund is not None]
        upto: dt.datetime | None = None  # the last ingestion time of the window
        for batch in _batches(reviewish):
            at = min(batch[-1].at + _DETECTION_DELAY, now)
            upto = at
            reviews = [e.review for e in batch if e.review is not None]
            gone = [e.gone for e in batch if e.gone is not None]
            if reviews:
                pipeline.ingest_reviews(shop=shop, records=reviews, source=SOURCE, at=at)
            if gone:
                pipeline.ingest_gone_reviews(shop=shop, records=gone, source=SOURCE, at=at)
        for batch in _batches(refund_events):
            refunds = [e.refund for e in batch if e.refund is not None]
            at = min(batch[-1].at + _DETECTION_DELAY, now)
            upto = at if upto is None else max(upto, at)
            pipeline.ingest_refunds(shop=shop, records=refunds, source=SOURCE, at=at)
        _history_work(shop, upto=upto or now)


_PARCEL_BATCH = 500


def _parcels_ingest(
    shop: Shop, world: World, plans: Sequence[OrderPlan], *, now: dt.datetime
) -> int:
    """Every shipped order's parcel, through the logistics stream's pipeline, observed at the
    end of the history: all but the few still on their way are signed, and a signed parcel opens
    nothing (docs/logistics.md); those on their way show no problem yet (logistics.py) and the
    live stream brings the rest of their trace."""
    records = [p.record for p in (history_parcel(world, plan) for plan in plans) if p is not None]
    for start in range(0, len(records), _PARCEL_BATCH):
        batch = records[start : start + _PARCEL_BATCH]
        pipeline.ingest_logistics(shop=shop, records=batch, source=SOURCE, at=now)
    return len(records)


# How long the demo's agents took over the history's cases; cases younger than this stay open.
_SETTLE_AFTER = dt.timedelta(days=6)


def _history_work(shop: Shop, *, upto: dt.datetime) -> None:
    """The agents' past work on settled cases, at the times it happened, through the services:
    a phone call a few hours after the case opened, then resolved (most) or closed after the buyer
    stopped answering. Without it the history would leave every agent at the routing limit and
    the newest cases unassigned, which no real shop looks like."""
    settled = (
        Case.objects.open()
        .filter(shop=shop, opened_at__lte=upto - _SETTLE_AFTER)
        .select_related("assignee")
        .order_by("id")
    )
    for case in settled:
        called_at = case.opened_at + dt.timedelta(hours=2 + case.pk % 5)
        if case.assignee is not None:
            answered = case.pk % 4 != 0
            contact_log(
                actor=case.assignee,
                case=case,
                channel="phone",
                outcome="talked" if answered else "no_answer",
                note="历史演示数据" if answered else "",
                at=called_at,
            )
            case.refresh_from_db()
        else:
            answered = False
        done_at = case.opened_at + dt.timedelta(days=1 + case.pk % 4)
        if answered:
            case_transition(actor=None, case=case, target=Status.RESOLVING, at=done_at)
            case_transition(
                actor=None,
                case=case,
                target=Status.RESOLVED,
                outcome=Outcome.SOLVED,
                reason="演示数据：已与买家沟通并处理",
                at=done_at + dt.timedelta(hours=1),
            )
        else:
            case_transition(
                actor=None,
                case=case,
                target=Status.CLOSED,
                outcome=Outcome.NO_RESPONSE,
                reason="演示数据：多次联系买家未回应",
                at=case.opened_at + _SETTLE_AFTER,
            )
