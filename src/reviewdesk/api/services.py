"""API token writes (STYLE C2): create, revoke, and authenticate (which stamps last use)."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets

from django.contrib.auth.models import AbstractBaseUser, User
from django.db import transaction
from django.db.models import Q

from reviewdesk.api.errors import ApiError, ApiErrorCode
from reviewdesk.api.models import ApiToken
from reviewdesk.core import clock

TOKEN_PREFIX = "rdk_"  # noqa: S105 - the public marker of our tokens, not a secret
# Stamping last_used_at on every request would turn each read into a write; once a minute is
# precise enough to see which tokens are alive.
LAST_USED_RESOLUTION = dt.timedelta(minutes=1)


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def api_token_create(*, user: AbstractBaseUser, name: str = "") -> tuple[ApiToken, str]:
    """A new token for `user`. Returns the row and the plain key, which is never stored."""
    prefix = secrets.token_hex(4)
    key = f"{TOKEN_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
    with transaction.atomic():
        token = ApiToken.objects.create(
            user_id=user.pk,
            name=name[:100],
            prefix=prefix,
            key_hash=_digest(key),
            created_at=clock.now(),
        )
    return token, key


def api_token_revoke(*, prefix: str) -> ApiToken:
    """Revoke the token with this prefix; revoking twice keeps the first time."""
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().filter(prefix=prefix).first()
        if token is None:
            raise ApiError(ApiErrorCode.UNKNOWN_TOKEN, f"no token with prefix {prefix!r}")
        if token.revoked_at is None:
            token.revoked_at = clock.now()
            token.save(update_fields=["revoked_at"])
    return token


def api_token_authenticate(*, key: str) -> User | None:
    """The active user owning `key`, or None for unknown, malformed, revoked or inactive."""
    if not key.startswith(TOKEN_PREFIX):
        return None
    prefix, sep, _secret = key[len(TOKEN_PREFIX) :].partition("_")
    if not sep or not prefix:
        return None
    token = ApiToken.objects.select_related("user").filter(prefix=prefix).first()
    if token is None or token.is_revoked():
        return None
    if not hmac.compare_digest(token.key_hash, _digest(key)):
        return None
    user = token.user
    if not user.is_active:
        return None
    now = clock.now()
    ApiToken.objects.filter(pk=token.pk).filter(
        Q(last_used_at__isnull=True) | Q(last_used_at__lt=now - LAST_USED_RESOLUTION)
    ).update(last_used_at=now)
    return user
