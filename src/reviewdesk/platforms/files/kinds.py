"""What can be imported: the registry of file kinds (STYLE C9: an explicit dict of dotted paths).

An `ImportKind` is everything the importer needs to know about one kind of file: its column
aliases, which columns are required, a row parser and a chunk ingest function. The importer
itself knows nothing about reviews or orders.

Adding a kind (as ratings/ did for `scores`, see reviewdesk.ratings.files):
1. write `parse_row(cells: Mapping[str, object]) -> YourRecord` raising
   `platforms.files.schemas.InvalidRowError` (reuse `platforms.files.values` for ids, dates, money);
2. write `ingest(*, shop, records, source, at) -> ChunkOutcome`; it runs once per chunk inside the
   importer's outer transaction, so it must not commit on its own (nested `atomic()` is fine);
3. declare `SCORES = ImportKind(name="scores", label="评分", aliases=..., required=..., ...)` in
   your app and add `"scores": "reviewdesk.ratings.files.SCORES"` to `IMPORT_KINDS` below.
`reviewdesk import scores FILE --shop SLUG` then works, with rejects, progress and exit codes.
The kind's module is imported only when that kind is used.
tests/platforms/files/test_kinds.py imports every entry and checks its shape.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.module_loading import import_string

from reviewdesk.platforms.files.headers import (
    ORDER_ALIASES,
    ORDER_REQUIRED,
    REFUND_ALIASES,
    REFUND_REQUIRED,
    REVIEW_ALIASES,
    REVIEW_REQUIRED,
    Aliases,
)
from reviewdesk.platforms.files.schemas import parse_order_row, parse_refund_row, parse_review_row
from reviewdesk.platforms.records import OrderRecord, RefundRecord, ReviewRecord
from reviewdesk.shops.models import Shop


@dataclass(frozen=True, slots=True)
class ChunkOutcome:
    created: int = 0
    changed: int = 0
    unchanged: int = 0
    cases_opened: int = 0


@dataclass(frozen=True, slots=True)
class ImportKind:
    name: str
    label: str  # Chinese name for messages: 评价, 订单
    aliases: Aliases
    required: Sequence[str]
    parse_row: Callable[[Mapping[str, object]], Any]
    ingest: Callable[..., ChunkOutcome]  # (*, shop, records, source, at) -> ChunkOutcome


def _ingest_reviews(
    *, shop: Shop, records: Sequence[ReviewRecord], source: str, at: dt.datetime
) -> ChunkOutcome:
    from reviewdesk.platforms.pipeline import ingest_reviews

    result = ingest_reviews(shop=shop, records=records, source=source, at=at)
    stats = result.stats
    return ChunkOutcome(stats.created, stats.changed, stats.unchanged, result.cases_opened)


def _ingest_orders(
    *, shop: Shop, records: Sequence[OrderRecord], source: str, at: dt.datetime
) -> ChunkOutcome:
    from reviewdesk.platforms.pipeline import ingest_orders

    result = ingest_orders(shop=shop, records=records, at=at)
    stats = result.stats
    orders = len({r.tid for r in records})
    return ChunkOutcome(
        stats.orders_created,
        stats.orders_updated,
        orders - stats.orders_created - stats.orders_updated,
        result.cases_opened,  # logistics cases from 发货时间/应发货时间 of orders in flight
    )


def _ingest_refunds(
    *, shop: Shop, records: Sequence[RefundRecord], source: str, at: dt.datetime
) -> ChunkOutcome:
    from reviewdesk.platforms.pipeline import ingest_refunds

    result = ingest_refunds(shop=shop, records=records, source=source, at=at)
    stats = result.stats
    return ChunkOutcome(stats.created, stats.changed, stats.unchanged, result.cases_opened)


REVIEWS = ImportKind(
    name="reviews",
    label="评价",
    aliases=REVIEW_ALIASES,
    required=REVIEW_REQUIRED,
    parse_row=parse_review_row,
    ingest=_ingest_reviews,
)
ORDERS = ImportKind(
    name="orders",
    label="订单",
    aliases=ORDER_ALIASES,
    required=ORDER_REQUIRED,
    parse_row=parse_order_row,
    ingest=_ingest_orders,
)

REFUNDS = ImportKind(
    name="refunds",
    label="退款",
    aliases=REFUND_ALIASES,
    required=REFUND_REQUIRED,
    parse_row=parse_refund_row,
    ingest=_ingest_refunds,
)

IMPORT_KINDS: dict[str, str] = {
    "reviews": "reviewdesk.platforms.files.kinds.REVIEWS",
    "orders": "reviewdesk.platforms.files.kinds.ORDERS",
    "refunds": "reviewdesk.platforms.files.kinds.REFUNDS",  # 退款报表 (docs/imports.md)
    "scores": "reviewdesk.ratings.files.SCORES",  # DSR stars per trade (docs/ratings.md)
}


def import_kind_get(name: str) -> ImportKind:
    """The registered kind; KeyError for an unknown name."""
    kind = import_string(IMPORT_KINDS[name])
    if not isinstance(kind, ImportKind):
        raise TypeError(f"{IMPORT_KINDS[name]} is not an ImportKind")
    return kind
