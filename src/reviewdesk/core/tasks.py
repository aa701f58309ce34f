"""The project's one task decorator over Huey (STYLE C7): every background job goes through here.

`@task()` and `@periodic_task(crontab(...))` wrap huey.contrib.djhuey's `db_task` and
`db_periodic_task` (database connections are closed around each run) and add what every job
needs: a log line with the task's name and duration, and the exception captured with the task's
name before Huey applies the retry policy. Tasks take ids, load rows and call one service; they
must survive being run twice or concurrently (the guard is a database condition).

Schedules: every periodic task of the project is listed in docs/operations.md with the reason for
its cadence.
"""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

__all__ = ["crontab", "periodic_task", "task"]

P = ParamSpec("P")
R = TypeVar("R")

logger = logging.getLogger("reviewdesk.tasks")
SLOW_SECONDS = 30.0  # a task slower than this is logged as a warning


def _instrumented(fn: Callable[P, R], name: str) -> Callable[P, R]:
    @functools.wraps(fn)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        started = time.monotonic()
        logger.debug("task %s started %s", name, kwargs or args)
        try:
            result = fn(*args, **kwargs)
        except Exception:
            logger.exception(
                "task %s failed after %.3fs with %s",
                name,
                time.monotonic() - started,
                kwargs or args,
            )
            raise
        elapsed = time.monotonic() - started
        level = logging.WARNING if elapsed > SLOW_SECONDS else logging.DEBUG
        logger.log(level, "task %s finished in %.3fs", name, elapsed)
        return result

    return run


def _name(fn: Callable[..., Any]) -> str:
    return f"{fn.__module__.removeprefix('reviewdesk.')}.{fn.__name__}"


def task(*, retries: int = 0, retry_delay: int = 0) -> Callable[[Callable[P, R]], Any]:
    """A background task: `my_task(connection_id=1)` enqueues; `.call_local(...)` runs inline."""

    def decorator(fn: Callable[P, R]) -> Any:
        name = _name(fn)
        # Huey names the task module.function itself (functools.wraps keeps both).
        return db_task(retries=retries, retry_delay=retry_delay)(_instrumented(fn, name))

    return decorator


def periodic_task(schedule: Callable[[Any], bool]) -> Callable[[Callable[[], R]], Any]:
    """A task Huey's consumer enqueues when `schedule(now)` is true (checked once a minute)."""

    def decorator(fn: Callable[[], R]) -> Any:
        name = _name(fn)
        return db_periodic_task(schedule)(_instrumented(fn, name))

    return decorator
