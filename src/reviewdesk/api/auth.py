"""Bearer-token authentication for the API (`Authorization: Bearer rdk_…`)."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.http import HttpRequest
from ninja.security import HttpBearer

from reviewdesk.api.services import api_token_authenticate


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        user = api_token_authenticate(key=token)
        if user is not None:
            # Selectors take the actor from request.user, as in the web views.
            request.user = user
        return user
