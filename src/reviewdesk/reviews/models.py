"""Buyers, orders with items, and reviews per order item with their versions.

Platform ids (tid, oid, num_iid) are BigIntegerFields: 64-bit exact, never floats (PLATFORM §1.3).
A review is per sub-order (oid) as in TOP's TradeRate; every observed change of its result, text,
follow-up or explanation is kept as a ReviewVersion, because the platform keeps no history
(PLATFORM §4.1) and revisions are what the after-sales team is measured on.
"""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from reviewdesk.core.crypto import EncryptedTextField
from reviewdesk.shops.models import Shop


class Buyer(models.Model):
    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="buyers")
    nick = models.CharField(_("买家昵称"), max_length=128)
    open_uid = models.CharField(_("买家OpenID"), max_length=128, blank=True, default="")
    # Personal data: encrypted at rest, masked for roles below supervisor (core.masking).
    phone = EncryptedTextField(_("手机"), blank=True, default="")
    address = EncryptedTextField(_("收货地址"), blank=True, default="")
    receiver_name = EncryptedTextField(_("收货人"), blank=True, default="")
    first_seen_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("买家")
        verbose_name_plural = _("买家")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["shop", "nick"], name="buyer_shop_nick_unique"),
        ]

    def __str__(self) -> str:
        return self.nick


class Order(models.Model):
    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="orders")
    tid = models.BigIntegerField(_("订单号"))
    buyer = models.ForeignKey(
        Buyer, on_delete=models.SET_NULL, null=True, blank=True, related_name="orders"
    )
    status = models.CharField(_("订单状态"), max_length=48, blank=True, default="")
    created_at = models.DateTimeField(_("下单时间"), null=True, blank=True)
    paid_at = models.DateTimeField(_("付款时间"), null=True, blank=True)
    ended_at = models.DateTimeField(_("成交时间"), null=True, blank=True)
    payment = models.DecimalField(
        _("实付金额"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    is_alipay = models.BooleanField(_("支付宝交易"), default=True)
    # True while we only know the order from a review (no order import yet).
    is_stub = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("订单")
        verbose_name_plural = _("订单")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["shop", "tid"], name="order_shop_tid_unique"),
        ]

    def __str__(self) -> str:
        return str(self.tid)


class OrderItem(models.Model):
    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="order_items")
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="items")
    oid = models.BigIntegerField(_("子订单号"))
    num_iid = models.BigIntegerField(_("商品ID"), null=True, blank=True)
    title = models.CharField(_("宝贝标题"), max_length=255, blank=True, default="")
    sku = models.CharField(_("规格"), max_length=255, blank=True, default="")
    quantity = models.PositiveIntegerField(_("数量"), default=1)
    price = models.DecimalField(_("单价"), max_digits=12, decimal_places=2, null=True, blank=True)
    payment = models.DecimalField(_("实付"), max_digits=12, decimal_places=2, null=True, blank=True)
    status = models.CharField(_("状态"), max_length=48, blank=True, default="")
    refund_status = models.CharField(_("退款状态"), max_length=48, blank=True, default="")

    class Meta:
        verbose_name = _("子订单")
        verbose_name_plural = _("子订单")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["shop", "oid"], name="orderitem_shop_oid_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.oid} {self.title}"


class ReviewResult(models.TextChoices):
    GOOD = "good", _("好评")
    NEUTRAL = "neutral", _("中评")
    BAD = "bad", _("差评")


NEGATIVE_RESULTS = (ReviewResult.NEUTRAL, ReviewResult.BAD)


class ReviewState(models.TextChoices):
    PRESENT = "present", _("在线")
    DELETED = "deleted", _("已删除")


class ReviewQuerySet(models.QuerySet["Review"]):
    def negative(self) -> ReviewQuerySet:
        return self.filter(result__in=NEGATIVE_RESULTS, state=ReviewState.PRESENT)


class Review(models.Model):
    """The current state of the buyer's rating of one order item; history in ReviewVersion."""

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="reviews")
    order_item = models.OneToOneField(OrderItem, on_delete=models.CASCADE, related_name="review")
    buyer = models.ForeignKey(
        Buyer, on_delete=models.SET_NULL, null=True, blank=True, related_name="reviews"
    )
    oid = models.BigIntegerField(_("子订单号"))
    tid = models.BigIntegerField(_("订单号"))
    result = models.CharField(_("评价结果"), max_length=8, choices=ReviewResult.choices)
    content = models.TextField(_("评价内容"), blank=True, default="")
    rated_at = models.DateTimeField(_("评价时间"))
    followup_content = models.TextField(_("追评"), blank=True, default="")
    followup_at = models.DateTimeField(_("追评时间"), null=True, blank=True)
    explanation = models.TextField(_("评价解释"), blank=True, default="")
    # DSR stars when known (imports only; TOP exposes just logistics, PLATFORM §4.5).
    desc_score = models.PositiveSmallIntegerField(_("描述相符"), null=True, blank=True)
    service_score = models.PositiveSmallIntegerField(_("服务态度"), null=True, blank=True)
    logistics_score = models.PositiveSmallIntegerField(_("物流服务"), null=True, blank=True)
    valid_score = models.BooleanField(_("计分"), null=True, blank=True)
    is_default = models.BooleanField(_("系统默认好评"), default=False)
    state = models.CharField(
        _("状态"), max_length=8, choices=ReviewState.choices, default=ReviewState.PRESENT
    )
    # Set when a neutral/bad review was observed to become good (PLATFORM §9.1 L5).
    revised_at = models.DateTimeField(_("改评时间"), null=True, blank=True)
    first_result = models.CharField(max_length=8, choices=ReviewResult.choices)
    version_count = models.PositiveIntegerField(default=1)
    # Latest triage output (sentiment, cause, severity, risk flags, evidence, model name/version).
    triage = models.JSONField(default=dict, blank=True)
    first_seen_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ReviewQuerySet.as_manager()

    class Meta:
        verbose_name = _("评价")
        verbose_name_plural = _("评价")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["shop", "oid"], name="review_shop_oid_unique"),
            models.CheckConstraint(
                condition=models.Q(desc_score__isnull=True)
                | models.Q(desc_score__gte=1, desc_score__lte=5),
                name="review_desc_score_range",
            ),
            models.CheckConstraint(
                condition=models.Q(service_score__isnull=True)
                | models.Q(service_score__gte=1, service_score__lte=5),
                name="review_service_score_range",
            ),
            models.CheckConstraint(
                condition=models.Q(logistics_score__isnull=True)
                | models.Q(logistics_score__gte=1, logistics_score__lte=5),
                name="review_logistics_score_range",
            ),
        ]
        indexes: ClassVar = [models.Index(fields=["shop", "result", "rated_at"])]

    def __str__(self) -> str:
        return f"{self.oid} {self.result}"

    def is_negative(self) -> bool:
        return self.result in NEGATIVE_RESULTS and self.state == ReviewState.PRESENT

    def is_revised(self) -> bool:
        return self.revised_at is not None


class ReviewVersion(models.Model):
    """One observed state of a review. Version 1 is the first one we saw."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    result = models.CharField(max_length=8, choices=ReviewResult.choices)
    content = models.TextField(blank=True, default="")
    followup_content = models.TextField(blank=True, default="")
    followup_at = models.DateTimeField(null=True, blank=True)
    explanation = models.TextField(blank=True, default="")
    state = models.CharField(max_length=8, choices=ReviewState.choices, default=ReviewState.PRESENT)
    observed_at = models.DateTimeField()
    source = models.CharField(_("来源"), max_length=255, blank=True, default="")

    class Meta:
        verbose_name = _("评价版本")
        verbose_name_plural = _("评价版本")
        ordering: ClassVar = ["review_id", "number"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["review", "number"], name="reviewversion_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.review_id} v{self.number} {self.result}"
