from __future__ import annotations

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from reviewdesk.platforms.pipeline import ingest_reviews
from reviewdesk.platforms.records import ReviewRecord
from tests.conftest import at
from tests.web.conftest import NOW, OPENED, Desk

pytestmark = pytest.mark.postgres

QUEUE = reverse("web:case_queue")


def _queue(client: Client, **params: str) -> str:
    response = client.get(QUEUE, params)
    assert response.status_code == 200
    return response.content.decode()


def _case_ids(html: str) -> set[int]:
    import re

    return {int(m) for m in re.findall(r'data-case-id="(\d+)"', html)}


def test_anonymous_visitor_is_sent_to_login(client: Client, desk: Desk) -> None:
    response = client.get(QUEUE)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next=/"


def test_login_page_renders_in_chinese(client: Client, db: None) -> None:
    html = client.get(reverse("login")).content.decode()
    assert "用户名" in html
    assert "登录" in html


def test_agent_sees_the_open_cases_of_their_shops_only(client: Client, desk: Desk) -> None:
    client.force_login(desk.world.agent_a)
    html = _queue(client)
    assert _case_ids(html) == {desk.scarf_case.pk, desk.ahua_case.pk}
    assert "围巾掉毛严重" in html
    assert "t**小白" in html
    assert "假货" not in html  # shop B's review


def test_all_statuses_include_the_closed_revised_case(client: Client, desk: Desk) -> None:
    client.force_login(desk.world.agent_a)
    ids = _case_ids(_queue(client, status="all"))
    assert ids == {desk.scarf_case.pk, desk.ahua_case.pk, desk.revised_case.pk}


@pytest.mark.parametrize(
    ("_case", "params", "expected"),
    [
        ("neutral group", {"group": "neutral"}, {"ahua"}),
        ("bad group", {"group": "bad"}, {"scarf"}),
        ("revised group", {"group": "revised", "status": "all"}, {"revised"}),
        ("bad result", {"result": "neutral"}, {"ahua"}),
        ("status new", {"status": "new"}, {"scarf", "ahua"}),
        ("status closed", {"status": "closed"}, {"revised"}),
        ("other shop", {"shop": "shop-b"}, set()),
        ("own shop", {"shop": "shop-a"}, {"scarf", "ahua"}),
        ("unassigned", {"assignee": "none"}, set()),
    ],
)
def test_filters(
    client: Client, desk: Desk, _case: str, params: dict[str, str], expected: set[str]
) -> None:
    cases = {"scarf": desk.scarf_case, "ahua": desk.ahua_case, "revised": desk.revised_case}
    client.force_login(desk.world.agent_a)
    assert _case_ids(_queue(client, **params)) == {cases[n].pk for n in expected}


def test_assignee_me_shows_my_cases(client: Client, desk: Desk) -> None:
    mine = {
        c.pk for c in (desk.scarf_case, desk.ahua_case) if c.assignee_id == desk.world.agent_a.pk
    }
    client.force_login(desk.world.agent_a)
    assert _case_ids(_queue(client, assignee="me")) == mine


def test_facets_show_counts(client: Client, desk: Desk) -> None:
    client.force_login(desk.world.agent_a)
    response = client.get(QUEUE)
    assert response.context["group_counts"] == {"neutral": 1, "bad": 1, "offered": 0, "revised": 0}
    assert response.context["status_counts"]["open"] == 2
    assert response.context["status_counts"]["closed"] == 1
    assert response.context["status_counts"]["all"] == 3
    assert response.context["result_counts"] == {"good": 0, "neutral": 1, "bad": 1}


def test_unknown_filter_value_is_a_400_with_the_reason(client: Client, desk: Desk) -> None:
    client.force_login(desk.world.agent_a)
    response = client.get(QUEUE, {"status": "sleeping"})
    assert response.status_code == 400
    assert "sleeping" in response.content.decode()


def test_htmx_request_gets_only_the_queue_region(client: Client, desk: Desk) -> None:
    client.force_login(desk.world.agent_a)
    response = client.get(
        QUEUE, {"group": "neutral"}, headers={"HX-Request": "true", "HX-Target": "queue-region"}
    )
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="queue-region"')
    assert "<html" not in html
    assert _case_ids(html) == {desk.ahua_case.pk}


def test_age_is_relative_with_exact_time_on_hover(client: Client, desk: Desk) -> None:
    client.force_login(desk.world.agent_a)
    with time_machine.travel(NOW, tick=False):
        html = _queue(client)
    assert "3小时前" in html
    assert 'title="2026-11-20 10:15:00"' in html  # shown in Asia/Shanghai


def test_poll_reports_cases_added_since_the_page_was_drawn(client: Client, desk: Desk) -> None:
    client.force_login(desk.world.agent_a)
    latest = client.get(QUEUE).context["latest_id"]
    poll = reverse("web:case_queue_poll")

    quiet = client.get(poll, {"after": latest}).content.decode()
    assert "new-cases-btn" not in quiet
    assert 'hx-trigger="every 5s"' in quiet

    ingest_reviews(
        shop=desk.world.shop_a,
        records=[
            ReviewRecord(
                tid=3032000011112222,
                oid=3032000011112223,
                buyer_nick="q**青青",
                result="bad",
                rated_at=at("2026-11-20 11:00"),
                content="尺码偏小两个码，穿不上",
                item_title="羽绒服",
            )
        ],
        source="simulator",
        at=at("2026-11-20 11:01"),
    )
    fresh = client.get(poll, {"after": latest}).content.decode()
    assert "1 个新工单" in fresh
    # Other shops' new cases never count.
    assert (
        client.get(poll, {"after": latest, "shop": "shop-b"})
        .content.decode()
        .count("new-cases-btn")
        == 0
    )


def test_queue_queries_do_not_grow_with_rows(
    client: Client, desk: Desk, django_assert_max_num_queries: object
) -> None:
    ingest_reviews(
        shop=desk.world.shop_a,
        records=[
            ReviewRecord(
                tid=3033000000000000 + n,
                oid=3033000000100000 + n,
                buyer_nick=f"b**买家{n}",
                result="bad" if n % 2 else "neutral",
                rated_at=OPENED,
                content=f"第{n}件有问题",
                item_title="加绒打底裤",
            )
            for n in range(60)
        ],
        source="test",
        at=OPENED,
    )
    client.force_login(desk.world.agent_a)
    # session, user, count, page, 4 facets, shop filter, latest id, top-bar shops, the bell = 12
    # whatever the row count (a per-row lookup would add 50).
    with django_assert_max_num_queries(12):  # type: ignore[operator]
        html = _queue(client)
    assert len(_case_ids(html)) == 50
    assert "第 1 / 2 页" in html
