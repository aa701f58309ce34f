"""Shipments (物流) of orders as the platform shows them: carrier, tracking number, shipping and
promised ship-by times, and the trace (TMC taobao_logistics_LogsticDetailTrace, PLATFORM §5/§6.3).

One row per order and shop (a split parcel keeps the latest tracking number; see
docs/logistics.md). What the parcel means for the after-sales team is decided by
`logistics.rules` and acted on by `cases.services.logistics`.
"""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from reviewdesk.logistics.labels import ACTION_LABELS
from reviewdesk.logistics.rules import Parcel, Thresholds, TracePoint, action_of
from reviewdesk.reviews.models import Buyer, Order
from reviewdesk.shops.models import Shop

# Orders whose parcel is history: nothing about it opens a case any more.
# (交易关闭 stays Chinese in imports: it could be either closed code, docs/imports.md.)
DONE_ORDER_STATUSES = frozenset(
    {"TRADE_FINISHED", "TRADE_CLOSED", "TRADE_CLOSED_BY_TAOBAO", "交易关闭"}
)


class Shipment(models.Model):
    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="shipments")
    tid = models.BigIntegerField(_("订单号"))
    order = models.ForeignKey(
        Order, on_delete=models.SET_NULL, null=True, blank=True, related_name="shipments"
    )
    buyer = models.ForeignKey(
        Buyer, on_delete=models.SET_NULL, null=True, blank=True, related_name="shipments"
    )
    carrier = models.CharField(_("物流公司"), max_length=64, blank=True, default="")
    tracking_no = models.CharField(_("物流单号"), max_length=64, blank=True, default="")
    consigned_at = models.DateTimeField(_("发货时间"), null=True, blank=True)
    ship_by_at = models.DateTimeField(_("应发货时间"), null=True, blank=True)
    # 线下发货: the trace reports "signed" at once and proves nothing (PLATFORM §6.3).
    offline = models.BooleanField(_("线下发货"), default=False)
    # A trace source reported this parcel (sticky); a file export alone leaves it False.
    traced = models.BooleanField(_("有物流轨迹来源"), default=False)
    # Denormalised from the trace so the periodic re-check reads only parcels still on the way.
    signed_at = models.DateTimeField(_("签收时间"), null=True, blank=True)
    last_event_at = models.DateTimeField(_("最新轨迹时间"), null=True, blank=True)
    # The buyer says it never arrived (a refund reason 未收到货, or the agent recorded it).
    buyer_says_not_received = models.BooleanField(_("买家称未收到"), default=False)
    first_seen_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("物流")
        verbose_name_plural = _("物流")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["shop", "tid"], name="shipment_shop_tid_unique"),
        ]
        indexes: ClassVar = [
            # The periodic re-check reads unsigned parcels only (STYLE C8: by index, not all rows).
            models.Index(
                fields=["shop", "consigned_at"],
                condition=models.Q(signed_at__isnull=True),
                name="shipment_unsigned",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.tid} {self.carrier} {self.tracking_no}".strip()

    def parcel(self, trace: list[TraceEvent] | None = None) -> Parcel:
        """The pure view of this row for `logistics.rules` (trace rows passed in or loaded)."""
        rows = trace if trace is not None else list(self.trace.all())
        return Parcel(
            tracking_no=self.tracking_no,
            consigned_at=self.consigned_at,
            ship_by_at=self.ship_by_at,
            offline=self.offline,
            trace=tuple(TracePoint(r.at, action_of(r.action)) for r in rows),
            buyer_says_not_received=self.buyer_says_not_received,
            traced=self.traced or bool(rows),
        )


class TraceEvent(models.Model):
    shipment = models.ForeignKey(Shipment, on_delete=models.CASCADE, related_name="trace")
    at = models.DateTimeField(_("时间"))
    action = models.CharField(_("动作"), max_length=16)
    description = models.CharField(_("描述"), max_length=255, blank=True, default="")

    class Meta:
        verbose_name = _("物流轨迹")
        verbose_name_plural = _("物流轨迹")
        ordering: ClassVar = ["at", "id"]
        constraints: ClassVar = [
            # A replayed trace adds nothing (exactly-once by natural key).
            models.UniqueConstraint(
                fields=["shipment", "at", "action", "description"], name="trace_event_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action}"

    @property
    def action_label(self) -> str:
        return str(ACTION_LABELS.get(self.action, self.action))


class LogisticsPolicy(models.Model):
    """A shop's logistics thresholds; without a row `rules.Thresholds()` applies."""

    shop = models.OneToOneField(Shop, on_delete=models.CASCADE, related_name="logistics_policy")
    no_trace_hours = models.PositiveSmallIntegerField(_("有单号无轨迹（小时）"), default=24)
    collect_hours = models.PositiveSmallIntegerField(_("发货后未揽收（小时）"), default=24)
    stall_hours = models.PositiveSmallIntegerField(_("轨迹停滞（小时）"), default=48)

    class Meta:
        verbose_name = _("物流预警设置")
        verbose_name_plural = _("物流预警设置")

    def __str__(self) -> str:
        return f"{self.shop_id}: {self.no_trace_hours}/{self.collect_hours}/{self.stall_hours} h"

    def thresholds(self) -> Thresholds:
        return Thresholds(
            no_trace_hours=self.no_trace_hours,
            collect_hours=self.collect_hours,
            stall_hours=self.stall_hours,
        )


def thresholds_for(shop_id: int) -> Thresholds:
    policy = LogisticsPolicy.objects.filter(shop_id=shop_id).first()
    return policy.thresholds() if policy is not None else Thresholds()
