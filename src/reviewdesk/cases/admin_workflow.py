"""Admin for the workflow's per-shop rules and rows (imported from cases/admin.py by the lead)."""

from __future__ import annotations

from django.contrib import admin

from reviewdesk.cases.models import (
    AgentLeave,
    AgentSkill,
    Appointment,
    BusinessHours,
    CompliancePolicy,
    ContactAttempt,
    Notification,
    RoutingPolicy,
    Shift,
    ShopDay,
    ShopSlaPolicy,
    Timer,
)


@admin.register(RoutingPolicy)
class RoutingPolicyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("shop", "max_open_cases", "high_risk_to_supervisor", "follow_shifts")


@admin.register(AgentSkill)
class AgentSkillAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("membership", "cause", "kind")


@admin.register(Shift)
class ShiftAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("membership", "weekday", "starts", "ends")
    list_filter = ("weekday",)


@admin.register(AgentLeave)
class AgentLeaveAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("membership", "starts_at", "ends_at", "reason")


@admin.register(BusinessHours)
class BusinessHoursAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("shop", "weekday", "opens", "closes")


@admin.register(ShopDay)
class ShopDayAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("shop", "date", "name", "opens", "closes")


@admin.register(ShopSlaPolicy)
class ShopSlaPolicyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("shop", "first_contact_minutes", "cool_down_hours", "resolution_minutes")


@admin.register(CompliancePolicy)
class CompliancePolicyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("shop", "profile")
    # Turning a practice on goes through services.policy.compliance_practice_allow (owner only,
    # with the conflicting rule acknowledged), never through a raw admin edit.
    readonly_fields = ("profile", "allowed")


@admin.register(ContactAttempt)
class ContactAttemptAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("case", "at", "channel", "outcome", "actor")
    list_filter = ("channel", "outcome")


@admin.register(Appointment)
class AppointmentAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("case", "at", "channel", "status")


@admin.register(Timer)
class TimerAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("case", "kind", "due_at", "fired_at", "result", "attempts")
    list_filter = ("kind", "result")


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("user", "kind", "created_at", "read_at")
