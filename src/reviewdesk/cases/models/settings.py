"""Per-shop case settings: routing, skills, shifts, leave, business hours, SLA, compliance."""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from reviewdesk.cases.models.case import CaseKind
from reviewdesk.shops.models import Membership, Shop


class RoutingPolicy(models.Model):
    shop = models.OneToOneField(Shop, on_delete=models.CASCADE, related_name="routing_policy")
    max_open_cases = models.PositiveIntegerField(_("每人最多在办工单"), default=30)
    high_risk_to_supervisor = models.BooleanField(_("高风险工单交主管"), default=True)
    follow_shifts = models.BooleanField(_("按排班分配"), default=True)

    class Meta:
        verbose_name = _("分配规则")
        verbose_name_plural = _("分配规则")

    def __str__(self) -> str:
        return f"routing {self.shop_id}"


class AgentSkill(models.Model):
    """What an agent handles well: a cause (quality, logistics, ...) and/or a case kind."""

    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="skills")
    cause = models.CharField(_("原因"), max_length=24, blank=True, default="")
    kind = models.CharField(_("类型"), max_length=16, choices=CaseKind.choices, blank=True)

    class Meta:
        verbose_name = _("客服技能")
        verbose_name_plural = _("客服技能")
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["membership", "cause", "kind"], name="agentskill_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.membership_id} {self.cause or '*'}/{self.kind or '*'}"


class Shift(models.Model):
    """Shift hours in shop-local time; an agent with no shifts is treated as always on."""

    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="shifts")
    weekday = models.PositiveSmallIntegerField(_("星期"))  # 0 = Monday
    starts = models.TimeField(_("开始"))
    ends = models.TimeField(_("结束"))

    class Meta:
        verbose_name = _("排班")
        verbose_name_plural = _("排班")
        constraints: ClassVar = [
            models.CheckConstraint(condition=models.Q(weekday__lte=6), name="shift_weekday_range")
        ]

    def __str__(self) -> str:
        return f"{self.membership_id} {self.weekday} {self.starts}-{self.ends}"


class AgentLeave(models.Model):
    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="leaves")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField(null=True, blank=True)
    reason = models.CharField(max_length=200, blank=True, default="")

    class Meta:
        verbose_name = _("休假")
        verbose_name_plural = _("休假")

    def __str__(self) -> str:
        return f"{self.membership_id} leave {self.starts_at:%Y-%m-%d}"


class BusinessHours(models.Model):
    """Working hours per weekday, shop-local. No rows: every day 09:00-21:00 (sla.DEFAULT_HOURS)."""

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="business_hours")
    weekday = models.PositiveSmallIntegerField(_("星期"))
    opens = models.TimeField(_("开始"))
    closes = models.TimeField(_("结束"))  # 00:00 means midnight

    class Meta:
        verbose_name = _("营业时间")
        verbose_name_plural = _("营业时间")

    def __str__(self) -> str:
        return f"{self.shop_id} {self.weekday} {self.opens}-{self.closes}"


class ShopDay(models.Model):
    """A dated exception: a holiday (no hours) or a make-up working day (调休) with its hours."""

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="calendar_days")
    date = models.DateField(_("日期"))
    opens = models.TimeField(null=True, blank=True)
    closes = models.TimeField(null=True, blank=True)
    name = models.CharField(_("名称"), max_length=60, blank=True, default="")

    class Meta:
        verbose_name = _("节假日/调休")
        verbose_name_plural = _("节假日/调休")

    def __str__(self) -> str:
        return f"{self.shop_id} {self.date} {self.name}"


class ShopSlaPolicy(models.Model):
    """Per-shop values for sla.SlaPolicy; no row means the defaults."""

    shop = models.OneToOneField(Shop, on_delete=models.CASCADE, related_name="sla_policy")
    first_contact_minutes = models.PositiveIntegerField(default=15)
    cool_down_hours = models.PositiveIntegerField(default=24)
    after_cool_down_minutes = models.PositiveIntegerField(default=120)
    over_one_month_minutes = models.PositiveIntegerField(default=480)
    over_six_months_minutes = models.PositiveIntegerField(default=1440)
    resolution_minutes = models.PositiveIntegerField(default=7 * 12 * 60)
    warning_percent = models.PositiveSmallIntegerField(default=80)
    appointment_reminder_minutes = models.PositiveIntegerField(default=10)

    class Meta:
        verbose_name = _("时效规则")
        verbose_name_plural = _("时效规则")

    def __str__(self) -> str:
        return f"sla {self.shop_id}"


class ComplianceProfile(models.TextChoices):
    STRICT = "strict", _("严格（默认，符合现行平台规则）")
    CUSTOM = "custom", _("自定义（掌柜已开启部分旧做法）")


class CompliancePolicy(models.Model):
    """DOMAIN compliance: strict by default; what the owner turned on, with the rule it conflicts.

    `allowed` holds {"practice", "conflicts_with", "by", "at"} entries (cases.compliance).
    """

    shop = models.OneToOneField(Shop, on_delete=models.CASCADE, related_name="compliance_policy")
    profile = models.CharField(
        max_length=16, choices=ComplianceProfile.choices, default=ComplianceProfile.STRICT
    )
    allowed = models.JSONField(default=list, blank=True)

    class Meta:
        verbose_name = _("合规设置")
        verbose_name_plural = _("合规设置")

    def __str__(self) -> str:
        return f"compliance {self.shop_id} {self.profile}"
