"""UI labels with English msgids (translated in locale/zh_Hans), keyed by the stored values.

The models' own choice labels are Chinese literals; the workbench speaks through these so the
English UI is English too. Chip colours are CSS classes named after the value (app.css).
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

RESULT_LABELS: dict[str, Promise] = {
    "good": _("Good"),
    "neutral": _("Neutral"),
    "bad": _("Bad"),
}

STATUS_LABELS: dict[str, Promise] = {
    "new": _("New"),
    "contacting": _("Contacting"),
    "waiting_buyer": _("Waiting for buyer"),
    "waiting_third_party": _("Waiting for third party"),
    "resolving": _("Resolving"),
    "resolved": _("Resolved"),
    "explained": _("Explained"),
    "closed": _("Closed"),
}

OUTCOME_LABELS: dict[str, Promise] = {
    "revised": _("Revised to good"),
    "deleted": _("Review deleted"),
    "solved": _("Problem solved"),
    "explained": _("Explanation posted"),
    "no_response": _("No response"),
    "extortion": _("Suspected extortion"),
    "other": _("Other"),
}

GROUP_LABELS: dict[str, Promise] = {
    "neutral": _("Neutral reviewers"),
    "bad": _("Bad reviewers"),
    "offered": _("Offered to revise"),
    "revised": _("Revised"),
}

EVENT_LABELS: dict[str, Promise] = {
    "opened": _("Opened"),
    "assigned": _("Assigned"),
    "status": _("Status"),
    "review_changed": _("Review changed"),
    "followup": _("Follow-up"),
    "note": _("Note"),
    "triage": _("Triage"),
}

KIND_LABELS: dict[str, Promise] = {
    "review": _("Neutral/bad review"),
    "logistics": _("Logistics"),
    "return": _("Return/exchange"),
    "refund": _("Refund"),
    "repair": _("Repair"),
}

SEVERITY_LABELS: dict[str, Promise] = {
    "high": _("High"),
    "medium": _("Medium"),
    "low": _("Low"),
}

ROLE_LABELS: dict[str, Promise] = {
    "agent": _("Agent"),
    "supervisor": _("Supervisor"),
    "owner": _("Owner"),
    "admin": _("Admin"),
}

REVIEW_STATE_LABELS: dict[str, Promise] = {
    "present": _("Online"),
    "deleted": _("Deleted"),
}

PLATFORM_LABELS: dict[str, Promise] = {
    "taobao": _("Taobao"),
    "tmall": _("Tmall"),
    "jd": _("JD"),
    "pdd": _("Pinduoduo"),
    "simulator": _("Simulator"),
}

# TOP trade status codes (PLATFORM: taobao.trade.fullinfo.get `status`).
ORDER_STATUS_LABELS: dict[str, Promise] = {
    "WAIT_BUYER_PAY": _("Awaiting payment"),
    "WAIT_SELLER_SEND_GOODS": _("Paid, not shipped"),
    "SELLER_CONSIGNED_PART": _("Partly shipped"),
    "WAIT_BUYER_CONFIRM_GOODS": _("Shipped"),
    "TRADE_BUYER_SIGNED": _("Signed for"),
    "TRADE_FINISHED": _("Completed"),
    "TRADE_CLOSED": _("Closed after refund"),
    "TRADE_CLOSED_BY_TAOBAO": _("Closed unpaid"),
}

TABLES: dict[str, dict[str, Promise]] = {
    "result": RESULT_LABELS,
    "status": STATUS_LABELS,
    "outcome": OUTCOME_LABELS,
    "group": GROUP_LABELS,
    "event": EVENT_LABELS,
    "kind": KIND_LABELS,
    "severity": SEVERITY_LABELS,
    "role": ROLE_LABELS,
    "review_state": REVIEW_STATE_LABELS,
    "platform": PLATFORM_LABELS,
    "order_status": ORDER_STATUS_LABELS,
}


def label(table: str, value: str | None) -> str:
    """The translated label of `value`, or the raw value when unknown (new codes still show)."""
    if not value:
        return ""
    found = TABLES[table].get(value)
    return str(found) if found is not None else value
