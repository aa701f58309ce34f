"""Placeholder views; the workbench pages replace these."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse


@login_required
def case_queue(request: HttpRequest) -> HttpResponse:
    return HttpResponse("case queue")


@login_required
def case_detail(request: HttpRequest, case_id: int) -> HttpResponse:
    return HttpResponse(f"case {case_id}")
