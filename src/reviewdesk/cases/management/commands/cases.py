"""`reviewdesk cases list|show|contact|appoint|sweep`: the case workflow for scripts and for
outsourcing firms' own tooling (docs/cases.md).

    reviewdesk cases list --shop SLUG [--status S] [--group G] [--assignee U] [--json]
    reviewdesk cases show ID [--json]
    reviewdesk cases contact ID --channel phone|im|sms|message --outcome OUTCOME [--note TEXT]
    reviewdesk cases appoint ID --at "YYYY-MM-DD HH:MM" [--channel C] [--note TEXT]
    reviewdesk cases sweep [--limit N]    fire due timers once (the worker does it each minute)

The command line acts with full visibility (it runs with the server's credentials), like Django's
own admin commands; `--as USERNAME` scopes it to what that user may see and records that user as
the actor. Exit codes: 0 done, 1 refused by a domain rule (the reason is printed), 2 usage error.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from reviewdesk.cases.errors import CaseError, CaseErrorCode
from reviewdesk.cases.models import BuyerGroup, Case, Channel, ContactOutcome
from reviewdesk.cases.selectors import (
    CaseFilters,
    case_appointments,
    case_contacts,
    case_get,
    case_linked,
    case_list,
    case_next_contact,
    case_sla_state,
    case_timeline,
)
from reviewdesk.core import clock
from reviewdesk.shops.models import Shop
from reviewdesk.shops.selectors import SystemActor


def case_as_dict(case: Case) -> dict[str, Any]:
    review, refund = case.review, case.refund
    return {
        "id": case.pk,
        "shop": case.shop.slug,
        "kind": case.kind,
        "status": case.status,
        "outcome": case.outcome or None,
        "group": case.buyer_group(),
        "assignee": case.assignee.get_username() if case.assignee else None,
        "oid": review.oid if review else None,
        "tid": review.tid if review else (refund.tid if refund else None),
        "result": review.result if review else None,
        "buyer": case.buyer.nick if case.buyer else None,
        "item": review.order_item.title if review else (refund.item_title if refund else None),
        "content": review.content if review else None,
        "cause": case.cause or None,
        "severity": case.severity or None,
        "risk_flags": case.risk_flags,
        "opened_at": case.opened_at.isoformat(),
        "closed_at": case.closed_at.isoformat() if case.closed_at else None,
        "refund": None
        if refund is None
        else {
            "refund_id": refund.refund_id,
            "status": refund.status,
            "reason": refund.reason,
            "amount": str(refund.amount) if refund.amount is not None else None,
            "timeout_at": refund.timeout_at.isoformat() if refund.timeout_at else None,
            "intervention": refund.intervention,
        },
    }


def _iso(value: dt.datetime | None, tz: ZoneInfo) -> str | None:
    """ISO 8601 in shop-local time, with its UTC offset (e.g. 2026-11-20T10:30:00+08:00)."""
    return value.astimezone(tz).isoformat() if value else None


def case_detail_as_dict(case: Case, *, actor: Any, now: dt.datetime) -> dict[str, Any]:
    """`cases show --json`: the list row plus SLA, appointments, contacts, links and timeline."""
    tz = ZoneInfo(case.shop.timezone)
    row = case_as_dict(case)
    row["opened_at"] = _iso(case.opened_at, tz)
    row["closed_at"] = _iso(case.closed_at, tz)
    state = case_sla_state(case=case, now=now)
    suggestion = case_next_contact(actor=actor, case=case)
    row.update(
        {
            "priority": case.priority,
            "revision_window_ends_at": _iso(case.revision_window_ends_at, tz),
            "sla_rule": case.sla_rule or None,
            "contact_not_before": _iso(case.contact_not_before, tz),
            "first_contact_due": _iso(case.first_contact_due_at, tz),
            "first_contacted_at": _iso(case.first_contacted_at, tz),
            "resolution_due": _iso(case.resolution_due_at, tz),
            "escalated_at": _iso(case.escalated_at, tz),
            "offered_revise_at": _iso(case.offered_revise_at, tz),
            "sla_state": state.kind.value,
            "next_contact": {
                "channel": suggestion.channel,
                "wait_minutes": int(suggestion.wait.total_seconds() // 60),
                "reason": suggestion.reason,
            },
            "appointments": [
                {
                    "id": a.pk,
                    "at": _iso(a.at, tz),
                    "channel": a.channel,
                    "status": a.status,
                    "countdown_seconds": int(a.countdown(now).total_seconds()),
                    "note": a.note,
                }
                for a in case_appointments(actor=actor, case=case)
            ],
            "linked": [
                {"id": c.pk, "oid": c.review.oid if c.review else None, "status": c.status}
                for c in case_linked(actor=actor, case=case)
            ],
            "contacts": [
                {
                    "case": c.case_id,
                    "at": _iso(c.at, tz),
                    "channel": c.channel,
                    "outcome": c.outcome,
                    "note": c.note,
                    "by": c.actor.get_username() if c.actor else "system",
                }
                for c in case_contacts(actor=actor, case=case)
            ],
            "timeline": [
                {
                    "at": _iso(e.at, tz),
                    "kind": e.kind,
                    "actor": e.actor.get_username() if e.actor else "system",
                    "message": e.message,
                    "data": e.data,
                }
                for e in case_timeline(actor=actor, case=case)
            ],
        }
    )
    return row


_STRICT_AT = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$")


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
        listing.add_argument("--order", choices=["newest", "priority", "due"], default="newest")

        show = sub.add_parser("show", help="one case with its SLA, contacts and timeline")
        show.add_argument("case_id", type=int)
        show.add_argument("--json", action="store_true")
        show.add_argument("--as", dest="as_user")

        contact = sub.add_parser("contact", help="log a contact attempt")
        contact.add_argument("case_id", type=int)
        contact.add_argument("--channel", required=True, choices=Channel.values)
        contact.add_argument("--outcome", required=True, choices=ContactOutcome.values)
        contact.add_argument("--note", default="")
        contact.add_argument("--as", dest="as_user")
        contact.add_argument("--json", action="store_true")

        appoint = sub.add_parser("appoint", help='agree a call-back at "YYYY-MM-DD HH:MM"')
        appoint.add_argument("case_id", type=int)
        appoint.add_argument("--at", required=True, help="shop-local time, YYYY-MM-DD HH:MM")
        appoint.add_argument("--channel", choices=Channel.values, default="phone")
        appoint.add_argument("--note", default="")
        appoint.add_argument("--as", dest="as_user")
        appoint.add_argument("--json", action="store_true")

        sweep = sub.add_parser("sweep", help="fire the timers that are due (idempotent)")
        sweep.add_argument("--limit", type=int, default=500)

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action != "list":
            try:
                getattr(self, f"_handle_{action}")(options)
            except CaseError as exc:
                code = 2 if exc.code is CaseErrorCode.INVALID_FILTER else 1
                raise CommandError(f"{exc.code}: {exc}", returncode=code) from exc
            return
        actor = self._actor(options.get("as_user"))
        if options["shop"] and not Shop.objects.filter(slug=options["shop"]).exists():
            raise CommandError(f"unknown shop {options['shop']!r}", returncode=2)
        filters = CaseFilters(
            shop=options["shop"],
            status=options["status"],
            group=options["group"],
            assignee=options["assignee"],
            result=options["result"],
            order=options["order"],
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

    def _show(self, case: Case, actor: Any, as_json: bool) -> None:
        detail = case_detail_as_dict(case, actor=actor, now=clock.now())
        if as_json:
            self.stdout.write(json.dumps(detail, ensure_ascii=False))
            return
        self.stdout.write(
            f"#{detail['id']} {detail['status']} group={detail['group']} "
            f"assignee={detail['assignee'] or '-'} oid={detail['oid']}"
        )
        self.stdout.write(f"  first contact due {detail['first_contact_due'] or '-'}")
        for a in detail["appointments"]:
            self.stdout.write(f"  appointment {a['at']} {a['channel']} {a['status']}")
        if detail["linked"]:
            self.stdout.write("  linked " + ", ".join(f"#{c['id']}" for c in detail["linked"]))
        self.stdout.write(f"  next: {detail['next_contact']['reason']}")
        for e in detail["timeline"]:
            self.stdout.write(f"  {e['at']}  {e['kind']:<14} {e['actor']:<10} {e['message']}")

    def _handle_show(self, options: dict[str, Any]) -> None:
        actor = self._actor(options.get("as_user"))
        case = case_get(actor=actor, case_id=options["case_id"])
        self._show(case, actor, options["json"])

    def _handle_contact(self, options: dict[str, Any]) -> None:
        from reviewdesk.cases.services.contact import contact_log

        actor = self._actor(options.get("as_user"))
        case = case_get(actor=actor, case_id=options["case_id"])
        contact_log(
            actor=actor,
            case=case,
            channel=options["channel"],
            outcome=options["outcome"],
            note=options["note"],
        )
        self._show(case_get(actor=actor, case_id=case.pk), actor, options["json"])

    def _handle_appoint(self, options: dict[str, Any]) -> None:
        from reviewdesk.cases.services.appointment import appointment_schedule

        text = options["at"].strip()
        if not _STRICT_AT.match(text):
            raise CaseError(
                CaseErrorCode.VAGUE_TIME,
                f"--at {text!r} is not an exact time: use YYYY-MM-DD HH:MM in shop time, "
                "e.g. 2026-11-20 20:15 (DOMAIN R4: never 明天, 下午 or 早晨)",
            )
        actor = self._actor(options.get("as_user"))
        case = case_get(actor=actor, case_id=options["case_id"])
        appointment = appointment_schedule(
            actor=actor, case=case, when=text, channel=options["channel"], note=options["note"]
        )
        tz = ZoneInfo(case.shop.timezone)
        if options["json"]:
            self._show(case_get(actor=actor, case_id=case.pk), actor, True)
        else:
            self.stdout.write(f"appointment #{appointment.pk} at {_iso(appointment.at, tz)}")

    def _handle_sweep(self, options: dict[str, Any]) -> None:
        from reviewdesk.cases.services.sla_timers import timers_fire_due

        report = timers_fire_due(limit=options["limit"])
        self.stdout.write(f"fired {report.fired}, skipped {report.skipped}, failed {report.failed}")

    def _actor(self, username: str | None) -> Any:
        if not username:
            return SystemActor()
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"unknown user {username!r}", returncode=2)
        return user
