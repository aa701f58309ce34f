"""ingest_logistics: shipments and traces -> rows -> logistics cases, exactly once."""

from __future__ import annotations

import datetime as dt

import pytest

from reviewdesk.cases.models import Case
from reviewdesk.logistics.models import Shipment, TraceEvent
from reviewdesk.platforms.pipeline import ingest_logistics, ingest_refunds, ingest_reviews
from reviewdesk.platforms.records import RefundRecord, ShipmentRecord, TraceRecord
from tests.cases.helpers import BUYER, TID, record
from tests.conftest import World, at

pytestmark = pytest.mark.postgres

H = dt.timedelta(hours=1)
CONSIGNED = at("2026-11-18 10:00")


def _transit(start: dt.datetime = CONSIGNED) -> tuple[TraceRecord, ...]:
    return (
        TraceRecord(start, "CONSIGN", "卖家已发货"),
        TraceRecord(start + 2 * H, "GOT", "中通快递 已揽收"),
        TraceRecord(start + 8 * H, "ARRIVAL", "快件已到达【杭州转运中心】"),
    )


def _shipment(**kw: object) -> ShipmentRecord:
    values: dict[str, object] = {
        "buyer_nick": BUYER,
        "carrier": "中通快递",
        "tracking_no": "75012345678901",
        "consigned_at": CONSIGNED,
        "ship_by_at": CONSIGNED + 24 * H,
        "trace": _transit(),
        **kw,
    }
    return ShipmentRecord(tid=TID, **values)  # type: ignore[arg-type]


def test_a_moving_parcel_is_stored_and_opens_nothing(world: World) -> None:
    result = ingest_logistics(shop=world.shop_a, records=[_shipment()], at=CONSIGNED + 10 * H)

    shipment = Shipment.objects.get()
    assert (result.stats.created, result.stats.trace_added, result.cases_opened) == (1, 3, 0)
    assert shipment.order is not None
    assert (shipment.carrier, shipment.tracking_no, shipment.order.tid) == (
        "中通快递",
        "75012345678901",
        TID,
    )
    assert shipment.buyer is not None
    assert shipment.buyer.nick == BUYER
    assert shipment.last_event_at == CONSIGNED + 8 * H
    assert shipment.signed_at is None
    assert not Case.objects.exists()


def test_a_replay_changes_nothing(world: World) -> None:
    now = CONSIGNED + 70 * H
    first = ingest_logistics(shop=world.shop_a, records=[_shipment()], at=now)
    again = ingest_logistics(shop=world.shop_a, records=[_shipment()], at=now + H)

    assert (first.cases_opened, again.cases_opened) == (1, 0)
    assert (again.stats.created, again.stats.changed, again.stats.trace_added) == (0, 0, 0)
    assert again.stats.touched == []
    assert (Shipment.objects.count(), TraceEvent.objects.count(), Case.objects.count()) == (1, 3, 1)


def test_a_stalled_parcel_opens_one_logistics_case_routed_and_due(world: World) -> None:
    ingest_logistics(shop=world.shop_a, records=[_shipment()], at=CONSIGNED + 70 * H)

    case = Case.objects.get()
    assert (case.kind, case.cause, case.severity, case.status) == (
        "logistics",
        "stalled",
        "medium",
        "new",
    )
    assert case.shipment == Shipment.objects.get()
    assert case.assignee is not None
    assert case.events.filter(kind="assigned").exists()
    assert case.sla_rule == "immediate"
    assert case.first_contact_due_at is not None
    assert "已发出但停滞" in case.events.get(kind="opened").message


def test_a_lost_parcel_is_serious_at_once(world: World) -> None:
    trace = (*_transit(), TraceRecord(CONSIGNED + 9 * H, "LOST", "快件遗失"))
    ingest_logistics(shop=world.shop_a, records=[_shipment(trace=trace)], at=CONSIGNED + 9 * H)

    assert Case.objects.values_list("cause", "severity").get() == ("stalled", "high")


def test_signing_closes_the_case_and_a_later_trace_never_reopens_it(world: World) -> None:
    ingest_logistics(shop=world.shop_a, records=[_shipment()], at=CONSIGNED + 70 * H)
    signed = TraceRecord(CONSIGNED + 71 * H, "SIGNED", "已签收，签收人：本人")
    # Only the new event: a trace record's events are a union with what is stored.
    ingest_logistics(
        shop=world.shop_a, records=[ShipmentRecord(tid=TID, trace=(signed,))], at=CONSIGNED + 72 * H
    )

    case = Case.objects.get()
    assert (case.status, case.outcome) == ("closed", "solved")
    assert case.events.filter(kind="logistics_changed").count() == 1
    assert Shipment.objects.get().signed_at == CONSIGNED + 71 * H
    assert TraceEvent.objects.count() == 4
    ingest_logistics(shop=world.shop_a, records=[_shipment()], at=CONSIGNED + 200 * H)
    assert Case.objects.count() == 1


def test_an_offline_parcel_signed_at_once_closes_nothing(world: World) -> None:
    late = _shipment(
        consigned_at=CONSIGNED + 30 * H,
        offline=True,
        trace=(TraceRecord(CONSIGNED + 30 * H, "SIGNED", "线下发货，对方已签收"),),
    )
    ingest_logistics(shop=world.shop_a, records=[late], at=CONSIGNED + 31 * H)

    case = Case.objects.get()
    assert (case.cause, case.status) == ("late_shipment", "new")
    assert Shipment.objects.get().signed_at is None  # never infer delivery (PLATFORM §6.3)


def test_several_subtypes_open_one_case_each(world: World) -> None:
    not_collected = _shipment(
        consigned_at=CONSIGNED + 30 * H, trace=(TraceRecord(CONSIGNED + 30 * H, "CONSIGN", ""),)
    )
    ingest_logistics(shop=world.shop_a, records=[not_collected], at=CONSIGNED + 60 * H)

    assert sorted(Case.objects.values_list("cause", flat=True)) == [
        "late_shipment",
        "not_collected",
    ]
    # One buyer and order: the second case follows the first one's agent.
    assert len(set(Case.objects.values_list("assignee_id", flat=True))) == 1
    assert len(set(Case.objects.values_list("link_key", flat=True))) == 1


def test_a_logistics_case_links_with_the_buyers_review_case(world: World) -> None:
    ingest_reviews(
        shop=world.shop_a,
        records=[record(TID + 1, tid=TID, content="快递太慢了，一个星期还没到")],
        source="test",
        at=CONSIGNED + 60 * H,
    )
    ingest_logistics(shop=world.shop_a, records=[_shipment()], at=CONSIGNED + 70 * H)

    review_case = Case.objects.get(kind="review")
    logistics_case = Case.objects.get(kind="logistics")
    assert logistics_case.link_key == review_case.link_key
    assert logistics_case.assignee_id == review_case.assignee_id
    assert logistics_case.events.filter(kind="linked").exists()


def test_a_not_received_refund_on_a_signed_parcel_opens_signed_not_received(
    world: World,
) -> None:
    trace = (*_transit(), TraceRecord(CONSIGNED + 30 * H, "SIGNED", "已签收，驿站代收"))
    ingest_logistics(shop=world.shop_a, records=[_shipment(trace=trace)], at=CONSIGNED + 31 * H)
    assert not Case.objects.exists()

    refund = RefundRecord(
        refund_id=77,
        tid=TID,
        buyer_nick=BUYER,
        status="waiting_seller",
        reason="未收到货",
        timeout_at=CONSIGNED + 100 * H,
    )
    ingest_refunds(shop=world.shop_a, records=[refund], at=CONSIGNED + 40 * H)
    ingest_refunds(shop=world.shop_a, records=[refund], at=CONSIGNED + 41 * H)

    case = Case.objects.get(kind="logistics")
    assert (case.cause, case.severity) == ("signed_not_received", "high")
    assert Case.objects.get(kind="refund").link_key == case.link_key
    # Signed already: only the agent closes it.
    ingest_logistics(shop=world.shop_a, records=[_shipment(trace=trace)], at=CONSIGNED + 50 * H)
    assert Case.objects.get(kind="logistics").status == "new"


def test_shipments_are_per_shop(world: World) -> None:
    ingest_logistics(shop=world.shop_a, records=[_shipment()], at=CONSIGNED + 70 * H)
    ingest_logistics(shop=world.shop_b, records=[_shipment()], at=CONSIGNED + 70 * H)

    assert Shipment.objects.count() == 2
    assert sorted(Case.objects.values_list("shop__slug", flat=True)) == ["shop-a", "shop-b"]
