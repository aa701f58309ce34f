"""When things happen in the simulated shop: order times over the history, and the durations
from order to payment, shipping, receipt (交易成功) and review."""

from __future__ import annotations

import bisect
import datetime as dt
import random
from dataclasses import dataclass
from functools import lru_cache
from zoneinfo import ZoneInfo

from reviewdesk.platforms.simulator.world import World

SHANGHAI = ZoneInfo("Asia/Shanghai")

# --- time -------------------------------------------------------------------------------------

HOUR_WEIGHTS = (
    0.6, 0.3, 0.15, 0.1, 0.1, 0.15, 0.3, 0.6, 1.0, 1.4, 1.8, 1.9,
    1.6, 1.5, 1.5, 1.5, 1.4, 1.3, 1.4, 1.8, 2.3, 2.6, 2.4, 1.5,
)  # fmt: skip
_PROMOS = {(11, 11): 5.0, (11, 10): 2.0, (11, 12): 2.0, (12, 12): 2.5, (6, 18): 2.5, (3, 8): 1.5}


def _day_weight(day: dt.date) -> float:
    weight = 1.12 if day.weekday() >= 5 else 1.0
    weight *= _PROMOS.get((day.month, day.day), 1.0)
    if day.month == 11 and day.day < 10:
        weight *= 1.4  # 双11 pre-sales
    if day.month in (10, 11, 12, 1, 2):
        weight *= 1.5  # a winter-goods shop
    elif day.month in (5, 6, 7, 8):
        weight *= 0.6
    return weight


@lru_cache(maxsize=8)
def history_calendar(
    anchor: dt.datetime, days: int
) -> tuple[tuple[dt.date, ...], tuple[float, ...]]:
    """Days of the history (oldest first) and their cumulative order weights."""
    last = anchor.astimezone(SHANGHAI).date()
    dates = tuple(last - dt.timedelta(days=days - 1 - d) for d in range(days))
    local_anchor = anchor.astimezone(SHANGHAI)
    elapsed_today = (local_anchor.hour * 3600 + local_anchor.minute * 60) / 86400
    cumulative: list[float] = []
    total = 0.0
    for d, day in enumerate(dates):
        trend = 0.8 + 0.4 * d / max(days - 1, 1)  # the shop grows
        weight = _day_weight(day) * trend
        if d == days - 1:
            weight *= max(elapsed_today, 0.01)
        total += weight
        cumulative.append(total)
    return dates, tuple(cumulative)


def history_created_at(world: World, index: int, rng: random.Random) -> dt.datetime:
    """Order times rise with the index, denser on weekends, 双11 and in winter."""
    if world.anchor is None:
        raise ValueError("a world with history needs an anchor")
    dates, cumulative = history_calendar(world.anchor, world.history_days)
    target = (index + rng.random()) / max(world.history_orders, 1) * cumulative[-1]
    d = min(bisect.bisect_left(cumulative, target), len(dates) - 1)
    hour = rng.choices(range(24), weights=HOUR_WEIGHTS)[0]
    seconds = hour * 3600 + rng.randrange(3600)
    start = dt.datetime.combine(dates[d], dt.time(), tzinfo=SHANGHAI)
    created = start + dt.timedelta(seconds=seconds)
    latest = world.anchor - dt.timedelta(minutes=5)
    if created > latest:  # today's orders: squeeze into the part of the day already gone
        span = max((latest - start).total_seconds(), 60.0)
        created = start + dt.timedelta(seconds=seconds / 86400 * span)
    return created.astimezone(dt.UTC)


@dataclass(frozen=True, slots=True)
class Timeline:
    pay: dt.timedelta
    ship: dt.timedelta
    transit: dt.timedelta
    review: dt.timedelta  # ended -> rated, for buyers who review


def timeline(rng: random.Random, *, cause: str | None, negative: bool) -> Timeline:
    pay = dt.timedelta(seconds=rng.uniform(20, 1200))
    ship = dt.timedelta(hours=rng.uniform(2, 40))
    transit = dt.timedelta(days=rng.uniform(1.5, 4.5))
    if cause == "logistics":  # the complaint has to be true: slow shipping or a stalled parcel
        if rng.random() < 0.5:
            ship += dt.timedelta(days=rng.uniform(3, 6))
        else:
            transit += dt.timedelta(days=rng.uniform(3, 7))
    if negative:  # unhappy buyers rate fast
        review = dt.timedelta(hours=rng.uniform(1, 48))
    else:
        roll = rng.random()
        days = (
            rng.uniform(0.04, 1)
            if roll < 0.55
            else rng.uniform(1, 5)
            if roll < 0.88
            else 5 + 9 * rng.random()
        )
        review = dt.timedelta(days=days)
    return Timeline(pay, ship, transit, review)
