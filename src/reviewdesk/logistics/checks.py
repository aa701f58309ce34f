"""The periodic re-check: parcels that went quiet open their case without any new event.

`rules.problems` is evaluated against the current time, so a parcel whose scan never came (or
whose trace stopped) shows its problem only when the clock passes the threshold. This sweep reads
the unsigned parcels of the last `HORIZON` by index (partial index `shipment_unsigned`) and hands
them to `cases_apply_logistics`, whose unique constraint makes overlapping sweeps harmless.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q

from reviewdesk.cases.services.logistics import cases_apply_logistics
from reviewdesk.core import clock
from reviewdesk.logistics.models import DONE_ORDER_STATUSES, Shipment
from reviewdesk.shops.models import Shop

# Parcels older than this are history (a trade auto-confirms after 10-15 days on Taobao).
HORIZON = dt.timedelta(days=30)


@dataclass
class CheckReport:
    shipments: int = 0
    cases_opened: int = 0


def shipments_check(*, shop: Shop, now: dt.datetime | None = None) -> CheckReport:
    """Re-evaluate the shop's parcels still on their way (or not yet shipped) at `now`."""
    now = now or clock.now()
    since = now - HORIZON
    ids = list(
        Shipment.objects.filter(shop=shop, signed_at__isnull=True, offline=False)
        .filter(
            Q(consigned_at__gte=since)
            | Q(consigned_at__isnull=True, ship_by_at__gte=since)
            | Q(consigned_at__isnull=True, ship_by_at__isnull=True, last_event_at__gte=since)
        )
        .exclude(order__status__in=DONE_ORDER_STATUSES)
        .values_list("id", flat=True)
    )
    # Offline parcels only ever raise "late" (their trace proves nothing, PLATFORM §6.3).
    ids += list(
        Shipment.objects.filter(
            shop=shop, offline=True, consigned_at__isnull=True, ship_by_at__gte=since
        )
        .exclude(order__status__in=DONE_ORDER_STATUSES)
        .values_list("id", flat=True)
    )
    with transaction.atomic():
        opened = cases_apply_logistics(shop=shop, shipment_ids=ids, at=now)
    return CheckReport(shipments=len(ids), cases_opened=len(opened))
