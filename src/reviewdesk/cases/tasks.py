"""Background entry points for cases (STYLE C7): thin, idempotent, safe to run concurrently."""

from __future__ import annotations

import logging

from reviewdesk.cases.services.sla_timers import timers_fire_due
from reviewdesk.core.tasks import crontab, periodic_task

logger = logging.getLogger(__name__)


# Every minute (Huey's finest periodic cadence): the shortest SLA allowance is 15 minutes
# (DOMAIN R1) and warnings fire at 80% of it, so every reminder lands within a minute of its due
# time. A sweep overlapping the previous one is harmless: timers are claimed by a conditional
# UPDATE (and SKIP LOCKED on PostgreSQL), so a timer fires once whatever the number of workers.
@periodic_task(crontab(minute="*"))
def timers_fire_due_task() -> None:
    report = timers_fire_due(limit=500)
    if report.claimed:
        logger.info(
            "case timers: fired %s, skipped %s, failed %s",
            report.fired,
            report.skipped,
            report.failed,
        )
