"""A realistic rating history for shop A, stored through the real services (STYLE C11).

40 buyers over four months: most give 5 stars, a few complain about descriptions; one loyal
buyer orders five times in March (only the first three count), some trades are default-rated,
one is not an Alipay trade. Then a bad week in June for the drop alert.
"""

from __future__ import annotations

import datetime as dt

from reviewdesk.ratings.dsr import ScoredTrade
from reviewdesk.ratings.services import scored_trades_upsert
from reviewdesk.shops.models import Shop
from tests.ratings.strategies import SHANGHAI

TID0 = 3_900_000_000_000_000  # 16-digit Taobao tids


def trade(
    n: int,
    buyer: str,
    created: dt.datetime,
    stars: tuple[int | None, int | None, int | None],
    *,
    delay_days: int = 4,
    alipay: bool = True,
    is_default: bool = False,
) -> ScoredTrade:
    return ScoredTrade(
        tid=TID0 + n,
        buyer=buyer,
        trade_created=created,
        rated_at=created + dt.timedelta(days=delay_days, hours=3),
        alipay=alipay,
        is_default=is_default,
        desc=stars[0],
        service=stars[1],
        logistics=stars[2],
    )


def history() -> list[ScoredTrade]:
    trades: list[ScoredTrade] = []
    n = 0
    for day in range(120):  # 2026-03-01 .. 2026-06-28
        created = dt.datetime(2026, 3, 1, 10, 0, tzinfo=SHANGHAI) + dt.timedelta(days=day)
        n += 1
        stars: tuple[int | None, int | None, int | None] = (5, 5, 5)
        if day % 9 == 0:
            stars = (3, 4, 5)  # 色差 complaints
        if day % 15 == 0:
            stars = (2, 3, 4)
        trades.append(trade(n, f"tb_buyer_{day % 40}", created, stars, is_default=day % 4 == 0))
    # The loyal buyer: five March trades; the 4th and 5th do not count (PLATFORM §9.3 D5).
    for i in range(5):
        n += 1
        created = dt.datetime(2026, 3, 2 + i, 20, 0, tzinfo=SHANGHAI)
        trades.append(trade(n, "tb_loyal", created, (5, 5, 5) if i < 3 else (1, 1, 1)))
    n += 1
    trades.append(
        trade(n, "tb_cash", dt.datetime(2026, 3, 9, 9, 0, tzinfo=SHANGHAI), (1, 1, 1), alipay=False)
    )
    return trades


def bad_week() -> list[ScoredTrade]:
    """Twenty 1-2 star ratings rated 2026-07-01 .. 07-05 (a courier strike)."""
    return [
        trade(
            1000 + i,
            f"tb_angry_{i}",
            dt.datetime(2026, 6, 27, 9, 0, tzinfo=SHANGHAI) + dt.timedelta(hours=6 * i),
            (2, 2, 1),
        )
        for i in range(20)
    ]


def seed(shop: Shop, *, with_bad_week: bool = False) -> list[ScoredTrade]:
    trades = history() + (bad_week() if with_bad_week else [])
    scored_trades_upsert(shop=shop, trades=trades, source="test")
    return trades
