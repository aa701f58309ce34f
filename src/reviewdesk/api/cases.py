"""GET /api/cases and /api/cases/{id}: the queue and the case page for programs.

Scoped like the workbench (cases.selectors): another shop's case is a 404, never a 403.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Literal

from django.core.paginator import Paginator
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from reviewdesk.aftersales.models import Refund
from reviewdesk.cases.models import Case
from reviewdesk.cases.selectors import CaseFilters, case_get, case_list
from reviewdesk.cases.workflow import Status
from reviewdesk.logistics.models import Shipment
from reviewdesk.reviews.selectors import buyer_contact, contact_visible_shop_ids

router = Router(tags=["cases"])

ID_NOTE = "64-bit integer; JavaScript loses precision above 2^53, read the *_str twin there."


class CaseBuyerOut(Schema):
    nick: str
    phone: str = Field(description="masked (138****5678) unless the caller is supervisor+")
    address: str
    receiver_name: str
    masked: bool


class CaseReviewOut(Schema):
    id: int
    oid: int = Field(description=ID_NOTE)
    oid_str: str
    tid: int = Field(description=ID_NOTE)
    tid_str: str
    result: Literal["good", "neutral", "bad"]
    first_result: str
    content: str
    rated_at: dt.datetime
    item_title: str
    followup_content: str
    followup_at: dt.datetime | None
    explanation: str
    state: str
    revised_at: dt.datetime | None
    version_count: int


class CaseRefundOut(Schema):
    """The refund or return request of a refund/return case (DOMAIN 售后类型 退款)."""

    refund_id: int = Field(description=ID_NOTE)
    refund_id_str: str
    tid: int = Field(description=ID_NOTE)
    tid_str: str
    status: str = Field(
        description="waiting_seller | waiting_buyer_return | waiting_seller_confirm | "
        "seller_refused | closed | success"
    )
    status_text: str = Field(description="the platform's own words")
    reason: str
    description: str
    amount: Decimal | None
    item_title: str
    applied_at: dt.datetime | None
    timeout_at: dt.datetime | None = Field(description="超时时间: the platform acts on its own")
    finished_at: dt.datetime | None
    phase: str = Field(description="in_sale | after_sale | empty when unknown")
    has_return: bool | None
    intervention: bool


class CaseShipmentOut(Schema):
    """The parcel of a logistics case (DOMAIN 售后类型 物流); its sub-type is the case's `cause`
    (late_shipment | not_shipped | not_collected | stalled | signed_not_received)."""

    tid: int = Field(description=ID_NOTE)
    tid_str: str
    carrier: str
    tracking_no: str
    consigned_at: dt.datetime | None = Field(description="发货时间")
    ship_by_at: dt.datetime | None = Field(description="应发货时间")
    signed_at: dt.datetime | None = Field(description="never set for offline parcels (§6.3)")
    last_event_at: dt.datetime | None
    offline: bool


class CaseOut(Schema):
    id: int
    shop: str = Field(description="shop slug")
    kind: str
    status: str
    outcome: str
    assignee: str | None = Field(description="username")
    buyer_group: str | None = Field(description="neutral | bad | offered | revised (DOMAIN R7)")
    cause: str
    severity: str
    risk_flags: list[str]
    opened_at: dt.datetime
    closed_at: dt.datetime | None
    buyer: CaseBuyerOut | None
    review: CaseReviewOut | None
    refund: CaseRefundOut | None = None
    shipment: CaseShipmentOut | None = None


class CasePageOut(Schema):
    items: list[CaseOut]
    count: int
    page: int
    pages: int
    page_size: int


class CaseOrderItemOut(Schema):
    oid: int = Field(description=ID_NOTE)
    oid_str: str
    num_iid: int | None
    title: str
    sku: str
    quantity: int
    price: Decimal | None
    payment: Decimal | None
    status: str
    refund_status: str


class CaseOrderOut(Schema):
    tid: int = Field(description=ID_NOTE)
    tid_str: str
    status: str
    payment: Decimal | None
    created_at: dt.datetime | None
    paid_at: dt.datetime | None
    ended_at: dt.datetime | None
    is_stub: bool
    items: list[CaseOrderItemOut]


class CaseReviewVersionOut(Schema):
    number: int
    result: str
    content: str
    followup_content: str
    explanation: str
    state: str
    observed_at: dt.datetime
    source: str


class CaseEventOut(Schema):
    at: dt.datetime
    kind: str
    actor: str | None = Field(description="username; null for the system")
    message: str
    data: dict[str, object]


class CaseDetailOut(CaseOut):
    order: CaseOrderOut | None
    versions: list[CaseReviewVersionOut]
    events: list[CaseEventOut]


class CaseListIn(Schema):
    shop: str | None = Field(None, description="shop slug")
    status: str | None = Field(
        None, description='"open" (every open status) or one status: ' + ", ".join(Status)
    )
    group: Literal["neutral", "bad", "offered", "revised"] | None = None
    assignee: str | None = Field(None, description='username, "me" or "none"')
    result: Literal["good", "neutral", "bad"] | None = None
    page: int = Field(1, ge=1)
    page_size: int = Field(50, ge=1, le=200)


def _case_out(case: Case, contact_shops: frozenset[int]) -> dict[str, object]:
    review = case.review
    return {
        "id": case.pk,
        "shop": case.shop.slug,
        "kind": case.kind,
        "status": case.status,
        "outcome": case.outcome,
        "assignee": case.assignee.get_username() if case.assignee else None,
        "buyer_group": case.buyer_group(),
        "cause": case.cause,
        "severity": case.severity,
        "risk_flags": list(case.risk_flags or []),
        "opened_at": case.opened_at,
        "closed_at": case.closed_at,
        "buyer": buyer_contact(buyer=case.buyer, visible_shop_ids=contact_shops),
        "review": None
        if review is None
        else {
            "id": review.pk,
            "oid": review.oid,
            "oid_str": str(review.oid),
            "tid": review.tid,
            "tid_str": str(review.tid),
            "result": review.result,
            "first_result": review.first_result,
            "content": review.content,
            "rated_at": review.rated_at,
            "item_title": review.order_item.title,
            "followup_content": review.followup_content,
            "followup_at": review.followup_at,
            "explanation": review.explanation,
            "state": review.state,
            "revised_at": review.revised_at,
            "version_count": review.version_count,
        },
        "refund": _refund_out(case.refund),
        "shipment": _shipment_out(case.shipment),
    }


def _shipment_out(shipment: Shipment | None) -> dict[str, object] | None:
    if shipment is None:
        return None
    return {
        "tid": shipment.tid,
        "tid_str": str(shipment.tid),
        "carrier": shipment.carrier,
        "tracking_no": shipment.tracking_no,
        "consigned_at": shipment.consigned_at,
        "ship_by_at": shipment.ship_by_at,
        "signed_at": shipment.signed_at,
        "last_event_at": shipment.last_event_at,
        "offline": shipment.offline,
    }


def _refund_out(refund: Refund | None) -> dict[str, object] | None:
    if refund is None:
        return None
    return {
        "refund_id": refund.refund_id,
        "refund_id_str": str(refund.refund_id),
        "tid": refund.tid,
        "tid_str": str(refund.tid),
        "status": refund.status,
        "status_text": refund.status_text,
        "reason": refund.reason,
        "description": refund.description,
        "amount": refund.amount,
        "item_title": refund.item_title,
        "applied_at": refund.applied_at,
        "timeout_at": refund.timeout_at,
        "finished_at": refund.finished_at,
        "phase": refund.phase,
        "has_return": refund.has_return,
        "intervention": refund.intervention,
    }


@router.get("", response=CasePageOut, summary="List cases (the queue)")
def cases_list(request: HttpRequest, filters: Query[CaseListIn]) -> dict[str, object]:
    actor = request.user
    qs = case_list(
        actor=actor,
        filters=CaseFilters(
            shop=filters.shop,
            status=filters.status,
            group=filters.group,
            assignee=filters.assignee,
            result=filters.result,
        ),
    )
    paginator = Paginator(qs, filters.page_size)
    page = paginator.get_page(filters.page)
    contact_shops = contact_visible_shop_ids(actor=actor)
    return {
        "items": [_case_out(c, contact_shops) for c in page.object_list],
        "count": paginator.count,
        "page": page.number,
        "pages": paginator.num_pages,
        "page_size": filters.page_size,
    }


@router.get("/{case_id}", response=CaseDetailOut, summary="Read one case")
def cases_get(request: HttpRequest, case_id: int) -> dict[str, object]:
    actor = request.user
    case = case_get(actor=actor, case_id=case_id)
    out = _case_out(case, contact_visible_shop_ids(actor=actor))
    order = case.order
    out["order"] = (
        None
        if order is None
        else {
            "tid": order.tid,
            "tid_str": str(order.tid),
            "status": order.status,
            "payment": order.payment,
            "created_at": order.created_at,
            "paid_at": order.paid_at,
            "ended_at": order.ended_at,
            "is_stub": order.is_stub,
            "items": [
                {
                    "oid": item.oid,
                    "oid_str": str(item.oid),
                    "num_iid": item.num_iid,
                    "title": item.title,
                    "sku": item.sku,
                    "quantity": item.quantity,
                    "price": item.price,
                    "payment": item.payment,
                    "status": item.status,
                    "refund_status": item.refund_status,
                }
                for item in sorted(order.items.all(), key=lambda i: i.oid)
            ],
        }
    )
    out["versions"] = list(case.review.versions.all()) if case.review else []
    out["events"] = [
        {
            "at": e.at,
            "kind": e.kind,
            "actor": e.actor.get_username() if e.actor else None,
            "message": e.message,
            "data": e.data or {},
        }
        for e in case.events.all()
    ]
    return out
