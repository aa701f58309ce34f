from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from reviewdesk.cases.models import Case, CaseEvent, Timer, TimerKind
from reviewdesk.cases.selectors import CaseFilters, case_list
from reviewdesk.cases.workflow import Outcome, Status
from reviewdesk.platforms.pipeline import ingest_gone_reviews, ingest_reviews
from reviewdesk.platforms.records import ReviewGoneRecord
from tests.cases.helpers import TID, open_cases, record, triage
from tests.conftest import World, at

pytestmark = pytest.mark.postgres

# Seed 004: one buyer, one order, four items bought, two exchanged and a gift, all rated bad.
SEED_004_ITEMS = [
    ("打底裤 黑色", "发错颜色了，客服答应换货却不给退货地址"),
    ("打底裤 灰色", "一样的问题，没人理"),
    ("针织开衫", "客服态度太差，差评"),
    ("羊毛围巾", "等了一晚上没人回复"),
    ("加绒卫衣", "不想再买了"),
    ("秋冬袜子", "差评"),
    ("赠品 发夹", "送的东西也不要了"),
]


def test_seven_bad_reviews_of_one_order_are_linked_and_go_to_one_agent(world: World) -> None:
    records = [
        record(4011861234567801 + i, "bad", text, tid=TID, buyer="河北买家小刘", item_title=title)
        for i, (title, text) in enumerate(SEED_004_ITEMS)
    ]
    with time_machine.travel(at("2026-10-03 21:00"), tick=False):
        cases = open_cases(world.shop_a, records)

    assert len(cases) == 7
    assert len({c.link_key for c in cases}) == 1
    assert {c.assignee_id for c in cases} == {world.supervisor.pk}
    follower = CaseEvent.objects.get(case=cases[3], kind="assigned")
    assert follower.data["rule"] == "linked"
    assert CaseEvent.objects.get(case=cases[0], kind="linked").data["count"] == 7


def test_a_later_review_of_the_same_order_follows_the_open_case(world: World) -> None:
    first = open_cases(world.shop_a, [record(21, tid=TID)])[0]
    second = open_cases(world.shop_a, [record(22, tid=TID)])[0]
    third_other_order = open_cases(world.shop_a, [record(23, tid=TID + 5)])[0]
    assert second.assignee_id == first.assignee_id == world.supervisor.pk
    assert "跟随关联工单" in CaseEvent.objects.get(case=second, kind="assigned").message
    assert third_other_order.assignee_id == world.agent_a.pk


def test_a_good_review_that_triage_reads_as_a_complaint_opens_a_low_case(world: World) -> None:
    records = [record(31, "good", "好评，就是快递太慢了，箱子都破了"), record(32, "good", "很好")]
    cases = open_cases(
        world.shop_a, records, triaged={31: triage(cause="logistics", severity="high")}
    )
    assert [c.review.oid for c in cases if c.review] == [31]
    assert (cases[0].severity, cases[0].cause, cases[0].kind) == ("low", "logistics", "review")
    assert cases[0].revision_window_ends_at is None
    # Its buyer gave a good review: in none of the neutral/bad buyer groups (DOMAIN R7).
    assert cases[0].buyer_group() is None
    for group in ("neutral", "bad", "offered", "revised"):
        filtered = case_list(actor=world.owner, filters=CaseFilters(group=group))
        assert cases[0] not in filtered


def test_opening_copies_triage_and_sets_sla_window_and_priority(world: World) -> None:
    with time_machine.travel(at("2026-11-20 10:15"), tick=False):
        case = open_cases(
            world.shop_a,
            [record(41, rated_at=at("2026-11-20 10:00"))],
            triaged={41: triage(severity="medium")},
        )[0]
    case.refresh_from_db()
    assert case.triage_model == "lexicon@1"
    assert case.sla_rule == "immediate"
    assert case.first_contact_due_at == at("2026-11-20 10:30")
    assert case.revision_window_ends_at == at("2026-12-20 10:00")
    assert case.priority == 30  # medium 25 + window more than 10 days away 5
    kinds = sorted(Timer.objects.filter(case=case).values_list("kind", flat=True))
    assert kinds == sorted(
        [
            TimerKind.FIRST_CONTACT_WARNING,
            TimerKind.FIRST_CONTACT_BREACH,
            TimerKind.RESOLUTION_WARNING,
            TimerKind.RESOLUTION_BREACH,
            TimerKind.REVISION_WINDOW,
            TimerKind.REVISION_WINDOW,
        ]
    )


def test_a_review_close_to_its_window_end_gets_top_priority(world: World) -> None:
    with time_machine.travel(at("2026-11-20 10:15"), tick=False):
        near, far = open_cases(
            world.shop_a,
            [
                record(51, rated_at=at("2026-10-22 10:00")),
                record(52, rated_at=at("2026-11-20 09:00")),
            ],
        )
    assert near.priority > far.priority
    assert near.sla_rule == "immediate"  # 29 days old: still a fresh review for R3


def test_an_old_review_uses_the_six_month_playbook(world: World) -> None:
    with time_machine.travel(at("2026-11-20 10:15"), tick=False):
        case = open_cases(world.shop_a, [record(61, rated_at=at("2026-03-01 10:00"))])[0]
    assert case.sla_rule == "over_6_months"
    assert case.revision_window_ends_at is not None
    assert not Timer.objects.filter(case=case, kind=TimerKind.REVISION_WINDOW).exists()


def test_revision_closes_the_case_with_evidence_and_cancels_its_timers(world: World) -> None:
    with time_machine.travel(at("2026-11-20 10:15"), tick=False):
        ingest_reviews(shop=world.shop_a, records=[record(71, "bad", "质量太差")], source="poll")
    with time_machine.travel(at("2026-11-22 20:30"), tick=False):
        ingest_reviews(
            shop=world.shop_a, records=[record(71, "good", "客服处理很及时，满意")], source="poll"
        )
    case = Case.objects.get()
    assert (case.status, case.outcome, case.buyer_group()) == (
        Status.CLOSED,
        Outcome.REVISED,
        "revised",
    )
    evidence = case.events.get(kind="review_changed").data
    assert evidence["to"] == "good"
    assert evidence["content"] == "客服处理很及时，满意"
    assert evidence["within_window"] is True
    assert not Timer.objects.pending().filter(case=case).exists()


def test_deletion_closes_the_case_as_deleted(world: World) -> None:
    open_cases(world.shop_a, [record(81, "neutral", "一般")])
    ingest_gone_reviews(
        shop=world.shop_a,
        records=[ReviewGoneRecord(oid=81, observed_at=at("2026-11-21 09:00"))],
        source="poll",
    )
    case = Case.objects.get()
    assert (case.status, case.outcome) == (Status.CLOSED, Outcome.DELETED)
    assert not Timer.objects.pending().filter(case=case).exists()


def test_tmall_reviews_have_no_revision_window(world: World) -> None:
    case = open_cases(world.shop_b, [record(91)])[0]
    assert case.revision_window_ends_at is None
    assert case.first_contact_due_at is not None
    assert case.first_contact_due_at - case.opened_at <= dt.timedelta(hours=13)
