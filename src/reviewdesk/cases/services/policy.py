"""Per-shop rules loaded into the pure dataclasses (sla, routing), and the compliance profile."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from reviewdesk.cases import compliance
from reviewdesk.cases.errors import CaseError, CaseErrorCode
from reviewdesk.cases.models import (
    BusinessHours,
    CompliancePolicy,
    ComplianceProfile,
    RoutingPolicy,
    ShopDay,
    ShopSlaPolicy,
)
from reviewdesk.cases.routing import RoutingRules
from reviewdesk.cases.sla import BusinessCalendar, SlaPolicy, calendar_from_rows
from reviewdesk.core import clock
from reviewdesk.shops.models import Role, Shop
from reviewdesk.shops.selectors import Actor, actor_has_role


def shop_calendar(*, shop: Shop) -> BusinessCalendar:
    weekly = list(BusinessHours.objects.filter(shop=shop).values_list("weekday", "opens", "closes"))
    days = list(ShopDay.objects.filter(shop=shop).values_list("date", "opens", "closes"))
    return calendar_from_rows(tz_name=shop.timezone, weekly_rows=weekly, day_rows=days)


def shop_sla_policy(*, shop: Shop) -> tuple[SlaPolicy, int]:
    """The SLA policy and the appointment reminder lead time in minutes."""
    row = ShopSlaPolicy.objects.filter(shop=shop).first()
    if row is None:
        return SlaPolicy(), 10
    policy = SlaPolicy(
        first_contact_minutes=row.first_contact_minutes,
        cool_down_hours=row.cool_down_hours,
        after_cool_down_minutes=row.after_cool_down_minutes,
        over_one_month_minutes=row.over_one_month_minutes,
        over_six_months_minutes=row.over_six_months_minutes,
        resolution_minutes=row.resolution_minutes,
        warning_percent=row.warning_percent,
    )
    return policy, row.appointment_reminder_minutes


def shop_routing_rules(*, shop: Shop) -> RoutingRules:
    row = RoutingPolicy.objects.filter(shop=shop).first()
    if row is None:
        return RoutingRules()
    return RoutingRules(
        max_open_cases=row.max_open_cases,
        high_risk_to_supervisor=row.high_risk_to_supervisor,
        follow_shifts=row.follow_shifts,
    )


def shop_compliance(*, shop: Shop) -> CompliancePolicy:
    """The shop's profile; strict when none is stored (DOMAIN: strict for Taobao/Tmall)."""
    row = CompliancePolicy.objects.filter(shop=shop).first()
    return row or CompliancePolicy(shop=shop, profile=ComplianceProfile.STRICT, allowed=[])


def compliance_practice_allow(
    *, actor: Actor, shop: Shop, practice: str, acknowledged: bool
) -> CompliancePolicy:
    """An owner turns on a seed practice the current rules forbid, having seen the conflict.

    Refused unless `acknowledged` is True (the UI shows `compliance.conflicts_for(practice)`).
    """
    if not actor_has_role(actor=actor, shop=shop, role=Role.OWNER):
        raise CaseError(CaseErrorCode.NOT_ALLOWED, "only the shop owner may change compliance")
    if practice not in compliance.PRACTICES:
        raise CaseError(CaseErrorCode.INVALID_INPUT, f"unknown practice {practice!r}")
    conflicts = compliance.conflicts_for(practice)
    if not acknowledged:
        raise CaseError(
            CaseErrorCode.GUARD_FAILED,
            "turning this on conflicts with: " + "; ".join(conflicts),
            details=list(conflicts),
        )
    with transaction.atomic():
        row, _ = CompliancePolicy.objects.select_for_update().get_or_create(shop=shop)
        entries: list[dict[str, Any]] = [e for e in row.allowed if e.get("practice") != practice]
        entries.append(
            {
                "practice": practice,
                "conflicts_with": list(conflicts),
                "by": actor.get_username(),
                "at": clock.now().isoformat(),
            }
        )
        row.allowed = entries
        row.profile = ComplianceProfile.CUSTOM
        row.save(update_fields=["allowed", "profile"])
    return row


def compliance_practice_revoke(*, actor: Actor, shop: Shop, practice: str) -> CompliancePolicy:
    if not actor_has_role(actor=actor, shop=shop, role=Role.OWNER):
        raise CaseError(CaseErrorCode.NOT_ALLOWED, "only the shop owner may change compliance")
    with transaction.atomic():
        row, _ = CompliancePolicy.objects.select_for_update().get_or_create(shop=shop)
        row.allowed = [e for e in row.allowed if e.get("practice") != practice]
        row.profile = ComplianceProfile.CUSTOM if row.allowed else ComplianceProfile.STRICT
        row.save(update_fields=["allowed", "profile"])
    return row
