from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tests.web.conftest import Desk

pytestmark = pytest.mark.postgres


def test_queue_speaks_chinese_by_default_and_english_after_switching(
    client: Client, desk: Desk
) -> None:
    client.force_login(desk.world.agent_a)
    queue = reverse("web:case_queue")

    zh = client.get(queue).content.decode()
    assert "工单队列" in zh
    assert "差评" in zh
    assert "新建" in zh
    assert "Case queue" not in zh

    response = client.post(reverse("set_language"), {"language": "en", "next": queue})
    assert response.status_code == 302
    en = client.get(queue).content.decode()
    assert "Case queue" in en
    assert ">Bad<" in en
    assert "工单队列" not in en

    client.post(reverse("set_language"), {"language": "zh-hans", "next": queue})
    assert "工单队列" in client.get(queue).content.decode()
