from __future__ import annotations

from django.contrib import admin

from reviewdesk.aftersales.models import Refund


@admin.register(Refund)
class RefundAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = (
        "refund_id",
        "shop",
        "tid",
        "status",
        "reason",
        "amount",
        "applied_at",
        "timeout_at",
        "intervention",
    )
    list_filter = ("shop", "status", "phase", "has_return", "intervention")
    search_fields = ("=refund_id", "=tid", "buyer__nick", "reason")
    list_select_related = ("shop",)
    raw_id_fields = ("shop", "order", "order_item", "buyer")
    readonly_fields = ("first_seen_at", "updated_at")
