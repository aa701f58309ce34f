from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from reviewdesk.api.services import api_token_create
from tests.conftest import World
from tests.web.conftest import Desk, build_desk


@pytest.fixture
def desk(world: World) -> Desk:
    return build_desk(world)


def bearer(user: User) -> dict[str, str]:
    """Headers with a fresh token of `user`."""
    _token, key = api_token_create(user=user, name="test")
    return {"Authorization": f"Bearer {key}"}
