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
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from reviewdesk.platforms.records import ShipmentRecord, TraceRecord
from reviewdesk.platforms.simulator.buyers import buyer_nick
from reviewdesk.platforms.simulator.world import World, platform_id, rng_for

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
