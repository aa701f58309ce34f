"""Which agent takes a case: pure rules over candidates the service loads (no Django, no clock).

Order (the issue's wording): leave excluded -> high-risk cases to a supervisor -> skills for the
cause and case kind -> shift hours -> maximum open cases -> least loaded -> round robin. Each rule
that narrowed the field adds a step to the reason, and the timeline records that reason, so "why
did I get this case?" always has an answer.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, replace


@dataclass(frozen=True, slots=True)
class Candidate:
    user_id: int
    username: str
    role: str  # agent | supervisor
    skills: frozenset[tuple[str, str]] = frozenset()  # (cause, kind); "" matches any
    shifts: tuple[tuple[int, dt.time, dt.time], ...] = ()  # (weekday, starts, ends), shop-local
    open_cases: int = 0
    on_leave: bool = False


@dataclass(frozen=True, slots=True)
class RoutingRules:
    max_open_cases: int = 30
    high_risk_to_supervisor: bool = True
    follow_shifts: bool = True


@dataclass(frozen=True, slots=True)
class CaseFacts:
    cause: str = ""
    kind: str = "review"
    high_risk: bool = False
    risk_flags: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Choice:
    user_id: int | None
    rule: str  # the deciding rule: supervisor, skill, least_loaded, round_robin, none
    reason: str  # for people, on the timeline

    @property
    def assigned(self) -> bool:
        return self.user_id is not None


def on_shift(candidate: Candidate, local_now: dt.datetime) -> bool:
    """No shifts means always on. A shift ending at or before its start runs past midnight."""
    if not candidate.shifts:
        return True
    weekday, now_t = local_now.weekday(), local_now.time()
    for day, starts, ends in candidate.shifts:
        if starts < ends:
            if day == weekday and starts <= now_t < ends:
                return True
        elif (day == weekday and now_t >= starts) or ((day + 1) % 7 == weekday and now_t < ends):
            return True
    return False


def _skill_matches(candidate: Candidate, facts: CaseFacts) -> bool:
    return any(
        (cause or kind)
        and cause in ("", facts.cause)
        and kind in ("", facts.kind)
        and (cause == "" or facts.cause != "")
        for cause, kind in candidate.skills
    )


def choose(
    candidates: Sequence[Candidate],
    facts: CaseFacts,
    rules: RoutingRules,
    *,
    local_now: dt.datetime,
    cursor: int,
) -> Choice:
    """Pick one candidate. `candidates` is in the shop's stable order (round robin walks it)."""
    pool = [c for c in candidates if not c.on_leave]
    if not pool:
        return Choice(None, "none", "店铺没有在岗客服，暂未分配")
    steps: list[str] = []
    rule = "round_robin"
    if facts.high_risk and rules.high_risk_to_supervisor:
        supervisors = [c for c in pool if c.role == "supervisor"]
        flags = "、".join(facts.risk_flags) or "高风险"
        if supervisors:
            return _least_loaded(
                supervisors,
                candidates,
                cursor,
                [f"高风险工单（{flags}）交主管处理"],
                "supervisor",
            )
        steps.append(f"高风险工单（{flags}）但店铺没有在岗主管")
    skilled = [c for c in pool if _skill_matches(c, facts)]
    if skilled:
        pool = skilled
        rule = "skill"
        steps.append(f"擅长{facts.cause or facts.kind}")
    if rules.follow_shifts:
        working = [c for c in pool if on_shift(c, local_now)]
        if working and len(working) < len(pool):
            steps.append("当班")
            pool = working
        elif not working:
            steps.append("当前无人当班，按全部客服分配")
    under = [c for c in pool if c.open_cases < rules.max_open_cases]
    if not under:
        steps.append(f"所有候选客服都已有 {rules.max_open_cases} 个在办工单，等待主管分配")
        return Choice(None, "none", "；".join(steps))
    if len(under) < len(pool):
        steps.append(f"未满 {rules.max_open_cases} 单")
    return _least_loaded(under, candidates, cursor, steps, rule)


def _least_loaded(
    pool: Sequence[Candidate],
    ordered: Sequence[Candidate],
    cursor: int,
    steps: list[str],
    rule: str,
) -> Choice:
    least = min(c.open_cases for c in pool)
    tied = {c.user_id for c in pool if c.open_cases == least}
    if len(tied) < len(pool):
        steps.append(f"在办工单最少（{least}）")
        rule = "least_loaded" if rule == "round_robin" else rule
    n = len(ordered)
    for offset in range(n):
        picked = ordered[(cursor + offset) % n]
        if picked.user_id in tied:
            if len(tied) > 1:
                steps.append("同等条件下轮流分配")
            name = picked.username
            return Choice(picked.user_id, rule, f"分配给 {name}：" + "；".join(steps))
    # Supervisors passed in `pool` are always in `ordered`; this is unreachable.
    raise AssertionError("tied candidate missing from the ordered list")  # pragma: no cover


def with_one_more_case(candidates: Sequence[Candidate], user_id: int) -> list[Candidate]:
    """The candidates after `user_id` took a case (so a batch balances as it goes)."""
    return [
        replace(c, open_cases=c.open_cases + 1) if c.user_id == user_id else c for c in candidates
    ]
