"""Refund and return cases on the workbench: the refund panel, the queue row, the partials."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from reviewdesk.cases.models import Case
from reviewdesk.platforms.pipeline import ingest_refunds
from reviewdesk.platforms.records import RefundRecord
from tests.conftest import at
from tests.web.conftest import NOW, OID_GLOVES, TID_XIAOBAI, Desk

pytestmark = pytest.mark.postgres

REFUND_ID = 117203946195812401


def _refund_case(desk: Desk, **kw: object) -> Case:
    values: dict[str, object] = {
        "tid": TID_XIAOBAI,
        "oid": OID_GLOVES,
        "buyer_nick": "t**小白",
        "status": "waiting_seller",
        "status_text": "买家已经申请退款，等待卖家同意",
        "reason": "颜色/图案/款式与商品描述不符",
        "description": "手套颜色和图片差太多了，想退货",
        "amount": Decimal("79.00"),
        "item_title": "触屏羊毛手套",
        "applied_at": at("2026-11-20 11:00"),
        "timeout_at": at("2026-11-22 11:00"),
        "phase": "after_sale",
        "has_return": True,
        **kw,
    }
    ingest_refunds(
        shop=desk.world.shop_a,
        records=[RefundRecord(refund_id=REFUND_ID, **values)],  # type: ignore[arg-type]
        at=at("2026-11-20 11:02"),
    )
    return Case.objects.get(refund__refund_id=REFUND_ID)


def test_the_case_page_shows_the_refund_panel(client: Client, desk: Desk) -> None:
    case = _refund_case(desk)
    client.force_login(desk.world.supervisor)
    with time_machine.travel(NOW, tick=False):
        response = client.get(reverse("web:case_detail", args=[case.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    panel = html[html.index('id="case-refund"') :]
    assert "颜色/图案/款式与商品描述不符" in panel
    assert "手套颜色和图片差太多了，想退货" in panel
    assert "¥79.00" in panel
    assert str(REFUND_ID) in panel
    assert 'data-due="2026-11-22T11:00:00+08:00"' in panel  # the platform timeout counts down
    assert "退货申请" in html  # the panel's title, in Chinese
    assert "This case has no review." not in html
    # Linked with the scarf review case of the same buyer and order.
    assert f"#{desk.scarf_case.pk}" in html[html.index('id="case-linked"') :]


def test_advice_for_a_penalty_reason_names_the_cost(client: Client, desk: Desk) -> None:
    case = _refund_case(desk, reason="缺货", has_return=False)
    client.force_login(desk.world.supervisor)
    with time_machine.travel(NOW, tick=False):
        html = client.get(reverse("web:case_detail", args=[case.pk])).content.decode()
    assert "¥71.10" in html  # 30% of the order's ¥237.00


def test_every_partial_of_a_refund_case_renders(client: Client, desk: Desk) -> None:
    case = _refund_case(desk, status="seller_refused", intervention=True)
    client.force_login(desk.world.supervisor)
    for name in (
        "replies:playbook",
        "replies:scripts",
        "replies:explanation",
        "replies:compensation",
        "web:case_dsr_impact",
    ):
        response = client.get(reverse(name, args=[case.pk]))
        assert response.status_code == 200, name


def test_the_queue_lists_the_refund_case(client: Client, desk: Desk) -> None:
    case = _refund_case(desk)
    client.force_login(desk.world.supervisor)
    with time_machine.travel(NOW + dt.timedelta(minutes=1), tick=False):
        html = client.get(reverse("web:case_queue")).content.decode()
    row = html[html.index(f'data-case-id="{case.pk}"') :]
    row = row[: row.index("</tr>")]
    assert "颜色/图案/款式与商品描述不符" in row
    assert "¥79.00" in row
    assert "触屏羊毛手套" in row


def test_the_queue_finds_a_case_by_refund_id(client: Client, desk: Desk) -> None:
    case = _refund_case(desk)
    client.force_login(desk.world.supervisor)
    html = client.get(reverse("web:case_queue"), {"q": str(REFUND_ID)}).content.decode()
    assert f'data-case-id="{case.pk}"' in html
    assert f'data-case-id="{desk.ahua_case.pk}"' not in html


def test_a_penalty_reason_gets_the_verify_first_playbook(client: Client, desk: Desk) -> None:
    case = _refund_case(desk, reason="缺货", has_return=True)
    assert case.kind == "refund"  # 缺货 keeps the refund playbook even with goods coming back
    client.force_login(desk.world.supervisor)
    html = client.get(reverse("replies:playbook", args=[case.pk])).content.decode()
    assert "核实库存和实际发货时间" in html
