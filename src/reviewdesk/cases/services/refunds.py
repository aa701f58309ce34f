"""Opening, updating and closing refund and return cases from what refund ingestion observed.

Set-based and inside the caller's transaction, like review cases (opening.py, whose
`cases_open` they share): a new request in an open state opens one case (the unique constraint
`case_one_case_per_refund` makes a replay harmless), linked with the review cases of the same
buyer and order and routed, with SLA deadlines whose first contact is never after the platform's
超时时间. Later states of the request move the case (aftersales.rules.case_update): a refusal
raises it, a platform intervention flags it and hands it to a supervisor, success and closing
close it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from reviewdesk.aftersales import rules
from reviewdesk.aftersales.events import RefundEvent
from reviewdesk.aftersales.models import Refund
from reviewdesk.cases import sla
from reviewdesk.cases.models import Case, CaseEvent, CaseEventKind, Severity
from reviewdesk.cases.services.assignment import cases_reroute
from reviewdesk.cases.services.notifications import shop_supervisor_ids
from reviewdesk.cases.services.opening import (
    OpenedNote,
    case_close_fields,
    cases_close_observed,
    cases_open,
    link_key,
)
from reviewdesk.cases.workflow import Outcome, Status
from reviewdesk.core import clock
from reviewdesk.core.bulk import insert_instances
from reviewdesk.shops.models import Shop
from reviewdesk.triage.services import triage_classify_batch
from reviewdesk.triage.types import TriageResult

# Triage flags that carry over from the buyer's description onto a refund case.
_TEXT_FLAGS = frozenset({"extortion", "complaint_threat", "professional_reviewer"})


def cases_apply_refund_events(
    *, shop: Shop, events: Sequence[RefundEvent], at: dt.datetime | None = None
) -> list[Case]:
    """Open, update or close refund/return cases for what ingestion observed. Returns the
    opened cases. Idempotent: events come only from real changes, and one case per refund."""
    at = at or clock.now()
    if not events:
        return []
    refunds = Refund.objects.select_related("order").in_bulk([e.refund_id for e in events])
    existing = {
        c.refund_id: c
        for c in Case.objects.filter(refund_id__in=list(refunds)).select_related("shop")
    }
    to_open = {
        e.refund_id: refunds[e.refund_id]
        for e in events
        if e.refund_id not in existing and rules.is_open(refunds[e.refund_id].status)
    }
    opened = _cases_open_for_refunds(shop=shop, refunds=list(to_open.values()), at=at)

    timeline: list[CaseEvent] = []
    changed: list[Case] = []
    closing: list[Case] = []
    to_supervisor: list[Case] = []
    for event in events:
        case = existing.get(event.refund_id)
        if case is None or event.created:
            continue
        update = rules.case_update(
            previous=event.previous_status, status=event.status, intervened_now=event.intervened
        )
        if update is None:
            continue
        refund = refunds[event.refund_id]
        timeline.append(
            CaseEvent(
                case=case,
                at=at,
                kind=CaseEventKind.REFUND_CHANGED,
                message=update.note,
                data={
                    "from": event.previous_status,
                    "to": event.status,
                    "status_text": refund.status_text,
                    "intervention": refund.intervention,
                },
            )
        )
        if not case.is_open():
            continue  # a case the team already finished keeps its outcome
        if _raise(case, update, at=at, timeout_at=refund.timeout_at):
            changed.append(case)
        if update.close_outcome:
            case_close_fields(case, Outcome(update.close_outcome), at)
            closing.append(case)
        elif update.to_supervisor:
            to_supervisor.append(case)
    if changed:
        Case.objects.bulk_update(changed, ["severity", "risk_flags", "priority"])
    cases_close_observed(closing, at)
    insert_instances(CaseEvent, timeline)
    _hand_to_supervisor(shop=shop, cases=to_supervisor, at=at)
    return opened


def _raise(
    case: Case, update: rules.CaseUpdate, *, at: dt.datetime, timeout_at: dt.datetime | None
) -> bool:
    flags = list(case.risk_flags or [])
    new_flags = [f for f in update.add_flags if f not in flags]
    higher = update.raise_to_high and case.severity != Severity.HIGH
    if not (new_flags or higher):
        return False
    case.risk_flags = flags + new_flags
    if higher:
        case.severity = Severity.HIGH
    case.priority = _priority(case, timeout_at=timeout_at, at=at)
    return True


def _hand_to_supervisor(*, shop: Shop, cases: Sequence[Case], at: dt.datetime) -> None:
    """DOMAIN "Who gives 中差评" and HIGH_RISK_FLAGS: the platform's involvement is a
    supervisor's call; a case already with a supervisor stays where it is."""
    if not cases:
        return
    supervisors = set(shop_supervisor_ids(shop_id=shop.pk))
    if not supervisors:
        return  # nobody to hand it to: the flag and the severity still tell the agent
    moving = [c for c in cases if c.assignee_id not in supervisors]
    cases_reroute(cases=moving, now=at, why="平台客服介入", actor=None)


def _priority(case: Case, *, timeout_at: dt.datetime | None, at: dt.datetime) -> int:
    """Severity and risk as for reviews; the platform's timeout plays the part of the review's
    modification window (a request about to time out comes first)."""
    return sla.case_priority(
        severity=case.severity,
        high_risk=case.is_high_risk(),
        window=sla.window_priority(timeout_at, at),
    )


def _case_for(shop: Shop, refund: Refund, at: dt.datetime, text: TriageResult | None) -> Case:
    verdict = rules.reason_verdict(refund.reason)
    cause, severity, flags = verdict.cause, verdict.severity, list(verdict.flags)
    model = ""
    if not cause and text is not None:
        # The reason says nothing (其他, or empty): the buyer's own words decide (triage).
        cause, severity = text.cause, text.severity
        flags.extend(f for f in text.risk_flags if f in _TEXT_FLAGS)
        model = f"{text.model_name}@{text.model_version}"
    if refund.intervention:
        flags.append(rules.PLATFORM_INTERVENTION)
    if refund.intervention or refund.status == rules.RefundStatus.SELLER_REFUSED:
        severity = Severity.HIGH
    case = Case(
        shop=shop,
        kind=rules.case_kind(refund.has_return, verdict.flags),
        refund=refund,
        order_id=refund.order_id,
        buyer_id=refund.buyer_id,
        status=Status.NEW,
        cause=cause or "other",
        severity=severity or Severity.MEDIUM,
        risk_flags=list(dict.fromkeys(flags)),
        triage_model=model,
        opened_at=at,
        link_key=link_key(order_id=refund.order_id, buyer_id=refund.buyer_id),
    )
    case.priority = _priority(case, timeout_at=refund.timeout_at, at=at)
    return case


def _cases_open_for_refunds(
    *, shop: Shop, refunds: Sequence[Refund], at: dt.datetime
) -> list[Case]:
    if not refunds:
        return []
    silent = [r for r in refunds if not rules.reason_verdict(r.reason).cause and r.description]
    verdicts = dict(
        zip(
            [r.pk for r in silent],
            triage_classify_batch(texts=[r.description for r in silent], shop_slug=shop.slug)
            if silent
            else [],
            strict=True,
        )
    )
    cases = [_case_for(shop, r, at, verdicts.get(r.pk)) for r in refunds]
    notes = [
        OpenedNote(
            ("新的退货退款申请" if case.kind == "return" else "新的退款申请")
            + (f"（{refund.reason}）" if refund.reason else "")
            + "，已登记",
            {
                "refund_id": refund.refund_id,
                "refund_status": refund.status,
                "amount": str(refund.amount) if refund.amount is not None else None,
                "timeout_at": refund.timeout_at.isoformat() if refund.timeout_at else None,
            },
        )
        for case, refund in zip(cases, refunds, strict=True)
    ]
    return cases_open(
        shop=shop,
        cases=cases,
        at=at,
        rated_at=[None] * len(cases),
        notes=notes,
        key="refund_id",
        not_after=[r.timeout_at for r in refunds],
    )
