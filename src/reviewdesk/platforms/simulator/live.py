"""The live stream: what the simulated platform shows at each tick of the connector's cursor.

Tick N brings new finished orders whose reviews (and refund requests) arrive at the tick's time,
parcels on their way (simulator.logistics) and, at the first ticks, the rest of the trace of the
history's parcels still on their way when the history ended (and their orders, now 交易成功),
and the changes that fall due at N: 追评, revisions to 好评 and deletions of earlier live reviews
(their `LiveFate`), the later states of earlier refund requests, and now and then a revision by a
buyer from the loaded history.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace

from reviewdesk.platforms.records import (
    OrderRecord,
    RefundRecord,
    ReviewGoneRecord,
    ReviewRecord,
    ShipmentRecord,
)
from reviewdesk.platforms.simulator import texts
from reviewdesk.platforms.simulator.calendar import history_calendar
from reviewdesk.platforms.simulator.catalog import CATALOG, GIFT
from reviewdesk.platforms.simulator.generator import Line, build_order, facts_for, history_order
from reviewdesk.platforms.simulator.logistics import (
    history_confirmed_orders,
    history_rest_records,
    live_parcel_records,
)
from reviewdesk.platforms.simulator.refunds import live_record, live_step_ticks, refund_plan
from reviewdesk.platforms.simulator.world import (
    LIVE_OID,
    LIVE_TID,
    OrderPlan,
    ReviewPlan,
    World,
    platform_id,
    rng_for,
)

ORDERS_PER_TICK_MAX = 4


@dataclass(frozen=True, slots=True)
class TickEvents:
    """Everything the platform shows for live tick `seq`: new orders and reviews, and changes
    (追评, revisions, deletions) to earlier reviews that fall due at this tick."""

    seq: int
    orders: tuple[OrderRecord, ...] = ()
    reviews: tuple[ReviewRecord, ...] = ()
    gone: tuple[ReviewGoneRecord, ...] = ()
    refunds: tuple[RefundRecord, ...] = ()
    shipments: tuple[ShipmentRecord, ...] = ()
    plans: tuple[OrderPlan, ...] = field(default=(), repr=False)


FATE_HORIZON = 40  # a live review's 追评/revision/deletion falls due within this many ticks


def live_tick(world: World, seq: int, at: dt.datetime) -> tuple[OrderPlan, ...]:
    """New orders whose reviews arrive at tick `seq` (time `at`). Every third tick, and about a
    third of the others, brings a neutral/bad review, so a visitor sees cases arrive."""
    rng = rng_for(world.seed, "tick", seq)
    count = rng.choice((1, 1, 1, 2, 2, 3))
    unhappy_slot = 0 if (seq % 3 == 1 or rng.random() < 0.3) else -1
    plans = []
    for j in range(count):
        x = seq * ORDERS_PER_TICK_MAX + j
        order_rng = rng_for(world.seed, "live-order", x)
        rated = at - dt.timedelta(seconds=order_rng.uniform(0, 5) + 10 * j)
        plan = build_order(
            order_rng,
            world,
            index=x,
            tid=platform_id(LIVE_TID, world.seed, x),
            oid_prefix=LIVE_OID,
            start=rated,
            live=True,
            now=at,
            unhappy=j == unhappy_slot or order_rng.random() < 0.08,
        )
        plans.append(replace(plan, refund=refund_plan(world, plan, live=True)))
    return tuple(plans)


@dataclass(frozen=True, slots=True)
class LiveFate:
    followup_tick: int | None
    revise_tick: int | None
    delete_tick: int | None


def live_fate(world: World, seq: int, plan: ReviewPlan) -> LiveFate:
    """When, in ticks, a live review's 追评, revision or deletion shows up."""
    rng = rng_for(world.seed, "fate", plan.first.oid)
    followup = seq + rng.randint(2, 12) if plan.followup is not None else None
    revise = seq + rng.randint(13, FATE_HORIZON) if plan.revision is not None else None
    delete = seq + rng.randint(13, FATE_HORIZON) if plan.deleted_at is not None else None
    return LiveFate(followup, revise, delete)


def _history_revision(world: World, seq: int) -> ReviewRecord | None:
    """Now and then a buyer from the last 30 days of history, satisfied at last, revises."""
    if world.history_orders < 20 or world.anchor is None:
        return None
    rng = rng_for(world.seed, "history-revision", seq)
    if rng.random() >= 0.12:
        return None
    dates, cumulative = history_calendar(world.anchor, world.history_days)
    cut = cumulative[max(len(dates) - 30, 0)] / cumulative[-1]
    low = int(cut * world.history_orders)
    for _ in range(8):
        plan = history_order(world, rng.randrange(low, world.history_orders))
        for review in plan.reviews:
            pending = review.revision is None and review.deleted_at is None
            if review.is_negative() and pending and not review.threat and not plan.angry_all_items:
                facts = facts_for(rng, _line_of(review.first), days=3)
                # The same review gets the same words whichever tick picks it.
                text_rng = rng_for(world.seed, "rev", review.first.oid)
                content = texts.revision_text(text_rng, facts)
                return replace(review.followup or review.first, result="good", content=content)
    return None


def _line_of(record: ReviewRecord) -> Line:
    product = next((p for p in (*CATALOG, GIFT) if p.num_iid == record.num_iid), CATALOG[0])
    return Line(product, record.oid, product.colors[0], "", 1, product.price)


def tick_events(world: World, seq: int, at: dt.datetime) -> TickEvents:
    """All records the platform shows at tick `seq`; pure in (world, seq) except timestamps."""
    plans = live_tick(world, seq, at)
    reviews = [r.first for p in plans for r in p.reviews]
    gone: list[ReviewGoneRecord] = []
    refunds = [p.refund.steps[0].record for p in plans if p.refund is not None]
    for k in range(max(1, seq - FATE_HORIZON), seq):
        for plan in live_tick(world, k, at):
            if plan.refund is not None:
                ticks = live_step_ticks(world, k, plan.refund)
                refunds.extend(
                    live_record(step, at)
                    for step, tick in zip(plan.refund.steps, ticks, strict=True)
                    if tick == seq
                )
            for review in plan.reviews:
                if not review.is_negative():
                    continue
                fate = live_fate(world, k, review)
                if fate.followup_tick == seq and review.followup is not None:
                    reviews.append(review.followup)
                if fate.revise_tick == seq and review.revision is not None:
                    reviews.append(review.revision)
                if fate.delete_tick == seq:
                    gone.append(ReviewGoneRecord(oid=review.first.oid, observed_at=at))
    revised = _history_revision(world, seq)
    if revised is not None:
        reviews.append(revised)
    return TickEvents(
        seq=seq,
        orders=(*(p.order for p in plans), *history_confirmed_orders(world, seq, at)),
        reviews=tuple(reviews),
        gone=tuple(gone),
        refunds=tuple(refunds),
        shipments=(
            *live_parcel_records(world, seq, at, horizon=FATE_HORIZON),
            *history_rest_records(world, seq, at),
        ),
        plans=plans,
    )
