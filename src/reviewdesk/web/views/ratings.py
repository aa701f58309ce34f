"""The shop's ratings page: DSR with full precision, the 180-day trend chart, alerts, what-ifs,
credit score and 好评率, and the calibration form (docs/ratings.md).

Every figure comes from `ratings.selectors`, which find the shop through `shop_get(actor=...)`,
so a user who is not a member of the shop gets a 404. The what-if forms are GET forms: an htmx
request that targets `#whatif-result` gets only that region, a plain one the whole page.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from reviewdesk.core.errors import DomainError
from reviewdesk.ratings.credit import NON_SCORING_SOURCE
from reviewdesk.ratings.dsr import DIMENSIONS, Dimension, DsrResult, format_ratio
from reviewdesk.ratings.selectors import (
    credit_overview,
    dsr_overview,
    dsr_promotion_whatif,
    dsr_target_whatif,
    dsr_trend,
    policy_of,
    rating_alerts_list,
    shop_today,
)
from reviewdesk.ratings.services import platform_calibration_record
from reviewdesk.shops.models import Role, Shop
from reviewdesk.shops.selectors import actor_has_role, shop_get
from reviewdesk.web.charts import dsr_trend_figure
from reviewdesk.web.errors import add_to_form, error_message, raise_if_not_found
from reviewdesk.web.forms import CalibrationForm, PromotionWhatIfForm, TargetWhatIfForm
from reviewdesk.web.labels import label
from reviewdesk.web.views.vendor import PLOTLY_VERSION

TREND_DAYS = 180
WHATIF_REGION = "whatif-result"
ALERTS_SHOWN = 20
# Who may enter the value the platform shows: ratings.services.platform_calibration_record allows
# owners only (the brief asks for supervisors too: requested from ratings); the form follows it.
CALIBRATION_ROLE = Role.OWNER


def _shop(request: HttpRequest, slug: str) -> Shop:
    try:
        return shop_get(actor=request.user, slug=slug)
    except DomainError as exc:
        raise_if_not_found(exc)
        raise


@dataclass(frozen=True, slots=True)
class DimensionRow:
    code: str
    label: str
    value: float | None  # full precision
    display: str | None  # as the storefront would show it (rules: decimals, rounding)
    total: int
    count: int
    threshold: Any


def _rows(result: DsrResult, policy: Any) -> list[DimensionRow]:
    return [
        DimensionRow(
            code=d.value,
            label=label("dimension", d.value),
            value=result[d].value,
            display=result[d].display,
            total=result[d].total,
            count=result[d].count,
            threshold=getattr(policy, f"{d.value}_threshold", None),
        )
        for d in DIMENSIONS
    ]


def _show(value: Fraction | None, decimals: int, rounding: Any) -> str | None:
    if value is None:
        return None
    return format_ratio(value.numerator, value.denominator, decimals, rounding)


def _whatif(request: HttpRequest, shop: Shop) -> dict[str, Any]:
    """The what-if the GET asks for (`whatif=target|promotion`), with its form and result."""
    kind = request.GET.get("whatif", "")
    today = shop_today(shop)
    target_form: forms.Form = TargetWhatIfForm(
        initial={"target": "4.8", "by": today + dt.timedelta(days=30)}
    )
    promo_form: forms.Form = PromotionWhatIfForm(initial={"orders": 500})
    out: dict[str, Any] = {"kind": kind, "target": None, "promotion": None, "error": ""}
    try:
        if kind == "target":
            target_form = TargetWhatIfForm(request.GET)
            if target_form.is_valid():
                data = target_form.cleaned_data
                dims = (Dimension(data["dimension"]),) if data["dimension"] else DIMENSIONS
                result = dsr_target_whatif(
                    actor=request.user,
                    slug=shop.slug,
                    target=Fraction(data["target"]),
                    by=data["by"],
                    dimensions=dims,
                )
                out["target"] = {
                    "result": result,
                    "rows": [
                        (label("dimension", d.value), result.base[d], n)
                        for d, n in result.needed.items()
                    ],
                }
        elif kind == "promotion":
            promo_form = PromotionWhatIfForm(request.GET)
            if promo_form.is_valid():
                result_p = dsr_promotion_whatif(
                    actor=request.user, slug=shop.slug, orders=promo_form.cleaned_data["orders"]
                )
                rules = result_p.rules
                out["promotion"] = {
                    "result": result_p,
                    "expected": float(result_p.expected_scores),
                    "rate": float(result_p.scoring_rate),
                    "rows": [
                        (
                            label("dimension", d.value),
                            result_p.base[d],
                            float(v) if (v := result_p.values.get(d)) is not None else None,
                            _show(result_p.values.get(d), rules.display_decimals, rules.rounding),
                        )
                        for d in DIMENSIONS
                    ],
                }
    except DomainError as exc:
        raise_if_not_found(exc)
        out["error"] = error_message(exc)
    out["target_form"] = target_form
    out["promo_form"] = promo_form
    return out


def _page_context(
    request: HttpRequest, shop: Shop, *, calibration_form: forms.Form | None = None
) -> dict[str, Any]:
    actor = request.user
    overview = dsr_overview(actor=actor, slug=shop.slug)
    today = overview.result.at
    trend = dsr_trend(
        actor=actor, slug=shop.slug, first=today - dt.timedelta(days=TREND_DAYS - 1), last=today
    )
    policy = policy_of(shop)
    credit = credit_overview(actor=actor, slug=shop.slug)
    can_calibrate = actor_has_role(actor=actor, shop=shop, role=CALIBRATION_ROLE)
    return {
        "shop": shop,
        "overview": overview,
        "rows": _rows(overview.result, policy),
        "tally": overview.result.tally,
        "figure": dsr_trend_figure(trend, policy=policy),
        "credit": credit,
        "good_rate": float(credit.good_rate) if credit.good_rate is not None else None,
        "non_scoring": [
            (label("non_scoring", k.value), n, NON_SCORING_SOURCE[k])
            for k, n in sorted(credit.non_scoring.items())
        ],
        "alerts": list(rating_alerts_list(actor=actor).filter(alert__shop=shop)[:ALERTS_SHOWN]),
        "whatif": _whatif(request, shop),
        "whatif_region": WHATIF_REGION,
        "can_calibrate": can_calibrate,
        "calibration_form": calibration_form
        or CalibrationForm(initial={"day": today, "dimension": "desc"}),
        "trend_days": TREND_DAYS,
        "plotly_version": PLOTLY_VERSION,
    }


@login_required
@require_GET
def shop_ratings(request: HttpRequest, slug: str) -> HttpResponse:
    shop = _shop(request, slug)
    htmx = getattr(request, "htmx", None)
    if htmx and htmx.target == WHATIF_REGION:
        return render(
            request,
            "web/ratings/_whatif.html",
            {"shop": shop, "whatif": _whatif(request, shop), "whatif_region": WHATIF_REGION},
        )
    return render(request, "web/ratings.html", _page_context(request, shop))


@login_required
@require_POST
def shop_calibration_post(request: HttpRequest, slug: str) -> HttpResponse:
    shop = _shop(request, slug)
    form = CalibrationForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            platform_calibration_record(
                actor=request.user,
                shop=shop,
                day=data["day"],
                dimension=Dimension(data["dimension"]),
                shown_value=data["shown_value"],
            )
        except DomainError as exc:
            raise_if_not_found(exc)
            add_to_form(form, exc)
        else:
            return redirect("web:shop_ratings", slug=shop.slug)
    context = _page_context(request, shop, calibration_form=form)
    context["calibration_error"] = _("The calibration was not saved.")
    return render(request, "web/ratings.html", context, status=400)
