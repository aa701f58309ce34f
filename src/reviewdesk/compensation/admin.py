from django.contrib import admin

from reviewdesk.compensation.models import CompensationLimit, CompensationOffer, MonthlyBudget


@admin.register(CompensationOffer)
class CompensationOfferAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("case", "shop", "kind", "amount", "status", "offered_by", "created_at")
    list_filter = ("status", "kind", "shop")
    raw_id_fields = ("case",)


@admin.register(CompensationLimit)
class CompensationLimitAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("shop", "role", "max_amount", "max_share_of_order", "updated_at")


@admin.register(MonthlyBudget)
class MonthlyBudgetAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("shop", "amount", "updated_at")
