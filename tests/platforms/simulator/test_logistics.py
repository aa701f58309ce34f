"""The simulated shop's parcels (platforms/simulator/logistics.py): a realistic minority goes
wrong, every sub-type shows up, and the stream is pure in (world, tick)."""

from __future__ import annotations

import datetime as dt
import itertools
from collections import Counter
from dataclasses import replace
from functools import lru_cache

import pytest

from reviewdesk.cases.models import Case
from reviewdesk.logistics.models import Shipment
from reviewdesk.logistics.rules import (
    Action,
    Parcel,
    Thresholds,
    TracePoint,
    action_of,
    problems,
)
from reviewdesk.platforms import sync
from reviewdesk.platforms.records import ShipmentRecord, TraceRecord
from reviewdesk.platforms.simulator.generator import history
from reviewdesk.platforms.simulator.live import FATE_HORIZON, tick_events
from reviewdesk.platforms.simulator.logistics import (
    PARCEL_TID,
    PROBLEM_FATES,
    HistoryParcel,
    ParcelPlan,
    history_confirmed_orders,
    history_in_transit,
    history_parcel,
    history_rest_records,
    live_parcel_records,
    parcel_plan,
)
from reviewdesk.platforms.simulator.texts import HUBS
from reviewdesk.platforms.simulator.world import HISTORY_TID, OrderPlan, World
from reviewdesk.shops.models import ShopConnection
from tests.conftest import World as Fixtures

AT = dt.datetime(2026, 11, 20, 12, 0, tzinfo=dt.UTC)
WORLD = World(seed=11)


def _plans(n: int = 2000) -> list[ParcelPlan]:
    return [p for p in (parcel_plan(WORLD, seq, AT) for seq in range(1, n + 1)) if p is not None]


def test_about_one_parcel_in_five_goes_wrong() -> None:
    plans = _plans()
    fates = Counter(p.fate for p in plans)
    share = sum(fates[f] for f in PROBLEM_FATES) / len(plans)

    assert 1000 < len(plans) < 1400  # a parcel at ~60% of the ticks
    assert 0.15 < share < 0.27
    assert set(fates) == {
        "normal",
        "stalled",
        "not_collected",
        "not_shipped",
        "late",
        "lost",
        "failed",
        "offline",
    }


def test_the_first_sight_of_each_fate_shows_its_problem_at_once() -> None:
    expected = {
        "normal": set(),
        "offline": set(),
        "stalled": {"stalled"},
        "lost": {"stalled"},
        "failed": {"stalled"},
        "not_collected": {"not_collected"},
        "not_shipped": {"not_shipped"},
        "late": {"late_shipment"},
    }
    for plan in _plans(400):
        first = plan.steps[0].record
        parcel = Parcel(
            tracking_no=first.tracking_no,
            consigned_at=first.consigned_at,
            ship_by_at=first.ship_by_at,
            offline=bool(first.offline),
            trace=tuple(TracePoint(t.at, action_of(t.action)) for t in first.trace),
        )
        found = {s.value for s in problems(parcel, Thresholds(), AT)}
        assert found == expected[plan.fate], plan


def test_later_steps_fall_within_the_horizon_and_normal_parcels_get_signed() -> None:
    for plan in _plans(400):
        ticks = [s.tick for s in plan.steps]
        assert ticks == sorted(ticks)
        assert ticks[-1] - ticks[0] <= FATE_HORIZON
        if plan.fate == "normal":
            last = plan.steps[-1].record.trace
            assert last[-1].action == Action.SIGNED


def test_the_stream_is_pure_in_world_and_tick() -> None:
    first = live_parcel_records(WORLD, 30, AT, horizon=FATE_HORIZON)
    again = live_parcel_records(WORLD, 30, AT, horizon=FATE_HORIZON)
    other = live_parcel_records(World(seed=12), 30, AT, horizon=FATE_HORIZON)

    assert first == again
    assert first != other


@pytest.mark.postgres
def test_the_demo_shop_shows_logistics_cases_that_close_when_parcels_arrive(
    world: Fixtures,
) -> None:
    connection = sync.connection_create(
        shop=world.shop_a, connector="simulator", options=World(seed=28).options()
    )
    reports = [sync.connection_sync(connection_id=connection.pk) for _ in range(12)]

    logistics = Case.objects.filter(shop=world.shop_a, kind="logistics")
    assert sum(r.shipments for r in reports) >= Shipment.objects.filter(shop=world.shop_a).count()
    assert Shipment.objects.filter(shop=world.shop_a).count() > 5
    # seed 28: parcels stalled at ticks 1 and 8 move again at ticks 4 and 11; late at tick 5.
    assert sorted(logistics.values_list("cause", flat=True)) == [
        "late_shipment",
        "stalled",
        "stalled",
    ]
    assert logistics.filter(status="closed", outcome="solved").count() == 2
    assert ShopConnection.objects.get(pk=connection.pk).cursors["logistics"] == "12"


# --- the history's parcels ----------------------------------------------------------------------

ANCHOR = dt.datetime(2026, 11, 20, 2, 15, tzinfo=dt.UTC)
HISTORY = World(seed=20261111, history_orders=1500, history_days=200, anchor=ANCHOR)
H = dt.timedelta(hours=1)
SHIPPED = ("WAIT_BUYER_CONFIRM_GOODS", "TRADE_FINISHED")


@lru_cache(maxsize=1)
def _history() -> tuple[tuple[OrderPlan, HistoryParcel | None], ...]:
    return tuple((plan, history_parcel(HISTORY, plan)) for plan in history(HISTORY))


def _parcels() -> list[tuple[OrderPlan, HistoryParcel]]:
    return [(plan, parcel) for plan, parcel in _history() if parcel is not None]


def _parcel(record: ShipmentRecord) -> Parcel:
    return Parcel(
        tracking_no=record.tracking_no,
        consigned_at=record.consigned_at,
        ship_by_at=record.ship_by_at,
        offline=bool(record.offline),
        trace=tuple(TracePoint(t.at, action_of(t.action)) for t in record.trace),
    )


def _longest_quiet(trace: tuple[TraceRecord, ...]) -> dt.timedelta:
    courier = [t.at for t in trace if t.action not in ("CREATE", "CONSIGN")]
    return max(b - a for a, b in itertools.pairwise(courier))


def _complained(plan: OrderPlan) -> bool:
    return any(r.cause == "logistics" and r.is_negative() for r in plan.reviews)


def test_every_shipped_history_order_has_one_parcel_on_its_own_tid() -> None:
    for plan, parcel in _history():
        assert (parcel is not None) == (plan.order.status in SHIPPED), plan.order.status
        if parcel is None:
            continue
        assert parcel.tid == parcel.record.tid == plan.order.tid
        assert parcel.record.buyer_nick == plan.order.buyer_nick
        assert parcel.record.carrier
        assert parcel.record.tracking_no
        assert parcel.record.ship_by_at is None  # no ship-by rule on months-old parcels
    tids = [parcel.tid for _, parcel in _parcels()]
    assert len(tids) == len(set(tids)) > 1300
    # The live parcels keep their own id space.
    assert {tid // 10**12 for tid in tids} == {HISTORY_TID} != {PARCEL_TID}


def test_the_trace_is_ordered_and_fits_the_order_times() -> None:
    for plan, parcel in _parcels():
        trace = (*parcel.record.trace, *parcel.rest)
        times = [t.at for t in trace]
        assert times == sorted(times)
        actions = [t.action for t in trace]
        assert actions[:2] == ["CONSIGN", "GOT"]
        assert {"ARRIVAL", "DEPARTURE", "SENT_CITY", "SENT_SCAN"} <= set(actions)
        assert actions[-1] == "SIGNED"
        assert plan.order.paid_at is not None
        assert parcel.record.consigned_at == plan.shipped_at == times[0] > plan.order.paid_at
        assert all(t.at <= ANCHOR for t in parcel.record.trace)
        assert all(t.at > ANCHOR for t in parcel.rest)
        if plan.order.status == "TRADE_FINISHED":
            # Signed the day the buyer confirmed receipt (交易成功), or hours before.
            assert not parcel.rest
            assert plan.order.ended_at is not None
            assert plan.order.ended_at - 20 * H <= times[-1] <= plan.order.ended_at


def test_logistics_complaints_come_with_a_parcel_that_really_was_slow() -> None:
    complained = [(plan, parcel) for plan, parcel in _parcels() if _complained(plan)]
    assert len(complained) > 20
    for plan, parcel in complained:
        trace = parcel.record.trace
        assert plan.order.paid_at is not None
        shipped_late = trace[0].at - plan.order.paid_at > 40 * H
        stalled = _longest_quiet(trace) > 48 * H
        assert shipped_late or stalled
        # ... and what its review says happened is what the trace shows.
        assert ("shipped_late" in parcel.complaint) <= shipped_late
        assert ("stalled" in parcel.complaint) <= stalled
        hubs = {r.first.content for r in plan.reviews if r.cause == "logistics"}
        named = [h for h in HUBS if any(f"在{h}" in c for c in hubs)]
        if stalled and named:
            assert any(f"【{named[0]}转运中心】" in t.description for t in trace)
    # A satisfied buyer's parcel moved at the usual pace.
    for plan, parcel in _parcels():
        reviewed = plan.order.status == "TRADE_FINISHED" and plan.reviews
        if reviewed and not any(r.cause for r in plan.reviews):
            assert plan.order.paid_at is not None
            assert parcel.record.trace[0].at - plan.order.paid_at <= 40 * H
            assert _longest_quiet(parcel.record.trace) < 40 * H


def test_signed_but_not_received_complaints_show_where_it_was_signed() -> None:
    elsewhere = {"not_received", "station", "signed_by_other"}
    shown = [
        (parcel.complaint, parcel.record.trace[-1])
        for plan, parcel in _parcels()
        if _complained(plan) and parcel.complaint & elsewhere
    ]
    assert len(shown) >= 5
    for _, signed in shown:
        assert signed.action == "SIGNED"
        assert any(w in signed.description for w in ("代签", "快递柜", "驿站", "家门口"))


def test_no_history_parcel_shows_a_problem_when_the_history_ends() -> None:
    for _, parcel in _parcels():
        assert problems(_parcel(parcel.record), Thresholds(), ANCHOR) == frozenset()
    on_the_way = [p for _, p in _parcels() if p.rest]
    assert set(on_the_way) == set(history_in_transit(HISTORY))
    assert len(on_the_way) > 10
    # Nothing can open within 8 hours after the end, and the first live tick brings the rest.
    for parcel in on_the_way:
        assert problems(_parcel(parcel.record), Thresholds(), ANCHOR + 8 * H) == frozenset()


def test_the_first_live_tick_brings_the_rest_of_their_trace() -> None:
    at = ANCHOR + dt.timedelta(minutes=3)
    records = {r.tid: r for r in history_rest_records(HISTORY, 1, at)}
    assert history_rest_records(HISTORY, 2, at) == ()
    assert set(records) == {p.tid for p in history_in_transit(HISTORY)}
    tick = tick_events(HISTORY, 1, at)
    assert set(records) <= {r.tid for r in tick.shipments}
    for parcel in history_in_transit(HISTORY):
        rest = records[parcel.tid].trace
        times = [t.at for t in rest]
        assert times == sorted(times)
        assert parcel.record.trace[-1].at < times[0]
        assert times[-1] <= at
        assert [t.action for t in rest] == [t.action for t in parcel.rest]
        signed = _parcel(replace(parcel.record, trace=(*parcel.record.trace, *rest)))
        assert problems(signed, Thresholds(), at + 30 * 24 * H) == frozenset()


def test_the_tick_that_signs_them_finishes_their_orders() -> None:
    at = ANCHOR + dt.timedelta(minutes=3)
    finished = {o.tid: o for o in history_confirmed_orders(HISTORY, 1, at)}
    assert history_confirmed_orders(HISTORY, 2, at) == ()
    waiting = {
        plan.order.tid: parcel
        for plan, parcel in _parcels()
        if plan.order.status == "WAIT_BUYER_CONFIRM_GOODS"
    }
    assert set(finished) == set(waiting)
    # on their way, and signed before the end but not yet confirmed
    assert {p.tid for p in history_in_transit(HISTORY)} < set(waiting)
    assert len(waiting) > 10
    assert set(finished) <= {o.tid for o in tick_events(HISTORY, 1, at).orders}
    signed = {p.tid: p.record.trace[-1].at for p in waiting.values()}
    signed |= {r.tid: r.trace[-1].at for r in history_rest_records(HISTORY, 1, at)}
    for tid, parcel in waiting.items():
        order = finished[tid]
        assert order.status == "TRADE_FINISHED"
        assert order.ended_at is not None
        assert signed[tid] <= order.ended_at <= at
        assert order.ended_at > ANCHOR
        assert {i.status for i in order.items} <= {"TRADE_FINISHED", "TRADE_CLOSED"}
        before = parcel.order
        assert before is not None
        assert replace(order, status="", ended_at=None, items=()) == replace(
            before, status="", ended_at=None, items=()
        )  # nothing else changes


def test_history_parcels_are_pure_in_world_and_order() -> None:
    again = [history_parcel(HISTORY, plan) for plan in history(HISTORY)]
    assert again == [parcel for _, parcel in _history()]
    other = World(seed=7, history_orders=1500, history_days=200, anchor=ANCHOR)
    plan = next(p for p in history(other) if p.order.status == "TRADE_FINISHED")
    mine = next(p for p, parcel in _history() if parcel is not None)
    assert history_parcel(other, plan) != history_parcel(HISTORY, mine)
