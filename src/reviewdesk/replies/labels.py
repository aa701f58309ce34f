"""UI labels with English msgids (translated in locale/zh_Hans) for the replies and
compensation screens, keyed by stored values, as web/labels.py does for the workbench.

The models' choice labels and the compliance rule names are Chinese (data and legal names); the
screens speak through these so the English UI is English. Buyer-facing script text stays
Chinese: it is what the shop sends.
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

COMPENSATION_KIND_LABELS: dict[str, Promise] = {
    "cash": _("Cash"),
    "coupon": _("Coupon"),
    "gift": _("Gift"),
    "partial_refund": _("Partial refund"),
    "free_shipping_next": _("Free shipping next time"),
    "return_shipping_refund": _("Return shipping refunded"),
}

OFFER_STATUS_LABELS: dict[str, Promise] = {
    "proposed": _("Negotiating"),
    "pending_approval": _("Awaiting approval"),
    "approved": _("Approved"),
    "rejected": _("Rejected"),
    "paid": _("Paid"),
    "cancelled": _("Cancelled"),
}

SCRIPT_ORIGIN_LABELS: dict[str, Promise] = {
    "default": _("Default"),
    "edited": _("Shop's copy of a default"),
    "own": _("Shop's own"),
}

TONE_RULE_LABELS: dict[str, Promise] = {
    "sarcasm": _("Sarcasm"),
    "blame": _("Blaming the buyer"),
    "arguing": _("Arguing"),
    "personal_data": _("Buyer's personal data"),
    "order_number": _("Order number"),
    "missing_apology": _("No apology"),
    "too_long": _("Too long"),
}

COMPLIANCE_RULE_LABELS: dict[str, Promise] = {
    "CR1": _("Reward for a good review"),
    "CR2": _("Asking to change or delete a review"),
    "CR3": _("Asking for a good review"),
}

POSTED_VIA_LABELS: dict[str, Promise] = {
    "connector": _("through the platform API"),
    "manual_copy": _("copied to the seller centre by hand"),
}

TABLES: dict[str, dict[str, Promise]] = {
    "posted_via": POSTED_VIA_LABELS,
    "compensation_kind": COMPENSATION_KIND_LABELS,
    "offer_status": OFFER_STATUS_LABELS,
    "script_origin": SCRIPT_ORIGIN_LABELS,
    "tone_rule": TONE_RULE_LABELS,
    "compliance_rule": COMPLIANCE_RULE_LABELS,
}


def label(table: str, value: str | None) -> str:
    """The translated label, or the value itself when the table does not know it."""
    if value is None:
        return ""
    found = TABLES[table].get(value)
    return str(found) if found is not None else value
