"""`reviewdesk logistics list|check|not-received`: parcels and their cases (docs/logistics.md).

    reviewdesk logistics list [--shop SLUG] [--as USER] [--json]   the parcels, newest first
    reviewdesk logistics check [--shop SLUG]     re-evaluate unsigned parcels now (the worker
                                                 does it every 10 minutes)
    reviewdesk logistics not-received TID --shop SLUG   the buyer says a signed parcel never
                                                 arrived: opens the 签收未收到 case (once)

Exit codes: 0 done, 1 refused (unknown shop or parcel), 2 usage error.
"""

from __future__ import annotations

import json
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from reviewdesk.logistics.checks import shipments_check
from reviewdesk.logistics.selectors import shipment_list
from reviewdesk.logistics.services import shipment_report_not_received
from reviewdesk.shops.models import Shop
from reviewdesk.shops.selectors import SystemActor


class Command(BaseCommand):
    help = "Parcels (物流) and their logistics cases."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        listing = sub.add_parser("list", help="the parcels, newest shipping first")
        listing.add_argument("--shop")
        listing.add_argument("--as", dest="as_user")
        listing.add_argument("--json", action="store_true")
        listing.add_argument("--limit", type=int, default=50)
        check = sub.add_parser("check", help="re-evaluate unsigned parcels now (idempotent)")
        check.add_argument("--shop")
        report = sub.add_parser("not-received", help="the buyer says a signed parcel never came")
        report.add_argument("tid", type=int)
        report.add_argument("--shop", required=True)

    def handle(self, *args: Any, **options: Any) -> None:
        getattr(self, "_handle_" + options["action"].replace("-", "_"))(options)

    def _shops(self, slug: str | None) -> list[Shop]:
        shops = Shop.objects.filter(is_active=True)
        if slug:
            shops = Shop.objects.filter(slug=slug)
            if not shops.exists():
                raise CommandError(f"not_found: shop {slug!r}", returncode=1)
        return list(shops)

    def _handle_list(self, options: dict[str, Any]) -> None:
        actor: Any = SystemActor()
        if options["as_user"]:
            actor = get_user_model().objects.filter(username=options["as_user"]).first()
            if actor is None:
                raise CommandError(f"unknown user {options['as_user']!r}", returncode=2)
        rows = [
            {
                "shop": s.shop.slug,
                "tid": s.tid,
                "carrier": s.carrier,
                "tracking_no": s.tracking_no,
                "consigned_at": s.consigned_at.isoformat() if s.consigned_at else None,
                "ship_by_at": s.ship_by_at.isoformat() if s.ship_by_at else None,
                "signed_at": s.signed_at.isoformat() if s.signed_at else None,
                "offline": s.offline,
            }
            for s in shipment_list(actor=actor, shop=options["shop"])[: options["limit"]]
        ]
        if options["json"]:
            self.stdout.write(json.dumps(rows, ensure_ascii=False))
            return
        for row in rows:
            signed = "已签收" if row["signed_at"] else "在途"
            self.stdout.write(
                f"{row['shop']}  {row['tid']}  {row['carrier'] or '—'} "
                f"{row['tracking_no'] or '—'}  {signed}"
            )

    def _handle_check(self, options: dict[str, Any]) -> None:
        for shop in self._shops(options["shop"]):
            report = shipments_check(shop=shop)
            self.stdout.write(
                f"{shop.slug}: {report.shipments} parcels checked, "
                f"{report.cases_opened} cases opened"
            )

    def _handle_not_received(self, options: dict[str, Any]) -> None:
        shop = self._shops(options["shop"])[0]
        shipment = shipment_list(actor=SystemActor(), shop=shop.slug).filter(tid=options["tid"])
        found = shipment.first()
        if found is None:
            raise CommandError(f"not_found: parcel of order {options['tid']}", returncode=1)
        opened = shipment_report_not_received(actor=SystemActor(), shipment=found)
        self.stdout.write(f"{shop.slug} {found.tid}: {opened} cases opened")
