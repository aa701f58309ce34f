"""The project task decorator: timing and failure logs carry the task's name."""

from __future__ import annotations

import logging

import pytest
from huey.exceptions import TaskException

from reviewdesk.core.tasks import task


@task()
def _double_task(*, value: int) -> int:
    if value < 0:
        raise ValueError("negative")
    return value * 2


def test_runs_and_logs_its_duration(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="reviewdesk.tasks")
    assert _double_task(value=21).get() == 42
    assert "task tests.core.test_tasks._double_task finished in" in caplog.text


def test_failures_are_logged_with_the_task_name(caplog: pytest.LogCaptureFixture) -> None:
    with pytest.raises(TaskException):
        _double_task(value=-1).get()
    failures = [r for r in caplog.records if "failed after" in r.getMessage()]
    assert len(failures) == 1
    assert "tests.core.test_tasks._double_task" in failures[0].getMessage()
    assert failures[0].exc_info is not None


def test_call_local_runs_inline() -> None:
    assert _double_task.call_local(value=2) == 4
