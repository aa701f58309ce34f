"""`reviewdesk cases list --shop SLUG [--status S] [--group G] [--assignee U] [--json]`.

The command line acts with full visibility (it runs with the server's credentials), like Django's
own admin commands; `--as USERNAME` scopes it to what that user may see.
"""

from __future__ import annotations

import json
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from reviewdesk.cases.errors import CaseError
from reviewdesk.cases.models import BuyerGroup, Case
from reviewdesk.cases.selectors import CaseFilters, case_list
from reviewdesk.shops.models import Shop
from reviewdesk.shops.selectors import SystemActor


def case_as_dict(case: Case) -> dict[str, Any]:
    review = case.review
    return {
        "id": case.pk,
        "shop": case.shop.slug,
        "kind": case.kind,
        "status": case.status,
        "outcome": case.outcome or None,
        "group": case.buyer_group(),
        "assignee": case.assignee.get_username() if case.assignee else None,
        "oid": review.oid if review else None,
        "tid": review.tid if review else None,
        "result": review.result if review else None,
        "buyer": case.buyer.nick if case.buyer else None,
        "item": review.order_item.title if review else None,
        "content": review.content if review else None,
        "cause": case.cause or None,
        "severity": case.severity or None,
        "risk_flags": case.risk_flags,
        "opened_at": case.opened_at.isoformat(),
        "closed_at": case.closed_at.isoformat() if case.closed_at else None,
    }


class Command(BaseCommand):
    help = "List cases."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        listing = sub.add_parser("list", help="list cases, newest first")
        listing.add_argument("--shop")
        listing.add_argument("--status", help="open, or a status such as new, closed")
        listing.add_argument("--group", choices=BuyerGroup.values)
        listing.add_argument("--assignee", help="username, or none")
        listing.add_argument("--result", choices=["good", "neutral", "bad"])
        listing.add_argument("--limit", type=int, default=0, help="at most N cases (0: all)")
        listing.add_argument("--as", dest="as_user", help="scope to what USERNAME may see")
        listing.add_argument("--json", action="store_true", help="one JSON object per line")

    def handle(self, *args: Any, **options: Any) -> None:
        actor = self._actor(options.get("as_user"))
        if options["shop"] and not Shop.objects.filter(slug=options["shop"]).exists():
            raise CommandError(f"unknown shop {options['shop']!r}", returncode=2)
        filters = CaseFilters(
            shop=options["shop"],
            status=options["status"],
            group=options["group"],
            assignee=options["assignee"],
            result=options["result"],
        )
        try:
            cases = case_list(actor=actor, filters=filters)
            if options["limit"]:
                cases = cases[: options["limit"]]
            rows = [case_as_dict(c) for c in cases]
        except CaseError as exc:
            raise CommandError(str(exc), returncode=2) from exc
        if options["json"]:
            for row in rows:
                self.stdout.write(json.dumps(row, ensure_ascii=False))
            return
        for row in rows:
            self.stdout.write(
                f"#{row['id']}\t{row['status']}\t{row['result'] or '-'}\t{row['oid'] or '-'}\t"
                f"{row['assignee'] or '-'}\t{(row['content'] or '')[:40]}"
            )
        self.stderr.write(f"{len(rows)} case(s)")

    def _actor(self, username: str | None) -> Any:
        if not username:
            return SystemActor()
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"unknown user {username!r}", returncode=2)
        return user
