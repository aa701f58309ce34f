"""`demo load`: the demo shop, its users, its history through the real pipeline; idempotent."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import time_machine
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from reviewdesk.aftersales.models import Refund
from reviewdesk.aftersales.rules import case_kind, reason_verdict
from reviewdesk.cases.models import Case
from reviewdesk.cases.workflow import Outcome, Status
from reviewdesk.logistics.checks import shipments_check
from reviewdesk.logistics.models import Shipment
from reviewdesk.platforms import sync
from reviewdesk.platforms.simulator.demo import (
    DEMO_PASSWORD,
    DEMO_SLUG,
    demo_load,
    demo_logins,
)
from reviewdesk.platforms.simulator.world import HISTORY_TID
from reviewdesk.reviews.models import Order, Review
from reviewdesk.shops.models import Membership, Shop, ShopConnection
from tests.conftest import at

pytestmark = pytest.mark.postgres

NOW = at("2026-11-20 10:15")


@pytest.fixture
def loaded(db: None) -> object:
    return demo_load(orders=120, days=40, now=NOW)


def test_creates_the_shop_users_history_and_connection(loaded: object) -> None:
    shop = Shop.objects.get(slug=DEMO_SLUG)
    assert (shop.name, shop.platform) == ("暖居家纺旗舰店", "simulator")
    roles = dict(Membership.objects.filter(shop=shop).values_list("user__username", "role"))
    assert roles == {
        "demo-owner": "owner",
        "demo-supervisor": "supervisor",
        "demo-agent1": "agent",
        "demo-agent2": "agent",
    }
    assert Order.objects.filter(shop=shop).count() == 120
    assert Review.objects.filter(shop=shop).count() > 100
    connection = ShopConnection.objects.get(shop=shop)
    assert connection.connector == "simulator"
    assert connection.cursors["options"]["history_orders"] == 120


def test_cases_open_the_real_way_at_the_time_of_their_review(loaded: object) -> None:
    cases = Case.objects.filter(shop__slug=DEMO_SLUG, kind="review").select_related("review")
    negative = Review.objects.filter(first_result__in=["neutral", "bad"])
    # Every neutral/bad review has its case (triage may add cases for 好评 that complain).
    assert set(negative.values_list("id", flat=True)) <= {c.review_id for c in cases}
    for case in cases:
        assert case.review is not None
        assert case.review.rated_at <= case.opened_at <= NOW
        assert case.assignee is not None
    recent = [c for c in cases if NOW - c.opened_at < dt.timedelta(days=3)]
    assert all(c.opened_at - c.review.rated_at <= dt.timedelta(hours=1) for c in recent)  # type: ignore[union-attr]


def test_the_angry_buyer_has_seven_open_cases(loaded: object) -> None:
    by_buyer: dict[int | None, list[Case]] = {}
    for case in Case.objects.filter(shop__slug=DEMO_SLUG).open():
        by_buyer.setdefault(case.buyer_id, []).append(case)
    assert max(len(cases) for cases in by_buyer.values()) == 7


def test_revised_reviews_closed_their_cases(loaded: object) -> None:
    revised = Case.objects.filter(shop__slug=DEMO_SLUG, outcome=Outcome.REVISED)
    assert revised.exists()
    assert all(c.status == Status.CLOSED and c.buyer_group() == "revised" for c in revised)


def test_agents_worked_the_settled_history_cases_at_their_time(loaded: object) -> None:
    cases = Case.objects.filter(shop__slug=DEMO_SLUG)
    settled = cases.filter(opened_at__lte=NOW - dt.timedelta(days=6))
    # Every settled case was closed by the demo's agents or by the buyer's own revision/deletion.
    assert not settled.open().exists()
    # Resolved by an agent (a refund case closed by the platform's refund is `closed`).
    solved = settled.filter(outcome=Outcome.SOLVED, status=Status.RESOLVED)
    assert solved.exists()
    for case in solved:
        assert case.closed_at is not None
        assert case.opened_at < case.closed_at <= case.opened_at + dt.timedelta(days=6)
        assert case.contact_attempts.filter(channel="phone", outcome="talked").exists()
    # The routing limit is not what decides the recent cases: each has an agent.
    assert all(c.assignee_id is not None for c in cases.open())


def test_refund_requests_open_link_and_close_their_cases(loaded: object) -> None:
    refunds = Refund.objects.filter(shop__slug=DEMO_SLUG)
    assert 0 < refunds.count() < 120 * 0.15
    cases = Case.objects.filter(shop__slug=DEMO_SLUG, refund__isnull=False).select_related("refund")
    assert cases.exists()
    for case in cases:
        assert case.refund is not None
        flags = reason_verdict(case.refund.reason).flags
        assert case.kind == case_kind(case.refund.has_return, flags)
        assert case.refund.applied_at is not None
        assert case.refund.applied_at <= case.opened_at <= NOW
        assert case.link_key
    # A request that was refunded closed its case by itself (unless the agents got there first).
    refunded = cases.filter(refund__status="success", outcome=Outcome.SOLVED, status=Status.CLOSED)
    assert refunded.exists()
    assert all(c.events.filter(kind="refund_changed").exists() for c in refunded)
    # A refund about a reviewed item joins the review case of the same buyer and order.
    reviewed = [c for c in cases if Case.objects.filter(kind="review", link_key=c.link_key)]
    assert reviewed


def test_every_shipped_order_has_its_parcel_and_none_opens_a_case(loaded: object) -> None:
    shop = Shop.objects.get(slug=DEMO_SLUG)
    shipped = Order.objects.filter(
        shop=shop, status__in=["WAIT_BUYER_CONFIRM_GOODS", "TRADE_FINISHED"]
    )
    parcels = Shipment.objects.filter(shop=shop)
    assert loaded.parcels == parcels.count() == shipped.count() > 90  # type: ignore[attr-defined]
    assert set(parcels.values_list("order_id", flat=True)) == set(
        shipped.values_list("id", flat=True)
    )
    assert all(s.traced and s.carrier and s.tracking_no for s in parcels)
    finished = parcels.filter(order__status="TRADE_FINISHED")
    assert not finished.filter(signed_at__isnull=True).exists()
    for parcel in finished.select_related("order"):
        assert parcel.order is not None
        assert parcel.order.ended_at is not None
        assert parcel.consigned_at is not None
        assert parcel.signed_at is not None
        assert parcel.order.paid_at < parcel.consigned_at < parcel.signed_at  # type: ignore[operator]
        assert parcel.signed_at <= parcel.order.ended_at
    assert not Case.objects.filter(shop=shop, kind="logistics").exists()
    # The periodic re-check finds nothing either, hours after the load.
    assert shipments_check(shop=shop, now=NOW + dt.timedelta(hours=6)).cases_opened == 0


def test_the_first_live_tick_signs_the_parcels_still_on_their_way(loaded: object) -> None:
    shop = Shop.objects.get(slug=DEMO_SLUG)
    assert Shipment.objects.filter(shop=shop, signed_at__isnull=True).exists()
    space = (HISTORY_TID * 10**12, (HISTORY_TID + 1) * 10**12 - 1)
    waiting = set(
        Order.objects.filter(
            shop=shop, tid__range=space, status="WAIT_BUYER_CONFIRM_GOODS"
        ).values_list("tid", flat=True)
    )
    assert waiting
    connection = ShopConnection.objects.get(shop=shop)
    with time_machine.travel(NOW + dt.timedelta(minutes=2), tick=False):
        sync.connection_sync(connection_id=connection.pk)
    history = Shipment.objects.filter(shop=shop, tid__range=space)
    assert history.count() == loaded.parcels  # type: ignore[attr-defined]
    assert not history.filter(signed_at__isnull=True).exists()
    # Their buyers confirmed receipt: no history order stays 待收货 once its parcel is signed.
    assert not Order.objects.filter(
        shop=shop, tid__range=space, status="WAIT_BUYER_CONFIRM_GOODS"
    ).exists()
    for parcel in history.filter(tid__in=waiting).select_related("order"):
        assert parcel.order is not None
        assert parcel.order.status == "TRADE_FINISHED"
        assert parcel.signed_at <= parcel.order.ended_at <= NOW + dt.timedelta(minutes=2)  # type: ignore[operator]
    # Days later the re-check still opens nothing for them (the live parcels may have cases).
    shipments_check(shop=shop, now=NOW + dt.timedelta(days=3))
    assert not Case.objects.filter(shipment__in=history).exists()


def test_a_review_case_shows_the_parcel_and_the_not_received_button(loaded: object) -> None:
    case = (
        Case.objects.open()
        .filter(shop__slug=DEMO_SLUG, kind="review", assignee__isnull=False)
        .select_related("assignee")
        .first()
    )
    assert case is not None
    assert case.assignee is not None
    client = Client()
    client.force_login(case.assignee)
    html = client.get(reverse("web:case_detail", args=[case.pk])).content.decode()
    card = html[html.index('id="order-parcel"') :]
    card = card[: card.index("</form>")]
    parcel = Shipment.objects.get(shop=case.shop, tid=case.order.tid)  # type: ignore[union-attr]
    assert parcel.tracking_no in card
    assert "买家称未收到" in card


def test_loading_again_changes_nothing(loaded: object) -> None:
    counts = (Order.objects.count(), Review.objects.count(), Case.objects.count())
    report = demo_load(orders=120, days=40, now=NOW + dt.timedelta(hours=1))
    assert not report.created
    assert (Order.objects.count(), Review.objects.count(), Case.objects.count()) == counts
    assert User.objects.filter(username__startswith="demo-").count() == 4


def test_reset_rebuilds_the_shop(loaded: object) -> None:
    old_shop = Shop.objects.get(slug=DEMO_SLUG).pk
    report = demo_load(orders=30, days=10, now=NOW, reset=True)
    assert report.created
    assert Shop.objects.get(slug=DEMO_SLUG).pk != old_shop
    assert Order.objects.count() == 30
    assert User.objects.filter(username__startswith="demo-").count() == 4


def test_demo_users_can_log_in(loaded: object) -> None:
    client = Client()
    assert client.login(username="demo-agent1", password=DEMO_PASSWORD)
    assert [u for u, _, _ in demo_logins()] == [
        "demo-owner",
        "demo-supervisor",
        "demo-agent1",
        "demo-agent2",
    ]


def test_command_is_quick_and_prints_the_logins(db: None) -> None:
    out = io.StringIO()
    call_command("demo", "load", "--orders", "60", "--days", "20", stdout=out)
    again = io.StringIO()
    call_command("demo", "load", "--orders", "60", "--days", "20", stdout=again)

    text = out.getvalue()
    assert "demo shop loaded: 60 orders" in text
    seconds = float(text.split(" in ")[1].split("s")[0])
    assert seconds < 15
    for expected in ("http://127.0.0.1:8000/", DEMO_PASSWORD, "demo-owner", "demo-agent2"):
        assert expected in text
    assert "demo shop exists" in again.getvalue()
