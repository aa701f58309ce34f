"""Row parsers: one row of cells (by field name) -> a platforms.records dataclass.

A parser checks every present column and raises `InvalidRowError` listing each bad cell, so the
seller fixes a row once rather than once per column. The cells dict holds exactly the columns
the file has (a missing column is absent; an empty cell is present and empty), which is how a
parser tells "this file has no oid column" (oid = tid, PLATFORM §6.2) from "this cell is empty".
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TypeVar

from reviewdesk.aftersales import rules
from reviewdesk.platforms.files import values
from reviewdesk.platforms.records import (
    OrderItemRecord,
    OrderRecord,
    RefundRecord,
    ReviewRecord,
    ShipmentRecord,
)

T = TypeVar("T")
Cells = Mapping[str, object]
NICK_LIMIT = 128  # Buyer.nick max_length


class RowError(ValueError):
    """One bad cell: `column` is the field name (the importer shows the file's header)."""

    def __init__(self, column: str, reason: str) -> None:
        super().__init__(f"[{column}] {reason}")
        self.column = column
        self.reason = reason


class InvalidRowError(ValueError):
    """Every bad cell of one row."""

    def __init__(self, errors: list[RowError]) -> None:
        super().__init__("; ".join(str(e) for e in errors))
        self.errors = errors


class _Row:
    """Collects conversion errors instead of stopping at the first one."""

    __slots__ = ("cells", "errors")

    def __init__(self, cells: Cells) -> None:
        self.cells = cells
        self.errors: list[RowError] = []

    def get(self, field: str, convert: Callable[[object], T], default: T) -> T:
        if field not in self.cells:
            return default
        try:
            return convert(self.cells[field])
        except ValueError as exc:
            self.errors.append(RowError(field, str(exc)))
            return default

    def fail(self, field: str, reason: str) -> None:
        self.errors.append(RowError(field, reason))

    def check(self) -> None:
        if self.errors:
            raise InvalidRowError(self.errors)


def _long_text(raw: object) -> str:
    return values.text(raw, limit=values.TEXT_LIMIT)


def _nick(raw: object) -> str:
    return values.short_text(raw, limit=NICK_LIMIT)


def parse_review_row(cells: Cells) -> ReviewRecord:
    """A review row (TOP TradeRate names or Chinese headers, EXPORTS §4). Raises InvalidRowError."""
    row = _Row(cells)
    tid = row.get("tid", values.platform_id, 0)
    oid = row.get("oid", values.optional_id, None)
    result = row.get("result", values.review_result, "")
    rated_at = row.get("created", values.datetime, None)
    if rated_at is None and not any(e.column == "created" for e in row.errors):
        row.fail("created", "缺少评价时间 / missing review time")
    followup_at = row.get("append_time", values.datetime, None)
    nick = row.get("nick", _nick, "")
    content = row.get("content", _long_text, "")
    item_title = row.get("item_title", _long_text, "")
    num_iid = row.get("num_iid", values.optional_id, None)
    explanation = row.get("reply", _long_text, "")
    followup = row.get("append_content", _long_text, "")
    valid_score = row.get("valid_score", values.boolean, None)
    is_default = row.get("is_default", values.boolean, None)
    desc_score = row.get("desc_score", values.stars, None)
    service_score = row.get("service_score", values.stars, None)
    logistics_score = row.get("logistics_score", values.stars, None)
    row.check()
    assert rated_at is not None  # noqa: S101 - row.check() raised otherwise
    return ReviewRecord(
        tid=tid,
        oid=oid if oid is not None else tid,  # no oid column or cell: a single-item order
        buyer_nick=nick,
        result=result,
        rated_at=rated_at,
        content=content,
        item_title=item_title,
        num_iid=num_iid,
        explanation=explanation,
        followup_content=followup,
        followup_at=followup_at,
        valid_score=valid_score,
        is_default=bool(is_default),
        desc_score=desc_score,
        service_score=service_score,
        logistics_score=logistics_score,
    )


def parse_order_row(cells: Cells) -> OrderRecord:
    """An order-report row (one per main order) or an item-report row (one per sub-order).

    The item report has an oid column; its row describes one item, and its money columns are
    that item's. An order-report row has no oid: a single-item order's item is oid = tid
    (PLATFORM §6.2); for a multi-item order (宝贝种类 > 1) the items come from the item report.
    """
    row = _Row(cells)
    tid = row.get("tid", values.platform_id, 0)
    oid = row.get("oid", values.optional_id, None)
    status = row.get("status", values.status_code, "")
    payment = row.get("payment", values.money, None)
    quantity = row.get("num", values.count, None)
    item_kinds = row.get("item_kinds", values.count, None)
    title = row.get("title", _long_text, "")
    num_iid = row.get("num_iid", values.optional_id, None)
    sku = row.get("sku", _long_text, "")
    price = row.get("price", values.money, None)
    refund_status = row.get("refund_status", _status_text, "")
    nick = row.get("buyer_nick", _nick, "")
    created_at = row.get("created", values.datetime, None)
    paid_at = row.get("pay_time", values.datetime, None)
    ended_at = row.get("end_time", values.datetime, None)
    receiver_name = row.get("receiver_name", _long_text, "")
    address = row.get("address", _long_text, "")
    phone = row.get("phone", values.phone, "")
    consigned_at = row.get("consign_time", values.datetime, None)
    ship_by_at = row.get("ship_by", values.datetime, None)
    tracking_no = row.get("tracking_no", _tracking_no, "")
    carrier = row.get("carrier", _long_text, "")
    row.check()
    shipment = None
    if consigned_at or ship_by_at or tracking_no or carrier:
        shipment = ShipmentRecord(
            tid=tid,
            buyer_nick=nick,
            carrier=carrier[:64],
            tracking_no=tracking_no,
            consigned_at=consigned_at,
            ship_by_at=ship_by_at,
            traced=False,  # the export has no trace: only the ship-by rule applies
        )
    is_item_row = "oid" in cells
    items: tuple[OrderItemRecord, ...] = ()
    if is_item_row or (item_kinds or 1) <= 1:
        items = (
            OrderItemRecord(
                oid=oid if oid is not None else tid,
                title=title,
                num_iid=num_iid,
                sku=sku,
                quantity=quantity if quantity is not None else 1,
                price=price,
                payment=payment,
                status=status,
                refund_status=refund_status,
            ),
        )
    return OrderRecord(
        tid=tid,
        buyer_nick=nick,
        status=status,
        created_at=created_at,
        paid_at=paid_at,
        ended_at=ended_at,
        # An item-report row's amount is the item's; the order's total is not in that file.
        payment=None if is_item_row else payment,
        items=items,
        receiver_name=receiver_name,
        phone=phone,
        address=address,
        shipment=shipment,
    )


def _tracking_no(raw: object) -> str:
    """The first tracking number: older exports write `No:7501…`, split parcels list several."""
    text = values.clean(raw).removeprefix("No:").removeprefix("NO:").strip()
    for sep in (",", "，", ";", " "):
        text = text.split(sep)[0]
    return text[:64]


def _status_text(raw: object) -> str:
    return values.short_text(raw, limit=values.STATUS_LIMIT)


REASON_LIMIT = 128  # Refund.reason max_length
REFUND_TEXT_LIMIT = 64  # Refund.status_text / goods_status / intervention_text max_length


def _refund_text(raw: object) -> str:
    return values.short_text(raw, limit=REFUND_TEXT_LIMIT)


def parse_refund_row(cells: Cells) -> RefundRecord:
    """A row of the refund export (EXPORTS §3 versions A/B/C). Raises InvalidRowError.

    `退款状态` is read as the API wording or a keyword of it (§7); a status no rule knows is
    rejected rather than guessed, so the seller sees it. `是否需要退货` / `售后类型` / `货物状态`
    say whether goods come back; `客服介入状态` whether the platform stepped in.
    """
    row = _Row(cells)
    refund_id = row.get("refund_id", values.platform_id, 0)
    tid = row.get("tid", values.platform_id, 0)
    oid = row.get("oid", values.optional_id, None)
    status_text = row.get("status", _refund_text, "")
    status = rules.refund_status(status_text)
    if status is None and not any(e.column == "status" for e in row.errors):
        reason = "缺少退款状态 / missing refund status"
        if status_text:
            reason = f"未知的退款状态 {status_text!r} / unknown refund status"
        row.fail("status", reason)
    nick = row.get("buyer_nick", _nick, "")
    reason = row.get("reason", lambda raw: values.short_text(raw, limit=REASON_LIMIT), "")
    description = row.get("description", _long_text, "")
    amount = row.get("amount", values.money, None)
    paid = row.get("paid", values.money, None)
    item_title = row.get("item_title", _long_text, "")
    applied_at = row.get("applied_at", values.datetime, None)
    timeout_at = row.get("timeout_at", values.datetime, None)
    finished_at = row.get("finished_at", values.datetime, None)
    need_return = row.get("need_return", values.boolean, None)
    goods_status = row.get("goods_status", _refund_text, "")
    after_sale_type = row.get("after_sale_type", _refund_text, "")
    intervention_text = row.get("intervention", _refund_text, "")
    phase = row.get("phase", _refund_text, "")
    row.check()
    return RefundRecord(
        refund_id=refund_id,
        tid=tid,
        oid=oid,
        buyer_nick=nick,
        status=status or "",
        status_text=status_text,
        reason=reason,
        description=description,
        amount=amount,
        paid=paid,
        item_title=item_title[:255],
        applied_at=applied_at,
        timeout_at=timeout_at,
        finished_at=finished_at,
        phase=rules.refund_phase(phase),
        has_return=rules.with_return(
            need_return=need_return,
            after_sale_type=after_sale_type,
            goods_status=goods_status,
            status=status or "",
        ),
        goods_status=goods_status,
        intervention=rules.intervened(intervention_text) if "intervention" in cells else None,
        intervention_text=intervention_text,
    )
