from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from reviewdesk.cases import admin_workflow  # noqa: F401  # routing, calendar, SLA models
from reviewdesk.cases.models import Case, CaseEvent


class CaseEventInline(admin.TabularInline):  # type: ignore[type-arg]
    """The timeline is append-only (an audit trail): shown, never edited here."""

    model = CaseEvent
    extra = 0
    can_delete = False
    fields = ("at", "kind", "actor", "message", "data")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Cases change through cases.services (which write the timeline); the admin only reads."""

    list_display = ("id", "shop", "kind", "status", "outcome", "assignee", "severity", "opened_at")
    list_filter = ("status", "kind", "outcome", "severity", "shop")
    search_fields = ("=id", "buyer__nick", "=review__oid", "=order__tid")
    list_select_related = ("shop", "assignee")
    raw_id_fields = ("shop", "review", "order", "buyer", "assignee")
    date_hierarchy = "opened_at"
    inlines = (CaseEventInline,)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return [f.name for f in Case._meta.fields]


@admin.register(CaseEvent)
class CaseEventAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("case", "at", "kind", "actor", "message")
    list_filter = ("kind",)
    search_fields = ("=case__id", "message")
    list_select_related = ("case", "actor")
    raw_id_fields = ("case", "actor")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return [f.name for f in CaseEvent._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
