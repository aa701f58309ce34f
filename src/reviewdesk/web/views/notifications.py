"""The notifications bell in the top bar: unread reminders, SLA warnings and escalations."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from reviewdesk.cases.selectors import notifications_unread
from reviewdesk.cases.services.notifications import notification_mark_read
from reviewdesk.shops.selectors import Actor

BELL_LIST_SIZE = 10


def bell_context(actor: Actor) -> dict[str, object]:
    """One query: the newest unread notifications, one more than shown to know there are more."""
    rows = list(notifications_unread(actor=actor)[: BELL_LIST_SIZE + 1])
    return {
        "notifications": rows[:BELL_LIST_SIZE],
        "unread_count": min(len(rows), BELL_LIST_SIZE),
        "more": len(rows) > BELL_LIST_SIZE,
    }


@login_required
@require_GET
def notification_bell(request: HttpRequest) -> HttpResponse:
    """Polled by the top bar and re-rendered after marking one read."""
    return render(request, "web/_bell.html", {**bell_context(request.user), "open": False})


@login_required
@require_POST
def notification_read(request: HttpRequest, notification_id: int) -> HttpResponse:
    # Only the actor's own notification can change; someone else's id changes nothing (0 rows).
    notification_mark_read(actor=request.user, notification_id=notification_id)
    if getattr(request, "htmx", None):
        return render(request, "web/_bell.html", {**bell_context(request.user), "open": True})
    target = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    return redirect(target)
