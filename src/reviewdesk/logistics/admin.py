from __future__ import annotations

from django.contrib import admin

from reviewdesk.logistics.models import LogisticsPolicy, Shipment, TraceEvent


class TraceEventInline(admin.TabularInline):  # type: ignore[type-arg]
    model = TraceEvent
    extra = 0


@admin.register(Shipment)
class ShipmentAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = (
        "tid",
        "shop",
        "carrier",
        "tracking_no",
        "consigned_at",
        "ship_by_at",
        "signed_at",
    )
    list_filter = ("shop", "carrier", "offline")
    search_fields = ("=tid", "tracking_no", "buyer__nick")
    list_select_related = ("shop",)
    raw_id_fields = ("shop", "order", "buyer")
    readonly_fields = ("first_seen_at", "updated_at")
    inlines = (TraceEventInline,)


@admin.register(LogisticsPolicy)
class LogisticsPolicyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("shop", "no_trace_hours", "collect_hours", "stall_hours")
