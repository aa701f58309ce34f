"""Background entry points for platform connections (STYLE C7: ids in, one service call).

Schedule (also in docs/operations.md):
- `connections_sync_schedule_task`, every minute: plans the syncs of the coming minute,
  because Huey's periodic grain is one minute while the simulator ticks every
  REVIEWDESK_SIMULATOR_INTERVAL seconds (default 8, so a demo visitor sees cases within seconds).
- `connection_sync_task(connection_id=...)`: one sync; the connection's lease makes duplicates and
  overlaps harmless, so scheduling it generously is safe.
"""

from __future__ import annotations

import logging

from django.conf import settings

from reviewdesk.core.tasks import crontab, periodic_task, task
from reviewdesk.platforms.sync import SyncReport, connection_sync, connections_sync_plan

logger = logging.getLogger(__name__)


@task()
def connection_sync_task(*, connection_id: int, min_interval: float = 0.0) -> SyncReport:
    report = connection_sync(connection_id=connection_id, min_interval=min_interval)
    if report.claimed and (report.pages or report.error):
        log = logger.warning if report.error else logger.info
        log("%s", report.summary())
    return report


@periodic_task(crontab(minute="*"))
def connections_sync_schedule_task() -> int:
    """Enqueue this minute's syncs; returns how many were scheduled."""
    interval = settings.REVIEWDESK_SIMULATOR_INTERVAL
    plan = connections_sync_plan(simulator_interval=interval)
    # Syncs left in the queue by a stopped server run late; half an interval apart at least.
    kwargs = {"min_interval": interval / 2 if interval > 0 else 0.0}
    for connection_id, delay in plan:
        if delay:
            connection_sync_task.schedule(
                kwargs={"connection_id": connection_id, **kwargs}, delay=delay
            )
        else:
            connection_sync_task(connection_id=connection_id, **kwargs)
    return len(plan)
