"""Shop settings pages: another shop is a 404, an agent a 403 and nothing changes, supervisors
view, owners save through the services; a refused value is shown on its field; the compliance
practice needs the acknowledgement; leave reassigns open cases; manual DSR entry."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from reviewdesk.cases.models import (
    AgentLeave,
    AgentSkill,
    BusinessHours,
    Case,
    CompliancePolicy,
    RoutingPolicy,
    Shift,
    ShopDay,
    ShopSlaPolicy,
)
from reviewdesk.ratings.models import ScoredTrade
from reviewdesk.shops.models import Membership
from tests.conftest import World, at
from tests.web.conftest import NOW, Desk

pytestmark = pytest.mark.postgres
SECTIONS = ("routing", "team", "calendar", "sla", "compliance", "scores")


def url(name: str, *args: Any, slug: str = "shop-a") -> str:
    return reverse(f"settings:{name}", args=[slug, *args])


def _post(client: Client, name: str, data: dict[str, Any], *args: Any) -> Any:
    with time_machine.travel(NOW, tick=False):
        return client.post(url(name, *args), data)


def _routing(**over: Any) -> dict[str, Any]:
    return {"max_open_cases": "12", "high_risk_to_supervisor": "on", **over}


def _week(**over: str) -> dict[str, str]:
    data: dict[str, str] = {}
    for d in range(7):
        data |= {f"day{d}_open": "on", f"day{d}_opens": "09:00", f"day{d}_closes": "21:00"}
    data.pop("day6_open")
    return data | over


def test_other_shops_are_404_and_agents_403_and_nothing_changes(
    client: Client, world: World
) -> None:
    client.force_login(world.agent_b)
    for section in SECTIONS:
        assert client.get(url(section)).status_code == 404
    assert _post(client, "routing_policy", _routing()).status_code == 404
    client.force_login(world.agent_a)
    for section in SECTIONS:
        assert client.get(url(section)).status_code == 403
    assert _post(client, "routing_policy", _routing()).status_code == 403
    assert _post(client, "business_hours", _week()).status_code == 403
    assert _post(client, "scores", {"tid": "3028689418086124"}).status_code == 403
    client.force_login(world.supervisor)  # views, cannot save
    assert _post(client, "routing_policy", _routing()).status_code == 403
    assert _post(client, "sla_save", {"first_contact_minutes": "5"}).status_code == 403
    assert not RoutingPolicy.objects.exists()
    assert not BusinessHours.objects.exists()
    assert not ShopSlaPolicy.objects.exists()
    client.logout()
    assert client.get(url("routing")).status_code == 302


def test_supervisor_sees_every_page_read_only(client: Client, world: World) -> None:
    client.force_login(world.supervisor)
    for section in SECTIONS:
        response = client.get(url(section))
        assert response.status_code == 200, section
        html = response.content.decode()
        if section != "scores":
            assert "只读" in html or "View only" in html
            assert "<fieldset" not in html or "disabled" in html
    assert client.get(url("index")).status_code == 302


def test_routing_policy_saves_and_a_bad_value_names_the_field(client: Client, world: World) -> None:
    client.force_login(world.owner)
    response = _post(client, "routing_policy", _routing())
    assert response.status_code == 303
    row = RoutingPolicy.objects.get(shop=world.shop_a)
    assert (row.max_open_cases, row.high_risk_to_supervisor, row.follow_shifts) == (12, True, False)
    response = _post(client, "routing_policy", _routing(max_open_cases="0"))
    assert response.status_code == 400
    html = response.content.decode()
    assert 'data-field="max_open_cases"' in html
    assert "must be between 1 and 500" in html
    assert RoutingPolicy.objects.get(shop=world.shop_a).max_open_cases == 12


def test_skills_and_shifts(client: Client, world: World) -> None:
    client.force_login(world.owner)
    agent = Membership.objects.get(shop=world.shop_a, user=world.agent_a2)
    assert (
        _post(
            client, "skill_add", {"membership": agent.pk, "cause": "logistics", "kind": ""}
        ).status_code
        == 303
    )
    response = _post(client, "skill_add", {"membership": agent.pk, "cause": "", "kind": ""})
    assert response.status_code == 400
    assert "choose a cause, a case kind or both" in response.content.decode()
    shop_b_agent = Membership.objects.get(user=world.agent_b)
    response = _post(client, "skill_add", {"membership": shop_b_agent.pk, "cause": "quality"})
    assert response.status_code == 400  # not a choice on this shop's form
    assert AgentSkill.objects.count() == 1
    shift = {"membership": agent.pk, "weekday": "4", "starts": "22:00", "ends": "02:00"}
    assert _post(client, "shift_add", shift).status_code == 303
    response = _post(client, "shift_add", shift | {"ends": "22:00"})
    assert response.status_code == 400
    assert 'data-field="ends"' in response.content.decode()
    html = client.get(url("team")).content.decode()
    assert "22:00–02:00" in html
    shift_id = Shift.objects.get().pk
    assert _post(client, "shift_remove", {}, shift_id).status_code == 303
    assert not Shift.objects.exists()
    client.force_login(world.supervisor)
    assert _post(client, "skill_remove", {}, AgentSkill.objects.get().pk).status_code == 403
    assert AgentSkill.objects.exists()


def test_leave_with_reassign_moves_open_cases(client: Client, desk: Desk) -> None:
    world = desk.world
    holder = desk.scarf_case.assignee
    assert holder is not None
    membership = Membership.objects.get(shop=world.shop_a, user=holder)
    client.force_login(world.owner)
    response = _post(
        client,
        "leave_add",
        {
            "membership": membership.pk,
            "ends_at": "2026-11-23T09:00",
            "reason": "病假",
            "reassign_now": "on",
        },
    )
    assert response.status_code == 303
    leave = AgentLeave.objects.get(membership=membership)
    assert leave.ends_at == at("2026-11-23 09:00")
    assert not Case.objects.open().filter(shop=world.shop_a, assignee=holder).exists()
    page = client.get(response["Location"]).content.decode()
    assert "病假" in page
    assert "休假已登记，1 个在办工单已转派。" in page
    response = _post(
        client,
        "leave_add",
        {"membership": membership.pk, "ends_at": "2026-11-19T09:00", "reassign_now": "on"},
    )
    assert response.status_code == 400
    assert 'data-field="ends_at"' in response.content.decode()
    assert _post(client, "leave_end", {}, leave.pk).status_code == 303
    leave.refresh_from_db()
    assert leave.ends_at == NOW


def test_business_hours_and_holidays(client: Client, world: World) -> None:
    client.force_login(world.owner)
    assert _post(client, "business_hours", _week(day5_closes="00:00")).status_code == 303
    rows = BusinessHours.objects.filter(shop=world.shop_a)
    assert rows.count() == 6
    assert rows.get(weekday=5).closes == dt.time(0, 0)
    response = _post(client, "business_hours", _week(day2_opens="19:00", day2_closes="10:00"))
    assert response.status_code == 400
    html = response.content.decode()
    assert "must be after the opening time" in html
    assert rows.get(weekday=2).opens == dt.time(9, 0)
    response = _post(client, "business_hours", {})
    assert response.status_code == 400
    assert "open the shop on at least one day" in response.content.decode()
    assert rows.count() == 6
    holiday = {"date": "2026-10-01", "name": "国庆节", "day_kind": "holiday"}
    assert _post(client, "day_add", holiday).status_code == 303
    response = _post(client, "day_add", holiday)
    assert response.status_code == 400
    assert 'data-field="date"' in response.content.decode()
    makeup = {"date": "2026-10-10", "name": "国庆调休", "day_kind": "workday", "opens": "09:00"}
    response = _post(client, "day_add", makeup)
    assert response.status_code == 400
    assert 'data-field="closes"' in response.content.decode()
    assert _post(client, "day_add", makeup | {"closes": "18:00"}).status_code == 303
    assert ShopDay.objects.get(date=dt.date(2026, 10, 10)).closes == dt.time(18, 0)
    html = client.get(url("calendar")).content.decode()
    assert "国庆节" in html
    assert "国庆调休" in html


def test_sla_allowances(client: Client, world: World) -> None:
    client.force_login(world.owner)
    values = {
        "first_contact_minutes": "30",
        "cool_down_hours": "24",
        "after_cool_down_minutes": "120",
        "over_one_month_minutes": "480",
        "over_six_months_minutes": "1440",
        "resolution_minutes": "5040",
        "warning_percent": "80",
        "appointment_reminder_minutes": "10",
    }
    assert _post(client, "sla_save", values).status_code == 303
    assert ShopSlaPolicy.objects.get(shop=world.shop_a).first_contact_minutes == 30
    response = _post(client, "sla_save", values | {"warning_percent": "150"})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'data-field="warning_percent"' in html
    assert "from 1 to 99" in html
    assert ShopSlaPolicy.objects.get(shop=world.shop_a).warning_percent == 80


def test_compliance_practice_needs_the_acknowledgement(client: Client, world: World) -> None:
    client.force_login(world.owner)
    page = client.get(url("compliance")).content.decode()
    assert "《淘宝网评价规范》2021-12-28 修订" in page  # the rule each practice conflicts with
    assert "《反不正当竞争法》" in page
    practice = "compensation_for_revision"
    form = {"which": practice, f"{practice}-practice": practice}
    response = _post(client, "compliance_allow", form)
    assert response.status_code == 400
    assert 'data-field="acknowledged"' in response.content.decode()
    assert not CompliancePolicy.objects.filter(shop=world.shop_a).exists()
    client.force_login(world.supervisor)
    assert (
        _post(client, "compliance_allow", form | {f"{practice}-acknowledged": "on"}).status_code
        == 403
    )
    client.force_login(world.owner)
    response = _post(client, "compliance_allow", form | {f"{practice}-acknowledged": "on"})
    assert response.status_code == 303
    policy = CompliancePolicy.objects.get(shop=world.shop_a)
    assert policy.profile == "custom"
    assert policy.allowed[0]["practice"] == practice
    assert policy.allowed[0]["by"] == "owner"
    assert len(policy.allowed[0]["conflicts_with"]) == 2
    assert _post(client, "compliance_revoke", {"which": practice}).status_code == 303
    policy.refresh_from_db()
    assert (policy.profile, policy.allowed) == ("strict", [])


def _trade(**over: str) -> dict[str, str]:
    return {
        "tid": "3028689418086124",
        "buyer_nick": "t**小白",
        "trade_created": "2026-11-11T00:03",
        "rated_at": "2026-11-20T10:02",
        "desc": "2",
        "service": "4",
        "logistics": "5",
        "alipay": "on",
    } | over


def test_manual_scores_entry_by_supervisor(client: Client, world: World) -> None:
    client.force_login(world.supervisor)
    response = _post(client, "scores", _trade())
    assert response.status_code == 303
    row = ScoredTrade.objects.get(shop=world.shop_a, tid=3028689418086124)
    assert (row.desc_score, row.service_score, row.logistics_score) == (2, 4, 5)
    assert row.rated_at == at("2026-11-20 10:02")
    assert row.source == "manual:supervisor"
    page = client.get(url("scores")).content.decode()
    assert "3028689418086124" in page
    assert "t**小白" in page
    for over, field in (
        ({"tid": "3.02869E+15"}, "tid"),
        ({"rated_at": "2026-11-10T10:00"}, "rated_at"),
        ({"rated_at": "2026-12-01T10:00"}, "rated_at"),
        ({"desc": "", "service": "", "logistics": ""}, "desc"),
        ({"desc": "6"}, "desc"),
    ):
        response = _post(client, "scores", _trade(**({"tid": "3031457720159833"} | over)))
        assert response.status_code == 400, over
        assert f'data-field="{field}"' in response.content.decode()
    assert ScoredTrade.objects.count() == 1


def test_product_category_is_saved_by_the_owner_and_steers_new_reviews(
    client: Client, world: World
) -> None:
    client.force_login(world.supervisor)
    assert _post(client, "product_category", {"product_category": "clothes"}).status_code == 403
    client.force_login(world.owner)
    page = client.get(url("routing")).content.decode()
    assert 'id="product-category"' in page
    response = _post(client, "product_category", {"product_category": "clothes"})
    assert response.status_code == 303
    world.shop_a.refresh_from_db()
    assert world.shop_a.product_category == "clothes"
    response = _post(client, "product_category", {"product_category": "家纺"})
    assert response.status_code == 400
    assert 'data-field="product_category"' in response.content.decode()
    world.shop_a.refresh_from_db()
    assert world.shop_a.product_category == "clothes"
    assert _post(client, "product_category", {"product_category": ""}).status_code == 303
    world.shop_a.refresh_from_db()
    assert world.shop_a.product_category == ""


def test_logistics_thresholds_are_the_owners_and_judge_parcels(
    client: Client, world: World
) -> None:
    from reviewdesk.logistics.models import LogisticsPolicy, thresholds_for
    from reviewdesk.logistics.rules import Thresholds

    values = {"no_trace_hours": "12", "collect_hours": "18", "stall_hours": "72"}
    client.force_login(world.supervisor)
    assert _post(client, "logistics_policy", values).status_code == 403
    client.force_login(world.owner)
    page = client.get(url("sla")).content.decode()
    assert 'id="logistics-policy"' in page
    assert 'value="48"' in page  # the default stall threshold before any save
    assert _post(client, "logistics_policy", values).status_code == 303
    assert thresholds_for(world.shop_a.pk) == Thresholds(12, 18, 72)
    response = _post(client, "logistics_policy", values | {"stall_hours": "0"})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'data-field="stall_hours"' in html
    assert "from 1 to 720" in html
    assert LogisticsPolicy.objects.get(shop=world.shop_a).stall_hours == 72
    assert not LogisticsPolicy.objects.filter(shop=world.shop_b).exists()
