"""Refund reads, always scoped by the acting user (STYLE C3)."""

from __future__ import annotations

from django.db.models import QuerySet

from reviewdesk.aftersales.models import Refund
from reviewdesk.shops.selectors import Actor, shops_visible_to


def refund_list(
    *, actor: Actor, shop: str | None = None, open_only: bool = False
) -> QuerySet[Refund]:
    """The refunds of the shops the actor may see, newest request first."""
    qs = Refund.objects.filter(shop__in=shops_visible_to(actor)).select_related(
        "shop", "order", "buyer"
    )
    if shop:
        qs = qs.filter(shop__slug=shop)
    if open_only:
        qs = qs.open()
    return qs.order_by("-applied_at", "-id")


def refund_get(*, actor: Actor, refund_pk: int) -> Refund | None:
    """The refund if the actor may see it, else None (no existence leak across shops)."""
    return refund_list(actor=actor).filter(pk=refund_pk).first()
