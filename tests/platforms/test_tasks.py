"""Platform tasks: one sync per call; the periodic task plans the minute's syncs."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from huey.contrib.djhuey import HUEY

from reviewdesk.platforms.simulator.world import World
from reviewdesk.platforms.sync import connection_create
from reviewdesk.platforms.tasks import connection_sync_task, connections_sync_schedule_task
from reviewdesk.shops.models import ShopConnection
from tests.conftest import World as Fixtures

pytestmark = pytest.mark.postgres


@pytest.fixture(autouse=True)
def _empty_queue() -> Iterator[None]:
    HUEY.flush()
    yield
    HUEY.flush()


def test_sync_task_runs_one_sync(world: Fixtures) -> None:
    connection = connection_create(
        shop=world.shop_a, connector="simulator", options=World(seed=5).options()
    )
    report = connection_sync_task.call_local(connection_id=connection.pk)
    assert report.claimed
    assert report.pages == 5  # orders, reviews, deletions, refunds, logistics
    connection.refresh_from_db()
    assert connection.cursors["reviews"] == "1"


def test_schedule_task_runs_one_sync_now_and_plans_the_rest(world: Fixtures, settings: Any) -> None:
    settings.REVIEWDESK_SIMULATOR_INTERVAL = 20
    connection = connection_create(shop=world.shop_a, connector="simulator")

    planned = connections_sync_schedule_task.call_local()

    assert planned == 3
    connection.refresh_from_db()
    assert connection.cursors["reviews"] == "1"
    assert len(HUEY.scheduled()) == 2


def test_interval_zero_turns_the_simulator_off(world: Fixtures, settings: Any) -> None:
    settings.REVIEWDESK_SIMULATOR_INTERVAL = 0
    connection_create(shop=world.shop_a, connector="simulator")

    assert connections_sync_schedule_task.call_local() == 0
    assert ShopConnection.objects.get().last_run_at is None
