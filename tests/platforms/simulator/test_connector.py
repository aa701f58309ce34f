"""SimulatorConnector: the cursor is a tick number; tick N is a pure function of (seed, N)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from reviewdesk.platforms.connector import ConnectionInfo, Connector, ConnectorError
from reviewdesk.platforms.simulator.connector import SimulatorConnector
from reviewdesk.platforms.simulator.generator import history
from reviewdesk.platforms.simulator.world import HISTORY_TID, World
from tests.conftest import at

ANCHOR = at("2026-11-20 10:15")
OPTIONS = World(seed=99, history_orders=400, history_days=60, anchor=ANCHOR).options()


def _connector(options: dict[str, object] | None = None) -> SimulatorConnector:
    info = ConnectionInfo(connection_id=1, shop_slug="demo", options=options or OPTIONS)
    return SimulatorConnector(connection=info)


def test_satisfies_the_connector_protocol() -> None:
    assert isinstance(_connector(), Connector)
    assert SimulatorConnector.key == "simulator"


@pytest.mark.parametrize(
    ("_case", "cursor", "expected"), [("start", None, "1"), ("later", "41", "42")]
)
def test_each_fetch_returns_the_next_tick(_case: str, cursor: str | None, expected: str) -> None:
    connector = _connector()
    for page in (
        connector.fetch_orders(cursor=cursor),
        connector.fetch_reviews(cursor=cursor),
        connector.fetch_gone_reviews(cursor=cursor),
    ):
        assert (page.next_cursor, page.has_more) == (expected, False)


@pytest.mark.parametrize("cursor", ["abc", "-1", "1.5"])
def test_a_cursor_it_did_not_give_is_a_permanent_error(cursor: str) -> None:
    with pytest.raises(ConnectorError) as info:
        _connector().fetch_reviews(cursor=cursor)
    assert info.value.permanent


def test_the_same_cursor_gives_the_same_records_later() -> None:
    with time_machine.travel(ANCHOR + dt.timedelta(minutes=1), tick=False):
        first = _connector().fetch_reviews(cursor="5").records
    with time_machine.travel(ANCHOR + dt.timedelta(hours=3), tick=False):
        again = _connector().fetch_reviews(cursor="5").records
    assert [(r.oid, r.result, r.content) for r in first] == [
        (r.oid, r.result, r.content) for r in again
    ]


def test_new_records_are_timestamped_now() -> None:
    now = ANCHOR + dt.timedelta(minutes=30)
    with time_machine.travel(now, tick=False):
        connector = _connector()
        records = connector.fetch_orders(cursor="0").records
        reviews = connector.fetch_reviews(cursor="0").records
    # tick 1 also finishes the history orders whose parcels it signs (test_logistics.py)
    orders = [o for o in records if not _from_history(o.tid)]
    assert orders
    assert all(now - dt.timedelta(minutes=5) <= r.rated_at <= now for r in reviews)
    for order in orders:
        assert order.ended_at is not None
        assert order.paid_at is not None
        assert order.created_at is not None
        assert order.created_at < order.paid_at < order.ended_at < now
    assert {r.tid for r in reviews} == {o.tid for o in orders}


def test_new_ids_never_collide_with_the_history() -> None:
    world = World.from_options(OPTIONS, default_seed=0)
    history_oids = {i.oid for p in history(world) for i in p.order.items}
    connector = _connector()
    live_oids = {
        i.oid
        for n in range(30)
        for o in connector.fetch_orders(cursor=str(n)).records
        if not _from_history(o.tid)
        for i in o.items
    }
    assert live_oids
    assert not history_oids & live_oids


def test_the_first_tick_finishes_history_orders_and_only_those() -> None:
    world = World.from_options(OPTIONS, default_seed=0)
    known = {p.order.tid: p.order for p in history(world)}
    connector = _connector()
    updates = [o for o in connector.fetch_orders(cursor="0").records if _from_history(o.tid)]
    assert updates
    for order in updates:
        assert known[order.tid].status == "WAIT_BUYER_CONFIRM_GOODS"
        assert order.status == "TRADE_FINISHED"
    for n in range(1, 30):
        assert not [
            o for o in connector.fetch_orders(cursor=str(n)).records if _from_history(o.tid)
        ]


def _from_history(tid: int) -> bool:
    return tid // 10**12 == HISTORY_TID


def test_the_stream_brings_cases_and_later_changes_to_earlier_reviews() -> None:
    connector = _connector()
    seen: dict[int, str] = {}
    world = World.from_options(OPTIONS, default_seed=0)
    history_results = {r.first.oid: r.first.result for p in history(world) for r in p.reviews}
    negatives = followups = revisions = history_revisions = deletions = 0
    for n in range(90):
        for review in connector.fetch_reviews(cursor=str(n)).records:
            before = seen.get(review.oid) or history_results.get(review.oid)
            if before is None:
                negatives += review.result != "good"
            elif review.result == "good" and before != "good":
                revisions += 1
                history_revisions += review.oid in history_results
            elif review.followup_content:
                followups += 1
            seen[review.oid] = review.result
        for gone in connector.fetch_gone_reviews(cursor=str(n)).records:
            assert seen.get(gone.oid) in ("neutral", "bad")
            deletions += 1
    # Every third tick at least brings a neutral/bad review: a visitor sees cases arrive.
    assert negatives >= 30
    assert revisions >= 5
    assert history_revisions >= 1
    assert followups >= 2
    assert deletions >= 1  # rare by design, as on the platform


def test_first_tick_always_brings_a_neutral_or_bad_review() -> None:
    for seed in range(5):
        connector = _connector({"seed": seed})
        assert any(r.result != "good" for r in connector.fetch_reviews(cursor=None).records)


def test_without_options_the_seed_comes_from_the_shop() -> None:
    a = SimulatorConnector(connection=ConnectionInfo(connection_id=1, shop_slug="a"))
    b = SimulatorConnector(connection=ConnectionInfo(connection_id=2, shop_slug="b"))
    assert a.world.seed != b.world.seed
    assert a.fetch_orders(cursor=None).records != b.fetch_orders(cursor=None).records


def test_bad_options_are_a_permanent_error() -> None:
    with pytest.raises(ConnectorError) as info:
        _connector({"seed": "not a number"})
    assert info.value.permanent
