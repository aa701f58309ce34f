from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from reviewdesk.api.models import ApiToken
from tests.conftest import World

pytestmark = pytest.mark.postgres


def _run(*args: str) -> str:
    out = StringIO()
    call_command("tokens", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_create_prints_a_working_token_once(client: Client, world: World) -> None:
    key = _run("create", "agent_a", "--name", "ERP 同步").strip()
    assert key.startswith("rdk_")
    assert client.get("/api/cases", headers={"Authorization": f"Bearer {key}"}).status_code == 200
    token = ApiToken.objects.get()
    assert (token.user, token.name) == (world.agent_a, "ERP 同步")
    assert key not in _run("list")


def test_revoke_by_prefix(client: Client, world: World) -> None:
    key = _run("create", "agent_a").strip()
    prefix = ApiToken.objects.get().prefix
    assert "revoked" in _run("revoke", prefix)
    assert client.get("/api/cases", headers={"Authorization": f"Bearer {key}"}).status_code == 401
    assert "revoked" in _run("list", "agent_a")


def test_unknown_user_is_an_error(world: World) -> None:
    with pytest.raises(CommandError, match="no user 'nobody'"):
        _run("create", "nobody")
