"""Idempotent, set-based ingestion of normalised records into buyers, orders, items and reviews.

Records arrive in batches (a file chunk, an API page); each batch costs a handful of queries
whatever its size, which is what lets 100,000 rows import in seconds. Callers own the transaction
(platforms.pipeline wraps a whole import in one), so a crash leaves nothing half-written, and the
unique constraints on (shop, tid/oid/nick) make a replay change nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

from reviewdesk.core import clock
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


def buyers_ensure(*, shop: Shop, nicks: Iterable[str]) -> dict[str, Buyer]:
    wanted = {n for n in nicks if n}
    if not wanted:
        return {}
    found = {b.nick: b for b in Buyer.objects.filter(shop=shop, nick__in=wanted)}
    missing = wanted - found.keys()
    if missing:
        Buyer.objects.bulk_create(
            [Buyer(shop=shop, nick=n) for n in sorted(missing)], ignore_conflicts=True
        )
        found.update({b.nick: b for b in Buyer.objects.filter(shop=shop, nick__in=missing)})
    return found


def _orders_ensure(
    *, shop: Shop, stubs: dict[int, str], buyers: dict[str, Buyer]
) -> dict[int, Order]:
    """Orders by tid; unknown ones are created as stubs (we saw a review before the order)."""
    found = {o.tid: o for o in Order.objects.filter(shop=shop, tid__in=stubs)}
    missing = [tid for tid in stubs if tid not in found]
    if missing:
        Order.objects.bulk_create(
            [
                Order(shop=shop, tid=tid, buyer=buyers.get(stubs[tid]), is_stub=True)
                for tid in missing
            ],
            ignore_conflicts=True,
        )
        found.update({o.tid: o for o in Order.objects.filter(shop=shop, tid__in=missing)})
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
    buyers = buyers_ensure(shop=shop, nicks=(r.buyer_nick for r in by_oid.values()))
    orders = _orders_ensure(
        shop=shop, stubs={r.tid: r.buyer_nick for r in by_oid.values()}, buyers=buyers
    )
    items = {i.oid: i for i in OrderItem.objects.filter(shop=shop, oid__in=by_oid)}
    new_items = [
        OrderItem(
            shop=shop, order=orders[r.tid], oid=r.oid, title=r.item_title[:255], num_iid=r.num_iid
        )
        for r in by_oid.values()
        if r.oid not in items
    ]
    if new_items:
        OrderItem.objects.bulk_create(new_items, ignore_conflicts=True)
        items.update(
            {
                i.oid: i
                for i in OrderItem.objects.filter(shop=shop, oid__in=[i.oid for i in new_items])
            }
        )

    existing = {rv.oid: rv for rv in Review.objects.filter(shop=shop, oid__in=by_oid)}
    to_create: list[Review] = []
    to_update: list[Review] = []
    versions: list[ReviewVersion] = []
    pending_events: list[tuple[Review, ReviewEventKind, str | None]] = []

    for oid, rec in by_oid.items():
        review = existing.get(oid)
        if review is None:
            review = Review(
                shop=shop,
                order_item=items[oid],
                buyer=buyers.get(rec.buyer_nick),
                oid=oid,
                tid=rec.tid,
                result=rec.result,
                first_result=rec.result,
                content=rec.content,
                rated_at=rec.rated_at,
                followup_content=rec.followup_content,
                followup_at=rec.followup_at,
                explanation=rec.explanation,
                valid_score=rec.valid_score,
                is_default=rec.is_default,
                desc_score=rec.desc_score,
                service_score=rec.service_score,
                logistics_score=rec.logistics_score,
            )
            to_create.append(review)
            pending_events.append((review, ReviewEventKind.CREATED, None))
            continue
        previous_result = review.result
        kind = _apply_record(review, rec, observed_at)
        if kind is None:
            if _apply_silent_fields(review, rec):
                to_update.append(review)
            stats.unchanged += 1
            continue
        _apply_silent_fields(review, rec)
        to_update.append(review)
        pending_events.append((review, kind, previous_result))

    if to_create:
        Review.objects.bulk_create(to_create)
        if to_create[0].pk is None:  # backends without RETURNING on bulk insert
            ids = dict(
                Review.objects.filter(shop=shop, oid__in=[r.oid for r in to_create]).values_list(
                    "oid", "id"
                )
            )
            for review in to_create:
                review.pk = ids[review.oid]
        stats.created = len(to_create)
    if to_update:
        Review.objects.bulk_update(
            to_update,
            [
                *_VERSIONED_FIELDS,
                *_SILENT_FIELDS,
                "revised_at",
                "version_count",
                "updated_at",
            ],
        )
    for review, kind, previous in pending_events:
        if kind is not ReviewEventKind.CREATED:
            stats.changed += 1
        versions.append(_version_of(review, observed_at=observed_at, source=source))
        stats.events.append(
            ReviewEvent(
                kind=kind,
                review_id=review.pk,
                version=review.version_count,
                previous_result=previous,
            )
        )
    ReviewVersion.objects.bulk_create(versions)
    return stats


def _apply_record(
    review: Review, rec: ReviewRecord, observed_at: dt.datetime
) -> ReviewEventKind | None:
    """Move `review` towards `rec`; return the event kind, or None when no versioned field changed."""
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
        if value is None and name != "is_default":
            continue
        if getattr(review, name) != value:
            setattr(review, name, value)
            changed = True
    return changed


def _version_of(review: Review, *, observed_at: dt.datetime, source: str) -> ReviewVersion:
    return ReviewVersion(
        review_id=review.pk,
        number=review.version_count,
        result=review.result,
        content=review.content,
        followup_content=review.followup_content,
        followup_at=review.followup_at,
        explanation=review.explanation,
        state=review.state,
        observed_at=observed_at,
        source=source[:255],
    )


def review_mark_gone(*, shop: Shop, record: ReviewGoneRecord, source: str) -> ReviewEvent | None:
    """A review the platform no longer lists was deleted by the buyer (PLATFORM §9.1 L5)."""
    review = Review.objects.filter(shop=shop, oid=record.oid).first()
    if review is None or review.state == ReviewState.DELETED:
        return None
    previous = review.result
    review.state = ReviewState.DELETED
    review.version_count += 1
    review.save(update_fields=["state", "version_count", "updated_at"])
    _version_of(review, observed_at=record.observed_at, source=source).save()
    return ReviewEvent(
        kind=ReviewEventKind.DELETED,
        review_id=review.pk,
        version=review.version_count,
        previous_result=previous,
    )


def order_records_ingest(*, shop: Shop, records: Sequence[OrderRecord]) -> IngestStats:
    """Upsert one batch of orders with their items; fills in stubs created from reviews."""
    stats = IngestStats()
    by_tid: dict[int, OrderRecord] = {}
    for record in records:
        prior = by_tid.get(record.tid)
        # Item-level exports give one row per item: merge the items of rows sharing a tid.
        if prior is not None:
            merged = {i.oid: i for i in (*prior.items, *record.items)}
            record = _with_items(record, tuple(merged.values()))  # noqa: PLW2901
        by_tid[record.tid] = record
    if not by_tid:
        return stats
    buyers = buyers_ensure(shop=shop, nicks=(r.buyer_nick for r in by_tid.values()))
    _buyer_contacts_update(buyers, by_tid.values())
    existing = {o.tid: o for o in Order.objects.filter(shop=shop, tid__in=by_tid)}
    order_fields = ("buyer", "status", "created_at", "paid_at", "ended_at", "payment", "is_stub")
    to_create: list[Order] = []
    to_update: list[Order] = []
    for tid, rec in by_tid.items():
        values = {
            "buyer": buyers.get(rec.buyer_nick),
            "status": rec.status,
            "created_at": rec.created_at,
            "paid_at": rec.paid_at,
            "ended_at": rec.ended_at,
            "payment": rec.payment,
            "is_stub": False,
        }
        order = existing.get(tid)
        if order is None:
            to_create.append(Order(shop=shop, tid=tid, **values))
            continue
        if any(getattr(order, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(order, k, v)
            to_update.append(order)
    if to_create:
        Order.objects.bulk_create(to_create)
    if to_update:
        Order.objects.bulk_update(to_update, [*order_fields, "updated_at"])
    stats.orders_created = len(to_create)
    stats.orders_updated = len(to_update)
    orders = {o.tid: o for o in Order.objects.filter(shop=shop, tid__in=by_tid)}
    _items_upsert(shop=shop, orders=orders, records=by_tid.values())
    return stats


def _with_items(rec: OrderRecord, items: tuple[OrderItemRecord, ...]) -> OrderRecord:
    return replace(rec, items=items)


def _buyer_contacts_update(buyers: dict[str, Buyer], records: Iterable[OrderRecord]) -> None:
    changed: list[Buyer] = []
    for rec in records:
        buyer = buyers.get(rec.buyer_nick)
        if buyer is None:
            continue
        values = {"phone": rec.phone, "address": rec.address, "receiver_name": rec.receiver_name}
        if any(v and getattr(buyer, k) != v for k, v in values.items()):
            for k, v in values.items():
                if v:
                    setattr(buyer, k, v)
            changed.append(buyer)
    if changed:
        Buyer.objects.bulk_update(changed, ["phone", "address", "receiver_name"])


def _items_upsert(*, shop: Shop, orders: dict[int, Order], records: Iterable[OrderRecord]) -> None:
    wanted = {i.oid: (rec.tid, i) for rec in records for i in rec.items}
    existing = {i.oid: i for i in OrderItem.objects.filter(shop=shop, oid__in=wanted)}
    fields = (
        "order",
        "num_iid",
        "title",
        "sku",
        "quantity",
        "price",
        "payment",
        "status",
        "refund_status",
    )
    to_create: list[OrderItem] = []
    to_update: list[OrderItem] = []
    for oid, (tid, rec) in wanted.items():
        values = {
            "order": orders[tid],
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
            to_create.append(OrderItem(shop=shop, oid=oid, **values))
        elif any(getattr(item, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(item, k, v)
            to_update.append(item)
    if to_create:
        OrderItem.objects.bulk_create(to_create)
    if to_update:
        OrderItem.objects.bulk_update(to_update, list(fields))
