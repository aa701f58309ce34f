"""`reviewdesk demo load [--days 200] [--orders 3000] [--reset]`: the demo shop (docs/demo.md)."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from reviewdesk.platforms.simulator.demo import DEMO_PASSWORD, demo_load, demo_logins

DEFAULT_URL = "http://127.0.0.1:8000/"


def logins_text(url: str) -> str:
    """The banner `demo load` and `serve` print: where to go and who to log in as."""
    lines = [f"reviewdesk: {url}"]
    logins = demo_logins()
    if logins:
        lines.append(f"demo logins (password: {DEMO_PASSWORD}):")
        lines.extend(f"  {username:<16} {role} {name}" for username, role, name in logins)
    return "\n".join(lines)


class Command(BaseCommand):
    help = "Demo shop: `demo load` creates it with 200 days of orders, reviews and cases."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser("load", help="create the demo shop unless it exists")
        load.add_argument("--days", type=int, default=200, help="days of history (200)")
        load.add_argument("--orders", type=int, default=3000, help="orders in the history (3000)")
        load.add_argument(
            "--reset", action="store_true", help="delete the demo shop and its users first"
        )
        load.add_argument("--url", default=DEFAULT_URL, help="URL to print with the logins")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] != "load":
            raise CommandError(f"unknown action {options['action']!r}")
        try:
            report = demo_load(
                days=options["days"], orders=options["orders"], reset=options["reset"]
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        if report.created:
            self.stdout.write(
                f"demo shop loaded: {report.orders} orders, {report.reviews} reviews, "
                f"{report.refunds} refund requests, {report.parcels} parcels, "
                f"{report.cases} cases ({report.open_cases} open) in {report.seconds:.1f}s"
            )
        else:
            self.stdout.write("demo shop exists; left as it is (use --reset to rebuild it)")
        self.stdout.write(logins_text(options["url"]))
