from django.contrib import admin

from reviewdesk.replies.models import (
    Explanation,
    ReplySettings,
    ScriptTemplate,
    ScriptUse,
    ShopPlaybook,
    StepCheck,
)


@admin.register(ReplySettings)
class ReplySettingsAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("shop", "supervisor_account", "processing_hours", "updated_at")


@admin.register(ShopPlaybook)
class ShopPlaybookAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("shop", "key", "title", "kind", "updated_at")
    list_filter = ("kind", "shop")
    search_fields = ("key", "title")


@admin.register(ScriptTemplate)
class ScriptTemplateAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("shop", "key", "title", "channel", "is_active", "requires_offered_revise")
    list_filter = ("channel", "is_active", "shop")
    search_fields = ("key", "title", "body")


@admin.register(StepCheck)
class StepCheckAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("case", "playbook_key", "step_key", "state", "checked_by", "checked_at")
    list_filter = ("state",)
    raw_id_fields = ("case",)


@admin.register(ScriptUse)
class ScriptUseAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("script_key", "case", "user", "at")
    raw_id_fields = ("case", "shop_script")


@admin.register(Explanation)
class ExplanationAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("case", "draft_source", "posted_via", "posted_at")
    list_filter = ("posted_via", "draft_source")
    raw_id_fields = ("case", "review")
