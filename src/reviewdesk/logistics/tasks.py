"""Background entry points for logistics (STYLE C7): thin, idempotent, safe to run twice."""

from __future__ import annotations

import logging

from reviewdesk.core.tasks import crontab, periodic_task, task
from reviewdesk.logistics.checks import shipments_check
from reviewdesk.shops.models import Shop

logger = logging.getLogger(__name__)


@task()
def shipments_check_task(shop_id: int) -> None:
    shop = Shop.objects.filter(pk=shop_id, is_active=True).first()
    if shop is None:
        return
    report = shipments_check(shop=shop)
    if report.cases_opened:
        logger.info("logistics re-check of %s: %s cases opened", shop.slug, report.cases_opened)


# Every 10 minutes: thresholds are hours (24 h without a scan, 48 h without an event), so a
# parcel's case opens within 10 minutes of its threshold; one task per shop keeps runs short,
# and the unique (shipment, sub-type) constraint makes overlapping runs harmless.
@periodic_task(crontab(minute="*/10"))
def shipments_check_schedule_task() -> None:
    for shop_id in Shop.objects.filter(is_active=True).values_list("pk", flat=True):
        shipments_check_task(shop_id)
