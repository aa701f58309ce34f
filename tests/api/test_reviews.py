from __future__ import annotations

import pytest
from django.test import Client

from tests.api.conftest import bearer
from tests.web.conftest import OID_REVISED, OID_SHOP_B, Desk

pytestmark = pytest.mark.postgres


def test_lists_the_reviews_of_the_callers_shops(client: Client, desk: Desk) -> None:
    body = client.get("/api/reviews", headers=bearer(desk.world.agent_a)).json()
    assert body["count"] == 5  # scarf, gloves, 阿花, revised, 小美; not shop B's
    assert OID_SHOP_B not in {r["oid"] for r in body["items"]}


def test_filters_by_result(client: Client, desk: Desk) -> None:
    body = client.get("/api/reviews?result=neutral", headers=bearer(desk.world.agent_a)).json()
    assert [r["buyer"]["nick"] for r in body["items"]] == ["j**阿花"]


def test_invalid_result_is_rejected(client: Client, desk: Desk) -> None:
    response = client.get("/api/reviews?result=great", headers=bearer(desk.world.agent_a))
    assert response.status_code == 422


def test_reads_a_review_with_its_versions(client: Client, desk: Desk) -> None:
    review_id = desk.revised_case.review_id
    response = client.get(f"/api/reviews/{review_id}", headers=bearer(desk.world.agent_a))
    review = response.json()
    assert review["oid_str"] == str(OID_REVISED)
    assert (review["first_result"], review["result"]) == ("bad", "good")
    assert review["revised_at"] is not None
    assert [(v["number"], v["result"]) for v in review["versions"]] == [(1, "bad"), (2, "good")]


def test_review_of_another_shop_is_not_found(client: Client, desk: Desk) -> None:
    review_id = desk.shop_b_case.review_id
    response = client.get(f"/api/reviews/{review_id}", headers=bearer(desk.world.agent_a))
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
