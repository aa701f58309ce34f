"""Rows for the DSR engine: scored trades, the shop's rating policy, daily snapshots, the value
the platform shows (calibration), and DSR alerts with their in-app receipts.

The maths lives in dsr.py / dsr_engine.py / credit.py / whatif.py / alerts.py and never imports
these models; `RatingPolicy` turns its columns into the pure settings dataclasses.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from reviewdesk.ratings.alerts import AlertKind, AlertPolicy
from reviewdesk.ratings.dsr import DIMENSIONS, Dimension, DimensionScore
from reviewdesk.ratings.rules import (
    CountingOrder,
    CreditRules,
    DsrRules,
    Rounding,
    WindowUnit,
)
from reviewdesk.shops.models import Shop

DIMENSION_CHOICES = [
    (Dimension.DESC.value, _("描述相符")),
    (Dimension.SERVICE.value, _("服务态度")),
    (Dimension.LOGISTICS.value, _("物流服务")),
]


def _stars_in_range(field: str, name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=models.Q(**{f"{field}__isnull": True})
        | models.Q(**{f"{field}__gte": 1, f"{field}__lte": 5}),
        name=name,
    )


class ScoredTrade(models.Model):
    """One trade the buyer scored: its three DSR stars (PLATFORM §9.3 D1, D9).

    Stars come from the `scores` import or manual entry (no TOP API returns 描述/服务 stars,
    PLATFORM §4.5). A star left empty is unknown to us, not missing on the platform.
    """

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="scored_trades")
    tid = models.BigIntegerField(_("订单号"))  # 64-bit platform id, never a float (PLATFORM §10.2)
    buyer_nick = models.CharField(_("买家昵称"), max_length=128)
    trade_created_at = models.DateTimeField(_("下单时间"))
    rated_at = models.DateTimeField(_("评分时间"))
    is_alipay = models.BooleanField(_("支付宝交易"), default=True)
    is_default = models.BooleanField(_("系统默认评价"), default=False)
    desc_score = models.PositiveSmallIntegerField(_("描述相符"), null=True, blank=True)
    service_score = models.PositiveSmallIntegerField(_("服务态度"), null=True, blank=True)
    logistics_score = models.PositiveSmallIntegerField(_("物流服务"), null=True, blank=True)
    source = models.CharField(_("来源"), max_length=255, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("评分记录")
        verbose_name_plural = _("评分记录")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["shop", "tid"], name="scored_trade_shop_tid_unique"),
            _stars_in_range("desc_score", "scored_trade_desc_range"),
            _stars_in_range("service_score", "scored_trade_service_range"),
            _stars_in_range("logistics_score", "scored_trade_logistics_range"),
            models.CheckConstraint(
                condition=models.Q(rated_at__gte=models.F("trade_created_at")),
                name="scored_trade_rated_after_created",
            ),
        ]
        indexes: ClassVar = [models.Index(fields=["shop", "buyer_nick", "trade_created_at"])]

    def __str__(self) -> str:
        return f"{self.tid} {self.desc_score}/{self.service_score}/{self.logistics_score}"


class RatingPolicy(models.Model):
    """A shop's rating settings: every [UNCONFIRMED]/[CONFLICT] rule of PLATFORM §9 is a column
    here (rules.RULE_NOTES says which), plus the alert thresholds and what-if assumptions."""

    shop = models.OneToOneField(Shop, on_delete=models.CASCADE, related_name="rating_policy")
    # DSR, PLATFORM §9.3
    window_length = models.PositiveSmallIntegerField(_("统计窗口长度"), default=180)
    window_unit = models.CharField(
        _("窗口单位"),
        max_length=8,
        choices=[(WindowUnit.DAYS.value, _("天")), (WindowUnit.MONTHS.value, _("自然月"))],
        default=WindowUnit.DAYS.value,
    )
    per_month_cap = models.PositiveSmallIntegerField(_("每买家每月计入次数"), default=3)
    counting_order = models.CharField(
        _("计入顺序"),
        max_length=16,
        choices=[
            (CountingOrder.TRADE_CREATED.value, _("按下单时间")),
            (CountingOrder.RATED_AT.value, _("按评分时间")),
        ],
        default=CountingOrder.TRADE_CREATED.value,
    )
    alipay_only = models.BooleanField(_("仅支付宝交易"), default=True)
    exclude_default = models.BooleanField(_("排除默认评价"), default=True)
    display_decimals = models.PositiveSmallIntegerField(_("显示小数位"), default=1)
    rounding = models.CharField(
        _("舍入方式"),
        max_length=16,
        choices=[
            (Rounding.HALF_UP.value, _("四舍五入")),
            (Rounding.HALF_EVEN.value, _("银行家舍入")),
            (Rounding.DOWN.value, _("截断")),
        ],
        default=Rounding.HALF_UP.value,
    )
    # Credit, PLATFORM §9.2
    monthly_cap_points = models.PositiveSmallIntegerField(_("每买家每月计分上限"), default=6)
    same_item_days = models.PositiveSmallIntegerField(_("同商品合并天数"), default=14)
    max_non_scoring_amount = models.DecimalField(
        _("不计分金额上限(元)"), max_digits=8, decimal_places=2, default=Decimal("1.00")
    )
    good_rate_window_days = models.PositiveSmallIntegerField(
        _("好评率统计天数(空=全部)"), null=True, blank=True
    )
    good_rate_decimals = models.PositiveSmallIntegerField(_("好评率小数位"), default=2)
    # Alerts (reviewdesk's own): full-precision value below the threshold, or a fast drop.
    desc_threshold = models.DecimalField(
        _("描述相符预警线"),
        max_digits=3,
        decimal_places=2,
        null=True,
        blank=True,
        default=Decimal("4.70"),
    )
    service_threshold = models.DecimalField(
        _("服务态度预警线"),
        max_digits=3,
        decimal_places=2,
        null=True,
        blank=True,
        default=Decimal("4.70"),
    )
    logistics_threshold = models.DecimalField(
        _("物流服务预警线"),
        max_digits=3,
        decimal_places=2,
        null=True,
        blank=True,
        default=Decimal("4.70"),
    )
    drop_amount = models.DecimalField(
        _("7天降幅预警"),
        max_digits=4,
        decimal_places=3,
        null=True,
        blank=True,
        default=Decimal("0.020"),
    )
    drop_days = models.PositiveSmallIntegerField(_("降幅比较天数"), default=7)
    # What-if assumptions
    active_scoring_rate = models.DecimalField(
        _("订单评分率(空=按近期数据估计)"), max_digits=4, decimal_places=3, null=True, blank=True
    )
    recent_days = models.PositiveSmallIntegerField(_("近期分布天数"), default=30)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("评分规则设置")
        verbose_name_plural = _("评分规则设置")
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=models.Q(window_length__gte=1, per_month_cap__gte=1, drop_days__gte=1),
                name="rating_policy_positive_lengths",
            ),
            models.CheckConstraint(
                condition=models.Q(display_decimals__lte=6, good_rate_decimals__lte=6),
                name="rating_policy_decimals",
            ),
            models.CheckConstraint(
                condition=models.Q(active_scoring_rate__isnull=True)
                | models.Q(active_scoring_rate__gte=0, active_scoring_rate__lte=1),
                name="rating_policy_scoring_rate_range",
            ),
        ]

    def __str__(self) -> str:
        return f"rating policy of {self.shop_id}"

    def dsr_rules(self, tz: str) -> DsrRules:
        return DsrRules(
            window_length=self.window_length,
            window_unit=WindowUnit(self.window_unit),
            per_month_cap=self.per_month_cap,
            counting_order=CountingOrder(self.counting_order),
            alipay_only=self.alipay_only,
            exclude_default=self.exclude_default,
            tz=tz,
            display_decimals=self.display_decimals,
            rounding=Rounding(self.rounding),
        )

    def credit_rules(self, tz: str) -> CreditRules:
        return CreditRules(
            monthly_cap_points=self.monthly_cap_points,
            same_item_days=self.same_item_days,
            max_non_scoring_amount=self.max_non_scoring_amount,
            tz=tz,
            good_rate_window_days=self.good_rate_window_days,
            good_rate_decimals=self.good_rate_decimals,
            rounding=Rounding(self.rounding),
        )

    def alert_policy(self) -> AlertPolicy:
        thresholds = {
            Dimension.DESC: self.desc_threshold,
            Dimension.SERVICE: self.service_threshold,
            Dimension.LOGISTICS: self.logistics_threshold,
        }
        return AlertPolicy(
            thresholds={d: v for d, v in thresholds.items() if v is not None},
            drop_amount=self.drop_amount,
            drop_days=self.drop_days,
        )


class DsrSnapshot(models.Model):
    """The DSR of a shop as computed on a day: exact sums and counts, so values never drift."""

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="dsr_snapshots")
    day = models.DateField(_("日期"))
    desc_total = models.BigIntegerField(default=0)
    desc_count = models.BigIntegerField(default=0)
    service_total = models.BigIntegerField(default=0)
    service_count = models.BigIntegerField(default=0)
    logistics_total = models.BigIntegerField(default=0)
    logistics_count = models.BigIntegerField(default=0)
    rated = models.BigIntegerField(default=0)  # tally of the window, see dsr.Tally
    counted = models.BigIntegerField(default=0)
    rules = models.JSONField(default=dict, blank=True)  # the DsrRules used, for audit
    computed_at = models.DateTimeField()

    class Meta:
        verbose_name = _("DSR快照")
        verbose_name_plural = _("DSR快照")
        ordering: ClassVar = ["shop", "day"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["shop", "day"], name="dsr_snapshot_shop_day_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.shop_id} {self.day}"

    def score(self, dimension: Dimension, rules: DsrRules | None = None) -> DimensionScore:
        rules = rules or DsrRules()
        total: int = getattr(self, f"{dimension.value}_total")
        count: int = getattr(self, f"{dimension.value}_count")
        return DimensionScore(total, count, rules.display_decimals, rules.rounding)

    def exact(self, dimension: Dimension) -> Fraction | None:
        return self.score(dimension).exact

    def values(self) -> dict[Dimension, Fraction | None]:
        return {d: self.exact(d) for d in DIMENSIONS}


class PlatformCalibration(models.Model):
    """The value the platform shows for a dimension on a day, entered by the owner.

    Per-rating 描述/服务 stars come from files, so the computed DSR is an estimate (PLATFORM
    §4.5); the difference to what the storefront or seller tools show tells how good it is.
    """

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="dsr_calibrations")
    day = models.DateField(_("日期"))
    dimension = models.CharField(_("维度"), max_length=16, choices=DIMENSION_CHOICES)
    shown_value = models.DecimalField(_("平台显示值"), max_digits=7, decimal_places=5)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    entered_at = models.DateTimeField()

    class Meta:
        verbose_name = _("平台评分校准")
        verbose_name_plural = _("平台评分校准")
        ordering: ClassVar = ["shop", "-day", "dimension"]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["shop", "day", "dimension"], name="dsr_calibration_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(shown_value__gte=1, shown_value__lte=5),
                name="dsr_calibration_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.shop_id} {self.day} {self.dimension}={self.shown_value}"


class RatingAlert(models.Model):
    """A DSR condition that started on a day (alerts.py); one row per shop, dimension, kind, day."""

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="rating_alerts")
    dimension = models.CharField(_("维度"), max_length=16, choices=DIMENSION_CHOICES)
    kind = models.CharField(
        _("类型"),
        max_length=16,
        choices=[
            (AlertKind.BELOW_THRESHOLD.value, _("低于预警线")),
            (AlertKind.FAST_DROP.value, _("7天下降过快")),
        ],
    )
    day = models.DateField(_("日期"))
    value = models.DecimalField(_("当前值"), max_digits=8, decimal_places=5)
    reference = models.DecimalField(_("对比值"), max_digits=8, decimal_places=5)
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("评分预警")
        verbose_name_plural = _("评分预警")
        ordering: ClassVar = ["-day", "shop", "dimension"]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["shop", "dimension", "kind", "day"], name="rating_alert_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.shop_id} {self.day} {self.dimension} {self.kind}"


class RatingAlertReceipt(models.Model):
    """The alert in one recipient's in-app inbox (owners and supervisors of the shop)."""

    alert = models.ForeignKey(RatingAlert, on_delete=models.CASCADE, related_name="receipts")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="rating_alert_receipts"
    )
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["alert", "user"], name="rating_alert_receipt_unique"),
        ]
        # The inbox query: a user's unread receipts.
        indexes: ClassVar = [
            models.Index(
                fields=["user"],
                condition=models.Q(read_at__isnull=True),
                name="rating_receipt_unread_idx",
            )
        ]

    def __str__(self) -> str:
        return f"{self.alert_id} -> {self.user_id}"
