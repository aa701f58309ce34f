"""Hypothesis strategies for rating data: few buyers (so the monthly caps bite), times clustered
around month boundaries in shop time (so the time-zone rule is exercised), every flag mixed."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from hypothesis import strategies as st

from reviewdesk.ratings.dsr import ScoredTrade
from reviewdesk.ratings.rules import CountingOrder, DsrRules, Rounding, WindowUnit

SHANGHAI = ZoneInfo("Asia/Shanghai")
BASE = dt.datetime(2024, 1, 1, tzinfo=SHANGHAI)
SPAN_DAYS = 150
BUYERS = ("tb_alice", "tb_bob", "tb_carol", "tb_dave")


def local(text: str, tz: ZoneInfo = SHANGHAI) -> dt.datetime:
    """A shop-local time from 'YYYY-MM-DD HH:MM'."""
    return dt.datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=tz)


# Seconds after BASE: anywhere, or within two hours of a local month start (time-zone edge).
_month_starts = [
    int((dt.datetime(2024, m, 1, tzinfo=SHANGHAI) - BASE).total_seconds()) for m in range(2, 6)
]
offsets = st.one_of(
    st.integers(0, SPAN_DAYS * 86_400),
    st.builds(
        lambda start, delta: max(start + delta, 0),
        st.sampled_from(_month_starts),
        st.integers(-7_200, 7_200),
    ),
)
stars = st.one_of(st.none(), st.integers(1, 5))


@st.composite
def scored_trades(draw: st.DrawFn, tid: int) -> ScoredTrade:
    created = BASE + dt.timedelta(seconds=draw(offsets))
    delay = dt.timedelta(seconds=draw(st.integers(0, 40 * 86_400)))
    return ScoredTrade(
        tid=tid,
        buyer=draw(st.sampled_from(BUYERS)),
        trade_created=created,
        rated_at=created + delay,
        alipay=draw(st.sampled_from([True, True, True, False])),
        is_default=draw(st.booleans()),
        desc=draw(stars),
        service=draw(stars),
        logistics=draw(stars),
    )


@st.composite
def trade_lists(draw: st.DrawFn, max_size: int = 40) -> list[ScoredTrade]:
    n = draw(st.integers(0, max_size))
    # Unique tids; occasionally equal creation times to exercise the tie-break.
    trades = [draw(scored_trades(tid=1_000_000_000_000 + i)) for i in range(n)]
    if n >= 2 and draw(st.booleans()):
        a, b = draw(st.integers(0, n - 1)), draw(st.integers(0, n - 1))
        trades[b] = ScoredTrade(
            tid=trades[b].tid,
            buyer=trades[a].buyer,
            trade_created=trades[a].trade_created,
            rated_at=max(trades[b].rated_at, trades[a].trade_created),
            alipay=trades[b].alipay,
            is_default=trades[b].is_default,
            desc=trades[b].desc,
            service=trades[b].service,
            logistics=trades[b].logistics,
        )
    return trades


days = st.dates(dt.date(2024, 1, 1), dt.date(2024, 8, 31))

dsr_rules = st.builds(
    DsrRules,
    window_length=st.sampled_from([180, 30, 7, 1]),
    window_unit=st.sampled_from(list(WindowUnit)),
    per_month_cap=st.integers(1, 4),
    counting_order=st.sampled_from(list(CountingOrder)),
    alipay_only=st.booleans(),
    exclude_default=st.booleans(),
    tz=st.sampled_from(["Asia/Shanghai", "America/New_York", "UTC"]),
    display_decimals=st.integers(0, 3),
    rounding=st.sampled_from(list(Rounding)),
)
