"""DSR alert conditions: below the threshold, a fast 7-day drop, told once when they start."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from reviewdesk.ratings.alerts import (
    AlertKind,
    AlertPolicy,
    DayValues,
    alert_conditions,
    condition_started,
)
from reviewdesk.ratings.dsr import Dimension

DESC = Dimension.DESC
POLICY = AlertPolicy(thresholds={DESC: Decimal("4.70")}, drop_amount=Decimal("0.02"))
DAY0 = dt.date(2024, 3, 1)


def series(*values: str | None) -> list[DayValues]:
    return [
        DayValues(DAY0 + dt.timedelta(days=i), {DESC: Fraction(v) if v is not None else None})
        for i, v in enumerate(values)
    ]


def on(index: int) -> dt.date:
    return DAY0 + dt.timedelta(days=index)


def test_below_threshold_is_new_on_the_first_day_only() -> None:
    points = series("4.71", "4.69", "4.68")
    first = alert_conditions(points, POLICY, on=on(1))
    assert [(c.kind, c.is_new, c.value, c.reference) for c in first] == [
        (AlertKind.BELOW_THRESHOLD, True, Fraction("4.69"), Fraction("4.70"))
    ]
    assert [c.is_new for c in alert_conditions(points, POLICY, on=on(2))] == [False]


def test_a_run_is_traced_back_to_its_first_day() -> None:
    points = series("4.75", "4.69", "4.68", "4.60")
    (condition,) = alert_conditions(points, POLICY, on=on(3))
    assert condition_started(points, POLICY, condition) == on(1)
    # A run older than the series starts at the series' first day.
    assert condition_started(points[2:], POLICY, condition) == on(2)


def test_exactly_at_the_threshold_is_not_below() -> None:
    assert alert_conditions(series("4.70"), POLICY, on=on(0)) == []


def test_drop_of_more_than_the_amount_over_seven_days() -> None:
    points = series("4.90", "4.90", "4.90", "4.90", "4.90", "4.89", "4.89", "4.879", "4.88")
    found = alert_conditions(points, POLICY, on=on(7))
    assert [(c.kind, c.is_new) for c in found] == [(AlertKind.FAST_DROP, True)]
    assert found[0].change == Fraction("-0.021")
    # On day 8 the drop against day 1 is exactly 0.02: not more than the amount.
    assert alert_conditions(points, POLICY, on=on(8)) == []


def test_no_drop_alert_without_the_value_seven_days_earlier() -> None:
    points = series(None, "4.90", "4.90", "4.90", "4.90", "4.90", "4.90", "4.80")
    assert alert_conditions(points, POLICY, on=on(7)) == []


def test_unwatched_dimension_and_disabled_drop_alerts_stay_quiet() -> None:
    quiet = AlertPolicy(thresholds={}, drop_amount=None)
    assert alert_conditions(series("1.0", *["1.0"] * 6, "0.5"), quiet, on=on(7)) == []


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.fractions(Fraction(47, 10), Fraction(5), max_denominator=1000), min_size=8, max_size=20
    )
)
def test_a_non_decreasing_series_above_threshold_never_alerts(values: list[Fraction]) -> None:
    values.sort()
    points = [DayValues(on(i), {DESC: v}) for i, v in enumerate(values)]
    for i in range(len(values)):
        assert alert_conditions(points, POLICY, on=on(i)) == []


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.fractions(Fraction(4), Fraction(5), max_denominator=100), min_size=2, max_size=20)
)
def test_each_condition_is_new_exactly_when_it_did_not_hold_the_day_before(
    values: list[Fraction],
) -> None:
    points = [DayValues(on(i), {DESC: v}) for i, v in enumerate(values)]
    for i in range(1, len(values)):
        today = {(c.kind, c.dimension): c for c in alert_conditions(points, POLICY, on=on(i))}
        yesterday = {(c.kind, c.dimension) for c in alert_conditions(points, POLICY, on=on(i - 1))}
        for key, condition in today.items():
            assert condition.is_new is (key not in yesterday)
