"""The shop's ratings page: members only; figures from the ratings selectors; the chart's data;
what-ifs; calibration by the owner only (a denied POST stores nothing)."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from reviewdesk.ratings.models import PlatformCalibration
from tests.conftest import World
from tests.ratings.seed import seed
from tests.ratings.strategies import SHANGHAI

pytestmark = pytest.mark.postgres

TODAY = dt.datetime(2026, 6, 30, 12, 0, tzinfo=SHANGHAI)
PAGE = reverse("web:shop_ratings", args=["shop-a"])


@pytest.fixture
def rated(world: World) -> World:
    seed(world.shop_a)
    return world


def _get(client: Client, *args: object, **params: str) -> str:
    with time_machine.travel(TODAY, tick=False):
        response = client.get(PAGE, params, *args)  # type: ignore[arg-type]
    assert response.status_code == 200
    return response.content.decode()


def test_members_only(client: Client, rated: World) -> None:
    client.force_login(rated.agent_b)
    assert client.get(PAGE).status_code == 404
    client.logout()
    assert client.get(PAGE).status_code == 302


def test_shows_each_dimension_with_full_precision_and_the_flags(
    client: Client, rated: World
) -> None:
    client.force_login(rated.agent_a)
    html = _get(client)
    cards = re.findall(
        r'<div class="dsr-exact"[^>]*>([0-9.]+) <span class="muted">= (\d+) / (\d+)', html
    )
    assert len(cards) == 3
    for exact, total, count in cards:
        assert float(exact) == pytest.approx(int(total) / int(count), abs=5e-6)
    assert "估算" in html  # is_estimate
    assert "PLATFORM §9.3 D3" in html  # a conflicting rule with its source
    assert "来源冲突" in html
    assert "信用积分" in html
    assert "好评率" in html


def test_trend_chart_data_covers_180_days_of_three_dimensions(client: Client, rated: World) -> None:
    client.force_login(rated.agent_a)
    html = _get(client)
    raw = re.search(
        r'<script id="dsr-trend-figure" type="application/json">(.*?)</script>', html, re.S
    )
    assert raw is not None
    figure = json.loads(raw.group(1))
    assert [len(t["x"]) for t in figure["data"]] == [180, 180, 180]
    assert figure["data"][0]["x"][-1] == "2026-06-30"
    assert 'src="/vendor/plotly.min.js?v=' in html


def test_target_whatif_answers_in_its_region(client: Client, rated: World) -> None:
    client.force_login(rated.agent_a)
    with time_machine.travel(TODAY, tick=False):
        response = client.get(
            PAGE,
            {"whatif": "target", "target": "4.9", "by": "2026-07-31", "dimension": ""},
            headers={"HX-Request": "true", "HX-Target": "whatif-result"},
        )
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="whatif-result"')
    assert "需要的5星评分" in html
    assert "<html" not in html


def test_promotion_whatif_on_the_full_page(client: Client, rated: World) -> None:
    client.force_login(rated.agent_a)
    html = _get(client, whatif="promotion", orders="300")
    assert "活动后预计" in html


def test_a_past_target_date_is_refused_with_the_reason(client: Client, rated: World) -> None:
    client.force_login(rated.agent_a)
    html = _get(client, whatif="target", target="4.9", by="2026-01-01")
    assert "the target date is in the past" in html


def test_owner_records_the_platform_value(client: Client, rated: World) -> None:
    client.force_login(rated.owner)
    assert 'id="calibration-form"' in _get(client)
    url = reverse("web:shop_calibration", args=["shop-a"])
    with time_machine.travel(TODAY, tick=False):
        response = client.post(
            url, {"day": "2026-06-30", "dimension": "desc", "shown_value": "4.8"}
        )
    assert response.status_code == 302
    row = PlatformCalibration.objects.get(shop=rated.shop_a)
    assert (str(row.shown_value), row.dimension) == ("4.80000", "desc")
    assert "4.8" in _get(client)


@pytest.mark.parametrize("who", ["agent_a", "agent_b"])
def test_calibration_is_refused_to_others_and_stores_nothing(
    client: Client, rated: World, who: str
) -> None:
    client.force_login(getattr(rated, who))
    url = reverse("web:shop_calibration", args=["shop-a"])
    with time_machine.travel(TODAY, tick=False):
        response = client.post(
            url, {"day": "2026-06-30", "dimension": "desc", "shown_value": "4.8"}
        )
    assert response.status_code == (400 if who == "agent_a" else 404)
    assert not PlatformCalibration.objects.exists()
    if who == "agent_a":
        assert "你在这个店铺没有权限" in response.content.decode()
        assert 'id="calibration-form"' not in _get(client)


def test_plotly_is_served_from_the_installed_package(client: Client) -> None:
    response = client.get(reverse("web:plotly_js"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    head = b"".join(response.streaming_content)[:200]  # type: ignore[attr-defined]
    assert b"plotly" in head.lower()
