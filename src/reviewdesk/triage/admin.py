from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from reviewdesk.triage.models import TriageLabel


@admin.register(TriageLabel)
class TriageLabelAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Agents' corrections are training data: visible, never edited here (the case keeps the
    audit trail), and deleted only to drop a mistaken label from the next shop retraining."""

    list_display = (
        "labelled_at",
        "shop",
        "review",
        "cause",
        "severity",
        "previous_cause",
        "previous_severity",
        "labelled_by",
        "model_version",
    )
    list_filter = ("shop", "cause", "severity")
    raw_id_fields = ("review", "case", "labelled_by")
    search_fields = ("text",)
    readonly_fields = ("labelled_at",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
