from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from reviewdesk.cases import workflow
from reviewdesk.cases.guards import GUARDS, guard_for
from reviewdesk.cases.workflow import (
    FINAL_STATUSES,
    OPEN_STATUSES,
    TRANSITIONS,
    WAITING_STATUSES,
    Status,
)

statuses = st.sampled_from(list(Status))


def test_every_state_is_open_or_final_and_waiting_states_are_open() -> None:
    assert set(Status) == OPEN_STATUSES | FINAL_STATUSES
    assert not OPEN_STATUSES & FINAL_STATUSES
    assert WAITING_STATUSES <= OPEN_STATUSES


def test_every_open_state_can_reach_closed_and_every_state_is_reachable_from_new() -> None:
    reachable = {Status.NEW}
    frontier = [Status.NEW]
    while frontier:
        source = frontier.pop()
        for t in TRANSITIONS:
            if t.source is source and t.target not in reachable:
                reachable.add(t.target)
                frontier.append(t.target)
    assert reachable == set(Status)
    assert all(workflow.can_transition(s, Status.CLOSED) for s in OPEN_STATUSES)


def test_every_transition_names_an_action_and_a_registered_guard() -> None:
    for t in TRANSITIONS:
        assert t.action is not None
        assert t.guard is None or t.guard in GUARDS


def test_every_guard_in_the_registry_imports() -> None:
    for name in GUARDS:
        assert callable(guard_for(name))


@given(statuses, statuses)
def test_transition_lookup_agrees_with_the_table(source: Status, target: Status) -> None:
    in_table = any(t.source is source and t.target is target for t in TRANSITIONS)
    assert workflow.can_transition(source, target) is in_table


@given(statuses)
def test_closed_is_terminal_and_only_final_states_reopen(source: Status) -> None:
    targets = {t.target for t in TRANSITIONS if t.source is source}
    if source is Status.CLOSED:
        assert targets == set()
    if source in FINAL_STATUSES and source is not Status.CLOSED:
        assert Status.CONTACTING in targets


def test_resolving_is_guarded_by_required_steps() -> None:
    guards = {t.guard for t in TRANSITIONS if t.target is Status.RESOLVED}
    assert guards == {"required_steps_done_or_reason"}
