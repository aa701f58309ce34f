"""SimulatorConnector: the demo shop's live platform, behind the same protocol as Taobao's.

The cursor of every stream is a tick sequence number ("0" before the first tick). A fetch from
cursor N returns tick N+1 (generator.tick_events) and `next_cursor = "N+1"`, `has_more=False`:
one tick per sync, so the stream's pace is the sync cadence (REVIEWDESK_SIMULATOR_INTERVAL) and a
server that was off for a day does not flood the queue when it comes back.

Records of tick N are a pure function of (world seed, N); their timestamps are "now" (the time this
connector first produced tick N). Orders of a tick come with reviews rated in the last seconds, so
a visitor sees new cases arrive; earlier neutral/bad reviews get 追评, are revised to 好评 or
deleted a few ticks later, and buyers from the loaded history revise now and then.
"""

from __future__ import annotations

import datetime as dt
import zlib
from typing import ClassVar

from reviewdesk.core import clock
from reviewdesk.platforms.connector import Capability, ConnectionInfo, ConnectorError, Page
from reviewdesk.platforms.records import (
    OrderRecord,
    RefundRecord,
    ReviewGoneRecord,
    ReviewRecord,
    ShipmentRecord,
)
from reviewdesk.platforms.simulator.live import TickEvents, tick_events
from reviewdesk.platforms.simulator.world import World


def default_seed(shop_slug: str) -> int:
    """A stable seed per shop when the connection does not name one."""
    return zlib.crc32(shop_slug.encode("utf-8"))


class SimulatorConnector:
    key: ClassVar[str] = "simulator"
    capabilities: ClassVar[frozenset[Capability]] = frozenset(
        {
            Capability.ORDERS,
            Capability.REVIEWS,
            Capability.GONE_REVIEWS,
            Capability.REFUNDS,
            Capability.LOGISTICS,
        }
    )

    def __init__(self, *, connection: ConnectionInfo) -> None:
        try:
            self.world = World.from_options(
                connection.options, default_seed=default_seed(connection.shop_slug)
            )
        except (TypeError, ValueError) as exc:
            raise ConnectorError(f"bad simulator options: {exc}", permanent=True) from exc
        self._ticks: dict[int, TickEvents] = {}
        self._times: dict[int, dt.datetime] = {}

    def fetch_orders(self, *, cursor: str | None) -> Page[OrderRecord]:
        """Orders of the next tick. Idempotent per cursor; never raises except on a bad cursor."""
        seq = self._next_seq(cursor)
        return Page(self._tick(seq).orders, next_cursor=str(seq), has_more=False)

    def fetch_reviews(self, *, cursor: str | None) -> Page[ReviewRecord]:
        """New reviews of the next tick, and 追评/revisions of earlier ones falling due at it."""
        seq = self._next_seq(cursor)
        return Page(self._tick(seq).reviews, next_cursor=str(seq), has_more=False)

    def fetch_gone_reviews(self, *, cursor: str | None) -> Page[ReviewGoneRecord]:
        """Reviews deleted by their buyers at the next tick."""
        seq = self._next_seq(cursor)
        return Page(self._tick(seq).gone, next_cursor=str(seq), has_more=False)

    def fetch_refunds(self, *, cursor: str | None) -> Page[RefundRecord]:
        """Refund requests filed at the next tick, and later states of earlier ones."""
        seq = self._next_seq(cursor)
        return Page(self._tick(seq).refunds, next_cursor=str(seq), has_more=False)

    def fetch_logistics(self, *, cursor: str | None) -> Page[ShipmentRecord]:
        """Parcels shipped at the next tick, and new trace events of earlier ones."""
        seq = self._next_seq(cursor)
        return Page(self._tick(seq).shipments, next_cursor=str(seq), has_more=False)

    def _next_seq(self, cursor: str | None) -> int:
        if cursor is None or cursor == "":
            return 1
        try:
            current = int(cursor)
        except ValueError:
            message = f"simulator cursor {cursor!r} is not a number"
            raise ConnectorError(message, permanent=True) from None
        if current < 0:
            raise ConnectorError(f"simulator cursor {cursor!r} is negative", permanent=True)
        return current + 1

    def _tick(self, seq: int) -> TickEvents:
        if seq not in self._ticks:
            # One timestamp per tick for this connector's lifetime (one sync), so the orders and
            # the reviews of a tick agree with each other.
            at = self._times.setdefault(seq, clock.now())
            self._ticks[seq] = tick_events(self.world, seq, at)
        return self._ticks[seq]
