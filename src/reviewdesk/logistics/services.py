"""Idempotent, set-based ingestion of shipment records (the same contract as aftersales.services).

The caller owns the transaction (platforms.pipeline.ingest_logistics). Unique keys make a replay
change nothing: (shop, tid) for the shipment, (shipment, at, action, description) for each trace
event. An empty value in a record means "not in this source", never "erase".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from reviewdesk.cases.services.settings import bounded_ints_check, require_owner
from reviewdesk.core import clock
from reviewdesk.core.bulk import insert_rows, update_column
from reviewdesk.logistics import rules
from reviewdesk.logistics.models import LogisticsPolicy, Shipment, TraceEvent
from reviewdesk.platforms.records import ShipmentRecord
from reviewdesk.reviews.models import Order
from reviewdesk.reviews.services import buyer_ids_ensure, order_ids_ensure
from reviewdesk.shops.models import Shop
from reviewdesk.shops.selectors import Actor

_FIELDS = ("carrier", "tracking_no", "consigned_at", "ship_by_at", "offline")
_LIMITS = {"carrier": 64, "tracking_no": 64}


@dataclass
class ShipmentIngestStats:
    created: int = 0
    changed: int = 0
    unchanged: int = 0
    trace_added: int = 0
    # Shipments that are new or changed (fields or trace): the case layer evaluates these.
    touched: list[int] = field(default_factory=list)


def _values(rec: ShipmentRecord) -> dict[str, Any]:
    values: dict[str, Any] = {name: getattr(rec, name) for name in _FIELDS}
    for name, limit in _LIMITS.items():
        values[name] = values[name][:limit]
    return values


def _known(value: object) -> bool:
    return value is not None and value != ""


def shipment_records_ingest(
    *, shop: Shop, records: Sequence[ShipmentRecord], observed_at: dt.datetime | None = None
) -> ShipmentIngestStats:
    """Upsert one batch of shipments and their trace. Returns counts and the touched ids."""
    observed_at = observed_at or clock.now()
    stats = ShipmentIngestStats()
    by_tid: dict[int, list[ShipmentRecord]] = {}
    for rec in records:
        by_tid.setdefault(rec.tid, []).append(rec)
    if not by_tid:
        return stats
    buyer_ids = buyer_ids_ensure(shop=shop, nicks=(r.buyer_nick for r in records))
    order_ids = order_ids_ensure(
        shop=shop,
        buyer_of_tid={tid: recs[-1].buyer_nick for tid, recs in by_tid.items()},
        buyer_ids=buyer_ids,
    )
    order_buyers = dict(
        Order.objects.filter(id__in=order_ids.values()).values_list("id", "buyer_id")
    )
    stored = {s.tid: s for s in Shipment.objects.filter(shop=shop, tid__in=by_tid)}
    new_rows: list[dict[str, Any]] = []
    updates: dict[str, dict[int, Any]] = {}
    touched_tids: set[int] = set()
    for tid, recs in by_tid.items():
        values: dict[str, Any] = {}
        for rec in recs:  # later records win, known values only
            values.update({k: v for k, v in _values(rec).items() if _known(v)})
        order_id = order_ids[tid]
        nick = next((r.buyer_nick for r in reversed(recs) if r.buyer_nick), "")
        links = {
            "order_id": order_id,
            "buyer_id": buyer_ids.get(nick) or order_buyers.get(order_id),
        }
        current = stored.get(tid)
        if current is None:
            new_rows.append(
                {
                    "shop_id": shop.pk,
                    "tid": tid,
                    **links,
                    **values,
                    "offline": bool(values.get("offline")),
                    "traced": any(r.traced for r in recs),
                }
            )
            touched_tids.add(tid)
            continue
        if any(r.traced for r in recs) and not current.traced:
            values["traced"] = True  # sticky: a file import never clears it
        changed = [
            name
            for name, value in [*values.items(), *links.items()]
            if _known(value) and getattr(current, name) != value
        ]
        if changed:
            stats.changed += 1
            touched_tids.add(tid)
            for name in (*changed, "updated_at"):
                value = observed_at if name == "updated_at" else {**values, **links}[name]
                updates.setdefault(name, {})[current.pk] = value
        else:
            stats.unchanged += 1
    if new_rows:
        insert_rows(Shipment, new_rows)
        stats.created = len(new_rows)
    for name, column in updates.items():
        update_column(Shipment, name, column)
    ids = dict(Shipment.objects.filter(shop=shop, tid__in=by_tid).values_list("tid", "id"))
    stats.trace_added, traced = _trace_add(ids, by_tid)
    touched_tids |= traced
    stats.touched = sorted(ids[tid] for tid in touched_tids)
    _denormalise(stats.touched)
    return stats


def _trace_add(
    ids: dict[int, int], by_tid: dict[int, list[ShipmentRecord]]
) -> tuple[int, set[int]]:
    """Insert the trace events not stored yet; (count, tids that got new events)."""
    wanted = {
        (ids[tid], p.at, rules.action_of(p.action).value, p.description[:255]): tid
        for tid, recs in by_tid.items()
        for rec in recs
        for p in rec.trace
    }
    if not wanted:
        return 0, set()
    have = set(
        TraceEvent.objects.filter(shipment_id__in={k[0] for k in wanted}).values_list(
            "shipment_id", "at", "action", "description"
        )
    )
    missing = [k for k in wanted if k not in have]
    insert_rows(
        TraceEvent,
        ({"shipment_id": s, "at": a, "action": act, "description": d} for s, a, act, d in missing),
        ignore_conflicts=True,
    )
    return len(missing), {wanted[k] for k in missing}


def _denormalise(shipment_ids: Sequence[int]) -> None:
    """Refresh `signed_at` and `last_event_at` from the trace (rules.signed_at decides)."""
    if not shipment_ids:
        return
    shipments = Shipment.objects.filter(pk__in=shipment_ids).prefetch_related("trace")
    signed: dict[int, Any] = {}
    last: dict[int, Any] = {}
    for shipment in shipments:
        trace = list(shipment.trace.all())
        signed[shipment.pk] = rules.signed_at(shipment.parcel(trace))
        last[shipment.pk] = max((t.at for t in trace), default=None)
    update_column(Shipment, "signed_at", signed)
    update_column(Shipment, "last_event_at", last)


def shipments_mark_not_received(*, shop: Shop, tids: Sequence[int]) -> list[int]:
    """The buyers of these orders say the parcel never arrived (a refund reason 未收到货, or
    the agent heard it). Returns the shipments that changed; the caller re-evaluates them."""
    qs = Shipment.objects.filter(shop=shop, tid__in=list(tids), buyer_says_not_received=False)
    ids = list(qs.values_list("id", flat=True))
    Shipment.objects.filter(pk__in=ids).update(buyer_says_not_received=True)
    return ids


def shipment_report_not_received(*, actor: Actor, shipment: Shipment) -> int:
    """An agent records that the buyer says a signed parcel never arrived: opens the
    签收未收到 case (once). Returns the number of cases opened."""
    from reviewdesk.cases.services.logistics import cases_apply_logistics

    with transaction.atomic():
        changed = shipments_mark_not_received(shop=shipment.shop, tids=[shipment.tid])
        opened = cases_apply_logistics(shop=shipment.shop, shipment_ids=changed)
    return len(opened)


# Hours a shop may set for each threshold (logistics.rules.Thresholds): at least an hour, at most
# a month (a parcel quiet for longer is long lost).
POLICY_BOUNDS: dict[str, tuple[int, int]] = {
    "no_trace_hours": (1, 30 * 24),
    "collect_hours": (1, 30 * 24),
    "stall_hours": (1, 30 * 24),
}


def logistics_policy_update(*, actor: Actor, shop: Shop, values: dict[str, int]) -> LogisticsPolicy:
    """The owner sets when a quiet parcel becomes a case; fields not in `values` keep their value.
    Parcels are judged by the new thresholds at their next check (ingestion or the re-check)."""
    require_owner(actor, shop)
    bounded_ints_check(values, POLICY_BOUNDS, what="a logistics setting")
    with transaction.atomic():
        row, _ = LogisticsPolicy.objects.select_for_update().get_or_create(shop=shop)
        for name, value in values.items():
            setattr(row, name, value)
        row.save()
    return row
