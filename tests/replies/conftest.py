"""Review cases built through the real ingestion pipeline (STYLE C11: call the real services)."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from decimal import Decimal

import pytest
import time_machine

from reviewdesk.cases.models import Case
from reviewdesk.platforms.pipeline import ingest_orders, ingest_reviews
from reviewdesk.platforms.records import OrderItemRecord, OrderRecord, ReviewRecord
from reviewdesk.shops.models import Shop
from tests.conftest import World, at

NOW = "2026-11-20 12:00"
_oids = itertools.count(3028689418086200)

MakeCase = Callable[..., Case]


@pytest.fixture
def clock() -> Iterator[None]:
    with time_machine.travel(at(NOW), tick=False):
        yield


@pytest.fixture
def make_case(world: World, clock: None) -> MakeCase:
    def _make(
        *,
        shop: Shop | None = None,
        cause: str = "quality",
        result: str = "bad",
        rated_at: str = "2026-11-20 10:15",
        content: str = "围巾掉毛严重，戴一次脖子上全是毛",
        followup: str = "",
        risk_flags: tuple[str, ...] = (),
        payment: str = "129.00",
    ) -> Case:
        shop = shop or world.shop_a
        oid = next(_oids)
        tid = oid - 100
        ingest_orders(
            shop=shop,
            records=[
                OrderRecord(
                    tid=tid,
                    buyer_nick="t**小白",
                    payment=Decimal(payment),
                    receiver_name="李秀英",
                    phone="13812345678",
                    address="浙江省杭州市西湖区文三路90号",
                    items=(
                        OrderItemRecord(oid=oid, title="加厚羊毛围巾", payment=Decimal(payment)),
                    ),
                )
            ],
        )
        ingest_reviews(
            shop=shop,
            records=[
                ReviewRecord(
                    tid=tid,
                    oid=oid,
                    buyer_nick="t**小白",
                    result=result,
                    rated_at=at(rated_at),
                    content=content,
                    item_title="加厚羊毛围巾",
                    followup_content=followup,
                    followup_at=at(rated_at) if followup else None,
                )
            ],
            source="test",
        )
        case = Case.objects.get(review__oid=oid)
        Case.objects.filter(pk=case.pk).update(cause=cause, risk_flags=list(risk_flags))
        case.refresh_from_db()
        return case

    return _make
