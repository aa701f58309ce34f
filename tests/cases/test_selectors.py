from __future__ import annotations

import pytest

from reviewdesk.cases.errors import CaseError, CaseErrorCode
from reviewdesk.cases.models import Notification
from reviewdesk.cases.selectors import CaseFilters, case_linked, case_list, notifications_unread
from reviewdesk.cases.services.notifications import notification_mark_read
from reviewdesk.cases.services.policy import (
    compliance_practice_allow,
    compliance_practice_revoke,
    shop_compliance,
)
from tests.cases.helpers import TID, open_cases, record
from tests.conftest import World, at

pytestmark = pytest.mark.postgres


def test_notifications_are_only_the_actors_own(world: World) -> None:
    mine = Notification.objects.create(
        user=world.agent_a,
        kind="assigned",
        message="工单 #1 已转给你",
        created_at=at("2026-11-20 10:15"),
    )
    Notification.objects.create(
        user=world.agent_b, kind="assigned", message="工单 #2", created_at=at("2026-11-20 10:15")
    )
    assert list(notifications_unread(actor=world.agent_a)) == [mine]
    assert notification_mark_read(actor=world.agent_b, notification_id=mine.pk) == 0
    assert notification_mark_read(actor=world.agent_a, notification_id=mine.pk) == 1
    assert not notifications_unread(actor=world.agent_a).exists()


def test_linked_cases_are_scoped_like_every_read(world: World) -> None:
    first, second = open_cases(world.shop_a, [record(701, tid=TID), record(702, tid=TID)])
    assert list(case_linked(actor=world.agent_a, case=first)) == [second]
    assert list(case_list(actor=world.agent_b, filters=CaseFilters(linked_to=first.pk))) == []


def test_unknown_order_is_an_invalid_filter(world: World) -> None:
    with pytest.raises(CaseError) as refused:
        list(case_list(actor=world.agent_a, filters=CaseFilters(order="random")))
    assert refused.value.code is CaseErrorCode.INVALID_FILTER


def test_compliance_is_strict_until_the_owner_acknowledges_the_conflict(world: World) -> None:
    assert shop_compliance(shop=world.shop_a).profile == "strict"
    with pytest.raises(CaseError) as not_owner:
        compliance_practice_allow(
            actor=world.supervisor,
            shop=world.shop_a,
            practice="solicit_revision",
            acknowledged=True,
        )
    assert not_owner.value.code is CaseErrorCode.NOT_ALLOWED
    with pytest.raises(CaseError) as unacknowledged:
        compliance_practice_allow(
            actor=world.owner, shop=world.shop_a, practice="solicit_revision", acknowledged=False
        )
    assert "评价规范" in unacknowledged.value.details[0]
    assert shop_compliance(shop=world.shop_a).profile == "strict"

    policy = compliance_practice_allow(
        actor=world.owner, shop=world.shop_a, practice="solicit_revision", acknowledged=True
    )
    assert policy.profile == "custom"
    assert policy.allowed[0]["by"] == "owner"
    assert policy.allowed[0]["conflicts_with"]
    assert (
        compliance_practice_revoke(
            actor=world.owner, shop=world.shop_a, practice="solicit_revision"
        ).profile
        == "strict"
    )


@pytest.mark.parametrize(
    ("_case", "q", "expected"),
    [
        ("nick fragment", "小白", {701}),
        ("other nick", "阿花", {801}),
        ("exact order id", str(TID), {701}),
        ("exact sub-order id", "801", {801}),
        ("part of an id is not a match", str(TID)[:8], set()),
        ("blank searches nothing away", "  ", {701, 801}),
        ("beyond 64 bits", "9" * 25, set()),
    ],
)
def test_search_by_buyer_nick_or_order_id(
    world: World, _case: str, q: str, expected: set[int]
) -> None:
    open_cases(
        world.shop_a,
        [record(701, tid=TID), record(801, tid=800, buyer="j**阿花", content="有点色差")],
    )
    found = case_list(actor=world.agent_a, filters=CaseFilters(q=q))
    assert {c.review.oid for c in found if c.review} == expected
    assert not case_list(actor=world.agent_b, filters=CaseFilters(q="小白")).exists()
