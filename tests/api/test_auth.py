from __future__ import annotations

import pytest
import time_machine
from django.test import Client

from reviewdesk.api.models import ApiToken
from reviewdesk.api.services import api_token_create, api_token_revoke
from tests.api.conftest import bearer
from tests.conftest import World, at

pytestmark = pytest.mark.postgres


@pytest.mark.parametrize(
    ("_case", "headers"),
    [
        ("no header", {}),
        ("not bearer", {"Authorization": "Token abc"}),
        ("unknown token", {"Authorization": "Bearer rdk_deadbeef_notarealsecret"}),
        ("malformed token", {"Authorization": "Bearer hello"}),
    ],
)
def test_rejects_requests_without_a_valid_token(
    client: Client, world: World, _case: str, headers: dict[str, str]
) -> None:
    for url in ("/api/cases", "/api/reviews", "/api/cases/1", "/api/reviews/1"):
        assert client.get(url, headers=headers).status_code == 401


def test_rejects_a_right_prefix_with_a_wrong_secret(client: Client, world: World) -> None:
    token, key = api_token_create(user=world.agent_a)
    forged = f"rdk_{token.prefix}_{'x' * 43}"
    assert forged != key
    assert (
        client.get("/api/cases", headers={"Authorization": f"Bearer {forged}"}).status_code == 401
    )


def test_rejects_a_revoked_token(client: Client, world: World) -> None:
    token, key = api_token_create(user=world.agent_a)
    api_token_revoke(prefix=token.prefix)
    assert client.get("/api/cases", headers={"Authorization": f"Bearer {key}"}).status_code == 401


def test_rejects_the_token_of_a_deactivated_user(client: Client, world: World) -> None:
    headers = bearer(world.agent_a)
    world.agent_a.is_active = False
    world.agent_a.save(update_fields=["is_active"])
    assert client.get("/api/cases", headers=headers).status_code == 401


def test_a_valid_token_reads_and_stamps_last_use(client: Client, world: World) -> None:
    token, key = api_token_create(user=world.agent_a)
    with time_machine.travel(at("2026-11-20 10:15"), tick=False):
        response = client.get("/api/cases", headers={"Authorization": f"Bearer {key}"})
    assert response.status_code == 200
    token.refresh_from_db()
    assert token.last_used_at == at("2026-11-20 10:15")


def test_stores_only_a_digest_of_the_key(world: World) -> None:
    token, key = api_token_create(user=world.agent_a, name="ERP 同步")
    stored = ApiToken.objects.get(pk=token.pk)
    assert key.startswith(f"rdk_{stored.prefix}_")
    assert key not in (stored.key_hash, stored.prefix, stored.name)
    assert len(stored.key_hash) == 64
