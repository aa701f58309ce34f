"""Compensation offers (补偿, DOMAIN R10-R11), limits per role, approvals and the monthly budget.

Compliance (DOMAIN): compensation is for the buyer's problem and never tied to the review. No
model here has a field about the review or its result, and the reason and buyer note pass the
compliance check before an offer is stored (services.py); tests/compensation assert both.
Spend per outcome is read through the case's outcome at query time (selectors.py).
"""

from __future__ import annotations

from decimal import Decimal
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from reviewdesk.cases.models import Case
from reviewdesk.shops.models import Role, Shop


class CompensationKind(models.TextChoices):
    CASH = "cash", _("现金")
    COUPON = "coupon", _("优惠券")
    GIFT = "gift", _("赠品")
    PARTIAL_REFUND = "partial_refund", _("部分退款")
    FREE_SHIPPING_NEXT = "free_shipping_next", _("下次包邮")
    RETURN_SHIPPING_REFUND = "return_shipping_refund", _("退还寄回运费")


class OfferStatus(models.TextChoices):
    PROPOSED = "proposed", _("协商中")
    PENDING_APPROVAL = "pending_approval", _("待审批")
    APPROVED = "approved", _("已批准")
    REJECTED = "rejected", _("已驳回")
    PAID = "paid", _("已发放")
    CANCELLED = "cancelled", _("已取消")


SPENDING_STATUSES = (OfferStatus.APPROVED, OfferStatus.PAID)


class CompensationOffer(models.Model):
    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="compensation_offers")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="compensation_offers")
    kind = models.CharField(_("类型"), max_length=24, choices=CompensationKind.choices)
    amount = models.DecimalField(_("金额"), max_digits=10, decimal_places=2)
    status = models.CharField(
        _("状态"), max_length=20, choices=OfferStatus.choices, default=OfferStatus.PROPOSED
    )
    reason = models.TextField(_("补偿原因（针对问题）"))
    buyer_note = models.TextField(_("给买家的说明"), blank=True, default="")
    offered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    # Who must approve (supervisor or owner) and why; blank when within the offerer's limits.
    approval_role = models.CharField(max_length=16, choices=Role.choices, blank=True, default="")
    approval_note = models.TextField(blank=True, default="")
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    paid_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField()
    # The shop-local month the spend counts against, "YYYY-MM" (set when the offer is approved).
    spend_month = models.CharField(max_length=7, blank=True, default="")

    class Meta:
        verbose_name = _("补偿")
        verbose_name_plural = _("补偿")
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=models.Q(amount__gte=Decimal("0")), name="offer_amount_not_negative"
            ),
        ]
        indexes: ClassVar = [models.Index(fields=["shop", "spend_month", "status"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.amount} ({self.status}) case {self.case_id}"

    def is_spending(self) -> bool:
        return self.status in SPENDING_STATUSES


class CompensationLimit(models.Model):
    """What one role may grant without approval, set by the owner (R10)."""

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="compensation_limits")
    role = models.CharField(max_length=16, choices=Role.choices)
    max_amount = models.DecimalField(_("单笔上限（元）"), max_digits=10, decimal_places=2)
    max_share_of_order = models.DecimalField(
        _("占订单金额上限"), max_digits=5, decimal_places=4, default=Decimal("1")
    )
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("补偿权限")
        verbose_name_plural = _("补偿权限")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["shop", "role"], name="complimit_shop_role_unique"),
            models.CheckConstraint(
                condition=models.Q(max_share_of_order__gte=0, max_share_of_order__lte=1),
                name="complimit_share_between_0_and_1",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.shop.slug} {self.role} ≤{self.max_amount}"


class MonthlyBudget(models.Model):
    shop = models.OneToOneField(Shop, on_delete=models.CASCADE, related_name="compensation_budget")
    amount = models.DecimalField(_("每月补偿预算（元）"), max_digits=12, decimal_places=2)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("补偿预算")
        verbose_name_plural = _("补偿预算")

    def __str__(self) -> str:
        return f"{self.shop.slug} {self.amount}/月"
