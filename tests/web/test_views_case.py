from __future__ import annotations

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from tests.web.conftest import ADDRESS, NOW, PHONE, Desk

pytestmark = pytest.mark.postgres


def _page(client: Client, case_id: int) -> str:
    response = client.get(reverse("web:case_detail", args=[case_id]))
    assert response.status_code == 200
    return response.content.decode()


def test_requires_login(client: Client, desk: Desk) -> None:
    response = client.get(reverse("web:case_detail", args=[desk.scarf_case.pk]))
    assert response.status_code == 302


def test_case_of_another_shop_is_not_found(client: Client, desk: Desk) -> None:
    client.force_login(desk.world.agent_a)
    response = client.get(reverse("web:case_detail", args=[desk.shop_b_case.pk]))
    assert response.status_code == 404
    assert "假货" not in response.content.decode()


def test_unknown_case_is_not_found(client: Client, desk: Desk) -> None:
    client.force_login(desk.world.agent_a)
    assert client.get(reverse("web:case_detail", args=[999_999])).status_code == 404


def test_shows_review_order_items_and_timeline(client: Client, desk: Desk) -> None:
    client.force_login(desk.world.agent_a)
    with time_machine.travel(NOW, tick=False):
        html = _page(client, desk.scarf_case.pk)
    assert "围巾掉毛严重，戴一次脖子全是毛，差评！" in html
    assert "3028689418086124" in html  # tid, all digits
    assert "3028689418086126" in html  # the other item of the order
    assert "触屏羊毛手套" in html
    assert "¥158.00" in html
    assert "¥237.00" in html
    timeline = html[html.index('<ol class="timeline">') :]
    messages = [e.message for e in desk.scarf_case.events.order_by("at", "id")]
    assert len(messages) >= 2  # opened, assigned
    positions = [timeline.index(escape(m)) for m in messages]
    assert positions == sorted(positions)  # oldest first, newest last
    assert "3小时前" in html


def test_shows_every_version_of_a_revised_review(client: Client, desk: Desk) -> None:
    client.force_login(desk.world.agent_a)
    html = _page(client, desk.revised_case.pk)
    versions = html[html.index('<ol class="versions">') :]
    first = versions.index("快递太慢了，等了一个星期")
    second = versions.index("客服很负责，问题解决了，衣服质量不错")
    assert first < second  # v1 then v2, oldest first
    assert ">v1<" in versions
    assert ">v2<" in versions
    assert "买家已将评价修改为好评，工单自动关闭" in html
    assert "已改好评" in html  # outcome


def test_contact_is_masked_for_an_agent(client: Client, desk: Desk) -> None:
    client.force_login(desk.world.agent_a)
    html = _page(client, desk.scarf_case.pk)
    assert "138****5678" in html
    assert PHONE not in html
    assert "浙江省 杭州市 ****" in html
    assert "文三路" not in html
    assert "王**" in html


def test_contact_is_visible_to_the_supervisor(client: Client, desk: Desk) -> None:
    client.force_login(desk.world.supervisor)
    html = _page(client, desk.scarf_case.pk)
    assert PHONE in html
    assert ADDRESS in html
    assert "王小明" in html


def test_case_page_queries_are_bounded(
    client: Client, desk: Desk, django_assert_max_num_queries: object
) -> None:
    client.force_login(desk.world.supervisor)
    # session, user, case (+ its prefetches), the order's reviews, contact rights, contacts, next
    # channel, linked, top-bar shops, the bell; versions, items and timeline rows are prefetched,
    # never fetched one by one.
    with django_assert_max_num_queries(16):  # type: ignore[operator]
        _page(client, desk.revised_case.pk)
