from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client

from reviewdesk.platforms.pipeline import ingest_logistics, ingest_refunds, ingest_reviews
from reviewdesk.platforms.records import RefundRecord, ReviewRecord, ShipmentRecord, TraceRecord
from tests.api.conftest import bearer
from tests.conftest import at
from tests.web.conftest import OID_GLOVES, OID_SCARF, PHONE, TID_XIAOBAI, Desk

pytestmark = pytest.mark.postgres


def test_lists_the_cases_of_the_callers_shops(client: Client, desk: Desk) -> None:
    body = client.get("/api/cases", headers=bearer(desk.world.agent_a)).json()
    ids = {c["id"] for c in body["items"]}
    assert ids == {desk.scarf_case.pk, desk.ahua_case.pk, desk.revised_case.pk}
    assert body["count"] == 3
    assert (body["page"], body["pages"], body["page_size"]) == (1, 1, 50)


@pytest.mark.parametrize(
    ("_case", "query", "expected"),
    [
        ("open", "status=open", {"scarf", "ahua"}),
        ("closed", "status=closed", {"revised"}),
        ("neutral group", "group=neutral", {"ahua"}),
        ("revised group", "group=revised", {"revised"}),
        ("bad result", "result=bad", {"scarf"}),
        ("other shop", "shop=shop-b", set()),
        ("unassigned", "assignee=none", set()),
    ],
)
def test_filters_like_the_queue(
    client: Client, desk: Desk, _case: str, query: str, expected: set[str]
) -> None:
    names = {"scarf": desk.scarf_case, "ahua": desk.ahua_case, "revised": desk.revised_case}
    body = client.get(f"/api/cases?{query}", headers=bearer(desk.world.agent_a)).json()
    assert {c["id"] for c in body["items"]} == {names[n].pk for n in expected}


def test_unknown_status_is_a_400_with_the_code(client: Client, desk: Desk) -> None:
    response = client.get("/api/cases?status=sleeping", headers=bearer(desk.world.agent_a))
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_filter"


def test_paginates(client: Client, desk: Desk) -> None:
    headers = bearer(desk.world.agent_a)
    first = client.get("/api/cases?page_size=2", headers=headers).json()
    second = client.get("/api/cases?page_size=2&page=2", headers=headers).json()
    assert (first["pages"], len(first["items"]), len(second["items"])) == (2, 2, 1)
    assert {c["id"] for c in first["items"]}.isdisjoint(c["id"] for c in second["items"])


def test_reads_a_case_with_order_versions_and_timeline(client: Client, desk: Desk) -> None:
    response = client.get(f"/api/cases/{desk.scarf_case.pk}", headers=bearer(desk.world.agent_a))
    assert response.status_code == 200
    case = response.json()
    assert case["shop"] == "shop-a"
    assert case["status"] == "new"
    assert case["buyer_group"] == "bad"
    assert case["review"]["oid"] == OID_SCARF
    assert case["review"]["oid_str"] == str(OID_SCARF)
    assert case["review"]["content"] == "围巾掉毛严重，戴一次脖子全是毛，差评！"
    assert case["order"]["tid_str"] == str(TID_XIAOBAI)
    assert case["order"]["payment"] == "237.00"
    assert [i["oid"] for i in case["order"]["items"]] == [OID_SCARF, OID_GLOVES]
    assert [v["number"] for v in case["versions"]] == [1]
    assert [e["kind"] for e in case["events"]] == ["opened", "assigned"]
    assert case["events"][0]["message"] == "新的中差评，已登记"


def test_ids_beyond_2_pow_53_keep_every_digit(client: Client, desk: Desk) -> None:
    tid, oid = 4_611_686_018_427_387_903, 4_611_686_018_427_387_904  # 19 digits, > 2^53
    ingest_reviews(
        shop=desk.world.shop_a,
        records=[
            ReviewRecord(
                tid=tid,
                oid=oid,
                buyer_nick="s**石头",
                result="bad",
                rated_at=at("2026-11-20 11:00"),
                content="鞋底开胶了",
                item_title="帆布鞋",
            )
        ],
        source="test",
    )
    body = client.get("/api/cases?result=bad", headers=bearer(desk.world.supervisor)).json()
    review = next(c["review"] for c in body["items"] if c["review"]["oid_str"] == str(oid))
    assert review["oid"] == oid  # exact in JSON text; Python's json reads it as int
    assert review["tid_str"] == str(tid)


def test_case_of_another_shop_is_not_found(client: Client, desk: Desk) -> None:
    response = client.get(f"/api/cases/{desk.shop_b_case.pk}", headers=bearer(desk.world.agent_a))
    assert response.status_code == 404
    assert response.json() == {
        "code": "not_found",
        "detail": f"case {desk.shop_b_case.pk} not found",
    }


def test_contact_is_masked_for_agents_and_clear_for_supervisors(client: Client, desk: Desk) -> None:
    url = f"/api/cases/{desk.scarf_case.pk}"
    agent_view = client.get(url, headers=bearer(desk.world.agent_a)).json()["buyer"]
    supervisor_view = client.get(url, headers=bearer(desk.world.supervisor)).json()["buyer"]
    assert agent_view == {
        "nick": "t**小白",
        "phone": "138****5678",
        "address": "浙江省 杭州市 ****",
        "receiver_name": "王**",
        "masked": True,
    }
    assert supervisor_view["phone"] == PHONE
    assert supervisor_view["masked"] is False


def test_reads_a_refund_case_with_its_request(client: Client, desk: Desk) -> None:
    refund = RefundRecord(
        refund_id=117203946195812401,
        tid=TID_XIAOBAI,
        oid=OID_GLOVES,
        buyer_nick="t**小白",
        status="waiting_seller",
        status_text="买家已经申请退款，等待卖家同意",
        reason="缺货",
        amount=Decimal("79.00"),
        timeout_at=at("2026-11-22 11:00"),
    )
    ingest_refunds(shop=desk.world.shop_a, records=[refund], at=at("2026-11-20 11:00"))
    body = client.get("/api/cases?status=open", headers=bearer(desk.world.agent_a)).json()
    case = next(c for c in body["items"] if c["refund"] is not None)
    assert (case["kind"], case["review"], case["cause"]) == ("refund", None, "out_of_stock")
    assert case["refund"]["refund_id_str"] == "117203946195812401"
    assert case["refund"]["amount"] == "79.00"
    assert case["refund"]["status"] == "waiting_seller"
    detail = client.get(f"/api/cases/{case['id']}", headers=bearer(desk.world.agent_a))
    assert detail.status_code == 200
    assert detail.json()["refund"]["timeout_at"] == "2026-11-22T03:00:00Z"


def test_reads_a_logistics_case_with_its_parcel(client: Client, desk: Desk) -> None:
    consigned = at("2026-11-16 10:00")
    parcel = ShipmentRecord(
        tid=TID_XIAOBAI,
        buyer_nick="t**小白",
        carrier="韵达快递",
        tracking_no="4312345678901",
        consigned_at=consigned,
        trace=(TraceRecord(consigned, "CONSIGN", "卖家已发货"),),
    )
    ingest_logistics(shop=desk.world.shop_a, records=[parcel], at=at("2026-11-20 11:00"))
    body = client.get("/api/cases?status=open", headers=bearer(desk.world.agent_a)).json()
    case = next(c for c in body["items"] if c["shipment"] is not None)
    assert (case["kind"], case["cause"], case["review"]) == ("logistics", "not_collected", None)
    assert case["shipment"]["tracking_no"] == "4312345678901"
    assert case["shipment"]["consigned_at"] == "2026-11-16T02:00:00Z"
    other = client.get(f"/api/cases/{case['id']}", headers=bearer(desk.world.agent_b))
    assert other.status_code == 404
