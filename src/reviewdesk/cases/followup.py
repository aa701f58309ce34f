"""Next channel after a failed contact (DOMAIN R4) and the light follow-up plan (R8). Pure.

Compliance (DOMAIN): nothing here asks the buyer to revise; the plan is about the buyer's problem
and the relationship, and a test checks every step text with compliance.solicits_revision.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

# R2: phone is most effective; R4: when one does not work, use another.
CHANNEL_ORDER = ("phone", "im", "sms", "message")
CHANNEL_LABELS = {"phone": "电话", "im": "旺旺/千牛", "sms": "短信", "message": "站内信"}
FAILED_OUTCOMES = frozenset({"no_answer", "refused"})


@dataclass(frozen=True, slots=True)
class Suggestion:
    channel: str | None  # None: nothing to do now
    wait: dt.timedelta  # how long to leave the buyer before that contact
    reason: str


def next_channel(history: Sequence[tuple[str, str]]) -> Suggestion:  # noqa: PLR0911
    """The next contact given (channel, outcome) attempts, oldest first."""
    if not history:
        return Suggestion(
            "phone", dt.timedelta(0), "首次联系：问题不大时第一时间打电话最有效（R1、R2）"
        )
    channel, outcome = history[-1]
    if outcome == "solved":
        return Suggestion(None, dt.timedelta(0), "问题已解决：询问买家是否满意后可结案（R13）")
    if outcome == "offered_revise":
        return Suggestion(
            None,
            dt.timedelta(0),
            "买家已主动提出：如买家询问操作方法可发送说明；不要打电话催促（R5、R6）",
        )
    if outcome == "call_back":
        return Suggestion(channel, dt.timedelta(0), "买家约了回访：请约定到分钟的时间（R4）")
    if outcome == "talked":
        return Suggestion(channel, dt.timedelta(days=1), "保持轻松友好的联系，按跟进计划继续（R8）")
    streak: list[str] = []
    for ch, out in reversed(history):
        if out not in FAILED_OUTCOMES:
            break
        streak.append(ch)
    untried = [ch for ch in CHANNEL_ORDER if ch not in streak]
    if outcome == "refused":
        light = [ch for ch in ("im", "message") if ch in untried] or ["im"]
        return Suggestion(
            light[0],
            dt.timedelta(days=1),
            f"买家拒绝沟通：隔一天用{CHANNEL_LABELS[light[0]]}轻松问候，不要强求（R8）",
        )
    if untried:
        nxt = untried[0]
        return Suggestion(
            nxt,
            dt.timedelta(0),
            f"{CHANNEL_LABELS[channel]}没有联系上：换{CHANNEL_LABELS[nxt]}试试（R4）",
        )
    return Suggestion(
        "im", dt.timedelta(days=1), "各渠道都未联系上：明天买家旺旺上线时再联系，不要放弃（R8）"
    )


@dataclass(frozen=True, slots=True)
class PlanStep:
    step: int
    day: int  # days after the first contact
    text: str


# About a week of light, friendly contact (R8), about the buyer's problem, never the review.
FOLLOW_UP_PLAN: tuple[PlanStep, ...] = (
    PlanStep(1, 1, "换一个渠道轻松问候，确认问题的处理进度（退换货、补发、退款是否到位）"),
    PlanStep(2, 3, "友好关心买家的使用情况，可介绍新品或店铺活动；不谈评价"),
    PlanStep(3, 5, "确认承诺的事项都已办好：退货地址、运费退还、处理时限（R14）"),
    PlanStep(4, 7, "询问买家对处理是否满意；仍无回应时请主管决定是否发布解释（R9）"),
)


def plan_due_times(first_contact_at: dt.datetime) -> list[tuple[PlanStep, dt.datetime]]:
    """Each step at the same time of day, N days later (the service moves it into work hours)."""
    return [(s, first_contact_at + dt.timedelta(days=s.day)) for s in FOLLOW_UP_PLAN]
