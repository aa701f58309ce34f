"""Open cases the way the pipeline does, with the triage result set before opening."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from reviewdesk.cases.models import Case
from reviewdesk.cases.services import cases_apply_review_events
from reviewdesk.platforms.records import ReviewRecord
from reviewdesk.reviews.models import Review
from reviewdesk.reviews.services import review_records_ingest
from reviewdesk.shops.models import Shop
from tests.conftest import at

BUYER = "t**小白"
TID = 3028689418086124


def record(
    oid: int,
    result: str = "bad",
    content: str = "围巾掉毛严重，戴一次脖子全是毛",
    *,
    tid: int | None = None,
    buyer: str = BUYER,
    rated_at: dt.datetime | None = None,
    item_title: str = "加厚羊毛围巾",
    **kw: Any,
) -> ReviewRecord:
    return ReviewRecord(
        tid=tid if tid is not None else oid - 1,
        oid=oid,
        buyer_nick=buyer,
        result=result,
        content=content,
        rated_at=rated_at or at("2026-11-20 10:00"),
        item_title=item_title,
        **kw,
    )


def triage(
    *, cause: str = "quality", severity: str = "low", flags: tuple[str, ...] = (), **kw: Any
) -> dict[str, Any]:
    return {
        "is_complaint": True,
        "complaint_probability": 0.93,
        "cause": cause,
        "severity": severity,
        "risk_flags": list(flags),
        "model_name": "lexicon",
        "model_version": "1",
        "evidence": [],
        **kw,
    }


def open_cases(
    shop: Shop,
    records: list[ReviewRecord],
    *,
    triaged: dict[int, dict[str, Any]] | None = None,
    when: dt.datetime | None = None,
) -> list[Case]:
    """Ingest, set triage per oid (as the pipeline will), then open cases; one transaction."""
    with transaction.atomic():
        stats = review_records_ingest(shop=shop, records=records, source="test", observed_at=when)
        for oid, result in (triaged or {}).items():
            Review.objects.filter(shop=shop, oid=oid).update(triage=result)
        return cases_apply_review_events(shop=shop, events=stats.events, at=when)
