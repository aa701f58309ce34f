"""Pure rules for refund and return requests (DOMAIN "After-sale case types", R1, R11, R12).

No Django imports: the file parser, the simulator, the ingestion service and the case layer all
read the platform's words through these functions, and tests/aftersales/test_rules.py checks them
as tables and properties. Vocabulary sources: EXPORTS §3 (the 退款报表 columns) and §7 (the
`退款状态` strings, which follow the TOP API wording of `taobao.refunds.receive.get`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import Final


class RefundStatus(StrEnum):
    WAITING_SELLER = "waiting_seller"  # 买家已经申请退款，等待卖家同意 (WAIT_SELLER_AGREE)
    WAITING_BUYER_RETURN = "waiting_buyer_return"  # 卖家已经同意退款，等待买家退货
    WAITING_SELLER_CONFIRM = "waiting_seller_confirm"  # 买家已经退货，等待卖家确认收货
    SELLER_REFUSED = "seller_refused"  # 卖家拒绝退款: the buyer may still ask the platform in
    CLOSED = "closed"  # 退款关闭: withdrawn by the buyer (or closed by the platform)
    SUCCESS = "success"  # 退款成功


# While the request is in one of these states the platform waits for someone: a case is open.
OPEN_REFUND_STATUSES: Final = frozenset(
    {
        RefundStatus.WAITING_SELLER,
        RefundStatus.WAITING_BUYER_RETURN,
        RefundStatus.WAITING_SELLER_CONFIRM,
        RefundStatus.SELLER_REFUSED,
    }
)

_FOLD = str.maketrans({"，": ",", "（": "(", "）": ")", " ": "", "\u3000": ""})

# EXPORTS §7 (the file's words) and the TOP refund status codes (PLATFORM, refunds.receive.get).
_STATUS_TEXTS: Final[dict[str, RefundStatus]] = {
    "买家已经申请退款,等待卖家同意": RefundStatus.WAITING_SELLER,
    "卖家已经同意退款,等待买家退货": RefundStatus.WAITING_BUYER_RETURN,
    "买家已经退货,等待卖家确认收货": RefundStatus.WAITING_SELLER_CONFIRM,
    "卖家拒绝退款": RefundStatus.SELLER_REFUSED,
    "退款关闭": RefundStatus.CLOSED,
    "退款成功": RefundStatus.SUCCESS,
    "WAIT_SELLER_AGREE": RefundStatus.WAITING_SELLER,
    "WAIT_BUYER_RETURN_GOODS": RefundStatus.WAITING_BUYER_RETURN,
    "WAIT_SELLER_CONFIRM_GOODS": RefundStatus.WAITING_SELLER_CONFIRM,
    "SELLER_REFUSE_BUYER": RefundStatus.SELLER_REFUSED,
    "CLOSED": RefundStatus.CLOSED,
    "SUCCESS": RefundStatus.SUCCESS,
    **{s.value: s for s in RefundStatus},
}
# The export's exact wording is unconfirmed (EXPORTS §3c): shorter labels are read by keyword,
# most specific first.
_STATUS_KEYWORDS: Final = (
    ("退款成功", RefundStatus.SUCCESS),
    ("退款关闭", RefundStatus.CLOSED),
    ("拒绝", RefundStatus.SELLER_REFUSED),
    ("等待买家退货", RefundStatus.WAITING_BUYER_RETURN),
    ("等待卖家确认", RefundStatus.WAITING_SELLER_CONFIRM),
    ("等待卖家同意", RefundStatus.WAITING_SELLER),
    ("等待卖家处理", RefundStatus.WAITING_SELLER),
    ("已关闭", RefundStatus.CLOSED),
    ("成功", RefundStatus.SUCCESS),
)


def refund_status(text: str) -> RefundStatus | None:
    """The normalised status of a `退款状态` cell or TOP code; None when it names none."""
    folded = text.translate(_FOLD)
    if not folded:
        return None
    found = _STATUS_TEXTS.get(folded) or _STATUS_TEXTS.get(folded.upper())
    if found is not None:
        return found
    for keyword, status in _STATUS_KEYWORDS:
        if keyword in folded:
            return status
    return None


def is_open(status: str) -> bool:
    return status in OPEN_REFUND_STATUSES


class Phase(StrEnum):
    IN_SALE = "in_sale"  # 售中退款: paid, goods not (all) received
    AFTER_SALE = "after_sale"  # 售后退款: after the trade succeeded


def refund_phase(text: str) -> str:
    """`售中或售后`: 售中退款 / 售后退款 (EXPORTS §7); "" when the cell says neither."""
    if "售中" in text:
        return Phase.IN_SALE
    if "售后" in text:
        return Phase.AFTER_SALE
    return ""


_NOT_INTERVENED: Final = ("未介入", "无需", "不需要", "没有", "无介入", "已撤销", "撤销")


def intervened(text: str) -> bool:
    """`客服介入状态`: any state naming an intervention except "not" / "withdrawn" ones."""
    folded = text.translate(_FOLD)
    if not folded or folded in {"无", "否", "-"}:
        return False
    if any(word in folded for word in _NOT_INTERVENED):
        return False
    return "介入" in folded or folded in {"是", "1", "true"}


def with_return(
    *, need_return: bool | None, after_sale_type: str, goods_status: str, status: str
) -> bool | None:
    """Whether goods come back (退货退款 or 换货) rather than a refund only (仅退款).

    `售后类型` (version C) names it; else `是否需要退货` (versions A/B); else a return already
    on its way (`货物状态` 买家已退货, or the status waits for the return). None when unknown.
    """
    if "仅退款" in after_sale_type:
        return False
    if "退货" in after_sale_type or "换货" in after_sale_type:
        return True
    if need_return is not None:
        return need_return
    if "已退货" in goods_status or status in (
        RefundStatus.WAITING_BUYER_RETURN,
        RefundStatus.WAITING_SELLER_CONFIRM,
    ):
        return True
    return None


PENALTY_REASON: Final = "penalty_reason"
INVOICE_REASON: Final = "invoice_reason"
FAKE_GOODS_CLAIM: Final = "fake_goods_claim"
PLATFORM_INTERVENTION: Final = "platform_intervention"
# DOMAIN 售后类型 退款: agreeing to 缺货 / 未按时发货 costs the shop 30% of the order amount.
PENALTY_SHARE: Final = Decimal("0.30")


def case_kind(has_return: bool | None, flags: tuple[str, ...] = ()) -> str:
    """DOMAIN 售后类型: goods coming back are a return/exchange case, otherwise a refund case.

    The reasons DOMAIN lists under Refund with their own rule (缺货 / 未按时发货: verify first;
    假货 / 发票: never agree as filed) stay refund cases even with a return, so they get the
    refund playbooks (replies/data/playbooks.toml) rather than "accept the return gracefully".
    """
    if set(flags) & {PENALTY_REASON, INVOICE_REASON, FAKE_GOODS_CLAIM}:
        return "refund"
    return "return" if has_return else "refund"


# --- the buyer's reason (买家退款原因) -----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ReasonVerdict:
    cause: str  # "" when the reason says nothing a rule knows (then triage reads the description)
    severity: str
    flags: tuple[str, ...] = ()


# First match wins, so the specific reasons come before the words they contain
# (大小/尺寸与商品描述不符 is about size, not "描述不符"; 未按约定时间发货 before logistics).
_REASONS: Final[tuple[tuple[tuple[str, ...], ReasonVerdict], ...]] = (
    # DOMAIN 售后类型 退款: never agree as filed; talk and negotiate; never refuse bluntly.
    (
        ("假货", "假冒", "盗版", "非正品", "不是正品"),
        ReasonVerdict("fake_goods", "high", (FAKE_GOODS_CLAIM,)),
    ),
    (("发票",), ReasonVerdict("invoice", "medium", (INVOICE_REASON,))),
    # DOMAIN 售后类型 退款: agreeing costs 30% of the order; verify stock and shipping first.
    (
        ("缺货", "没货", "无货", "库存不足"),
        ReasonVerdict("out_of_stock", "medium", (PENALTY_REASON,)),
    ),
    (
        ("未按约定时间发货", "未按时发货", "未按约定发货", "延迟发货", "超时发货", "迟迟不发货"),
        ReasonVerdict("not_shipped_on_time", "medium", (PENALTY_REASON,)),
    ),
    (("大小", "尺寸", "尺码"), ReasonVerdict("size_fit", "low")),
    (
        ("错发", "发错", "少件", "漏发", "少发", "空包", "配件缺失", "缺少配件"),
        ReasonVerdict("wrong_or_missing", "medium"),
    ),
    (
        ("质量", "破损", "损坏", "瑕疵", "做工", "起球", "掉色", "维修", "坏了"),
        ReasonVerdict("quality", "medium"),
    ),
    (
        ("描述不符", "色差", "颜色", "材质", "款式", "图片不符", "效果", "保质期"),
        ReasonVerdict("not_as_described", "medium"),
    ),
    (
        ("未收到", "没收到", "未送到", "物流", "快递", "拒签", "丢件", "签收"),
        ReasonVerdict("logistics", "medium"),
    ),
    (
        ("七天无理由", "7天无理由", "不想要", "不喜欢", "拍错", "多拍", "买错"),
        ReasonVerdict("dislike_style", "low"),
    ),
    (("价格", "降价", "差价", "保价"), ReasonVerdict("price", "low")),
    (("态度", "服务"), ReasonVerdict("service", "medium")),
)
_NOTHING: Final = ReasonVerdict("", "")


def reason_verdict(reason: str) -> ReasonVerdict:
    """Cause, severity and risk flags from the buyer's chosen reason (DOMAIN 售后类型, R11)."""
    folded = reason.translate(_FOLD)
    for words, verdict in _REASONS:
        if any(word in folded for word in words):
            return verdict
    return _NOTHING


def penalty_at_stake(order_amount: Decimal | None) -> Decimal | None:
    """What agreeing to a 缺货 / 未按时发货 refund costs the shop (DOMAIN 售后类型 退款: 30%)."""
    if order_amount is None:
        return None
    return (order_amount * PENALTY_SHARE).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


# --- what a status change means for the case ------------------------------------------------


@dataclass(frozen=True, slots=True)
class CaseUpdate:
    """What the case layer does when a refund it follows changes (DOMAIN R1, R12)."""

    note: str  # the timeline message (Chinese: the agents' language)
    raise_to_high: bool = False
    add_flags: tuple[str, ...] = ()
    to_supervisor: bool = False
    close_outcome: str = ""  # "solved" | "other": close the case if it is still open


_STATUS_NOTES: Final = {
    RefundStatus.WAITING_SELLER: "买家申请退款，等待卖家处理",
    RefundStatus.WAITING_BUYER_RETURN: "已同意退款，等待买家退货：记得发送退货地址",
    RefundStatus.WAITING_SELLER_CONFIRM: "买家已退货，等待确认收货：收到后尽快验货处理",
    RefundStatus.SELLER_REFUSED: "卖家已拒绝退款：买家可能申请平台介入，请尽快联系买家协商",
    RefundStatus.CLOSED: "买家已撤销退款申请，退款关闭，工单自动关闭",
    RefundStatus.SUCCESS: "退款成功，工单自动关闭",
}


def case_update(*, previous: str, status: str, intervened_now: bool) -> CaseUpdate | None:
    """The case's reaction to one observed change; None when nothing changed for it.

    - refused by the seller: the buyer is one click from the platform, so the case goes high;
    - the platform steps in (客服介入): flag, high, and a supervisor takes it (HIGH_RISK_FLAGS);
    - success closes the case as solved, a closed request as other (withdrawn by the buyer).
    """
    if intervened_now:
        return CaseUpdate(
            note="平台客服已介入，工单升级为高风险并转交主管",
            raise_to_high=True,
            add_flags=(PLATFORM_INTERVENTION,),
            to_supervisor=True,
            close_outcome=_close_outcome(status) if status != previous else "",
        )
    if status == previous or not status:
        return None
    note = _STATUS_NOTES.get(RefundStatus(status), "")
    if status == RefundStatus.SELLER_REFUSED:
        return CaseUpdate(note=note, raise_to_high=True)
    return CaseUpdate(note=note, close_outcome=_close_outcome(status))


def _close_outcome(status: str) -> str:
    if status == RefundStatus.SUCCESS:
        return "solved"
    if status == RefundStatus.CLOSED:
        return "other"
    return ""


def timeout_left(timeout_at: dt.datetime | None, now: dt.datetime) -> dt.timedelta | None:
    """Time until the platform acts on its own (超时时间); negative once past, None if unknown."""
    return None if timeout_at is None else timeout_at - now
