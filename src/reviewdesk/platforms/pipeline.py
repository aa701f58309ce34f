"""The ingestion pipeline every connector feeds: records -> rows -> triage -> cases (reviews,
orders, deleted reviews, refund and return requests, shipments and their trace).

One call is one transaction: the reviews of a batch and the cases they open are committed together,
and a replay of the same records changes nothing (exactly-once by unique keys, not by memory).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db import transaction

from reviewdesk.aftersales.services import RefundIngestStats, refund_records_ingest
from reviewdesk.cases.services import (
    cases_apply_logistics,
    cases_apply_refund_events,
    cases_apply_review_events,
)
from reviewdesk.core import clock
from reviewdesk.logistics.models import DONE_ORDER_STATUSES, Shipment
from reviewdesk.logistics.services import (
    ShipmentIngestStats,
    shipment_records_ingest,
    shipments_mark_not_received,
)
from reviewdesk.platforms.records import (
    OrderRecord,
    RefundRecord,
    ReviewGoneRecord,
    ReviewRecord,
    ShipmentRecord,
)
from reviewdesk.ratings.services import scored_trades_from_reviews
from reviewdesk.reviews.events import ReviewEvent, ReviewEventKind
from reviewdesk.reviews.models import Review, ReviewResult
from reviewdesk.reviews.services import (
    IngestStats,
    order_records_ingest,
    review_mark_gone,
    review_records_ingest,
)
from reviewdesk.reviews.triage import reviews_triage
from reviewdesk.shops.models import Shop


@dataclass
class PipelineResult:
    stats: IngestStats = field(default_factory=IngestStats)
    cases_opened: int = 0


def ingest_reviews(
    *,
    shop: Shop,
    records: Sequence[ReviewRecord],
    source: str,
    at: dt.datetime | None = None,
) -> PipelineResult:
    at = at or clock.now()
    result = PipelineResult()
    with transaction.atomic():
        stats = review_records_ingest(shop=shop, records=records, source=source, observed_at=at)
        complaints = reviews_triage(shop=shop, events=stats.events)
        scored_trades_from_reviews(shop=shop, review_ids=_created_or_changed(stats.events))
        opened = cases_apply_review_events(
            shop=shop, events=_needing_case_action(stats.events, complaints), at=at
        )
    result.stats = stats
    result.cases_opened = len(opened)
    return result


def _created_or_changed(events: Sequence[ReviewEvent]) -> list[int]:
    return [e.review_id for e in events if e.kind is not ReviewEventKind.DELETED]


def _needing_case_action(events: Sequence[ReviewEvent], complaints: set[int]) -> list[ReviewEvent]:
    """A new good review needs no case unless triage read it as a complaint; skipping the ~90% of
    new reviews that are plainly good keeps large imports fast."""
    return [
        e
        for e in events
        if not (
            e.kind is ReviewEventKind.CREATED
            and e.result == ReviewResult.GOOD
            and e.review_id not in complaints
        )
    ]


def ingest_orders(
    *, shop: Shop, records: Sequence[OrderRecord], at: dt.datetime | None = None
) -> PipelineResult:
    at = at or clock.now()
    with transaction.atomic():
        stats = order_records_ingest(shop=shop, records=records)
        opened = _order_shipments_ingest(shop=shop, records=records, at=at)
        # Stars seen on reviews before their order arrived count once the trade time is known.
        waiting = Review.objects.filter(shop=shop, tid__in=[r.tid for r in records]).values_list(
            "id", flat=True
        )
        scored_trades_from_reviews(shop=shop, review_ids=list(waiting))
    return PipelineResult(stats=stats, cases_opened=opened)


def _order_shipments_ingest(*, shop: Shop, records: Sequence[OrderRecord], at: dt.datetime) -> int:
    """The export's logistics columns (EXPORTS §1): stored for every order; only orders still in
    flight are evaluated (a finished trade's late shipment is history, not a case)."""
    shipments = [r.shipment for r in records if r.shipment is not None]
    if not shipments:
        return 0
    stats = shipment_records_ingest(shop=shop, records=shipments, observed_at=at)
    live = {
        r.tid for r in records if r.shipment is not None and r.status not in DONE_ORDER_STATUSES
    }
    touched = list(
        Shipment.objects.filter(pk__in=stats.touched, tid__in=live).values_list("id", flat=True)
    )
    return len(cases_apply_logistics(shop=shop, shipment_ids=touched, at=at))


def ingest_gone_reviews(
    *,
    shop: Shop,
    records: Sequence[ReviewGoneRecord],
    source: str,
    at: dt.datetime | None = None,
) -> PipelineResult:
    result = PipelineResult()
    with transaction.atomic():
        events = [
            e
            for e in (review_mark_gone(shop=shop, record=r, source=source) for r in records)
            if e is not None
        ]
        cases_apply_review_events(shop=shop, events=events, at=at or clock.now())
    result.stats.events = events
    return result


@dataclass
class RefundPipelineResult:
    stats: RefundIngestStats = field(default_factory=RefundIngestStats)
    cases_opened: int = 0


def ingest_refunds(
    *,
    shop: Shop,
    records: Sequence[RefundRecord],
    source: str = "",
    at: dt.datetime | None = None,
) -> RefundPipelineResult:
    """Refund and return requests -> rows -> cases, in one transaction (DOMAIN 售后类型 退款:
    "watch refund requests continuously"). A replay of the same records changes nothing.
    `source` is accepted for symmetry with the other streams; refunds keep no versions."""
    at = at or clock.now()
    with transaction.atomic():
        stats = refund_records_ingest(shop=shop, records=records, observed_at=at)
        opened = cases_apply_refund_events(shop=shop, events=stats.events, at=at)
        # A request "not received" about a parcel shown as signed: 签收未收到 (DOMAIN 物流).
        not_received = [r.tid for r in records if NOT_RECEIVED_WORDS in r.reason]
        if not_received:
            marked = shipments_mark_not_received(shop=shop, tids=not_received)
            opened += cases_apply_logistics(shop=shop, shipment_ids=marked, at=at)
    return RefundPipelineResult(stats=stats, cases_opened=len(opened))


NOT_RECEIVED_WORDS = "未收到"


@dataclass
class LogisticsPipelineResult:
    stats: ShipmentIngestStats = field(default_factory=ShipmentIngestStats)
    cases_opened: int = 0


def ingest_logistics(
    *,
    shop: Shop,
    records: Sequence[ShipmentRecord],
    source: str = "",
    at: dt.datetime | None = None,
) -> LogisticsPipelineResult:
    """Shipments and their trace -> rows -> logistics cases, in one transaction. A replay of the
    same records changes nothing. `source` is accepted for symmetry; shipments keep no versions.
    Parcels that go quiet without a new event are caught by `logistics.tasks` (the re-check)."""
    at = at or clock.now()
    with transaction.atomic():
        stats = shipment_records_ingest(shop=shop, records=records, observed_at=at)
        opened = cases_apply_logistics(shop=shop, shipment_ids=stats.touched, at=at)
    return LogisticsPipelineResult(stats=stats, cases_opened=len(opened))
