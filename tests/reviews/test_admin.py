from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission, User
from django.test import Client
from django.urls import reverse

from tests.conftest import World
from tests.web.conftest import PHONE, Desk, build_desk

pytestmark = pytest.mark.postgres


@pytest.fixture
def desk(world: World) -> Desk:
    return build_desk(world)


def test_superuser_sees_buyer_contact_in_clear(client: Client, desk: Desk) -> None:
    client.force_login(User.objects.create_superuser("root", password="pw-root-123"))
    html = client.get(reverse("admin:reviews_buyer_changelist")).content.decode()
    assert PHONE in html


def test_staff_sees_buyer_contact_masked(client: Client, desk: Desk) -> None:
    staff = User.objects.create_user("clerk", password="pw-clerk-123", is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="view_buyer"))
    client.force_login(staff)
    listing = client.get(reverse("admin:reviews_buyer_changelist")).content.decode()
    assert "138****5678" in listing
    assert PHONE not in listing
    buyer_id = desk.scarf_case.buyer_id
    detail = client.get(reverse("admin:reviews_buyer_change", args=[buyer_id])).content.decode()
    assert PHONE not in detail


@pytest.mark.parametrize(
    "name",
    [
        "shops_shop",
        "shops_membership",
        "shops_shopconnection",
        "reviews_order",
        "reviews_orderitem",
        "reviews_review",
        "cases_case",
        "cases_caseevent",
        "api_apitoken",
    ],
)
def test_changelists_and_change_pages_render(client: Client, desk: Desk, name: str) -> None:
    client.force_login(User.objects.create_superuser("root", password="pw-root-123"))
    assert client.get(reverse(f"admin:{name}_changelist")).status_code == 200
    assert (
        client.get(reverse(f"admin:{name}_changelist"), {"q": "3028689418086124"}).status_code
        == 200
    )


def test_case_change_page_shows_the_timeline(client: Client, desk: Desk) -> None:
    client.force_login(User.objects.create_superuser("root", password="pw-root-123"))
    url = reverse("admin:cases_case_change", args=[desk.scarf_case.pk])
    html = client.get(url).content.decode()
    assert "新的中差评，已登记" in html
