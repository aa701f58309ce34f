from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from reviewdesk.core.masking import mask_address, mask_phone
from reviewdesk.reviews.models import Buyer, Order, OrderItem, Review, ReviewVersion

# Buyer contact data is encrypted at rest; in the admin only superusers see it in clear.
_CONTACT_FIELDS = ("phone", "address", "receiver_name")


@admin.register(Buyer)
class BuyerAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("nick", "shop", "phone_masked", "address_masked", "first_seen_at")
    list_filter = ("shop",)
    search_fields = ("nick", "open_uid")
    list_select_related = ("shop",)
    raw_id_fields = ("shop",)
    readonly_fields = ("first_seen_at",)

    def get_exclude(self, request: HttpRequest, obj: Any = None) -> Any:
        return () if request.user.is_superuser else _CONTACT_FIELDS

    def get_list_display(self, request: HttpRequest) -> Any:
        if request.user.is_superuser:
            return ("nick", "shop", "phone", "address", "receiver_name", "first_seen_at")
        return self.list_display

    @admin.display(description=_("Phone"))
    def phone_masked(self, obj: Buyer) -> str:
        return mask_phone(obj.phone) if obj.phone else ""

    @admin.display(description=_("Address"))
    def address_masked(self, obj: Buyer) -> str:
        return mask_address(obj.address) if obj.address else ""


class OrderItemInline(admin.TabularInline):  # type: ignore[type-arg]
    model = OrderItem
    extra = 0
    fields = ("oid", "title", "sku", "quantity", "price", "payment", "status", "refund_status")
    raw_id_fields = ("shop",)
    show_change_link = True


@admin.register(Order)
class OrderAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("tid", "shop", "buyer", "status", "payment", "paid_at", "is_stub")
    list_filter = ("shop", "is_stub", "status")
    search_fields = ("=tid", "buyer__nick")
    list_select_related = ("shop", "buyer")
    raw_id_fields = ("shop", "buyer")
    inlines = (OrderItemInline,)


@admin.register(OrderItem)
class OrderItemAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("oid", "title", "shop", "quantity", "payment", "refund_status")
    list_filter = ("shop",)
    search_fields = ("=oid", "=num_iid", "title")
    list_select_related = ("shop",)
    raw_id_fields = ("shop", "order")


class ReviewVersionInline(admin.TabularInline):  # type: ignore[type-arg]
    model = ReviewVersion
    extra = 0
    can_delete = False
    fields = (
        "number",
        "result",
        "content",
        "followup_content",
        "explanation",
        "state",
        "observed_at",
        "source",
    )
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Reviews are what the platform said; they change only through ingestion (read-only here)."""

    list_display = (
        "oid",
        "shop",
        "buyer",
        "result",
        "first_result",
        "rated_at",
        "state",
        "version_count",
    )
    list_filter = ("result", "first_result", "state", "shop")
    search_fields = ("=oid", "=tid", "content", "buyer__nick")
    list_select_related = ("shop", "buyer")
    raw_id_fields = ("shop", "order_item", "buyer")
    date_hierarchy = "rated_at"
    inlines = (ReviewVersionInline,)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return [f.name for f in Review._meta.fields]
