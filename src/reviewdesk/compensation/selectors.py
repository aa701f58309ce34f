"""Compensation reads: spend per case, per case outcome, per shop-local month (STYLE C3)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db.models import Count, QuerySet, Sum

from reviewdesk.cases.models import Case
from reviewdesk.compensation.models import (
    SPENDING_STATUSES,
    CompensationOffer,
    MonthlyBudget,
    OfferStatus,
)
from reviewdesk.shops.models import Membership, Role, Shop
from reviewdesk.shops.selectors import Actor, shops_visible_to

ZERO = Decimal("0.00")


def _money(value: Decimal | None) -> Decimal:
    """SQLite sums come back without scale (Decimal("15")); show cents everywhere."""
    return (value if value is not None else ZERO).quantize(ZERO)


def shop_month(shop: Shop, at: dt.datetime) -> str:
    """The shop-local calendar month of `at`, "YYYY-MM" (budgets are per local month)."""
    return at.astimezone(ZoneInfo(shop.timezone or "Asia/Shanghai")).strftime("%Y-%m")


def month_spend(*, shop: Shop, month: str) -> Decimal:
    total = CompensationOffer.objects.filter(
        shop=shop, spend_month=month, status__in=SPENDING_STATUSES
    ).aggregate(total=Sum("amount"))["total"]
    return _money(total)


def offers_for_case(*, case: Case) -> QuerySet[CompensationOffer]:
    """The case came from cases.selectors.case_get, which scoped it."""
    return (
        CompensationOffer.objects.filter(case=case)
        .select_related("offered_by", "approved_by")
        .order_by("created_at", "id")
    )


def spend_for_case(*, case: Case) -> Decimal:
    total = CompensationOffer.objects.filter(case=case, status__in=SPENDING_STATUSES).aggregate(
        total=Sum("amount")
    )["total"]
    return _money(total)


def spend_by_outcome(
    *, actor: Actor, shop_slug: str | None = None, month: str | None = None
) -> dict[str, Decimal]:
    """Approved and paid compensation per case outcome ("" = case still open)."""
    qs = CompensationOffer.objects.filter(
        shop__in=shops_visible_to(actor), status__in=SPENDING_STATUSES
    )
    if shop_slug:
        qs = qs.filter(shop__slug=shop_slug)
    if month:
        qs = qs.filter(spend_month=month)
    rows = qs.values("case__outcome").annotate(total=Sum("amount")).order_by("case__outcome")
    return {r["case__outcome"]: _money(r["total"]) for r in rows}


def offers_pending_approval(*, actor: Actor) -> QuerySet[CompensationOffer]:
    """Offers waiting in shops where the actor is supervisor or above."""
    if getattr(actor, "is_superuser", False) or actor.pk is None:
        shops = shops_visible_to(actor)
    else:
        roles = [Role.SUPERVISOR, Role.OWNER, Role.ADMIN]
        shop_ids = Membership.objects.filter(
            user_id=int(actor.pk), is_active=True, role__in=roles
        ).values("shop_id")
        shops = Shop.objects.filter(pk__in=shop_ids)
    return (
        CompensationOffer.objects.filter(shop__in=shops, status=OfferStatus.PENDING_APPROVAL)
        .select_related("case", "shop", "offered_by")
        .order_by("created_at", "id")
    )


def spend_by_case(
    *, actor: Actor, shop_slug: str, month: str, limit: int = 100
) -> list[dict[str, object]]:
    """Approved and paid compensation per case in one shop-local month, largest first:
    {"case_id", "buyer_nick", "outcome", "status", "offers", "total"}."""
    rows = (
        CompensationOffer.objects.filter(
            shop__in=shops_visible_to(actor),
            shop__slug=shop_slug,
            spend_month=month,
            status__in=SPENDING_STATUSES,
        )
        .values("case_id", "case__buyer__nick", "case__outcome", "case__status")
        .annotate(total=Sum("amount"), offers=Count("id"))
        .order_by("-total", "case_id")[:limit]
    )
    return [
        {
            "case_id": r["case_id"],
            "buyer_nick": r["case__buyer__nick"] or "",
            "outcome": r["case__outcome"] or "",
            "status": r["case__status"],
            "offers": r["offers"],
            "total": _money(r["total"]),
        }
        for r in rows
    ]


def shop_offers_pending_approval(*, actor: Actor, shop: Shop) -> QuerySet[CompensationOffer]:
    """offers_pending_approval narrowed to one shop, with the case facts the list shows."""
    return offers_pending_approval(actor=actor).filter(shop=shop).select_related("case__buyer")


def monthly_budget(*, shop: Shop) -> Decimal | None:
    """The shop's monthly compensation budget, or None when the owner has set none."""
    row = MonthlyBudget.objects.filter(shop=shop).first()
    return row.amount if row is not None else None
