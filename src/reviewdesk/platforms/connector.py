"""The Connector protocol every platform adapter implements (STYLE C9).

A connector class is the *descriptor* of a provider: its registry `key` and its `capabilities`.
A `ShopConnection` row is the *installed instance*: credentials, per-stream cursors and options.
`platforms.sync.connection_sync` joins the two: it builds a connector from the row
(`ConnectionInfo`), asks it for pages from the stored cursors and ingests each page through
`platforms.pipeline` in the same transaction that stores the page's `next_cursor`.

Connectors never import models and never write to the database; they turn a platform's payloads
into the normalised records of `platforms.records`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, ClassVar, Generic, Protocol, TypeVar, runtime_checkable

from reviewdesk.platforms.records import (
    OrderRecord,
    RefundRecord,
    ReviewGoneRecord,
    ReviewRecord,
    ShipmentRecord,
)

R = TypeVar("R")


class Capability(StrEnum):
    """What a connector can fetch. `connection_sync` only calls the methods a connector declares."""

    ORDERS = "orders"  # fetch_orders
    REVIEWS = "reviews"  # fetch_reviews
    GONE_REVIEWS = "gone_reviews"  # fetch_gone_reviews: reviews the buyer deleted
    REFUNDS = "refunds"  # fetch_refunds: refund and return requests (DOMAIN 售后类型 退款)
    LOGISTICS = "logistics"  # fetch_logistics: shipments and their trace (DOMAIN 售后类型 物流)


@dataclass(frozen=True, slots=True)
class Page(Generic[R]):
    """One batch of records and where to resume after it.

    `next_cursor` is the opaque position *after* this page; it is stored with the page's rows in
    one transaction, so the next call starts exactly there. `None` means "no position to store"
    (the stored cursor is kept). `has_more` tells the caller another page is ready right now.
    """

    records: tuple[R, ...]
    next_cursor: str | None
    has_more: bool = False


class ConnectorError(Exception):
    """A fetch failed. `permanent=True` (bad credentials, revoked authorisation, a cursor the
    platform refuses) disables the connection until someone fixes it; `permanent=False`
    (timeouts, rate limits, 5xx) is retried by the next scheduled sync from the same cursor."""

    def __init__(self, message: str, *, permanent: bool) -> None:
        super().__init__(message)
        self.message = message
        self.permanent = permanent

    def __str__(self) -> str:
        kind = "permanent" if self.permanent else "temporary"
        return f"{self.message} ({kind})"


@dataclass(frozen=True, slots=True)
class ConnectionInfo:
    """What a connector may know about its installation: never a model instance.

    `options` are non-secret per-installation settings (for the simulator: its world's seed and
    history size); `app_secret` and `session_key` are decrypted only for the connector's use.
    """

    connection_id: int
    shop_slug: str
    shop_timezone: str = "Asia/Shanghai"
    app_key: str = ""
    app_secret: str = field(default="", repr=False)
    session_key: str = field(default="", repr=False)
    options: Mapping[str, Any] = field(default_factory=dict)


@runtime_checkable
class Connector(Protocol):
    """A platform adapter. Construct with `Connector(connection=ConnectionInfo(...))`.

    Every fetch method has the same contract:
    - `cursor` is the value a previous page returned as `next_cursor`, or `None` to start from the
      beginning of what the platform still lists;
    - it is idempotent: the same cursor asked twice describes the same platform objects (record
      contents may reflect newer platform state; ingestion is idempotent by platform ids);
    - it returns records in the order they should be ingested and never blocks for more than one
      platform request per page;
    - it raises `ConnectorError(permanent=...)` for every failure it understands, and nothing
      else on purpose.
    """

    key: ClassVar[str]
    capabilities: ClassVar[frozenset[Capability]]

    def __init__(self, *, connection: ConnectionInfo) -> None: ...

    def fetch_orders(self, *, cursor: str | None) -> Page[OrderRecord]:
        """Orders (with their items and receiver contact) changed after `cursor`."""
        ...

    def fetch_reviews(self, *, cursor: str | None) -> Page[ReviewRecord]:
        """Reviews created or changed (revised, 追评 added, explained) after `cursor`."""
        ...

    def fetch_gone_reviews(self, *, cursor: str | None) -> Page[ReviewGoneRecord]:
        """Reviews the platform no longer lists (deleted by the buyer) after `cursor`."""
        ...

    def fetch_refunds(self, *, cursor: str | None) -> Page[RefundRecord]:
        """Refund and return requests created or changed (status, intervention, timeout) after
        `cursor`. Only called when the connector declares `Capability.REFUNDS`."""
        ...

    def fetch_logistics(self, *, cursor: str | None) -> Page[ShipmentRecord]:
        """Shipments (carrier, tracking number, shipping and ship-by times) and trace events
        new after `cursor`. Only called when the connector declares `Capability.LOGISTICS`."""
        ...
