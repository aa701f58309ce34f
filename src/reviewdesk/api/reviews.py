"""GET /api/reviews and /api/reviews/{id}: reviews of the caller's shops with their versions."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.core.paginator import Paginator
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from reviewdesk.reviews.models import Review
from reviewdesk.reviews.selectors import (
    buyer_contact,
    contact_visible_shop_ids,
    review_get,
    review_list,
)

router = Router(tags=["reviews"])

ID_NOTE = "64-bit integer; JavaScript loses precision above 2^53, read the *_str twin there."


class ReviewBuyerOut(Schema):
    nick: str
    phone: str = Field(description="masked (138****5678) unless the caller is supervisor+")
    address: str
    receiver_name: str
    masked: bool


class ReviewOut(Schema):
    id: int
    shop: str = Field(description="shop slug")
    oid: int = Field(description=ID_NOTE)
    oid_str: str
    tid: int = Field(description=ID_NOTE)
    tid_str: str
    num_iid: int | None
    item_title: str
    result: Literal["good", "neutral", "bad"]
    first_result: str
    content: str
    rated_at: dt.datetime
    followup_content: str
    followup_at: dt.datetime | None
    explanation: str
    desc_score: int | None
    service_score: int | None
    logistics_score: int | None
    valid_score: bool | None
    is_default: bool
    state: Literal["present", "deleted"]
    revised_at: dt.datetime | None
    version_count: int
    buyer: ReviewBuyerOut | None


class ReviewPageOut(Schema):
    items: list[ReviewOut]
    count: int
    page: int
    pages: int
    page_size: int


class ReviewVersionOut(Schema):
    number: int
    result: str
    content: str
    followup_content: str
    followup_at: dt.datetime | None
    explanation: str
    state: str
    observed_at: dt.datetime
    source: str


class ReviewDetailOut(ReviewOut):
    versions: list[ReviewVersionOut]


class ReviewListIn(Schema):
    shop: str | None = Field(None, description="shop slug")
    result: Literal["good", "neutral", "bad"] | None = None
    state: Literal["present", "deleted"] | None = None
    tid: int | None = Field(None, description="only the reviews of this order")
    page: int = Field(1, ge=1)
    page_size: int = Field(50, ge=1, le=200)


def _review_out(review: Review, contact_shops: frozenset[int]) -> dict[str, object]:
    return {
        "id": review.pk,
        "shop": review.shop.slug,
        "oid": review.oid,
        "oid_str": str(review.oid),
        "tid": review.tid,
        "tid_str": str(review.tid),
        "num_iid": review.order_item.num_iid,
        "item_title": review.order_item.title,
        "result": review.result,
        "first_result": review.first_result,
        "content": review.content,
        "rated_at": review.rated_at,
        "followup_content": review.followup_content,
        "followup_at": review.followup_at,
        "explanation": review.explanation,
        "desc_score": review.desc_score,
        "service_score": review.service_score,
        "logistics_score": review.logistics_score,
        "valid_score": review.valid_score,
        "is_default": review.is_default,
        "state": review.state,
        "revised_at": review.revised_at,
        "version_count": review.version_count,
        "buyer": buyer_contact(buyer=review.buyer, visible_shop_ids=contact_shops),
    }


@router.get("", response=ReviewPageOut, summary="List reviews")
def reviews_list(request: HttpRequest, filters: Query[ReviewListIn]) -> dict[str, object]:
    actor = request.user
    qs = review_list(
        actor=actor, shop=filters.shop, result=filters.result, state=filters.state, tid=filters.tid
    )
    paginator = Paginator(qs, filters.page_size)
    page = paginator.get_page(filters.page)
    contact_shops = contact_visible_shop_ids(actor=actor)
    return {
        "items": [_review_out(r, contact_shops) for r in page.object_list],
        "count": paginator.count,
        "page": page.number,
        "pages": paginator.num_pages,
        "page_size": filters.page_size,
    }


@router.get("/{review_id}", response=ReviewDetailOut, summary="Read one review with its versions")
def reviews_get(request: HttpRequest, review_id: int) -> dict[str, object]:
    actor = request.user
    review = review_get(actor=actor, review_id=review_id)
    out = _review_out(review, contact_visible_shop_ids(actor=actor))
    out["versions"] = list(review.versions.all())
    return out
