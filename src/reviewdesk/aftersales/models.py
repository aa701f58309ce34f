"""Refund and return requests as the platform shows them (退款管理, EXPORTS §3; TOP refunds).

One row per platform refund id and shop; the request's latest observed state. What the request
means for the after-sales team (a case, its cause, flags and deadlines) is decided by
`aftersales.rules` and acted on by `cases.services.refunds`.
"""

from __future__ import annotations

from decimal import Decimal
from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from reviewdesk.aftersales.rules import (
    OPEN_REFUND_STATUSES,
    PENALTY_REASON,
    Phase,
    RefundStatus,
    penalty_at_stake,
    reason_verdict,
)
from reviewdesk.reviews.models import Buyer, Order, OrderItem
from reviewdesk.shops.models import Shop

STATUS_CHOICES = [
    (RefundStatus.WAITING_SELLER.value, _("等待卖家同意")),
    (RefundStatus.WAITING_BUYER_RETURN.value, _("等待买家退货")),
    (RefundStatus.WAITING_SELLER_CONFIRM.value, _("等待卖家确认收货")),
    (RefundStatus.SELLER_REFUSED.value, _("卖家拒绝退款")),
    (RefundStatus.CLOSED.value, _("退款关闭")),
    (RefundStatus.SUCCESS.value, _("退款成功")),
]
PHASE_CHOICES = [(Phase.IN_SALE.value, _("售中退款")), (Phase.AFTER_SALE.value, _("售后退款"))]


class RefundQuerySet(models.QuerySet["Refund"]):
    def open(self) -> RefundQuerySet:
        return self.filter(status__in=[s.value for s in OPEN_REFUND_STATUSES])


class Refund(models.Model):
    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="refunds")
    refund_id = models.BigIntegerField(_("退款编号"))
    tid = models.BigIntegerField(_("订单号"))
    oid = models.BigIntegerField(_("子订单号"), null=True, blank=True)
    # Known when ingested or later (an order stub is created like reviews do; items link once
    # the order or the review names them).
    order = models.ForeignKey(
        Order, on_delete=models.SET_NULL, null=True, blank=True, related_name="refunds"
    )
    order_item = models.ForeignKey(
        OrderItem, on_delete=models.SET_NULL, null=True, blank=True, related_name="refunds"
    )
    buyer = models.ForeignKey(
        Buyer, on_delete=models.SET_NULL, null=True, blank=True, related_name="refunds"
    )
    status = models.CharField(
        _("退款状态"), max_length=24, choices=STATUS_CHOICES, blank=True, default=""
    )
    status_text = models.CharField(_("退款状态（原文）"), max_length=64, blank=True, default="")
    reason = models.CharField(_("买家退款原因"), max_length=128, blank=True, default="")
    description = models.TextField(_("买家退款说明"), blank=True, default="")
    amount = models.DecimalField(
        _("买家退款金额"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    paid = models.DecimalField(
        _("买家实际支付金额"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    item_title = models.CharField(_("宝贝标题"), max_length=255, blank=True, default="")
    applied_at = models.DateTimeField(_("退款申请时间"), null=True, blank=True)
    # 超时时间: when the platform acts on its own if nobody does (a case's first contact is due
    # no later than this).
    timeout_at = models.DateTimeField(_("超时时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("退款完结时间"), null=True, blank=True)
    phase = models.CharField(
        _("售中或售后"), max_length=12, choices=PHASE_CHOICES, blank=True, default=""
    )
    has_return = models.BooleanField(_("需要退货"), null=True, blank=True)
    goods_status = models.CharField(_("货物状态"), max_length=64, blank=True, default="")
    # Sticky: once the platform's customer service stepped in, that stays a fact of the request.
    intervention = models.BooleanField(_("客服介入"), default=False)
    intervention_text = models.CharField(_("客服介入状态"), max_length=64, blank=True, default="")
    first_seen_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = RefundQuerySet.as_manager()

    class Meta:
        verbose_name = _("退款")
        verbose_name_plural = _("退款")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["shop", "refund_id"], name="refund_shop_id_unique"),
        ]
        indexes: ClassVar = [
            models.Index(fields=["shop", "status"], name="refund_shop_status"),
            models.Index(fields=["shop", "tid"], name="refund_shop_tid"),
        ]

    def __str__(self) -> str:
        return f"{self.refund_id} {self.status}"

    def is_open(self) -> bool:
        return self.status in OPEN_REFUND_STATUSES

    def has_penalty_reason(self) -> bool:
        return PENALTY_REASON in reason_verdict(self.reason).flags

    def penalty_amount(self) -> Decimal | None:
        """30% of the order (DOMAIN 售后类型 退款): the order's amount when imported, else what
        the buyer paid, else the amount asked back (an out-of-stock refund is the whole order)."""
        if not self.has_penalty_reason():
            return None
        order_amount = self.order.payment if self.order is not None else None
        for amount in (order_amount, self.paid, self.amount):
            if amount is not None:
                return penalty_at_stake(amount)
        return None
