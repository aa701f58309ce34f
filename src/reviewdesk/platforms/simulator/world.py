"""The simulated shop's world: its seed, its history's size and end, and the plans it yields.

Everything the simulator produces is a pure function of a `World` and an index (history order i,
live tick N), drawn from private random streams (`rng_for`), so tests, replays and the live
connector's cursor all see the same shop.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from reviewdesk.platforms.records import OrderRecord, RefundRecord, ReviewRecord

# Id spaces: history and live orders never collide; a single-item order's oid equals its tid as
# on Taobao; sub-orders of multi-item orders get their own 16-digit ids.
_ID_SPACE = 10**12
_ID_MULT = 982_451_653  # prime, coprime with 10**12: a bijection, so ids never repeat
HISTORY_TID, HISTORY_OID, LIVE_TID, LIVE_OID = 3028, 3029, 3041, 3042
REFUND_ID = 1172  # 退款编号 look like 117203946195812401 (EXPORTS §3)


def rng_for(*parts: object) -> random.Random:
    """A private random stream for one thing (an order, a tick, a buyer): pure in its parts."""
    return random.Random(":".join(str(p) for p in parts))  # noqa: S311 - simulation, not secrets


@dataclass(frozen=True, slots=True)
class World:
    seed: int
    history_orders: int = 0
    history_days: int = 200
    anchor: dt.datetime | None = None  # end of the history (when `demo load` ran), aware

    def options(self) -> dict[str, Any]:
        """JSON-safe form, stored with the shop's connection so the live stream knows its past."""
        return {
            "seed": self.seed,
            "history_orders": self.history_orders,
            "history_days": self.history_days,
            "anchor": self.anchor.isoformat() if self.anchor else None,
        }

    @classmethod
    def from_options(cls, options: Mapping[str, Any], *, default_seed: int) -> World:
        anchor = options.get("anchor")
        return cls(
            seed=int(options.get("seed", default_seed)),
            history_orders=int(options.get("history_orders", 0)),
            history_days=int(options.get("history_days", 200)),
            anchor=dt.datetime.fromisoformat(anchor) if anchor else None,
        )

    @property
    def buyer_pool(self) -> int:
        return max(500, int(2.5 * max(self.history_orders, 500)))


@dataclass(frozen=True, slots=True)
class ReviewPlan:
    """One item's review as first observed, and what happens to it later (if anything)."""

    first: ReviewRecord
    cause: str | None = None  # main cause of a negative, or of a 好评's hidden complaint
    threat: bool = False
    hidden_complaint: bool = False
    followup: ReviewRecord | None = None  # the review as seen after its 追评
    revision: ReviewRecord | None = None  # revised to 好评 (PLATFORM L5)
    revised_at: dt.datetime | None = None
    deleted_at: dt.datetime | None = None

    def is_negative(self) -> bool:
        return self.first.result != "good"


@dataclass(frozen=True, slots=True)
class RefundStep:
    """The request as the platform shows it from `after` (since it was filed) on."""

    after: dt.timedelta
    record: RefundRecord


@dataclass(frozen=True, slots=True)
class RefundPlan:
    """One refund or return request's life: filed (step 0), then its later states."""

    steps: tuple[RefundStep, ...]
    cause: str = ""  # the review cause it goes with ("" for a change of mind)

    @property
    def refund_id(self) -> int:
        return self.steps[0].record.refund_id


@dataclass(frozen=True, slots=True)
class OrderPlan:
    index: int
    buyer_index: int
    order: OrderRecord
    reviews: tuple[ReviewPlan, ...] = ()
    angry_all_items: bool = False
    refund: RefundPlan | None = None
    # When the seller shipped and when the buyer had the parcel (交易成功 for a finished order);
    # None when the order never shipped. The parcel's trace is built on these (logistics.py).
    shipped_at: dt.datetime | None = None
    received_at: dt.datetime | None = None


def scrambled(seed: int, x: int) -> int:
    return (x * _ID_MULT + seed * 7_777_777 + 12_345) % _ID_SPACE


def platform_id(prefix: int, seed: int, x: int) -> int:
    return prefix * _ID_SPACE + scrambled(seed, x)
