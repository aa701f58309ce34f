"""Credit score (信用积分) and 好评率 as the platform computes them (PLATFORM §9.2); pure (C8).

Each rating gets a decision: how many points it scores, or which rule stops it, with the rule's
source, so the app can explain every point. The rules are applied in trade-creation order over
all of the shop's ratings; a date then selects the ratings given up to it:
- C1: 好评 +1, 中评 0, 差评 −1.
- C4: orders of 1 yuan or less do not score.
- C3: several trades of the same buyer and item created within 14 days count once per result.
- C2: per buyer and natural month of trade creation, at most 6 points count.
- C6: 好评率 = scoring 好评 / all scoring ratings; the platform's `valid_score` wins when known.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction
from typing import Any
from zoneinfo import ZoneInfo

from reviewdesk.ratings.dsr import format_ratio
from reviewdesk.ratings.rules import CreditRules


class RatingResult(StrEnum):
    GOOD = "good"
    NEUTRAL = "neutral"
    BAD = "bad"


POINTS: Mapping[RatingResult, int] = {  # PLATFORM §9.2 C1
    RatingResult.GOOD: 1,
    RatingResult.NEUTRAL: 0,
    RatingResult.BAD: -1,
}


class NonScoring(StrEnum):
    """Why a rating does not score; the value is shown, `NON_SCORING_SOURCE` cites the rule."""

    PLATFORM_INVALID = "platform_invalid"
    NOT_ALIPAY = "not_alipay"
    SMALL_ORDER = "small_order"
    SAME_ITEM = "same_item_14_days"
    MONTHLY_CAP = "monthly_cap"


NON_SCORING_SOURCE: Mapping[NonScoring, str] = {
    NonScoring.PLATFORM_INVALID: "TOP TradeRate.valid_score (PLATFORM §9.2 C6)",
    NonScoring.NOT_ALIPAY: "PLATFORM §9.1 L1",
    NonScoring.SMALL_ORDER: "PLATFORM §9.2 C4",
    NonScoring.SAME_ITEM: "PLATFORM §9.2 C3",
    NonScoring.MONTHLY_CAP: "PLATFORM §9.2 C2",
}


@dataclass(frozen=True, slots=True)
class CreditRating:
    """A buyer's credit rating of one sub-order (PLATFORM §9.1 L1), in its current state.

    `result` is the current result (a 差评 revised to 好评 is passed as 好评, C7); deleted
    ratings are not passed at all. `amount` is what the buyer paid for the order, in yuan;
    None when unknown, and then C4 cannot exclude it.
    """

    rating_id: int
    tid: int
    buyer: str
    item_id: int
    trade_created: dt.datetime
    rated_at: dt.datetime
    result: RatingResult
    amount: Decimal | None
    alipay: bool = True
    valid_score: bool | None = None

    def __post_init__(self) -> None:
        for name in ("trade_created", "rated_at"):
            value: dt.datetime = getattr(self, name)
            if value.tzinfo is None or value.utcoffset() is None:
                raise ValueError(f"{name} must be timezone-aware")
        if self.amount is not None and not isinstance(self.amount, Decimal):
            raise TypeError("amount must be a Decimal (money is never a float)")


@dataclass(frozen=True, slots=True)
class CreditDecision:
    rating: CreditRating
    points: int  # what the rating adds to the credit score (0 when it does not score)
    reason: NonScoring | None  # None when the rating scores

    @property
    def scores(self) -> bool:
        return self.reason is None


def _order(rating: CreditRating) -> tuple[dt.datetime, dt.datetime, int]:
    return (rating.trade_created, rating.rated_at, rating.rating_id)


def credit_decisions(ratings: Iterable[CreditRating], rules: CreditRules) -> list[CreditDecision]:
    """Decide every rating, in trade-creation order (the order C2 and C3 are stated in)."""
    zone = ZoneInfo(rules.tz)
    same_item_span = dt.timedelta(days=rules.same_item_days)
    span_start: dict[tuple[str, int, RatingResult], dt.datetime] = {}
    cap_used: Counter[tuple[str, int, int]] = Counter()
    decisions: list[CreditDecision] = []
    for rating in sorted(ratings, key=_order):
        reason = _reason(
            rating,
            rules,
            span_start=span_start,
            cap_used=cap_used,
            same_item_span=same_item_span,
            zone=zone,
        )
        if reason is None:
            points = POINTS[rating.result]
            span_start[(rating.buyer, rating.item_id, rating.result)] = rating.trade_created
            local = rating.trade_created.astimezone(zone)
            cap_used[(rating.buyer, local.year, local.month)] += abs(points)
        else:
            points = 0
        decisions.append(CreditDecision(rating, points, reason))
    return decisions


def _reason(
    rating: CreditRating,
    rules: CreditRules,
    *,
    span_start: Mapping[tuple[str, int, RatingResult], dt.datetime],
    cap_used: Counter[tuple[str, int, int]],
    same_item_span: dt.timedelta,
    zone: ZoneInfo,
) -> NonScoring | None:
    if rating.valid_score is not None:
        # The platform has already applied its own rules; ours only fill the gaps.
        return None if rating.valid_score else NonScoring.PLATFORM_INVALID
    if rules.alipay_only and not rating.alipay:
        return NonScoring.NOT_ALIPAY
    if rating.amount is not None and rating.amount <= rules.max_non_scoring_amount:
        return NonScoring.SMALL_ORDER
    start = span_start.get((rating.buyer, rating.item_id, rating.result))
    if start is not None and rating.trade_created - start < same_item_span:
        return NonScoring.SAME_ITEM
    local = rating.trade_created.astimezone(zone)
    month = (rating.buyer, local.year, local.month)
    if POINTS[rating.result] and cap_used[month] >= rules.monthly_cap_points:
        return NonScoring.MONTHLY_CAP
    return None


@dataclass(frozen=True, slots=True)
class CreditSummary:
    score: int
    good: int  # scoring ratings of each result
    neutral: int
    bad: int
    non_scoring: Mapping[NonScoring, int] = field(default_factory=dict)
    good_rate_display: str | None = None  # rounded per CreditRules (C6 "rounded for display")

    @property
    def good_rate(self) -> Fraction | None:
        """PLATFORM §9.2 C6: scoring 好评 over all scoring ratings (中评 and 差评 included)."""
        total = self.good + self.neutral + self.bad
        return Fraction(self.good, total) if total else None

    def as_json(self) -> dict[str, Any]:
        rate = self.good_rate
        return {
            "score": self.score,
            "good": self.good,
            "neutral": self.neutral,
            "bad": self.bad,
            "good_rate": float(rate) if rate is not None else None,
            "good_rate_display": self.good_rate_display,
            "non_scoring": {k.value: v for k, v in sorted(self.non_scoring.items())},
        }


def _rated_by(rating: CreditRating, day: dt.date | None, zone: ZoneInfo) -> bool:
    return day is None or rating.rated_at.astimezone(zone).date() <= day


def credit_summary(
    ratings: Iterable[CreditRating], *, rules: CreditRules, at: dt.date | None = None
) -> CreditSummary:
    """Credit score given up to the end of `at` (all time when None) and the 好评率.

    The score is cumulative (信用积分 only ever adds up); the 好评率 covers
    `rules.good_rate_window_days` local days ending with `at` when that setting is set.
    """
    zone = ZoneInfo(rules.tz)
    decisions = credit_decisions(ratings, rules)
    score = sum(d.points for d in decisions if _rated_by(d.rating, at, zone))
    first: dt.date | None = None
    if rules.good_rate_window_days is not None and at is not None:
        first = at - dt.timedelta(days=rules.good_rate_window_days - 1)
    by_result: Counter[RatingResult] = Counter()
    non_scoring: dict[NonScoring, int] = defaultdict(int)
    for decision in decisions:
        if not _rated_by(decision.rating, at, zone):
            continue
        if first is not None and decision.rating.rated_at.astimezone(zone).date() < first:
            continue
        if decision.reason is None:
            by_result[decision.rating.result] += 1
        else:
            non_scoring[decision.reason] += 1
    good, neutral, bad = (by_result[r] for r in RatingResult)
    total = good + neutral + bad
    display = (
        format_ratio(good * 100, total, rules.good_rate_decimals, rules.rounding) + "%"
        if total
        else None
    )
    return CreditSummary(
        score=score,
        good=good,
        neutral=neutral,
        bad=bad,
        non_scoring=dict(non_scoring),
        good_rate_display=display,
    )
