"""The simulated shop's parcels (platforms/simulator/logistics.py): a realistic minority goes
wrong, every sub-type shows up, and the stream is pure in (world, tick)."""

from __future__ import annotations

import datetime as dt
from collections import Counter

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
from reviewdesk.platforms.simulator.live import FATE_HORIZON
from reviewdesk.platforms.simulator.logistics import (
    PROBLEM_FATES,
    ParcelPlan,
    live_parcel_records,
    parcel_plan,
)
from reviewdesk.platforms.simulator.world import World
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
