"""`reviewdesk shops create SLUG --name NAME --platform taobao`, `shops list`, `shops grant`."""

from __future__ import annotations

import json
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from reviewdesk.shops.errors import ShopError
from reviewdesk.shops.models import Platform, ProductCategory, Role, Shop
from reviewdesk.shops.services import membership_grant, shop_create


class Command(BaseCommand):
    help = "Create and list shops; grant users a role in a shop."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="create a shop")
        create.add_argument("slug")
        create.add_argument("--name", required=True)
        create.add_argument("--platform", required=True, choices=Platform.values)
        create.add_argument(
            "--category",
            default="",
            choices=["", *ProductCategory.values],
            help="what the shop mainly sells (steers the cause); default: estimated per review",
        )
        listing = sub.add_parser("list", help="list shops")
        listing.add_argument("--json", action="store_true")
        grant = sub.add_parser("grant", help="give a user a role in a shop")
        grant.add_argument("slug")
        grant.add_argument("username")
        grant.add_argument("--role", default=Role.AGENT, choices=Role.values)

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "create":
            try:
                shop = shop_create(
                    slug=options["slug"],
                    name=options["name"],
                    platform=options["platform"],
                    product_category=options["category"],
                )
            except ShopError as exc:
                raise CommandError(str(exc), returncode=2) from exc
            self.stdout.write(f"created shop {shop.slug} ({shop.name}, {shop.platform})")
        elif action == "list":
            shops = list(Shop.objects.order_by("slug"))
            if options["json"]:
                for shop in shops:
                    row = {"slug": shop.slug, "name": shop.name, "platform": shop.platform}
                    self.stdout.write(json.dumps(row, ensure_ascii=False))
            else:
                for shop in shops:
                    self.stdout.write(f"{shop.slug}\t{shop.platform}\t{shop.name}")
        elif action == "grant":
            target = Shop.objects.filter(slug=options["slug"]).first()
            if target is None:
                raise CommandError(f"unknown shop {options['slug']!r}", returncode=2)
            user = get_user_model().objects.filter(username=options["username"]).first()
            if user is None:
                raise CommandError(f"unknown user {options['username']!r}", returncode=2)
            membership_grant(user=user, shop=target, role=options["role"])
            self.stdout.write(f"{user.get_username()} is {options['role']} of {target.slug}")
