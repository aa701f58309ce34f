"""The simulator's refund and return requests (platforms/simulator/refunds.py): pure and
consistent with the orders and reviews they belong to."""

from __future__ import annotations

import datetime as dt

from reviewdesk.aftersales.rules import reason_verdict, refund_status
from reviewdesk.platforms.connector import ConnectionInfo
from reviewdesk.platforms.simulator.connector import SimulatorConnector
from reviewdesk.platforms.simulator.generator import history
from reviewdesk.platforms.simulator.live import tick_events
from reviewdesk.platforms.simulator.world import World
from tests.conftest import at

ANCHOR = at("2026-11-20 10:15")
WORLD = World(seed=20261111, history_orders=1500, history_days=120, anchor=ANCHOR)


def test_a_few_percent_of_orders_get_a_request_consistent_with_the_order() -> None:
    plans = history(WORLD)
    with_refund = [p for p in plans if p.refund is not None]
    assert 0.03 <= len(with_refund) / len(plans) <= 0.10
    ids = [p.refund.refund_id for p in with_refund if p.refund]
    assert len(set(ids)) == len(ids)
    for plan in with_refund:
        assert plan.refund is not None
        first = plan.refund.steps[0].record
        assert first.tid == plan.order.tid
        assert first.buyer_nick == plan.order.buyer_nick
        assert first.status == "waiting_seller"
        assert refund_status(first.status_text) == "waiting_seller"
        assert first.applied_at is not None
        assert plan.order.paid_at is not None
        assert first.applied_at > plan.order.paid_at
        if plan.refund.cause:  # about a neutral/bad review: that item, that cause
            negative = {r.first.oid: r.cause for r in plan.reviews if r.is_negative()}
            assert negative[first.oid or 0] == plan.refund.cause
            assert reason_verdict(first.reason).cause == plan.refund.cause
        afters = [s.after for s in plan.refund.steps]
        assert afters == sorted(afters)
        assert plan.refund.steps[-1].record.status in {
            "success",
            "closed",
            "waiting_seller",
            "seller_refused",
            "waiting_buyer_return",
            "waiting_seller_confirm",
        }


def test_some_requests_are_refused_and_taken_to_the_platform() -> None:
    steps = [s.record for p in history(WORLD) if p.refund for s in p.refund.steps]
    assert any(r.status == "seller_refused" for r in steps)
    assert any(r.intervention for r in steps)
    assert any(r.status == "success" for r in steps)
    assert any(r.status == "closed" for r in steps)


def test_the_history_is_the_same_whoever_asks() -> None:
    assert [p.refund for p in history(WORLD)[:300]] == [p.refund for p in history(WORLD)[:300]]


def test_live_ticks_file_requests_and_move_them_later() -> None:
    world = World(seed=7)
    now = at("2026-11-21 10:00")
    records = [
        (seq, r)
        for seq in range(1, 100)
        for r in tick_events(world, seq, now + dt.timedelta(seconds=8 * seq)).refunds
    ]
    filed = {r.refund_id: seq for seq, r in records if r.applied_at is not None}
    later = [(seq, r) for seq, r in records if r.applied_at is None]
    assert filed
    assert later
    for seq, record in later:
        assert seq > filed[record.refund_id]  # a state shows after the request was filed
        assert record.status != "waiting_seller"


def test_the_connector_serves_refunds_per_tick() -> None:
    connector = SimulatorConnector(
        connection=ConnectionInfo(connection_id=1, shop_slug="shop-a", options={"seed": 7})
    )
    pages = [connector.fetch_refunds(cursor=str(n)) for n in range(60)]
    assert [p.next_cursor for p in pages[:3]] == ["1", "2", "3"]
    assert any(p.records for p in pages)
