"""The DSR rules (PLATFORM §9.3) as a specification: worked examples and properties of the
reference implementation. The vectorised engine is checked against it in test_dsr_engine.py."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from decimal import ROUND_DOWN, ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal
from fractions import Fraction
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reviewdesk.ratings.dsr import (
    DIMENSIONS,
    Dimension,
    ScoredTrade,
    counted_trades,
    dsr_reference,
    format_ratio,
    rated_in_window,
    window_bounds,
)
from reviewdesk.ratings.rules import CountingOrder, DsrRules, Rounding, WindowUnit
from tests.ratings.strategies import days, dsr_rules, local, trade_lists

RULES = DsrRules()


def trade(
    tid: int,
    created: str,
    rated: str,
    *,
    buyer: str = "tb_alice",
    stars: tuple[int | None, int | None, int | None] = (5, 5, 5),
    alipay: bool = True,
    is_default: bool = False,
) -> ScoredTrade:
    return ScoredTrade(tid, buyer, local(created), local(rated), alipay, is_default, *stars)


# --- worked examples ---------------------------------------------------------------------------


def test_mean_of_counted_scores_with_full_precision_and_one_decimal() -> None:
    trades = [
        trade(1, "2024-03-01 10:00", "2024-03-05 10:00", buyer="a", stars=(5, 4, 3)),
        trade(2, "2024-03-01 10:00", "2024-03-05 10:00", buyer="b", stars=(4, 4, 5)),
        trade(3, "2024-03-01 10:00", "2024-03-05 10:00", buyer="c", stars=(5, 5, 5)),
    ]
    result = dsr_reference(trades, at=dt.date(2024, 3, 31), rules=RULES)
    assert result.as_json()["desc"] == {
        "value": 14 / 3,
        "display": "4.7",
        "count": 3,
        "total": 14,
    }
    assert result[Dimension.SERVICE].display == "4.3"
    assert result[Dimension.LOGISTICS].exact == Fraction(13, 3)


def test_only_first_three_trades_of_a_buyer_month_count_by_trade_creation() -> None:
    # Rated in reverse order: the counting order is trade creation, not rating time (D5).
    trades = [
        trade(i, f"2024-03-0{i} 10:00", f"2024-03-{20 - i} 10:00", stars=(i, i, i))
        for i in range(1, 6)
    ]
    result = dsr_reference(trades, at=dt.date(2024, 3, 31), rules=RULES)
    assert (result[Dimension.DESC].total, result[Dimension.DESC].count) == (1 + 2 + 3, 3)
    assert result.tally.over_monthly_cap == 2


def test_counting_order_by_rating_time_is_a_setting() -> None:
    trades = [
        trade(i, f"2024-03-0{i} 10:00", f"2024-03-{20 - i} 10:00", stars=(i, i, i))
        for i in range(1, 6)
    ]
    rules = DsrRules(counting_order=CountingOrder.RATED_AT)
    result = dsr_reference(trades, at=dt.date(2024, 3, 31), rules=rules)
    assert result[Dimension.DESC].total == 5 + 4 + 3


def test_counting_is_decided_over_all_scores_not_only_the_window() -> None:
    # Three March trades rated in March, a fourth March trade rated in May. On 2024-09-15 the
    # 180-day window starts 2024-03-20: the first three are out of it, and the fourth still does
    # not count, because the counting decision is made over all of the shop's scores (D5).
    trades = [trade(i, f"2024-03-0{i} 10:00", "2024-03-10 10:00") for i in (1, 2, 3)]
    trades.append(trade(4, "2024-03-04 10:00", "2024-05-01 10:00", stars=(1, 1, 1)))
    result = dsr_reference(trades, at=dt.date(2024, 9, 15), rules=RULES)
    assert result[Dimension.DESC].count == 0
    assert result.tally.over_monthly_cap == 1
    only_window = dsr_reference(trades[3:], at=dt.date(2024, 9, 15), rules=RULES)
    assert only_window[Dimension.DESC].count == 1


def test_natural_month_is_the_trade_creation_month_in_shop_time() -> None:
    # 2024-02-01 00:30 Shanghai is still January in UTC; the shop's month is February.
    january = [trade(i, f"2024-01-1{i} 10:00", "2024-02-05 10:00") for i in (1, 2, 3)]
    february = trade(9, "2024-02-01 00:30", "2024-02-05 10:00", stars=(1, 1, 1))
    result = dsr_reference([*january, february], at=dt.date(2024, 2, 29), rules=RULES)
    assert result[Dimension.DESC].count == 4
    utc = dsr_reference([*january, february], at=dt.date(2024, 2, 29), rules=DsrRules(tz="UTC"))
    assert utc[Dimension.DESC].count == 3


def test_default_and_non_alipay_ratings_add_nothing() -> None:
    trades = [
        trade(1, "2024-03-01 10:00", "2024-03-16 10:00", is_default=True),
        trade(2, "2024-03-01 10:00", "2024-03-05 10:00", alipay=False, buyer="b"),
        trade(3, "2024-03-01 10:00", "2024-03-05 10:00", buyer="c", stars=(3, 3, 3)),
    ]
    result = dsr_reference(trades, at=dt.date(2024, 3, 31), rules=RULES)
    assert result[Dimension.DESC].display == "3.0"
    assert result.tally.as_json() == {
        "rated": 3,
        "default": 1,
        "not_alipay": 1,
        "over_monthly_cap": 0,
        "counted": 1,
    }


def test_default_ratings_do_not_take_a_monthly_slot() -> None:
    trades = [trade(i, f"2024-03-0{i} 10:00", "2024-03-10 10:00", is_default=True) for i in (1, 2)]
    trades += [trade(i, f"2024-03-0{i} 10:00", "2024-03-10 10:00") for i in (3, 4, 5)]
    assert {t.tid for t in counted_trades(trades, RULES)} == {3, 4, 5}


def test_unknown_stars_take_a_slot_but_add_nothing_to_that_dimension() -> None:
    trades = [
        trade(1, "2024-03-01 10:00", "2024-03-05 10:00", stars=(None, None, 4)),
        trade(2, "2024-03-02 10:00", "2024-03-05 10:00", stars=(5, 5, 5)),
    ]
    result = dsr_reference(trades, at=dt.date(2024, 3, 31), rules=DsrRules(per_month_cap=1))
    assert result[Dimension.DESC].count == 0
    assert result[Dimension.LOGISTICS].display == "4.0"


@pytest.mark.parametrize(
    ("_case", "rated", "counts"),
    [
        ("last second of the day asked for", "2024-06-30 23:59", 1),
        ("first minute of the next day", "2024-07-01 00:00", 0),
        ("first day of the 180", "2024-01-03 00:00", 1),
        ("the day before the 180", "2024-01-02 23:59", 0),
    ],
)
def test_window_is_180_local_days_ending_with_the_day_inclusive(
    _case: str, rated: str, counts: int
) -> None:
    t = trade(1, "2024-01-01 00:00", rated)
    result = dsr_reference([t], at=dt.date(2024, 6, 30), rules=RULES)
    assert result[Dimension.DESC].count == counts


def test_window_of_six_calendar_months_is_a_setting() -> None:
    rules = DsrRules(window_length=6, window_unit=WindowUnit.MONTHS)
    assert window_bounds(dt.date(2024, 6, 30), rules) == (dt.date(2024, 1, 1), dt.date(2024, 6, 30))
    assert window_bounds(dt.date(2024, 8, 30), rules) == (
        dt.date(2024, 2, 29),
        dt.date(2024, 8, 30),
    )


@pytest.mark.parametrize(
    ("_case", "total", "count", "rounding", "shown"),
    [
        ("half up at the tie", 97, 20, Rounding.HALF_UP, "4.9"),  # 4.85
        ("half even at the tie", 97, 20, Rounding.HALF_EVEN, "4.8"),
        ("truncation", 99, 20, Rounding.DOWN, "4.9"),  # 4.95
        ("just under the tie", 4849, 1000, Rounding.HALF_UP, "4.8"),
    ],
)
def test_display_rounding_is_exact(
    _case: str, total: int, count: int, rounding: Rounding, shown: str
) -> None:
    assert format_ratio(total, count, 1, rounding) == shown


def test_rejects_naive_times_and_stars_out_of_range() -> None:
    naive = dt.datetime(2024, 3, 1, 10, 0)  # noqa: DTZ001 - the point of the test
    with pytest.raises(ValueError, match="timezone-aware"):
        ScoredTrade(1, "a", naive, local("2024-03-02 10:00"), True, False, 5, 5, 5)
    with pytest.raises(ValueError, match=r"1\.\.5"):
        trade(1, "2024-03-01 10:00", "2024-03-02 10:00", stars=(6, 5, 5))
    with pytest.raises(ValueError, match="before it was created"):
        trade(1, "2024-03-02 10:00", "2024-03-01 10:00")


# --- properties --------------------------------------------------------------------------------

FAST = settings(max_examples=40, deadline=None)


def _month(t: ScoredTrade, tz: str) -> tuple[str, int, int]:
    local_created = t.trade_created.astimezone(ZoneInfo(tz))
    return (t.buyer, local_created.year, local_created.month)


@FAST
@given(trade_lists(), dsr_rules)
def test_never_more_than_the_cap_counted_per_buyer_month(
    trades: list[ScoredTrade], rules: DsrRules
) -> None:
    per_month = Counter(_month(t, rules.tz) for t in counted_trades(trades, rules))
    assert all(n <= rules.per_month_cap for n in per_month.values())


@FAST
@given(trade_lists(), dsr_rules)
def test_default_and_non_alipay_scores_never_count(
    trades: list[ScoredTrade], rules: DsrRules
) -> None:
    for t in counted_trades(trades, rules):
        assert t.alipay or not rules.alipay_only
        assert not t.is_default or not rules.exclude_default


@FAST
@given(trade_lists(), dsr_rules)
def test_counted_are_the_earliest_of_their_buyer_month(
    trades: list[ScoredTrade], rules: DsrRules
) -> None:
    counted = {t.tid for t in counted_trades(trades, rules)}
    zone = rules.tz
    for t in trades:
        if t.tid in counted:
            continue
        eligible = (t.alipay or not rules.alipay_only) and not (
            t.is_default and rules.exclude_default
        )
        if not eligible:
            continue
        # An eligible trade left out means its month is full of earlier ones.
        earlier = [u for u in trades if u.tid in counted and _month(u, zone) == _month(t, zone)]
        assert len(earlier) == rules.per_month_cap


@FAST
@given(trade_lists(), dsr_rules, days)
def test_tally_accounts_for_every_rating_in_the_window(
    trades: list[ScoredTrade], rules: DsrRules, at: dt.date
) -> None:
    tally = dsr_reference(trades, at=at, rules=rules).tally
    in_window = sum(rated_in_window(t, at, rules) for t in trades)
    assert tally.rated == in_window
    assert tally.rated == tally.default + tally.not_alipay + tally.over_monthly_cap + tally.counted


@FAST
@given(trade_lists(), dsr_rules, days, st.data())
def test_a_rating_outside_the_window_can_only_push_others_out(
    trades: list[ScoredTrade], rules: DsrRules, at: dt.date, data: st.DataObject
) -> None:
    extra = data.draw(trade_lists(max_size=1).filter(lambda ts: len(ts) == 1))[0]
    if rated_in_window(extra, at, rules):
        return
    extra = ScoredTrade(
        9_999_999_999_999,
        extra.buyer,
        extra.trade_created,
        extra.rated_at,
        extra.alipay,
        extra.is_default,
        extra.desc,
        extra.service,
        extra.logistics,
    )
    before = dsr_reference(trades, at=at, rules=rules)
    after = dsr_reference([*trades, extra], at=at, rules=rules)
    for d in DIMENSIONS:
        assert after[d].count <= before[d].count
    # A buyer with no other ratings cannot push anybody out: nothing changes.
    lone = ScoredTrade(
        extra.tid,
        "tb_nobody_else",
        extra.trade_created,
        extra.rated_at,
        extra.alipay,
        extra.is_default,
        extra.desc,
        extra.service,
        extra.logistics,
    )
    assert dsr_reference([*trades, lone], at=at, rules=rules).scores == before.scores


@FAST
@given(trade_lists(), dsr_rules, days)
def test_scores_before_the_window_can_only_take_slots_from_those_inside(
    trades: list[ScoredTrade], rules: DsrRules, at: dt.date
) -> None:
    inside = [t for t in trades if rated_in_window(t, at, rules)]
    with_history = dsr_reference(trades, at=at, rules=rules)
    without_history = dsr_reference(inside, at=at, rules=rules)
    for d in DIMENSIONS:
        assert with_history[d].count <= without_history[d].count


@FAST
@given(
    st.integers(0, 10**7), st.integers(1, 10**6), st.integers(0, 4), st.sampled_from(list(Rounding))
)
def test_display_matches_decimal_quantize(
    total: int, count: int, decimals: int, rounding: Rounding
) -> None:
    mode = {
        Rounding.HALF_UP: ROUND_HALF_UP,
        Rounding.HALF_EVEN: ROUND_HALF_EVEN,
        Rounding.DOWN: ROUND_DOWN,
    }[rounding]
    exact = Decimal(total) / Decimal(count)  # 28 significant digits: ties are exact here
    expected = exact.quantize(Decimal(1).scaleb(-decimals), rounding=mode)
    assert format_ratio(total, count, decimals, rounding) == str(expected)
