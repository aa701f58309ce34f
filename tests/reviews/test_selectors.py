from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from reviewdesk.reviews.selectors import (
    ReviewError,
    ReviewErrorCode,
    buyer_contact,
    contact_visible_shop_ids,
    review_get,
    review_list,
    reviews_by_oid_for_order,
)
from tests.conftest import World
from tests.web.conftest import (
    ADDRESS,
    OID_AHUA,
    OID_GLOVES,
    OID_SCARF,
    OID_SHOP_B,
    PHONE,
    TID_XIAOBAI,
    Desk,
    build_desk,
)

pytestmark = pytest.mark.postgres


@pytest.fixture
def desk(world: World) -> Desk:
    return build_desk(world)


def test_lists_only_the_reviews_of_visible_shops(desk: Desk) -> None:
    oids = set(review_list(actor=desk.world.agent_a).values_list("oid", flat=True))
    assert OID_SHOP_B not in oids
    assert {OID_SCARF, OID_GLOVES, OID_AHUA} <= oids
    assert set(review_list(actor=desk.world.agent_b).values_list("oid", flat=True)) == {OID_SHOP_B}
    assert not review_list(actor=AnonymousUser()).exists()


def test_filters_by_result_and_rejects_unknown_results(desk: Desk) -> None:
    neutral = review_list(actor=desk.world.agent_a, result="neutral")
    assert [r.oid for r in neutral] == [OID_AHUA]
    with pytest.raises(ReviewError) as excinfo:
        review_list(actor=desk.world.agent_a, result="great")
    assert excinfo.value.code is ReviewErrorCode.INVALID_FILTER


def test_get_hides_other_shops_reviews_as_not_found(desk: Desk) -> None:
    review_id = desk.shop_b_case.review_id
    assert review_id is not None
    with pytest.raises(ReviewError) as excinfo:
        review_get(actor=desk.world.agent_a, review_id=review_id)
    assert excinfo.value.code is ReviewErrorCode.NOT_FOUND
    assert review_get(actor=desk.world.agent_b, review_id=review_id).oid == OID_SHOP_B


def test_reviews_of_one_order_by_item(desk: Desk) -> None:
    found = reviews_by_oid_for_order(
        actor=desk.world.agent_a, shop_id=desk.world.shop_a.pk, tid=TID_XIAOBAI
    )
    assert {oid: r.result for oid, r in found.items()} == {OID_SCARF: "bad", OID_GLOVES: "good"}
    assert (
        reviews_by_oid_for_order(
            actor=desk.world.agent_b, shop_id=desk.world.shop_a.pk, tid=TID_XIAOBAI
        )
        == {}
    )


@pytest.mark.parametrize(
    ("_case", "username", "sees_clear"),
    [
        ("agent", "agent_a", False),
        ("supervisor", "supervisor", True),
        ("owner", "owner", True),
        ("agent of another shop", "agent_b", False),
    ],
)
def test_contact_is_clear_for_supervisors_and_above(
    desk: Desk, _case: str, username: str, sees_clear: bool
) -> None:
    actor = getattr(desk.world, username)
    buyer = desk.scarf_case.buyer
    contact = buyer_contact(buyer=buyer, visible_shop_ids=contact_visible_shop_ids(actor=actor))
    assert contact is not None
    assert contact.masked is not sees_clear
    if sees_clear:
        assert (contact.phone, contact.address, contact.receiver_name) == (PHONE, ADDRESS, "王小明")
    else:
        assert (contact.phone, contact.address, contact.receiver_name) == (
            "138****5678",
            "浙江省 杭州市 ****",
            "王**",
        )
