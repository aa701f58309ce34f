"""Triage of ingested review texts: the classifier's verdict stored on the review (issue 4).

Runs inside the ingestion transaction, before cases are opened, because the verdict decides
whether a good review opens a case (a hidden complaint) and gives new cases their cause, severity
and risk flags.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db.models import Count, Q

from reviewdesk.core.bulk import update_column
from reviewdesk.reviews.events import ReviewEvent, ReviewEventKind
from reviewdesk.reviews.models import NEGATIVE_RESULTS, OrderItem, Review, ReviewResult
from reviewdesk.shops.models import Shop
from reviewdesk.triage.services import triage_classify_batch
from reviewdesk.triage.types import BuyerHistory, TriageContext

# Events whose text is new or changed; revisions to good and deletions need no new verdict.
TRIAGED_KINDS = frozenset(
    {
        ReviewEventKind.CREATED,
        ReviewEventKind.CHANGED,
        ReviewEventKind.FOLLOWUP_ADDED,
        ReviewEventKind.WORSENED,
    }
)
# Order states in which the buyer has the goods; a bad review before them is a 职业差评师 signal.
_RECEIVED_STATES = ("TRADE_FINISHED", "TRADE_BUYER_SIGNED", "交易成功")


def reviews_triage(*, shop: Shop, events: Sequence[ReviewEvent]) -> set[int]:
    """Classify the texts these events touched and store the verdicts on the reviews.

    Returns the ids of good reviews read as complaints (they open low-severity cases).
    """
    ids = [e.review_id for e in events if e.kind in TRIAGED_KINDS]
    if not ids:
        return set()
    rows = list(
        Review.objects.filter(id__in=ids).values(
            "id",
            "content",
            "followup_content",
            "result",
            "buyer_id",
            "order_item__title",
            "order_item__order_id",
        )
    )
    rows = [r for r in rows if r["content"].strip() or r["followup_content"].strip()]
    if not rows:
        return set()
    item_counts = dict(
        OrderItem.objects.filter(order_id__in={r["order_item__order_id"] for r in rows})
        .values("order_id")
        .annotate(n=Count("id"))
        .values_list("order_id", "n")
    )
    history = _buyer_histories(shop, {r["buyer_id"] for r in rows if r["buyer_id"]})
    contexts = [
        TriageContext(
            result=r["result"],
            followup=r["followup_content"] or None,
            item_title=r["order_item__title"] or None,
            order_item_count=item_counts.get(r["order_item__order_id"], 1),
            buyer_history=history.get(r["buyer_id"], BuyerHistory()),
            category=shop.product_category or None,
        )
        for r in rows
    ]
    results = triage_classify_batch(
        texts=[r["content"] for r in rows], contexts=contexts, shop_slug=shop.slug
    )
    update_column(
        Review, "triage", {r["id"]: res.to_dict() for r, res in zip(rows, results, strict=True)}
    )
    return {
        r["id"]
        for r, res in zip(rows, results, strict=True)
        if r["result"] == ReviewResult.GOOD and res.is_complaint
    }


def _buyer_histories(shop: Shop, buyer_ids: set[int]) -> dict[int, BuyerHistory]:
    if not buyer_ids:
        return {}
    negative = Q(first_result__in=NEGATIVE_RESULTS)
    unreceived = (
        negative
        & ~Q(order_item__order__status__in=_RECEIVED_STATES)
        & Q(order_item__order__is_stub=False)
    )
    rows = (
        Review.objects.filter(shop=shop, buyer_id__in=buyer_ids)
        .values("buyer_id")
        .annotate(
            total=Count("id"),
            negatives=Count("id", filter=negative),
            unreceived=Count("id", filter=unreceived),
        )
    )
    return {
        row["buyer_id"]: BuyerHistory(
            neutral_bad_count=row["negatives"],
            review_count=row["total"],
            unreceived_review_count=row["unreceived"],
        )
        for row in rows
    }
