"""`reviewdesk tokens create USERNAME [--name NAME]`, `tokens list [USER]`, `tokens revoke PREFIX`.

The key is printed once by `create`; only its SHA-256 digest is stored.
"""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from reviewdesk.api.errors import ApiError
from reviewdesk.api.models import ApiToken
from reviewdesk.api.services import api_token_create, api_token_revoke


class Command(BaseCommand):
    help = "Create, list and revoke API tokens."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="create a token and print it once")
        create.add_argument("username")
        create.add_argument("--name", default="", help="what the token is for")
        listing = sub.add_parser("list", help="list tokens (prefixes only)")
        listing.add_argument("username", nargs="?")
        revoke = sub.add_parser("revoke", help="revoke a token by its prefix")
        revoke.add_argument("prefix")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "create":
            self._create(options["username"], options["name"])
        elif action == "list":
            self._list(options.get("username"))
        else:
            try:
                token = api_token_revoke(prefix=options["prefix"])
            except ApiError as exc:
                raise CommandError(exc.message) from exc
            self.stdout.write(f"revoked rdk_{token.prefix}…")

    def _create(self, username: str, name: str) -> None:
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"no user {username!r}")
        token, key = api_token_create(user=user, name=name)
        self.stdout.write(key)
        self.stderr.write(
            f"token rdk_{token.prefix}… for {username}; store it now, it is not shown again"
        )

    def _list(self, username: str | None) -> None:
        tokens = ApiToken.objects.select_related("user").order_by("user__username", "created_at")
        if username:
            tokens = tokens.filter(user__username=username)
        for t in tokens:
            state = "revoked" if t.is_revoked() else "active"
            last = f"{t.last_used_at:%Y-%m-%d %H:%M}" if t.last_used_at else "never"
            who = t.user.get_username()
            self.stdout.write(f"rdk_{t.prefix}…  {who:<16} {state:<8} last used {last}  {t.name}")
