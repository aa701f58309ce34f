"""Shipment reads are scoped by the acting user (STYLE C3)."""

from __future__ import annotations

import pytest

from reviewdesk.logistics.models import Shipment
from reviewdesk.logistics.selectors import shipment_get, shipment_list, shipment_trace
from reviewdesk.platforms.pipeline import ingest_logistics
from reviewdesk.platforms.records import ShipmentRecord, TraceRecord
from tests.conftest import World, at

pytestmark = pytest.mark.postgres


def _ship(world: World) -> tuple[Shipment, Shipment]:
    trace = (TraceRecord(at("2026-11-18 10:00"), "CONSIGN", "卖家已发货"),)
    for shop in (world.shop_a, world.shop_b):
        ingest_logistics(
            shop=shop,
            records=[ShipmentRecord(tid=3028689418086124, tracking_no="7501", trace=trace)],
            at=at("2026-11-18 11:00"),
        )
    return Shipment.objects.get(shop=world.shop_a), Shipment.objects.get(shop=world.shop_b)


def test_an_agent_sees_only_the_shipments_of_their_shop(world: World) -> None:
    mine, theirs = _ship(world)

    assert list(shipment_list(actor=world.agent_a)) == [mine]
    assert shipment_get(actor=world.agent_a, shipment_pk=theirs.pk) is None
    assert shipment_trace(actor=world.agent_a, shipment_pk=theirs.pk) == []
    assert [t.action for t in shipment_trace(actor=world.agent_a, shipment_pk=mine.pk)] == [
        "CONSIGN"
    ]
    assert list(shipment_list(actor=world.agent_b)) == [theirs]
