"""The logistics rules as tables and properties (logistics/rules.py, DOMAIN 售后类型 物流)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reviewdesk.logistics.rules import (
    Action,
    Parcel,
    SubType,
    Thresholds,
    TracePoint,
    action_of,
    is_delivered,
    next_check_at,
    problems,
)

T0 = dt.datetime(2026, 11, 20, 10, 0, tzinfo=dt.UTC)
H = dt.timedelta(hours=1)
LIMITS = Thresholds()


def p(hours: float, action: Action) -> TracePoint:
    return TracePoint(T0 + hours * H, action)


TRANSIT = (p(0, Action.CONSIGN), p(2, Action.GOT), p(6, Action.ARRIVAL), p(9, Action.DEPARTURE))


@pytest.mark.parametrize(
    ("_case", "parcel", "now_hours", "expected"),
    [
        ("moving normally", Parcel("7501", T0, trace=TRANSIT), 20, set()),
        ("stalled 48 h after the last event", Parcel("7501", T0, trace=TRANSIT), 57, {"stalled"}),
        ("not yet 48 h", Parcel("7501", T0, trace=TRANSIT), 56.9, set()),
        ("lost at once", Parcel("7501", T0, trace=(*TRANSIT, p(10, Action.LOST))), 10, {"stalled"}),
        (
            "failed at once",
            Parcel("7501", T0, trace=(*TRANSIT, p(10, Action.FAILED))),
            10,
            {"stalled"},
        ),
        ("signed is fine", Parcel("7501", T0, trace=(*TRANSIT, p(30, Action.SIGNED))), 200, set()),
        (
            "consigned, no scan 24 h",
            Parcel("7501", T0, trace=(p(0, Action.CONSIGN),)),
            24,
            {"not_collected"},
        ),
        ("consigned, no scan 23 h", Parcel("7501", T0, trace=(p(0, Action.CONSIGN),)), 23, set()),
        ("waybill, no trace 24 h", Parcel("7501", T0), 24, {"not_shipped"}),
        (
            "printed waybill only",
            Parcel("", None, trace=(p(0, Action.CREATE),)),
            30,
            {"not_shipped"},
        ),
        ("no waybill, no promise", Parcel(), 500, set()),
        ("ship-by passed, not shipped", Parcel(ship_by_at=T0), 1, {"late_shipment"}),
        ("ship-by not yet", Parcel(ship_by_at=T0), -1, set()),
        ("shipped late", Parcel("7501", T0 + 2 * H, T0, trace=TRANSIT), 20, {"late_shipment"}),
        (
            "signed, buyer says not received",
            Parcel(
                "7501", T0, trace=(*TRANSIT, p(30, Action.SIGNED)), buyer_says_not_received=True
            ),
            40,
            {"signed_not_received"},
        ),
        (
            "offline: signed at once proves nothing, no trace rule",
            Parcel(
                "7501", T0, offline=True, trace=(p(0, Action.SIGNED),), buyer_says_not_received=True
            ),
            500,
            set(),
        ),
        (
            "offline shipped late still counts",
            Parcel("7501", T0 + H, T0, offline=True),
            5,
            {"late_shipment"},
        ),
    ],
)
def test_problems(_case: str, parcel: Parcel, now_hours: float, expected: set[str]) -> None:
    assert {s.value for s in problems(parcel, LIMITS, T0 + now_hours * H)} == expected


def test_an_offline_parcel_is_never_delivered() -> None:
    assert not is_delivered(Parcel("7501", T0, offline=True, trace=(p(0, Action.SIGNED),)))
    assert is_delivered(Parcel("7501", T0, trace=(p(0, Action.SIGNED),)))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("GOT", Action.GOT),
        ("signed", Action.SIGNED),
        (" SENT_SCAN ", Action.SENT_SCAN),
        ("派件", Action.OTHER),
    ],
)
def test_action_of(text: str, expected: Action) -> None:
    assert action_of(text) is expected


def test_shop_thresholds_apply() -> None:
    parcel = Parcel("7501", T0, trace=TRANSIT)
    assert problems(parcel, Thresholds(stall_hours=12), T0 + 21 * H) == {SubType.STALLED}
    assert problems(parcel, LIMITS, T0 + 21 * H) == frozenset()


_hours = st.floats(min_value=0, max_value=400, allow_nan=False)
_actions = st.sampled_from(
    [a for a in Action if a not in (Action.SIGNED, Action.LOST, Action.FAILED)]
)


@given(
    offsets=st.lists(_hours, min_size=1, max_size=8),
    actions=st.lists(_actions, min_size=8, max_size=8),
    now=_hours,
    later=st.floats(min_value=0, max_value=400, allow_nan=False),
)
def test_a_problem_found_now_is_still_there_later_without_news(
    offsets: list[float], actions: list[Action], now: float, later: float
) -> None:
    """Time alone never clears a problem: only a new event (or a signature) does."""
    trace = tuple(p(o, a) for o, a in zip(offsets, actions, strict=False))
    parcel = Parcel("7501", T0, ship_by_at=T0 + 12 * H, trace=trace)
    start = T0 + max([now, *offsets]) * H
    assert problems(parcel, LIMITS, start) <= problems(parcel, LIMITS, start + later * H)


@given(
    offsets=st.lists(_hours, min_size=0, max_size=8),
    actions=st.lists(_actions, min_size=8, max_size=8),
    now=_hours,
)
def test_nothing_new_appears_before_the_next_check(
    offsets: list[float], actions: list[Action], now: float
) -> None:
    """The re-check time is safe: between the last event and `next_check_at` nothing new shows."""
    trace = tuple(p(o, a) for o, a in zip(offsets, actions, strict=False))
    parcel = Parcel("7501", T0, ship_by_at=T0 + 12 * H, trace=trace)
    start = T0 + max([0.0, *offsets]) * H
    due = next_check_at(parcel, LIMITS)
    at = start + now * H
    if due is not None and at < due:
        assert problems(parcel, LIMITS, at) == problems(parcel, LIMITS, start)


@given(hours=st.integers(min_value=1, max_value=200), extra=_hours)
def test_a_longer_threshold_never_finds_a_stall_earlier(hours: int, extra: float) -> None:
    parcel = Parcel("7501", T0, trace=TRANSIT)
    now = T0 + (9 + extra) * H
    if SubType.STALLED in problems(parcel, Thresholds(stall_hours=hours + 1), now):
        assert SubType.STALLED in problems(parcel, Thresholds(stall_hours=hours), now)
