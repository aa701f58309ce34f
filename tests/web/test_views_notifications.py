from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from reviewdesk.cases.models import Notification
from tests.conftest import at
from tests.web.conftest import Desk

pytestmark = pytest.mark.postgres


def _notify(desk: Desk, user: User, message: str) -> Notification:
    return Notification.objects.create(
        user=user,
        case=desk.scarf_case,
        kind="first_contact_breach",
        message=message,
        created_at=at("2026-11-20 10:31"),
    )


def test_bell_shows_the_unread_count_and_messages(client: Client, desk: Desk) -> None:
    _notify(desk, desk.world.agent_a, "工单首次联系已超时，请尽快联系买家")
    _notify(desk, desk.world.agent_b, "别人的通知")
    client.force_login(desk.world.agent_a)
    html = client.get(reverse("web:case_queue")).content.decode()
    bell = html[html.index('id="bell"') : html.index("lang-form")]
    assert '<span class="bell-count">1</span>' in bell
    assert "工单首次联系已超时，请尽快联系买家" in bell
    assert "首次联系已超时" in bell  # kind label
    assert "别人的通知" not in html


def test_marking_read_empties_the_bell(client: Client, desk: Desk) -> None:
    mine = _notify(desk, desk.world.agent_a, "约定回访提醒：20:15 给 t**小白 回电话")
    client.force_login(desk.world.agent_a)
    response = client.post(
        reverse("web:notification_read", args=[mine.pk]), headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="bell"')
    assert "bell-count" not in html
    mine.refresh_from_db()
    assert mine.read_at is not None


def test_someone_elses_notification_is_not_touched(client: Client, desk: Desk) -> None:
    theirs = _notify(desk, desk.world.agent_b, "乙店通知")
    client.force_login(desk.world.agent_a)
    response = client.post(reverse("web:notification_read", args=[theirs.pk]), {"next": "/"})
    assert response.status_code == 302
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_plain_post_goes_back_to_a_local_page_only(client: Client, desk: Desk) -> None:
    mine = _notify(desk, desk.world.agent_a, "x")
    client.force_login(desk.world.agent_a)
    url = reverse("web:notification_read", args=[mine.pk])
    assert client.post(url, {"next": "https://evil.example/"})["Location"] == "/"
