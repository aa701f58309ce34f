"""The shop's compensation settings page (docs/replies.md, "Shop settings"): per-role limits and
the monthly budget (the owner edits, supervisors read), the month's spend per case outcome and
per case, and the offers waiting for approval with approve / reject buttons.

Routed from replies/urls.py next to the other shop settings pages (one URL prefix, one menu).
Thin (STYLE C6): the shop comes from replies.shop_views.managed_shop (404 for another shop, 403
below supervisor), each POST calls one compensation service with actor=request.user, and a
refused action re-renders the page region with the service's reason; nothing changes then.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from reviewdesk.compensation import selectors, services
from reviewdesk.compensation.errors import CompensationError
from reviewdesk.core import clock
from reviewdesk.replies.shop_views import managed_shop, settings_context
from reviewdesk.shops.models import Role, Shop

MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
LIMIT_ROLES = (Role.AGENT, Role.SUPERVISOR)
HUNDRED = Decimal("100")


def _month(request: HttpRequest, shop: Shop) -> str:
    month = request.GET.get("month", "")
    return month if MONTH.match(month) else selectors.shop_month(shop, clock.now())


def _previous_month(month: str) -> str:
    year, number = (int(p) for p in month.split("-"))
    return f"{year - 1}-12" if number == 1 else f"{year}-{number - 1:02d}"


def _next_month(month: str) -> str:
    year, number = (int(p) for p in month.split("-"))
    return f"{year + 1}-01" if number == 12 else f"{year}-{number + 1:02d}"


def _context(
    request: HttpRequest, shop: Shop, *, month: str | None = None, **extra: Any
) -> dict[str, Any]:
    month = month or _month(request, shop)
    context = settings_context(request, shop, "compensation")
    budget = selectors.monthly_budget(shop=shop)
    spent = selectors.month_spend(shop=shop, month=month)
    limits = []
    for role in LIMIT_ROLES:
        limit = services.limit_for(shop=shop, role=role)
        share = limit.max_share_of_order
        limits.append(
            {
                "role": role.value,
                "max_amount": limit.max_amount,
                "share_percent": (share * HUNDRED).normalize() if share is not None else None,
            }
        )
    current = selectors.shop_month(shop, clock.now())
    context.update(
        month=month,
        previous_month=_previous_month(month),
        next_month=_next_month(month) if month < current else "",
        limits=limits,
        budget=budget,
        spent=spent,
        remaining=(budget - spent) if budget is not None else None,
        by_outcome=selectors.spend_by_outcome(actor=request.user, shop_slug=shop.slug, month=month),
        by_case=selectors.spend_by_case(actor=request.user, shop_slug=shop.slug, month=month),
        pending=list(selectors.shop_offers_pending_approval(actor=request.user, shop=shop)),
        notice="",
        errors={},
    )
    context.update(extra)
    return context


def _respond(
    request: HttpRequest, shop: Shop, *, error_key: str = "", error: str = ""
) -> HttpResponse:
    """htmx: the page region re-rendered (with the error next to its form); plain post: a
    redirect on success, the page with the error (400) on refusal."""
    htmx = bool(getattr(request, "htmx", False))
    if not error and not htmx:
        return redirect(reverse("replies:shop_compensation", kwargs={"slug": shop.slug}))
    errors = {error_key: error} if error else {}
    notice = "" if error else _("Saved.")
    context = _context(request, shop, errors=errors, notice=notice)
    if htmx:
        return render(request, "compensation/_settings_region.html", context)
    return render(request, "compensation/settings.html", context, status=400)


@login_required
@require_GET
def shop_compensation(request: HttpRequest, slug: str) -> HttpResponse:
    shop = managed_shop(request, slug)
    return render(request, "compensation/settings.html", _context(request, shop))


def _percent_to_share(text: str) -> Decimal | str:
    """Humans type 30 (%); the service stores 0.3. Garbage goes on for the service to refuse."""
    try:
        return (Decimal(text.strip()) / HUNDRED).quantize(Decimal("0.0001"))
    except InvalidOperation:
        return text


@login_required
@require_POST
def shop_compensation_limit(request: HttpRequest, slug: str) -> HttpResponse:
    shop = managed_shop(request, slug)
    role = request.POST.get("role", "")
    try:
        services.compensation_limit_set(
            actor=request.user,
            shop=shop,
            role=role,
            max_amount=request.POST.get("max_amount", "").strip(),
            max_share_of_order=_percent_to_share(request.POST.get("share_percent", "")),
        )
    except CompensationError as exc:
        return _respond(request, shop, error_key=f"limit-{role}", error=exc.message)
    return _respond(request, shop)


@login_required
@require_POST
def shop_compensation_budget(request: HttpRequest, slug: str) -> HttpResponse:
    shop = managed_shop(request, slug)
    try:
        services.compensation_budget_set(
            actor=request.user, shop=shop, amount=request.POST.get("amount", "").strip()
        )
    except CompensationError as exc:
        return _respond(request, shop, error_key="budget", error=exc.message)
    return _respond(request, shop)


@login_required
@require_POST
def shop_compensation_decide(
    request: HttpRequest, slug: str, offer_id: int, action: str
) -> HttpResponse:
    """Approve or reject one offer waiting in this shop (compensation_approve/_reject)."""
    shop = managed_shop(request, slug)
    pending = selectors.shop_offers_pending_approval(actor=request.user, shop=shop)
    if action not in {"approve", "reject"} or not pending.filter(pk=offer_id).exists():
        raise Http404("no such offer waiting here")
    try:
        if action == "approve":
            services.compensation_approve(actor=request.user, offer_id=offer_id)
        else:
            services.compensation_reject(
                actor=request.user, offer_id=offer_id, note=request.POST.get("note", "").strip()
            )
    except CompensationError as exc:
        return _respond(request, shop, error_key=f"offer-{offer_id}", error=exc.message)
    return _respond(request, shop)
