"""Deterministic generator of the demo shop's orders and reviews (pure: no database, no clock).

The demo shop is a `World`: a seed, a history (`history_orders` orders over `history_days` days
ending at `anchor`) and a live stream of ticks. History order *i* and live tick *N* are pure
functions of (seed, i) and (seed, N); only timestamps depend on the anchor (history) or on the
tick's time (live), so replays, tests and the connector's cursor all agree.

What it models, and why (DOMAIN.md, PLATFORM.md §9.1):
- orders with 1-5 items (a gift over 199 yuan), repeat buyers, Taobao-style masked nicks;
- created < paid < shipped < ended (交易成功); a review within 15 days of ended_at, or the
  system default 好评 after 15 days; 追评 later; a revision to 好评 or a deletion within 30 days;
- about 88-90% 好评; the rest neutral/bad with one main cause of DOMAIN.md, texts from texts.py;
  a few 好评 with a hidden complaint, a few extortion threats, and one angry buyer who rates every
  item of a 7-item order bad, the gift included (DOMAIN rule 4, seed 004);
- DSR stars on some reviews (one per trade, on its first reviewed item);
- a refund or return request on a few % of orders, consistent with their reviews (refunds.py).
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Mapping
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal

from reviewdesk.platforms.records import OrderItemRecord, OrderRecord, ReviewRecord
from reviewdesk.platforms.simulator import texts
from reviewdesk.platforms.simulator.buyers import buyer_contact, buyer_nick
from reviewdesk.platforms.simulator.calendar import Timeline, history_created_at, timeline
from reviewdesk.platforms.simulator.catalog import CATALOG, GIFT, GIFT_THRESHOLD, Product
from reviewdesk.platforms.simulator.refunds import refund_plan
from reviewdesk.platforms.simulator.world import (
    HISTORY_OID,
    HISTORY_TID,
    OrderPlan,
    ReviewPlan,
    World,
    platform_id,
    rng_for,
)

DAY = dt.timedelta(days=1)

# Share of orders whose buyer is unhappy, among buyers who write a review. Tuned so that about
# 10% of all reviews (defaults included) are neutral/bad: tests/platforms/simulator checks 8-15%.
P_UNHAPPY = 0.25
P_ACTIVE_REVIEWER = 0.68  # the others get the system default 好评 after 15 days (PLATFORM L3)
CAUSE_WEIGHTS: Mapping[str, int] = {
    "quality": 24,
    "not_as_described": 15,
    "size_fit": 12,
    "dislike_style": 9,
    "wrong_or_missing": 9,
    "logistics": 15,
    "service": 8,
    "price": 5,
    "fake_goods": 3,
}
BAD_SHARE: Mapping[str, float] = {  # P(差评 | cause); the rest are 中评
    "quality": 0.55,
    "not_as_described": 0.45,
    "size_fit": 0.35,
    "dislike_style": 0.3,
    "wrong_or_missing": 0.7,
    "logistics": 0.5,
    "service": 0.75,
    "price": 0.35,
    "fake_goods": 0.9,
}
ORDER_LEVEL_CAUSES = frozenset({"logistics", "service"})  # hit every item of the order
ITEM_COUNT_WEIGHTS = ((1, 70), (2, 18), (3, 8), (4, 3), (5, 1))
BESTSELLERS = frozenset({0, 14, 19, 22, 25, 32, 35, 38})


def _buyer_index(rng: random.Random, world: World) -> int:
    """One order in six comes from the shop's loyal buyers; the rest from a large pool, where some
    buyers also come back. About a fifth of buyers end up with more than one order."""
    pool = world.buyer_pool
    if rng.random() < 0.16:
        return rng.randrange(pool // 25)
    return rng.randrange(pool)


# --- orders -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Line:
    product: Product
    oid: int
    color: str
    size: str
    quantity: int
    payment: Decimal

    def record(self, status: str, refund_status: str = "") -> OrderItemRecord:
        sku = f"颜色分类:{self.color}" + (f";尺码:{self.size}" if self.size else "")
        return OrderItemRecord(
            oid=self.oid,
            title=self.product.title,
            num_iid=self.product.num_iid,
            sku=sku,
            quantity=self.quantity,
            price=self.product.price,
            payment=self.payment,
            status=status,
            refund_status=refund_status,
        )


def _money(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _lines(
    rng: random.Random,
    *,
    seed: int,
    tid: int,
    oid_prefix: int,
    x: int,
    products: list[Product],
) -> list[Line]:
    lines = []
    for k, product in enumerate(products):
        oid = tid if len(products) == 1 else platform_id(oid_prefix, seed, x * 16 + k)
        quantity = 2 if product.kind.key in ("socks", "towel") and rng.random() < 0.25 else 1
        discount = Decimal(rng.choice(("1", "1", "0.95", "0.9", "0.85")))
        payment = _money(product.price * quantity * discount)
        size = rng.choice(product.sizes) if product.sizes else ""
        lines.append(Line(product, oid, rng.choice(product.colors), size, quantity, payment))
    return lines


def _pick_products(rng: random.Random, count: int) -> list[Product]:
    weights = [3 if i in BESTSELLERS else 1 for i in range(len(CATALOG))]
    chosen: list[Product] = []
    while len(chosen) < count:
        product = rng.choices(CATALOG, weights=weights)[0]
        if product not in chosen:
            chosen.append(product)
    return chosen


def facts_for(rng: random.Random, line: Line, *, days: int) -> texts.Facts:
    product = line.product
    others = [c for c in product.colors if c != line.color] or ["别的颜色"]
    other_sizes = [s for s in product.sizes if s != line.size]
    return texts.Facts(
        product=product,
        color=line.color,
        size=line.size,
        other_color=rng.choice(others),
        other_size=rng.choice(other_sizes) if other_sizes else "",
        days=max(days, 1),
        hub=rng.choice(texts.HUBS),
        drop=rng.choice((10, 15, 20, 30, 50)),
    )


def _cause(rng: random.Random, lines: list[Line]) -> tuple[str, int]:
    """The unhappy buyer's main cause and the item it is about (size only for wearables)."""
    wearable = [i for i, line in enumerate(lines) if line.product.kind.wearable]
    causes = [c for c in CAUSE_WEIGHTS if c != "size_fit" or wearable]
    cause = rng.choices(causes, weights=[CAUSE_WEIGHTS[c] for c in causes])[0]
    bought = [i for i, line in enumerate(lines) if not line.product.is_gift]
    pool = wearable if cause == "size_fit" else bought
    return cause, rng.choice(pool)


@dataclass(frozen=True, slots=True)
class _Special:
    kind: str  # "angry_all_items" | "threat"
    created_ago: dt.timedelta


def _specials(world: World) -> dict[int, _Special]:
    """Fixed history orders the demo should always show, placed in the last two weeks."""
    h = world.history_orders
    if h < 20:
        return {}
    return {
        h - max(1, h // 60): _Special("angry_all_items", dt.timedelta(days=7, hours=2)),
        h - max(2, h // 25): _Special("threat", dt.timedelta(days=9, hours=5)),
        h - max(3, h // 12): _Special("threat", dt.timedelta(days=13, hours=3)),
    }


def history_order(world: World, index: int) -> OrderPlan:
    """History order `index` (0 = oldest) as it stands at `world.anchor`."""
    if world.anchor is None:
        raise ValueError("a world with history needs an anchor")
    rng = rng_for(world.seed, "order", index)
    special = _specials(world).get(index)
    tid = platform_id(HISTORY_TID, world.seed, index)
    created = (
        world.anchor - special.created_ago if special else history_created_at(world, index, rng)
    )
    plan = build_order(
        rng,
        world,
        index=index,
        tid=tid,
        oid_prefix=HISTORY_OID,
        start=created,
        live=False,
        now=world.anchor,
        special=special,
    )
    return replace(plan, refund=refund_plan(world, plan, live=False))


def history(world: World) -> list[OrderPlan]:
    return [history_order(world, i) for i in range(world.history_orders)]


@dataclass(frozen=True, slots=True)
class _Mood:
    """How the buyer feels about the order: decided before the timeline, which must fit it."""

    active: bool  # writes a review (else the system default 好评 after 15 days)
    cause: str | None  # main cause when unhappy
    cause_item: int
    threat: bool
    angry: bool  # rates every item bad (DOMAIN rule 4)


def _mood(
    rng: random.Random,
    lines: list[Line],
    *,
    live: bool,
    special: _Special | None,
    unhappy: bool | None,
) -> _Mood:
    angry = special is not None and special.kind == "angry_all_items"
    active = live or special is not None or rng.random() < P_ACTIVE_REVIEWER
    if unhappy is None:
        unhappy = special is not None or (active and rng.random() < P_UNHAPPY)
    cause, cause_item = _cause(rng, lines) if unhappy else (None, -1)
    # 003 §2: a few of the unhappy are professional bad reviewers who extort.
    threat = (special is not None and special.kind == "threat") or (
        unhappy and not angry and rng.random() < 0.025
    )
    if threat and cause in ORDER_LEVEL_CAUSES:
        cause = "quality"
    if angry:
        cause = "service"
    return _Mood(active, cause, cause_item, threat, angry)


# Seed 004's story: paid at once, shipped next day, received, rated bad a day and a half later.
_ANGRY_TIMELINE = Timeline(
    pay=dt.timedelta(minutes=2),
    ship=dt.timedelta(hours=20),
    transit=dt.timedelta(days=3.5),
    review=dt.timedelta(days=1.5),
)


def _order_lines(
    rng: random.Random, world: World, *, index: int, tid: int, oid_prefix: int, angry: bool
) -> list[Line]:
    counts, count_weights = zip(*ITEM_COUNT_WEIGHTS, strict=True)
    count = 6 if angry else rng.choices(counts, weights=count_weights)[0]
    products = _pick_products(rng, count)
    lines = _lines(rng, seed=world.seed, tid=tid, oid_prefix=oid_prefix, x=index, products=products)
    subtotal = sum((line.payment for line in lines), Decimal("0"))
    if subtotal >= GIFT_THRESHOLD or angry:
        gift_oid = platform_id(oid_prefix, world.seed, index * 16 + 15)
        if len(lines) == 1:  # the order now has two items: the first one needs its own oid
            lines[0] = replace(lines[0], oid=platform_id(oid_prefix, world.seed, index * 16))
        lines.append(Line(GIFT, gift_oid, GIFT.colors[0], "", 1, Decimal("0.00")))
    return lines


@dataclass(frozen=True, slots=True)
class _Dates:
    status: str
    created: dt.datetime
    paid: dt.datetime | None
    ended: dt.datetime | None
    refund_status: str = ""
    shipped: dt.datetime | None = None  # set when the order has shipped by `now`
    received: dt.datetime | None = None  # when the buyer has it (planned: may be after `now`)


def _dates(
    rng: random.Random,
    steps: Timeline,
    *,
    start: dt.datetime,
    live: bool,
    now: dt.datetime,
    closable: bool,
) -> _Dates:
    """Order dates forward from `start` (history: created) or backward from it (live: rated),
    and the status the order has reached at `now`."""
    if live:
        ended = start - steps.review
        shipped = ended - steps.transit
        paid = shipped - steps.ship
        created = paid - steps.pay
    else:
        created = start
        paid = created + steps.pay
        shipped = paid + steps.ship
        ended = shipped + steps.transit
    closing = rng.random()
    if closable and closing < 0.02:
        return _Dates("TRADE_CLOSED_BY_TAOBAO", created, None, None)  # never paid
    if closable and closing < 0.045:  # refunded before any review
        return _Dates("TRADE_CLOSED", created, paid, min(shipped + DAY, now), "SUCCESS")
    if shipped > now:
        return _Dates("WAIT_SELLER_SEND_GOODS", created, paid, None)
    if ended > now:
        return _Dates("WAIT_BUYER_CONFIRM_GOODS", created, paid, None, "", shipped, ended)
    return _Dates("TRADE_FINISHED", created, paid, ended, "", shipped, ended)


def build_order(
    rng: random.Random,
    world: World,
    *,
    index: int,
    tid: int,
    oid_prefix: int,
    start: dt.datetime,
    live: bool,
    now: dt.datetime,
    special: _Special | None = None,
    unhappy: bool | None = None,
) -> OrderPlan:
    """Build one order either forward from `start` = created_at (history) or backward from
    `start` = rated_at (live: the review arrives now). Every random draw comes from `rng`, in a
    fixed order, so the same arguments give the same order."""
    buyer = _buyer_index(rng, world)
    angry = special is not None and special.kind == "angry_all_items"
    lines = _order_lines(rng, world, index=index, tid=tid, oid_prefix=oid_prefix, angry=angry)
    mood = _mood(rng, lines, live=live, special=special, unhappy=unhappy)
    steps = timeline(rng, cause=mood.cause, negative=mood.cause is not None)
    if mood.angry:
        steps = _ANGRY_TIMELINE
    dates = _dates(rng, steps, start=start, live=live, now=now, closable=not live and not special)
    name, phone, address = buyer_contact(world.seed, buyer)
    order = OrderRecord(
        tid=tid,
        buyer_nick=buyer_nick(world.seed, buyer),
        status=dates.status,
        created_at=dates.created,
        paid_at=dates.paid,
        ended_at=dates.ended,
        payment=sum((line.payment for line in lines), Decimal("0")),
        items=tuple(line.record(dates.status, dates.refund_status) for line in lines),
        receiver_name=name,
        phone=phone,
        address=address,
    )
    reviews: list[ReviewPlan] = []
    if dates.ended is not None and dates.paid is not None and dates.status == "TRADE_FINISHED":
        rated = dates.ended + steps.review
        if mood.active and rated <= now:
            days = round((dates.ended - dates.paid) / DAY)
            horizon = None if live else now
            reviews = _reviews(
                rng,
                lines,
                order,
                mood,
                rated=rated,
                days=days,
                horizon=horizon,
                delay=_delay(steps),
            )
        elif not mood.active and dates.ended + 15 * DAY <= now:
            at = dates.ended + 15 * DAY
            reviews = [
                ReviewPlan(first=_record(order, line, "good", DEFAULT_TEXT, at, is_default=True))
                for line in lines
            ]
    return OrderPlan(
        index,
        buyer,
        order,
        tuple(reviews),
        angry_all_items=mood.angry,
        shipped_at=dates.shipped,
        received_at=dates.received,
    )


DEFAULT_TEXT = texts.DEFAULT_REVIEW_TEXT
# calendar.timeline's longest normal times: beyond them an order was shipped late or sat in transit.
NORMAL_SHIPPING = dt.timedelta(hours=40)
NORMAL_TRANSIT = dt.timedelta(days=4.5)


def _delay(steps: Timeline) -> str:
    """Where a slow order lost its time (texts.Facts.delay), "" when it did not."""
    if steps.ship > NORMAL_SHIPPING:
        return "shipping"
    if steps.transit > NORMAL_TRANSIT:
        return "transit"
    return ""


def _record(
    order: OrderRecord,
    line: Line,
    result: str,
    content: str,
    rated_at: dt.datetime,
    *,
    is_default: bool = False,
    stars: tuple[int, int, int] | None = None,
) -> ReviewRecord:
    desc, service, logistics = stars or (None, None, None)
    return ReviewRecord(
        tid=order.tid,
        oid=line.oid,
        buyer_nick=order.buyer_nick,
        result=result,
        rated_at=rated_at,
        content=content,
        item_title=line.product.title,
        num_iid=line.product.num_iid,
        valid_score=not line.product.is_gift,  # 1 yuan or less does not score (PLATFORM C4)
        is_default=is_default,
        desc_score=desc,
        service_score=service,
        logistics_score=logistics,
    )


def _stars(rng: random.Random, *, cause: str | None, negative: bool) -> tuple[int, int, int]:
    def good() -> int:
        return 5 if rng.random() < 0.88 else 4

    def low() -> int:
        return rng.choice((1, 1, 2, 3))

    desc, service, logistics = good(), good(), good()
    if negative:
        if cause == "logistics":
            logistics = low()
        elif cause == "service":
            service = low()
        else:
            desc = low()
    elif cause == "logistics":  # a 好评 grumbling about the courier
        logistics = rng.choice((3, 4))
    return desc, service, logistics


def _reviews(
    rng: random.Random,
    lines: list[Line],
    order: OrderRecord,
    mood: _Mood,
    *,
    rated: dt.datetime,
    days: int,
    horizon: dt.datetime | None,
    delay: str = "",
) -> list[ReviewPlan]:
    plans: list[ReviewPlan] = []
    with_stars = rng.random() < 0.6
    cause = mood.cause
    for k, line in enumerate(lines):
        facts = replace(facts_for(rng, line, days=days), delay=delay)
        # Items are rated one after another; the last one at `rated`.
        at = rated - dt.timedelta(seconds=(len(lines) - 1 - k) * rng.uniform(5, 40))
        negative = cause is not None and (
            mood.angry
            or k == mood.cause_item
            or (cause in ORDER_LEVEL_CAUSES and not line.product.is_gift and rng.random() < 0.6)
        )
        hidden: str | None = None
        if mood.angry:
            result, content = "bad", texts.angry_item_text(k, facts)
        elif negative and mood.threat:
            result, content = "bad", texts.threat_text(rng, facts, cause=cause or "quality")
        elif negative and cause is not None:
            result = "bad" if rng.random() < BAD_SHARE[cause] else "neutral"
            content = texts.negative_text(rng, facts, cause=cause, result=result)
        elif rng.random() < 0.035:
            result = "good"
            content, hidden = texts.hidden_complaint_text(rng, facts)
        else:
            result, content = "good", texts.good_text(rng, facts)
        stars = None
        if with_stars and not plans:
            stars = _stars(rng, cause=cause if negative else hidden, negative=negative)
        first = _record(order, line, result, content, at, stars=stars)
        fate = _fate(rng, first, facts, mood=mood, horizon=horizon, ended=order.ended_at or at)
        plans.append(
            replace(fate, cause=cause if negative else hidden, hidden_complaint=bool(hidden))
        )
    return plans


def _fate(
    rng: random.Random,
    first: ReviewRecord,
    facts: texts.Facts,
    *,
    mood: _Mood,
    horizon: dt.datetime | None,
    ended: dt.datetime,
) -> ReviewPlan:
    """What happens after the first rating: 追评 (within 180 days of ended_at), a revision to 好评
    or a deletion (within 30 days, once: PLATFORM L5). Events after `horizon` have not happened
    yet; with no horizon (live) every fate is kept and `live_fate` says at which tick it shows."""
    latest = horizon or dt.datetime.max.replace(tzinfo=dt.UTC)
    threat, angry = mood.threat, mood.angry
    negative = first.result != "good"
    followup = revision = None
    revised_at = deleted_at = None
    roll = rng.random()
    fate_days = rng.uniform(1, 20)
    if negative and not (threat or angry):
        if roll < 0.42:
            revised_at = first.rated_at + dt.timedelta(days=fate_days)
        elif roll < 0.49:
            deleted_at = first.rated_at + dt.timedelta(days=fate_days + 3)
    followup_days = rng.uniform(1, 10) if negative else rng.uniform(7, 60)
    wants_followup = rng.random() < (0.3 if negative else 0.07) or (angry and facts.product.is_gift)
    followup_at = first.rated_at + dt.timedelta(days=followup_days)
    if angry:
        followup_at = first.rated_at + dt.timedelta(hours=20)
    if (
        wants_followup
        and followup_at <= min(latest, ended + 180 * DAY)
        and (revised_at is None or followup_at < revised_at)
        and (deleted_at is None or followup_at < deleted_at)
    ):
        content = (
            "到现在还是没有人联系我"
            if angry
            else texts.followup_text(rng, facts, negative=negative)
        )
        followup = replace(first, followup_content=content, followup_at=followup_at)
    if revised_at is not None:
        base = followup or first
        revision = replace(base, result="good", content=texts.revision_text(rng, facts))
    return ReviewPlan(
        first=first,
        threat=threat and negative,
        followup=followup,
        revision=revision if revised_at is not None and revised_at <= latest else None,
        revised_at=revised_at if revised_at is not None and revised_at <= latest else None,
        deleted_at=deleted_at if deleted_at is not None and deleted_at <= latest else None,
    )
