"""API tokens: the secret is shown once and stored only as a SHA-256 digest.

A token reads `rdk_<prefix>_<secret>`. The prefix (public, unique) finds the row; the digest of the
whole token is compared in constant time. A leaked database therefore leaks no usable token, and
SHA-256 (not a slow password hash) is enough because the secret is 256 random bits, not a password.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ApiToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("user"),
    )
    name = models.CharField(_("name"), max_length=100, blank=True, default="")
    prefix = models.CharField(_("prefix"), max_length=16, unique=True)
    key_hash = models.CharField(_("key digest"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"))
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering: ClassVar = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"rdk_{self.prefix}… ({self.name or self.user_id})"

    def is_revoked(self) -> bool:
        return self.revoked_at is not None
