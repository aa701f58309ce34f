"""A refund's first contact is never after the platform's timeout (sla.deadlines_not_after)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from reviewdesk.cases.sla import (
    BusinessCalendar,
    FirstContactRule,
    SlaPolicy,
    deadlines,
    deadlines_not_after,
    first_contact_rule,
)
from tests.conftest import at

SH = ZoneInfo("Asia/Shanghai")
WEEKDAYS_9_18 = BusinessCalendar(tz=SH, weekly={d: ((dt.time(9), dt.time(18)),) for d in range(5)})


def test_refunds_are_contacted_at_once_whatever_their_weight() -> None:
    rule = first_contact_rule(
        severity="high",
        risk_flags=["complaint_threat"],
        rated_at=None,
        opened_at=at("2026-11-20 10:00"),
        kind="refund",
    )
    assert rule is FirstContactRule.IMMEDIATE


def test_friday_night_request_timing_out_saturday_is_due_before_the_timeout() -> None:
    opened = at("2026-11-20 20:00")  # Friday; the next working minute is Monday 09:00
    timeout = at("2026-11-21 12:00")
    d = deadlines_not_after(
        deadlines(SlaPolicy(), WEEKDAYS_9_18, opened), not_after=timeout, opened_at=opened
    )
    assert d.first_contact_due_at == timeout
    assert d.first_contact_warning_at == at("2026-11-21 08:48")
    assert d.resolution_due_at is not None
    assert d.resolution_due_at >= timeout


def test_a_timeout_already_past_means_contact_now() -> None:
    opened = at("2026-11-20 10:00")
    d = deadlines_not_after(
        deadlines(SlaPolicy(), WEEKDAYS_9_18, opened),
        not_after=at("2026-11-19 10:00"),
        opened_at=opened,
    )
    assert d.first_contact_due_at == opened


def test_a_later_timeout_changes_nothing() -> None:
    opened = at("2026-11-20 10:00")
    d = deadlines(SlaPolicy(), WEEKDAYS_9_18, opened)
    later = deadlines_not_after(d, not_after=at("2026-11-22 10:00"), opened_at=opened)
    assert later == d


_instants = st.datetimes(
    min_value=dt.datetime(2026, 1, 1),  # noqa: DTZ001 - made aware below
    max_value=dt.datetime(2027, 12, 31),  # noqa: DTZ001
).map(lambda d: d.replace(tzinfo=SH))


@given(
    opened=_instants,
    offset_minutes=st.integers(min_value=-3 * 24 * 60, max_value=10 * 24 * 60),
    rule=st.sampled_from(list(FirstContactRule)),
)
def test_first_contact_never_after_the_timeout(
    opened: dt.datetime, offset_minutes: int, rule: FirstContactRule
) -> None:
    timeout = opened + dt.timedelta(minutes=offset_minutes)
    base = deadlines(SlaPolicy(), WEEKDAYS_9_18, opened, rule=rule)
    d = deadlines_not_after(base, not_after=timeout, opened_at=opened)
    assert d.first_contact_due_at is not None
    assert opened <= d.first_contact_due_at <= max(timeout, opened)
    assert base.first_contact_due_at is None or d.first_contact_due_at <= base.first_contact_due_at
    assert d.first_contact_warning_at is not None
    assert d.first_contact_warning_at <= d.first_contact_due_at
    assert d.contact_not_before is None or d.contact_not_before <= d.first_contact_due_at
    assert d.resolution_due_at is None or d.resolution_due_at >= d.first_contact_due_at
