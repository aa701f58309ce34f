"""In-app notifications: reminders, SLA warnings and escalations (channels come later)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import transaction

from reviewdesk.cases.models import Case, Notification
from reviewdesk.core import clock
from reviewdesk.shops.models import Membership, Role
from reviewdesk.shops.selectors import Actor


def notifications_create(
    *, user_ids: Iterable[int], case: Case | None, kind: str, message: str, at: dt.datetime
) -> list[Notification]:
    rows = [
        Notification(user_id=uid, case=case, kind=kind, message=message, created_at=at)
        for uid in dict.fromkeys(user_ids)
    ]
    return Notification.objects.bulk_create(rows)


def shop_supervisor_ids(*, shop_id: int) -> list[int]:
    """Active supervisors of the shop: the people an escalation goes to."""
    return list(
        Membership.objects.filter(shop_id=shop_id, is_active=True, role=Role.SUPERVISOR)
        .order_by("id")
        .values_list("user_id", flat=True)
    )


def notification_mark_read(*, actor: Actor, notification_id: int) -> int:
    """Marks one of the actor's own notifications read; returns how many rows changed (0 or 1)."""
    if actor.pk is None:
        return 0
    with transaction.atomic():
        return Notification.objects.filter(
            pk=notification_id, user_id=actor.pk, read_at__isnull=True
        ).update(read_at=clock.now())
