"""Which logistics problems a parcel shows now (DOMAIN 售后类型 物流, four sub-types, plus "not
shipped by the promised time"). Pure: the parcel, the shop's thresholds and `now` are passed in,
so the ingestion pipeline and the periodic re-check (logistics.tasks) decide the same way.

- 未按时发货 `late_shipment`: the promised ship-by time (应发货时间) passed before the seller
  shipped. A 未按时发货 refund costs the shop 30% of the order (DOMAIN 退款), so it is found
  before the buyer files one.
- 未发出 `not_shipped`: a waybill (tracking number) but no trace at all `no_trace_hours` after it.
- 未揽收 `not_collected`: handed over (CONSIGN in the trace) but no courier scan
  `collect_hours` after it.
- 已发出但停滞 `stalled`: collected, not signed, and no new event for `stall_hours`; a FAILED or
  LOST event at once.
- 签收未收到 `signed_not_received`: signed, and the buyer says it never arrived.

Offline-shipped parcels (线下发货) report "signed" as soon as they ship (PLATFORM §6.3): their
trace says nothing, so no trace rule applies to them and their "signed" never closes a case. A
parcel known only from a file export (no trace source) gets only the ship-by rule.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum


class Action(StrEnum):
    """`action` of TMC taobao_logistics_LogsticDetailTrace (PLATFORM §5)."""

    CREATE = "CREATE"
    CONSIGN = "CONSIGN"
    GOT = "GOT"
    ARRIVAL = "ARRIVAL"
    DEPARTURE = "DEPARTURE"
    SIGNED = "SIGNED"
    SENT_SCAN = "SENT_SCAN"
    FAILED = "FAILED"
    LOST = "LOST"
    SENT_CITY = "SENT_CITY"
    TO_EMS = "TO_EMS"
    OTHER = "OTHER"


# Events written by the seller's side: they prove nothing about the courier having the parcel.
SELLER_ACTIONS = frozenset({Action.CREATE, Action.CONSIGN})
TROUBLE_ACTIONS = frozenset({Action.FAILED, Action.LOST})


def action_of(text: str) -> Action:
    """The action named by a platform or export value; anything unknown is OTHER."""
    try:
        return Action(text.strip().upper())
    except ValueError:
        return Action.OTHER


class SubType(StrEnum):
    """A logistics case's sub-type; stored as `Case.cause` (the playbooks select on it)."""

    LATE_SHIPMENT = "late_shipment"
    NOT_SHIPPED = "not_shipped"
    NOT_COLLECTED = "not_collected"
    STALLED = "stalled"
    SIGNED_NOT_RECEIVED = "signed_not_received"


SUBTYPE_LABELS: dict[str, str] = {
    SubType.LATE_SHIPMENT: "未按时发货",
    SubType.NOT_SHIPPED: "未发出",
    SubType.NOT_COLLECTED: "未揽收",
    SubType.STALLED: "已发出但停滞",
    SubType.SIGNED_NOT_RECEIVED: "签收未收到",
}
# A parcel the courier says is lost or undeliverable, or a buyer without the goods it says
# they signed for, is serious; the other sub-types are a delay.
HIGH_SEVERITY = frozenset({SubType.SIGNED_NOT_RECEIVED})
# Cases the parcel's SIGNED closes (not 签收未收到: only the agent knows the buyer has it).
CLOSED_BY_SIGNING = frozenset(set(SubType) - {SubType.SIGNED_NOT_RECEIVED})


@dataclass(frozen=True, slots=True)
class Thresholds:
    """Shop settings (logistics.LogisticsPolicy); the defaults are the usual courier rhythm."""

    no_trace_hours: int = 24
    collect_hours: int = 24
    stall_hours: int = 48


@dataclass(frozen=True, slots=True)
class TracePoint:
    at: dt.datetime
    action: Action


@dataclass(frozen=True, slots=True)
class Parcel:
    tracking_no: str = ""
    consigned_at: dt.datetime | None = None  # 发货时间
    ship_by_at: dt.datetime | None = None  # 应发货时间
    offline: bool = False
    trace: Sequence[TracePoint] = ()
    buyer_says_not_received: bool = False
    # False when no source ever reported a trace (a file export has none): an empty trace then
    # means "unknown", not "no scan", and only the ship-by rule applies.
    traced: bool = True


def _sorted(trace: Sequence[TracePoint]) -> list[TracePoint]:
    return sorted(trace, key=lambda p: p.at)


def signed_at(parcel: Parcel) -> dt.datetime | None:
    """When the parcel was signed for, if the trace says so and it can be believed (§6.3)."""
    if parcel.offline:
        return None
    signed = [p.at for p in parcel.trace if p.action is Action.SIGNED]
    return min(signed) if signed else None


def shipped_at(parcel: Parcel) -> dt.datetime | None:
    """发货时间, or the trace's CONSIGN when the source had no shipping time."""
    if parcel.consigned_at is not None:
        return parcel.consigned_at
    consign = [p.at for p in parcel.trace if p.action is Action.CONSIGN]
    return min(consign) if consign else None


def is_delivered(parcel: Parcel) -> bool:
    return signed_at(parcel) is not None


def problems(parcel: Parcel, thresholds: Thresholds, now: dt.datetime) -> frozenset[SubType]:
    """The sub-types the parcel shows at `now` (empty when all is well)."""
    found: set[SubType] = set()
    if parcel.ship_by_at is not None:
        shipped = shipped_at(parcel)
        if (shipped is None and now > parcel.ship_by_at) or (
            shipped is not None and shipped > parcel.ship_by_at
        ):
            found.add(SubType.LATE_SHIPMENT)
    if parcel.offline or not parcel.traced:
        return frozenset(found)
    trace = _sorted(parcel.trace)
    signed = is_delivered(parcel)
    if signed:
        if parcel.buyer_says_not_received:
            found.add(SubType.SIGNED_NOT_RECEIVED)
        return frozenset(found)
    courier = [p for p in trace if p.action not in SELLER_ACTIONS]
    hours = dt.timedelta(hours=1)
    if not courier:
        consign = [p.at for p in trace if p.action is Action.CONSIGN]
        waybill = [p.at for p in trace if p.action is Action.CREATE]
        since = parcel.consigned_at or (min(waybill) if waybill else None)
        if consign:
            if now - min(consign) >= thresholds.collect_hours * hours:
                found.add(SubType.NOT_COLLECTED)
        elif (
            (parcel.tracking_no or waybill)
            and since is not None
            and now - since >= thresholds.no_trace_hours * hours
        ):
            found.add(SubType.NOT_SHIPPED)
        return frozenset(found)
    lost_or_failed = courier[-1].action in TROUBLE_ACTIONS or any(
        p.action is Action.LOST for p in courier
    )
    if lost_or_failed or now - trace[-1].at >= thresholds.stall_hours * hours:
        found.add(SubType.STALLED)
    return frozenset(found)


def next_check_at(parcel: Parcel, thresholds: Thresholds) -> dt.datetime | None:
    """The earliest time a problem not yet shown could appear without a new event: the time a
    periodic re-check should look again. None when no timer can raise anything."""
    if parcel.offline or is_delivered(parcel):
        return None
    if not parcel.traced:
        unshipped = parcel.ship_by_at is not None and shipped_at(parcel) is None
        return parcel.ship_by_at if unshipped else None
    hours = dt.timedelta(hours=1)
    trace = _sorted(parcel.trace)
    candidates: list[dt.datetime] = []
    if parcel.ship_by_at is not None and shipped_at(parcel) is None:
        candidates.append(parcel.ship_by_at)
    courier = [p for p in trace if p.action not in SELLER_ACTIONS]
    if courier:
        candidates.append(trace[-1].at + thresholds.stall_hours * hours)
    else:
        consign = [p.at for p in trace if p.action is Action.CONSIGN]
        waybill = [p.at for p in trace if p.action is Action.CREATE]
        if consign:
            candidates.append(min(consign) + thresholds.collect_hours * hours)
        elif parcel.consigned_at or waybill:
            since = parcel.consigned_at or min(waybill)
            candidates.append(since + thresholds.no_trace_hours * hours)
    return min(candidates) if candidates else None
