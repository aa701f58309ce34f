from __future__ import annotations

import pytest

from reviewdesk.ratings.models import DsrSnapshot
from reviewdesk.ratings.tasks import dsr_snapshots_task
from tests.conftest import World

pytestmark = pytest.mark.postgres


def test_the_hourly_task_snapshots_every_active_shop_once_a_day(world: World) -> None:
    world.shop_b.is_active = False
    world.shop_b.save(update_fields=["is_active"])

    dsr_snapshots_task()
    dsr_snapshots_task()  # idempotent: the same day's row is rewritten, not duplicated

    assert list(DsrSnapshot.objects.values_list("shop__slug", flat=True)) == ["shop-a"]
