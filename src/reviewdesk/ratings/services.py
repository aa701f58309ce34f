"""Writes of the ratings app (STYLE C2): scores in, policy, daily snapshots, calibration, alerts.

Each service owns its transaction and is idempotent where a scheduler may run it twice: a
snapshot is one row per shop and day, an alert one row per shop, dimension, kind and day.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from reviewdesk.core import clock
from reviewdesk.ratings import dsr
from reviewdesk.ratings.alerts import DayValues, alert_conditions, condition_started
from reviewdesk.ratings.dsr import DIMENSIONS, Dimension
from reviewdesk.ratings.dsr_engine import DsrBook
from reviewdesk.ratings.errors import RatingError, RatingErrorCode
from reviewdesk.ratings.models import (
    DsrSnapshot,
    PlatformCalibration,
    RatingAlert,
    RatingAlertReceipt,
    RatingPolicy,
    ScoredTrade,
)
from reviewdesk.ratings.selectors import book_of, policy_of, rules_as_json, shop_today
from reviewdesk.reviews.models import Review
from reviewdesk.shops.models import Membership, Role, Shop
from reviewdesk.shops.selectors import Actor, actor_has_role

_COMPARED = (
    "buyer_nick",
    "trade_created_at",
    "rated_at",
    "is_alipay",
    "is_default",
    "desc_score",
    "service_score",
    "logistics_score",
)


# How far back a running alert condition is traced to see whether it was already told.
ALERT_LOOKBACK_DAYS = 60


@dataclass(frozen=True, slots=True)
class UpsertStats:
    created: int = 0
    changed: int = 0
    unchanged: int = 0


def _require(actor: Actor, shop: Shop, role: str, what: str) -> None:
    if not actor_has_role(actor=actor, shop=shop, role=role):
        raise RatingError(RatingErrorCode.NOT_ALLOWED, f"only a {role} of the shop may {what}")


def _row_values(trade: dsr.ScoredTrade) -> dict[str, Any]:
    return {
        "buyer_nick": trade.buyer,
        "trade_created_at": trade.trade_created,
        "rated_at": trade.rated_at,
        "is_alipay": trade.alipay,
        "is_default": trade.is_default,
        "desc_score": trade.desc,
        "service_score": trade.service,
        "logistics_score": trade.logistics,
    }


def scored_trades_upsert(
    *, shop: Shop, trades: Sequence[dsr.ScoredTrade], source: str
) -> UpsertStats:
    """Store scored trades by (shop, tid); re-storing the same data changes nothing.

    DSR stars never change on the platform (PLATFORM §9.3 D6), so a changed row means our copy
    was wrong (a typo in manual entry, a corrected export): the newer data wins and is counted
    as `changed` so the import report shows it.
    """
    latest = {t.tid: t for t in trades}  # a tid twice in one batch: the later row wins
    unchanged = 0
    now = clock.now()
    with transaction.atomic():
        existing = {
            row.tid: row for row in ScoredTrade.objects.filter(shop=shop, tid__in=list(latest))
        }
        new_rows: list[ScoredTrade] = []
        updated: list[ScoredTrade] = []
        for tid, trade in latest.items():
            values = _row_values(trade)
            row = existing.get(tid)
            if row is None:
                new_rows.append(ScoredTrade(shop=shop, tid=tid, source=source, **values))
                continue
            if all(getattr(row, name) == values[name] for name in _COMPARED):
                unchanged += 1
                continue
            for name, value in values.items():
                setattr(row, name, value)
            row.source = source
            row.updated_at = now  # bulk_update skips auto_now
            updated.append(row)
        ScoredTrade.objects.bulk_create(new_rows)
        ScoredTrade.objects.bulk_update(updated, [*_COMPARED, "source", "updated_at"])
        created, changed = len(new_rows), len(updated)
    return UpsertStats(created, changed, unchanged)


REVIEWS_SOURCE = "reviews"


def scored_trades_from_reviews(*, shop: Shop, review_ids: Sequence[int]) -> UpsertStats:
    """Derive scored trades from ingested reviews that carry DSR stars.

    DSR is one set of stars per trade (PLATFORM §9.3 D9), so the first rated item of a trade gives
    the trade's stars. Trades whose stars came from a scores import or manual entry are left alone:
    those sources are closer to what the buyer clicked. Reviews whose order is unknown (a stub:
    no trade creation time) are skipped until the order arrives.
    """
    rows = (
        Review.objects.filter(id__in=review_ids, order_item__order__created_at__isnull=False)
        .filter(
            Q(desc_score__isnull=False)
            | Q(service_score__isnull=False)
            | Q(logistics_score__isnull=False)
        )
        .order_by("rated_at", "id")
        .values_list(
            "tid",
            "buyer__nick",
            "order_item__order__created_at",
            "order_item__order__is_alipay",
            "rated_at",
            "is_default",
            "desc_score",
            "service_score",
            "logistics_score",
        )
    )
    trades: dict[int, dsr.ScoredTrade] = {}
    for tid, nick, created, alipay, rated, is_default, desc, service, logistics in rows:
        if created is None:  # excluded by the query; narrows the type
            continue
        trades.setdefault(
            tid,
            dsr.ScoredTrade(
                tid=tid,
                buyer=nick or "",
                trade_created=created,
                rated_at=rated,
                alipay=alipay,
                is_default=is_default,
                desc=desc,
                service=service,
                logistics=logistics,
            ),
        )
    if not trades:
        return UpsertStats()
    owned_elsewhere = set(
        ScoredTrade.objects.filter(shop=shop, tid__in=list(trades))
        .exclude(source=REVIEWS_SOURCE)
        .values_list("tid", flat=True)
    )
    return scored_trades_upsert(
        shop=shop,
        trades=[t for tid, t in trades.items() if tid not in owned_elsewhere],
        source=REVIEWS_SOURCE,
    )


def scored_trade_enter(*, actor: Actor, shop: Shop, trade: dsr.ScoredTrade) -> ScoredTrade:
    """Manual entry of one trade's stars by a supervisor or the owner."""
    _require(actor, shop, Role.SUPERVISOR, "enter DSR scores")
    who = actor.get_username() if hasattr(actor, "get_username") else "unknown"
    scored_trades_upsert(shop=shop, trades=[trade], source=f"manual:{who}"[:255])
    return ScoredTrade.objects.get(shop=shop, tid=trade.tid)


# --- policy ------------------------------------------------------------------------------------

_POLICY_FIELDS = frozenset(
    f.name for f in RatingPolicy._meta.get_fields() if f.name not in {"id", "shop", "updated_at"}
)


def rating_policy_update(*, actor: Actor, shop: Shop, **changes: Any) -> RatingPolicy:
    """Change the shop's rating settings (owner only); validated by the model's constraints."""
    _require(actor, shop, Role.OWNER, "change rating settings")
    unknown = set(changes) - _POLICY_FIELDS
    if unknown:
        raise RatingError(RatingErrorCode.INVALID_SCORE, f"unknown settings: {sorted(unknown)}")
    with transaction.atomic():
        policy, _ = RatingPolicy.objects.select_for_update().get_or_create(shop=shop)
        for name, value in changes.items():
            setattr(policy, name, value)
        try:
            policy.full_clean()
        except ValidationError as exc:
            raise RatingError(RatingErrorCode.INVALID_SCORE, str(exc)) from exc
        policy.save()
    return policy


# --- calibration -------------------------------------------------------------------------------


def platform_calibration_record(
    *, actor: Actor, shop: Shop, day: dt.date, dimension: Dimension, shown_value: Decimal
) -> PlatformCalibration:
    """Record the value the platform shows (owner only); one per shop, day and dimension."""
    _require(actor, shop, Role.OWNER, "enter the platform's DSR")
    if not Decimal(1) <= shown_value <= Decimal(5):
        raise RatingError(RatingErrorCode.INVALID_SCORE, "a DSR value lies between 1 and 5")
    user_id = actor.pk if isinstance(actor.pk, int) else None
    with transaction.atomic():
        calibration, _ = PlatformCalibration.objects.update_or_create(
            shop=shop,
            day=day,
            dimension=dimension.value,
            defaults={
                "shown_value": shown_value,
                "entered_by_id": user_id,
                "entered_at": clock.now(),
            },
        )
    return calibration


# --- snapshots and alerts ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SnapshotOutcome:
    snapshot: DsrSnapshot
    result: dsr.DsrResult
    alerts: list[RatingAlert]  # alerts created by this run (none when re-run the same day)


def dsr_snapshot_compute(*, shop: Shop, day: dt.date | None = None) -> SnapshotOutcome:
    """Compute and store the DSR of `day` (default today), then raise the day's new alerts.

    Idempotent: a second run the same day rewrites the same snapshot row and creates no
    second alert. Meant for a daily scheduled task and `reviewdesk ratings snapshot`.
    """
    day = day or shop_today(shop)
    policy = policy_of(shop)
    rules = policy.dsr_rules(shop.timezone)
    book = book_of(shop, rules)
    result = book.at(day)
    values: dict[str, Any] = {
        "rated": result.tally.rated,
        "counted": result.tally.counted,
        "rules": rules_as_json(rules),
        "computed_at": clock.now(),
    }
    for d in DIMENSIONS:
        values[f"{d.value}_total"] = result[d].total
        values[f"{d.value}_count"] = result[d].count
    with transaction.atomic():
        snapshot, _ = DsrSnapshot.objects.update_or_create(shop=shop, day=day, defaults=values)
        alerts = _alerts_raise(shop=shop, policy=policy, book=book, day=day)
    return SnapshotOutcome(snapshot, result, alerts)


def _alerts_raise(
    *, shop: Shop, policy: RatingPolicy, book: DsrBook, day: dt.date
) -> list[RatingAlert]:
    """Alert conditions holding on `day`, each told once per unbroken run of days (whether or
    not a snapshot was taken every day), with a receipt per recipient."""
    alert_policy = policy.alert_policy()
    first = day - dt.timedelta(days=alert_policy.drop_days + ALERT_LOOKBACK_DAYS)
    series = [DayValues(r.at, {d: r[d].exact for d in DIMENSIONS}) for r in book.trend(first, day)]
    conditions = alert_conditions(series, alert_policy, on=day)
    if not conditions:
        return []
    # Owners and supervisors of the shop (issue: "alerts the owner and the supervisor").
    recipients = list(
        Membership.objects.filter(
            shop=shop, is_active=True, role__in=[Role.SUPERVISOR, Role.OWNER, Role.ADMIN]
        ).values_list("user_id", flat=True)
    )
    created: list[RatingAlert] = []
    now = clock.now()
    for condition in conditions:
        started = condition_started(series, alert_policy, condition)
        already_told = RatingAlert.objects.filter(
            shop=shop,
            dimension=condition.dimension.value,
            kind=condition.kind.value,
            day__gte=started,
            day__lte=day,
        ).exists()
        if already_told:
            continue
        alert, is_new = RatingAlert.objects.get_or_create(
            shop=shop,
            dimension=condition.dimension.value,
            kind=condition.kind.value,
            day=day,
            defaults={
                "value": _decimal(condition.value),
                "reference": _decimal(condition.reference),
                "created_at": now,
            },
        )
        if not is_new:
            continue
        RatingAlertReceipt.objects.bulk_create(
            [RatingAlertReceipt(alert=alert, user_id=u) for u in recipients],
            ignore_conflicts=True,
        )
        created.append(alert)
    return created


def _decimal(value: Fraction) -> Decimal:
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(Decimal("0.00001"))


def rating_alert_mark_read(*, actor: Actor, alert_id: int) -> bool:
    """Mark the actor's receipt read; False when there was no unread one (conditional update)."""
    if actor.pk is None:
        return False
    updated = RatingAlertReceipt.objects.filter(
        alert_id=alert_id, user_id=actor.pk, read_at__isnull=True
    ).update(read_at=clock.now())
    return updated == 1
