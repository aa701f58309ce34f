"""`reviewdesk logistics list|check|not-received` (logistics/management/commands/logistics.py)."""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from reviewdesk.cases.models import Case
from reviewdesk.platforms.pipeline import ingest_logistics
from reviewdesk.platforms.records import ShipmentRecord, TraceRecord
from tests.conftest import World, at

pytestmark = pytest.mark.postgres

H = dt.timedelta(hours=1)
TID = 3028689418086124


def _signed(world: World) -> None:
    consigned = at("2026-11-18 10:00")
    for shop in (world.shop_a, world.shop_b):
        ingest_logistics(
            shop=shop,
            records=[
                ShipmentRecord(
                    tid=TID,
                    buyer_nick="t**小白",
                    carrier="申通快递",
                    tracking_no="773012345678",
                    consigned_at=consigned,
                    trace=(
                        TraceRecord(consigned + 2 * H, "GOT", "已揽收"),
                        TraceRecord(consigned + 30 * H, "SIGNED", "已签收，快递柜代收"),
                    ),
                )
            ],
            at=consigned + 31 * H,
        )


def test_list_is_scoped_to_the_user(world: World) -> None:
    _signed(world)
    out = StringIO()
    call_command("logistics", "list", "--as", "agent_a", "--json", stdout=out)
    rows = json.loads(out.getvalue())
    assert [(r["shop"], r["tid"], r["tracking_no"]) for r in rows] == [
        ("shop-a", TID, "773012345678")
    ]
    assert rows[0]["signed_at"] is not None


def test_not_received_opens_the_case_once(world: World) -> None:
    _signed(world)
    out = StringIO()
    call_command("logistics", "not-received", str(TID), "--shop", "shop-a", stdout=out)
    call_command("logistics", "not-received", str(TID), "--shop", "shop-a", stdout=out)

    assert out.getvalue().splitlines() == [
        f"shop-a {TID}: 1 cases opened",
        f"shop-a {TID}: 0 cases opened",
    ]
    assert Case.objects.values_list("shop__slug", "cause").get() == (
        "shop-a",
        "signed_not_received",
    )


def test_check_reports_per_shop_and_refuses_an_unknown_shop(world: World) -> None:
    out = StringIO()
    call_command("logistics", "check", "--shop", "shop-a", stdout=out)
    assert out.getvalue() == "shop-a: 0 parcels checked, 0 cases opened\n"
    with pytest.raises(CommandError, match="not_found"):
        call_command("logistics", "check", "--shop", "nope")
