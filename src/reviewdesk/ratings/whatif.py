"""What-ifs over the DSR and the credit score. Pure (STYLE C8): bases are computed by the caller.

What can change a DSR, and so what these model (PLATFORM §9.3):
- new counted ratings (a target by a date, a promotion);
- time: scores leave the window (the base of a target is the DSR *on the target date* with the
  ratings stored today, so what leaves by then is already gone);
- nothing else. DSR stars are immutable (D6): a resolved case — the buyer revising 差评 to 好评 or
  deleting it (L5) — changes the credit score and 好评率, not the DSR. `resolution_whatif` says
  so and shows the credit effect; `dsr_without` exists for what the platform itself might remove
  (an upheld complaint about a malicious rating; whether that removes stars is [UNCONFIRMED]) and
  for the "impact of this rating" figure on a case.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from fractions import Fraction
from typing import Any
from zoneinfo import ZoneInfo

from reviewdesk.ratings.credit import CreditRating, CreditSummary, RatingResult, credit_summary
from reviewdesk.ratings.dsr import (
    DIMENSIONS,
    MAX_STARS,
    Dimension,
    DimensionScore,
    DsrResult,
    ScoredTrade,
    buyer_month,
    counted_trades,
    format_ratio,
    rated_in_window,
)
from reviewdesk.ratings.rules import CreditRules, DsrRules

IMMUTABLE_DSR_NOTE = (
    "PLATFORM §9.3 D6: DSR stars cannot be changed once given, also when the buyer revises or "
    "deletes the 中差评; resolving these cases changes the credit score and 好评率, not the DSR."
)


def _show(value: Fraction | None, rules: DsrRules) -> str | None:
    if value is None:
        return None
    return format_ratio(value.numerator, value.denominator, rules.display_decimals, rules.rounding)


# --- reach a target by a date ------------------------------------------------------------------


def five_stars_needed(score: DimensionScore, target: Fraction) -> int | None:
    """Fewest 5-star scores that lift `score` to at least `target` (None: no number can).

    Smallest n >= 0 with (total + 5n) / (count + n) >= target, i.e.
    n >= (target * count - total) / (5 - target).
    """
    if target > MAX_STARS:
        return None
    if target == MAX_STARS:
        return (0 if score.count else 1) if score.total == MAX_STARS * score.count else None
    needed = math.ceil((target * score.count - score.total) / (MAX_STARS - target))
    needed = max(needed, 0)
    return max(needed, 1) if score.count == 0 else needed


@dataclass(frozen=True, slots=True)
class TargetWhatIf:
    by: dt.date
    target: Fraction
    base: DsrResult  # DSR on `by` with today's ratings: what leaves the window is gone
    needed: Mapping[Dimension, int | None]

    @property
    def trades_needed(self) -> int | None:
        """All-5-star scored trades needed to lift every asked dimension (one trade = 3 stars)."""
        values = list(self.needed.values())
        if not values or any(v is None for v in values):
            return None
        return max(v for v in values if v is not None)

    def as_json(self) -> dict[str, Any]:
        return {
            "by": self.by.isoformat(),
            "target": str(float(self.target)),
            "base": self.base.as_json(),
            "needed": {d.value: n for d, n in self.needed.items()},
            "trades_needed": self.trades_needed,
            "assumes": "new 5-star ratings are counted: each from a buyer-month with a free slot "
            "(PLATFORM §9.3 D5), rated between today and the target date",
        }


def target_whatif(
    base_on_target_day: DsrResult,
    *,
    target: Fraction,
    dimensions: Iterable[Dimension] = DIMENSIONS,
) -> TargetWhatIf:
    """How many 5-star ratings each dimension needs to reach `target` on the base's day.

    The target is compared with the full-precision value (reaching 4.85 means >= 4.85, even
    though "4.85" may already display as 4.9).
    """
    return TargetWhatIf(
        by=base_on_target_day.at,
        target=target,
        base=base_on_target_day,
        needed={d: five_stars_needed(base_on_target_day[d], target) for d in dimensions},
    )


# --- a promotion -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PromotionWhatIf:
    orders: int
    scoring_rate: Fraction  # share of orders expected to end in a counted score
    base: DsrResult
    recent: DsrResult  # "today's score distribution": the recent counted scores
    values: Mapping[Dimension, Fraction | None]
    rules: DsrRules

    @property
    def expected_scores(self) -> Fraction:
        return self.orders * self.scoring_rate

    def as_json(self) -> dict[str, Any]:
        return {
            "orders": self.orders,
            "scoring_rate": float(self.scoring_rate),
            "expected_scores": float(self.expected_scores),
            "base": self.base.as_json(),
            "recent": self.recent.as_json(),
            "after": {
                d.value: {
                    "value": float(v) if v is not None else None,
                    "display": _show(v, self.rules),
                }
                for d, v in self.values.items()
            },
            "assumes": "promotion orders are scored like the recent counted scores (same mean, "
            "same share of orders scored), each buyer within the monthly cap",
        }


def promotion_whatif(
    *, base: DsrResult, recent: DsrResult, orders: int, scoring_rate: Fraction, rules: DsrRules
) -> PromotionWhatIf:
    """Expected DSR after `orders` more orders scored like the recent ones.

    Only the mean of the recent distribution matters for the expected value; when the recent
    window has no scores for a dimension, the base's own mean is used (the value cannot move).
    """
    if orders < 0 or not 0 <= scoring_rate <= 1:
        raise ValueError("orders must be >= 0 and scoring_rate within 0..1")
    added = orders * scoring_rate
    values: dict[Dimension, Fraction | None] = {}
    for d in DIMENSIONS:
        mean = recent[d].exact or base[d].exact
        if mean is None:
            values[d] = None
            continue
        count = base[d].count + added
        values[d] = (base[d].total + added * mean) / count if count else None
    return PromotionWhatIf(orders, scoring_rate, base, recent, values, rules)


def estimated_scoring_rate(recent: DsrResult) -> Fraction:
    """Counted scores per rated trade in the recent window.

    A fair proxy for "counted scores per order" when every order ends in a rating row (active
    or default), which holds for shops that auto-rate buyers good (PLATFORM §9.1 L3).
    """
    if recent.tally.rated == 0:
        return Fraction(0)
    return Fraction(recent.tally.counted, recent.tally.rated)


# --- ratings removed, one rating's impact ------------------------------------------------------


def dsr_without(
    trades: Iterable[ScoredTrade],
    removed_tids: Collection[int],
    *,
    base: DsrResult,
    rules: DsrRules,
) -> DsrResult:
    """The DSR on `base.at` if the given ratings did not exist.

    `trades` must hold every stored trade of the buyer-months of the removed ones (more is
    fine): removing a counted score frees a slot, and the buyer's next trade of that month may
    then count (PLATFORM §9.3 D5), so the month is re-decided, not just subtracted.
    """
    zone = ZoneInfo(rules.tz)
    trades = list(trades)
    removed = set(removed_tids)
    months = {buyer_month(t, zone) for t in trades if t.tid in removed}
    affected = [t for t in trades if buyer_month(t, zone) in months]
    before = [t for t in counted_trades(affected, rules) if rated_in_window(t, base.at, rules)]
    after = [
        t
        for t in counted_trades([t for t in affected if t.tid not in removed], rules)
        if rated_in_window(t, base.at, rules)
    ]
    scores: dict[Dimension, DimensionScore] = {}
    for d in DIMENSIONS:
        total = base[d].total - _sum(before, d) + _sum(after, d)
        count = base[d].count - _count(before, d) + _count(after, d)
        scores[d] = DimensionScore(total, count, rules.display_decimals, rules.rounding)
    return DsrResult(at=base.at, first_day=base.first_day, scores=scores, tally=base.tally)


def _sum(trades: Sequence[ScoredTrade], d: Dimension) -> int:
    return sum(t.stars(d) or 0 for t in trades)


def _count(trades: Sequence[ScoredTrade], d: Dimension) -> int:
    return sum(t.stars(d) is not None for t in trades)


@dataclass(frozen=True, slots=True)
class RatingImpact:
    """What one rating does to the shop's DSR today: value with it minus value without it."""

    tid: int
    with_rating: DsrResult
    without_rating: DsrResult

    def delta(self, d: Dimension) -> Fraction | None:
        a, b = self.with_rating[d].exact, self.without_rating[d].exact
        if a is None or b is None:
            return None
        return a - b

    def as_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"tid": self.tid, "note": IMMUTABLE_DSR_NOTE}
        for d in DIMENSIONS:
            delta = self.delta(d)
            out[d.value] = {
                "with": self.with_rating[d].value,
                "without": self.without_rating[d].value,
                "delta": float(delta) if delta is not None else None,
            }
        return out


def rating_impact(
    trades: Iterable[ScoredTrade], tid: int, *, base: DsrResult, rules: DsrRules
) -> RatingImpact:
    """The impact of rating `tid` on the DSR of `base.at` (shown on its case)."""
    without = dsr_without(trades, {tid}, base=base, rules=rules)
    return RatingImpact(tid=tid, with_rating=base, without_rating=without)


# --- resolving cases ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ResolutionWhatIf:
    dsr: DsrResult  # unchanged, by D6
    credit_before: CreditSummary
    credit_after: CreditSummary
    note: str = IMMUTABLE_DSR_NOTE

    def as_json(self) -> dict[str, Any]:
        return {
            "dsr": self.dsr.as_json(),
            "dsr_changes": False,
            "note": self.note,
            "credit_before": self.credit_before.as_json(),
            "credit_after": self.credit_after.as_json(),
        }


def resolution_whatif(
    *,
    dsr: DsrResult,
    credit_ratings: Iterable[CreditRating],
    revised_ids: Collection[int] = (),
    deleted_ids: Collection[int] = (),
    credit_rules: CreditRules,
    at: dt.date | None = None,
) -> ResolutionWhatIf:
    """The shop's figures if these cases end with the buyer revising to 好评 or deleting (L5)."""
    ratings = list(credit_ratings)
    after = [
        replace(r, result=RatingResult.GOOD) if r.rating_id in revised_ids else r
        for r in ratings
        if r.rating_id not in deleted_ids
    ]
    return ResolutionWhatIf(
        dsr=dsr,
        credit_before=credit_summary(ratings, rules=credit_rules, at=at),
        credit_after=credit_summary(after, rules=credit_rules, at=at),
    )
