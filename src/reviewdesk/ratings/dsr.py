"""DSR (店铺动态评分) as the platform computes it: types, the counting rule, the window, rounding.

Pure (STYLE C8): no Django, no clock; the day asked for and the shop's rules are passed in. This
module holds the readable reference implementation; `dsr_engine.py` holds the vectorised one that
the app and the benchmark use, and the property tests check that both agree.

The rules, with their sources (PLATFORM.md §9.3):
- D1/D2: three dimensions, each the mean of the valid 1–5 star scores in the window.
- D4/D7: only Alipay trades and only scores the buyer actively gave (no default ratings).
- D5: per buyer and natural month of trade creation (shop time zone) only the first 3 scored
  trades count. Which scores count is decided over *all* of the shop's scores; the window then
  selects among the counted ones (so a buyer's 4th trade of a month stays uncounted even when
  the first three have left the window).
- D3: the window is the last 180 local days by rating time, ending with the day asked for.
- D11: the displayed value has one decimal; the rounding mode is a setting.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from fractions import Fraction
from typing import Any
from zoneinfo import ZoneInfo

from reviewdesk.ratings.rules import CountingOrder, DsrRules, Rounding, WindowUnit


class Dimension(StrEnum):
    """PLATFORM §9.3 D1; the values are the JSON keys and the import column prefixes."""

    DESC = "desc"
    SERVICE = "service"
    LOGISTICS = "logistics"

    @property
    def label(self) -> str:
        return DIMENSION_LABELS[self]


DIMENSIONS: tuple[Dimension, ...] = (Dimension.DESC, Dimension.SERVICE, Dimension.LOGISTICS)
DIMENSION_LABELS: Mapping[Dimension, str] = {
    Dimension.DESC: "描述相符",
    Dimension.SERVICE: "服务态度",
    Dimension.LOGISTICS: "物流服务",
}
MIN_STARS = 1
MAX_STARS = 5


def _require_aware(name: str, value: dt.datetime) -> None:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware")


@dataclass(frozen=True, slots=True)
class ScoredTrade:
    """One trade the buyer scored (or the platform scored by default): one set of three stars.

    A star value of None means "not known to us" (the TOP API gives only the logistics star,
    PLATFORM §4.5); such a trade still takes one of the buyer's monthly slots (D5 counts scored
    trades) but adds nothing to that dimension.
    """

    tid: int
    buyer: str
    trade_created: dt.datetime
    rated_at: dt.datetime
    alipay: bool
    is_default: bool
    desc: int | None
    service: int | None
    logistics: int | None

    def __post_init__(self) -> None:
        _require_aware("trade_created", self.trade_created)
        _require_aware("rated_at", self.rated_at)
        if self.rated_at < self.trade_created:
            raise ValueError("a trade cannot be rated before it was created")
        for dimension in DIMENSIONS:
            stars = self.stars(dimension)
            if stars is not None and not MIN_STARS <= stars <= MAX_STARS:
                raise ValueError(f"{dimension} stars must be 1..5, got {stars}")

    def stars(self, dimension: Dimension) -> int | None:
        value: int | None = getattr(self, dimension.value)
        return value


# --- the window (D3) ---------------------------------------------------------------------------


def add_months(day: dt.date, months: int) -> dt.date:
    """Same day-of-month `months` later (or earlier), clamped to the month's last day."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


def window_bounds(at: dt.date, rules: DsrRules) -> tuple[dt.date, dt.date]:
    """First and last local day (inclusive) of the window ending with `at` (PLATFORM §9.3 D3).

    "Ending at and including the day's end": a rating at 23:59:59 local time on `at` counts.
    """
    if rules.window_unit is WindowUnit.DAYS:
        return at - dt.timedelta(days=rules.window_length - 1), at
    return add_months(at + dt.timedelta(days=1), -rules.window_length), at


# --- values and display (D2, D11) --------------------------------------------------------------


def round_ratio(numerator: int, denominator: int, decimals: int, rounding: Rounding) -> int:
    """numerator/denominator * 10**decimals rounded to an integer, exactly (no float on the way).

    Floats would show 4.85 as "4.8" now and then; the displayed value is what owners compare with
    the storefront, so it is computed from the integer sum and count.
    """
    if denominator <= 0:
        raise ValueError("denominator must be positive")
    scaled = numerator * int(10**decimals)
    quotient, remainder = divmod(scaled, denominator)
    if rounding is Rounding.DOWN or remainder == 0:
        return quotient
    twice = 2 * remainder
    if twice > denominator or (
        twice == denominator and (rounding is Rounding.HALF_UP or quotient % 2 == 1)
    ):
        return quotient + 1
    return quotient


def format_ratio(numerator: int, denominator: int, decimals: int, rounding: Rounding) -> str:
    scaled = round_ratio(numerator, denominator, decimals, rounding)
    if decimals == 0:
        return str(scaled)
    whole, frac = divmod(scaled, int(10**decimals))
    return f"{whole}.{frac:0{decimals}d}"


@dataclass(frozen=True, slots=True)
class DimensionScore:
    """A dimension's sum of stars and number of counted scores in the window; the value derives."""

    total: int
    count: int
    decimals: int = 1
    rounding: Rounding = Rounding.HALF_UP

    @property
    def exact(self) -> Fraction | None:
        return Fraction(self.total, self.count) if self.count else None

    @property
    def value(self) -> float | None:
        """Full precision (a float is fine here: it is for reading, not for rounding)."""
        return self.total / self.count if self.count else None

    @property
    def display(self) -> str | None:
        if not self.count:
            return None
        return format_ratio(self.total, self.count, self.decimals, self.rounding)

    def as_json(self) -> dict[str, Any]:
        return {
            "value": self.value,
            "display": self.display,
            "count": self.count,
            "total": self.total,
        }


@dataclass(frozen=True, slots=True)
class Tally:
    """Why ratings in the window did or did not count: the app explains the figure with it."""

    rated: int = 0  # all scored trades rated in the window
    default: int = 0  # excluded by D7
    not_alipay: int = 0  # excluded by D4
    over_monthly_cap: int = 0  # excluded by D5
    counted: int = 0

    def as_json(self) -> dict[str, int]:
        return {
            "rated": self.rated,
            "default": self.default,
            "not_alipay": self.not_alipay,
            "over_monthly_cap": self.over_monthly_cap,
            "counted": self.counted,
        }


@dataclass(frozen=True, slots=True)
class DsrResult:
    """The DSR of a shop on a day: one DimensionScore per dimension, the window and a tally."""

    at: dt.date
    first_day: dt.date
    scores: Mapping[Dimension, DimensionScore]
    tally: Tally = field(default_factory=Tally)

    def __getitem__(self, dimension: Dimension) -> DimensionScore:
        return self.scores[dimension]

    def as_json(self) -> dict[str, Any]:
        """The `reviewdesk ratings dsr --json` shape: one key per dimension plus context."""
        out: dict[str, Any] = {d.value: self.scores[d].as_json() for d in DIMENSIONS}
        out["at"] = self.at.isoformat()
        out["window"] = {"first_day": self.first_day.isoformat(), "last_day": self.at.isoformat()}
        out["tally"] = self.tally.as_json()
        return out


def make_result(
    *,
    at: dt.date,
    rules: DsrRules,
    totals: Mapping[Dimension, int],
    counts: Mapping[Dimension, int],
    tally: Tally | None = None,
    first_day: dt.date | None = None,
) -> DsrResult:
    first = first_day if first_day is not None else window_bounds(at, rules)[0]
    scores = {
        d: DimensionScore(totals[d], counts[d], rules.display_decimals, rules.rounding)
        for d in DIMENSIONS
    }
    return DsrResult(at=at, first_day=first, scores=scores, tally=tally or Tally())


# --- the reference implementation (D4, D5, D7) -------------------------------------------------


def order_key(trade: ScoredTrade, rules: DsrRules) -> tuple[dt.datetime, dt.datetime, int]:
    """Counting order in a buyer-month (D5 [UNCONFIRMED]); ties go by the other time, then tid."""
    if rules.counting_order is CountingOrder.TRADE_CREATED:
        return (trade.trade_created, trade.rated_at, trade.tid)
    return (trade.rated_at, trade.trade_created, trade.tid)


def is_eligible(trade: ScoredTrade, rules: DsrRules) -> bool:
    """D4 (Alipay only) and D7 (active scores only)."""
    if rules.alipay_only and not trade.alipay:
        return False
    return not (rules.exclude_default and trade.is_default)


def buyer_month(trade: ScoredTrade, zone: ZoneInfo) -> tuple[str, int, int]:
    """D5: the natural month comes from the trade creation time in the shop's zone."""
    local = trade.trade_created.astimezone(zone)
    return (trade.buyer, local.year, local.month)


def counted_trades(trades: Iterable[ScoredTrade], rules: DsrRules) -> list[ScoredTrade]:
    """Every trade whose stars count, decided over all the given trades (not a window)."""
    zone = ZoneInfo(rules.tz)
    groups: dict[tuple[str, int, int], list[ScoredTrade]] = defaultdict(list)
    for trade in trades:
        if is_eligible(trade, rules):
            groups[buyer_month(trade, zone)].append(trade)
    counted: list[ScoredTrade] = []
    for group in groups.values():
        group.sort(key=lambda t: order_key(t, rules))
        counted.extend(group[: rules.per_month_cap])
    return counted


def rated_in_window(trade: ScoredTrade, at: dt.date, rules: DsrRules) -> bool:
    first, last = window_bounds(at, rules)
    return first <= trade.rated_at.astimezone(ZoneInfo(rules.tz)).date() <= last


def dsr_reference(trades: Iterable[ScoredTrade], *, at: dt.date, rules: DsrRules) -> DsrResult:
    """The DSR on `at` from a plain reading of the rules; the tests' oracle for the engine.

    Ratings given after `at` take part in the counting decision like all others (the shop's
    stored scores decide, PLATFORM §9.3 D5) but never enter the window.
    """
    trades = list(trades)
    counted_ids = {id(t) for t in counted_trades(trades, rules)}
    totals = dict.fromkeys(DIMENSIONS, 0)
    counts = dict.fromkeys(DIMENSIONS, 0)
    rated = default = not_alipay = over_cap = counted = 0
    for trade in trades:
        if not rated_in_window(trade, at, rules):
            continue
        rated += 1
        if rules.alipay_only and not trade.alipay:
            not_alipay += 1
        elif rules.exclude_default and trade.is_default:
            default += 1
        elif id(trade) not in counted_ids:
            over_cap += 1
        else:
            counted += 1
            for d in DIMENSIONS:
                stars = trade.stars(d)
                if stars is not None:
                    totals[d] += stars
                    counts[d] += 1
    tally = Tally(rated, default, not_alipay, over_cap, counted)
    return make_result(at=at, rules=rules, totals=totals, counts=counts, tally=tally)
