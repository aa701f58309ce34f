"""The periodic re-check (logistics/checks.py): parcels that go quiet open their case in time."""

from __future__ import annotations

import datetime as dt

import pytest

from reviewdesk.cases.models import Case
from reviewdesk.logistics.checks import shipments_check
from reviewdesk.logistics.models import LogisticsPolicy
from reviewdesk.logistics.tasks import shipments_check_schedule_task
from reviewdesk.platforms.pipeline import ingest_logistics
from reviewdesk.platforms.records import ShipmentRecord, TraceRecord
from tests.conftest import World, at

pytestmark = pytest.mark.postgres

H = dt.timedelta(hours=1)
CONSIGNED = at("2026-11-18 10:00")
TID = 3028689418086124


def _consigned_only() -> ShipmentRecord:
    return ShipmentRecord(
        tid=TID,
        buyer_nick="t**小白",
        carrier="圆通速递",
        tracking_no="YT1234567890123",
        consigned_at=CONSIGNED,
        trace=(TraceRecord(CONSIGNED, "CONSIGN", "卖家已发货"),),
    )


def test_a_parcel_nobody_scans_opens_its_case_when_the_threshold_passes(world: World) -> None:
    ingest_logistics(shop=world.shop_a, records=[_consigned_only()], at=CONSIGNED + H)
    assert not Case.objects.exists()

    early = shipments_check(shop=world.shop_a, now=CONSIGNED + 23 * H)
    assert (early.shipments, early.cases_opened) == (1, 0)

    due = shipments_check(shop=world.shop_a, now=CONSIGNED + 24 * H)
    again = shipments_check(shop=world.shop_a, now=CONSIGNED + 25 * H)

    assert (due.cases_opened, again.cases_opened) == (1, 0)
    assert Case.objects.values_list("cause", flat=True).get() == "not_collected"


def test_the_shop_thresholds_apply(world: World) -> None:
    LogisticsPolicy.objects.create(shop=world.shop_a, collect_hours=6)
    ingest_logistics(shop=world.shop_a, records=[_consigned_only()], at=CONSIGNED + H)

    assert shipments_check(shop=world.shop_a, now=CONSIGNED + 6 * H).cases_opened == 1


def test_signed_and_old_parcels_are_not_read(world: World) -> None:
    signed = ShipmentRecord(
        tid=TID + 1, tracking_no="SF1", trace=(TraceRecord(CONSIGNED + H, "SIGNED", "已签收"),)
    )
    ingest_logistics(shop=world.shop_a, records=[_consigned_only(), signed], at=CONSIGNED + H)

    assert shipments_check(shop=world.shop_a, now=CONSIGNED + 2 * H).shipments == 1
    assert shipments_check(shop=world.shop_a, now=CONSIGNED + 31 * 24 * H).shipments == 0


def test_the_schedule_checks_every_active_shop(world: World) -> None:
    ingest_logistics(shop=world.shop_a, records=[_consigned_only()], at=CONSIGNED - 48 * H)
    ingest_logistics(shop=world.shop_b, records=[_consigned_only()], at=CONSIGNED - 48 * H)

    shipments_check_schedule_task.call_local()

    assert sorted(Case.objects.values_list("shop__slug", flat=True)) == ["shop-a", "shop-b"]
