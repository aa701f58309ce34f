from __future__ import annotations

import datetime as dt

from reviewdesk.cases.routing import Candidate, CaseFacts, RoutingRules, choose, on_shift
from tests.conftest import at

FRIDAY_10 = at("2026-11-20 10:15")
SUP = Candidate(1, "supervisor", "supervisor")
A = Candidate(2, "agent_a", "agent")
A2 = Candidate(3, "agent_a2", "agent")


def test_ties_rotate_in_membership_order() -> None:
    picks = [
        choose([SUP, A, A2], CaseFacts(), RoutingRules(), local_now=FRIDAY_10, cursor=c)
        for c in range(4)
    ]
    assert [p.user_id for p in picks] == [1, 2, 3, 1]
    assert picks[0].rule == "round_robin"


def test_least_loaded_wins_before_round_robin() -> None:
    busy = Candidate(2, "agent_a", "agent", open_cases=5)
    choice = choose([busy, A2], CaseFacts(), RoutingRules(), local_now=FRIDAY_10, cursor=0)
    assert choice.user_id == 3
    assert "在办工单最少（0）" in choice.reason


def test_skill_for_the_cause_narrows_the_field() -> None:
    logistics = Candidate(
        3, "agent_a2", "agent", skills=frozenset({("logistics", "")}), open_cases=4
    )
    choice = choose(
        [A, logistics], CaseFacts(cause="logistics"), RoutingRules(), local_now=FRIDAY_10, cursor=0
    )
    assert (choice.user_id, choice.rule) == (3, "skill")
    assert "擅长logistics" in choice.reason


def test_agents_off_shift_are_skipped() -> None:
    night = Candidate(2, "agent_a", "agent", shifts=((4, dt.time(18), dt.time(2)),))
    day = Candidate(3, "agent_a2", "agent", shifts=((4, dt.time(9), dt.time(18)),))
    choice = choose([night, day], CaseFacts(), RoutingRules(), local_now=FRIDAY_10, cursor=0)
    assert choice.user_id == 3
    assert "当班" in choice.reason


def test_overnight_shift_covers_the_small_hours_of_the_next_day() -> None:
    night = Candidate(2, "agent_a", "agent", shifts=((4, dt.time(18), dt.time(2)),))
    assert on_shift(night, at("2026-11-21 01:30"))
    assert not on_shift(night, at("2026-11-21 02:30"))


def test_full_agents_leave_the_case_for_the_supervisor() -> None:
    full = [
        Candidate(2, "agent_a", "agent", open_cases=2),
        Candidate(3, "agent_a2", "agent", open_cases=2),
    ]
    choice = choose(
        full, CaseFacts(), RoutingRules(max_open_cases=2), local_now=FRIDAY_10, cursor=0
    )
    assert choice.user_id is None
    assert "2 个在办工单" in choice.reason


def test_high_risk_goes_to_a_supervisor_even_when_busy() -> None:
    busy_sup = Candidate(1, "supervisor", "supervisor", open_cases=40)
    facts = CaseFacts(high_risk=True, risk_flags=("extortion",))
    choice = choose([busy_sup, A, A2], facts, RoutingRules(), local_now=FRIDAY_10, cursor=1)
    assert (choice.user_id, choice.rule) == (1, "supervisor")
    assert "extortion" in choice.reason


def test_high_risk_to_supervisor_can_be_turned_off() -> None:
    facts = CaseFacts(high_risk=True, risk_flags=("extortion",))
    rules = RoutingRules(high_risk_to_supervisor=False)
    assert choose([SUP, A, A2], facts, rules, local_now=FRIDAY_10, cursor=1).user_id == 2


def test_agents_on_leave_never_get_cases() -> None:
    away = Candidate(2, "agent_a", "agent", on_leave=True)
    picks = {
        choose([away, A2], CaseFacts(), RoutingRules(), local_now=FRIDAY_10, cursor=c).user_id
        for c in range(3)
    }
    assert picks == {3}
