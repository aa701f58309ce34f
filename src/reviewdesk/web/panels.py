"""What the case page's working panels show, computed from the case and the workflow table.

Pure presentation logic over values the selectors already returned: the SLA panel's level and
countdown (DOMAIN R1: the longer a case waits the lower the chance), and which status actions the
workflow allows from the current status (cases/workflow.TRANSITIONS), each with the inputs its
service takes. Nothing here queries or writes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext as _

from reviewdesk.aftersales import rules
from reviewdesk.aftersales.models import Refund
from reviewdesk.cases import sla
from reviewdesk.cases.models import Case
from reviewdesk.cases.workflow import TRANSITIONS, Action, Outcome, Status
from reviewdesk.logistics.labels import SUBTYPE_CHECKS
from reviewdesk.logistics.models import TraceEvent
from reviewdesk.logistics.selectors import shipment_trace
from reviewdesk.shops.selectors import Actor
from reviewdesk.web.labels import AFTER_SALE_CAUSE_LABELS

# The SLA warning fires at 80 % of the allowance (docs/cases.md); the panel turns amber then too.
WARNING_SHARE = 0.8


@dataclass(frozen=True, slots=True)
class SlaPanel:
    state: str  # sla.SlaStateKind value
    level: str  # ok | warn | breach | paused | done
    due_at: dt.datetime | None
    warn_at: dt.datetime | None
    remaining_seconds: int | None  # negative when overdue
    first_contact_breached: bool
    resolution_breached: bool
    paused_total: dt.timedelta | None
    rule: str
    contact_not_before: dt.datetime | None
    revision_window_ends_at: dt.datetime | None
    window_days_left: int | None


def sla_panel(
    *, case: Case, state: sla.SlaState, now: dt.datetime, paused_total: dt.timedelta | None
) -> SlaPanel:
    due = state.due_at
    warn_at = None
    if due is not None:
        start = (
            case.first_contacted_at
            if case.first_contacted_at is not None
            else (case.contact_not_before or case.opened_at)
        )
        if start < due:
            warn_at = start + (due - start) * WARNING_SHARE
    kind = state.kind
    if kind is sla.SlaStateKind.FAILED or (
        kind is not sla.SlaStateKind.PAUSED
        and state.remaining is not None
        and state.remaining < dt.timedelta(0)
    ):
        level = "breach"
    elif kind is sla.SlaStateKind.PAUSED:
        level = "paused"
    elif kind is sla.SlaStateKind.FULFILLED:
        level = "done"
    elif warn_at is not None and now >= warn_at:
        level = "warn"
    else:
        level = "ok"
    window = case.revision_window_ends_at
    return SlaPanel(
        state=kind.value,
        level=level,
        due_at=due,
        warn_at=warn_at,
        remaining_seconds=int(state.remaining.total_seconds())
        if state.remaining is not None
        else None,
        first_contact_breached=state.first_contact_breached,
        resolution_breached=state.resolution_breached,
        paused_total=paused_total,
        rule=case.sla_rule,
        contact_not_before=case.contact_not_before,
        revision_window_ends_at=window,
        window_days_left=(window - now).days if window is not None and window > now else None,
    )


@dataclass(frozen=True, slots=True)
class ActionOption:
    action: str  # workflow.Action value; the form posts it
    target: str  # the status it leads to
    takes_reason: bool
    reason_required: bool
    takes_outcome: bool = False
    primary: bool = False


# Services that take no reason (cases/services/transitions.py): only starting to contact.
_NO_REASON = frozenset({Action.START_CONTACT})
# A person closing or reopening must say why (guard reason_given).
_REASON_REQUIRED = frozenset({Action.CLOSE, Action.REOPEN})
# The next step an agent most likely takes from each status, drawn as the primary button.
_PRIMARY = {
    Status.NEW: Action.START_CONTACT,
    Status.CONTACTING: Action.START_RESOLVING,
    Status.WAITING_BUYER: Action.RESUME,
    Status.WAITING_THIRD_PARTY: Action.RESUME,
    Status.RESOLVING: Action.RESOLVE,
    Status.RESOLVED: Action.CLOSE,
    Status.EXPLAINED: Action.CLOSE,
}
# Outcomes a person may choose when closing; revised/deleted are observed by ingestion only.
CLOSE_OUTCOMES = (
    Outcome.SOLVED,
    Outcome.NO_RESPONSE,
    Outcome.EXTORTION,
    Outcome.OTHER,
)


def action_options(
    *, case: Case, unchecked_steps: list[str], explanation_posted: bool
) -> list[ActionOption]:
    """The actions the workflow table allows from the case's status, one per action."""
    source = Status(case.status)
    seen: dict[Action, ActionOption] = {}
    for t in TRANSITIONS:
        if t.source is not source or t.action is None or t.action in seen:
            continue
        action = t.action
        required = action in _REASON_REQUIRED and t.guard == "reason_given"
        if action is Action.RESOLVE:
            required = bool(unchecked_steps)
        if action is Action.EXPLAIN:
            required = not explanation_posted
        seen[action] = ActionOption(
            action=action.value,
            target=t.target.value,
            takes_reason=action not in _NO_REASON,
            reason_required=required,
            takes_outcome=action is Action.CLOSE,
            primary=_PRIMARY.get(source) is action,
        )
    return sorted(
        seen.values(), key=lambda o: (not o.primary, list(Action).index(Action(o.action)))
    )


# --- the refund panel (DOMAIN 售后类型 退款) ----------------------------------------------------


def refund_advice(*, refund: Refund) -> list[str]:
    """What the agent must keep in mind for this request, from its reason and the platform's
    involvement (DOMAIN 售后类型 退款; R11 for our fault)."""
    flags = set(rules.reason_verdict(refund.reason).flags)
    notes: list[str] = []
    if rules.PENALTY_REASON in flags:
        penalty = refund.penalty_amount()
        amount = f"¥{penalty}" if penalty is not None else _("30% of the order")
        notes.append(
            _(
                "Agreeing to this reason costs the shop %(amount)s: verify stock and the "
                "shipping time first, and if the reason is wrong, ask the buyer to choose the "
                "real one."
            )
            % {"amount": amount}
        )
    if flags & {rules.INVOICE_REASON, rules.FAKE_GOODS_CLAIM}:
        notes.append(
            _(
                "Never agree as filed: talk with the buyer, show the evidence and negotiate a "
                "change of reason; never refuse bluntly."
            )
        )
    if refund.intervention:
        notes.append(_("The platform's customer service has stepped in: the supervisor decides."))
    elif refund.status == rules.RefundStatus.SELLER_REFUSED:
        notes.append(
            _("Refused: the buyer may ask the platform to step in. Contact the buyer now.")
        )
    return notes


@dataclass(frozen=True, slots=True)
class LogisticsPanel:
    """The parcel of a logistics case: its sub-type, the check to do first and its trace."""

    subtype: str
    check: str
    trace: list[TraceEvent]
    signed: bool


def logistics_panel(*, actor: Actor, case: Case) -> LogisticsPanel:
    """DOMAIN 售后类型 物流: each sub-type has a check (here) and a script (the playbook)."""
    shipment = case.shipment
    trace = shipment_trace(actor=actor, shipment_pk=shipment.pk) if shipment is not None else []
    return LogisticsPanel(
        subtype=str(AFTER_SALE_CAUSE_LABELS.get(case.cause, case.cause)),
        check=str(SUBTYPE_CHECKS.get(case.cause, "")),
        trace=trace,
        signed=shipment is not None and shipment.signed_at is not None,
    )
