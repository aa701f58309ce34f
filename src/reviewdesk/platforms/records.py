"""Normalised records every connector produces (polls, push messages, file exports, the simulator).

Connectors never import models (STYLE C9); reviews.services turns these records into rows.
Datetimes are aware (UTC or any zone); money is Decimal; ids are int.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, fields
from decimal import Decimal

# A lone UTF-16 surrogate (half an emoji cut by a platform, or "\\ud83d" in JSON) is a valid
# Python str but no database can store it: one such text would fail its whole page, forever.
_LONE_SURROGATE = re.compile(r"[\ud800-\udfff]")


def text_scrubbed(value: str) -> str:
    """`value` with every lone surrogate replaced by U+FFFD (same length, so offsets hold)."""
    return _LONE_SURROGATE.sub("\ufffd", value) if _LONE_SURROGATE.search(value) else value


@dataclass(frozen=True, slots=True)
class OrderItemRecord:
    oid: int
    title: str = ""
    num_iid: int | None = None
    sku: str = ""
    quantity: int = 1
    price: Decimal | None = None
    payment: Decimal | None = None
    status: str = ""
    refund_status: str = ""


@dataclass(frozen=True, slots=True)
class OrderRecord:
    tid: int
    buyer_nick: str = ""
    status: str = ""
    created_at: dt.datetime | None = None
    paid_at: dt.datetime | None = None
    ended_at: dt.datetime | None = None
    payment: Decimal | None = None
    items: tuple[OrderItemRecord, ...] = field(default_factory=tuple)
    receiver_name: str = ""
    phone: str = ""
    address: str = ""
    # The export's 发货时间/物流单号/物流公司/应发货时间, when the file has them (no trace).
    shipment: ShipmentRecord | None = None


@dataclass(frozen=True, slots=True)
class ReviewRecord:
    tid: int
    oid: int
    buyer_nick: str
    result: str  # good | neutral | bad
    rated_at: dt.datetime
    content: str = ""
    item_title: str = ""
    num_iid: int | None = None
    explanation: str = ""
    followup_content: str = ""
    followup_at: dt.datetime | None = None
    valid_score: bool | None = None
    is_default: bool = False
    desc_score: int | None = None
    service_score: int | None = None
    logistics_score: int | None = None

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, str) and _LONE_SURROGATE.search(value):
                object.__setattr__(self, f.name, text_scrubbed(value))


@dataclass(frozen=True, slots=True)
class ReviewGoneRecord:
    """The platform no longer lists a review we had (the buyer deleted it, PLATFORM §9.1 L5)."""

    oid: int
    observed_at: dt.datetime


@dataclass(frozen=True, slots=True)
class RefundRecord:
    """A refund or return request (退款管理 export, EXPORTS §3; TOP refunds).

    `status` is normalised (`aftersales.rules.RefundStatus` values, "" when unknown) and
    `status_text` keeps the platform's words. As everywhere, an empty or None value means "not in
    this source", never "erase": a later observation carries only what it knows.
    `intervention` is None when the source has no 客服介入状态.
    """

    refund_id: int
    tid: int
    oid: int | None = None
    buyer_nick: str = ""
    status: str = ""
    status_text: str = ""
    reason: str = ""
    description: str = ""
    amount: Decimal | None = None
    paid: Decimal | None = None
    item_title: str = ""
    applied_at: dt.datetime | None = None
    timeout_at: dt.datetime | None = None
    finished_at: dt.datetime | None = None
    phase: str = ""  # in_sale | after_sale | ""
    has_return: bool | None = None
    goods_status: str = ""
    intervention: bool | None = None
    intervention_text: str = ""


@dataclass(frozen=True, slots=True)
class TraceRecord:
    """One trace event (TMC taobao_logistics_LogsticDetailTrace: `time`, `action`, `desc`)."""

    at: dt.datetime
    action: str  # CREATE, CONSIGN, GOT, ... (logistics.rules.Action values)
    description: str = ""


@dataclass(frozen=True, slots=True)
class ShipmentRecord:
    """An order's shipment (物流): the order export's 发货时间/物流单号/物流公司/应发货时间
    (EXPORTS §1) or a trace message. `trace` may be the whole trace or only new events: rows
    are the union. `offline` is None when the source does not say (线下发货, PLATFORM §6.3)."""

    tid: int
    buyer_nick: str = ""
    carrier: str = ""
    tracking_no: str = ""
    consigned_at: dt.datetime | None = None
    ship_by_at: dt.datetime | None = None
    offline: bool | None = None
    trace: tuple[TraceRecord, ...] = field(default_factory=tuple)
    # The source reports traces (a connector's logistics stream); False for a file export, whose
    # empty trace means "unknown" rather than "no scan yet".
    traced: bool = True
