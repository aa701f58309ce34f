"""Opening and closing logistics cases from what the parcels show (DOMAIN 售后类型 物流).

Set-based and inside the caller's transaction, like refund cases: each problem `logistics.rules`
finds opens one case of kind `logistics` whose `cause` is the sub-type; the unique constraint
`case_one_case_per_shipment_subtype` makes replays and overlapping re-checks harmless. Cases are
linked with the review and refund cases of the same buyer and order (`link_key`), routed and
SLA'd by the shared `cases_open`. A parcel's SIGNED closes its open cases as solved, except
签收未收到 (only the agent knows the buyer has it), and never for an offline parcel (§6.3).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db import transaction

from reviewdesk.cases import sla
from reviewdesk.cases.errors import CaseError, CaseErrorCode
from reviewdesk.cases.models import Case, CaseEvent, CaseEventKind, CaseKind, Severity
from reviewdesk.cases.services.opening import (
    OpenedNote,
    case_close_fields,
    cases_close_observed,
    cases_open,
    link_key,
)
from reviewdesk.cases.services.timeline import event_add
from reviewdesk.cases.services.transitions import require_case_actor
from reviewdesk.cases.workflow import Outcome, Status
from reviewdesk.core import clock
from reviewdesk.core.bulk import insert_instances
from reviewdesk.logistics import rules
from reviewdesk.logistics.models import Shipment, thresholds_for
from reviewdesk.shops.models import Shop
from reviewdesk.shops.selectors import Actor


def cases_apply_logistics(
    *, shop: Shop, shipment_ids: Sequence[int], at: dt.datetime | None = None
) -> list[Case]:
    """Evaluate these parcels at `at`: open the cases of new problems, close the cases a
    signature ends. Returns the opened cases. Idempotent."""
    at = at or clock.now()
    if not shipment_ids:
        return []
    thresholds = thresholds_for(shop.pk)
    shipments = list(
        Shipment.objects.filter(shop=shop, pk__in=list(shipment_ids)).prefetch_related("trace")
    )
    existing: dict[int, dict[str, Case]] = {}
    for case in Case.objects.filter(shipment_id__in=[s.pk for s in shipments]):
        existing.setdefault(case.shipment_id or 0, {})[case.cause] = case
    to_open: list[tuple[Shipment, rules.SubType]] = []
    closing: list[Case] = []
    timeline: list[CaseEvent] = []
    for shipment in shipments:
        parcel = shipment.parcel(list(shipment.trace.all()))
        have = existing.get(shipment.pk, {})
        for sub in sorted(rules.problems(parcel, thresholds, at)):
            if sub.value not in have:
                to_open.append((shipment, sub))
        signed = rules.signed_at(parcel)
        if signed is None:
            continue
        for cause, case in have.items():
            if case.is_open() and cause in rules.CLOSED_BY_SIGNING:
                case_close_fields(case, Outcome.SOLVED, at)
                closing.append(case)
                timeline.append(
                    CaseEvent(
                        case=case,
                        at=at,
                        kind=CaseEventKind.LOGISTICS_CHANGED,
                        message="包裹已签收，工单自动关闭",
                        data={"signed_at": signed.isoformat(), "tracking_no": shipment.tracking_no},
                    )
                )
    cases_close_observed(closing, at)
    insert_instances(CaseEvent, timeline)
    return _cases_open(shop=shop, pairs=to_open, at=at)


def case_report_not_received(
    *, actor: Actor, case: Case, at: dt.datetime | None = None
) -> tuple[Case, bool]:
    """The buyer of `case` tells the agent that the parcel the courier marked signed never
    arrived (often a bad review or a chat after the platform auto-confirmed receipt). Opens the
    order's 签收未收到 logistics case, once, linked with `case` (same buyer and order), and notes it
    on `case`'s timeline. Returns (that logistics case, whether it was opened now).

    Raises CaseError NOT_FOUND (not the actor's shop), INVALID_INPUT when the case has no order,
    the order no parcel, or the parcel is not signed (an unsigned parcel is already watched by
    the stall / not-collected checks, which open their own cases).
    """
    # logistics.services imports this module's package; imported here to keep the cycle lazy.
    from reviewdesk.logistics.services import shipments_mark_not_received

    require_case_actor(actor=actor, case=case)
    order = case.order
    if order is None:
        raise CaseError(CaseErrorCode.INVALID_INPUT, f"case {case.pk} has no order")
    shipment = Shipment.objects.filter(shop_id=case.shop_id, tid=order.tid).first()
    if shipment is None:
        raise CaseError(
            CaseErrorCode.INVALID_INPUT,
            f"order {order.tid} has no parcel yet (import the order export's logistics "
            "columns or sync logistics)",
        )
    if shipment.signed_at is None:
        raise CaseError(
            CaseErrorCode.INVALID_INPUT,
            f"the parcel of order {order.tid} is not signed for: its trace is still "
            "followed by the logistics checks",
        )
    at = at or clock.now()
    with transaction.atomic():
        shipments_mark_not_received(shop=case.shop, tids=[order.tid])
        new = cases_apply_logistics(shop=case.shop, shipment_ids=[shipment.pk], at=at)
        found = Case.objects.get(shipment=shipment, cause=rules.SubType.SIGNED_NOT_RECEIVED.value)
        noted = CaseEvent.objects.filter(
            case=case, kind=CaseEventKind.LOGISTICS_CHANGED, data__not_received_case=found.pk
        ).exists()
        if not noted:
            event_add(
                case=case,
                kind=CaseEventKind.LOGISTICS_CHANGED,
                at=at,
                actor=actor,
                message=f"买家称包裹已签收但未收到，物流工单 #{found.pk}",
                data={
                    "not_received_case": found.pk,
                    "tid": order.tid,
                    "tracking_no": shipment.tracking_no,
                },
            )
    opened = any(c.pk == found.pk for c in new)
    return found, opened


def _case_for(shop: Shop, shipment: Shipment, sub: rules.SubType, at: dt.datetime) -> Case:
    severity = Severity.HIGH if sub in rules.HIGH_SEVERITY else Severity.MEDIUM
    if sub is rules.SubType.STALLED and _lost_or_failed(shipment):
        severity = Severity.HIGH
    case = Case(
        shop=shop,
        kind=CaseKind.LOGISTICS,
        shipment=shipment,
        order_id=shipment.order_id,
        buyer_id=shipment.buyer_id,
        status=Status.NEW,
        cause=sub.value,
        severity=severity,
        risk_flags=[],
        opened_at=at,
        link_key=link_key(order_id=shipment.order_id, buyer_id=shipment.buyer_id),
    )
    case.priority = sla.case_priority(
        severity=severity, high_risk=False, window=sla.WindowPriority.NONE
    )
    return case


def _lost_or_failed(shipment: Shipment) -> bool:
    return any(rules.action_of(t.action) in rules.TROUBLE_ACTIONS for t in shipment.trace.all())


def _cases_open(
    *, shop: Shop, pairs: Sequence[tuple[Shipment, rules.SubType]], at: dt.datetime
) -> list[Case]:
    if not pairs:
        return []
    cases = [_case_for(shop, shipment, sub, at) for shipment, sub in pairs]
    notes = [
        OpenedNote(
            f"物流异常：{rules.SUBTYPE_LABELS[sub]}（{shipment.carrier or '快递'} "
            f"{shipment.tracking_no or '无单号'}），已登记",
            {
                "tid": shipment.tid,
                "subtype": sub.value,
                "carrier": shipment.carrier,
                "tracking_no": shipment.tracking_no,
            },
        )
        for shipment, sub in pairs
    ]
    return cases_open(
        shop=shop,
        cases=cases,
        at=at,
        rated_at=[None] * len(cases),
        notes=notes,
        key=("shipment_id", "cause"),
    )
