"""Syncing an installed connection: pages from the stored cursors, ingested exactly once.

`connection_sync(connection_id=...)`:
1. claims the connection with a lease: a conditional UPDATE that moves `last_run_at` to this run's
   start time (the *fence*) and sets `cursors["lease_until"]`; a second worker sees the live lease
   (or loses the conditional update) and returns at once with `claimed=False` (STYLE C7/C8);
2. builds the connector from the row (registry key -> class; `ConnectionInfo`, never the model);
3. for each stream the connector declares (orders, reviews, deleted reviews, refunds, logistics)
   fetches a
   page from the stored cursor and, in ONE transaction, checks the fence and the cursor are still
   ours, ingests the page through platforms.pipeline and stores `next_cursor`. A crash after a
   commit resumes from that cursor; a crash before it leaves neither rows nor cursor, so no page is
   ingested twice or lost (and ingestion is idempotent by platform ids besides);
4. releases the lease and records the error, if any: a permanent ConnectorError disables the
   connection (someone must fix credentials), a temporary one waits for the next scheduled run.

Layout of `ShopConnection.cursors` (a JSON object; only this module writes it after install):
`{"orders": "17", "reviews": "17", "gone_reviews": "17", "refunds": "17", "logistics": "17",
"lease_until": 1764000000.0, "options": {...}}` — per-stream cursors, the lease expiry (epoch
seconds, null when free) and the connector's non-secret options (the simulator's world).
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from reviewdesk.core import clock
from reviewdesk.platforms import pipeline
from reviewdesk.platforms.connector import (
    Capability,
    ConnectionInfo,
    Connector,
    ConnectorError,
    Page,
)
from reviewdesk.platforms.records import (
    OrderRecord,
    RefundRecord,
    ReviewGoneRecord,
    ReviewRecord,
    ShipmentRecord,
)
from reviewdesk.platforms.registry import connector_class
from reviewdesk.shops.models import Shop, ShopConnection

logger = logging.getLogger(__name__)

# A run holds its lease this long after its last commit; a worker that died mid-run blocks the
# connection for at most this long. Each committed page extends it.
LEASE_SECONDS = 120
MAX_PAGES_PER_RUN = 50  # bounds one run; the next scheduled run continues from the cursor
# Orders first, so reviews and refunds of the same page find their order.
STREAMS: tuple[Capability, ...] = (
    Capability.ORDERS,
    Capability.REVIEWS,
    Capability.GONE_REVIEWS,
    Capability.REFUNDS,
    Capability.LOGISTICS,
)
LEASE_KEY = "lease_until"
OPTIONS_KEY = "options"


class LeaseLostError(Exception):
    """Another run claimed the connection (our lease expired) or moved the cursor under us."""


@dataclass
class SyncReport:
    connection_id: int
    claimed: bool = False
    pages: int = 0
    orders: int = 0
    reviews_created: int = 0
    reviews_changed: int = 0
    reviews_gone: int = 0
    refunds_created: int = 0
    refunds_changed: int = 0
    shipments: int = 0
    cases_opened: int = 0
    error: str = ""
    disabled: bool = False
    seconds: float = 0.0

    def summary(self) -> str:
        if not self.claimed:
            return f"connection {self.connection_id}: busy or disabled, skipped"
        text = (
            f"connection {self.connection_id}: {self.pages} pages, {self.orders} orders, "
            f"{self.reviews_created} new reviews, {self.reviews_changed} changed, "
            f"{self.reviews_gone} deleted, {self.refunds_created} new refunds, "
            f"{self.refunds_changed} changed, {self.shipments} shipments, "
            f"{self.cases_opened} cases opened "
            f"in {self.seconds:.2f}s"
        )
        return text + (f"; error: {self.error}" if self.error else "")


def connection_create(
    *, shop: Shop, connector: str, options: Mapping[str, Any] | None = None
) -> ShopConnection:
    """Install a connector for a shop, starting every stream at the beginning. Idempotent: an
    existing installation of the same connector is returned unchanged."""
    connector_class(connector)  # fail early on an unknown key
    connection, _ = ShopConnection.objects.get_or_create(
        shop=shop,
        connector=connector,
        defaults={"cursors": {OPTIONS_KEY: dict(options or {}), LEASE_KEY: None}},
    )
    return connection


def connection_sync(
    *, connection_id: int, max_pages: int = MAX_PAGES_PER_RUN, min_interval: float = 0.0
) -> SyncReport:
    """Fetch and ingest everything new for one connection. Safe to run twice or concurrently:
    the lease makes the second run a no-op and the per-page fence makes a late one harmless.
    A run started less than `min_interval` seconds after the previous one is skipped (queued
    duplicates after a restart do not burst)."""
    started = time.monotonic()
    report = SyncReport(connection_id=connection_id)
    fence = _lease_claim(connection_id, min_interval=min_interval)
    if fence is None:
        return report
    report.claimed = True
    try:
        connection = ShopConnection.objects.select_related("shop").get(pk=connection_id)
        cls = connector_class(connection.connector)
        connector = cls(connection=_info(connection))
        shop = connection.shop
        source = f"sync:{connection.connector}:{connection_id}"
        for stream in STREAMS:
            if stream in cls.capabilities:
                _stream_sync(
                    connector,
                    stream,
                    shop=shop,
                    source=source,
                    fence=fence,
                    report=report,
                    max_pages=max_pages,
                )
    except ConnectorError as exc:
        report.error = str(exc)
        report.disabled = exc.permanent
        logger.warning("sync of connection %s failed: %s", connection_id, exc)
    except LeaseLostError as exc:
        report.error = f"lease lost: {exc}"
        logger.warning("sync of connection %s stopped: %s", connection_id, exc)
    except Exception as exc:
        report.error = f"{type(exc).__name__}: {exc}"
        raise
    finally:
        _lease_release(connection_id, fence, error=report.error, disable=report.disabled)
        report.seconds = time.monotonic() - started
    return report


def _info(connection: ShopConnection) -> ConnectionInfo:
    options = connection.cursors.get(OPTIONS_KEY) or {}
    return ConnectionInfo(
        connection_id=connection.pk,
        shop_slug=connection.shop.slug,
        shop_timezone=connection.shop.timezone,
        app_key=connection.app_key,
        app_secret=connection.app_secret,
        session_key=connection.session_key,
        options=dict(options),
    )


def _fetcher(connector: Connector, stream: Capability) -> Callable[..., Page[Any]]:
    # Looked up by name only for a declared stream: a connector without refunds needs no stub.
    fetch: Callable[..., Page[Any]] = getattr(connector, f"fetch_{stream.value}")
    return fetch


def _stream_sync(
    connector: Connector,
    stream: Capability,
    *,
    shop: Shop,
    source: str,
    fence: dt.datetime,
    report: SyncReport,
    max_pages: int,
) -> None:
    fetch = _fetcher(connector, stream)
    while report.pages < max_pages:
        cursor = _stored_cursor(shop_connection_id=report.connection_id, stream=stream)
        page = fetch(cursor=cursor)
        _page_commit(
            report, stream, shop=shop, source=source, fence=fence, cursor=cursor, page=page
        )
        report.pages += 1
        if not page.has_more or page.next_cursor in (None, cursor):
            return


def _stored_cursor(*, shop_connection_id: int, stream: str) -> str | None:
    cursors = ShopConnection.objects.values_list("cursors", flat=True).get(pk=shop_connection_id)
    value = cursors.get(stream)
    return None if value is None else str(value)


def _page_commit(
    report: SyncReport,
    stream: Capability,
    *,
    shop: Shop,
    source: str,
    fence: dt.datetime,
    cursor: str | None,
    page: Page[Any],
) -> None:
    """Ingest one page and store its cursor in one transaction, if the run still owns the row."""
    with transaction.atomic():
        # The row lock (PostgreSQL) or the IMMEDIATE write lock (SQLite) serialises commits of
        # the same connection; the checks below then see the latest committed state.
        row = (
            ShopConnection.objects.select_for_update()
            .filter(pk=report.connection_id)
            .values("cursors", "last_run_at")
            .get()
        )
        if row["last_run_at"] != fence:
            raise LeaseLostError("another run claimed the connection")
        stored = row["cursors"].get(stream)
        if (None if stored is None else str(stored)) != cursor:
            raise LeaseLostError(f"{stream} cursor moved from {cursor!r} to {stored!r}")
        _ingest(stream, shop, source, page, report)
        cursors = dict(row["cursors"])
        if page.next_cursor is not None:
            cursors[stream] = page.next_cursor
        cursors[LEASE_KEY] = _lease_until(clock.now())
        updated = ShopConnection.objects.filter(pk=report.connection_id, last_run_at=fence).update(
            cursors=cursors
        )
        if updated != 1:
            raise LeaseLostError("another run claimed the connection")


def _ingest(
    stream: Capability, shop: Shop, source: str, page: Page[Any], report: SyncReport
) -> None:
    if not page.records:
        return
    if stream is Capability.ORDERS:
        orders: tuple[OrderRecord, ...] = page.records
        result = pipeline.ingest_orders(shop=shop, records=orders)
        report.orders += result.stats.orders_created + result.stats.orders_updated
    elif stream is Capability.REVIEWS:
        reviews: tuple[ReviewRecord, ...] = page.records
        result = pipeline.ingest_reviews(shop=shop, records=reviews, source=source)
        report.reviews_created += result.stats.created
        report.reviews_changed += result.stats.changed
        report.cases_opened += result.cases_opened
    elif stream is Capability.REFUNDS:
        refunds: tuple[RefundRecord, ...] = page.records
        refunded = pipeline.ingest_refunds(shop=shop, records=refunds, source=source)
        report.refunds_created += refunded.stats.created
        report.refunds_changed += refunded.stats.changed
        report.cases_opened += refunded.cases_opened
    elif stream is Capability.LOGISTICS:
        shipments: tuple[ShipmentRecord, ...] = page.records
        shipped = pipeline.ingest_logistics(shop=shop, records=shipments, source=source)
        report.shipments += shipped.stats.created + shipped.stats.changed
        report.cases_opened += shipped.cases_opened
    else:
        gone: tuple[ReviewGoneRecord, ...] = page.records
        result = pipeline.ingest_gone_reviews(shop=shop, records=gone, source=source)
        report.reviews_gone += len(result.stats.events)


def _lease_until(now: dt.datetime) -> float:
    return now.timestamp() + LEASE_SECONDS


def _lease_claim(connection_id: int, *, min_interval: float = 0.0) -> dt.datetime | None:
    """Claim the connection for one run; returns the fence (the new last_run_at) or None."""
    now = clock.now()
    with transaction.atomic():
        row = (
            ShopConnection.objects.select_for_update()
            .filter(pk=connection_id, is_enabled=True)
            .values("cursors", "last_run_at")
            .first()
        )
        if row is None:
            return None
        lease = row["cursors"].get(LEASE_KEY)
        if lease is not None and float(lease) > now.timestamp():
            return None
        previous: dt.datetime | None = row["last_run_at"]
        if previous is not None and (now - previous).total_seconds() < min_interval:
            return None
        # The fence must differ from the previous value even under a frozen test clock.
        fence = (
            now if previous is None or now > previous else previous + dt.timedelta(microseconds=1)
        )
        cursors = {**row["cursors"], LEASE_KEY: _lease_until(now)}
        # Conditional update (check-and-set on last_run_at): of two claimers that read the same
        # row, only one matches, on every backend, whatever the isolation level.
        claimed = ShopConnection.objects.filter(pk=connection_id, last_run_at=previous).update(
            last_run_at=fence, cursors=cursors
        )
    return fence if claimed == 1 else None


def _lease_release(connection_id: int, fence: dt.datetime, *, error: str, disable: bool) -> None:
    with transaction.atomic():
        row = (
            ShopConnection.objects.select_for_update()
            .filter(pk=connection_id, last_run_at=fence)
            .values("cursors")
            .first()
        )
        if row is None:
            return  # another run owns it now; leave its lease alone
        values: dict[str, Any] = {
            "cursors": {**row["cursors"], LEASE_KEY: None},
            "last_error": error[:2000],
        }
        if disable:
            values["is_enabled"] = False
        ShopConnection.objects.filter(pk=connection_id, last_run_at=fence).update(**values)


def connections_sync_plan(*, simulator_interval: int, window: int = 60) -> list[tuple[int, int]]:
    """(connection id, delay in seconds) pairs covering the next `window` seconds.

    The periodic task runs once a minute (Huey's finest periodic grain) and schedules the syncs
    of that minute: the simulator every `simulator_interval` seconds so the demo feels live (0
    turns it off), every other connector once a minute (platform rate limits; PLATFORM §1).
    """
    plan: list[tuple[int, int]] = []
    rows = ShopConnection.objects.filter(is_enabled=True, shop__is_active=True).values_list(
        "pk", "connector"
    )
    for connection_id, connector in rows.order_by("pk"):
        if connector == "simulator":
            if simulator_interval > 0:
                plan.extend((connection_id, d) for d in range(0, window, simulator_interval))
        else:
            plan.append((connection_id, 0))
    return plan
