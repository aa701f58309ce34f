"""Credit score and 好评率 (PLATFORM §9.2): the worked example of R3, each rule, and properties."""

from __future__ import annotations

import datetime as dt
import itertools
import random
from collections import Counter, defaultdict
from decimal import Decimal
from fractions import Fraction
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reviewdesk.ratings.credit import (
    CreditRating,
    NonScoring,
    RatingResult,
    credit_decisions,
    credit_summary,
)
from reviewdesk.ratings.rules import CreditRules
from tests.ratings.strategies import BASE, local

RULES = CreditRules()
GOOD, NEUTRAL, BAD = RatingResult.GOOD, RatingResult.NEUTRAL, RatingResult.BAD


def rating(
    rid: int,
    created: str,
    result: RatingResult = GOOD,
    *,
    item: int = 100,
    buyer: str = "tb_alice",
    amount: str = "59.00",
    rated: str | None = None,
    valid_score: bool | None = None,
    alipay: bool = True,
) -> CreditRating:
    created_at = local(created)
    return CreditRating(
        rating_id=rid,
        tid=rid,
        buyer=buyer,
        item_id=item,
        trade_created=created_at,
        rated_at=local(rated) if rated else created_at + dt.timedelta(days=5),
        result=result,
        amount=Decimal(amount),
        alipay=alipay,
        valid_score=valid_score,
    )


def test_six_good_ratings_in_september_two_for_one_item_within_14_days_give_5_points() -> None:
    # PLATFORM §9.2 C3, worked example of R3 FAQ 二.
    ratings = [
        rating(1, "2015-09-01 10:00", item=1),
        rating(2, "2015-09-10 10:00", item=1),  # same item, 9 days later: counts once
        rating(3, "2015-09-03 10:00", item=2),
        rating(4, "2015-09-05 10:00", item=3),
        rating(5, "2015-09-07 10:00", item=4),
        rating(6, "2015-09-09 10:00", item=5),
    ]
    summary = credit_summary(ratings, rules=RULES)
    assert summary.score == 5
    assert summary.non_scoring == {NonScoring.SAME_ITEM: 1}


def test_points_are_plus_one_zero_minus_one() -> None:
    ratings = [
        rating(1, "2024-03-01 10:00", GOOD, buyer="a"),
        rating(2, "2024-03-01 10:00", NEUTRAL, buyer="b"),
        rating(3, "2024-03-01 10:00", BAD, buyer="c"),
        rating(4, "2024-03-01 10:00", GOOD, buyer="d"),
    ]
    summary = credit_summary(ratings, rules=RULES)
    assert (summary.score, summary.good, summary.neutral, summary.bad) == (1, 2, 1, 1)
    assert summary.good_rate == Fraction(1, 2)
    assert summary.good_rate_display == "50.00%"


def test_at_most_six_points_per_buyer_per_month_of_trade_creation() -> None:
    ratings = [rating(i, f"2024-03-{i:02d} 10:00", item=i) for i in range(1, 10)]
    # The 9th trade was created in April: a new month, a new cap.
    ratings.append(rating(99, "2024-04-01 00:10", item=99, rated="2024-04-02 10:00"))
    summary = credit_summary(ratings, rules=RULES)
    assert summary.score == 7
    assert summary.non_scoring == {NonScoring.MONTHLY_CAP: 3}


def test_cap_month_follows_shop_time_not_utc() -> None:
    # 2024-04-01 00:10 in Shanghai is March 31 in UTC.
    ratings = [rating(i, f"2024-03-{i:02d} 10:00", item=i) for i in range(1, 7)]
    ratings.append(rating(99, "2024-04-01 00:10", item=99))
    assert credit_summary(ratings, rules=RULES).score == 7
    assert credit_summary(ratings, rules=CreditRules(tz="UTC")).score == 6


def test_neutral_ratings_are_not_limited_by_the_point_cap() -> None:
    ratings = [rating(i, f"2024-03-{i:02d} 10:00", item=i) for i in range(1, 7)]
    ratings.append(rating(7, "2024-03-20 10:00", NEUTRAL, item=7))
    summary = credit_summary(ratings, rules=RULES)
    assert (summary.score, summary.neutral) == (6, 1)


def test_bad_ratings_for_the_same_item_within_14_days_count_once() -> None:
    ratings = [
        rating(1, "2024-03-01 10:00", BAD),
        rating(2, "2024-03-14 09:59", BAD),  # inside the 14 days
        rating(3, "2024-03-15 10:00", BAD),  # 14 days after the first: a new span
    ]
    decisions = credit_decisions(ratings, RULES)
    assert [d.points for d in decisions] == [-1, 0, -1]
    assert decisions[1].reason is NonScoring.SAME_ITEM


def test_same_item_rule_is_per_result() -> None:
    ratings = [rating(1, "2024-03-01 10:00", GOOD), rating(2, "2024-03-02 10:00", BAD)]
    assert credit_summary(ratings, rules=RULES).score == 0


@pytest.mark.parametrize(
    ("_case", "amount", "scores"),
    [("one yuan", "1.00", False), ("one fen", "0.01", False), ("one yuan one fen", "1.01", True)],
)
def test_orders_of_one_yuan_or_less_do_not_score(_case: str, amount: str, scores: bool) -> None:
    decision = credit_decisions([rating(1, "2024-03-01 10:00", amount=amount)], RULES)[0]
    assert decision.scores is scores


def test_platform_valid_score_wins_over_our_rules() -> None:
    ratings = [
        rating(1, "2024-03-01 10:00", amount="0.50", valid_score=True),
        rating(2, "2024-03-02 10:00", item=2, valid_score=False),
    ]
    decisions = credit_decisions(ratings, RULES)
    assert [d.points for d in decisions] == [1, 0]
    assert decisions[1].reason is NonScoring.PLATFORM_INVALID


def test_good_rate_window_is_a_setting() -> None:
    ratings = [
        rating(1, "2024-01-01 10:00", BAD, rated="2024-01-05 10:00"),
        rating(2, "2024-06-01 10:00", GOOD, buyer="b", rated="2024-06-05 10:00"),
    ]
    all_time = credit_summary(ratings, rules=RULES, at=dt.date(2024, 6, 30))
    recent = credit_summary(
        ratings, rules=CreditRules(good_rate_window_days=30), at=dt.date(2024, 6, 30)
    )
    assert (all_time.good_rate_display, recent.good_rate_display) == ("50.00%", "100.00%")
    assert all_time.score == recent.score == 0  # the score itself is cumulative


def test_ratings_after_the_day_asked_for_are_not_in_the_score() -> None:
    ratings = [rating(1, "2024-03-01 10:00", rated="2024-03-10 10:00")]
    assert credit_summary(ratings, rules=RULES, at=dt.date(2024, 3, 9)).score == 0
    assert credit_summary(ratings, rules=RULES, at=dt.date(2024, 3, 10)).score == 1


def test_money_must_be_decimal() -> None:
    with pytest.raises(TypeError, match="Decimal"):
        CreditRating(1, 1, "a", 1, local("2024-03-01 10:00"), local("2024-03-02 10:00"), GOOD, 9.9)  # type: ignore[arg-type]


# --- properties --------------------------------------------------------------------------------

credit_ratings = st.lists(
    st.builds(
        lambda i, buyer, item, minutes, result, fen, valid: CreditRating(
            rating_id=i,
            tid=i,
            buyer=buyer,
            item_id=item,
            trade_created=BASE + dt.timedelta(minutes=minutes),
            rated_at=BASE + dt.timedelta(minutes=minutes + 60),
            result=result,
            amount=Decimal(fen) / 100,
            valid_score=valid,
        ),
        st.integers(0, 10**6),
        st.sampled_from(["a", "b"]),
        st.integers(1, 3),
        st.integers(0, 90 * 24 * 60),
        st.sampled_from(list(RatingResult)),
        st.sampled_from([50, 100, 101, 5900]),
        st.sampled_from([None, None, None, True, False]),
    ),
    max_size=30,
    unique_by=lambda r: r.rating_id,
)
PROPS = settings(max_examples=60, deadline=None)


@PROPS
@given(credit_ratings)
def test_counted_points_never_exceed_the_cap_per_buyer_month(ratings: list[CreditRating]) -> None:
    used: Counter[tuple[str, int, int]] = Counter()
    zone = ZoneInfo(RULES.tz)
    for d in credit_decisions(ratings, RULES):
        if d.rating.valid_score is None:
            local_created = d.rating.trade_created.astimezone(zone)
            used[(d.rating.buyer, local_created.year, local_created.month)] += abs(d.points)
    assert all(v <= RULES.monthly_cap_points for v in used.values())


@PROPS
@given(credit_ratings)
def test_scoring_same_item_ratings_are_at_least_14_days_apart(ratings: list[CreditRating]) -> None:
    starts: dict[tuple[str, int, RatingResult], list[dt.datetime]] = defaultdict(list)
    for d in credit_decisions(ratings, RULES):
        if d.scores and d.rating.valid_score is None:
            starts[(d.rating.buyer, d.rating.item_id, d.rating.result)].append(
                d.rating.trade_created
            )
    for times in starts.values():
        times.sort()
        assert all(b - a >= dt.timedelta(days=14) for a, b in itertools.pairwise(times))


@PROPS
@given(credit_ratings)
def test_small_orders_never_score_unless_the_platform_says_so(ratings: list[CreditRating]) -> None:
    for d in credit_decisions(ratings, RULES):
        amount = d.rating.amount
        if amount is not None and amount <= Decimal("1.00") and d.rating.valid_score is None:
            assert not d.scores


@PROPS
@given(credit_ratings, st.randoms(use_true_random=False))
def test_decisions_do_not_depend_on_input_order(
    ratings: list[CreditRating], rnd: random.Random
) -> None:
    shuffled = list(ratings)
    rnd.shuffle(shuffled)
    assert credit_summary(ratings, rules=RULES) == credit_summary(shuffled, rules=RULES)


@PROPS
@given(credit_ratings)
def test_good_rate_is_good_over_scoring_ratings(ratings: list[CreditRating]) -> None:
    summary = credit_summary(ratings, rules=RULES)
    scoring = [d for d in credit_decisions(ratings, RULES) if d.scores]
    assert summary.good + summary.neutral + summary.bad == len(scoring)
    assert summary.score == summary.good - summary.bad
    if scoring:
        assert summary.good_rate == Fraction(summary.good, len(scoring))
