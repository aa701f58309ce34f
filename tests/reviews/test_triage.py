"""Triage at ingestion (src/reviewdesk/reviews/triage.py): the shop's facts reach the classifier."""

from __future__ import annotations

import pytest

from reviewdesk.cases.models import Case
from reviewdesk.platforms.pipeline import ingest_reviews
from reviewdesk.platforms.records import ReviewRecord
from reviewdesk.reviews.models import Review
from reviewdesk.shops.models import ProductCategory
from reviewdesk.triage.services import triage_classify_batch
from tests.conftest import World, at

pytestmark = pytest.mark.postgres

TOO_SMALL = "太小了，和想的不一样"


def _bad(oid: int, content: str) -> ReviewRecord:
    return ReviewRecord(
        tid=oid - 1,
        oid=oid,
        buyer_nick="t**小白",
        result="bad",
        rated_at=at("2026-11-20 10:15"),
        content=content,
    )


def test_the_shops_product_category_steers_the_cause_of_new_cases(world: World) -> None:
    world.shop_a.product_category = ProductCategory.CLOTHES
    world.shop_a.save()
    world.shop_b.product_category = ProductCategory.FRUIT
    world.shop_b.save()

    ingest_reviews(shop=world.shop_a, records=[_bad(3028689418086125, TOO_SMALL)], source="t")
    ingest_reviews(shop=world.shop_b, records=[_bad(3028689418086125, TOO_SMALL)], source="t")

    clothes = Case.objects.get(shop=world.shop_a)
    fruit = Case.objects.get(shop=world.shop_b)
    assert clothes.cause == "size_fit"
    assert fruit.cause != "size_fit"
    assert Review.objects.get(shop=world.shop_a).triage["cause"] == "size_fit"


def test_a_shop_without_a_category_gets_the_text_estimate(world: World) -> None:
    ingest_reviews(shop=world.shop_a, records=[_bad(3028689418086125, TOO_SMALL)], source="t")

    expected = triage_classify_batch(texts=[TOO_SMALL])[0]
    assert Review.objects.get().triage["cause"] == expected.cause
