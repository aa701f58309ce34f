"""Pure SLA maths (STYLE C8): business hours, holidays, pauses and the first-contact rules.

Nothing here reads the clock or the database: the calendar, the policy, the pauses and `now` are
passed in, so hypothesis can check the properties (a due time falls in working hours; pausing or
adding holidays never makes a due time earlier) and services stay thin.

Rules (DOMAIN.md):
- R1/R2 minor issue: first contact at once, i.e. within `first_contact_minutes` of working time.
- R2 serious problem or angry buyer: let 24 hours pass (wall clock), then contact within
  `after_cool_down_minutes` of working time.
- R3 old reviews: over 1 month and over 6 months get their own playbooks and a relaxed first
  contact (the buyer's emotions have settled; hurrying gains nothing).
- The resolution clock (R8: many cases need several contacts over about a week) counts working
  minutes from opening. Both clocks stop while the case waits on the buyer or a third party.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from zoneinfo import ZoneInfo

Hours = tuple[tuple[dt.time, dt.time], ...]
Interval = tuple[dt.datetime, dt.datetime]
# A pause that has not ended yet has end None: the clock is stopped from then on.
Pause = tuple[dt.datetime, dt.datetime | None]

DEFAULT_HOURS: Hours = ((dt.time(9, 0), dt.time(21, 0)),)
# How far ahead to look for working time before concluding the calendar has none.
_MAX_SCAN_DAYS = 800
OVER_ONE_MONTH = dt.timedelta(days=30)
OVER_SIX_MONTHS = dt.timedelta(days=180)
SERIOUS_FLAGS = frozenset({"angry", "complaint_threat"})
AFTER_SALE_KINDS = frozenset({"refund", "return"})
# Contacted at once whatever the weight: refunds (the platform's timer runs) and logistics (DOMAIN
# Prevention: a delayed parcel is answered with an apology, a courier check and an update).
IMMEDIATE_KINDS = AFTER_SALE_KINDS | {"logistics"}


@dataclass(frozen=True, slots=True)
class BusinessCalendar:
    """Working hours per weekday (0 = Monday) and dated overrides, in shop-local time.

    An override replaces the weekday's hours for that date: `()` is a holiday, and hours on a
    weekend date are a make-up working day (调休). An interval ending at 00:00 ends at midnight.
    """

    tz: dt.tzinfo = field(default_factory=lambda: ZoneInfo("Asia/Shanghai"))
    weekly: Mapping[int, Hours] = field(
        default_factory=lambda: dict.fromkeys(range(7), DEFAULT_HOURS)
    )
    overrides: Mapping[dt.date, Hours] = field(default_factory=dict)

    def hours_on(self, day: dt.date) -> Hours:
        if day in self.overrides:
            return self.overrides[day]
        return self.weekly.get(day.weekday(), ())

    def intervals_from(self, start: dt.datetime) -> Iterator[Interval]:
        """Working intervals (aware, UTC) that end after `start`, clipped to start, in order."""
        day = start.astimezone(self.tz).date()
        empty_days = 0
        while empty_days < _MAX_SCAN_DAYS:
            found = False
            for opens, closes in sorted(self.hours_on(day)):
                begin = _local(day, opens, self.tz)
                end = _local(
                    day + dt.timedelta(days=1) if closes == dt.time(0) else day, closes, self.tz
                )
                if end <= begin or end <= start:
                    continue
                found = True
                yield max(begin, start), end
            empty_days = 0 if found else empty_days + 1
            day += dt.timedelta(days=1)
        raise ValueError("the calendar has no working time in the next 800 days")

    def is_working(self, instant: dt.datetime) -> bool:
        """True when `instant` lies in a working interval (its closing instant included)."""
        probe = instant - dt.timedelta(microseconds=1)
        for begin, end in self.intervals_from(probe):
            return begin <= instant <= end
        return False  # pragma: no cover - intervals_from never ends without raising


def _local(day: dt.date, at: dt.time, tz: dt.tzinfo) -> dt.datetime:
    return dt.datetime.combine(day, at, tzinfo=tz).astimezone(dt.UTC)


def _counting(
    calendar: BusinessCalendar, start: dt.datetime, pauses: Sequence[Pause]
) -> Iterator[Interval]:
    """Working time after `start` minus the paused intervals: the time the clock runs."""
    ordered = sorted(pauses, key=lambda p: p[0])
    for begin, end in calendar.intervals_from(start):
        pieces = [(begin, end)]
        for p_start, p_end in ordered:
            next_pieces: list[Interval] = []
            for a, b in pieces:
                if (p_end is not None and p_end <= a) or p_start >= b:
                    next_pieces.append((a, b))
                    continue
                if p_start > a:
                    next_pieces.append((a, p_start))
                if p_end is not None and p_end < b:
                    next_pieces.append((p_end, b))
            pieces = next_pieces
        yield from (piece for piece in pieces if piece[1] > piece[0])
        if any(p_end is None and p_start <= end for p_start, p_end in ordered):
            return  # stopped for good: no deadline until the pause ends


def add_business_time(
    calendar: BusinessCalendar,
    start: dt.datetime,
    duration: dt.timedelta,
    pauses: Sequence[Pause] = (),
) -> dt.datetime | None:
    """The instant when `duration` of running clock has passed after `start`.

    A zero duration gives the first running instant (now, or the next opening). None while an
    open-ended pause stops the clock before the duration is used up.
    """
    remaining = duration
    for begin, end in _counting(calendar, start, pauses):
        if remaining <= end - begin:
            return begin + remaining
        remaining -= end - begin
    return None


class FirstContactRule(StrEnum):
    IMMEDIATE = "immediate"  # R1/R2 minor: at once
    COOL_DOWN = "cool_down"  # R2 serious or angry: 24 hours first
    OVER_ONE_MONTH = "over_1_month"  # R3
    OVER_SIX_MONTHS = "over_6_months"  # R3: only future cooperation, never the old experience


@dataclass(frozen=True, slots=True)
class SlaPolicy:
    first_contact_minutes: int = 15
    cool_down_hours: int = 24
    after_cool_down_minutes: int = 120
    over_one_month_minutes: int = 480  # about one working day
    over_six_months_minutes: int = 1440  # about two working days: wait for an occasion
    resolution_minutes: int = 7 * 12 * 60  # R8: about a week of the default 09:00-21:00 days
    warning_percent: int = 80  # warn when this share of the allowance is used


def first_contact_rule(
    *,
    severity: str,
    risk_flags: Sequence[str],
    rated_at: dt.datetime | None,
    opened_at: dt.datetime,
    kind: str = "review",
) -> FirstContactRule:
    """Which DOMAIN rule sets the first contact: age first (R3), then weight (R2).

    A refund or return request is contacted at once whatever its weight (DOMAIN 售后类型 退款:
    "watch refund requests continuously and contact the buyer"): the platform's timeout runs
    and does not wait for an R2 cool-down.
    """
    if kind in IMMEDIATE_KINDS:
        return FirstContactRule.IMMEDIATE
    if rated_at is not None:
        age = opened_at - rated_at
        if age > OVER_SIX_MONTHS:
            return FirstContactRule.OVER_SIX_MONTHS
        if age > OVER_ONE_MONTH:
            return FirstContactRule.OVER_ONE_MONTH
    if severity == "high" or SERIOUS_FLAGS.intersection(risk_flags):
        return FirstContactRule.COOL_DOWN
    return FirstContactRule.IMMEDIATE


@dataclass(frozen=True, slots=True)
class Deadlines:
    rule: FirstContactRule
    contact_not_before: dt.datetime | None  # the R2 cool-down ends here
    first_contact_warning_at: dt.datetime | None
    first_contact_due_at: dt.datetime | None
    resolution_warning_at: dt.datetime | None
    resolution_due_at: dt.datetime | None


def _first_contact_allowance(policy: SlaPolicy, rule: FirstContactRule) -> dt.timedelta:
    minutes = {
        FirstContactRule.IMMEDIATE: policy.first_contact_minutes,
        FirstContactRule.COOL_DOWN: policy.after_cool_down_minutes,
        FirstContactRule.OVER_ONE_MONTH: policy.over_one_month_minutes,
        FirstContactRule.OVER_SIX_MONTHS: policy.over_six_months_minutes,
    }[rule]
    return dt.timedelta(minutes=minutes)


def _warn_and_due(
    calendar: BusinessCalendar,
    start: dt.datetime,
    allowance: dt.timedelta,
    warning_percent: int,
    pauses: Sequence[Pause],
) -> tuple[dt.datetime | None, dt.datetime | None]:
    due = add_business_time(calendar, start, allowance, pauses)
    warn = add_business_time(calendar, start, allowance * warning_percent / 100, pauses)
    return warn, due


def deadlines(
    policy: SlaPolicy,
    calendar: BusinessCalendar,
    opened_at: dt.datetime,
    paused_intervals: Sequence[Pause] = (),
    *,
    rule: FirstContactRule = FirstContactRule.IMMEDIATE,
) -> Deadlines:
    """Due times for a case opened at `opened_at` under `rule`, with the clock stopped in pauses."""
    not_before = None
    start = opened_at
    if rule is FirstContactRule.COOL_DOWN:
        not_before = opened_at + dt.timedelta(hours=policy.cool_down_hours)
        start = not_before
    fc_warn, fc_due = _warn_and_due(
        calendar,
        start,
        _first_contact_allowance(policy, rule),
        policy.warning_percent,
        paused_intervals,
    )
    res_warn, res_due = _warn_and_due(
        calendar,
        opened_at,
        dt.timedelta(minutes=policy.resolution_minutes),
        policy.warning_percent,
        paused_intervals,
    )
    if res_due is not None and fc_due is not None and res_due < fc_due:
        res_due = fc_due  # a cool-down never leaves less time to resolve than to first contact
    return Deadlines(rule, not_before, fc_warn, fc_due, res_warn, res_due)


def deadlines_not_after(
    deadlines: Deadlines,
    *,
    not_after: dt.datetime | None,
    opened_at: dt.datetime,
    warning_percent: int = 80,
) -> Deadlines:
    """The same deadlines with the first contact due no later than `not_after` (a refund's
    超时时间: after it the platform acts on its own, so contacting later is contacting too late).

    A deadline already past at opening becomes the opening instant (contact at once); the
    warning and a cool-down never fall after the due time; resolution is never before it.
    """
    if not_after is None:
        return deadlines
    cap = max(not_after, opened_at)
    due = deadlines.first_contact_due_at
    if due is not None and due <= cap:
        return deadlines
    warn = deadlines.first_contact_warning_at
    if warn is None or warn > cap:
        warn = opened_at + (cap - opened_at) * warning_percent / 100
    not_before = deadlines.contact_not_before
    if not_before is not None and not_before > cap:
        not_before = None
    resolution = deadlines.resolution_due_at
    if resolution is not None and resolution < cap:
        resolution = cap
    return replace(
        deadlines,
        contact_not_before=not_before,
        first_contact_warning_at=warn,
        first_contact_due_at=cap,
        resolution_due_at=resolution,
    )


class SlaStateKind(StrEnum):
    FIRST_CONTACT_DUE = "first_contact_due"
    RESOLUTION_DUE = "resolution_due"
    PAUSED = "paused"
    FAILED = "failed"
    FULFILLED = "fulfilled"


@dataclass(frozen=True, slots=True)
class SlaState:
    kind: SlaStateKind
    due_at: dt.datetime | None  # the deadline that matters now
    remaining: dt.timedelta | None  # negative when overdue
    first_contact_breached: bool
    resolution_breached: bool


def agreement_status(
    deadlines: Deadlines,
    first_contact_at: dt.datetime | None,
    resolved_at: dt.datetime | None,
    now: dt.datetime,
    *,
    paused: bool = False,
) -> SlaState:
    """Where the case stands against its deadlines (frappe's vocabulary, STYLE C8)."""
    fc_due, res_due = deadlines.first_contact_due_at, deadlines.resolution_due_at
    fc_breached = fc_due is not None and (first_contact_at or now) > fc_due
    res_breached = res_due is not None and (resolved_at or now) > res_due
    if resolved_at is not None:
        kind = SlaStateKind.FAILED if fc_breached or res_breached else SlaStateKind.FULFILLED
        return SlaState(kind, None, None, fc_breached, res_breached)
    due = fc_due if first_contact_at is None else res_due
    if paused:
        kind = SlaStateKind.PAUSED
    elif fc_breached or res_breached:
        kind = SlaStateKind.FAILED
    elif first_contact_at is None:
        kind = SlaStateKind.FIRST_CONTACT_DUE
    else:
        kind = SlaStateKind.RESOLUTION_DUE
    remaining = None if due is None or paused else due - now
    return SlaState(kind, due, remaining, fc_breached, res_breached)


def calendar_from_rows(
    *,
    tz_name: str,
    weekly_rows: Sequence[tuple[int, dt.time, dt.time]],
    day_rows: Sequence[tuple[dt.date, dt.time | None, dt.time | None]],
) -> BusinessCalendar:
    """Build a calendar from stored rows; no weekly rows means the default every-day hours.

    A day row with no times is a holiday; with times it replaces that date's hours (调休).
    """
    weekly: dict[int, Hours]
    if weekly_rows:
        weekly = {}
        for weekday, opens, closes in weekly_rows:
            weekly[weekday] = (*weekly.get(weekday, ()), (opens, closes))
    else:
        weekly = dict.fromkeys(range(7), DEFAULT_HOURS)
    overrides: dict[dt.date, Hours] = {}
    for day, day_opens, day_closes in day_rows:
        if day_opens is None or day_closes is None:
            overrides.setdefault(day, ())
        else:
            overrides[day] = (*overrides.get(day, ()), (day_opens, day_closes))
    return BusinessCalendar(tz=ZoneInfo(tz_name), weekly=weekly, overrides=overrides)


# --- the platform's modification window (PLATFORM §9.1 L5) ----------------------------------------

REVISION_WINDOW = dt.timedelta(days=30)


class WindowPriority(StrEnum):
    URGENT = "urgent"  # 3 days or less left
    SOON = "soon"  # 10 days or less left
    NORMAL = "normal"
    CLOSED = "closed"  # the window has passed: the review can no longer change
    NONE = "none"  # no window (Tmall: ratings cannot be modified, L6)


def revision_window_ends_at(
    *, platform: str, result: str, rated_at: dt.datetime
) -> dt.datetime | None:
    """L5: 30 days after a neutral/bad rating on Taobao; Tmall ratings cannot be modified (L6)."""
    if platform == "tmall" or result not in {"neutral", "bad"}:
        return None
    return rated_at + REVISION_WINDOW


def window_priority(ends_at: dt.datetime | None, now: dt.datetime) -> WindowPriority:
    if ends_at is None:
        return WindowPriority.NONE
    left = ends_at - now
    if left <= dt.timedelta(0):
        return WindowPriority.CLOSED
    if left <= dt.timedelta(days=3):
        return WindowPriority.URGENT
    if left <= dt.timedelta(days=10):
        return WindowPriority.SOON
    return WindowPriority.NORMAL


def case_priority(*, severity: str, high_risk: bool, window: WindowPriority) -> int:
    """0-100, higher first. A window about to close raises priority: after it, nothing changes."""
    score = {"high": 40, "medium": 25, "low": 10}.get(severity, 20)
    if high_risk:
        score += 20
    score += {
        WindowPriority.URGENT: 40,
        WindowPriority.SOON: 20,
        WindowPriority.NORMAL: 5,
        WindowPriority.CLOSED: 0,
        WindowPriority.NONE: 0,
    }[window]
    return min(score, 100)
