"""The queue as a work list: priority and first-contact due, sorting, overdue, search."""

from __future__ import annotations

import re

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from reviewdesk.cases.models import Case
from reviewdesk.cases.services.contact import contact_log
from tests.conftest import at
from tests.web.conftest import NOW, TID_AHUA, TID_XIAOBAI, Desk

pytestmark = pytest.mark.postgres

QUEUE = reverse("web:case_queue")


def _ids(client: Client, **params: str) -> list[int]:
    response = client.get(QUEUE, params)
    assert response.status_code == 200
    return [int(m) for m in re.findall(r'data-case-id="(\d+)"', response.content.decode())]


def test_rows_show_priority_and_first_contact_due(client: Client, desk: Desk) -> None:
    client.force_login(desk.world.agent_a)
    with time_machine.travel(at("2026-11-20 10:20"), tick=False):
        html = client.get(QUEUE).content.decode()
    row = html[html.index(f'data-case-id="{desk.scarf_case.pk}"') :]
    row = row[: row.index("</tr>")]
    assert f">{desk.scarf_case.priority}</span>" in row
    assert "10:00 后到期" in row
    with time_machine.travel(NOW, tick=False):
        late = client.get(QUEUE).content.decode()
    assert "已超时 2小时50分" in late
    assert "cd-over" in late


def test_sorts_by_priority_and_by_due_time(client: Client, desk: Desk) -> None:
    Case.objects.filter(pk=desk.ahua_case.pk).update(priority=90)
    Case.objects.filter(pk=desk.scarf_case.pk).update(priority=10)
    client.force_login(desk.world.agent_a)
    assert _ids(client, order="priority") == [desk.ahua_case.pk, desk.scarf_case.pk]
    due = sorted((desk.scarf_case, desk.ahua_case), key=lambda c: (c.first_contact_due_at, c.pk))
    assert _ids(client, order="due") == [c.pk for c in due]


def test_unknown_sort_is_a_400(client: Client, desk: Desk) -> None:
    client.force_login(desk.world.agent_a)
    assert client.get(QUEUE, {"order": "random"}).status_code == 400


def test_overdue_filter_drops_contacted_cases(client: Client, desk: Desk) -> None:
    client.force_login(desk.world.agent_a)
    with time_machine.travel(NOW, tick=False):
        assert set(_ids(client, overdue="1")) == {desk.scarf_case.pk, desk.ahua_case.pk}
        contact_log(
            actor=desk.world.agent_a, case=desk.scarf_case, channel="phone", outcome="talked"
        )
        assert _ids(client, overdue="1") == [desk.ahua_case.pk]
    with time_machine.travel(at("2026-11-20 10:16"), tick=False):
        assert _ids(client, overdue="1") == []


@pytest.mark.parametrize(
    ("_case", "q", "expected"),
    [
        ("nick fragment", "小白", {"scarf"}),
        ("masked nick as shown", "j**阿花", {"ahua"}),
        ("order id", str(TID_AHUA), {"ahua"}),
        ("sub-order id", str(TID_XIAOBAI + 1), {"scarf"}),
        ("shop B's buyer is never found", "老王", set()),
    ],
)
def test_search_by_buyer_nick_or_order_id(
    client: Client, desk: Desk, _case: str, q: str, expected: set[str]
) -> None:
    cases = {"scarf": desk.scarf_case.pk, "ahua": desk.ahua_case.pk}
    client.force_login(desk.world.agent_a)
    assert set(_ids(client, q=q)) == {cases[n] for n in expected}


def test_search_keeps_its_text_and_the_facets_follow_it(client: Client, desk: Desk) -> None:
    client.force_login(desk.world.agent_a)
    response = client.get(QUEUE, {"q": "小白"})
    assert 'value="小白"' in response.content.decode()
    assert response.context["status_counts"]["open"] == 1
