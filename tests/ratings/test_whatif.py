"""What-ifs: a target by a date, a promotion, removed ratings, a rating's impact, resolved cases."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reviewdesk.ratings.credit import CreditRating, RatingResult
from reviewdesk.ratings.dsr import (
    DIMENSIONS,
    Dimension,
    DimensionScore,
    ScoredTrade,
    dsr_reference,
)
from reviewdesk.ratings.dsr_engine import DsrBook, ScoreColumns
from reviewdesk.ratings.rules import CreditRules, DsrRules
from reviewdesk.ratings.whatif import (
    dsr_without,
    five_stars_needed,
    promotion_whatif,
    rating_impact,
    resolution_whatif,
    target_whatif,
)
from tests.ratings.strategies import days, dsr_rules, local, trade_lists

RULES = DsrRules()
DESC = Dimension.DESC


def scored(tid: int, created: str, rated: str, stars: int, buyer: str | None = None) -> ScoredTrade:
    return ScoredTrade(
        tid, buyer or f"b{tid}", local(created), local(rated), True, False, stars, stars, stars
    )


@pytest.mark.parametrize(
    ("_case", "total", "count", "target", "needed"),
    [
        ("4.80 over 100 to 4.85", 480, 100, Fraction(485, 100), 34),
        ("already there", 490, 100, Fraction(485, 100), 0),
        ("no ratings yet", 0, 0, Fraction(485, 100), 1),
        ("a perfect 5 needs all fives", 499, 100, Fraction(5), None),
        ("perfect already", 500, 100, Fraction(5), 0),
        ("above 5 is impossible", 500, 100, Fraction(51, 10), None),
    ],
)
def test_five_stars_needed(
    _case: str, total: int, count: int, target: Fraction, needed: int | None
) -> None:
    assert five_stars_needed(DimensionScore(total, count), target) == needed


@settings(max_examples=200, deadline=None)
@given(
    st.integers(0, 2000).flatmap(lambda c: st.tuples(st.integers(c, 5 * c), st.just(c))),
    st.fractions(Fraction(1), Fraction(499, 100), max_denominator=100),
)
def test_five_stars_needed_is_the_fewest_that_reach_the_target(
    total_count: tuple[int, int], target: Fraction
) -> None:
    total, count = total_count
    n = five_stars_needed(DimensionScore(total, count), target)
    assert n is not None
    assert n + count > 0
    assert Fraction(total + 5 * n, count + n) >= target
    if n > 0 and count + n - 1 > 0:
        assert Fraction(total + 5 * (n - 1), count + n - 1) < target


def test_target_by_a_date_counts_what_leaves_the_window_by_then() -> None:
    trades = [scored(1, "2024-01-01 10:00", "2024-01-05 10:00", 1)]
    trades += [scored(i, "2024-03-01 10:00", "2024-03-05 10:00", 4) for i in range(2, 12)]
    book = DsrBook(ScoreColumns.from_trades(trades), RULES)
    today = target_whatif(book.at(dt.date(2024, 3, 31)), target=Fraction(485, 100))
    # By 2024-07-10 the 1-star score of January has left the 180-day window.
    later = target_whatif(book.at(dt.date(2024, 7, 10)), target=Fraction(485, 100))
    assert today.needed[DESC] == 83  # (11 * 4.85 - 41) / 0.15 = 82.3
    assert later.needed[DESC] == 57  # (10 * 4.85 - 40) / 0.15 = 56.7
    assert later.trades_needed == 57
    assert later.as_json()["needed"] == {"desc": 57, "service": 57, "logistics": 57}


def test_promotion_moves_the_dsr_towards_the_recent_mean() -> None:
    base = dsr_reference(
        [
            scored(i, "2024-03-01 10:00", "2024-03-05 10:00", 5 if i % 5 else 4)
            for i in range(1, 101)
        ],
        at=dt.date(2024, 3, 31),
        rules=RULES,
    )
    recent = dsr_reference(
        [scored(i, "2024-03-01 10:00", "2024-03-05 10:00", 4 + i % 2) for i in range(1, 11)],
        at=dt.date(2024, 3, 31),
        rules=RULES,
    )
    what = promotion_whatif(
        base=base, recent=recent, orders=200, scoring_rate=Fraction(1, 2), rules=RULES
    )
    # base 480/100, recent mean 4.5, 100 expected scores: (480 + 450) / 200
    assert what.values[DESC] == Fraction(930, 200)
    assert what.as_json()["after"]["desc"] == {"value": 4.65, "display": "4.7"}
    unchanged = promotion_whatif(
        base=base, recent=recent, orders=200, scoring_rate=Fraction(0), rules=RULES
    )
    assert unchanged.values[DESC] == Fraction(480, 100)


def test_removing_a_counted_score_lets_the_buyers_next_trade_of_the_month_count() -> None:
    trades = [
        scored(i, f"2024-03-0{i} 10:00", "2024-03-10 10:00", 1 if i == 1 else 5, buyer="tb_x")
        for i in range(1, 5)
    ]
    trades[3] = scored(4, "2024-03-04 10:00", "2024-03-10 10:00", 2, buyer="tb_x")
    base = dsr_reference(trades, at=dt.date(2024, 3, 31), rules=RULES)
    without = dsr_without(trades, {1}, base=base, rules=RULES)
    assert (base[DESC].total, base[DESC].count) == (1 + 5 + 5, 3)
    assert (without[DESC].total, without[DESC].count) == (5 + 5 + 2, 3)
    impact = rating_impact(trades, 1, base=base, rules=RULES)
    assert impact.delta(DESC) == Fraction(11, 3) - Fraction(12, 3)
    assert impact.as_json()["desc"]["delta"] == pytest.approx(-1 / 3)


@settings(max_examples=60, deadline=None)
@given(trade_lists(), dsr_rules, days, st.data())
def test_dsr_without_equals_a_recompute_without_those_ratings(
    trades: list[ScoredTrade], rules: DsrRules, at: dt.date, data: st.DataObject
) -> None:
    removed = {t.tid for t in trades if data.draw(st.booleans())}
    base = dsr_reference(trades, at=at, rules=rules)
    expected = dsr_reference([t for t in trades if t.tid not in removed], at=at, rules=rules)
    got = dsr_without(trades, removed, base=base, rules=rules)
    assert {d: (got[d].total, got[d].count) for d in DIMENSIONS} == {
        d: (expected[d].total, expected[d].count) for d in DIMENSIONS
    }


def test_resolving_cases_changes_credit_not_dsr() -> None:
    def credit(rid: int, result: RatingResult, buyer: str) -> CreditRating:
        return CreditRating(
            rid,
            rid,
            buyer,
            rid,
            local("2024-03-01 10:00"),
            local("2024-03-05 10:00"),
            result,
            Decimal("59.00"),
        )

    ratings = [
        credit(1, RatingResult.GOOD, "a"),
        credit(2, RatingResult.BAD, "b"),
        credit(3, RatingResult.NEUTRAL, "c"),
    ]
    dsr = dsr_reference([], at=dt.date(2024, 3, 31), rules=RULES)
    what = resolution_whatif(
        dsr=dsr,
        credit_ratings=ratings,
        revised_ids={2},
        deleted_ids={3},
        credit_rules=CreditRules(),
    )
    assert what.dsr is dsr
    assert what.as_json()["dsr_changes"] is False
    assert "D6" in what.note
    assert (what.credit_before.score, what.credit_after.score) == (0, 2)
    assert (what.credit_before.good_rate_display, what.credit_after.good_rate_display) == (
        "33.33%",
        "100.00%",
    )


def test_promotion_rejects_rates_outside_zero_to_one() -> None:
    base = dsr_reference([], at=dt.date(2024, 3, 31), rules=RULES)
    with pytest.raises(ValueError, match="scoring_rate"):
        promotion_whatif(
            base=base, recent=base, orders=10, scoring_rate=Fraction(3, 2), rules=RULES
        )
