"""Refund and return requests through the pipeline: rows, cases, replays (DOMAIN 售后类型 退款)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from reviewdesk.aftersales.models import Refund
from reviewdesk.cases.models import Case, CaseEvent, CaseEventKind, Timer
from reviewdesk.cases.services.transitions import case_transition
from reviewdesk.cases.workflow import Outcome, Status
from reviewdesk.platforms.pipeline import ingest_orders, ingest_refunds, ingest_reviews
from reviewdesk.platforms.records import OrderItemRecord, OrderRecord, RefundRecord, ReviewRecord
from reviewdesk.reviews.models import Order
from reviewdesk.triage.services import triage_classify_batch
from tests.conftest import World, at

pytestmark = pytest.mark.postgres

TID = 3028689418086124
NOW = at("2026-11-20 10:00")


def _refund(refund_id: int = 71, **kw: Any) -> RefundRecord:
    values: dict[str, Any] = {
        "tid": TID,
        "buyer_nick": "t**小白",
        "status": "waiting_seller",
        "status_text": "买家已经申请退款，等待卖家同意",
        "reason": "质量问题",
        "description": "围巾掉毛严重",
        "amount": Decimal("129.00"),
        "applied_at": at("2026-11-20 09:50"),
        "timeout_at": at("2026-11-22 09:50"),
        "phase": "after_sale",
        "has_return": False,
        "intervention": False,
        **kw,
    }
    return RefundRecord(refund_id=refund_id, **values)


def test_a_new_request_opens_one_refund_case_and_a_replay_changes_nothing(world: World) -> None:
    first = ingest_refunds(shop=world.shop_a, records=[_refund()], at=NOW)
    again = ingest_refunds(shop=world.shop_a, records=[_refund()], at=NOW)

    assert (first.stats.created, first.cases_opened) == (1, 1)
    assert (again.stats.created, again.stats.changed, again.stats.unchanged) == (0, 0, 1)
    assert again.cases_opened == 0
    refund = Refund.objects.get()
    case = Case.objects.get()
    assert (case.kind, case.refund_id, case.cause, case.severity) == (
        "refund",
        refund.pk,
        "quality",
        "medium",
    )
    assert case.status == Status.NEW
    assert case.order is not None
    assert case.order.is_stub
    assert case.buyer is not None
    assert case.buyer.nick == "t**小白"
    assert case.assignee is not None
    assert list(case.events.values_list("kind", flat=True)) == ["opened", "assigned"]
    assert case.events.get(kind="opened").data["refund_id"] == 71
    assert CaseEvent.objects.count() == 2


def test_goods_coming_back_open_a_return_case(world: World) -> None:
    ingest_refunds(shop=world.shop_a, records=[_refund(has_return=True)], at=NOW)
    assert Case.objects.get().kind == "return"


def test_a_request_seen_first_when_already_finished_opens_nothing(world: World) -> None:
    result = ingest_refunds(
        shop=world.shop_a, records=[_refund(status="success", status_text="退款成功")], at=NOW
    )
    assert (result.stats.created, result.cases_opened) == (1, 0)
    assert not Case.objects.exists()


def test_first_contact_is_due_no_later_than_the_platform_timeout(world: World) -> None:
    opened = at("2026-11-20 22:30")  # after the default hours: the SLA would say tomorrow
    timeout = at("2026-11-20 23:00")
    ingest_refunds(shop=world.shop_a, records=[_refund(timeout_at=timeout)], at=opened)

    case = Case.objects.get()
    assert case.first_contact_due_at is not None
    assert opened <= case.first_contact_due_at <= timeout
    breach = Timer.objects.get(case=case, kind="first_contact_breach")
    assert breach.due_at == case.first_contact_due_at


def test_penalty_reasons_are_flagged(world: World) -> None:
    ingest_refunds(shop=world.shop_a, records=[_refund(reason="缺货")], at=NOW)
    case = Case.objects.get()
    assert (case.cause, case.risk_flags) == ("out_of_stock", ["penalty_reason"])
    assert case.refund is not None
    assert case.refund.penalty_amount() == Decimal("38.70")  # 30% of what was paid


def test_a_fake_goods_claim_goes_to_the_supervisor(world: World) -> None:
    ingest_refunds(shop=world.shop_a, records=[_refund(reason="收到假货")], at=NOW)
    case = Case.objects.get()
    assert (case.cause, case.severity, case.risk_flags) == (
        "fake_goods",
        "high",
        ["fake_goods_claim"],
    )
    assert case.assignee == world.supervisor


def test_the_buyers_words_decide_when_the_reason_says_nothing(world: World) -> None:
    text = "穿了一次就开线了，质量太差"
    ingest_refunds(shop=world.shop_a, records=[_refund(reason="其他", description=text)], at=NOW)
    case = Case.objects.get()
    verdict = triage_classify_batch(texts=[text], shop_slug=world.shop_a.slug)[0]
    assert case.cause == verdict.cause
    assert case.triage_model == f"{verdict.model_name}@{verdict.model_version}"


def test_a_refund_links_with_the_review_case_of_the_same_buyer_and_order(world: World) -> None:
    review = ReviewRecord(
        tid=TID,
        oid=TID,
        buyer_nick="t**小白",
        result="bad",
        rated_at=at("2026-11-20 09:00"),
        content="围巾掉毛严重，戴一次脖子全是毛",
        item_title="加厚羊毛围巾",
    )
    ingest_reviews(shop=world.shop_a, records=[review], source="test", at=NOW)
    review_case = Case.objects.get()
    ingest_refunds(shop=world.shop_a, records=[_refund()], at=NOW + dt.timedelta(minutes=5))

    refund_case = Case.objects.get(kind="refund")
    assert refund_case.link_key == review_case.link_key != ""
    assert refund_case.assignee_id == review_case.assignee_id
    assigned = refund_case.events.get(kind="assigned")
    assert assigned.data["rule"] == "linked"
    linked = refund_case.events.get(kind="linked")
    assert linked.data["count"] == 2
    # The refund found the review's item: a single-item order, even without an oid column.
    refund = Refund.objects.get()
    assert refund.order_item is not None
    assert refund.order_item.oid == TID


def test_a_later_order_import_fills_the_stub_the_refund_points_at(world: World) -> None:
    ingest_refunds(shop=world.shop_a, records=[_refund()], at=NOW)
    order = OrderRecord(
        tid=TID,
        buyer_nick="t**小白",
        status="TRADE_FINISHED",
        payment=Decimal("129.00"),
        items=(OrderItemRecord(oid=TID, title="加厚羊毛围巾"),),
    )
    ingest_orders(shop=world.shop_a, records=[order])
    refund = Refund.objects.select_related("order").get()
    assert refund.order is not None
    assert not refund.order.is_stub
    assert Order.objects.count() == 1


def test_refusal_raises_the_case_and_notes_it(world: World) -> None:
    ingest_refunds(shop=world.shop_a, records=[_refund()], at=NOW)
    refused = _refund(status="seller_refused", status_text="卖家拒绝退款")
    result = ingest_refunds(shop=world.shop_a, records=[refused], at=NOW + dt.timedelta(hours=1))

    assert (result.stats.changed, result.cases_opened) == (1, 0)
    case = Case.objects.get()
    assert (case.severity, case.status) == ("high", Status.NEW)
    event = case.events.get(kind=CaseEventKind.REFUND_CHANGED)
    assert (event.data["from"], event.data["to"]) == ("waiting_seller", "seller_refused")
    # Replaying the refused state adds nothing.
    ingest_refunds(shop=world.shop_a, records=[refused], at=NOW + dt.timedelta(hours=2))
    assert case.events.filter(kind=CaseEventKind.REFUND_CHANGED).count() == 1


def test_platform_intervention_flags_the_case_and_hands_it_to_a_supervisor(world: World) -> None:
    # Round robin in membership order: the first case goes to the supervisor, this one not.
    ingest_refunds(shop=world.shop_a, records=[_refund(70, tid=TID + 10)], at=NOW)
    ingest_refunds(shop=world.shop_a, records=[_refund(reason="七天无理由退换货")], at=NOW)
    assert Case.objects.get(refund__refund_id=71).assignee == world.agent_a
    stepped_in = _refund(
        reason="七天无理由退换货",
        status="seller_refused",
        status_text="卖家拒绝退款",
        intervention=True,
        intervention_text="客服介入中",
    )
    ingest_refunds(shop=world.shop_a, records=[stepped_in], at=NOW + dt.timedelta(hours=3))

    case = Case.objects.get(refund__refund_id=71)
    assert "platform_intervention" in case.risk_flags
    assert case.severity == "high"
    assert case.assignee == world.supervisor
    assert Refund.objects.get(refund_id=71).intervention is True
    assert case.events.filter(kind="assigned").last().data["from"] == world.agent_a.pk  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("_case", "status", "text", "outcome"),
    [
        ("refunded", "success", "退款成功", Outcome.SOLVED),
        ("withdrawn by the buyer", "closed", "退款关闭", Outcome.OTHER),
    ],
)
def test_end_states_close_the_case_with_a_note(
    world: World, _case: str, status: str, text: str, outcome: Outcome
) -> None:
    ingest_refunds(shop=world.shop_a, records=[_refund()], at=NOW)
    ingest_refunds(
        shop=world.shop_a,
        records=[_refund(status=status, status_text=text, finished_at=NOW)],
        at=NOW + dt.timedelta(days=1),
    )
    case = Case.objects.get()
    assert (case.status, case.outcome) == (Status.CLOSED, outcome)
    assert case.closed_at == NOW + dt.timedelta(days=1)
    assert case.events.filter(kind=CaseEventKind.REFUND_CHANGED).count() == 1
    assert not Timer.objects.pending().filter(case=case).exists()


def test_a_case_the_team_already_resolved_keeps_its_outcome(world: World) -> None:
    ingest_refunds(shop=world.shop_a, records=[_refund()], at=NOW)
    case = Case.objects.get()
    case_transition(actor=None, case=case, target=Status.RESOLVING, at=NOW)
    case_transition(
        actor=None,
        case=case,
        target=Status.RESOLVED,
        outcome=Outcome.SOLVED,
        reason="已换货",
        at=NOW,
    )
    ingest_refunds(
        shop=world.shop_a,
        records=[_refund(status="closed", status_text="退款关闭")],
        at=NOW + dt.timedelta(days=1),
    )
    case.refresh_from_db()
    assert (case.status, case.outcome) == (Status.RESOLVED, Outcome.SOLVED)
    assert case.events.filter(kind=CaseEventKind.REFUND_CHANGED).count() == 1
