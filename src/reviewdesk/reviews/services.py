"""Idempotent, set-based ingestion of normalised records into buyers, orders, items and reviews.

Records arrive in batches (a file chunk, an API page); each batch costs a handful of queries
whatever its size, and new rows go in through `core.bulk.insert_rows` without building model
instances, which is what lets 100,000 rows import in seconds (benchmarks/import_reviews.py).
Callers own the transaction (platforms.pipeline wraps a whole import in one), so a crash leaves
nothing half-written, and the unique constraints on (shop, tid/oid/nick) make a replay change
nothing.

A record's empty value means "not in this source", never "erase": an item report has no buyer
column, a review poll has no order amounts, and neither may wipe what another source stored.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from reviewdesk.core import clock
from reviewdesk.core.bulk import insert_rows
from reviewdesk.platforms.records import (
    OrderItemRecord,
    OrderRecord,
    ReviewGoneRecord,
    ReviewRecord,
)
from reviewdesk.reviews.events import ReviewEvent, ReviewEventKind
from reviewdesk.reviews.models import (
    NEGATIVE_RESULTS,
    Buyer,
    Order,
    OrderItem,
    Review,
    ReviewResult,
    ReviewState,
    ReviewVersion,
)
from reviewdesk.shops.models import Shop

_VERSIONED_FIELDS = ("result", "content", "followup_content", "explanation", "state")
_SILENT_FIELDS = (
    "valid_score",
    "is_default",
    "desc_score",
    "service_score",
    "logistics_score",
    "followup_at",
)
# What bulk_update writes back must all be loaded: a field left out would be written as None.
_REVIEW_STATE_FIELDS = (
    "id",
    "oid",
    *_VERSIONED_FIELDS,
    *_SILENT_FIELDS,
    "version_count",
    "revised_at",
)


@dataclass
class IngestStats:
    created: int = 0
    changed: int = 0
    unchanged: int = 0
    orders_created: int = 0
    orders_updated: int = 0
    events: list[ReviewEvent] = field(default_factory=list)

    def merge(self, other: IngestStats) -> None:
        self.created += other.created
        self.changed += other.changed
        self.unchanged += other.unchanged
        self.orders_created += other.orders_created
        self.orders_updated += other.orders_updated
        self.events.extend(other.events)


def buyer_ids_ensure(*, shop: Shop, nicks: Iterable[str]) -> dict[str, int]:
    """Buyer ids by nick, creating the missing buyers."""
    wanted = {n for n in nicks if n}
    if not wanted:
        return {}
    found = dict(Buyer.objects.filter(shop=shop, nick__in=wanted).values_list("nick", "id"))
    missing = wanted - found.keys()
    if missing:
        insert_rows(
            Buyer, ({"shop_id": shop.pk, "nick": n} for n in sorted(missing)), ignore_conflicts=True
        )
        found.update(Buyer.objects.filter(shop=shop, nick__in=missing).values_list("nick", "id"))
    return found


def order_ids_ensure(
    *, shop: Shop, buyer_of_tid: Mapping[int, str], buyer_ids: Mapping[str, int]
) -> dict[int, int]:
    """Order ids by tid; unknown orders are created as stubs (we saw a review before the order)."""
    found = dict(Order.objects.filter(shop=shop, tid__in=buyer_of_tid).values_list("tid", "id"))
    missing = [tid for tid in buyer_of_tid if tid not in found]
    if missing:
        insert_rows(
            Order,
            (
                {
                    "shop_id": shop.pk,
                    "tid": tid,
                    "buyer_id": buyer_ids.get(buyer_of_tid[tid]),
                    "is_stub": True,
                }
                for tid in missing
            ),
            ignore_conflicts=True,
        )
        found.update(Order.objects.filter(shop=shop, tid__in=missing).values_list("tid", "id"))
    return found


def _item_ids_ensure(
    *, shop: Shop, records: Mapping[int, ReviewRecord], order_ids: Mapping[int, int]
) -> dict[int, int]:
    found = dict(OrderItem.objects.filter(shop=shop, oid__in=records).values_list("oid", "id"))
    missing = [oid for oid in records if oid not in found]
    if missing:
        insert_rows(
            OrderItem,
            (
                {
                    "shop_id": shop.pk,
                    "order_id": order_ids[records[oid].tid],
                    "oid": oid,
                    "title": records[oid].item_title[:255],
                    "num_iid": records[oid].num_iid,
                }
                for oid in missing
            ),
            ignore_conflicts=True,
        )
        found.update(OrderItem.objects.filter(shop=shop, oid__in=missing).values_list("oid", "id"))
    return found


def review_records_ingest(
    *,
    shop: Shop,
    records: Sequence[ReviewRecord],
    source: str,
    observed_at: dt.datetime | None = None,
) -> IngestStats:
    """Upsert one batch of reviews. Returns counts and the events the case layer acts on."""
    observed_at = observed_at or clock.now()
    stats = IngestStats()
    # A later row for the same oid is a later observation: keep the last one.
    by_oid: dict[int, ReviewRecord] = {r.oid: r for r in records}
    if not by_oid:
        return stats
    buyer_ids = buyer_ids_ensure(shop=shop, nicks=(r.buyer_nick for r in by_oid.values()))
    order_ids = order_ids_ensure(
        shop=shop, buyer_of_tid={r.tid: r.buyer_nick for r in by_oid.values()}, buyer_ids=buyer_ids
    )
    item_ids = _item_ids_ensure(shop=shop, records=by_oid, order_ids=order_ids)
    stored = {
        row["oid"]: row
        for row in Review.objects.filter(shop=shop, oid__in=by_oid).values(*_REVIEW_STATE_FIELDS)
    }

    new_rows: list[dict[str, Any]] = []
    changed: list[tuple[Review, ReviewEventKind, str]] = []
    silent: list[Review] = []
    for oid, rec in by_oid.items():
        current = stored.get(oid)
        if current is None:
            new_rows.append(_new_review_row(shop, rec, item_ids[oid], buyer_ids))
            continue
        review = Review(pk=current["id"], **{k: v for k, v in current.items() if k != "id"})
        review.updated_at = observed_at  # bulk_update does not apply auto_now
        previous_result = review.result
        kind = _apply_record(review, rec, observed_at)
        silent_changed = _apply_silent_fields(review, rec)
        if kind is None:
            stats.unchanged += 1
            if silent_changed:
                silent.append(review)
            continue
        changed.append((review, kind, previous_result))

    if new_rows:
        insert_rows(Review, new_rows)
        new_ids = dict(
            Review.objects.filter(shop=shop, oid__in=[r["oid"] for r in new_rows]).values_list(
                "oid", "id"
            )
        )
        versions = [
            _version_row(new_ids[row["oid"]], 1, row, observed_at=observed_at, source=source)
            for row in new_rows
        ]
        stats.created = len(new_rows)
        stats.events.extend(
            ReviewEvent(
                kind=ReviewEventKind.CREATED,
                review_id=new_ids[row["oid"]],
                version=1,
                result=row["result"],
            )
            for row in new_rows
        )
    else:
        versions = []

    if changed:
        Review.objects.bulk_update(
            [review for review, _, _ in changed],
            [*_VERSIONED_FIELDS, *_SILENT_FIELDS, "revised_at", "version_count", "updated_at"],
        )
    if silent:
        Review.objects.bulk_update(silent, [*_SILENT_FIELDS, "updated_at"])
    for review, kind, previous_result in changed:
        stats.changed += 1
        versions.append(
            _version_row(
                review.pk,
                review.version_count,
                {name: getattr(review, name) for name in (*_VERSIONED_FIELDS, "followup_at")},
                observed_at=observed_at,
                source=source,
            )
        )
        stats.events.append(
            ReviewEvent(
                kind=kind,
                review_id=review.pk,
                version=review.version_count,
                previous_result=previous_result,
                result=review.result,
            )
        )
    insert_rows(ReviewVersion, versions)
    return stats


def _new_review_row(
    shop: Shop, rec: ReviewRecord, item_id: int, buyer_ids: Mapping[str, int]
) -> dict[str, Any]:
    return {
        "shop_id": shop.pk,
        "order_item_id": item_id,
        "buyer_id": buyer_ids.get(rec.buyer_nick),
        "oid": rec.oid,
        "tid": rec.tid,
        "result": rec.result,
        "first_result": rec.result,
        "content": rec.content,
        "rated_at": rec.rated_at,
        "followup_content": rec.followup_content,
        "followup_at": rec.followup_at,
        "explanation": rec.explanation,
        "valid_score": rec.valid_score,
        "is_default": rec.is_default,
        "desc_score": rec.desc_score,
        "service_score": rec.service_score,
        "logistics_score": rec.logistics_score,
        "state": ReviewState.PRESENT,
        "version_count": 1,
    }


def _version_row(
    review_id: int,
    number: int,
    values: Mapping[str, Any],
    *,
    observed_at: dt.datetime,
    source: str,
) -> dict[str, Any]:
    return {
        "review_id": review_id,
        "number": number,
        "result": values["result"],
        "content": values["content"],
        "followup_content": values["followup_content"],
        "followup_at": values["followup_at"],
        "explanation": values["explanation"],
        "state": values["state"],
        "observed_at": observed_at,
        "source": source[:255],
    }


def _apply_record(
    review: Review, rec: ReviewRecord, observed_at: dt.datetime
) -> ReviewEventKind | None:
    """Move `review` towards `rec`; the event kind, or None when no versioned field changed."""
    incoming = {
        "result": rec.result,
        "content": rec.content,
        "followup_content": rec.followup_content or review.followup_content,
        "explanation": rec.explanation or review.explanation,
        "state": ReviewState.PRESENT,
    }
    if all(getattr(review, name) == value for name, value in incoming.items()):
        return None
    previous_result = review.result
    previous_followup = review.followup_content
    for name, value in incoming.items():
        setattr(review, name, value)
    review.version_count += 1
    if previous_result in NEGATIVE_RESULTS and rec.result == ReviewResult.GOOD:
        review.revised_at = observed_at
        return ReviewEventKind.REVISED
    if previous_result == ReviewResult.GOOD and rec.result in NEGATIVE_RESULTS:
        return ReviewEventKind.WORSENED
    if rec.followup_content and rec.followup_content != previous_followup:
        return ReviewEventKind.FOLLOWUP_ADDED
    return ReviewEventKind.CHANGED


def _apply_silent_fields(review: Review, rec: ReviewRecord) -> bool:
    changed = False
    for name in _SILENT_FIELDS:
        value = getattr(rec, name)
        if value is None:
            continue
        if getattr(review, name) != value:
            setattr(review, name, value)
            changed = True
    return changed


def review_mark_gone(*, shop: Shop, record: ReviewGoneRecord, source: str) -> ReviewEvent | None:
    """A review the platform no longer lists was deleted by the buyer (PLATFORM §9.1 L5)."""
    review = Review.objects.filter(shop=shop, oid=record.oid).first()
    if review is None or review.state == ReviewState.DELETED:
        return None
    previous = review.result
    review.state = ReviewState.DELETED
    review.version_count += 1
    review.save(update_fields=["state", "version_count", "updated_at"])
    values = {name: getattr(review, name) for name in (*_VERSIONED_FIELDS, "followup_at")}
    insert_rows(
        ReviewVersion,
        [
            _version_row(
                review.pk,
                review.version_count,
                values,
                observed_at=record.observed_at,
                source=source,
            )
        ],
    )
    return ReviewEvent(
        kind=ReviewEventKind.DELETED,
        review_id=review.pk,
        version=review.version_count,
        previous_result=previous,
        result=review.result,
    )


# --- orders -----------------------------------------------------------------------------------

_ORDER_FIELDS = ("buyer_id", "status", "created_at", "paid_at", "ended_at", "payment")
_ITEM_FIELDS = (
    "order_id",
    "num_iid",
    "title",
    "sku",
    "quantity",
    "price",
    "payment",
    "status",
    "refund_status",
)


def _known(value: object) -> bool:
    return value is not None and value != ""


def order_records_ingest(*, shop: Shop, records: Sequence[OrderRecord]) -> IngestStats:
    """Upsert one batch of orders with their items; fills in stubs created from reviews."""
    stats = IngestStats()
    by_tid: dict[int, OrderRecord] = {}
    for record in records:
        prior = by_tid.get(record.tid)
        # Item-level exports give one row per item: merge the items of rows sharing a tid.
        if prior is not None:
            merged = {i.oid: i for i in (*prior.items, *record.items)}
            record = replace(record, items=tuple(merged.values()))  # noqa: PLW2901
        by_tid[record.tid] = record
    if not by_tid:
        return stats
    buyer_ids = buyer_ids_ensure(shop=shop, nicks=(r.buyer_nick for r in by_tid.values()))
    _buyer_contacts_update(buyer_ids, by_tid.values())
    existing = {o.tid: o for o in Order.objects.filter(shop=shop, tid__in=by_tid)}
    new_rows: list[dict[str, Any]] = []
    to_update: list[Order] = []
    for tid, rec in by_tid.items():
        values: dict[str, Any] = {
            "buyer_id": buyer_ids.get(rec.buyer_nick),
            "status": rec.status,
            "created_at": rec.created_at,
            "paid_at": rec.paid_at,
            "ended_at": rec.ended_at,
            "payment": rec.payment,
        }
        order = existing.get(tid)
        if order is None:
            new_rows.append({"shop_id": shop.pk, "tid": tid, "is_stub": False, **values})
            continue
        known = {k: v for k, v in values.items() if _known(v)}
        if order.is_stub or any(getattr(order, k) != v for k, v in known.items()):
            for k, v in known.items():
                setattr(order, k, v)
            order.is_stub = False
            to_update.append(order)
    insert_rows(Order, new_rows)
    if to_update:
        Order.objects.bulk_update(to_update, [*_ORDER_FIELDS, "is_stub", "updated_at"])
    stats.orders_created = len(new_rows)
    stats.orders_updated = len(to_update)
    order_ids = dict(Order.objects.filter(shop=shop, tid__in=by_tid).values_list("tid", "id"))
    _items_upsert(shop=shop, order_ids=order_ids, records=by_tid.values())
    return stats


def _buyer_contacts_update(buyer_ids: Mapping[str, int], records: Iterable[OrderRecord]) -> None:
    wanted = {
        rec.buyer_nick: rec
        for rec in records
        if rec.buyer_nick in buyer_ids and (rec.phone or rec.address or rec.receiver_name)
    }
    if not wanted:
        return
    changed: list[Buyer] = []
    for buyer in Buyer.objects.filter(id__in=[buyer_ids[n] for n in wanted]):
        rec = wanted[buyer.nick]
        values = {"phone": rec.phone, "address": rec.address, "receiver_name": rec.receiver_name}
        known = {k: v for k, v in values.items() if v}
        if any(getattr(buyer, k) != v for k, v in known.items()):
            for k, v in known.items():
                setattr(buyer, k, v)
            changed.append(buyer)
    if changed:
        Buyer.objects.bulk_update(changed, ["phone", "address", "receiver_name"])


def _items_upsert(
    *, shop: Shop, order_ids: Mapping[int, int], records: Iterable[OrderRecord]
) -> None:
    wanted: dict[int, tuple[int, OrderItemRecord]] = {
        i.oid: (rec.tid, i) for rec in records for i in rec.items
    }
    existing = {i.oid: i for i in OrderItem.objects.filter(shop=shop, oid__in=wanted)}
    new_rows: list[dict[str, Any]] = []
    to_update: list[OrderItem] = []
    for oid, (tid, rec) in wanted.items():
        values: dict[str, Any] = {
            "order_id": order_ids[tid],
            "num_iid": rec.num_iid,
            "title": rec.title[:255],
            "sku": rec.sku[:255],
            "quantity": rec.quantity,
            "price": rec.price,
            "payment": rec.payment,
            "status": rec.status,
            "refund_status": rec.refund_status,
        }
        item = existing.get(oid)
        if item is None:
            new_rows.append({"shop_id": shop.pk, "oid": oid, **values})
            continue
        known = {k: v for k, v in values.items() if _known(v)}
        if any(getattr(item, k) != v for k, v in known.items()):
            for k, v in known.items():
                setattr(item, k, v)
            to_update.append(item)
    insert_rows(OrderItem, new_rows)
    if to_update:
        OrderItem.objects.bulk_update(to_update, list(_ITEM_FIELDS))
