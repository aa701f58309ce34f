"""The `logistics` stream of connection_sync: a cursor per stream, each page ingested once."""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

import pytest

from reviewdesk.cases.models import Case
from reviewdesk.logistics.models import Shipment, TraceEvent
from reviewdesk.platforms import pipeline, registry, sync
from reviewdesk.platforms.connector import Capability, ConnectionInfo, Page
from reviewdesk.platforms.records import ShipmentRecord, TraceRecord
from reviewdesk.shops.models import ShopConnection
from tests.conftest import World, at

pytestmark = pytest.mark.postgres

H = dt.timedelta(hours=1)
CONSIGNED = at("2026-11-01 10:00")  # long ago: every parcel of the fake is stalled


class FakeLogistics:
    """Three pages of two stalled parcels each."""

    key: ClassVar[str] = "fake-logistics"
    capabilities: ClassVar[frozenset[Capability]] = frozenset({Capability.LOGISTICS})
    fetched: ClassVar[list[str | None]] = []

    def __init__(self, *, connection: ConnectionInfo) -> None:
        pass

    def fetch_logistics(self, *, cursor: str | None) -> Page[ShipmentRecord]:
        FakeLogistics.fetched.append(cursor)
        n = int(cursor or 0)
        if n >= 3:
            return Page((), next_cursor=str(n))
        records = tuple(
            ShipmentRecord(
                tid=3028689418086000 + n * 10 + j,
                buyer_nick=f"t**{n}{j}",
                carrier="韵达快递",
                tracking_no=f"43{n}{j}",
                consigned_at=CONSIGNED,
                trace=(
                    TraceRecord(CONSIGNED, "CONSIGN", "卖家已发货"),
                    TraceRecord(CONSIGNED + H, "GOT", "已揽收"),
                ),
            )
            for j in range(2)
        )
        return Page(records, next_cursor=str(n + 1), has_more=n + 1 < 3)


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> type[FakeLogistics]:
    monkeypatch.setitem(registry.CONNECTORS, "fake-logistics", f"{__name__}.FakeLogistics")
    FakeLogistics.fetched = []
    return FakeLogistics


def test_a_crash_after_the_first_page_resumes_from_its_cursor(
    world: World, fake: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    connection = sync.connection_create(shop=world.shop_a, connector="fake-logistics")
    real = pipeline.ingest_logistics
    calls: list[Any] = []

    def crash_on_second_page(**kwargs: Any) -> Any:
        calls.append(kwargs)
        if len(calls) == 2:
            raise RuntimeError("worker killed")
        return real(**kwargs)

    monkeypatch.setattr(pipeline, "ingest_logistics", crash_on_second_page)
    with pytest.raises(RuntimeError, match="worker killed"):
        sync.connection_sync(connection_id=connection.pk)
    connection.refresh_from_db()
    assert connection.cursors["logistics"] == "1"
    assert (Shipment.objects.count(), Case.objects.count()) == (2, 2)

    monkeypatch.setattr(pipeline, "ingest_logistics", real)
    fake.fetched = []
    report = sync.connection_sync(connection_id=connection.pk)

    assert fake.fetched == ["1", "2"]
    assert (report.shipments, report.cases_opened) == (4, 4)
    assert (Shipment.objects.count(), TraceEvent.objects.count(), Case.objects.count()) == (
        6,
        12,
        6,
    )
    assert ShopConnection.objects.get(pk=connection.pk).cursors["logistics"] == "3"
    assert "4 shipments" in report.summary()

    again = sync.connection_sync(connection_id=connection.pk)
    assert (again.shipments, again.cases_opened, Case.objects.count()) == (0, 0, 6)
