"""cases/services/refunds.py and the shared opening path, beyond the pipeline tests
(tests/platforms/test_pipeline_refunds.py)."""

from __future__ import annotations

import datetime as dt

import pytest

from reviewdesk.cases.models import Case, SlaPause
from reviewdesk.cases.services.refunds import cases_apply_refund_events
from reviewdesk.cases.services.sla_timers import case_sla_reschedule
from reviewdesk.platforms.pipeline import ingest_refunds
from reviewdesk.platforms.records import RefundRecord
from tests.conftest import World, at

pytestmark = pytest.mark.postgres


def _record(**kw: object) -> RefundRecord:
    values: dict[str, object] = {
        "tid": 3028689418086124,
        "buyer_nick": "t**小白",
        "status": "waiting_seller",
        "reason": "质量问题",
        "timeout_at": at("2026-11-20 23:00"),
        **kw,
    }
    return RefundRecord(refund_id=91, **values)  # type: ignore[arg-type]


def test_rescheduling_after_a_pause_keeps_the_timeout_bound(world: World) -> None:
    opened = at("2026-11-20 22:30")
    ingest_refunds(shop=world.shop_a, records=[_record()], at=opened)
    case = Case.objects.select_related("shop").get()
    SlaPause.objects.create(
        case=case, started_at=opened, ended_at=opened + dt.timedelta(minutes=20)
    )
    deadlines = case_sla_reschedule(case=case, now=opened + dt.timedelta(minutes=20))

    assert deadlines is not None
    assert deadlines.first_contact_due_at is not None
    assert deadlines.first_contact_due_at <= at("2026-11-20 23:00")
    case.refresh_from_db()
    assert case.first_contact_due_at == deadlines.first_contact_due_at


def test_no_events_do_nothing(world: World) -> None:
    assert cases_apply_refund_events(shop=world.shop_a, events=[]) == []
    assert not Case.objects.exists()


def test_a_replayed_open_request_never_opens_a_second_case(world: World) -> None:
    ingest_refunds(shop=world.shop_a, records=[_record()], at=at("2026-11-20 10:00"))
    ingest_refunds(
        shop=world.shop_a,
        records=[_record(status="waiting_buyer_return", has_return=True)],
        at=at("2026-11-20 11:00"),
    )
    case = Case.objects.get()
    # The kind was decided when the case opened; the new state is a timeline note.
    assert case.kind == "refund"
    assert case.events.filter(kind="refund_changed").get().data["to"] == "waiting_buyer_return"
