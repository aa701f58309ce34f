from __future__ import annotations

import pytest

from reviewdesk.cases.models import Case, CaseEvent
from reviewdesk.cases.workflow import Outcome, Status
from reviewdesk.platforms.pipeline import ingest_gone_reviews, ingest_reviews
from reviewdesk.platforms.records import ReviewGoneRecord, ReviewRecord
from reviewdesk.reviews.models import Review, ReviewVersion
from tests.conftest import World, at

pytestmark = pytest.mark.postgres


def _review(oid: int, result: str, content: str = "", **kw: object) -> ReviewRecord:
    return ReviewRecord(
        tid=oid - 1,  # one order per review; linking a buyer's items is tested in tests/cases
        oid=oid,
        buyer_nick="t**小白",
        result=result,
        rated_at=at("2026-11-20 10:15"),
        content=content,
        item_title="加厚羊毛围巾",
        **kw,  # type: ignore[arg-type]
    )


def test_negative_reviews_open_cases_assigned_round_robin(world: World) -> None:
    records = [
        _review(3028689418086125, "bad", "围巾掉毛严重，戴一次脖子全是毛"),
        _review(3028689418086126, "neutral", "颜色和图片不太一样"),
        _review(3028689418086127, "good", "很暖和，喜欢"),
    ]
    result = ingest_reviews(shop=world.shop_a, records=records, source="test")

    assert result.stats.created == 3
    assert result.cases_opened == 2
    cases = list(Case.objects.order_by("id"))
    assert [c.review.oid for c in cases if c.review] == [3028689418086125, 3028689418086126]
    # Agents and supervisors take cases, in membership order: supervisor, agent_a, agent_a2.
    assert [c.assignee for c in cases] == [world.supervisor, world.agent_a]
    assert all(c.status == Status.NEW for c in cases)
    assert CaseEvent.objects.filter(case=cases[0]).count() == 2


def test_ids_keep_all_64_bits(world: World) -> None:
    big = 9_223_372_036_854_775_807
    ingest_reviews(shop=world.shop_a, records=[_review(big, "bad", "质量差")], source="test")
    assert Review.objects.get().oid == big


def test_replaying_the_same_records_changes_nothing(world: World) -> None:
    records = [_review(11, "bad", "质量太差"), _review(12, "good", "好")]
    ingest_reviews(shop=world.shop_a, records=records, source="test")
    again = ingest_reviews(shop=world.shop_a, records=records, source="test")

    assert (again.stats.created, again.stats.changed, again.stats.unchanged) == (0, 0, 2)
    assert again.cases_opened == 0
    assert Case.objects.count() == 1
    assert ReviewVersion.objects.count() == 2


def test_bad_review_turned_good_records_a_version_and_closes_the_case(world: World) -> None:
    ingest_reviews(shop=world.shop_a, records=[_review(21, "bad", "质量太差")], source="f1")
    ingest_reviews(
        shop=world.shop_a, records=[_review(21, "good", "客服处理很及时，满意")], source="f2"
    )

    review = Review.objects.get(oid=21)
    assert review.is_revised()
    assert [v.result for v in review.versions.all()] == ["bad", "good"]
    case = Case.objects.get(review=review)
    assert (case.status, case.outcome) == (Status.CLOSED, Outcome.REVISED)
    assert case.buyer_group() == "revised"
    assert case.events.filter(kind="review_changed").get().data["to"] == "good"


def test_deleted_review_closes_its_case_as_deleted(world: World) -> None:
    ingest_reviews(shop=world.shop_a, records=[_review(31, "neutral", "一般")], source="f1")
    ingest_gone_reviews(
        shop=world.shop_a,
        records=[ReviewGoneRecord(oid=31, observed_at=at("2026-11-21 09:00"))],
        source="poll",
    )
    case = Case.objects.get()
    assert (case.status, case.outcome) == (Status.CLOSED, Outcome.DELETED)


def test_followup_is_added_to_the_case_timeline(world: World) -> None:
    ingest_reviews(shop=world.shop_a, records=[_review(41, "bad", "发错颜色了")], source="f1")
    ingest_reviews(
        shop=world.shop_a,
        records=[
            _review(
                41,
                "bad",
                "发错颜色了",
                followup_content="联系了客服也没人回",
                followup_at=at("2026-11-25 20:00"),
            )
        ],
        source="f2",
    )
    case = Case.objects.get()
    assert case.events.filter(kind="followup").get().message == "联系了客服也没人回"
    assert case.is_open()


def test_round_robin_continues_across_batches(world: World) -> None:
    for oid in (61, 62, 63, 64):
        ingest_reviews(shop=world.shop_a, records=[_review(oid, "bad", "质量差")], source="t")
    assignees = [c.assignee for c in Case.objects.order_by("id")]
    assert assignees == [world.supervisor, world.agent_a, world.agent_a2, world.supervisor]


def test_shop_without_agents_leaves_case_unassigned(world: World) -> None:
    world.agent_b.memberships.update(is_active=False)
    ingest_reviews(shop=world.shop_b, records=[_review(51, "bad", "假货")], source="t")
    case = Case.objects.get()
    assert case.assignee is None
    assert case.events.get(kind="assigned").message == "店铺没有在岗客服，暂未分配"


def test_a_lone_surrogate_in_a_review_is_stored_replaced_not_failing_the_page(
    world: World,
) -> None:
    """Half an emoji (a lone UTF-16 surrogate, e.g. "\\ud83d" in the platform's JSON) must not
    make the page unstorable: it is kept as U+FFFD and the rest of the page lands."""
    records = [
        _review(21, "bad", "质量太差了\ud83d退货"),
        _review(22, "bad", "掉毛严重", followup_content="还是掉\udc00毛"),
    ]
    result = ingest_reviews(shop=world.shop_a, records=records, source="test")

    assert result.stats.created == 2
    assert result.cases_opened == 2
    stored = Review.objects.get(oid=21)
    assert stored.content == "质量太差了\ufffd退货"
    assert stored.triage["cause"]  # triaged like any text
