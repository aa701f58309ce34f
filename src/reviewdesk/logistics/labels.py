"""What the UI shows for trace actions and what an agent checks first per logistics sub-type.

Translatable (English msgids, zh_Hans in the catalogue) so the English UI reads English; the pure
rules keep the codes only."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from reviewdesk.logistics.rules import Action, SubType

ACTION_LABELS: dict[str, Promise] = {
    Action.CREATE: _("Logistics order created"),
    Action.CONSIGN: _("Seller shipped"),
    Action.GOT: _("Collected by the courier"),
    Action.ARRIVAL: _("Arrived"),
    Action.DEPARTURE: _("Departed"),
    Action.SIGNED: _("Signed for"),
    Action.SENT_SCAN: _("Out for delivery"),
    Action.FAILED: _("Delivery failed"),
    Action.LOST: _("Lost"),
    Action.SENT_CITY: _("Arrived in the delivery city"),
    Action.TO_EMS: _("Handed to China Post"),
    Action.OTHER: _("Other"),
}

# DOMAIN 售后类型 物流: the check that comes with each sub-type.
SUBTYPE_CHECKS: dict[str, Promise] = {
    SubType.LATE_SHIPMENT: _(
        "Verify stock and the shipping time; ship at once and tell the buyer, before a "
        "'not shipped on time' refund (30% of the order as a penalty)"
    ),
    SubType.NOT_SHIPPED: _("Check the warehouse: left behind? packed? handed to the courier?"),
    SubType.NOT_COLLECTED: _("Call the courier outlet and ask them to scan the parcel"),
    SubType.STALLED: _("Ask the courier: lost? stuck at a hub? a late update?"),
    SubType.SIGNED_NOT_RECEIVED: _(
        "Ask the buyer to check with family, neighbours, reception, lockers and pickup points; "
        "ask the courier to verify the signature"
    ),
}
