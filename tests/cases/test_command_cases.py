from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from reviewdesk.platforms.pipeline import ingest_refunds, ingest_reviews
from reviewdesk.platforms.records import RefundRecord, ReviewRecord
from tests.conftest import World, at

pytestmark = pytest.mark.postgres


def _seed(world: World) -> None:
    def rec(oid: int, result: str, content: str) -> ReviewRecord:
        return ReviewRecord(
            tid=oid - 1,
            oid=oid,
            buyer_nick="小***猫",
            result=result,
            content=content,
            rated_at=at("2026-11-20 10:15"),
            item_title="珊瑚绒四件套",
        )

    ingest_reviews(
        shop=world.shop_a,
        records=[
            rec(4011861234567801, "bad", "起球严重"),
            rec(4011861234567802, "neutral", "一般"),
        ],
        source="t",
    )
    ingest_reviews(shop=world.shop_b, records=[rec(4011861234567901, "bad", "发错货")], source="t")


def _json_rows(*args: str) -> list[dict[str, object]]:
    out = StringIO()
    call_command("cases", "list", *args, "--json", stdout=out, stderr=StringIO())
    return [json.loads(line) for line in out.getvalue().splitlines()]


def test_lists_a_shops_cases_as_json_objects(world: World) -> None:
    _seed(world)
    rows = _json_rows("--shop", "shop-a")

    assert [(r["oid"], r["result"], r["status"], r["assignee"]) for r in rows] == [
        (4011861234567802, "neutral", "new", "agent_a"),
        (4011861234567801, "bad", "new", "supervisor"),
    ]
    assert rows[0]["group"] == "neutral"
    assert rows[1]["group"] == "bad"


def test_filters_by_group_and_assignee(world: World) -> None:
    _seed(world)
    assert [r["oid"] for r in _json_rows("--shop", "shop-a", "--group", "bad")] == [
        4011861234567801
    ]
    assert [r["oid"] for r in _json_rows("--assignee", "agent_b")] == [4011861234567901]
    assert _json_rows("--status", "closed") == []


def test_scopes_to_a_user_with_as(world: World) -> None:
    _seed(world)
    rows = _json_rows("--as", "agent_b")
    assert {r["shop"] for r in rows} == {"shop-b"}


def test_unknown_shop_or_status_is_a_usage_error(world: World) -> None:
    with pytest.raises(CommandError, match="unknown shop") as exc:
        _json_rows("--shop", "nope")
    assert exc.value.returncode == 2
    with pytest.raises(CommandError, match="unknown status"):
        _json_rows("--status", "pending")


def test_lists_a_refund_case_with_its_request(world: World) -> None:
    refund = RefundRecord(
        refund_id=117203946195812401,
        tid=4011861234567800,
        buyer_nick="小***猫",
        status="seller_refused",
        reason="收到假货",
        item_title="珊瑚绒四件套",
    )
    ingest_refunds(shop=world.shop_a, records=[refund], at=at("2026-11-20 11:00"))
    rows = _json_rows("--shop", "shop-a")
    row = next(r for r in rows if r["refund"] is not None)
    assert (row["kind"], row["tid"], row["item"], row["result"]) == (
        "refund",
        4011861234567800,
        "珊瑚绒四件套",
        None,
    )
    assert row["refund"] == {
        "refund_id": 117203946195812401,
        "status": "seller_refused",
        "reason": "收到假货",
        "amount": None,
        "timeout_at": None,
        "intervention": False,
    }
