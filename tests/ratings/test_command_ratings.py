"""`reviewdesk ratings …` on a seeded shop: the JSON shapes the issue names, what-ifs, scoping."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from reviewdesk.platforms.pipeline import ingest_orders, ingest_reviews
from reviewdesk.platforms.records import OrderItemRecord, OrderRecord, ReviewRecord
from reviewdesk.ratings.dsr import Dimension, dsr_reference
from reviewdesk.ratings.rules import DsrRules
from reviewdesk.ratings.selectors import case_rating_impact, dsr_overview
from reviewdesk.shops.errors import ShopError
from tests.conftest import World, at
from tests.ratings.seed import TID0, seed

pytestmark = pytest.mark.postgres


def run(*args: str) -> Any:
    out = StringIO()
    call_command("ratings", *args, "--json", stdout=out, stderr=StringIO())
    return json.loads(out.getvalue())


def text(*args: str) -> str:
    out = StringIO()
    call_command("ratings", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_dsr_json_has_value_display_and_count_per_dimension(world: World) -> None:
    trades = seed(world.shop_a)
    data = run("dsr", "--shop", "shop-a", "--at", "2026-06-30")
    expected = dsr_reference(trades, at=dt.date(2026, 6, 30), rules=DsrRules())
    for dimension in ("desc", "service", "logistics"):
        assert set(data[dimension]) >= {"value", "display", "count"}
    assert data["desc"]["count"] == expected[Dimension.DESC].count
    assert data["desc"]["display"] == expected[Dimension.DESC].display
    assert data["window"] == {"first_day": "2026-01-02", "last_day": "2026-06-30"}
    assert data["is_estimate"] is True
    assert "PLATFORM §9.3 D3" in {r["source"] for r in data["unconfirmed_rules"]}
    assert "描述相符" in text("dsr", "--shop", "shop-a", "--at", "2026-06-30")


def test_whatif_target_and_promotion(world: World, time_machine: Any) -> None:
    seed(world.shop_a)
    time_machine.move_to(at("2026-07-01 09:00"))
    target = run(
        "whatif",
        "target",
        "--shop",
        "shop-a",
        "--dimension",
        "desc",
        "--target",
        "4.85",
        "--by",
        "2026-08-01",
    )
    base = target["base"]["desc"]
    needed = target["needed"]["desc"]
    assert (base["total"] + 5 * needed) / (base["count"] + needed) >= 4.85
    assert (base["total"] + 5 * (needed - 1)) / (base["count"] + needed - 1) < 4.85
    promo = run("whatif", "promotion", "--shop", "shop-a", "--orders", "500", "--rate", "0.4")
    assert promo["expected_scores"] == 200.0
    assert promo["after"]["desc"]["display"] is not None
    with pytest.raises(CommandError):
        call_command(
            "ratings",
            "whatif",
            "target",
            "--shop",
            "shop-a",
            "--target",
            "4.8",
            "--by",
            "2026-01-01",
            stdout=StringIO(),
        )


def test_snapshot_credit_calibrate_and_rules(world: World) -> None:
    seed(world.shop_a)
    snap = run("snapshot", "--shop", "shop-a", "--at", "2026-06-30")
    assert snap["day"] == "2026-06-30"
    cal = run(
        "calibrate",
        "--shop",
        "shop-a",
        "--dimension",
        "desc",
        "--value",
        "4.8",
        "--at",
        "2026-06-30",
    )
    assert cal["shown"] == "4.80000"
    assert cal["difference"] == pytest.approx(cal["computed"] - 4.8)
    assert run("credit", "--shop", "shop-a")["score"] == 0
    rules = run("rules")
    assert {"source", "confidence", "settings"} <= set(rules[0])


def test_credit_from_reviews_and_the_impact_of_a_case_rating(world: World) -> None:
    seed(world.shop_a)
    tid = TID0 + 10  # tb_buyer_9's 2026-03-10 trade: stars 3/4/5 ... see seed.history
    ingest_orders(
        shop=world.shop_a,
        records=[
            OrderRecord(
                tid=tid,
                buyer_nick="tb_buyer_9",
                created_at=at("2026-03-10 10:00"),
                payment=Decimal("89.00"),
                items=(OrderItemRecord(oid=tid + 1, num_iid=555, payment=Decimal("89.00")),),
            )
        ],
    )
    ingest_reviews(
        shop=world.shop_a,
        records=[
            ReviewRecord(
                tid=tid,
                oid=tid + 1,
                buyer_nick="tb_buyer_9",
                result="bad",
                rated_at=at("2026-03-14 13:00"),
                content="色差太大",
                num_iid=555,
            )
        ],
        source="t",
    )
    credit = run("credit", "--shop", "shop-a")
    assert (credit["score"], credit["bad"], credit["good_rate_display"]) == (-1, 1, "0.00%")
    from reviewdesk.cases.models import Case

    case = Case.objects.get(shop=world.shop_a)
    impact = case_rating_impact(actor=world.owner, case_id=case.pk)
    assert impact is not None
    assert impact.tid == tid
    resolved = run("whatif", "resolve", "--shop", "shop-a", "--case", str(case.pk))
    assert resolved["dsr_changes"] is False
    assert (resolved["credit_before"]["score"], resolved["credit_after"]["score"]) == (-1, 1)


def test_scoped_to_the_users_shops(world: World) -> None:
    seed(world.shop_a)
    with pytest.raises(ShopError):
        dsr_overview(actor=world.agent_b, slug="shop-a")
    with pytest.raises(CommandError) as unknown:
        call_command("ratings", "dsr", "--shop", "shop-a", "--as", "agent_b", stdout=StringIO())
    assert unknown.value.returncode == 2
    assert dsr_overview(actor=world.agent_a, slug="shop-a").shop.slug == "shop-a"
