"""Cases (工单) and their timeline. One case per problem; a review case points at its review."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from reviewdesk.cases.workflow import OPEN_STATUSES, WAITING_STATUSES, Outcome, Status
from reviewdesk.reviews.models import Buyer, Order, Review
from reviewdesk.shops.models import Membership, Shop

# Routed to a supervisor, never negotiated like an ordinary buyer (DOMAIN "Who gives 中差评").
HIGH_RISK_FLAGS = frozenset(
    {
        "extortion",
        "professional_reviewer",
        "competitor",
        "fake_goods_claim",
        "platform_intervention",
        "complaint_threat",
    }
)


class CaseKind(models.TextChoices):
    REVIEW = "review", _("中差评")
    LOGISTICS = "logistics", _("物流")
    RETURN = "return", _("退换货")
    REFUND = "refund", _("退款")
    REPAIR = "repair", _("维修")


class Severity(models.TextChoices):
    HIGH = "high", _("高")
    MEDIUM = "medium", _("中")
    LOW = "low", _("低")


class BuyerGroup(models.TextChoices):
    """DOMAIN R7: every neutral/bad reviewer sits in exactly one group."""

    NEUTRAL = "neutral", _("中评买家")
    BAD = "bad", _("差评买家")
    OFFERED = "offered", _("买家主动提出修改")
    REVISED = "revised", _("已修改")


STATUS_LABELS = {
    Status.NEW: _("新建"),
    Status.CONTACTING: _("联系中"),
    Status.WAITING_BUYER: _("等待买家"),
    Status.WAITING_THIRD_PARTY: _("等待第三方"),
    Status.RESOLVING: _("处理中"),
    Status.RESOLVED: _("已解决"),
    Status.EXPLAINED: _("已解释"),
    Status.CLOSED: _("已关闭"),
}
OUTCOME_LABELS = {
    Outcome.REVISED: _("已改好评"),
    Outcome.DELETED: _("已删除"),
    Outcome.SOLVED: _("问题已解决"),
    Outcome.EXPLAINED: _("已解释"),
    Outcome.NO_RESPONSE: _("买家未回应"),
    Outcome.EXTORTION: _("疑似职业差评"),
    Outcome.OTHER: _("其他"),
}


class CaseQuerySet(models.QuerySet["Case"]):
    def open(self) -> CaseQuerySet:
        return self.filter(status__in=[s.value for s in OPEN_STATUSES])

    def overdue(self, now: dt.datetime) -> CaseQuerySet:
        """Open cases whose first contact is late (not yet contacted and past due)."""
        return self.open().filter(first_contacted_at__isnull=True, first_contact_due_at__lt=now)

    def linked_to(self, case: Case) -> CaseQuerySet:
        """Cases of the same buyer and order (DOMAIN 004: one buyer, several bad items)."""
        if not case.link_key:
            return self.filter(pk=case.pk)
        return self.filter(shop_id=case.shop_id, link_key=case.link_key)


class Case(models.Model):
    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="cases")
    kind = models.CharField(
        _("类型"), max_length=16, choices=CaseKind.choices, default=CaseKind.REVIEW
    )
    review = models.ForeignKey(
        Review, on_delete=models.SET_NULL, null=True, blank=True, related_name="cases"
    )
    order = models.ForeignKey(
        Order, on_delete=models.SET_NULL, null=True, blank=True, related_name="cases"
    )
    buyer = models.ForeignKey(
        Buyer, on_delete=models.SET_NULL, null=True, blank=True, related_name="cases"
    )
    status = models.CharField(
        _("状态"),
        max_length=24,
        choices=[(s.value, STATUS_LABELS[s]) for s in Status],
        default=Status.NEW,
    )
    outcome = models.CharField(
        _("结果"),
        max_length=16,
        choices=[(o.value, OUTCOME_LABELS[o]) for o in Outcome],
        blank=True,
        default="",
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_cases",
        verbose_name=_("负责人"),
    )
    cause = models.CharField(_("原因"), max_length=24, blank=True, default="")
    severity = models.CharField(
        _("严重程度"), max_length=8, choices=Severity.choices, blank=True, default=""
    )
    risk_flags = models.JSONField(_("风险标记"), default=list, blank=True)
    triage_model = models.CharField(max_length=64, blank=True, default="")
    # When the buyer offered to revise of their own accord: recorded, never solicited (DOMAIN).
    offered_revise_at = models.DateTimeField(null=True, blank=True)
    opened_at = models.DateTimeField(_("创建时间"))
    closed_at = models.DateTimeField(_("关闭时间"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Cases of one buyer's order share a key, so the agent handles the buyer once (DOMAIN 004).
    link_key = models.CharField(_("关联组"), max_length=64, blank=True, default="")
    # 0-100, higher first: severity, risk and the closing 30-day window (PLATFORM §9.1 L5).
    priority = models.PositiveSmallIntegerField(_("优先级"), default=0)
    revision_window_ends_at = models.DateTimeField(_("评价可修改截止"), null=True, blank=True)
    # SLA (STYLE C8): the rule that set the first contact (sla.FirstContactRule) and its deadlines.
    sla_rule = models.CharField(_("首次联系规则"), max_length=16, blank=True, default="")
    contact_not_before = models.DateTimeField(_("冷静期至"), null=True, blank=True)
    first_contact_due_at = models.DateTimeField(_("首次联系截止"), null=True, blank=True)
    resolution_due_at = models.DateTimeField(_("处理截止"), null=True, blank=True)
    first_contacted_at = models.DateTimeField(_("首次联系时间"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("升级时间"), null=True, blank=True)

    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("工单")
        verbose_name_plural = _("工单")
        ordering: ClassVar = ["-opened_at"]
        constraints: ClassVar = [
            # Exactly one review case per review, whatever ingestion replays.
            models.UniqueConstraint(
                fields=["review"],
                condition=models.Q(kind="review"),
                name="case_one_review_case_per_review",
            ),
        ]
        indexes: ClassVar = [
            models.Index(fields=["shop", "status", "opened_at"]),
            models.Index(fields=["shop", "link_key"], name="case_shop_link_key"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.kind} {self.status}"

    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def buyer_group(self) -> str | None:
        """DOMAIN R7 group, derived from the review and the case (never stored twice)."""
        review = self.review
        if review is None:
            return None
        if review.revised_at is not None:
            return BuyerGroup.REVISED
        if self.offered_revise_at is not None:
            return BuyerGroup.OFFERED
        if review.first_result == "neutral" and review.result != "bad":
            return BuyerGroup.NEUTRAL
        if review.result == "good":
            return None  # a good review that complains: its buyer is in no R7 group
        return BuyerGroup.BAD

    def age(self, now: dt.datetime) -> dt.timedelta:
        return now - self.opened_at

    def is_high_risk(self) -> bool:
        return bool(HIGH_RISK_FLAGS.intersection(self.risk_flags or []))

    def is_paused(self) -> bool:
        return self.status in WAITING_STATUSES


class CaseEventKind(models.TextChoices):
    OPENED = "opened", _("创建")
    ASSIGNED = "assigned", _("分配")
    STATUS = "status", _("状态变更")
    REVIEW_CHANGED = "review_changed", _("评价变化")
    FOLLOWUP = "followup", _("追评")
    NOTE = "note", _("备注")
    TRIAGE = "triage", _("智能分类")
    CONTACT = "contact", _("联系买家")
    APPOINTMENT = "appointment", _("约定时间")
    SLA = "sla", _("时效")
    ESCALATED = "escalated", _("升级主管")
    LINKED = "linked", _("关联工单")
    REMINDER = "reminder", _("提醒")
    FOLLOW_UP = "follow_up", _("跟进计划")


class CaseEvent(models.Model):
    """The timeline: who did what, when and why. Append-only; the audit trail and report input."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    kind = models.CharField(max_length=24, choices=CaseEventKind.choices)
    message = models.TextField(blank=True, default="")
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("工单事件")
        verbose_name_plural = _("工单事件")
        ordering: ClassVar = ["at", "id"]
        indexes: ClassVar = [models.Index(fields=["case", "at"])]

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind} {self.at:%Y-%m-%d %H:%M}"


# --- contacts and appointments (DOMAIN R4, R6, R8) ------------------------------------------------


class Channel(models.TextChoices):
    PHONE = "phone", _("电话")
    IM = "im", _("旺旺/千牛")
    SMS = "sms", _("短信")
    MESSAGE = "message", _("站内信")


class ContactOutcome(models.TextChoices):
    NO_ANSWER = "no_answer", _("未接通")
    REFUSED = "refused", _("拒绝沟通")
    TALKED = "talked", _("已沟通")
    SOLVED = "solved", _("问题已解决")
    # Recorded when the buyer offers it unprompted; never solicited (DOMAIN compliance).
    OFFERED_REVISE = "offered_revise", _("买家主动提出修改评价")
    CALL_BACK = "call_back", _("约定回访")


class ContactAttempt(models.Model):
    """One attempt to reach the buyer. Visible from every case linked to the same buyer+order."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="contact_attempts")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    channel = models.CharField(_("渠道"), max_length=16, choices=Channel.choices)
    outcome = models.CharField(_("结果"), max_length=16, choices=ContactOutcome.choices)
    note = models.TextField(_("备注"), blank=True, default="")
    at = models.DateTimeField(_("联系时间"))

    class Meta:
        verbose_name = _("联系记录")
        verbose_name_plural = _("联系记录")
        ordering: ClassVar = ["at", "id"]
        indexes: ClassVar = [models.Index(fields=["case", "at"])]

    def __str__(self) -> str:
        return f"{self.case_id} {self.channel} {self.outcome}"


class AppointmentStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("已约定")
    KEPT = "kept", _("已按时联系")
    CANCELLED = "cancelled", _("已取消")


class Appointment(models.Model):
    """A call-back agreed with the buyer at an exact minute (DOMAIN R4: never 明天 or 下午)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="appointments")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    at = models.DateTimeField(_("约定时间"))
    channel = models.CharField(_("渠道"), max_length=16, choices=Channel.choices, default="phone")
    note = models.TextField(_("备注"), blank=True, default="")
    status = models.CharField(
        max_length=16, choices=AppointmentStatus.choices, default=AppointmentStatus.SCHEDULED
    )
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("约定回访")
        verbose_name_plural = _("约定回访")
        ordering: ClassVar = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.case_id} @ {self.at:%Y-%m-%d %H:%M}"

    def countdown(self, now: dt.datetime) -> dt.timedelta:
        return self.at - now


# --- SLA pauses, timers and in-app notifications (STYLE C8) --------------------------------------


class SlaPause(models.Model):
    """The SLA clocks stop while the case waits on the buyer or a third party."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="sla_pauses")
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=24)

    class Meta:
        verbose_name = _("时效暂停")
        verbose_name_plural = _("时效暂停")
        ordering: ClassVar = ["started_at", "id"]

    def __str__(self) -> str:
        return f"{self.case_id} paused {self.started_at:%Y-%m-%d %H:%M}"


class TimerKind(models.TextChoices):
    FIRST_CONTACT_WARNING = "first_contact_warning", _("首次联系即将超时")
    FIRST_CONTACT_BREACH = "first_contact_breach", _("首次联系超时")
    RESOLUTION_WARNING = "resolution_warning", _("处理即将超时")
    RESOLUTION_BREACH = "resolution_breach", _("处理超时")
    APPOINTMENT_REMINDER = "appointment_reminder", _("约定回访提醒")
    FOLLOW_UP = "follow_up", _("跟进计划")
    REVISION_WINDOW = "revision_window", _("修改期限提醒")


class TimerResult(models.TextChoices):
    FIRED = "fired", _("已触发")
    SKIPPED = "skipped", _("已跳过")  # the case moved on; nothing to say any more
    CANCELLED = "cancelled", _("已取消")
    FAILED = "failed", _("失败")


class TimerQuerySet(models.QuerySet["Timer"]):
    def due(self, now: dt.datetime) -> TimerQuerySet:
        return self.filter(fired_at__isnull=True, due_at__lte=now)

    def pending(self) -> TimerQuerySet:
        return self.filter(fired_at__isnull=True)


class Timer(models.Model):
    """A due time as a row: a restarted worker loses none; a conditional UPDATE claims it once.

    `fired_at` is set by the claim (healthchecks' pattern); cancelling sets it too, with a result.
    """

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="timers")
    kind = models.CharField(max_length=32, choices=TimerKind.choices)
    due_at = models.DateTimeField()
    fired_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True, default="")
    result = models.CharField(max_length=16, choices=TimerResult.choices, blank=True, default="")
    payload = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField()

    objects = TimerQuerySet.as_manager()

    class Meta:
        verbose_name = _("定时")
        verbose_name_plural = _("定时")
        indexes: ClassVar = [
            # The sweep reads only unfired rows by due time; fired rows (almost all of them, over
            # time) stay out of the index, so a sweep costs the same after a year as on day one.
            models.Index(
                fields=["due_at"],
                condition=models.Q(fired_at__isnull=True),
                name="timer_unfired_due",
            ),
            models.Index(fields=["case", "kind"], name="timer_case_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.due_at:%Y-%m-%d %H:%M} case {self.case_id}"


class Notification(models.Model):
    """In-app reminders, warnings and escalations for one user (channels come later)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="case_notifications"
    )
    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, null=True, blank=True, related_name="notifications"
    )
    kind = models.CharField(max_length=32)
    message = models.TextField()
    created_at = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        ordering: ClassVar = ["-created_at", "-id"]
        indexes: ClassVar = [models.Index(fields=["user", "read_at"], name="notification_unread")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind}"


# --- per-shop rules: routing, business calendar, SLA policy, compliance profile ------------------


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
