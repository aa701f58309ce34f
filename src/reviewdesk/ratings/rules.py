"""The rating rules as data: each rule with its source, its confidence and the setting it maps to.

The platform never publishes its DSR or credit algorithm; PLATFORM.md §9 reconstructs it from
third-party quotes of 《淘宝网评价规范》, and marks several rules unconfirmed or conflicting.
So every choice the maths makes is either a cited rule or a named setting, and this table is what
the docs (docs/ratings.md) and the app show to the owner. No Django imports: the pure maths
reads it too.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum


class Confidence(StrEnum):
    """The confidence marks of PLATFORM.md, plus our own interpretations of unclear wording."""

    OFFICIAL = "official"
    MULTI = "multi"
    SINGLE = "single"
    UNCONFIRMED = "unconfirmed"
    CONFLICT = "conflict"
    INTERPRETATION = "interpretation"  # the sources are silent; reviewdesk chose, see `detail`


#: Confidences the app must flag next to every figure that depends on them.
FLAGGED: frozenset[Confidence] = frozenset(
    {Confidence.SINGLE, Confidence.UNCONFIRMED, Confidence.CONFLICT, Confidence.INTERPRETATION}
)


class Rounding(StrEnum):
    """How a full-precision value becomes the displayed one (PLATFORM §9.3 D11 [UNCONFIRMED])."""

    HALF_UP = "half_up"
    HALF_EVEN = "half_even"
    DOWN = "down"


class CountingOrder(StrEnum):
    """Which 3 scored trades of a buyer-month count (PLATFORM §9.3 D5 [UNCONFIRMED])."""

    TRADE_CREATED = "trade_created"  # earliest trades first (the default named in D5)
    RATED_AT = "rated_at"  # earliest ratings first


class WindowUnit(StrEnum):
    """PLATFORM §9.3 D3 [CONFLICT]: "最近180天" vs "连续6个月"."""

    DAYS = "days"
    MONTHS = "months"


@dataclass(frozen=True, slots=True)
class DsrRules:
    """Shop settings for the DSR engine; defaults follow PLATFORM §9.3.

    Each field names the rule it configures. The defaults are the reading PLATFORM.md recommends,
    so a shop that never touches its settings gets the documented behaviour.
    """

    window_length: int = 180  # D3: rolling window length in `window_unit`s
    window_unit: WindowUnit = WindowUnit.DAYS  # D3 [CONFLICT]
    per_month_cap: int = 3  # D5: scored trades counted per buyer per natural month
    counting_order: CountingOrder = CountingOrder.TRADE_CREATED  # D5 [UNCONFIRMED]
    alipay_only: bool = True  # D4 [SINGLE + seed]
    exclude_default: bool = True  # D7 [SINGLE]
    tz: str = "Asia/Shanghai"  # natural months and days are the shop's local ones (PLATFORM §1.2)
    display_decimals: int = 1  # D11 [UNCONFIRMED]
    rounding: Rounding = Rounding.HALF_UP  # D11 [UNCONFIRMED]

    def __post_init__(self) -> None:
        if self.window_length < 1:
            raise ValueError("window_length must be at least 1")
        if self.per_month_cap < 1:
            raise ValueError("per_month_cap must be at least 1")
        if not 0 <= self.display_decimals <= 6:
            raise ValueError("display_decimals must be between 0 and 6")


@dataclass(frozen=True, slots=True)
class CreditRules:
    """Shop settings for the credit score and 好评率; defaults follow PLATFORM §9.2."""

    monthly_cap_points: int = 6  # C2: points per buyer per natural month of trade creation
    same_item_days: int = 14  # C3: same-item trades created within this many days count once
    max_non_scoring_amount: Decimal = Decimal("1.00")  # C4 [SINGLE]: orders <= this don't score
    alipay_only: bool = True  # L1: credit ratings follow Alipay-backed trades
    tz: str = "Asia/Shanghai"
    good_rate_window_days: int | None = None  # C6 [UNCONFIRMED]: None = all time
    good_rate_decimals: int = 2  # C6: 好评率 shown as a percentage with this many decimals
    rounding: Rounding = Rounding.HALF_UP  # C6 "rounded for display" [UNCONFIRMED] mode

    def __post_init__(self) -> None:
        if self.monthly_cap_points < 1 or self.same_item_days < 0:
            raise ValueError("monthly_cap_points must be >= 1 and same_item_days >= 0")


@dataclass(frozen=True, slots=True)
class RuleNote:
    """One rule as the app and docs show it."""

    source: str  # e.g. "PLATFORM §9.3 D5"
    title: str
    confidence: Confidence
    summary: str
    settings: tuple[str, ...] = field(default=())  # DsrRules/CreditRules/RatingPolicy field names
    detail: str = ""

    @property
    def is_flagged(self) -> bool:
        return self.confidence in FLAGGED


RULE_NOTES: tuple[RuleNote, ...] = (
    # --- DSR (PLATFORM §9.3) ---
    RuleNote(
        "PLATFORM §9.3 D1",
        "三项评分 1–5 星",
        Confidence.MULTI,
        "Three dimensions (描述相符, 服务态度, 物流服务), each 1–5 stars.",
    ),
    RuleNote(
        "PLATFORM §9.3 D2",
        "DSR = 有效评分的平均值",
        Confidence.MULTI,
        "Each dimension is the arithmetic mean of the valid scores in the window.",
    ),
    RuleNote(
        "PLATFORM §9.3 D3",
        "统计窗口: 180天 vs 连续6个月",
        Confidence.CONFLICT,
        "Sources say both '最近180天' and '连续6个月'; default 180 days by rating time.",
        ("window_length", "window_unit"),
        "The window is the `window_length` local days (or calendar months) ending with the day "
        "asked for, inclusive. Anchoring on rating time rather than trade time is [UNCONFIRMED].",
    ),
    RuleNote(
        "PLATFORM §9.3 D4",
        "仅支付宝交易",
        Confidence.SINGLE,
        "Only Alipay trades produce DSR.",
        ("alipay_only",),
    ),
    RuleNote(
        "PLATFORM §9.3 D5",
        "每买家每自然月仅计前3次",
        Confidence.MULTI,
        "Per buyer and natural month of trade creation, only the first 3 scored trades count.",
        ("per_month_cap", "tz"),
    ),
    RuleNote(
        "PLATFORM §9.3 D5 (order)",
        "哪3次计入",
        Confidence.UNCONFIRMED,
        "Which 3 count when there are more: earliest trade creation (default) or earliest rating.",
        ("counting_order",),
        "Counting is decided over all of the shop's stored scores, not only those in the window; "
        "the window then selects among the counted ones. With the default order a later rating "
        "of an earlier-created trade can take the place of a counted one in the same month.",
    ),
    RuleNote(
        "PLATFORM §9.3 D6",
        "评分不可修改",
        Confidence.MULTI,
        "DSR stars never change, even when the buyer revises 差评 to 好评. Resolving a case "
        "does not change the DSR; only new ratings and time (the window) do.",
    ),
    RuleNote(
        "PLATFORM §9.3 D7",
        "默认评价不计DSR",
        Confidence.SINGLE,
        "System default ratings add no DSR; only scores the buyer clicked count.",
        ("exclude_default",),
    ),
    RuleNote(
        "PLATFORM §9.3 D9",
        "DSR按交易计",
        Confidence.UNCONFIRMED,
        "One set of three stars per scored trade (not per sub-order).",
    ),
    RuleNote(
        "PLATFORM §9.3 D11",
        "显示精度",
        Confidence.UNCONFIRMED,
        "The storefront shows one decimal; the rounding mode is not documented.",
        ("display_decimals", "rounding"),
    ),
    RuleNote(
        "PLATFORM §4.5",
        "逐笔描述/服务星级无API",
        Confidence.OFFICIAL,
        "No TOP API returns per-rating 描述/服务 stars: they come from imports or manual entry, so "
        "the computed DSR is an estimate until calibrated against the value the platform shows.",
    ),
    # --- credit (PLATFORM §9.2) ---
    RuleNote(
        "PLATFORM §9.2 C1",
        "好评+1 中评0 差评−1",
        Confidence.MULTI,
        "Points per rating.",
    ),
    RuleNote(
        "PLATFORM §9.2 C2",
        "每买家每自然月最多6分",
        Confidence.MULTI,
        "Per buyer and natural month of trade creation, at most 6 points count.",
        ("monthly_cap_points",),
        "reviewdesk reads the cap as 6 counted 好评/差评 (|points|) per buyer-month in trade "
        "creation order; 中评 (0 points) are not limited by it [INTERPRETATION].",
    ),
    RuleNote(
        "PLATFORM §9.2 C3",
        "14天内同一商品只计一次",
        Confidence.MULTI,
        "Same buyer, same item, trades created within 14 days: several 好评 count +1 once, "
        "several 差评 −1 once.",
        ("same_item_days",),
        "A scoring rating opens a 14-day span (by trade creation) for its buyer, item and result; "
        "ratings of the same result inside the span do not score, the first one after it opens a "
        "new span [INTERPRETATION]. 中评 follow the same rule.",
    ),
    RuleNote(
        "PLATFORM §9.2 C4",
        "1元及以下订单不计分",
        Confidence.SINGLE,
        "Orders of 1 yuan or less do not score.",
        ("max_non_scoring_amount",),
    ),
    RuleNote(
        "PLATFORM §9.2 C6",
        "好评率 = 计分好评 / 计分评价总数",
        Confidence.SINGLE,
        "Good-review rate over scoring ratings only; the platform's valid_score wins when present.",
        ("good_rate_window_days", "good_rate_decimals"),
        "Whether the shown rate is all-time or recent is [UNCONFIRMED]; default all-time.",
    ),
    RuleNote(
        "PLATFORM §9.2 C7",
        "修改为好评后按好评计",
        Confidence.UNCONFIRMED,
        "A rating revised to 好评 scores as 好评; a deleted one no longer scores.",
    ),
    # --- what-ifs and alerts (reviewdesk's own models) ---
    RuleNote(
        "reviewdesk what-if",
        "预测模型",
        Confidence.INTERPRETATION,
        "What-ifs assume new ratings come from buyer-months with free slots, and a promotion's "
        "orders are scored at the shop's recent active-scoring rate and mean.",
        ("active_scoring_rate", "recent_days"),
    ),
)


def flagged_notes() -> tuple[RuleNote, ...]:
    """The rules the app must mark as not (fully) confirmed next to the figures."""
    return tuple(note for note in RULE_NOTES if note.is_flagged)
