"""The case page: the agent's working surface for one case (review, refund request or parcel, SLA,
actions, contacts, appointments, linked cases, triage, the replies partials and the DSR impact).

`case_page_context` builds everything the page shows from selectors, so the action views
(views/case_actions.py) re-render the same regions after a change. The replies partials and the
DSR impact load by hx-get after the page, so the page itself stays a bounded number of queries.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from reviewdesk.cases.errors import CaseError
from reviewdesk.cases.models import Case, ContactAttempt
from reviewdesk.cases.selectors import (
    case_contacts,
    case_get,
    case_linked,
    case_next_contact,
    case_paused_total,
    case_sla_state,
)
from reviewdesk.core import clock
from reviewdesk.logistics.models import Shipment
from reviewdesk.logistics.selectors import shipment_for_order
from reviewdesk.ratings.dsr import DIMENSIONS
from reviewdesk.ratings.errors import RatingError
from reviewdesk.ratings.selectors import case_rating_impact
from reviewdesk.replies.selectors import explanation_posted, required_steps_unchecked
from reviewdesk.reviews.models import OrderItem, Review, ReviewVersion
from reviewdesk.reviews.selectors import (
    buyer_contact,
    contact_visible_shop_ids,
    reviews_by_oid_for_order,
)
from reviewdesk.shops.selectors import Actor
from reviewdesk.web.errors import error_message, raise_if_not_found
from reviewdesk.web.forms import AppointmentForm, ContactForm, TransitionForm, TriageCorrectForm
from reviewdesk.web.highlight import context_reasons, highlight
from reviewdesk.web.labels import label
from reviewdesk.web.panels import action_options, logistics_panel, refund_advice, sla_panel

FAILED_OUTCOMES = frozenset({"no_answer", "refused"})


def case_for(request: HttpRequest, case_id: int) -> Case:
    """The case if the user may see it; another shop's case is a 404 (no existence leak)."""
    try:
        return case_get(actor=request.user, case_id=case_id)
    except CaseError as exc:
        raise_if_not_found(exc)
        raise


@dataclass(frozen=True, slots=True)
class VersionRow:
    """One observed review version and which fields differ from the version before it."""

    version: ReviewVersion
    changed: frozenset[str]


def _version_rows(versions: list[ReviewVersion]) -> list[VersionRow]:
    rows: list[VersionRow] = []
    previous: ReviewVersion | None = None
    for version in versions:
        fields = ("result", "content", "followup_content", "explanation", "state")
        changed = (
            frozenset()
            if previous is None
            else frozenset(f for f in fields if getattr(version, f) != getattr(previous, f))
        )
        rows.append(VersionRow(version=version, changed=changed))
        previous = version
    return rows


def _item_rows(*, actor: Actor, case: Case) -> list[tuple[OrderItem, Review | None]]:
    """Each item of the case's order with its review, if any (one buyer may rate them all)."""
    order = case.order
    if order is None:
        return []
    reviews = reviews_by_oid_for_order(actor=actor, shop_id=case.shop_id, tid=order.tid)
    items = sorted(order.items.all(), key=lambda item: item.oid)
    return [(item, reviews.get(item.oid)) for item in items]


def _triage(review: Review | None) -> dict[str, Any] | None:
    """The triage panel: verdict, probabilities, model, and the text with evidence marked."""
    if review is None or not review.triage:
        return None
    data = review.triage
    evidence = data.get("evidence") if isinstance(data.get("evidence"), dict) else {}
    return {
        "data": data,
        "content": highlight(review.content or "", evidence, source="review"),
        "followup": highlight(review.followup_content or "", evidence, source="followup"),
        "context": context_reasons(evidence),
        "has_marks": any(
            isinstance(v, list) and any(isinstance(s, dict) and s.get("end") for s in v)
            for v in evidence.values()
        ),
    }


def case_page_context(
    request: HttpRequest,
    case: Case,
    *,
    contact_form: forms.Form | None = None,
    appointment_form: forms.Form | None = None,
    transition_form: forms.Form | None = None,
    transition_action: str = "",
    notice: str = "",
    alert: str = "",
) -> dict[str, Any]:
    actor = request.user
    now = clock.now()
    review = case.review
    contacts: list[ContactAttempt] = list(case_contacts(actor=actor, case=case))
    last = contacts[-1] if contacts else None
    suggestion = case_next_contact(actor=actor, case=case)
    unchecked = required_steps_unchecked(case=case) if case.is_open() else []
    appointments = list(case.appointments.all())  # prefetched by case_get
    upcoming = [a for a in appointments if a.status == "scheduled" and a.at > now]
    state = case_sla_state(case=case, now=now)
    paused_total = case_paused_total(case=case, now=now) if case.is_paused() else None
    contact_initial = {"channel": suggestion.channel or "phone"}
    refund = case.refund
    return {
        "case": case,
        "review": review,
        "refund": refund,
        "refund_advice": refund_advice(refund=refund) if refund is not None else [],
        "shipment": case.shipment,
        "logistics": logistics_panel(actor=actor, case=case) if case.shipment_id else None,
        "order": case.order,
        "order_parcel": _order_parcel(actor=actor, case=case),
        "item_rows": _item_rows(actor=actor, case=case),
        "versions": _version_rows(list(review.versions.all())) if review else [],
        "events": list(case.events.all()),
        "contact": buyer_contact(
            buyer=case.buyer, visible_shop_ids=contact_visible_shop_ids(actor=actor)
        ),
        "group": case.buyer_group(),
        "now": now,
        "sla": sla_panel(case=case, state=state, now=now, paused_total=paused_total),
        "actions": action_options(
            case=case,
            unchecked_steps=unchecked,
            explanation_posted=explanation_posted(case=case) if case.is_open() else True,
        ),
        "unchecked_steps": unchecked,
        "transition_form": transition_form or TransitionForm(),
        "transition_action": transition_action,
        "contacts": contacts,
        "last_contact": last,
        "last_failed": last is not None and last.outcome in FAILED_OUTCOMES,
        "suggestion": suggestion,
        "contact_form": contact_form or ContactForm(initial=contact_initial),
        "appointment_form": appointment_form or AppointmentForm(),
        "appointments": appointments,
        "next_appointment": upcoming[0] if upcoming else None,
        "linked": list(case_linked(actor=actor, case=case)),
        "triage": _triage(review),
        "triage_form": TriageCorrectForm(
            initial={"cause": case.cause or "other", "severity": case.severity or "low"}
        ),
        "notice": notice,
        "alert": alert,
    }


def _order_parcel(*, actor: Actor, case: Case) -> Shipment | None:
    """The parcel of the case's order, shown on the order card of a case that is not itself
    about the parcel (a logistics case has its own panel)."""
    if case.shipment_id or case.order is None:
        return None
    return shipment_for_order(actor=actor, shop_id=case.shop_id, tid=case.order.tid)


@login_required
@require_GET
def case_detail(request: HttpRequest, case_id: int) -> HttpResponse:
    case = case_for(request, case_id)
    return render(request, "web/case_detail.html", case_page_context(request, case))


@login_required
@require_GET
def case_dsr_impact(request: HttpRequest, case_id: int) -> HttpResponse:
    """Loaded by hx-get: what this case's rating does to the shop's DSR (ratings selector)."""
    case = case_for(request, case_id)
    error = ""
    try:
        impact = case_rating_impact(actor=request.user, case_id=case.pk)
    except RatingError as exc:
        raise_if_not_found(exc)
        impact, error = None, error_message(exc)
    rows = []
    if impact is not None:
        for d in DIMENSIONS:
            delta = impact.delta(d)
            rows.append(
                {
                    "label": label("dimension", d.value),
                    "with": impact.with_rating[d].value,
                    "without": impact.without_rating[d].value,
                    "delta": float(delta) if delta is not None else None,
                }
            )
    return render(
        request,
        "web/case/_dsr_impact.html",
        {"case": case, "impact": impact, "impact_rows": rows, "error": error},
    )


@login_required
@require_GET
def case_resolve_steps(request: HttpRequest, case_id: int) -> HttpResponse:
    """The resolve form's open required steps, re-read when the playbook partial answers
    `HX-Trigger: playbookChanged`; the reason typed so far comes back in `?reason=`."""
    case = case_for(request, case_id)
    unchecked = required_steps_unchecked(case=case) if case.is_open() else []
    return render(
        request,
        "web/case/_resolve_steps.html",
        {
            "case": case,
            "unchecked_steps": unchecked,
            "reason_value": request.GET.get("reason", "")[:2000],
        },
    )
