"""DSR alert conditions over a daily series. Pure (STYLE C8): the series and the day are given.

Two conditions per dimension, both on the full-precision value (the displayed one-decimal value
hides a fall from 4.84 to 4.76 until it is too late):
- below the shop's threshold;
- dropped by more than the shop's amount over the last `drop_days` days (7 by default).
A condition is *new* when it did not already hold the day before, so a shop sitting under its
threshold for a month is told once, not every morning; the service stores only new ones.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction

from reviewdesk.ratings.dsr import DIMENSIONS, Dimension


class AlertKind(StrEnum):
    BELOW_THRESHOLD = "below_threshold"
    FAST_DROP = "fast_drop"


@dataclass(frozen=True, slots=True)
class AlertPolicy:
    thresholds: Mapping[Dimension, Decimal]  # a missing dimension is not watched
    drop_amount: Decimal | None = Decimal("0.02")  # None: drop alerts off
    drop_days: int = 7


@dataclass(frozen=True, slots=True)
class DayValues:
    """One day of the series: each dimension's exact value (None when nothing counted)."""

    day: dt.date
    values: Mapping[Dimension, Fraction | None] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class AlertCondition:
    kind: AlertKind
    dimension: Dimension
    day: dt.date
    value: Fraction
    reference: Fraction  # the threshold, or the value `drop_days` earlier
    is_new: bool

    @property
    def change(self) -> Fraction:
        return self.value - self.reference


def _holds(
    kind: AlertKind,
    dimension: Dimension,
    day: dt.date,
    by_day: Mapping[dt.date, DayValues],
    policy: AlertPolicy,
) -> tuple[Fraction, Fraction] | None:
    """(value, reference) when the condition holds on `day`."""
    point = by_day.get(day)
    value = point.values.get(dimension) if point else None
    if value is None:
        return None
    if kind is AlertKind.BELOW_THRESHOLD:
        threshold = policy.thresholds.get(dimension)
        if threshold is None:
            return None
        reference = Fraction(threshold)
        return (value, reference) if value < reference else None
    if policy.drop_amount is None:
        return None
    earlier = by_day.get(day - dt.timedelta(days=policy.drop_days))
    before = earlier.values.get(dimension) if earlier else None
    if before is None:
        return None
    return (value, before) if before - value > Fraction(policy.drop_amount) else None


def alert_conditions(
    series: Sequence[DayValues], policy: AlertPolicy, *, on: dt.date
) -> list[AlertCondition]:
    """Every condition holding on `on`, each marked new or continuing."""
    by_day = {point.day: point for point in series}
    found: list[AlertCondition] = []
    for dimension in DIMENSIONS:
        for kind in AlertKind:
            now = _holds(kind, dimension, on, by_day, policy)
            if now is None:
                continue
            yesterday = _holds(kind, dimension, on - dt.timedelta(days=1), by_day, policy)
            found.append(AlertCondition(kind, dimension, on, now[0], now[1], yesterday is None))
    return found


def condition_started(
    series: Sequence[DayValues], policy: AlertPolicy, condition: AlertCondition
) -> dt.date:
    """First day of the unbroken run of days (within `series`) on which `condition` holds.

    The service raises an alert once per run: a run that began before the first snapshot, or
    while snapshots were not taken, is still told once, on the first day it is seen.
    """
    by_day = {point.day: point for point in series}
    first = min(by_day) if by_day else condition.day
    start = condition.day
    while start > first:
        before = start - dt.timedelta(days=1)
        if _holds(condition.kind, condition.dimension, before, by_day, policy) is None:
            break
        start = before
    return start
