"""DSR engine benchmark: full recompute of a shop with 5 million ratings, then daily updates.

    .venv/bin/python benchmarks/ratings_dsr.py [--ratings 5000000] [--days 30] [--repeat 3]

Prints the time and the peak memory of the full recompute (`DsrBook(...)`: counting rule, window
ledger), of one DSR query and of the daily incremental update (`DsrBook.add` with one day's new
ratings, then the day's DSR). The data are synthetic but shaped like a big shop: two years of
trades, repeat buyers (so the 3-per-month cap bites), ~25% default ratings, 0.5% non-Alipay,
ratings 1-15 days after the trade, stars skewed towards 5.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import resource
import time
import tracemalloc
from collections.abc import Callable
from typing import TypeVar

import numpy as np

from reviewdesk.ratings.dsr_engine import DsrBook, ScoreColumns
from reviewdesk.ratings.localtime import DAY
from reviewdesk.ratings.rules import DsrRules

T = TypeVar("T")
START = int(dt.datetime(2023, 1, 1, tzinfo=dt.UTC).timestamp())
SPAN_DAYS = 730


def synthetic(
    n: int, rng: np.random.Generator, *, first_tid: int = 0, day: int | None = None
) -> ScoreColumns:
    """n scored trades; with `day`, all rated on that day (a daily batch)."""
    # Zipf-like repeat buyers: a few buy every month, most once.
    buyer = (rng.pareto(1.2, n) * 50_000).astype(np.int64) % 1_500_000
    if day is None:
        created = START + rng.integers(0, SPAN_DAYS * DAY, n)
        rated = created + rng.integers(DAY, 15 * DAY, n)
    else:
        rated = START + day * DAY + rng.integers(0, DAY, n)
        created = rated - rng.integers(DAY, 15 * DAY, n)
    p = [0.03, 0.02, 0.05, 0.15, 0.75]
    stars = rng.choice(np.arange(1, 6, dtype=np.int8), size=(n, 3), p=p)
    return ScoreColumns(
        tid=np.arange(first_tid, first_tid + n, dtype=np.int64) + 4_000_000_000_000_000,
        buyer=buyer.astype(np.int32),
        trade_created=created.astype(np.int64),
        rated_at=rated.astype(np.int64),
        alipay=rng.random(n) > 0.005,
        is_default=rng.random(n) < 0.25,
        stars=stars,
    )


def measure(label: str, fn: Callable[[], T], *, memory: bool = False) -> T:
    if memory:
        tracemalloc.start()
    started = time.perf_counter()
    result = fn()
    elapsed = time.perf_counter() - started
    extra = ""
    if memory:
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        extra = f"  peak traced memory {peak / 2**20:,.0f} MiB"
    print(f"{label:<44} {elapsed * 1000:>10,.1f} ms{extra}")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ratings", type=int, default=5_000_000)
    parser.add_argument("--days", type=int, default=30, help="daily updates to time")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=3, help="extra full recomputes to time")
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)
    columns = synthetic(args.ratings, rng)
    print(f"{args.ratings:,} ratings, {np.unique(columns.buyer).shape[0]:,} buyers")
    rules = DsrRules()
    today = dt.date(2024, 12, 31)

    print(f"load average before: {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")
    # Untraced first (tracemalloc adds overhead), then traced for the memory figure.
    book = measure("full recompute (DsrBook build), 1st run", lambda: DsrBook(columns, rules))
    runs = []
    for _ in range(args.repeat):
        started = time.perf_counter()
        DsrBook(columns, rules)
        runs.append(time.perf_counter() - started)
    print(
        f"{'full recompute, best / median of ' + str(args.repeat):<44} "
        f"{min(runs) * 1000:>10,.1f} ms / {np.median(runs) * 1000:,.1f} ms"
    )
    measure("full recompute, memory traced", lambda: DsrBook(columns, rules), memory=True)
    result = measure("DSR on one day (book.at)", lambda: book.at(today))
    print("  ", {d: (s.display, s.count) for d, s in result.scores.items()})
    measure("180-day trend (book.trend)", lambda: book.trend(today - dt.timedelta(179), today))

    per_day = args.ratings // SPAN_DAYS
    timings = []
    for i in range(args.days):
        batch = synthetic(per_day, rng, first_tid=args.ratings + i * per_day, day=SPAN_DAYS + i)
        started = time.perf_counter()
        book.add(batch)
        book.at(today + dt.timedelta(days=i + 1))
        timings.append(time.perf_counter() - started)
    ms = np.array(timings) * 1000
    print(
        f"{'daily update (' + f'{per_day:,}' + ' ratings) + DSR':<44} "
        f"median {np.median(ms):,.1f} ms, max {ms.max():,.1f} ms over {args.days} days"
    )
    print(f"load average after: {os.getloadavg()[0]:.2f}")
    peak_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{'process peak RSS (incl. synthetic data)':<44} {peak_rss:>10,.0f} MiB")


if __name__ == "__main__":
    main()
