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
    "contact": _("Contact"),
    "appointment": _("Appointment"),
    "sla": _("SLA"),
    "escalated": _("Escalated"),
    "linked": _("Linked case"),
    "reminder": _("Reminder"),
    "follow_up": _("Follow-up plan"),
    "refund_changed": _("Refund changed"),
}

CHANNEL_LABELS: dict[str, Promise] = {
    "phone": _("Phone"),
    "im": _("IM (Wangwang)"),
    "sms": _("SMS"),
    "message": _("In-site message"),
}

CONTACT_OUTCOME_LABELS: dict[str, Promise] = {
    "no_answer": _("No answer"),
    "refused": _("Refused to talk"),
    "talked": _("Talked"),
    "solved": _("Problem solved"),
    "offered_revise": _("Buyer offered to revise (unprompted)"),
    "call_back": _("Call back agreed"),
}

APPOINTMENT_STATUS_LABELS: dict[str, Promise] = {
    "scheduled": _("Scheduled"),
    "kept": _("Kept"),
    "cancelled": _("Cancelled"),
}

# The workflow's actions (cases/workflow.Action), as buttons.
ACTION_LABELS: dict[str, Promise] = {
    "start_contact": _("Start contacting"),
    "wait_buyer": _("Wait for buyer"),
    "wait_third_party": _("Wait for third party"),
    "resume": _("Resume"),
    "start_resolving": _("Start resolving"),
    "resolve": _("Resolve"),
    "explain": _("Mark explained"),
    "close": _("Close"),
    "reopen": _("Reopen"),
}

SLA_STATE_LABELS: dict[str, Promise] = {
    "first_contact_due": _("First contact due"),
    "resolution_due": _("Resolution due"),
    "paused": _("Paused"),
    "failed": _("Breached"),
    "fulfilled": _("Met"),
}

SLA_RULE_LABELS: dict[str, Promise] = {
    "immediate": _("Contact at once (R1, R2)"),
    "cool_down": _("Let 24 hours pass first (R2)"),
    "over_1_month": _("Review over 1 month old (R3)"),
    "over_6_months": _("Review over 6 months old (R3)"),
}

CAUSE_LABELS: dict[str, Promise] = {
    "quality": _("Quality"),
    "not_as_described": _("Not as described"),
    "size_fit": _("Size / fit"),
    "dislike_style": _("Style dislike"),
    "wrong_or_missing": _("Wrong or missing item"),
    "logistics": _("Logistics"),
    "service": _("Service attitude"),
    "price": _("Price"),
    "fake_goods": _("Fake goods claim"),
    "other": _("Other"),
}

# Causes only refund, return and logistics cases have (DOMAIN 售后类型 退款, 物流). Shown, but
# not offered where an agent corrects triage's cause (triage knows only CAUSE_LABELS).
AFTER_SALE_CAUSE_LABELS: dict[str, Promise] = {
    "out_of_stock": _("Out of stock"),
    "not_shipped_on_time": _("Not shipped on time"),
    "invoice": _("Invoice"),
    # Logistics sub-types (DOMAIN 售后类型 物流; logistics.rules.SubType).
    "late_shipment": _("Not shipped by the promised time"),
    "not_shipped": _("Waybill but no trace"),
    "not_collected": _("Handed over but not scanned"),
    "stalled": _("Trace stalled"),
    "signed_not_received": _("Signed but not received"),
}

REFUND_STATUS_LABELS: dict[str, Promise] = {
    "waiting_seller": _("Waiting for the seller"),
    "waiting_buyer_return": _("Waiting for the buyer's return"),
    "waiting_seller_confirm": _("Returned, waiting for the seller"),
    "seller_refused": _("Refused by the seller"),
    "closed": _("Refund closed"),
    "success": _("Refunded"),
}

REFUND_PHASE_LABELS: dict[str, Promise] = {
    "in_sale": _("In-sale refund"),
    "after_sale": _("After-sale refund"),
}

RISK_LABELS: dict[str, Promise] = {
    "extortion": _("Extortion"),
    "complaint_threat": _("Complaint threat"),
    "professional_reviewer": _("Professional bad reviewer"),
    "competitor_suspect": _("Suspected competitor"),
    "competitor": _("Competitor"),
    "multi_item_order": _("Multi-item order"),
    "fake_goods_claim": _("Fake goods claim"),
    "platform_intervention": _("Platform intervention"),
    "angry": _("Angry buyer"),
    "penalty_reason": _("30% penalty if agreed"),
    "invoice_reason": _("Invoice reason"),
}

EVIDENCE_LABELS: dict[str, Promise] = {
    "complaint": _("Complaint"),
    "cause": _("Cause"),
    "severity": _("Severity"),
    "risk": _("Risk"),
}

NOTIFICATION_LABELS: dict[str, Promise] = {
    "assigned": _("Assigned to you"),
    "first_contact_warning": _("First contact due soon"),
    "first_contact_breach": _("First contact overdue"),
    "resolution_warning": _("Resolution due soon"),
    "resolution_breach": _("Resolution overdue"),
    "appointment_reminder": _("Appointment reminder"),
    "follow_up": _("Follow-up"),
    "revision_window": _("Revision window closing"),
}

DIMENSION_LABELS: dict[str, Promise] = {
    "desc": _("Item as described"),
    "service": _("Service attitude"),
    "logistics": _("Logistics service"),
}

CONFIDENCE_LABELS: dict[str, Promise] = {
    "official": _("Official"),
    "multi": _("Several sources"),
    "single": _("Single source"),
    "unconfirmed": _("Unconfirmed"),
    "conflict": _("Sources conflict"),
    "interpretation": _("Our interpretation"),
}

NON_SCORING_LABELS: dict[str, Promise] = {
    "platform_invalid": _("Marked invalid by the platform"),
    "not_alipay": _("Not paid through Alipay"),
    "small_order": _("Order of 1 yuan or less"),
    "same_item_14_days": _("Same buyer and item within 14 days"),
    "monthly_cap": _("Over the buyer's monthly cap"),
}

ALERT_KIND_LABELS: dict[str, Promise] = {
    "below_threshold": _("Below the alert line"),
    "fast_drop": _("Fast drop"),
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
    "channel": CHANNEL_LABELS,
    "contact_outcome": CONTACT_OUTCOME_LABELS,
    "appointment_status": APPOINTMENT_STATUS_LABELS,
    "action": ACTION_LABELS,
    "sla_state": SLA_STATE_LABELS,
    "sla_rule": SLA_RULE_LABELS,
    "cause": CAUSE_LABELS,
    "risk": RISK_LABELS,
    "evidence": EVIDENCE_LABELS,
    "notification": NOTIFICATION_LABELS,
    "dimension": DIMENSION_LABELS,
    "confidence": CONFIDENCE_LABELS,
    "non_scoring": NON_SCORING_LABELS,
    "alert_kind": ALERT_KIND_LABELS,
    "refund_status": REFUND_STATUS_LABELS,
    "refund_phase": REFUND_PHASE_LABELS,
}
# Values a table shows but does not offer as a choice.
_SHOWN_ONLY: dict[str, dict[str, Promise]] = {"cause": AFTER_SALE_CAUSE_LABELS}


def choices(table: str) -> list[tuple[str, Promise]]:
    """(value, lazily translated label) pairs for a form's select, in the table's order."""
    return list(TABLES[table].items())


def label(table: str, value: str | None) -> str:
    """The translated label of `value`, or the raw value when unknown (new codes still show)."""
    if not value:
        return ""
    found = TABLES[table].get(value)
    if found is None:
        found = _SHOWN_ONLY.get(table, {}).get(value)
    return str(found) if found is not None else value
