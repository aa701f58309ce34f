"""Shop-local days and months for epoch-second arrays, without a Python loop per row.

Natural months (PLATFORM §9.3 D5, §9.2 C2) and window days are the shop's local ones. Asia/Shanghai
has had a fixed +8 offset since 1991, so the common case is one addition; zones with daylight saving
get their transitions located once (bisection between daily samples) and a searchsorted per row.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from zoneinfo import ZoneInfo

import numpy as np
from numpy.typing import NDArray

I64 = NDArray[np.int64]
DAY = 86_400
EPOCH_DATE = dt.date(1970, 1, 1)


def _offset(zone: ZoneInfo, epoch: int) -> int:
    moment = dt.datetime.fromtimestamp(epoch, tz=dt.UTC).astimezone(zone)
    off = moment.utcoffset()
    assert off is not None  # noqa: S101 - a ZoneInfo always has an offset
    return int(off.total_seconds())


@lru_cache(maxsize=64)
def _transitions(tz: str, start: int, stop: int) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """(transition epochs, offsets): offsets[i] holds from transitions[i-1] (or -inf) on."""
    zone = ZoneInfo(tz)
    samples = list(range(start, stop + DAY, DAY))
    offsets = [_offset(zone, s) for s in samples]
    points: list[int] = []
    values = [offsets[0]]
    for left, right, off_left, off_right in zip(
        samples, samples[1:], offsets, offsets[1:], strict=False
    ):
        if off_left == off_right:
            continue
        lo, hi = left, right  # invariant: offset(lo) == off_left, offset(hi) == off_right
        while hi - lo > 1:
            mid = (lo + hi) // 2
            if _offset(zone, mid) == off_left:
                lo = mid
            else:
                hi = mid
        points.append(hi)
        values.append(off_right)
    return tuple(points), tuple(values)


def local_seconds(epoch: I64, tz: str) -> I64:
    """Epoch seconds shifted by the zone's UTC offset at each instant (wall-clock seconds)."""
    if epoch.size == 0:
        return epoch.astype(np.int64)
    # Round the sampled span to whole days so the transition cache is reused across calls.
    start = int(epoch.min()) // DAY * DAY - DAY
    stop = int(epoch.max()) // DAY * DAY + DAY
    points, values = _transitions(tz, start, stop)
    if not points:
        return epoch + np.int64(values[0])
    which = np.searchsorted(np.asarray(points, dtype=np.int64), epoch, side="right")
    return epoch + np.asarray(values, dtype=np.int64)[which]


def local_days(epoch: I64, tz: str) -> I64:
    """Local calendar day of each instant, as days since 1970-01-01."""
    return local_seconds(epoch, tz) // DAY


def months_of_days(days: I64) -> I64:
    """Month index (year * 12 + month - 1 counted from 1970-01) of each local day.

    Converted through a table over the days present: a few thousand datetime64 conversions and
    one gather instead of millions of conversions.
    """
    if days.size == 0:
        return days.astype(np.int64)
    low = int(days.min())
    table = np.arange(low, int(days.max()) + 1).astype("datetime64[D]")
    return table.astype("datetime64[M]").astype(np.int64)[days - low]


def month_start_days(months: I64) -> I64:
    """First local day (days since 1970-01-01) of each month index."""
    if months.size == 0:
        return months.astype(np.int64)
    low = int(months.min())
    table = np.arange(low, int(months.max()) + 1).astype("datetime64[M]")
    return table.astype("datetime64[D]").astype(np.int64)[months - low]


def day_number(day: dt.date) -> int:
    return (day - EPOCH_DATE).days


def day_from_number(number: int) -> dt.date:
    return EPOCH_DATE + dt.timedelta(days=number)
