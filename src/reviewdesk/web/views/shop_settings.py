"""Shop settings for cases (routing, team, calendar, SLA, compliance) and manual DSR entry.

Thin (STYLE C6): find the shop through `shops.selectors.shop_get` (a shop the user cannot see is a
404), refuse members below supervisor with a 403, then call one service with actor=request.user.
Supervisors see every page; owners and admins edit (the services check the role again, so a
supervisor's or agent's POST changes nothing). A saved form redirects (303) to its page with a
flash; a refused one re-renders the page with the error on the field the service named (400).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from reviewdesk.cases import compliance
from reviewdesk.cases.errors import CaseError, CaseErrorCode
from reviewdesk.cases.services import settings as case_settings
from reviewdesk.cases.services.policy import (
    compliance_practice_allow,
    compliance_practice_revoke,
)
from reviewdesk.core import clock
from reviewdesk.core.errors import DomainError
from reviewdesk.logistics.models import thresholds_for
from reviewdesk.logistics.services import logistics_policy_update
from reviewdesk.ratings import dsr
from reviewdesk.ratings.models import ScoredTrade
from reviewdesk.ratings.selectors import scored_trades_manual_list
from reviewdesk.ratings.services import scored_trade_enter
from reviewdesk.shops.errors import ShopError
from reviewdesk.shops.models import Role, Shop
from reviewdesk.shops.selectors import actor_has_role, shop_get
from reviewdesk.shops.services import shop_product_category_set
from reviewdesk.web.errors import error_message
from reviewdesk.web.forms_settings import (
    WEEKDAY_LABELS,
    AgentSkillForm,
    BusinessHoursForm,
    CompliancePracticeForm,
    LeaveForm,
    LogisticsPolicyForm,
    ProductCategoryForm,
    RoutingPolicyForm,
    ScoredTradeForm,
    ShiftForm,
    ShopDayForm,
    SlaPolicyForm,
)

SECTIONS = ("routing", "team", "calendar", "sla", "compliance", "scores")
MANUAL_TRADES_SHOWN = 20


def _settings_shop(request: HttpRequest, slug: str) -> Shop:
    """404 for a shop the user cannot see; 403 for its members below supervisor."""
    try:
        shop = shop_get(actor=request.user, slug=slug)
    except ShopError as exc:
        raise Http404(exc.message) from exc
    if not actor_has_role(actor=request.user, shop=shop, role=Role.SUPERVISOR):
        raise PermissionDenied(_("Shop settings are for supervisors and owners."))
    return shop


def _editable_shop(request: HttpRequest, slug: str) -> Shop:
    shop = _settings_shop(request, slug)
    if not actor_has_role(actor=request.user, shop=shop, role=Role.OWNER):
        raise PermissionDenied(_("Only the shop owner changes these settings."))
    return shop


def _add_error(form: forms.Form, exc: DomainError) -> None:
    """The service's error on the field it names (CaseError.details), else on the whole form."""
    details = getattr(exc, "details", None) or []
    field = details[0] if details and details[0] in form.fields else None
    if field is not None:
        form.add_error(field, exc.message.removeprefix(f"{field}: "))
    elif exc.code is CaseErrorCode.INVALID_INPUT:
        form.add_error(None, exc.message)
    else:
        form.add_error(None, error_message(exc))


def _section_url(shop: Shop, section: str) -> str:
    return reverse(f"settings:{section}", args=[shop.slug])


def _saved(request: HttpRequest, shop: Shop, section: str, text: str) -> HttpResponse:
    messages.success(request, text)
    return HttpResponseRedirect(_section_url(shop, section), status=303)


# --- the page -----------------------------------------------------------------------------------


def _initial_hours(data: case_settings.ShopSettings) -> dict[str, Any]:
    initial: dict[str, Any] = {}
    if not data.business_hours:  # the default calendar: every day 09:00-21:00
        for day in range(7):
            initial |= {f"day{day}_open": True, f"day{day}_opens": "09:00"}
            initial[f"day{day}_closes"] = "21:00"
        return initial
    for row in data.business_hours:
        if f"day{row.weekday}_open" in initial:
            continue  # the form edits one period per day; later periods are shown, not lost
        initial |= {f"day{row.weekday}_open": True, f"day{row.weekday}_opens": row.opens}
        initial[f"day{row.weekday}_closes"] = row.closes
    return initial


def _manual_trades(request: HttpRequest, shop: Shop) -> list[ScoredTrade]:
    return scored_trades_manual_list(actor=request.user, slug=shop.slug, limit=MANUAL_TRADES_SHOWN)


def _render(
    request: HttpRequest,
    shop: Shop,
    section: str,
    bound: dict[str, forms.Form] | None = None,
    *,
    status: int = 200,
) -> HttpResponse:
    actor = request.user
    try:
        data = case_settings.shop_settings_get(actor=actor, shop=shop)
    except CaseError as exc:
        raise PermissionDenied(exc.message) from exc
    agents = data.agents
    tz = shop.timezone
    routing, sla = data.routing, data.sla
    forms_: dict[str, forms.Form] = {
        "routing": RoutingPolicyForm(
            initial={
                "max_open_cases": routing.max_open_cases,
                "high_risk_to_supervisor": routing.high_risk_to_supervisor,
                "follow_shifts": routing.follow_shifts,
            }
        ),
        "category": ProductCategoryForm(initial={"product_category": shop.product_category}),
        "skill": AgentSkillForm(agents=agents),
        "shift": ShiftForm(agents=agents, initial={"starts": "09:00", "ends": "18:00"}),
        "leave": LeaveForm(agents=agents, tz=tz, initial={"reassign_now": True}),
        "hours": BusinessHoursForm(initial=_initial_hours(data)),
        "day": ShopDayForm(initial={"day_kind": ShopDayForm.HOLIDAY}),
        "sla": SlaPolicyForm(
            initial={name: getattr(sla, name) for name in case_settings.SLA_BOUNDS}
        ),
        "logistics": LogisticsPolicyForm(initial=asdict(thresholds_for(shop.pk))),
        "scores": ScoredTradeForm(tz=tz, now=clock.now(), initial={"alipay": True}),
    }
    forms_ |= bound or {}
    extra_periods = [
        row
        for i, row in enumerate(data.business_hours)
        if i and data.business_hours[i - 1].weekday == row.weekday
    ]
    practice_forms = {
        key: (bound or {}).get(f"practice:{key}")
        or CompliancePracticeForm(initial={"practice": key}, prefix=key)
        for key in compliance.PRACTICES
    }
    context = {
        "shop": shop,
        "section": section,
        "sections": SECTIONS,
        "can_edit": actor_has_role(actor=actor, shop=shop, role=Role.OWNER),
        "data": data,
        "forms": forms_,
        "practices": [{**p, "form": practice_forms[p["key"]]} for p in data.practices],
        "weekday_labels": WEEKDAY_LABELS,
        "extra_periods": extra_periods,
        "shifts_by_day": [
            (WEEKDAY_LABELS[day], [s for s in data.shifts if s.weekday == day]) for day in range(7)
        ],
        "now": clock.now(),
        "manual_trades": _manual_trades(request, shop) if section == "scores" else [],
    }
    return render(request, f"web/settings/{section}.html", context, status=status)


def _page(section: str) -> Callable[[HttpRequest, str], HttpResponse]:
    @login_required
    @require_GET
    def view(request: HttpRequest, slug: str) -> HttpResponse:
        return _render(request, _settings_shop(request, slug), section)

    view.__name__ = f"settings_{section}"
    return view


settings_routing = _page("routing")
settings_team = _page("team")
settings_calendar = _page("calendar")
settings_sla = _page("sla")
settings_compliance = _page("compliance")


@login_required
@require_GET
def settings_index(request: HttpRequest, slug: str) -> HttpResponse:
    shop = _settings_shop(request, slug)
    return HttpResponseRedirect(_section_url(shop, "routing"))


def _post(
    request: HttpRequest,
    shop: Shop,
    *,
    section: str,
    key: str,
    form: forms.Form,
    call: Callable[[dict[str, Any]], str],
) -> HttpResponse:
    """Validate `form`, run `call(cleaned_data)` (one service; returns the flash text), redirect;
    or re-render the section with the form and its errors."""
    if form.is_valid():
        try:
            text = call(form.cleaned_data)
        except DomainError as exc:
            if exc.code in {CaseErrorCode.NOT_FOUND}:
                raise Http404(exc.message) from exc
            _add_error(form, exc)
        else:
            return _saved(request, shop, section, text)
    return _render(request, shop, section, {key: form}, status=400)


# --- triage ---------------------------------------------------------------------------------------
@login_required
@require_POST
def product_category_post(request: HttpRequest, slug: str) -> HttpResponse:
    shop = _editable_shop(request, slug)

    def call(data: dict[str, Any]) -> str:
        shop_product_category_set(actor=request.user, shop=shop, category=data["product_category"])
        return _("Main product category saved; it applies to reviews that arrive from now on.")

    form = ProductCategoryForm(request.POST)
    return _post(request, shop, section="routing", key="category", form=form, call=call)


# --- routing ------------------------------------------------------------------------------------


@login_required
@require_POST
def routing_policy_post(request: HttpRequest, slug: str) -> HttpResponse:
    shop = _editable_shop(request, slug)

    def call(data: dict[str, Any]) -> str:
        case_settings.routing_policy_update(actor=request.user, shop=shop, **data)
        return _("Routing policy saved.")

    form = RoutingPolicyForm(request.POST)
    return _post(request, shop, section="routing", key="routing", form=form, call=call)


def _membership(shop: Shop, data: dict[str, Any]) -> Any:
    return case_settings.shop_membership_get(shop=shop, membership_id=int(data["membership"]))


@login_required
@require_POST
def skill_add_post(request: HttpRequest, slug: str) -> HttpResponse:
    shop = _editable_shop(request, slug)
    agents = case_settings.shop_settings_get(actor=request.user, shop=shop).agents

    def call(data: dict[str, Any]) -> str:
        case_settings.agent_skill_add(
            actor=request.user,
            shop=shop,
            membership=_membership(shop, data),
            cause=data["cause"],
            kind=data["kind"],
        )
        return _("Skill added.")

    form = AgentSkillForm(request.POST, agents=agents)
    return _post(request, shop, section="routing", key="skill", form=form, call=call)


def _remove(
    request: HttpRequest, slug: str, section: str, remove: Callable[[Shop], None]
) -> HttpResponse:
    shop = _editable_shop(request, slug)
    try:
        remove(shop)
    except CaseError as exc:
        raise Http404(exc.message) from exc
    return _saved(request, shop, section, _("Removed."))


@login_required
@require_POST
def skill_remove_post(request: HttpRequest, slug: str, skill_id: int) -> HttpResponse:
    return _remove(
        request,
        slug,
        "routing",
        lambda shop: case_settings.agent_skill_remove(
            actor=request.user, shop=shop, skill_id=skill_id
        ),
    )


# --- team: shifts and leave ---------------------------------------------------------------------


@login_required
@require_POST
def shift_add_post(request: HttpRequest, slug: str) -> HttpResponse:
    shop = _editable_shop(request, slug)
    agents = case_settings.shop_settings_get(actor=request.user, shop=shop).agents

    def call(data: dict[str, Any]) -> str:
        case_settings.shift_add(
            actor=request.user,
            shop=shop,
            membership=_membership(shop, data),
            weekday=data["weekday"],
            starts=data["starts"],
            ends=data["ends"],
        )
        return _("Shift added.")

    form = ShiftForm(request.POST, agents=agents)
    return _post(request, shop, section="team", key="shift", form=form, call=call)


@login_required
@require_POST
def shift_remove_post(request: HttpRequest, slug: str, shift_id: int) -> HttpResponse:
    return _remove(
        request,
        slug,
        "team",
        lambda shop: case_settings.shift_remove(actor=request.user, shop=shop, shift_id=shift_id),
    )


@login_required
@require_POST
def leave_add_post(request: HttpRequest, slug: str) -> HttpResponse:
    shop = _editable_shop(request, slug)
    agents = case_settings.shop_settings_get(actor=request.user, shop=shop).agents

    def call(data: dict[str, Any]) -> str:
        outcome = case_settings.agent_leave_record(
            actor=request.user,
            shop=shop,
            membership=_membership(shop, data),
            starts_at=data["starts_at"],
            ends_at=data["ends_at"],
            reason=data["reason"],
            reassign_now=data["reassign_now"],
        )
        if data["reassign_now"]:
            n = outcome.reassigned
            return ngettext(
                "Leave recorded; %(n)d open case reassigned.",
                "Leave recorded; %(n)d open cases reassigned.",
                n,
            ) % {"n": n}
        return _("Leave recorded.")

    form = LeaveForm(request.POST, agents=agents, tz=shop.timezone)
    return _post(request, shop, section="team", key="leave", form=form, call=call)


@login_required
@require_POST
def leave_end_post(request: HttpRequest, slug: str, leave_id: int) -> HttpResponse:
    return _remove(
        request,
        slug,
        "team",
        lambda shop: case_settings.agent_leave_end(
            actor=request.user, shop=shop, leave_id=leave_id
        ),
    )


# --- calendar -----------------------------------------------------------------------------------


@login_required
@require_POST
def business_hours_post(request: HttpRequest, slug: str) -> HttpResponse:
    shop = _editable_shop(request, slug)
    form = BusinessHoursForm(request.POST)

    def call(_data: dict[str, Any]) -> str:
        case_settings.business_hours_set(actor=request.user, shop=shop, week=form.week())
        return _("Business hours saved.")

    return _post(request, shop, section="calendar", key="hours", form=form, call=call)


@login_required
@require_POST
def shop_day_add_post(request: HttpRequest, slug: str) -> HttpResponse:
    shop = _editable_shop(request, slug)

    def call(data: dict[str, Any]) -> str:
        case_settings.shop_day_add(
            actor=request.user,
            shop=shop,
            date=data["date"],
            name=data["name"],
            opens=data["opens"],
            closes=data["closes"],
        )
        return _("Day added.")

    form = ShopDayForm(request.POST)
    return _post(request, shop, section="calendar", key="day", form=form, call=call)


@login_required
@require_POST
def shop_day_remove_post(request: HttpRequest, slug: str, day_id: int) -> HttpResponse:
    return _remove(
        request,
        slug,
        "calendar",
        lambda shop: case_settings.shop_day_remove(actor=request.user, shop=shop, day_id=day_id),
    )


# --- SLA ----------------------------------------------------------------------------------------


@login_required
@require_POST
def sla_post(request: HttpRequest, slug: str) -> HttpResponse:
    shop = _editable_shop(request, slug)

    def call(data: dict[str, Any]) -> str:
        case_settings.sla_policy_update(actor=request.user, shop=shop, values=data)
        return _("SLA allowances saved. They apply to cases opened from now on.")

    form = SlaPolicyForm(request.POST)
    return _post(request, shop, section="sla", key="sla", form=form, call=call)


@login_required
@require_POST
def logistics_policy_post(request: HttpRequest, slug: str) -> HttpResponse:
    shop = _editable_shop(request, slug)

    def call(data: dict[str, Any]) -> str:
        logistics_policy_update(actor=request.user, shop=shop, values=data)
        return _("Logistics thresholds saved. Parcels are judged by them at their next check.")

    form = LogisticsPolicyForm(request.POST)
    return _post(request, shop, section="sla", key="logistics", form=form, call=call)


# --- compliance ---------------------------------------------------------------------------------


def _practice_from(request: HttpRequest) -> str:
    practice = request.POST.get("which", "")
    if practice not in compliance.PRACTICES:
        raise Http404("unknown practice")
    return practice


@login_required
@require_POST
def compliance_allow_post(request: HttpRequest, slug: str) -> HttpResponse:
    shop = _editable_shop(request, slug)
    practice = _practice_from(request)
    form = CompliancePracticeForm(request.POST, prefix=practice)

    def call(data: dict[str, Any]) -> str:
        compliance_practice_allow(
            actor=request.user,
            shop=shop,
            practice=practice,
            acknowledged=data["acknowledged"],
        )
        return _("Turned on: %(label)s.") % {"label": compliance.PRACTICES[practice].label}

    if form.is_valid() and not form.cleaned_data["acknowledged"]:
        form.add_error(
            "acknowledged",
            _("Tick the box to confirm you have read the rules this conflicts with."),
        )
        return _render(request, shop, "compliance", {f"practice:{practice}": form}, status=400)
    return _post(
        request, shop, section="compliance", key=f"practice:{practice}", form=form, call=call
    )


@login_required
@require_POST
def compliance_revoke_post(request: HttpRequest, slug: str) -> HttpResponse:
    shop = _editable_shop(request, slug)
    practice = _practice_from(request)
    compliance_practice_revoke(actor=request.user, shop=shop, practice=practice)
    return _saved(
        request,
        shop,
        "compliance",
        _("Turned off: %(label)s.") % {"label": compliance.PRACTICES[practice].label},
    )


# --- manual DSR scores (owner and supervisor: ratings.services.scored_trade_enter) ----------------


@login_required
def scores(request: HttpRequest, slug: str) -> HttpResponse:
    shop = _settings_shop(request, slug)
    if request.method == "GET":
        return _render(request, shop, "scores")
    if request.method != "POST":
        return HttpResponse(status=405)
    form = ScoredTradeForm(request.POST, tz=shop.timezone, now=clock.now())

    def call(data: dict[str, Any]) -> str:
        try:
            trade = dsr.ScoredTrade(
                tid=data["tid"],
                buyer=data["buyer_nick"].strip(),
                trade_created=data["trade_created"],
                rated_at=data["rated_at"],
                alipay=data["alipay"],
                is_default=data["is_default"],
                desc=data["desc"],
                service=data["service"],
                logistics=data["logistics"],
            )
        except ValueError as exc:
            raise CaseError(CaseErrorCode.INVALID_INPUT, str(exc)) from exc
        row = scored_trade_enter(actor=request.user, shop=shop, trade=trade)
        return _("Scores saved for order %(tid)s.") % {"tid": row.tid}

    return _post(request, shop, section="scores", key="scores", form=form, call=call)
