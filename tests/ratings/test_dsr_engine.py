"""The vectorised engine agrees with the reference implementation, in one build and day by day."""

from __future__ import annotations

import datetime as dt
import itertools

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from reviewdesk.ratings.dsr import Dimension, ScoredTrade, counted_trades, dsr_reference
from reviewdesk.ratings.dsr_engine import DsrBook, ScoreColumns, _counting_order
from reviewdesk.ratings.rules import DsrRules
from tests.ratings.strategies import days, dsr_rules, local, trade_lists

FAST = settings(max_examples=50, deadline=None)


@FAST
@given(trade_lists(), dsr_rules, days)
def test_engine_equals_reference(trades: list[ScoredTrade], rules: DsrRules, at: dt.date) -> None:
    book = DsrBook(ScoreColumns.from_trades(trades), rules)
    assert book.at(at) == dsr_reference(trades, at=at, rules=rules)
    assert list(book.counted_tids()) == sorted(t.tid for t in counted_trades(trades, rules))


@FAST
@given(trade_lists(), dsr_rules, days, st.lists(st.integers(0, 40), max_size=4))
def test_incremental_updates_equal_a_full_recompute(
    trades: list[ScoredTrade], rules: DsrRules, at: dt.date, cuts: list[int]
) -> None:
    codes: dict[str, int] = {}
    bounds = sorted({0, len(trades), *(c for c in cuts if c < len(trades))})
    book = DsrBook(
        ScoreColumns.from_trades(trades[: bounds[1]] if len(bounds) > 1 else [], codes), rules
    )
    book.max_segments = 2  # exercise compaction too
    for lo, hi in itertools.pairwise(bounds[1:]):
        book.add(ScoreColumns.from_trades(trades[lo:hi], codes))
    full = DsrBook(ScoreColumns.from_trades(trades), rules)
    assert book.at(at) == full.at(at)
    assert list(book.counted_tids()) == list(full.counted_tids())


def test_a_late_rating_of_an_earlier_trade_takes_the_slot_on_update() -> None:
    rules = DsrRules(per_month_cap=1)
    first = ScoredTrade(
        2, "tb_a", local("2024-03-05 10:00"), local("2024-03-06 10:00"), True, False, 5, 5, 5
    )
    late = ScoredTrade(
        1, "tb_a", local("2024-03-01 10:00"), local("2024-03-20 10:00"), True, False, 1, 1, 1
    )
    codes: dict[str, int] = {}
    book = DsrBook(ScoreColumns.from_trades([first], codes), rules)
    assert book.at(dt.date(2024, 3, 31))[Dimension.DESC].display == "5.0"
    book.add(ScoreColumns.from_trades([late], codes))
    result = book.at(dt.date(2024, 3, 31))
    assert result[Dimension.DESC].display == "1.0"
    assert result.tally.over_monthly_cap == 1
    assert list(book.counted_tids()) == [1]


def test_trend_is_one_result_per_day() -> None:
    trades = [
        ScoredTrade(
            i,
            f"b{i}",
            local("2024-03-01 10:00"),
            local(f"2024-03-0{i} 10:00"),
            True,
            False,
            i,
            5,
            5,
        )
        for i in range(1, 4)
    ]
    book = DsrBook(ScoreColumns.from_trades(trades), DsrRules())
    series = book.trend(dt.date(2024, 3, 1), dt.date(2024, 3, 3))
    assert [r[Dimension.DESC].display for r in series] == ["1.0", "1.5", "2.0"]
    assert book.rating_days() == (dt.date(2024, 3, 1), dt.date(2024, 3, 3))


def test_packed_sort_breaks_exact_ties_by_secondary_time_then_tid() -> None:
    group = np.array([7, 7, 7, 3], dtype=np.int64)
    base = np.zeros(4, dtype=np.int64)
    primary = np.array([10, 10, 10, 99], dtype=np.int64)
    secondary = np.array([5, 4, 4, 0], dtype=np.int64)
    tid = np.array([1, 3, 2, 0], dtype=np.int64)
    assert list(_counting_order(group, base, primary, secondary, tid)) == [3, 2, 1, 0]


def test_empty_shop_has_no_value() -> None:
    book = DsrBook(ScoreColumns.from_trades([]), DsrRules())
    result = book.at(dt.date(2024, 3, 1))
    assert result.as_json()["desc"] == {"value": None, "display": None, "count": 0, "total": 0}
    assert book.rating_days() is None
