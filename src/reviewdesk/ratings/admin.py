"""Admin for rating data. Scores, snapshots and alerts change through ratings.services (imports,
the daily snapshot); the admin reads them. The policy is editable here as well as by the owner."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from reviewdesk.ratings.models import (
    DsrSnapshot,
    PlatformCalibration,
    RatingAlert,
    RatingPolicy,
    ScoredTrade,
)


class ReadOnlyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ScoredTrade)
class ScoredTradeAdmin(ReadOnlyAdmin):
    list_display = (
        "tid",
        "shop",
        "buyer_nick",
        "trade_created_at",
        "rated_at",
        "desc_score",
        "service_score",
        "logistics_score",
        "is_default",
        "is_alipay",
    )
    list_filter = ("shop", "is_default", "is_alipay")
    search_fields = ("=tid", "buyer_nick")


@admin.register(DsrSnapshot)
class DsrSnapshotAdmin(ReadOnlyAdmin):
    list_display = ("shop", "day", "desc_count", "service_count", "logistics_count", "computed_at")
    list_filter = ("shop",)


@admin.register(RatingAlert)
class RatingAlertAdmin(ReadOnlyAdmin):
    list_display = ("shop", "day", "dimension", "kind", "value", "reference")
    list_filter = ("shop", "kind", "dimension")


@admin.register(PlatformCalibration)
class PlatformCalibrationAdmin(ReadOnlyAdmin):
    list_display = ("shop", "day", "dimension", "shown_value", "entered_by", "entered_at")


@admin.register(RatingPolicy)
class RatingPolicyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("shop", "window_length", "window_unit", "per_month_cap", "counting_order")
