"""Reviews that carry DSR stars feed the DSR engine through the ingestion pipeline."""

from __future__ import annotations

from decimal import Decimal

import pytest

from reviewdesk.platforms.pipeline import ingest_orders, ingest_reviews
from reviewdesk.platforms.records import OrderItemRecord, OrderRecord, ReviewRecord
from reviewdesk.ratings.models import ScoredTrade
from tests.conftest import World, at

pytestmark = pytest.mark.postgres

TID = 3028689418086124


def _order(tid: int = TID) -> OrderRecord:
    return OrderRecord(
        tid=tid,
        buyer_nick="t**小白",
        status="TRADE_FINISHED",
        created_at=at("2026-11-01 09:00"),
        payment=Decimal("168.00"),
        items=(
            OrderItemRecord(oid=tid + 1, title="加厚羊毛围巾"),
            OrderItemRecord(oid=tid + 2, title="羊绒披肩"),
        ),
    )


def _review(oid: int, stars: tuple[int, int, int] | None, tid: int = TID) -> ReviewRecord:
    desc, service, logistics = stars or (None, None, None)
    return ReviewRecord(
        tid=tid,
        oid=oid,
        buyer_nick="t**小白",
        result="good",
        rated_at=at("2026-11-10 10:00"),
        content="很暖和",
        desc_score=desc,
        service_score=service,
        logistics_score=logistics,
    )


def test_a_trades_stars_come_from_its_first_rated_item(world: World) -> None:
    ingest_orders(shop=world.shop_a, records=[_order()])
    ingest_reviews(
        shop=world.shop_a,
        records=[_review(TID + 1, (5, 4, 3)), _review(TID + 2, (5, 4, 3))],
        source="poll",
    )
    trade = ScoredTrade.objects.get(shop=world.shop_a)
    assert (trade.tid, trade.buyer_nick, trade.source) == (TID, "t**小白", "reviews")
    assert (trade.desc_score, trade.service_score, trade.logistics_score) == (5, 4, 3)
    assert trade.trade_created_at == at("2026-11-01 09:00")


def test_reviews_without_stars_or_without_a_known_order_add_nothing(world: World) -> None:
    ingest_orders(shop=world.shop_a, records=[_order()])
    ingest_reviews(shop=world.shop_a, records=[_review(TID + 1, None)], source="poll")
    # An order we only know from a review has no creation time: no trade to count yet.
    ingest_reviews(
        shop=world.shop_a,
        records=[_review(5_000_000_001, (1, 1, 1), tid=5_000_000_000)],
        source="poll",
    )
    assert not ScoredTrade.objects.exists()


def test_imported_scores_are_not_overwritten_by_review_stars(world: World) -> None:
    ScoredTrade.objects.create(
        shop=world.shop_a,
        tid=TID,
        buyer_nick="t**小白",
        trade_created_at=at("2026-11-01 09:00"),
        rated_at=at("2026-11-10 10:00"),
        is_alipay=True,
        is_default=False,
        desc_score=2,
        service_score=2,
        logistics_score=2,
        source="import",
    )
    ingest_orders(shop=world.shop_a, records=[_order()])
    ingest_reviews(shop=world.shop_a, records=[_review(TID + 1, (5, 5, 5))], source="poll")
    trade = ScoredTrade.objects.get()
    assert (trade.desc_score, trade.source) == (2, "import")


def test_stars_seen_before_the_order_count_once_the_order_arrives(world: World) -> None:
    ingest_reviews(shop=world.shop_a, records=[_review(TID + 1, (4, 4, 4))], source="poll")
    assert not ScoredTrade.objects.exists()
    ingest_orders(shop=world.shop_a, records=[_order()])
    trade = ScoredTrade.objects.get()
    assert (trade.tid, trade.desc_score, trade.trade_created_at) == (
        TID,
        4,
        at("2026-11-01 09:00"),
    )
