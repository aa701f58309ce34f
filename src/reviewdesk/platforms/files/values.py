"""Cell value converters for seller export files (EXPORTS §1a, §2, §7).

Every converter takes the raw cell as the reader gives it (a `str` from csv; `str`, `int`,
`float`, `datetime` or `None` from xlsx) and returns a clean Python value, or raises
`ValueError` whose message is the reason shown to the seller (Chinese first, English after).
They are plain functions, not pydantic models: 100,000 rows must parse in about a second.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from reviewdesk.core.clock import SHANGHAI
from reviewdesk.core.ids import PlatformIdError, parse_platform_id

# Cells that mean "no value": empty, the literal `null` some exports write (EXPORTS §1a).
_EMPTY = frozenset({"", "null", "NULL"})
TEXT_LIMIT = 500  # review, follow-up and explanation texts (PLATFORM §9.1: 500 characters)


def clean(raw: object) -> str:
    """The cell as trimmed text, with export wrappers removed and `null` read as empty."""
    if raw is None:
        return ""
    if isinstance(raw, str):
        value = raw.strip()  # also drops the `\t` JD/PDD put before long numbers
        if value[:2] == '="' and value[-1:] == '"':  # Excel formula quoting: ="1930679858170647"
            value = value[2:-1].strip()
        elif value[:1] == "'":  # Excel text marker: '18618486065
            value = value[1:].strip()
        return "" if value in _EMPTY else value
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    return str(raw)


def text(raw: object, *, limit: int | None = None) -> str:
    """Free text; over `limit` characters is rejected, not cut (the seller decides what to keep)."""
    value = clean(raw) if not isinstance(raw, str) else raw.strip()
    if value in _EMPTY:
        return ""
    if limit is not None and len(value) > limit:
        raise ValueError(f"超过 {limit} 个字符（{len(value)}） / longer than {limit} characters")
    return value


def short_text(raw: object, *, limit: int) -> str:
    """A name or status stored in a bounded column; export wrappers stripped."""
    value = clean(raw)
    if len(value) > limit:
        raise ValueError(f"超过 {limit} 个字符（{len(value)}） / longer than {limit} characters")
    return value


def platform_id(raw: object) -> int:
    """A 64-bit tid/oid/num_iid; scientific notation is rejected because digits were lost."""
    if isinstance(raw, str):
        raw = clean(raw)
    try:
        return parse_platform_id(raw)
    except PlatformIdError as exc:
        reason = str(exc)
        if "scientific" in reason or "stored as a number" in reason:
            raise ValueError(
                f"编号已被 Excel 改成科学计数法，位数已丢失，请从后台重新导出 / {reason}"
            ) from exc
        if reason == "missing":
            raise ValueError("缺少编号 / missing id") from exc
        raise ValueError(f"编号无效 / {reason}") from exc


def optional_id(raw: object) -> int | None:
    if clean(raw) == "":
        return None
    return platform_id(raw)


_DATE = re.compile(
    r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?"
    r"(?:[ T]+(\d{1,2}):(\d{1,2})(?::(\d{1,2})(?:\.\d+)?)?)?$"
)
_EXCEL_EPOCH = dt.datetime(1899, 12, 30)  # noqa: DTZ001 - Excel serials are wall-clock values


def datetime(raw: object) -> dt.datetime | None:
    """A GMT+8 wall-clock time as an aware datetime; None when the cell is empty.

    Accepts `2016-05-23 22:02:13`, Excel's `2016/5/23 22:02`, a bare date, xlsx date cells and
    date serials (EXPORTS §7). Platform times are GMT+8 whatever the shop's zone (PLATFORM §1.2).
    """
    if isinstance(raw, dt.datetime):
        return raw if raw.tzinfo else raw.replace(tzinfo=SHANGHAI)
    if isinstance(raw, dt.date):
        return dt.datetime(raw.year, raw.month, raw.day, tzinfo=SHANGHAI)
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        if not 1 <= raw < 2958466:  # 1900-01-01 .. 9999-12-31
            raise ValueError(f"无法识别的日期 {raw!r} / not a date")
        # Serials are days; Excel shows them rounded to the second.
        value = _EXCEL_EPOCH + dt.timedelta(seconds=round(float(raw) * 86400))
        return value.replace(tzinfo=SHANGHAI)
    value_text = clean(raw)
    if value_text == "":
        return None
    match = _DATE.match(value_text)
    if match is None:
        raise ValueError(
            f"无法识别的时间 {value_text!r}（应为 2026-11-20 10:15:00） / unparsable date"
        )
    year, month, day, hour, minute, second = match.groups()
    try:
        return dt.datetime(
            int(year),
            int(month),
            int(day),
            int(hour or 0),
            int(minute or 0),
            int(second or 0),
            tzinfo=SHANGHAI,
        )
    except ValueError as exc:
        raise ValueError(f"不存在的时间 {value_text!r} / invalid date: {exc}") from exc


_NO_AMOUNT = frozenset({"无退款申请", "无"})
_MONEY_NOISE = re.compile(r"[元¥￥,，\s]")
_MONEY_LIMIT = Decimal("9999999999.99")  # DecimalField(max_digits=12, decimal_places=2)


def money(raw: object) -> Decimal | None:
    """Yuan as Decimal with 2 places; `123.00元`, `¥1,299` and `无退款申请` are understood."""
    if isinstance(raw, int) and not isinstance(raw, bool):
        value = Decimal(raw)
    elif isinstance(raw, float):
        value = Decimal(repr(raw))
    else:
        value_text = clean(raw)
        if value_text == "" or value_text in _NO_AMOUNT:
            return None
        try:
            value = Decimal(_MONEY_NOISE.sub("", value_text))
        except InvalidOperation as exc:
            raise ValueError(f"金额不是数字 {value_text!r} / amount is not a number") from exc
    if not value.is_finite() or abs(value) > _MONEY_LIMIT:
        raise ValueError(f"金额超出范围 {raw!r} / amount out of range")
    return value.quantize(Decimal("0.01"))


def count(raw: object) -> int | None:
    """A non-negative whole number (quantities); None when empty."""
    if isinstance(raw, int) and not isinstance(raw, bool):
        value = raw
    else:
        value_text = clean(raw)
        if value_text == "":
            return None
        if not value_text.isdigit():
            raise ValueError(f"数量不是整数 {value_text!r} / not a whole number")
        value = int(value_text)
    if not 0 <= value <= 2_147_483_647:
        raise ValueError(f"数量超出范围 {value} / out of range")
    return value


def stars(raw: object) -> int | None:
    """DSR stars 1-5 (PLATFORM §9.3); None when the buyer gave none."""
    value = count(raw)
    if value is None:
        return None
    if not 1 <= value <= 5:
        raise ValueError(f"评分应为 1-5 星，实际为 {value} / stars must be 1-5")
    return value


_TRUE = frozenset({"1", "true", "yes", "y", "是", "计分", "有效", "t"})
_FALSE = frozenset({"0", "false", "no", "n", "否", "不计分", "无效", "f"})


def boolean(raw: object) -> bool | None:
    if isinstance(raw, bool):
        return raw
    value_text = clean(raw).lower()
    if value_text == "":
        return None
    if value_text in _TRUE:
        return True
    if value_text in _FALSE:
        return False
    raise ValueError(f"无法识别的是/否值 {value_text!r} / expected yes or no")


_RESULTS = {
    "good": "good",
    "neutral": "neutral",
    "bad": "bad",
    "好评": "good",
    "中评": "neutral",
    "差评": "bad",
    "好": "good",
    "中": "neutral",
    "差": "bad",
}


def review_result(raw: object) -> str:
    """good / neutral / bad from the TOP value or its Chinese label (PLATFORM §4, EXPORTS §7)."""
    value_text = clean(raw)
    result = _RESULTS.get(value_text.lower())
    if result is None:
        if value_text == "":
            raise ValueError("缺少评价结果 / missing result")
        raise ValueError(
            f"未知的评价结果 {value_text!r}（应为 好评/中评/差评 或 good/neutral/bad）"
            " / unknown result"
        )
    return result


# Taobao order status text -> TOP trade status (PLATFORM §6.1, EXPORTS §7). Only the labels
# that name exactly one TOP status are here; anything else is kept as the platform wrote it.
# Keys use the half-width comma: status_code() folds `，` before looking up.
TRADE_STATUS_CODES: dict[str, str] = {
    "没有创建支付宝交易": "TRADE_NO_CREATE_PAY",
    "等待买家付款": "WAIT_BUYER_PAY",
    "卖家部分发货": "SELLER_CONSIGNED_PART",
    "买家已付款,等待卖家发货": "WAIT_SELLER_SEND_GOODS",
    "等待卖家发货": "WAIT_SELLER_SEND_GOODS",
    "等待卖家发货(买家已付款)": "WAIT_SELLER_SEND_GOODS",
    "卖家已发货,等待买家确认": "WAIT_BUYER_CONFIRM_GOODS",
    "卖家已发货,等待买家确认收货": "WAIT_BUYER_CONFIRM_GOODS",
    "等待买家确认收货": "WAIT_BUYER_CONFIRM_GOODS",
    "等待买家确认收货(卖家已发货)": "WAIT_BUYER_CONFIRM_GOODS",
    "买家已签收": "TRADE_BUYER_SIGNED",
    "买家已签收(货到付款专用)": "TRADE_BUYER_SIGNED",
    "交易成功": "TRADE_FINISHED",
    "付款以后用户退款成功,交易自动关闭": "TRADE_CLOSED",
    "付款以前,卖家或买家主动关闭交易": "TRADE_CLOSED_BY_TAOBAO",
    "国际信用卡支付付款确认中": "PAY_PENDING",
    "0元购合约中": "WAIT_PRE_AUTH_CONFIRM",
    "拼团中或发货强管控,已付款但禁止发货": "PAID_FORBID_CONSIGN",
}
# `交易关闭` is deliberately absent: it covers both TRADE_CLOSED (refunded after payment) and
# TRADE_CLOSED_BY_TAOBAO (closed before payment); the file does not say which.
_STATUS_FOLD = str.maketrans({"，": ",", "（": "(", "）": ")", " ": "", "\u3000": ""})
_TOP_CODE = re.compile(r"^[A-Z][A-Z_]+$")
STATUS_LIMIT = 48  # Order.status / OrderItem.status max_length


def status_code(raw: object) -> str:
    """The TOP status code for a known Chinese label; any other text is kept as given."""
    value_text = clean(raw)
    if value_text == "" or _TOP_CODE.match(value_text):
        return value_text
    code = TRADE_STATUS_CODES.get(value_text.translate(_STATUS_FOLD))
    if code is not None:
        return code
    return short_text(value_text, limit=STATUS_LIMIT)


def phone(raw: object) -> str:
    """A phone number without the `'` Excel text marker; masked numbers are kept as they are."""
    return clean(raw)
