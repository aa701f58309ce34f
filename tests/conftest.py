"""Shared fixtures. `world` gives two shops and users with known roles, so every selector and
endpoint test can assert scoping in one line (STYLE C11: healthchecks' Alice/Bob/Charlie)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import cast

import pytest
from django.contrib.auth.models import User

from reviewdesk.shops.models import Role, Shop
from reviewdesk.shops.services import membership_grant, shop_create, user_create


@dataclass
class World:
    shop_a: Shop
    shop_b: Shop
    owner: User  # owner of shop A
    supervisor: User  # supervisor of shop A
    agent_a: User  # agent of shop A
    agent_a2: User  # second agent of shop A
    agent_b: User  # agent of shop B only


@pytest.fixture
def world(db: None) -> World:
    shop_a = shop_create(slug="shop-a", name="甲店旗舰店", platform="taobao")
    shop_b = shop_create(slug="shop-b", name="乙店专营店", platform="tmall")
    users = {
        name: user_create(username=name, password="pw-" + name)
        for name in ("owner", "supervisor", "agent_a", "agent_a2", "agent_b")
    }
    membership_grant(user=users["owner"], shop=shop_a, role=Role.OWNER)
    membership_grant(user=users["supervisor"], shop=shop_a, role=Role.SUPERVISOR)
    membership_grant(user=users["agent_a"], shop=shop_a, role=Role.AGENT)
    membership_grant(user=users["agent_a2"], shop=shop_a, role=Role.AGENT)
    membership_grant(user=users["agent_b"], shop=shop_b, role=Role.AGENT)
    return World(
        shop_a,
        shop_b,
        *(cast(User, users[n]) for n in ("owner", "supervisor", "agent_a", "agent_a2", "agent_b")),
    )


SHANGHAI = dt.timezone(dt.timedelta(hours=8))


def at(text: str) -> dt.datetime:
    """A shop-local (GMT+8) time from 'YYYY-MM-DD HH:MM'."""
    return dt.datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=SHANGHAI)
