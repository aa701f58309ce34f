"""Parcels of the simulated shop on their way (DOMAIN 售后类型 物流; PLATFORM §5 trace message).

Each live tick ships about one parcel (an order paid in the last days, its own tid space). Most
travel normally: consigned, collected, through two hubs, out for delivery, signed a few ticks
later. A realistic minority goes wrong, so the demo's queue shows every logistics sub-type
(`FATES`): the trace stops at a hub for days, nobody scans a consigned parcel, a waybill is
printed but nothing ships, the promised ship-by time passes, the courier loses or fails to
deliver it. Some of those recover a few ticks later (signed: their cases close by themselves).
Offline shipments (线下发货) show "signed" at once and prove nothing (§6.3).

Pure in (world, tick): every draw comes from the parcel's own stream (`rng_for(seed,
"parcel", tick)`), so adding parcels changed no order, review or refund of the demo. Step 0 is
shown at the parcel's tick with back-dated events; later steps at later ticks carry only their
new events (a trace record's events are a union, never a replacement).

The history's orders have their parcels too (`history_parcel`, below): each shipped order's
trace, on the order's own tid, built on the generator's times and loaded by `demo load`.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, replace
from functools import lru_cache

from reviewdesk.platforms.records import OrderRecord, ShipmentRecord, TraceRecord
from reviewdesk.platforms.simulator import texts
from reviewdesk.platforms.simulator.buyers import buyer_nick
from reviewdesk.platforms.simulator.generator import NORMAL_TRANSIT, history_order
from reviewdesk.platforms.simulator.world import OrderPlan, World, platform_id, rng_for

PARCEL_TID = 3047  # its own id space: never a history or live order's tid
P_PARCEL = 0.6  # a parcel ships at this share of ticks
H = dt.timedelta(hours=1)
# fate -> weight (per 100 parcels). About 1 in 5 goes wrong: slow or stalled parcels are the
# common complaint around promotions (DOMAIN 爆仓), lost ones rare.
FATES: dict[str, int] = {
    "normal": 78,
    "stalled": 8,
    "not_collected": 4,
    "not_shipped": 3,
    "late": 3,
    "lost": 1,
    "failed": 1,
    "offline": 2,
}
PROBLEM_FATES = frozenset({"stalled", "not_collected", "not_shipped", "late", "lost", "failed"})
P_RECOVER = 0.5  # a stalled, uncollected or late parcel that moves again later
_CARRIERS = (
    ("中通快递", "7", 14),
    ("圆通速递", "YT", 13),
    ("韵达快递", "43", 13),
    ("申通快递", "77", 13),
    ("顺丰速运", "SF", 13),
    ("极兔速递", "JT", 13),
)
_HUBS = (
    "杭州转运中心",
    "金华分拨中心",
    "上海转运中心",
    "广州白云分拨中心",
    "武汉转运中心",
    "成都转运中心",
)
_CITIES = ("杭州市", "南京市", "广州市", "上海市", "北京市", "成都市", "武汉市", "济南市")


@dataclass(frozen=True, slots=True)
class ParcelStep:
    """What the platform shows of the parcel at `tick`: its events and (once) its fields."""

    tick: int
    record: ShipmentRecord


@dataclass(frozen=True, slots=True)
class ParcelPlan:
    tid: int
    fate: str
    steps: tuple[ParcelStep, ...]


def _ev(at: dt.datetime, action: str, description: str) -> TraceRecord:
    return TraceRecord(at=at, action=action, description=description)


def parcel_plan(  # noqa: PLR0911 - one return per fate reads best
    world: World, seq: int, at: dt.datetime
) -> ParcelPlan | None:
    """The parcel shipped at live tick `seq` (time `at`), if one ships then."""
    rng = rng_for(world.seed, "parcel", seq)
    if rng.random() >= P_PARCEL:
        return None
    fate = rng.choices(list(FATES), weights=list(FATES.values()))[0]
    tid = platform_id(PARCEL_TID, world.seed, seq)
    carrier, prefix, digits = rng.choice(_CARRIERS)
    tracking = prefix + "".join(str(rng.randrange(10)) for _ in range(digits - len(prefix)))
    nick = buyer_nick(world.seed, rng.randrange(world.buyer_pool))
    base = ShipmentRecord(tid=tid, buyer_nick=nick, carrier=carrier, tracking_no=tracking)
    hub_a, hub_b = rng.sample(_HUBS, 2)
    city = rng.choice(_CITIES)
    later = seq + rng.randint(3, 15)
    steps: list[ParcelStep] = []

    def step(tick: int, **fields: object) -> None:
        steps.append(ParcelStep(tick, _replace(base, **fields)))

    if fate == "late":
        # Paid 3 days ago, promised within 48 h: the promise passed hours ago, nothing shipped.
        step(seq, tracking_no="", carrier="", ship_by_at=at - H * rng.uniform(2, 20))
        if rng.random() < P_RECOVER:
            step(later, consigned_at=at, trace=(_ev(at, "CONSIGN", "卖家已发货"),))
        return ParcelPlan(tid, fate, tuple(steps))
    ship_by = at + H * rng.uniform(6, 30)
    if fate == "not_shipped":
        printed = at - H * rng.uniform(26, 40)
        step(seq, ship_by_at=ship_by, trace=(_ev(printed, "CREATE", "物流订单已创建，等待揽收"),))
        return ParcelPlan(tid, fate, tuple(steps))
    if fate == "offline":
        consigned = at - H * rng.uniform(1, 10)
        step(
            seq,
            consigned_at=consigned,
            ship_by_at=ship_by,
            offline=True,
            trace=(_ev(consigned, "SIGNED", "线下发货，对方已签收"),),
        )
        return ParcelPlan(tid, fate, tuple(steps))
    consigned = at - H * (rng.uniform(26, 40) if fate == "not_collected" else rng.uniform(60, 80))
    events = [_ev(consigned, "CONSIGN", f"卖家已发货，{carrier}")]
    if fate == "not_collected":
        step(seq, consigned_at=consigned, ship_by_at=ship_by, trace=tuple(events))
        if rng.random() < P_RECOVER:
            step(later, trace=(_ev(at, "GOT", f"【{city}】{carrier} 已揽收"),))
        return ParcelPlan(tid, fate, tuple(steps))
    got = consigned + H * rng.uniform(1, 6)
    events += [
        _ev(got, "GOT", f"{carrier} 已揽收"),
        _ev(got + H * rng.uniform(2, 6), "ARRIVAL", f"快件已到达【{hub_a}】"),
        _ev(
            got + H * rng.uniform(7, 10), "DEPARTURE", f"快件已从【{hub_a}】发出，下一站【{hub_b}】"
        ),
    ]
    if fate == "normal":
        # A normal parcel shows its latest scans a few hours old; delivered at a later tick.
        events = [_ev(at - (events[-1].at - e.at) - H, e.action, e.description) for e in events]
        step(seq, consigned_at=events[0].at, ship_by_at=ship_by, trace=tuple(events))
        step(later, trace=_delivery(at, city, hub_b))
        return ParcelPlan(tid, fate, tuple(steps))
    if fate in ("lost", "failed"):
        action, text = (
            ("LOST", f"快件在【{hub_b}】遗失，已登记理赔")
            if fate == "lost"
            else ("FAILED", "收件人电话无人接听，派送失败")
        )
        events.append(_ev(at - H * rng.uniform(1, 4), action, text))
    step(seq, consigned_at=consigned, ship_by_at=ship_by, trace=tuple(events))
    if fate in ("stalled", "failed") and rng.random() < P_RECOVER:
        step(later, trace=_delivery(at, city, hub_b))
    return ParcelPlan(tid, fate, tuple(steps))


def _delivery(at: dt.datetime, city: str, hub: str) -> tuple[TraceRecord, ...]:
    # Relative to the tick's own time when shown (shifted in `live_parcel_records`).
    return (
        _ev(at - 40 * dt.timedelta(minutes=1), "SENT_CITY", f"快件已到达【{city}】"),
        _ev(at - 20 * dt.timedelta(minutes=1), "SENT_SCAN", f"【{city}】快递员正在派件"),
        _ev(at, "SIGNED", "已签收，签收人：本人"),
    )


def _replace(base: ShipmentRecord, **fields: object) -> ShipmentRecord:
    return replace(base, **fields)  # type: ignore[arg-type]


def live_parcel_records(
    world: World, seq: int, at: dt.datetime, *, horizon: int
) -> tuple[ShipmentRecord, ...]:
    """Everything the logistics stream shows at tick `seq`: new parcels and later steps of the
    parcels shipped in the last `horizon` ticks. Plans are drawn with this tick's `at`, so a
    later step's events are timed at the tick that shows them."""
    records: list[ShipmentRecord] = []
    for k in range(max(1, seq - horizon), seq + 1):
        plan = parcel_plan(world, k, at)
        if plan is None:
            continue
        for parcel_step in plan.steps:
            if parcel_step.tick == seq:
                records.append(parcel_step.record)
    return tuple(records)


# --- the history's parcels ----------------------------------------------------------------------
#
# Every history order that shipped has its parcel, on the order's own tid (the live parcels keep
# PARCEL_TID): consigned at the order's shipped time, collected, through two hubs, out for
# delivery and signed shortly before the buyer confirmed receipt (交易成功). The generator's times
# are the truth; the trace only shows them: a parcel whose transit took longer than a normal one
# (a logistics complaint's, calendar.timeline) sat at a hub for days; one shipped late was
# consigned late. A review saying where it was signed (a locker, a station, someone else) gets
# that signature, and a review naming the hub it was stuck at gets that hub.
#
# History parcels carry no 应发货时间: the ship-by rule judges the promise, not the delivery, and
# would otherwise open 未按时发货 cases for the late-shipped parcels of months ago. A parcel
# still on its way when the history ends shows its trace up to then (never 40 h quiet: see
# `_quiet_until`), and the first live tick brings the rest (`history_rest_records`).

_ORIGIN = "金华市"  # where the shop ships from
WAIT_CONFIRM, FINISHED = "WAIT_BUYER_CONFIRM_GOODS", "TRADE_FINISHED"
_SIGNATURES = (
    ("已签收，签收人：本人", 60),
    ("已签收，签收人：家人", 12),
    ("已签收，签收人：前台", 6),
    ("快件已放入【丰巢智能柜】，凭取件码取件，已签收", 12),
    ("快件已由【菜鸟驿站】代收，已签收", 10),
)
_COMPLAINED_SIGNATURES = {
    "station": ("快件已由【{city}菜鸟驿站】代收，签收人：本人",),
    "signed_by_other": ("已签收，签收人：门卫代签", "已签收，签收人：邻居代签"),
    "not_received": (
        "已签收，签收人：快递柜",
        "已签收，签收人：门卫代签",
        "已签收，签收人：家门口",
    ),
}
_QUIET_NOTE = "快件在【{hub}】滞留，预计延误1-2天，请耐心等待"
HISTORY_REST_TICK = 1  # the live tick that brings the rest of their trace


@dataclass(frozen=True, slots=True)
class HistoryParcel:
    """A history order's parcel: `record` is what the platform shows at the history's end (the
    whole trace when signed by then); `rest` the events still to come (the live stream's)."""

    tid: int
    record: ShipmentRecord
    rest: tuple[TraceRecord, ...] = ()
    complaint: frozenset[str] = frozenset()
    order: OrderRecord | None = None  # the order as it stands at the history's end
    confirmed_at: dt.datetime | None = None  # when its buyer confirms receipt (交易成功)


def _complaint(plan: OrderPlan) -> texts.LogisticsComplaint:
    kinds: set[str] = set()
    hub = ""
    for review in plan.reviews:
        if review.cause != "logistics":
            continue
        said = texts.logistics_complaint(review.first.content)
        kinds |= said.kinds
        hub = hub or said.hub
    return texts.LogisticsComplaint(frozenset(kinds), hub)


def _signature(rng: random.Random, kinds: frozenset[str], city: str) -> str:
    for kind, options in _COMPLAINED_SIGNATURES.items():
        if kind in kinds:
            return rng.choice(options).format(city=city.removesuffix("市"))
    return rng.choices(_SIGNATURES, weights=[w for _, w in _SIGNATURES])[0][0]


def history_parcel(world: World, plan: OrderPlan) -> HistoryParcel | None:
    """The parcel of history order `plan`, if it shipped (pure in (world, plan): its own stream
    `rng_for(seed, "history-parcel", tid)`, so it changes no order, review or refund)."""
    shipped, received = plan.shipped_at, plan.received_at
    if shipped is None or received is None or world.anchor is None:
        return None
    rng = rng_for(world.seed, "history-parcel", plan.order.tid)
    carrier, prefix, digits = rng.choice(_CARRIERS)
    tracking = prefix + "".join(str(rng.randrange(10)) for _ in range(digits - len(prefix)))
    hub_a, hub_b = rng.sample(_HUBS, 2)
    city = rng.choice(_CITIES)
    said = _complaint(plan)
    transit = received - shipped
    stalled = transit > NORMAL_TRANSIT
    if said.hub and stalled:
        hub_b = f"{said.hub}转运中心"  # the hub the buyer names ("包裹在义乌转运中心卡了…")
        hub_a = next(h for h in (hub_a, *_HUBS) if h != hub_b)
    # Signed a little before the buyer confirmed (the same day for an unhappy buyer).
    confirm = H * rng.uniform(0.5, 12 if stalled else 20)
    signed = received - min(confirm, transit * 0.2)
    got = shipped + min(H * rng.uniform(1, 8), (signed - shipped) * 0.1)
    out = signed - min(H * rng.uniform(0.5, 4), (signed - got) * 0.05)
    arrived = out - min(H * rng.uniform(2, 10), (signed - got) * 0.1)
    # Four hub legs between the collection and the arrival in the buyer's city; a slow parcel
    # spends its extra days at the second hub, with no scan (what its buyer complains about).
    span = arrived - got
    stall = dt.timedelta(0)
    if stalled:
        stall = span - min(dt.timedelta(days=rng.uniform(1, 2)), span - dt.timedelta(days=2.5))
    weights = [rng.uniform(0.8, 1.2) for _ in range(5)]
    legs = [(span - stall) * (w / sum(weights)) for w in weights]
    legs[3] += stall
    times = [got]
    for leg in legs:
        times.append(times[-1] + leg)
    events = (
        _ev(shipped, "CONSIGN", f"卖家已发货，{carrier}"),
        _ev(got, "GOT", f"【{_ORIGIN}】{carrier} 已揽收"),
        _ev(times[1], "ARRIVAL", f"快件已到达【{hub_a}】"),
        _ev(times[2], "DEPARTURE", f"快件已从【{hub_a}】发出，下一站【{hub_b}】"),
        _ev(times[3], "ARRIVAL", f"快件已到达【{hub_b}】"),
        _ev(times[4], "DEPARTURE", f"快件已从【{hub_b}】发出，下一站【{city}】"),
        _ev(arrived, "SENT_CITY", f"快件已到达【{city}】"),
        _ev(out, "SENT_SCAN", f"【{city}】快递员正在派件"),
        _ev(signed, "SIGNED", _signature(rng, said.kinds, city)),
    )
    shown = tuple(e for e in events if e.at <= world.anchor)
    rest = tuple(e for e in events if e.at > world.anchor)
    if rest:
        shown = _quiet_until(rng, shown, world.anchor, hub_b)
    record = ShipmentRecord(
        tid=plan.order.tid,
        buyer_nick=plan.order.buyer_nick,
        carrier=carrier,
        tracking_no=tracking,
        consigned_at=shipped,
        trace=shown,
    )
    return HistoryParcel(plan.order.tid, record, rest, said.kinds, plan.order, received)


def _quiet_until(
    rng: random.Random, shown: tuple[TraceRecord, ...], anchor: dt.datetime, hub: str
) -> tuple[TraceRecord, ...]:
    """A parcel still on its way at the history's end, sitting at a hub for days, shows the
    courier's delay notice: its trace is never 40 h quiet at the end (the stall rule fires at
    48 h), so loading the demo opens no case for a parcel that is only slow."""
    last = shown[-1].at
    if anchor - last < 40 * H:
        return shown
    note = _ev(anchor - H * rng.uniform(1, 12), "OTHER", _QUIET_NOTE.format(hub=hub))
    return (*shown, note)


@lru_cache(maxsize=4)
def _recent_history_parcels(world: World) -> tuple[HistoryParcel, ...]:
    """The parcels of the history's last 25 days: only those can still be on their way, or
    await their buyer's confirmation, at the anchor (an order is delivered within 20 days of
    creation)."""
    if world.anchor is None or world.history_orders == 0:
        return ()
    found: list[HistoryParcel] = []
    oldest = world.anchor - dt.timedelta(days=25)
    for index in range(world.history_orders - 1, -1, -1):
        plan = history_order(world, index)
        if plan.order.created_at is not None and plan.order.created_at < oldest:
            break
        parcel = history_parcel(world, plan)
        if parcel is not None:
            found.append(parcel)
    return tuple(found)


@lru_cache(maxsize=4)
def history_in_transit(world: World) -> tuple[HistoryParcel, ...]:
    """History parcels still on their way at the anchor, by planned signing time."""
    found = [p for p in _recent_history_parcels(world) if p.rest]
    found.sort(key=lambda p: (p.rest[-1].at, p.tid))
    return tuple(found)


def history_rest_records(world: World, seq: int, at: dt.datetime) -> tuple[ShipmentRecord, ...]:
    """The rest of the trace of the history's parcels still on their way, all at the first live
    tick: the periodic stall check (every 10 minutes) then never finds one quiet for 48 h, even
    when `serve` starts days after `demo load`. An event keeps its planned time when that has
    passed, else it is squeezed between the parcel's last shown event and the tick's time (the
    demo's ticks stand for hours)."""
    if world.anchor is None or seq != HISTORY_REST_TICK:
        return ()
    return tuple(_rest_record(parcel, at) for parcel in history_in_transit(world))


def history_confirmed_orders(world: World, seq: int, at: dt.datetime) -> tuple[OrderRecord, ...]:
    """History orders still 待收货 at the anchor (parcel on its way, or signed but not yet
    confirmed), finished (交易成功) at the tick that brings the rest of the traces: each buyer
    confirms receipt at the planned time when it has passed, else at the tick's time, never
    before the signature. Without them the orders would stay 待收货 for ever."""
    if world.anchor is None or seq != HISTORY_REST_TICK:
        return ()
    out = []
    for parcel in _recent_history_parcels(world):
        order = parcel.order
        if order is None or order.status != WAIT_CONFIRM or parcel.confirmed_at is None:
            continue
        # signed by the anchor (the buyer had not confirmed yet), or at this tick
        signed = (_rest_record(parcel, at) if parcel.rest else parcel.record).trace[-1].at
        ended = max(signed, min(parcel.confirmed_at, at))
        items = tuple(
            replace(i, status=FINISHED) if i.status == WAIT_CONFIRM else i for i in order.items
        )
        out.append(replace(order, status=FINISHED, ended_at=ended, items=items))
    return tuple(out)


def _rest_record(parcel: HistoryParcel, at: dt.datetime) -> ShipmentRecord:
    n = len(parcel.rest)
    start = parcel.record.trace[-1].at  # the last event shown at the history's end
    end = max(at, start + dt.timedelta(minutes=n))
    events = tuple(
        _ev(min(e.at, start + (end - start) * (j + 1) / n), e.action, e.description)
        for j, e in enumerate(parcel.rest)
    )
    base = parcel.record
    return ShipmentRecord(tid=base.tid, buyer_nick=base.buyer_nick, trace=events)
