"""Header matching: columns are found by normalised name, never by position (EXPORTS, design note).

Exports drift: columns are inserted mid-row over the years, some headers carry trailing spaces
(`收货地址 `, `订单付款时间 `), full-width parentheses (`商品总价（元）`), a `(元)` unit suffix, or
an inner space (`商品 ID`). `normalise()` folds all of those, and each field lists its accepted
names in priority order: when a file has two of them, the earlier one wins. That is how
`订单编号` (the order id) beats `主订单编号` (the parent of a split order) in the order report,
while in the item report, which has no `订单编号`, `主订单编号` is the order id (EXPORTS §1c, §2b).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

_SPACE = re.compile(r"\s+")
_UNIT_SUFFIX = re.compile(r"\((元|件)\)$")


def normalise(header: object) -> str:
    """Fold a header for matching: `' 订单付款时间 '` -> `订单付款时间`, `商品 ID` -> `商品id`,
    `商品总价（元）` -> `商品总价`."""
    text = unicodedata.normalize("NFKC", str(header or "")).replace("\ufeff", "")
    text = _SPACE.sub("", text).lower()
    return _UNIT_SUFFIX.sub("", text)


Aliases = Mapping[str, Sequence[str]]

# field -> accepted headers, preferred first. English names are the TOP API field names.
REVIEW_ALIASES: Aliases = {
    "tid": ("tid", "订单号", "订单编号", "主订单号", "主订单编号"),
    "oid": ("oid", "子订单号", "子订单编号"),
    "nick": ("nick", "buyer_nick", "买家昵称", "买家", "买家会员名", "买家会员昵称"),
    "result": ("result", "评价结果", "评价", "评价类型"),
    "created": ("created", "评价时间", "初次评价时间"),
    "content": ("content", "评价内容", "初次评价内容"),
    "item_title": ("item_title", "宝贝标题", "商品标题", "宝贝名称", "商品名称"),
    "num_iid": ("num_iid", "商品ID", "宝贝ID"),
    "reply": ("reply", "评价解释", "解释"),
    "append_content": ("append_content", "追评内容", "追评"),
    "append_time": ("append_time", "追评时间"),
    "desc_score": ("desc_score", "描述相符"),
    "service_score": ("service_score", "服务态度"),
    "logistics_score": ("logistics_score", "logistics_service_score", "物流服务"),
    "valid_score": ("valid_score", "计分"),
    "is_default": ("is_default", "系统默认好评"),
}
REVIEW_REQUIRED = ("tid", "result", "created")

# One alias table serves the order report (订单报表, one row per main order, EXPORTS §1) and
# the item report (宝贝报表, one row per sub-order, §2), which is recognised by its oid column.
ORDER_ALIASES: Aliases = {
    "tid": ("tid", "订单编号", "订单号", "主订单编号"),
    "oid": ("oid", "子订单编号", "子订单号"),
    "status": ("status", "订单状态"),
    "created": ("created", "订单创建时间", "创建时间", "下单时间"),
    "pay_time": ("pay_time", "订单付款时间", "付款时间", "支付时间"),
    "end_time": ("end_time", "确认收货时间", "交易成功时间"),
    "buyer_nick": ("buyer_nick", "买家会员名", "买家会员昵称", "买家昵称"),
    "title": ("title", "宝贝标题", "商品标题", "标题"),
    "num_iid": ("num_iid", "商品ID", "宝贝ID"),
    "num": ("num", "购买数量", "宝贝总数量"),
    "price": ("price", "价格", "商品价格"),
    "payment": ("payment", "买家实际支付金额", "买家实付金额"),
    "sku": ("sku_properties_name", "商品属性"),
    "refund_status": ("refund_status", "退款状态"),
    "item_kinds": ("宝贝种类",),
    "receiver_name": ("receiver_name", "收货人姓名"),
    "address": ("receiver_address", "收货地址"),
    "phone": ("receiver_mobile", "联系手机"),
    # Logistics columns (EXPORTS §1 order export versions; §6 承诺发货时间 in other exports).
    "consign_time": ("consign_time", "发货时间"),
    "ship_by": ("应发货时间", "承诺发货时间"),
    "tracking_no": ("out_sid", "物流单号"),
    "carrier": ("logistics_company", "物流公司"),
}
ORDER_REQUIRED = ("tid",)

# The refund export (退款管理 → 导出, EXPORTS §3): versions A (2017), B (≈2020-2022, no buyer
# column) and C (≈2024+, 售后类型 and 支付单号 added). Some tools write `/` as `_` in headers
# (`手工退款_系统退款`); none of the columns used here has one. English names are TOP's.
REFUND_ALIASES: Aliases = {
    "refund_id": ("refund_id", "退款编号", "退款单号"),
    "tid": ("tid", "订单编号", "订单号"),
    "oid": ("oid", "子订单编号", "子订单号"),
    "buyer_nick": ("buyer_nick", "买家会员名称", "买家会员名", "买家昵称"),
    "status": ("status", "退款状态"),
    "reason": ("reason", "买家退款原因", "退款原因"),
    "description": ("desc", "买家退款说明", "退款说明"),
    "amount": ("refund_fee", "买家退款金额", "退款金额"),
    "paid": ("payment", "买家实际支付金额", "买家实付金额"),
    "item_title": ("title", "宝贝标题", "商品标题"),
    "applied_at": ("created", "退款的申请时间", "退款申请时间", "申请时间"),
    "timeout_at": ("timeout", "超时时间"),
    "finished_at": ("退款完结时间", "完结时间"),
    "need_return": ("has_good_return", "是否需要退货"),
    "goods_status": ("good_status", "货物状态"),
    "after_sale_type": ("售后类型",),
    "intervention": ("cs_status", "客服介入状态"),
    "phase": ("售中或售后",),
}
REFUND_REQUIRED = ("refund_id", "tid", "status")


@dataclass(frozen=True, slots=True)
class Column:
    field: str
    index: int
    header: str  # as written in the file, for error messages and the rejects file


@dataclass(frozen=True, slots=True)
class HeaderPlan:
    columns: tuple[Column, ...]
    ignored: tuple[str, ...]  # headers no field claimed (shown so a typo does not go unnoticed)

    def has(self, field: str) -> bool:
        return any(c.field == field for c in self.columns)

    def header_of(self, field: str) -> str:
        for column in self.columns:
            if column.field == field:
                return column.header
        return field


class HeaderError(ValueError):
    """The header row lacks a required column; the whole file is refused."""


def plan_columns(
    headers: Sequence[object], aliases: Aliases, required: Sequence[str]
) -> HeaderPlan:
    """Match the file's header row to fields. Raises HeaderError naming the missing columns."""
    position: dict[str, int] = {}
    for index, header in enumerate(headers):
        position.setdefault(normalise(header), index)  # a repeated header: the first one counts
    columns: list[Column] = []
    claimed: set[int] = set()
    for field, names in aliases.items():
        for name in names:
            at = position.get(normalise(name))
            if at is not None and at not in claimed:
                columns.append(Column(field, at, str(headers[at]).strip()))
                claimed.add(at)
                break
    found = {c.field for c in columns}
    missing = [f for f in required if f not in found]
    if missing:
        wanted = "; ".join(f"{' / '.join(aliases[f])}" for f in missing)
        raise HeaderError(f"缺少必需的列 missing required column(s): {wanted}")
    ignored = tuple(
        str(h).strip() for i, h in enumerate(headers) if i not in claimed and str(h or "").strip()
    )
    return HeaderPlan(tuple(columns), ignored)
