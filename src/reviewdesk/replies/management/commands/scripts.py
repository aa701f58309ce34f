"""`reviewdesk scripts list [--shop SLUG] [--json]` and `reviewdesk scripts check [--shop SLUG]`.

`check` runs the compliance check over every script a shop uses (the defaults plus its own) and
exits 1 when any is blocked: a guard for shops that imported old 话术 from elsewhere.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from reviewdesk.replies.compliance import CheckContext, check
from reviewdesk.replies.playbooks import Script, default_scripts
from reviewdesk.replies.selectors import effective_scripts
from reviewdesk.shops.models import Shop


class Command(BaseCommand):
    help = "List and check the scripts (话术)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        for name in ("list", "check"):
            action = sub.add_parser(name)
            action.add_argument("--shop", help="a shop's scripts (defaults plus its own)")
            action.add_argument("--json", action="store_true")

    def _scripts(self, slug: str | None) -> dict[str, Script]:
        if not slug:
            return default_scripts()
        shop = Shop.objects.filter(slug=slug).first()
        if shop is None:
            raise CommandError(f"unknown shop {slug!r}", returncode=2)
        return effective_scripts(shop=shop)

    def handle(self, *args: Any, **options: Any) -> None:
        scripts = self._scripts(options["shop"])
        blocked = 0
        for script in scripts.values():
            context = CheckContext(buyer_offered_revise=script.requires_offered_revise)
            result = check(script.body, context)
            blocked += result.blocked
            row = {
                "key": script.key,
                "title": script.title,
                "channel": script.channel,
                "shop_copy": script.shop_copy,
                "requires_offered_revise": script.requires_offered_revise,
                "blocked": result.blocked,
                "findings": [f.as_dict() for f in result.findings],
            }
            if options["action"] == "list":
                row["body"] = script.body
            if options["json"]:
                self.stdout.write(json.dumps(row, ensure_ascii=False))
            elif options["action"] == "list":
                self.stdout.write(f"{script.key:28} {script.title}")
            elif result.blocked:
                self.stdout.write(f"blocked: {script.key} {result.summary()}")
        if options["action"] == "check":
            if blocked:
                raise CommandError(f"{blocked} scripts blocked", returncode=1)
            if not options["json"]:
                self.stdout.write(f"{len(scripts)} scripts, none blocked")
