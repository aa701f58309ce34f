"""Case-page partials for playbooks, scripts, explanations and compensation (htmx, thin).

Every view resolves the case with cases.selectors.case_get(actor=request.user, ...), so a user
never reaches another shop's case (404, no existence leak), then calls one service or selector
and renders a partial. Domain errors render inside the partial (status 200 so htmx swaps it).
The lead includes these with `path("replies/", include("reviewdesk.replies.urls"))`.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_POST

from reviewdesk.cases.errors import CaseError
from reviewdesk.cases.models import Case
from reviewdesk.cases.selectors import case_get
from reviewdesk.compensation import selectors as comp_selectors
from reviewdesk.compensation import services as comp_services
from reviewdesk.compensation.models import CompensationKind
from reviewdesk.core import clock
from reviewdesk.core.errors import DomainError
from reviewdesk.replies import selectors, services
from reviewdesk.replies.explanations import explanation_deadline
from reviewdesk.shops.models import Role
from reviewdesk.shops.selectors import actor_has_role

PLAYBOOK_CHANGED_HEADER = "HX-Trigger"
PLAYBOOK_CHANGED_EVENT = "playbookChanged"


def _case(request: HttpRequest, case_id: int) -> Case:
    try:
        return case_get(actor=request.user, case_id=case_id)
    except CaseError as exc:
        raise Http404(str(exc)) from exc


def _playbook(request: HttpRequest, case: Case, error: str = "") -> HttpResponse:
    playbook, steps = selectors.step_views(case=case)
    context = {
        "case": case,
        "playbook": playbook,
        "steps": steps,
        "unchecked_required": selectors.required_steps_unchecked(case=case),
        "error": error,
    }
    return render(request, "replies/_playbook.html", context)


@login_required
@require_GET
def playbook_partial(request: HttpRequest, case_id: int) -> HttpResponse:
    return _playbook(request, _case(request, case_id))


@login_required
@require_POST
def step_action(request: HttpRequest, case_id: int, step_key: str, action: str) -> HttpResponse:
    case = _case(request, case_id)
    note = request.POST.get("note", "")
    try:
        if action == "check":
            services.step_check(actor=request.user, case=case, step_key=step_key, note=note)
        elif action == "uncheck":
            services.step_uncheck(actor=request.user, case=case, step_key=step_key)
        elif action == "skip":
            services.step_skip(actor=request.user, case=case, step_key=step_key, reason=note)
        else:
            raise Http404(action)
    except DomainError as exc:
        return _playbook(request, case, error=exc.message)
    response = _playbook(request, case)
    # The resolve form lists the open required steps; it listens for this event and re-reads
    # them (web/case/_resolve_steps.html), so it never shows a stale list (R14).
    response[PLAYBOOK_CHANGED_HEADER] = PLAYBOOK_CHANGED_EVENT
    return response


@login_required
@require_GET
def scripts_partial(request: HttpRequest, case_id: int) -> HttpResponse:
    case = _case(request, case_id)
    step, scripts = selectors.scripts_for_step(
        case=case, actor=request.user, step_key=request.GET.get("step") or None
    )
    return render(
        request, "replies/_scripts.html", {"case": case, "step": step, "scripts": scripts}
    )


@login_required
@require_POST
def script_use(request: HttpRequest, case_id: int, script_key: str) -> JsonResponse:
    """Called by the copy button after the text went to the clipboard: counts the use."""
    case = _case(request, case_id)
    try:
        use, text = services.script_use_record(actor=request.user, case=case, script_key=script_key)
    except DomainError as exc:
        return JsonResponse({"error": exc.message, "code": str(exc.code)}, status=400)
    return JsonResponse({"use": use.pk, "text": text})


def _explanation(
    request: HttpRequest, case: Case, *, text: str | None = None, error: str = ""
) -> HttpResponse:
    explanation = selectors.explanation_for_case(case=case)
    draft = (
        text if text is not None else (explanation.text or explanation.draft if explanation else "")
    )
    compliance, findings = (
        services.explanation_review_text(case=case, text=draft) if draft else (None, [])
    )
    context: dict[str, Any] = {
        "case": case,
        "explanation": explanation,
        "text": draft,
        "findings": findings,
        "compliance": compliance,
        "deadline": explanation_deadline(case.review) if case.review else None,
        "now": clock.now(),
        "error": error,
        "length": len(draft),
    }
    return render(request, "replies/_explanation.html", context)


@login_required
@require_GET
def explanation_partial(request: HttpRequest, case_id: int) -> HttpResponse:
    return _explanation(request, _case(request, case_id))


@login_required
@require_POST
def explanation_action(request: HttpRequest, case_id: int, action: str) -> HttpResponse:
    case = _case(request, case_id)
    text = request.POST.get("text", "")
    try:
        if action == "draft":
            services.explanation_draft(
                actor=request.user,
                case=case,
                new_product_line=request.POST.get("new_products") == "on",
            )
            return _explanation(request, case)
        if action == "check":
            return _explanation(request, case, text=text)
        if action == "post":
            services.explanation_post(
                actor=request.user,
                case=case,
                text=text,
                via=request.POST.get("via", "manual_copy"),
                acknowledge_warnings=request.POST.get("acknowledge") == "on",
            )
            return _explanation(request, case)
    except DomainError as exc:
        return _explanation(request, case, text=text, error=exc.message)
    raise Http404(action)


def _compensation(request: HttpRequest, case: Case, error: str = "") -> HttpResponse:
    context = {
        "case": case,
        "offers": comp_selectors.offers_for_case(case=case),
        "spent": comp_selectors.spend_for_case(case=case),
        "kinds": CompensationKind.choices,
        "can_approve": actor_has_role(actor=request.user, shop=case.shop, role=Role.SUPERVISOR),
        "error": error,
    }
    return render(request, "replies/_compensation.html", context)


@login_required
@require_GET
def compensation_partial(request: HttpRequest, case_id: int) -> HttpResponse:
    return _compensation(request, _case(request, case_id))


@login_required
@require_POST
def compensation_offer(request: HttpRequest, case_id: int) -> HttpResponse:
    case = _case(request, case_id)
    try:
        comp_services.compensation_offer(
            actor=request.user,
            case=case,
            kind=request.POST.get("kind", ""),
            amount=request.POST.get("amount", ""),
            reason=request.POST.get("reason", ""),
            buyer_note=request.POST.get("buyer_note", ""),
            agreed=request.POST.get("agreed", "on") == "on",
        )
    except DomainError as exc:
        return _compensation(request, case, error=exc.message)
    return _compensation(request, case)


_OFFER_ACTIONS = {
    "approve": comp_services.compensation_approve,
    "confirm": comp_services.compensation_confirm,
    "paid": comp_services.compensation_mark_paid,
    "cancel": comp_services.compensation_cancel,
}


@login_required
@require_POST
def compensation_action(
    request: HttpRequest, case_id: int, offer_id: int, action: str
) -> HttpResponse:
    case = _case(request, case_id)
    if not comp_selectors.offers_for_case(case=case).filter(pk=offer_id).exists():
        raise Http404("offer not found")
    try:
        if action == "reject":
            comp_services.compensation_reject(
                actor=request.user, offer_id=offer_id, note=request.POST.get("note", "")
            )
        elif action in _OFFER_ACTIONS:
            _OFFER_ACTIONS[action](actor=request.user, offer_id=offer_id)
        else:
            raise Http404(action)
    except DomainError as exc:
        return _compensation(request, case, error=exc.message)
    return _compensation(request, case)
