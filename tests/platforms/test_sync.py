"""connection_sync: pages from the stored cursor, each ingested exactly once, one run at a time."""

from __future__ import annotations

import datetime as dt
import threading
import time
from typing import Any, ClassVar

import pytest
from django.db import connection as db_connection

from reviewdesk.cases.models import Case
from reviewdesk.platforms import pipeline, registry, sync
from reviewdesk.platforms.connector import Capability, ConnectionInfo, ConnectorError, Page
from reviewdesk.platforms.records import OrderItemRecord, OrderRecord, ReviewRecord
from reviewdesk.platforms.simulator.world import World
from reviewdesk.reviews.models import Buyer, Order, Review, ReviewVersion
from reviewdesk.shops.models import Shop, ShopConnection
from tests.conftest import World as Fixtures
from tests.conftest import at

pytestmark = pytest.mark.postgres

BASE_TID = 3028689418086000


class FakeConnector:
    """Three pages of two orders and two reviews each; one bad review per page."""

    key: ClassVar[str] = "fake"
    capabilities: ClassVar[frozenset[Capability]] = frozenset(
        {Capability.ORDERS, Capability.REVIEWS}
    )
    fetched: ClassVar[list[tuple[str, str | None]]] = []
    fetch_delay: ClassVar[float] = 0.0

    def __init__(self, *, connection: ConnectionInfo) -> None:
        self.pages = int(connection.options.get("pages", 3))
        self.fail = str(connection.options.get("fail", ""))

    def _page(self, stream: str, cursor: str | None, make: Any) -> Page[Any]:
        FakeConnector.fetched.append((stream, cursor))
        time.sleep(self.fetch_delay)
        if self.fail:
            raise ConnectorError("会话已过期 (session expired)", permanent=self.fail == "permanent")
        n = int(cursor or 0)
        if n >= self.pages:
            return Page((), next_cursor=str(n), has_more=False)
        records = tuple(make(n, j) for j in range(2))
        return Page(records, next_cursor=str(n + 1), has_more=n + 1 < self.pages)

    def fetch_orders(self, *, cursor: str | None) -> Page[OrderRecord]:
        return self._page("orders", cursor, _order)

    def fetch_reviews(self, *, cursor: str | None) -> Page[ReviewRecord]:
        return self._page("reviews", cursor, _review)

    def fetch_gone_reviews(self, *, cursor: str | None) -> Page[Any]:
        raise AssertionError("not a capability of this connector")


def _order(n: int, j: int) -> OrderRecord:
    tid = BASE_TID + n * 10 + j
    return OrderRecord(
        tid=tid,
        buyer_nick=f"t**{n}{j}",
        status="TRADE_FINISHED",
        created_at=at("2026-11-10 20:15"),
        paid_at=at("2026-11-10 20:16"),
        ended_at=at("2026-11-14 09:30"),
        items=(OrderItemRecord(oid=tid, title="2026冬季加厚羊毛围巾女百搭保暖"),),
        phone="13812345678",
    )


def _review(n: int, j: int) -> ReviewRecord:
    tid = BASE_TID + n * 10 + j
    bad = j == 0
    return ReviewRecord(
        tid=tid,
        oid=tid,
        buyer_nick=f"t**{n}{j}",
        result="bad" if bad else "good",
        rated_at=at("2026-11-15 21:40"),
        content="围巾掉毛特别严重，戴一次大衣上全是毛" if bad else "很暖和，颜色也正，好评",
        item_title="2026冬季加厚羊毛围巾女百搭保暖",
    )


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> type[FakeConnector]:
    monkeypatch.setitem(registry.CONNECTORS, "fake", f"{__name__}.FakeConnector")
    FakeConnector.fetched = []
    FakeConnector.fetch_delay = 0.0
    return FakeConnector


def _install(shop: Shop, **options: Any) -> ShopConnection:
    return sync.connection_create(shop=shop, connector="fake", options=options)


def _cursors(connection: ShopConnection) -> dict[str, Any]:
    connection.refresh_from_db()
    return dict(connection.cursors)


def test_ingests_every_page_and_stores_the_cursors(world: Fixtures, fake: Any) -> None:
    connection = _install(world.shop_a)

    report = sync.connection_sync(connection_id=connection.pk)

    assert report.claimed
    assert report.error == ""
    assert (report.pages, report.orders, report.reviews_created, report.cases_opened) == (
        6,
        6,
        6,
        3,
    )
    cursors = _cursors(connection)
    assert (cursors["orders"], cursors["reviews"], cursors["lease_until"]) == ("3", "3", None)
    assert connection.last_run_at is not None
    assert Buyer.objects.get(nick="t**00").phone == "13812345678"


def test_running_twice_ingests_nothing_twice(world: Fixtures, fake: Any) -> None:
    connection = _install(world.shop_a)
    sync.connection_sync(connection_id=connection.pk)
    fake.fetched = []

    again = sync.connection_sync(connection_id=connection.pk)

    assert fake.fetched == [("orders", "3"), ("reviews", "3")]
    assert (again.orders, again.reviews_created, again.reviews_changed) == (0, 0, 0)
    assert (Order.objects.count(), Review.objects.count(), ReviewVersion.objects.count()) == (
        6,
        6,
        6,
    )
    assert Case.objects.count() == 3


def test_a_crash_after_the_first_page_resumes_from_its_cursor(
    world: Fixtures, fake: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    connection = _install(world.shop_a)
    real_ingest = pipeline.ingest_reviews
    calls = []

    def crash_on_second_page(**kwargs: Any) -> Any:
        calls.append(kwargs)
        if len(calls) == 2:
            raise RuntimeError("worker killed")
        return real_ingest(**kwargs)

    monkeypatch.setattr(pipeline, "ingest_reviews", crash_on_second_page)
    with pytest.raises(RuntimeError, match="worker killed"):
        sync.connection_sync(connection_id=connection.pk)

    cursors = _cursors(connection)
    assert (cursors["orders"], cursors["reviews"], cursors["lease_until"]) == ("3", "1", None)
    assert "RuntimeError: worker killed" in connection.last_error
    assert Review.objects.count() == 2  # page 1 committed with its cursor, page 2 did not

    monkeypatch.setattr(pipeline, "ingest_reviews", real_ingest)
    fake.fetched = []
    report = sync.connection_sync(connection_id=connection.pk)

    assert [c for s, c in fake.fetched if s == "reviews"] == ["1", "2"]
    assert report.reviews_created == 4
    assert (Review.objects.count(), ReviewVersion.objects.count(), Case.objects.count()) == (
        6,
        6,
        3,
    )
    assert _cursors(connection)["reviews"] == "3"


def test_a_live_lease_makes_another_run_skip(world: Fixtures, fake: Any) -> None:
    connection = _install(world.shop_a)
    until = time.time() + 60
    ShopConnection.objects.filter(pk=connection.pk).update(cursors={"lease_until": until})

    report = sync.connection_sync(connection_id=connection.pk)

    assert not report.claimed
    assert fake.fetched == []
    assert Review.objects.count() == 0


def test_an_expired_lease_of_a_dead_worker_is_taken_over(world: Fixtures, fake: Any) -> None:
    connection = _install(world.shop_a)
    ShopConnection.objects.filter(pk=connection.pk).update(
        cursors={"lease_until": time.time() - 1}, last_run_at=at("2026-11-20 10:15")
    )

    report = sync.connection_sync(connection_id=connection.pk)

    assert report.claimed
    assert Review.objects.count() == 6


def test_a_run_that_lost_its_lease_cannot_commit_a_page(world: Fixtures, fake: Any) -> None:
    connection = _install(world.shop_a)
    stale = sync._lease_claim(connection.pk)
    assert stale is not None
    cursors = {**_cursors(connection), "lease_until": time.time() - 1}  # it ran too long
    ShopConnection.objects.filter(pk=connection.pk).update(cursors=cursors)
    assert sync._lease_claim(connection.pk) is not None  # another worker took over

    page = Page((_review(0, 0),), next_cursor="1")
    report = sync.SyncReport(connection_id=connection.pk)
    with pytest.raises(sync.LeaseLostError):
        sync._page_commit(
            report,
            Capability.REVIEWS,
            shop=world.shop_a,
            source="test",
            fence=stale,
            cursor=None,
            page=page,
        )
    assert Review.objects.count() == 0
    assert "reviews" not in _cursors(connection)


def test_a_cursor_moved_by_someone_else_stops_the_run(world: Fixtures, fake: Any) -> None:
    connection = _install(world.shop_a)
    fence = sync._lease_claim(connection.pk)
    assert fence is not None
    ShopConnection.objects.filter(pk=connection.pk).update(
        cursors={**_cursors(connection), "reviews": "2"}
    )
    with pytest.raises(sync.LeaseLostError, match="cursor moved"):
        sync._page_commit(
            sync.SyncReport(connection_id=connection.pk),
            Capability.REVIEWS,
            shop=world.shop_a,
            source="test",
            fence=fence,
            cursor=None,
            page=Page((_review(0, 0),), next_cursor="1"),
        )
    assert Review.objects.count() == 0


@pytest.mark.parametrize(
    ("_case", "fail", "enabled"),
    [("permanent", "permanent", False), ("temporary", "temporary", True)],
)
def test_connector_errors_are_recorded(
    world: Fixtures, fake: Any, _case: str, fail: str, enabled: bool
) -> None:
    connection = _install(world.shop_a, fail=fail)

    report = sync.connection_sync(connection_id=connection.pk)

    assert report.claimed
    assert "session expired" in report.error
    connection.refresh_from_db()
    assert connection.is_enabled is enabled
    assert f"({_case})" in connection.last_error
    assert connection.cursors["lease_until"] is None
    assert Order.objects.count() == 0


def test_a_disabled_connection_is_not_synced(world: Fixtures, fake: Any) -> None:
    connection = _install(world.shop_a)
    ShopConnection.objects.filter(pk=connection.pk).update(is_enabled=False)

    assert not sync.connection_sync(connection_id=connection.pk).claimed
    assert fake.fetched == []


def test_a_run_right_after_another_is_skipped_with_min_interval(world: Fixtures, fake: Any) -> None:
    connection = _install(world.shop_a)
    assert sync.connection_sync(connection_id=connection.pk).claimed

    assert not sync.connection_sync(connection_id=connection.pk, min_interval=60).claimed
    assert sync.connection_sync(connection_id=connection.pk).claimed


def test_connection_create_is_idempotent(world: Fixtures, fake: Any) -> None:
    first = _install(world.shop_a, pages=3)
    again = _install(world.shop_a, pages=5)
    assert first.pk == again.pk
    assert _cursors(again)["options"] == {"pages": 3}


def test_the_simulator_keeps_a_shop_busy(world: Fixtures) -> None:
    options = World(seed=11).options()
    connection = sync.connection_create(shop=world.shop_a, connector="simulator", options=options)

    reports = [sync.connection_sync(connection_id=connection.pk) for _ in range(3)]

    # orders, reviews, deletions, refunds, logistics
    assert [r.pages for r in reports] == [5, 5, 5]
    assert _cursors(connection)["reviews"] == "3"
    assert reports[0].cases_opened >= 1  # the first tick always brings a neutral/bad review
    assert Order.objects.filter(shop=world.shop_a, is_stub=False).count() == sum(
        r.orders for r in reports
    )
    assert Case.objects.filter(shop=world.shop_a).count() == sum(r.cases_opened for r in reports)


def test_the_plan_syncs_the_simulator_at_its_interval(world: Fixtures, fake: Any) -> None:
    simulator = sync.connection_create(shop=world.shop_a, connector="simulator")
    other = _install(world.shop_b)
    disabled = sync.connection_create(shop=world.shop_b, connector="simulator")
    ShopConnection.objects.filter(pk=disabled.pk).update(is_enabled=False)

    plan = sync.connections_sync_plan(simulator_interval=8)

    assert [d for c, d in plan if c == simulator.pk] == [0, 8, 16, 24, 32, 40, 48, 56]
    assert [d for c, d in plan if c == other.pk] == [0]
    assert not [d for c, d in plan if c == disabled.pk]
    assert [c for c, _ in sync.connections_sync_plan(simulator_interval=0)] == [other.pk]


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_runs_do_not_ingest_twice(fake: Any) -> None:
    if db_connection.vendor == "sqlite":
        pytest.skip("concurrent writers need a server database; SQLite serialises them anyway")
    from reviewdesk.shops.services import shop_create

    shop = shop_create(slug="shop-a", name="甲店旗舰店", platform="taobao")
    connection = _install(shop)
    fake.fetch_delay = 0.3
    barrier = threading.Barrier(2)
    reports: list[sync.SyncReport] = []

    def run() -> None:
        try:
            barrier.wait()
            reports.append(sync.connection_sync(connection_id=connection.pk))
        finally:
            db_connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(r.claimed for r in reports) == [False, True]
    assert (Review.objects.count(), ReviewVersion.objects.count(), Case.objects.count()) == (
        6,
        6,
        3,
    )


def test_the_fence_differs_from_the_previous_run_under_a_frozen_clock(
    world: Fixtures, fake: Any
) -> None:
    import time_machine

    connection = _install(world.shop_a)
    with time_machine.travel(at("2026-11-20 10:15"), tick=False):
        first = sync._lease_claim(connection.pk)
        ShopConnection.objects.filter(pk=connection.pk).update(cursors={"lease_until": None})
        second = sync._lease_claim(connection.pk)
    assert first is not None
    assert second is not None
    assert second - first == dt.timedelta(microseconds=1)
