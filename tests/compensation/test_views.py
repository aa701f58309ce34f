"""The shop's compensation settings page: limits, budget, spend, and the approvals list."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client

from reviewdesk.cases.models import Case
from reviewdesk.compensation.models import (
    CompensationLimit,
    CompensationOffer,
    MonthlyBudget,
    OfferStatus,
)
from reviewdesk.compensation.services import compensation_budget_set, compensation_offer
from tests.conftest import World
from tests.replies.conftest import MakeCase

pytestmark = pytest.mark.postgres

PAGE = "/replies/shops/shop-a/compensation/"
HTMX = {"HX-Request": "true"}


def _client(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def _pending(world: World, case: Case, amount: str = "50") -> CompensationOffer:
    offer = compensation_offer(
        actor=world.agent_a,
        case=case,
        kind="partial_refund",
        amount=amount,
        reason="围巾掉毛，部分退款作为补偿",
    )
    assert offer.status == OfferStatus.PENDING_APPROVAL
    return offer


def test_agents_get_403_other_shops_404(world: World) -> None:
    assert _client(world.agent_a).get(PAGE).status_code == 403
    assert _client(world.agent_b).get(PAGE).status_code == 404
    assert _client(world.supervisor).get(PAGE).status_code == 200


def test_owner_sets_limits_as_a_percentage_and_the_budget(world: World) -> None:
    client = _client(world.owner)

    limit = client.post(
        f"{PAGE}limits/", {"role": "agent", "max_amount": "30", "share_percent": "25"}
    )
    budget = client.post(f"{PAGE}budget/", {"amount": "3000"})

    assert (limit.status_code, budget.status_code) == (302, 302)
    row = CompensationLimit.objects.get(shop=world.shop_a, role="agent")
    assert (row.max_amount, row.max_share_of_order) == (Decimal("30.00"), Decimal("0.2500"))
    assert MonthlyBudget.objects.get(shop=world.shop_a).amount == Decimal("3000.00")
    page = client.get(PAGE).content.decode()
    assert 'name="share_percent" inputmode="decimal" required value="25"' in page
    assert "¥3,000.00" in page


def test_supervisor_sees_limits_but_cannot_change_them(world: World) -> None:
    client = _client(world.supervisor)

    page = client.get(PAGE).content.decode()
    refused = client.post(
        f"{PAGE}limits/",
        {"role": "agent", "max_amount": "500", "share_percent": "100"},
        headers=HTMX,
    )
    refused_budget = client.post(f"{PAGE}budget/", {"amount": "1"})

    assert "只有掌柜可以设置上限和预算。" in page
    assert 'name="max_amount"' not in page
    assert "¥20.00 · 订单金额的 30%" in page
    assert "只有掌柜可以设置补偿权限" in refused.content.decode()
    assert refused_budget.status_code == 400
    assert CompensationLimit.objects.count() == 0
    assert MonthlyBudget.objects.count() == 0


def test_bad_share_is_refused_and_nothing_changes(world: World) -> None:
    response = _client(world.owner).post(
        f"{PAGE}limits/", {"role": "agent", "max_amount": "30", "share_percent": "150"}
    )

    assert response.status_code == 400
    assert "占订单金额比例应在 0 到 1 之间" in response.content.decode()
    assert CompensationLimit.objects.count() == 0


def test_supervisor_approves_a_pending_offer_and_spend_shows_it(
    world: World, make_case: MakeCase
) -> None:
    case = make_case()
    offer = _pending(world, case)
    client = _client(world.supervisor)

    page = client.get(PAGE).content.decode()
    assert f'id="offer-{offer.pk}"' in page
    assert "客服超过单笔上限 20.00 元" in page

    response = client.post(f"{PAGE}offers/{offer.pk}/approve/", headers=HTMX)

    offer.refresh_from_db()
    assert (offer.status, offer.approved_by) == (OfferStatus.APPROVED, world.supervisor)
    region = response.content.decode()
    assert "没有等待你审批的补偿。" in region
    assert '<b class="spent">¥50.00</b>' in region
    assert '<td>工单未结束</td><td class="num">¥50.00</td>' in region
    assert f'href="/cases/{case.pk}/">#{case.pk}</a></td><td>t**小白</td>' in region


def test_supervisor_rejects_with_a_note(world: World, make_case: MakeCase) -> None:
    offer = _pending(world, make_case())

    response = _client(world.supervisor).post(
        f"{PAGE}offers/{offer.pk}/reject/", {"note": "先换货，不退款"}
    )

    assert response.status_code == 302
    offer.refresh_from_db()
    assert offer.status == OfferStatus.REJECTED
    assert offer.approval_note.endswith("先换货，不退款")


def test_approval_above_the_supervisors_limit_is_refused_inline(
    world: World, make_case: MakeCase
) -> None:
    offer = _pending(world, make_case(payment="899.00"), amount="300")

    response = _client(world.supervisor).post(f"{PAGE}offers/{offer.pk}/approve/", headers=HTMX)

    assert f'data-error="offer-{offer.pk}"' in response.content.decode()
    assert "需要掌柜审批" in response.content.decode()
    offer.refresh_from_db()
    assert offer.status == OfferStatus.PENDING_APPROVAL


def test_owner_approves_over_the_budget(world: World, make_case: MakeCase) -> None:
    compensation_budget_set(actor=world.owner, shop=world.shop_a, amount="40")
    offer = _pending(world, make_case())
    assert offer.approval_role == "owner"

    _client(world.owner).post(f"{PAGE}offers/{offer.pk}/approve/")

    offer.refresh_from_db()
    assert offer.status == OfferStatus.APPROVED
    page = _client(world.owner).get(PAGE).content.decode()
    assert '<b class="over">¥-10.00</b>' in page


def test_agent_cannot_approve_and_other_shops_offer_is_404(
    world: World, make_case: MakeCase
) -> None:
    offer = _pending(world, make_case())
    other = compensation_offer(
        actor=world.agent_b,
        case=make_case(shop=world.shop_b),
        kind="cash",
        amount="80",
        reason="耳机有杂音",
    )

    agent = _client(world.agent_a).post(f"{PAGE}offers/{offer.pk}/approve/")
    cross = _client(world.supervisor).post(f"{PAGE}offers/{other.pk}/approve/")

    assert (agent.status_code, cross.status_code) == (403, 404)
    offer.refresh_from_db()
    other.refresh_from_db()
    assert offer.status == OfferStatus.PENDING_APPROVAL
    assert other.status == OfferStatus.PENDING_APPROVAL
