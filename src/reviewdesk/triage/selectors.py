"""Reads of triage labels, scoped by the acting user (STYLE C3)."""

from __future__ import annotations

from django.db.models import QuerySet

from reviewdesk.shops.models import Shop
from reviewdesk.shops.selectors import Actor, shops_visible_to
from reviewdesk.triage.models import TriageLabel


def triage_labels_latest(*, actor: Actor, shop: Shop) -> list[TriageLabel]:
    """The shop's labels, the latest per review (a re-corrected case counts once), oldest first.

    Empty when the actor cannot see the shop.
    """
    rows: QuerySet[TriageLabel] = TriageLabel.objects.filter(
        shop__in=shops_visible_to(actor), shop=shop
    ).order_by("review_id", "-labelled_at", "-id")
    latest: dict[int, TriageLabel] = {}
    for label in rows:
        latest.setdefault(label.review_id, label)
    return sorted(latest.values(), key=lambda x: (x.labelled_at, x.pk))
