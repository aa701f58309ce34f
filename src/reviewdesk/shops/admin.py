from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from reviewdesk.shops.models import Membership, Organisation, Shop, ShopConnection

# Encrypted credentials are shown (and editable) only for superusers; staff never see them.
_SECRET_FIELDS = ("app_secret", "session_key")


class MembershipInline(admin.TabularInline):  # type: ignore[type-arg]
    model = Membership
    extra = 0
    raw_id_fields = ("user",)
    fields = ("user", "role", "is_active", "created_at")
    readonly_fields = ("created_at",)


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("name", "created_at")
    search_fields = ("name",)


@admin.register(Shop)
class ShopAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("slug", "name", "platform", "organisation", "timezone", "is_active")
    list_filter = ("platform", "is_active")
    search_fields = ("slug", "name", "platform_shop_id")
    list_select_related = ("organisation",)
    readonly_fields = ("assignment_counter", "created_at")
    inlines = (MembershipInline,)


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("user", "shop", "role", "is_active", "created_at")
    list_filter = ("role", "is_active", "shop")
    search_fields = ("user__username", "shop__slug", "shop__name")
    list_select_related = ("user", "shop")
    raw_id_fields = ("user", "shop")


@admin.register(ShopConnection)
class ShopConnectionAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("shop", "connector", "app_key", "is_enabled", "last_run_at", "last_error")
    list_filter = ("connector", "is_enabled")
    search_fields = ("shop__slug", "app_key")
    list_select_related = ("shop",)
    raw_id_fields = ("shop",)
    readonly_fields = ("last_run_at",)

    def get_exclude(self, request: HttpRequest, obj: Any = None) -> Any:
        if request.user.is_superuser:
            return ()
        return _SECRET_FIELDS
