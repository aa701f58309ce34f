"""Who takes a case: routing on creation, manual assignment, leave and overload (routing.py rules).

The round-robin cursor is `Shop.assignment_counter`, advanced with F() by the size of the batch so
concurrent openers never reuse a position; the load counts are read once per batch and updated in
memory as the batch is assigned, so a 7-case batch balances like 7 single openings.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import Count, F, Q

from reviewdesk.cases import routing
from reviewdesk.cases.errors import CaseError, CaseErrorCode
from reviewdesk.cases.models import AgentLeave, AgentSkill, Case, CaseEventKind, Shift
from reviewdesk.cases.services.notifications import notifications_create
from reviewdesk.cases.services.policy import shop_routing_rules
from reviewdesk.cases.services.timeline import event_add
from reviewdesk.cases.workflow import OPEN_STATUSES
from reviewdesk.core import clock
from reviewdesk.shops.models import Membership, Role, Shop
from reviewdesk.shops.selectors import Actor, actor_has_role, shop_agents


def shop_candidates(*, shop: Shop, now: dt.datetime) -> list[routing.Candidate]:
    """The shop's agents and supervisors with skills, shifts, open load and leave, in order."""
    memberships = list(shop_agents(shop=shop))
    ids = [m.pk for m in memberships]
    skills: dict[int, set[tuple[str, str]]] = defaultdict(set)
    for mid, cause, kind in AgentSkill.objects.filter(membership_id__in=ids).values_list(
        "membership_id", "cause", "kind"
    ):
        skills[mid].add((cause, kind))
    shifts: dict[int, list[tuple[int, dt.time, dt.time]]] = defaultdict(list)
    for mid, weekday, starts, ends in Shift.objects.filter(membership_id__in=ids).values_list(
        "membership_id", "weekday", "starts", "ends"
    ):
        shifts[mid].append((weekday, starts, ends))
    on_leave = set(
        AgentLeave.objects.filter(membership_id__in=ids, starts_at__lte=now)
        .filter(Q(ends_at__isnull=True) | Q(ends_at__gt=now))
        .values_list("membership_id", flat=True)
    )
    loads = dict(
        Case.objects.filter(shop=shop, status__in=[s.value for s in OPEN_STATUSES])
        .exclude(assignee__isnull=True)
        .values_list("assignee_id")
        .annotate(n=Count("id"))
        .values_list("assignee_id", "n")
    )
    return [
        routing.Candidate(
            user_id=m.user_id,
            username=m.user.get_username(),
            role=m.role,
            skills=frozenset(skills[m.pk]),
            shifts=tuple(shifts[m.pk]),
            open_cases=int(loads.get(m.user_id, 0)),
            on_leave=m.pk in on_leave,
        )
        for m in memberships
    ]


def _reserve_cursor(*, shop: Shop, count: int) -> int:
    Shop.objects.filter(pk=shop.pk).update(assignment_counter=F("assignment_counter") + count)
    end = Shop.objects.values_list("assignment_counter", flat=True).get(pk=shop.pk)
    return int(end) - count


def route_batch(
    *, shop: Shop, facts: Sequence[routing.CaseFacts], now: dt.datetime
) -> list[routing.Choice]:
    """One routing choice per case, in order; the load of each pick counts for the next."""
    if not facts:
        return []
    candidates = shop_candidates(shop=shop, now=now)
    rules = shop_routing_rules(shop=shop)
    local_now = now.astimezone(ZoneInfo(shop.timezone))
    start = _reserve_cursor(shop=shop, count=len(facts)) if candidates else 0
    choices = []
    for i, fact in enumerate(facts):
        choice = routing.choose(candidates, fact, rules, local_now=local_now, cursor=start + i)
        if choice.user_id is not None:
            candidates = routing.with_one_more_case(candidates, choice.user_id)
        choices.append(choice)
    return choices


def case_facts(case: Case) -> routing.CaseFacts:
    return routing.CaseFacts(
        cause=case.cause,
        kind=case.kind,
        high_risk=case.is_high_risk(),
        risk_flags=tuple(case.risk_flags or []),
    )


def _require_supervisor(actor: Actor, shop: Shop) -> None:
    if not actor_has_role(actor=actor, shop=shop, role=Role.SUPERVISOR):
        raise CaseError(CaseErrorCode.NOT_ALLOWED, "only a supervisor may reassign cases")


def case_assign(*, actor: Actor, case: Case, assignee_id: int | None, reason: str) -> Case:
    """A supervisor's manual (re)assignment; the reason goes on the timeline."""
    _require_supervisor(actor, case.shop)
    if not reason.strip():
        raise CaseError(CaseErrorCode.REASON_REQUIRED, "say why the case is reassigned")
    if (
        assignee_id is not None
        and not shop_agents(shop=case.shop).filter(user_id=assignee_id).exists()
    ):
        raise CaseError(CaseErrorCode.NO_AGENT, f"user {assignee_id} does not take cases here")
    now = clock.now()
    with transaction.atomic():
        previous = case.assignee_id
        Case.objects.filter(pk=case.pk).update(assignee_id=assignee_id, updated_at=now)
        case.assignee_id = assignee_id
        event_add(
            case=case,
            kind=CaseEventKind.ASSIGNED,
            at=now,
            actor=actor,
            message=reason,
            data={"assignee_id": assignee_id, "from": previous, "rule": "manual"},
        )
        if assignee_id is not None:
            notifications_create(
                user_ids=[assignee_id],
                case=case,
                kind="assigned",
                message=f"工单 #{case.pk} 已转给你：{reason}",
                at=now,
            )
    return case


def cases_reroute(*, cases: Sequence[Case], now: dt.datetime, why: str, actor: Actor | None) -> int:
    """Route `cases` again (their current assignee must already be excluded) and record why."""
    if not cases:
        return 0
    shop = cases[0].shop
    choices = route_batch(shop=shop, facts=[case_facts(c) for c in cases], now=now)
    moved = 0
    for case, choice in zip(cases, choices, strict=True):
        previous = case.assignee_id
        Case.objects.filter(pk=case.pk).update(assignee_id=choice.user_id, updated_at=now)
        case.assignee_id = choice.user_id
        moved += 1
        event_add(
            case=case,
            kind=CaseEventKind.ASSIGNED,
            at=now,
            actor=actor,
            message=f"{why}；{choice.reason}",
            data={"assignee_id": choice.user_id, "from": previous, "rule": choice.rule},
        )
        if choice.user_id is not None:
            notifications_create(
                user_ids=[choice.user_id],
                case=case,
                kind="assigned",
                message=f"工单 #{case.pk} 转给你：{why}",
                at=now,
            )
    return moved


def case_reassign_for_leave(
    *,
    membership: Membership,
    actor: Actor | None = None,
    until: dt.datetime | None = None,
    reason: str = "休假",
) -> int:
    """Record the agent's leave and move their open cases to others; returns how many moved."""
    now = clock.now()
    with transaction.atomic():
        AgentLeave.objects.create(
            membership=membership, starts_at=now, ends_at=until, reason=reason
        )
        cases = list(
            Case.objects.open()
            .filter(shop_id=membership.shop_id, assignee_id=membership.user_id)
            .select_related("shop")
            .order_by("-priority", "opened_at", "id")
        )
        name = membership.user.get_username()
        return cases_reroute(cases=cases, now=now, why=f"原负责人 {name} {reason}", actor=actor)


def cases_rebalance_overload(*, shop: Shop, actor: Actor | None = None) -> int:
    """Move the newest open cases of agents above the shop's maximum to agents with room."""
    now = clock.now()
    rules = shop_routing_rules(shop=shop)
    with transaction.atomic():
        excess: list[Case] = []
        for candidate in shop_candidates(shop=shop, now=now):
            over = candidate.open_cases - rules.max_open_cases
            if over > 0:
                excess.extend(
                    Case.objects.open()
                    .filter(shop=shop, assignee_id=candidate.user_id)
                    .select_related("shop")
                    .order_by("-opened_at", "-id")[:over]
                )
        if not excess:
            return 0
        # Unassign first, so the overloaded agents' counts drop before routing again.
        Case.objects.filter(pk__in=[c.pk for c in excess]).update(assignee_id=None)
        return cases_reroute(
            cases=excess,
            now=now,
            why=f"原负责人在办工单超过 {rules.max_open_cases} 个",
            actor=actor,
        )
