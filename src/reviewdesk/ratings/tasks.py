"""Background entry points for ratings (STYLE C7): thin, idempotent, safe to run twice."""

from __future__ import annotations

import logging

from reviewdesk.core.tasks import crontab, periodic_task, task
from reviewdesk.ratings.services import dsr_snapshot_compute
from reviewdesk.shops.models import Shop

logger = logging.getLogger(__name__)


@task()
def dsr_snapshot_compute_task(shop_id: int) -> None:
    shop = Shop.objects.filter(pk=shop_id, is_active=True).first()
    if shop is None:
        return
    outcome = dsr_snapshot_compute(shop=shop)
    if outcome.alerts:
        logger.info("dsr alerts for %s: %s", shop.slug, len(outcome.alerts))


# Hourly rather than once at midnight: a snapshot rewrites the same day's row (idempotent), so
# the day's DSR and its alerts follow the scores imported during the day, and a worker that was
# down at midnight still takes the day's snapshot. Each shop is a task of its own, so one shop's
# failure does not stop the others.
@periodic_task(crontab(minute="7"))
def dsr_snapshots_task() -> None:
    for shop_id in Shop.objects.filter(is_active=True).values_list("id", flat=True):
        dsr_snapshot_compute_task(shop_id)
