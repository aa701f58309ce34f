"""`reviewdesk ratings …`: DSR, credit score and 好评率, what-ifs, snapshots (docs/ratings.md).

    reviewdesk ratings dsr --shop SLUG [--at YYYY-MM-DD] [--json]
    reviewdesk ratings trend --shop SLUG --from YYYY-MM-DD --to YYYY-MM-DD [--json]
    reviewdesk ratings credit --shop SLUG [--at YYYY-MM-DD] [--json]
    reviewdesk ratings whatif target --shop SLUG [--dimension desc] --target 4.85 --by YYYY-MM-DD
    reviewdesk ratings whatif promotion --shop SLUG --orders K [--rate 0.3] [--at YYYY-MM-DD]
    reviewdesk ratings whatif impact --shop SLUG --tid TID
    reviewdesk ratings whatif resolve --shop SLUG --case ID [--case ID …] [--deleted]
    reviewdesk ratings snapshot --shop SLUG [--at YYYY-MM-DD]
    reviewdesk ratings calibrate --shop SLUG --dimension desc --value 4.8 [--at YYYY-MM-DD]
    reviewdesk ratings rules [--json]

Exit codes: 0 done; 2 unknown shop, user or case, or an invalid argument. Like the other
commands it acts with full visibility unless `--as USERNAME` scopes it to a user.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from reviewdesk.ratings import selectors, services
from reviewdesk.ratings.dsr import DIMENSIONS, Dimension, DsrResult
from reviewdesk.ratings.errors import RatingError
from reviewdesk.ratings.rules import RULE_NOTES
from reviewdesk.shops.errors import ShopError
from reviewdesk.shops.selectors import Actor, SystemActor, shop_get


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from exc


def _decimal(text: str) -> Decimal:
    try:
        return Decimal(text)
    except InvalidOperation as exc:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from exc


def _common(parser: CommandParser) -> None:
    parser.add_argument("--as", dest="as_user", help="scope to what USERNAME may see")
    parser.add_argument("--json", action="store_true", help="print JSON")


def _shop(parser: CommandParser) -> None:
    _common(parser)
    parser.add_argument("--shop", required=True, help="shop slug")


class Command(BaseCommand):
    help = "店铺评分 DSR、信用积分与好评率、模拟与快照 / shop ratings, what-ifs and snapshots."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        p = sub.add_parser("dsr", help="the DSR on a day")
        _shop(p)
        p.add_argument("--at", type=_date, help="day (default: today in the shop's zone)")
        p = sub.add_parser("trend", help="the DSR of each day in a range")
        _shop(p)
        p.add_argument("--from", dest="first", type=_date, required=True)
        p.add_argument("--to", dest="last", type=_date, required=True)
        p = sub.add_parser("credit", help="credit score and 好评率")
        _shop(p)
        p.add_argument("--at", type=_date)
        p = sub.add_parser("snapshot", help="store the day's DSR, raise alerts")
        _shop(p)
        p.add_argument("--at", type=_date)
        p = sub.add_parser("calibrate", help="enter the value the platform shows")
        _shop(p)
        p.add_argument("--dimension", required=True, choices=[d.value for d in DIMENSIONS])
        p.add_argument("--value", required=True, type=_decimal)
        p.add_argument("--at", type=_date)
        _common(sub.add_parser("rules", help="every rule, its source and confidence"))

        whatif = sub.add_parser("whatif", help="what-if simulations")
        kinds = whatif.add_subparsers(dest="whatif", required=True)
        p = kinds.add_parser("target", help="5-star ratings to reach a target")
        _shop(p)
        p.add_argument("--dimension", choices=[d.value for d in DIMENSIONS], help="default: all")
        p.add_argument("--target", required=True, type=_decimal)
        p.add_argument("--by", required=True, type=_date)
        p = kinds.add_parser("promotion", help="DSR after K promotion orders")
        _shop(p)
        p.add_argument("--orders", required=True, type=int)
        p.add_argument("--rate", type=_decimal, help="share of orders scored (default: policy)")
        p.add_argument("--at", type=_date)
        p = kinds.add_parser("impact", help="one rating's effect on the DSR")
        _shop(p)
        p.add_argument("--tid", required=True, type=int)
        p = kinds.add_parser("resolve", help="figures if cases are resolved")
        _shop(p)
        p.add_argument("--case", dest="cases", type=int, action="append", required=True)
        p.add_argument("--deleted", action="store_true", help="the buyer deletes instead")

    def handle(self, *args: Any, **options: Any) -> None:
        actor = self._actor(options.get("as_user"))
        action = options["action"] if options["action"] != "whatif" else options["whatif"]
        try:
            data, text = getattr(self, f"_{action}")(actor, options)
        except (ShopError, RatingError) as exc:
            raise CommandError(str(exc), returncode=2) from exc
        if options.get("json"):
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
        else:
            self.stdout.write(text)

    # -- subcommands: each returns (JSON data, text) --------------------------------------------

    def _dsr(self, actor: Actor, o: dict[str, Any]) -> tuple[Any, str]:
        overview = selectors.dsr_overview(actor=actor, slug=o["shop"], at=o["at"])
        lines = [
            f"店铺 {overview.shop.slug}  DSR {overview.result.at}  "
            f"(window {overview.result.first_day} .. {overview.result.at})",
            *_dsr_lines(overview.result),
            _tally_line(overview.result),
        ]
        for c in overview.calibrations[:3]:
            diff = c.difference
            lines.append(
                f"  calibration {c.day} {c.dimension.label}: platform {c.shown}, ours "
                f"{c.computed.value if c.computed.value is not None else '-'}"
                + (f", difference {float(diff):+.4f}" if diff is not None else "")
            )
        lines.append(
            "  estimate: 描述/服务 stars come from imports (PLATFORM §4.5); unconfirmed rules: "
            + ", ".join(n.source for n in overview.flagged_rules)
        )
        return overview.as_json(), "\n".join(lines)

    def _trend(self, actor: Actor, o: dict[str, Any]) -> tuple[Any, str]:
        series = selectors.dsr_trend(actor=actor, slug=o["shop"], first=o["first"], last=o["last"])
        rows = [
            {"day": r.at.isoformat(), **{d.value: r[d].value for d in DIMENSIONS}} for r in series
        ]
        text = "\n".join(
            f"{r.at}  " + "  ".join(f"{r[d].display or '-':>5}" for d in DIMENSIONS) for r in series
        )
        return rows, "day         desc  serv  logi\n" + text

    def _credit(self, actor: Actor, o: dict[str, Any]) -> tuple[Any, str]:
        summary = selectors.credit_overview(actor=actor, slug=o["shop"], at=o["at"])
        skipped = ", ".join(f"{k.value} {v}" for k, v in sorted(summary.non_scoring.items()))
        text = (
            f"信用积分 credit score {summary.score}  好评率 {summary.good_rate_display or '-'}\n"
            f"  scoring: 好评 {summary.good} · 中评 {summary.neutral} · 差评 {summary.bad}"
            + (f"\n  not scoring: {skipped}" if skipped else "")
        )
        return summary.as_json(), text

    def _snapshot(self, actor: Actor, o: dict[str, Any]) -> tuple[Any, str]:
        shop = shop_get(actor=actor, slug=o["shop"])
        outcome = services.dsr_snapshot_compute(shop=shop, day=o["at"])
        alerts = [
            {
                "dimension": a.dimension,
                "kind": a.kind,
                "value": str(a.value),
                "reference": str(a.reference),
            }
            for a in outcome.alerts
        ]
        data = {
            "day": outcome.snapshot.day.isoformat(),
            "dsr": outcome.result.as_json(),
            "alerts": alerts,
        }
        lines = [f"snapshot {shop.slug} {outcome.snapshot.day} stored", *_dsr_lines(outcome.result)]
        lines += [
            f"  ALERT {a['dimension']} {a['kind']}: {a['value']} (reference {a['reference']})"
            for a in alerts
        ]
        return data, "\n".join(lines)

    def _calibrate(self, actor: Actor, o: dict[str, Any]) -> tuple[Any, str]:
        shop = shop_get(actor=actor, slug=o["shop"])
        day = o["at"] or selectors.shop_today(shop)
        services.platform_calibration_record(
            actor=actor,
            shop=shop,
            day=day,
            dimension=Dimension(o["dimension"]),
            shown_value=o["value"],
        )
        overview = selectors.dsr_overview(actor=actor, slug=shop.slug, at=day)
        diff = next(
            c for c in overview.calibrations if c.day == day and c.dimension.value == o["dimension"]
        )
        difference = diff.difference
        text = (
            f"recorded {o['dimension']} = {o['value']} on {day}; ours "
            f"{diff.computed.value}, difference "
            + (f"{float(difference):+.5f}" if difference is not None else "-")
        )
        return diff.as_json(), text

    def _rules(self, actor: Actor, o: dict[str, Any]) -> tuple[Any, str]:
        data = [
            {
                "source": n.source,
                "title": n.title,
                "confidence": n.confidence.value,
                "summary": n.summary,
                "settings": list(n.settings),
                "detail": n.detail,
            }
            for n in RULE_NOTES
        ]
        text = "\n".join(
            f"{'!' if n.is_flagged else ' '} {n.source:<28} [{n.confidence.value}] {n.title}"
            + (f"  (settings: {', '.join(n.settings)})" if n.settings else "")
            for n in RULE_NOTES
        )
        return data, text

    def _target(self, actor: Actor, o: dict[str, Any]) -> tuple[Any, str]:
        dims = [Dimension(o["dimension"])] if o["dimension"] else list(DIMENSIONS)
        what = selectors.dsr_target_whatif(
            actor=actor, slug=o["shop"], target=Fraction(o["target"]), by=o["by"], dimensions=dims
        )
        lines = [
            f"to reach {o['target']} by {o['by']} (scores leaving the window by then are out):"
        ]
        for d, n in what.needed.items():
            base = what.base[d]
            now = f"{base.value:.5f}" if base.value is not None else "-"
            lines.append(
                f"  {d.label} {d.value:<9} {now} over {base.count} -> "
                + (f"{n} five-star ratings" if n is not None else "unreachable")
            )
        if what.trades_needed is not None and len(dims) > 1:
            lines.append(f"  all dimensions: {what.trades_needed} all-5-star scored trades")
        return what.as_json(), "\n".join(lines)

    def _promotion(self, actor: Actor, o: dict[str, Any]) -> tuple[Any, str]:
        rate = Fraction(o["rate"]) if o["rate"] is not None else None
        what = selectors.dsr_promotion_whatif(
            actor=actor, slug=o["shop"], orders=o["orders"], at=o["at"], scoring_rate=rate
        )
        data = what.as_json()
        lines = [
            f"promotion of {what.orders} orders, {float(what.scoring_rate):.1%} scored "
            f"(~{float(what.expected_scores):.0f} counted scores):"
        ]
        for d in DIMENSIONS:
            after = data["after"][d.value]
            lines.append(
                f"  {d.label} {what.base[d].display or '-'} -> {after['display'] or '-'}"
                f"  ({what.base[d].value or 0:.5f} -> {after['value'] or 0:.5f})"
            )
        return data, "\n".join(lines)

    def _impact(self, actor: Actor, o: dict[str, Any]) -> tuple[Any, str]:
        impact = selectors.rating_impact_get(actor=actor, slug=o["shop"], tid=o["tid"])
        lines = [f"impact of trade {o['tid']} on today's DSR:"]
        for d in DIMENSIONS:
            delta = impact.delta(d)
            lines.append(f"  {d.label} " + (f"{float(delta):+.5f}" if delta is not None else "-"))
        lines.append("  " + impact.as_json()["note"])
        return impact.as_json(), "\n".join(lines)

    def _resolve(self, actor: Actor, o: dict[str, Any]) -> tuple[Any, str]:
        what = selectors.cases_resolution_whatif(
            actor=actor, slug=o["shop"], case_ids=o["cases"], deleted=o["deleted"]
        )
        before, after = what.credit_before, what.credit_after
        text = (
            f"DSR unchanged: {what.note}\n"
            f"credit score {before.score} -> {after.score}; "
            f"好评率 {before.good_rate_display or '-'} -> {after.good_rate_display or '-'}"
        )
        return what.as_json(), text

    def _actor(self, username: str | None) -> Actor:
        if not username:
            return SystemActor()
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"unknown user {username!r}", returncode=2)
        return user


def _dsr_lines(result: DsrResult) -> list[str]:
    return [
        f"  {d.label} {d.value:<9} {result[d].display or '-':>4}  "
        + (f"{result[d].value:.5f}" if result[d].value is not None else "-")
        + f"  ({result[d].count} scores)"
        for d in DIMENSIONS
    ]


def _tally_line(result: DsrResult) -> str:
    t = result.tally
    return (
        f"  rated {t.rated} · counted {t.counted} · default {t.default} · "
        f"not Alipay {t.not_alipay} · over monthly cap {t.over_monthly_cap}"
    )
