"""Cases (工单) and their timeline. One case per problem: a review case points at its review, a
refund or return case at its refund request (aftersales.Refund), a logistics case at its parcel
(logistics.Shipment) and sub-type."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from reviewdesk.aftersales.models import Refund
from reviewdesk.cases import sla
from reviewdesk.cases.workflow import OPEN_STATUSES, WAITING_STATUSES, Outcome, Status
from reviewdesk.logistics.models import Shipment
from reviewdesk.reviews.models import Buyer, Order, Review
from reviewdesk.shops.models import Shop

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
# Kinds opened from a refund request (DOMAIN 售后类型); `Case.refund` points at it.
AFTER_SALE_KINDS = sla.AFTER_SALE_KINDS


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
    refund = models.ForeignKey(
        Refund, on_delete=models.SET_NULL, null=True, blank=True, related_name="cases"
    )
    # A logistics case's parcel; its sub-type (logistics.rules.SubType) is the `cause`.
    shipment = models.ForeignKey(
        Shipment, on_delete=models.SET_NULL, null=True, blank=True, related_name="cases"
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
            # Exactly one case per refund request (refund or return), whatever ingestion replays.
            models.UniqueConstraint(
                fields=["refund"],
                condition=models.Q(refund__isnull=False),
                name="case_one_case_per_refund",
            ),
            # One logistics case per parcel and sub-type, whatever ingestion or the re-check
            # replays (a closed one is never reopened by the parcel).
            models.UniqueConstraint(
                fields=["shipment", "cause"],
                condition=models.Q(shipment__isnull=False),
                name="case_one_case_per_shipment_subtype",
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
    REFUND_CHANGED = "refund_changed", _("退款变化")
    LOGISTICS_CHANGED = "logistics_changed", _("物流变化")


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
