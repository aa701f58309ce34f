"""POSTs that change a case: status actions, contact log, appointments. Each view parses a form,
calls one cases service with actor=request.user, and answers:

- htmx: the case's working regions re-rendered (`#case-work` swapped, head and timeline
  out-of-band), with the form errors in place when the service refused;
- plain form post: a redirect to the case page (303), or the page with the errors (400).

Domain errors become form errors through `web.errors` only. A user of another shop gets a 404
before any service runs (case_get is scoped), so a denied POST changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from reviewdesk.cases.models import Case
from reviewdesk.cases.services.appointment import appointment_cancel, appointment_schedule
from reviewdesk.cases.services.contact import contact_log
from reviewdesk.cases.services.corrections import case_triage_correct
from reviewdesk.cases.services.logistics import case_report_not_received
from reviewdesk.cases.services.transitions import (
    case_close,
    case_explain,
    case_reopen,
    case_resolve,
    case_resume,
    case_start_contact,
    case_start_resolving,
    case_wait,
)
from reviewdesk.core.errors import DomainError
from reviewdesk.web.errors import add_to_form, raise_if_not_found
from reviewdesk.web.forms import (
    AppointmentForm,
    CancelAppointmentForm,
    ContactForm,
    TransitionForm,
    TriageCorrectForm,
)
from reviewdesk.web.labels import label
from reviewdesk.web.views.case import case_for, case_page_context

Actor = Any
_Run = Callable[[Actor, Case, dict[str, Any]], object]

# One service per workflow action (cases/services/transitions.py); the form supplies the reason.
TRANSITIONS: dict[str, _Run] = {
    "start_contact": lambda actor, case, d: case_start_contact(actor=actor, case=case),
    "wait_buyer": lambda actor, case, d: case_wait(
        actor=actor, case=case, waiting_for="buyer", reason=d["reason"]
    ),
    "wait_third_party": lambda actor, case, d: case_wait(
        actor=actor, case=case, waiting_for="third_party", reason=d["reason"]
    ),
    "resume": lambda actor, case, d: case_resume(actor=actor, case=case, reason=d["reason"]),
    "start_resolving": lambda actor, case, d: case_start_resolving(
        actor=actor, case=case, reason=d["reason"]
    ),
    "resolve": lambda actor, case, d: case_resolve(
        actor=actor, case=case, reason=d["reason"] or None
    ),
    "explain": lambda actor, case, d: case_explain(
        actor=actor, case=case, reason=d["reason"] or None
    ),
    "close": lambda actor, case, d: case_close(
        actor=actor, case=case, outcome=d["outcome"] or "other", reason=d["reason"] or None
    ),
    "reopen": lambda actor, case, d: case_reopen(actor=actor, case=case, reason=d["reason"]),
}


def _respond(
    request: HttpRequest,
    case_id: int,
    *,
    ok: bool,
    notice: str = "",
    alert: str = "",
    **forms_in_error: Any,
) -> HttpResponse:
    """After a POST: htmx gets the regions; a plain post is redirected (or shown its errors)."""
    htmx = getattr(request, "htmx", None)
    if ok and not htmx:
        return redirect("web:case_detail", case_id=case_id, permanent=False)
    case = case_for(request, case_id)  # fresh: status, timeline and SLA changed
    context = case_page_context(request, case, notice=notice, alert=alert, **forms_in_error)
    if htmx:
        return render(request, "web/case/_work_response.html", context)
    return render(request, "web/case_detail.html", context, status=400)


def _run(form: forms.Form, call: Callable[[], object]) -> bool:
    try:
        call()
    except DomainError as exc:
        raise_if_not_found(exc)
        add_to_form(form, exc)
        return False
    return True


@login_required
@require_POST
def case_transition_post(request: HttpRequest, case_id: int) -> HttpResponse:
    case = case_for(request, case_id)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        return _respond(request, case_id, ok=False, transition_form=form)
    data = form.cleaned_data
    run = TRANSITIONS[data["action"]]
    ok = _run(form, lambda: run(request.user, case, data))
    notice = _("Done: %(action)s.") % {"action": label("action", data["action"])} if ok else ""
    extra: dict[str, Any] = (
        {} if ok else {"transition_form": form, "transition_action": data["action"]}
    )
    return _respond(request, case_id, ok=ok, notice=notice, **extra)


@login_required
@require_POST
def case_contact_post(request: HttpRequest, case_id: int) -> HttpResponse:
    case = case_for(request, case_id)
    form = ContactForm(request.POST)
    if not form.is_valid():
        return _respond(request, case_id, ok=False, contact_form=form)
    data = form.cleaned_data
    ok = _run(
        form,
        lambda: contact_log(
            actor=request.user,
            case=case,
            channel=data["channel"],
            outcome=data["outcome"],
            note=data["note"],
        ),
    )
    notice = _("Contact logged.") if ok else ""
    extra: dict[str, Any] = {} if ok else {"contact_form": form}
    return _respond(request, case_id, ok=ok, notice=notice, **extra)


@login_required
@require_POST
def case_appointment_post(request: HttpRequest, case_id: int) -> HttpResponse:
    case = case_for(request, case_id)
    form = AppointmentForm(request.POST)
    if not form.is_valid():
        return _respond(request, case_id, ok=False, appointment_form=form)
    data = form.cleaned_data
    ok = _run(
        form,
        lambda: appointment_schedule(
            actor=request.user,
            case=case,
            when=form.when(),
            channel=data["channel"],
            note=data["note"],
        ),
    )
    notice = _("Appointment scheduled.") if ok else ""
    extra: dict[str, Any] = {} if ok else {"appointment_form": form}
    return _respond(request, case_id, ok=ok, notice=notice, **extra)


@login_required
@require_POST
def case_appointment_cancel_post(
    request: HttpRequest, case_id: int, appointment_id: int
) -> HttpResponse:
    case = case_for(request, case_id)
    appointment = next((a for a in case.appointments.all() if a.pk == appointment_id), None)
    if appointment is None:
        raise Http404("appointment not found")
    form = CancelAppointmentForm(request.POST)
    if not form.is_valid():
        form.add_error(None, _("Please give a reason."))
        return _respond(request, case_id, ok=False, appointment_form=AppointmentForm())
    ok = _run(
        form,
        lambda: appointment_cancel(
            actor=request.user, appointment=appointment, reason=form.cleaned_data["reason"]
        ),
    )
    return _respond(request, case_id, ok=ok, notice=_("Appointment cancelled.") if ok else "")


@login_required
@require_POST
def case_triage_correct_post(request: HttpRequest, case_id: int) -> HttpResponse:
    """The agent corrects cause and severity (issue 4): the case changes, and the correction is
    kept as a label for `reviewdesk triage train --shop`."""
    case = case_for(request, case_id)
    form = TriageCorrectForm(request.POST)
    ok = form.is_valid() and _run(
        form,
        lambda: case_triage_correct(
            actor=request.user,
            case=case,
            cause=form.cleaned_data["cause"],
            severity=form.cleaned_data["severity"],
        ),
    )
    if ok:
        return redirect("web:case_detail", case_id=case_id, permanent=False)
    context = case_page_context(request, case_for(request, case_id))
    context["triage_form"] = form
    return render(request, "web/case_detail.html", context, status=400)


@login_required
@require_POST
def case_not_received_post(request: HttpRequest, case_id: int) -> HttpResponse:
    """The buyer says the signed parcel never came: opens (once) the order's 签收未收到 case."""
    case = case_for(request, case_id)
    form = forms.Form(request.POST)
    found: list[tuple[Case, bool]] = []
    ok = _run(form, lambda: found.append(case_report_not_received(actor=request.user, case=case)))
    if not ok:
        alert = " ".join(str(e) for e in form.non_field_errors())
        return _respond(request, case_id, ok=False, alert=alert)
    other, opened = found[0]
    message = (
        _("Logistics case #%(id)s opened: check the signature with the courier.")
        if opened
        else _("Already recorded: logistics case #%(id)s.")
    )
    return _respond(request, case_id, ok=True, notice=message % {"id": other.pk})
