"""The case queue. Thin: parse the request -> call selectors -> render (STYLE C6).

The queue answers htmx requests that target `#queue-region` with just that region, so filters,
facets, sorting, search and pagination update without a full reload; plain requests get the whole
page, so every state is a shareable URL and the page works without JavaScript.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Page, Paginator
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.views.decorators.http import require_GET

from reviewdesk.cases.errors import CaseError, CaseErrorCode
from reviewdesk.cases.models import BuyerGroup, Case
from reviewdesk.cases.selectors import CaseFilters, case_list
from reviewdesk.cases.selectors_counts import (
    case_assignee_counts,
    case_group_counts,
    case_latest_id,
    case_result_counts,
    case_status_counts,
    cases_new_since,
)
from reviewdesk.cases.workflow import Status
from reviewdesk.core import clock
from reviewdesk.reviews.models import ReviewResult
from reviewdesk.shops.selectors import shops_visible_to

QUEUE_PAGE_SIZE = 50
QUEUE_REGION = "queue-region"
DEFAULT_STATUS = "open"  # the queue is for work still to do; "all" shows closed cases too
STATUS_CHOICES = ("open", *(s.value for s in Status), "all")
ORDER_CHOICES = ("newest", "priority", "due")
SEARCH_MAX = 64
# How often the queue asks for new cases (seconds): often enough to feel live (DOMAIN R1), one
# cheap indexed count per open queue.
POLL_SECONDS = 5


def _parse_filters(params: QueryDict) -> CaseFilters:
    """GET parameters -> CaseFilters; unknown values raise INVALID_FILTER (shown, not ignored)."""
    status = params.get("status") or DEFAULT_STATUS
    if status not in STATUS_CHOICES:
        raise CaseError(CaseErrorCode.INVALID_FILTER, f"unknown status {status!r}")
    group = params.get("group") or None
    if group is not None and group not in BuyerGroup.values:
        raise CaseError(CaseErrorCode.INVALID_FILTER, f"unknown buyer group {group!r}")
    result = params.get("result") or None
    if result is not None and result not in ReviewResult.values:
        raise CaseError(CaseErrorCode.INVALID_FILTER, f"unknown result {result!r}")
    order = params.get("order") or "newest"
    if order not in ORDER_CHOICES:
        raise CaseError(CaseErrorCode.INVALID_FILTER, f"unknown order {order!r}")
    q = (params.get("q") or "").strip()[:SEARCH_MAX] or None
    return CaseFilters(
        shop=params.get("shop") or None,
        status=None if status == "all" else status,
        group=group,
        assignee=params.get("assignee") or None,
        result=result,
        order=order,
        overdue=params.get("overdue") in {"1", "on", "true"},
        q=q,
    )


@login_required
@require_GET
def case_queue(request: HttpRequest) -> HttpResponse:
    actor = request.user
    try:
        filters = _parse_filters(request.GET)
    except CaseError as exc:
        return render(request, "web/queue_error.html", {"error": exc.message}, status=400)
    page: Page[Case] = Paginator(case_list(actor=actor, filters=filters), QUEUE_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {
        "page": page,
        "filters": filters,
        "status_param": request.GET.get("status") or DEFAULT_STATUS,
        "group_counts": case_group_counts(actor=actor, filters=filters),
        "status_counts": case_status_counts(actor=actor, filters=filters),
        "result_counts": case_result_counts(actor=actor, filters=filters),
        "assignee_counts": case_assignee_counts(actor=actor, filters=filters),
        "shops": list(shops_visible_to(actor).order_by("slug")),
        "latest_id": case_latest_id(actor=actor, filters=filters),
        "now": clock.now(),
        "queue_region": QUEUE_REGION,
        "status_choices": STATUS_CHOICES,
        "order_choices": ORDER_CHOICES,
        "poll_seconds": POLL_SECONDS,
    }
    htmx = getattr(request, "htmx", None)
    if htmx and htmx.target == QUEUE_REGION and not htmx.history_restore_request:
        return render(request, "web/_queue_region.html", context)
    return render(request, "web/queue.html", context)


@login_required
@require_GET
def case_queue_poll(request: HttpRequest) -> HttpResponse:
    """Polled every 5 s by the queue: how many matching cases arrived since the page was drawn."""
    try:
        filters = _parse_filters(request.GET)
        after_id = int(request.GET.get("after") or 0)
    except (CaseError, ValueError):
        return HttpResponse(status=400)
    count = cases_new_since(actor=request.user, filters=filters, after_id=after_id)
    return render(
        request,
        "web/_new_cases.html",
        {
            "new_count": count,
            "latest_id": after_id,
            "queue_region": QUEUE_REGION,
            "poll_seconds": POLL_SECONDS,
        },
    )
