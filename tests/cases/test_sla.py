from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from reviewdesk.cases import sla
from reviewdesk.cases.sla import (
    BusinessCalendar,
    FirstContactRule,
    SlaPolicy,
    SlaStateKind,
    WindowPriority,
    add_business_time,
    agreement_status,
    deadlines,
    first_contact_rule,
)
from tests.conftest import at

SH = ZoneInfo("Asia/Shanghai")
WEEKDAYS_9_18 = BusinessCalendar(tz=SH, weekly={d: ((dt.time(9), dt.time(18)),) for d in range(5)})


def test_minor_issue_is_due_fifteen_working_minutes_after_opening() -> None:
    d = deadlines(SlaPolicy(), BusinessCalendar(tz=SH), at("2026-11-20 10:15"))
    assert d.rule is FirstContactRule.IMMEDIATE
    assert d.first_contact_due_at == at("2026-11-20 10:30")
    assert d.first_contact_warning_at == at("2026-11-20 10:27")


def test_a_case_opened_at_night_is_due_fifteen_minutes_after_opening_time() -> None:
    d = deadlines(SlaPolicy(), BusinessCalendar(tz=SH), at("2026-11-20 23:40"))
    assert d.first_contact_due_at == at("2026-11-21 09:15")


def test_friday_evening_rolls_over_the_weekend_and_a_holiday() -> None:
    calendar = BusinessCalendar(
        tz=SH,
        weekly=WEEKDAYS_9_18.weekly,
        overrides={dt.date(2026, 11, 23): ()},  # Monday off
    )
    d = deadlines(SlaPolicy(), calendar, at("2026-11-20 17:55"))
    assert d.first_contact_due_at == at("2026-11-24 09:10")


def test_make_up_working_day_on_a_saturday_counts() -> None:
    calendar = BusinessCalendar(
        tz=SH,
        weekly=WEEKDAYS_9_18.weekly,
        overrides={dt.date(2026, 11, 21): ((dt.time(9), dt.time(18)),)},
    )
    d = deadlines(SlaPolicy(), calendar, at("2026-11-20 17:55"))
    assert d.first_contact_due_at == at("2026-11-21 09:10")


def test_serious_problem_waits_twenty_four_hours_then_two_working_hours() -> None:
    rule = first_contact_rule(
        severity="high",
        risk_flags=[],
        rated_at=at("2026-11-20 10:00"),
        opened_at=at("2026-11-20 10:15"),
    )
    d = deadlines(SlaPolicy(), BusinessCalendar(tz=SH), at("2026-11-20 10:15"), rule=rule)
    assert rule is FirstContactRule.COOL_DOWN
    assert d.contact_not_before == at("2026-11-21 10:15")
    assert d.first_contact_due_at == at("2026-11-21 12:15")


def test_angry_buyer_also_cools_down() -> None:
    rule = first_contact_rule(
        severity="low", risk_flags=["angry"], rated_at=None, opened_at=at("2026-11-20 10:15")
    )
    assert rule is FirstContactRule.COOL_DOWN


def test_old_reviews_get_their_playbooks_by_age() -> None:
    opened = at("2026-11-20 10:15")

    def rule(days: int) -> FirstContactRule:
        return first_contact_rule(
            severity="high",
            risk_flags=[],
            rated_at=opened - dt.timedelta(days=days),
            opened_at=opened,
        )

    assert rule(29) is FirstContactRule.COOL_DOWN
    assert rule(45) is FirstContactRule.OVER_ONE_MONTH
    assert rule(200) is FirstContactRule.OVER_SIX_MONTHS


def test_a_pause_moves_the_due_time_by_the_paused_working_time() -> None:
    opened = at("2026-11-20 10:15")
    paused = [(at("2026-11-20 10:20"), at("2026-11-20 11:20"))]
    d = deadlines(SlaPolicy(), BusinessCalendar(tz=SH), opened, paused)
    assert d.first_contact_due_at == at("2026-11-20 11:30")


def test_an_open_pause_stops_the_clock() -> None:
    opened = at("2026-11-20 10:15")
    d = deadlines(SlaPolicy(), BusinessCalendar(tz=SH), opened, [(at("2026-11-20 10:20"), None)])
    assert d.first_contact_due_at is None
    assert d.resolution_due_at is None


def test_agreement_status_reports_breach_pause_and_fulfilment() -> None:
    d = deadlines(SlaPolicy(), BusinessCalendar(tz=SH), at("2026-11-20 10:15"))
    late = agreement_status(d, None, None, at("2026-11-20 10:31"))
    assert (late.kind, late.first_contact_breached) == (SlaStateKind.FAILED, True)
    ok = agreement_status(d, at("2026-11-20 10:20"), None, at("2026-11-20 10:31"))
    assert ok.kind is SlaStateKind.RESOLUTION_DUE
    assert agreement_status(d, None, None, at("2026-11-20 10:16"), paused=True).kind is (
        SlaStateKind.PAUSED
    )
    done = agreement_status(
        d, at("2026-11-20 10:20"), at("2026-11-21 10:00"), at("2026-11-22 10:00")
    )
    assert done.kind is SlaStateKind.FULFILLED


def test_revision_window_is_thirty_days_on_taobao_and_none_on_tmall() -> None:
    rated = at("2026-11-01 09:00")
    assert sla.revision_window_ends_at(platform="taobao", result="bad", rated_at=rated) == at(
        "2026-12-01 09:00"
    )
    assert sla.revision_window_ends_at(platform="tmall", result="bad", rated_at=rated) is None
    assert sla.revision_window_ends_at(platform="taobao", result="good", rated_at=rated) is None


def test_priority_rises_as_the_window_closes() -> None:
    ends = at("2026-12-01 09:00")
    windows = [
        sla.window_priority(ends, at(t))
        for t in ("2026-11-02 09:00", "2026-11-25 09:00", "2026-11-29 09:00", "2026-12-02 09:00")
    ]
    assert windows == [
        WindowPriority.NORMAL,
        WindowPriority.SOON,
        WindowPriority.URGENT,
        WindowPriority.CLOSED,
    ]
    scores = [sla.case_priority(severity="medium", high_risk=False, window=w) for w in windows[:3]]
    assert scores == sorted(scores)
    assert len(set(scores)) == 3


# --- properties ---------------------------------------------------------------------------------

times = st.integers(min_value=0, max_value=23 * 60 + 59).map(lambda m: dt.time(m // 60, m % 60))


@st.composite
def calendars(draw: st.DrawFn) -> BusinessCalendar:
    weekly: dict[int, sla.Hours] = {}
    for day in range(7):
        if draw(st.booleans()):
            a, b = sorted(draw(st.lists(times, min_size=2, max_size=2, unique=True)))
            weekly[day] = ((a, b),)
    if not weekly:
        weekly[0] = ((dt.time(9), dt.time(18)),)
    return BusinessCalendar(tz=SH, weekly=weekly)


instants = st.integers(min_value=0, max_value=60 * 24 * 60).map(
    lambda m: at("2026-11-01 00:00") + dt.timedelta(minutes=m)
)
durations = st.integers(min_value=1, max_value=60 * 40).map(lambda m: dt.timedelta(minutes=m))


@st.composite
def pauses(draw: st.DrawFn) -> list[sla.Pause]:
    out: list[sla.Pause] = []
    for _ in range(draw(st.integers(0, 3))):
        start = draw(instants)
        out.append((start, start + draw(durations)))
    return out


@settings(max_examples=150, deadline=None)
@given(calendars(), instants, durations)
def test_a_due_time_always_falls_inside_working_hours(
    calendar: BusinessCalendar, start: dt.datetime, duration: dt.timedelta
) -> None:
    due = add_business_time(calendar, start, duration)
    assert due is not None
    assert due > start
    assert calendar.is_working(due)


@settings(max_examples=150, deadline=None)
@given(calendars(), instants, durations, pauses())
def test_pausing_never_makes_a_due_time_earlier(
    calendar: BusinessCalendar, start: dt.datetime, duration: dt.timedelta, paused: list[sla.Pause]
) -> None:
    plain = add_business_time(calendar, start, duration)
    with_pauses = add_business_time(calendar, start, duration, paused)
    assert plain is not None
    assert with_pauses is not None
    assert with_pauses >= plain


@settings(max_examples=150, deadline=None)
@given(calendars(), instants, durations, st.sets(st.integers(0, 90), max_size=10))
def test_adding_holidays_never_makes_a_due_time_earlier(
    calendar: BusinessCalendar, start: dt.datetime, duration: dt.timedelta, offsets: set[int]
) -> None:
    holidays = {dt.date(2026, 11, 1) + dt.timedelta(days=o): () for o in offsets}
    with_holidays = BusinessCalendar(tz=SH, weekly=calendar.weekly, overrides=holidays)
    plain = add_business_time(calendar, start, duration)
    later = add_business_time(with_holidays, start, duration)
    assert plain is not None
    assert later is not None
    assert later >= plain


@settings(max_examples=100, deadline=None)
@given(calendars(), instants, durations, durations)
def test_more_allowance_never_gives_an_earlier_due_time(
    calendar: BusinessCalendar, start: dt.datetime, a: dt.timedelta, b: dt.timedelta
) -> None:
    short, long_ = sorted([a, b])
    first, second = (
        add_business_time(calendar, start, short),
        add_business_time(calendar, start, long_),
    )
    assert first is not None
    assert second is not None
    assert first <= second
