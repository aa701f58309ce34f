"""Shipment reads, always scoped by the acting user (STYLE C3)."""

from __future__ import annotations

from django.db.models import QuerySet

from reviewdesk.logistics.models import Shipment, TraceEvent
from reviewdesk.shops.selectors import Actor, shops_visible_to


def shipment_list(*, actor: Actor, shop: str | None = None) -> QuerySet[Shipment]:
    """The shipments of the shops the actor may see, newest shipping first."""
    qs = Shipment.objects.filter(shop__in=shops_visible_to(actor)).select_related(
        "shop", "order", "buyer"
    )
    if shop:
        qs = qs.filter(shop__slug=shop)
    return qs.order_by("-consigned_at", "-id")


def shipment_get(*, actor: Actor, shipment_pk: int) -> Shipment | None:
    """The shipment if the actor may see it, else None (no existence leak across shops)."""
    return shipment_list(actor=actor).filter(pk=shipment_pk).first()


def shipment_trace(*, actor: Actor, shipment_pk: int) -> list[TraceEvent]:
    """The parcel's trace, oldest first; empty for a shipment the actor may not see."""
    return list(
        TraceEvent.objects.filter(
            shipment_id=shipment_pk, shipment__shop__in=shops_visible_to(actor)
        ).order_by("at", "id")
    )


def shipment_for_order(*, actor: Actor, shop_id: int, tid: int) -> Shipment | None:
    """The parcel of an order of a shop the actor may see, else None."""
    return shipment_list(actor=actor).filter(shop_id=shop_id, tid=tid).first()
