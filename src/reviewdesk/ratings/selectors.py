"""Reads for the ratings page, the API and the `reviewdesk ratings` command (STYLE C3).

Every public selector takes `actor` and finds the shop through `shops.selectors.shop_get`, so a
user sees the DSR of their own shops only. The figures are computed from the stored scores with
the pure engine (dsr_engine.DsrBook): one shop's scores load in one query.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
from django.db.models import QuerySet

from reviewdesk.core import clock
from reviewdesk.ratings import dsr
from reviewdesk.ratings.credit import CreditRating, CreditSummary, RatingResult, credit_summary
from reviewdesk.ratings.dsr import DIMENSIONS, Dimension, DsrResult
from reviewdesk.ratings.dsr_engine import DsrBook, ScoreColumns
from reviewdesk.ratings.errors import RatingError, RatingErrorCode
from reviewdesk.ratings.models import (
    DsrSnapshot,
    PlatformCalibration,
    RatingAlertReceipt,
    RatingPolicy,
    ScoredTrade,
)
from reviewdesk.ratings.rules import DsrRules, RuleNote, flagged_notes
from reviewdesk.ratings.whatif import (
    PromotionWhatIf,
    RatingImpact,
    ResolutionWhatIf,
    TargetWhatIf,
    estimated_scoring_rate,
    promotion_whatif,
    rating_impact,
    resolution_whatif,
    target_whatif,
)
from reviewdesk.shops.models import Shop
from reviewdesk.shops.selectors import Actor, shop_get, shops_visible_to

_TRADE_FIELDS = (
    "tid",
    "buyer_nick",
    "trade_created_at",
    "rated_at",
    "is_alipay",
    "is_default",
    "desc_score",
    "service_score",
    "logistics_score",
)


# --- shop context (internal: the shop is already scoped by the caller) ------------------------


def policy_of(shop: Shop) -> RatingPolicy:
    """The shop's policy, or the defaults (unsaved) when the owner never changed anything."""
    policy = RatingPolicy.objects.filter(shop=shop).first()
    return policy if policy is not None else RatingPolicy(shop=shop)


def shop_today(shop: Shop) -> dt.date:
    return clock.now().astimezone(ZoneInfo(shop.timezone)).date()


def book_of(shop: Shop, rules: DsrRules) -> DsrBook:
    """All of the shop's stored scores, counted (the full recompute)."""
    rows = ScoredTrade.objects.filter(shop=shop).values_list(*_TRADE_FIELDS)
    return DsrBook(_columns(rows.iterator(chunk_size=5000)), rules)


def _columns(rows: Iterable[tuple[Any, ...]]) -> ScoreColumns:
    codes: dict[str, int] = {}
    tid: list[int] = []
    buyer: list[int] = []
    created: list[int] = []
    rated: list[int] = []
    alipay: list[bool] = []
    default: list[bool] = []
    stars: list[tuple[int, int, int]] = []
    for t, nick, created_at, rated_at, is_alipay, is_default, d, s, lg in rows:
        tid.append(t)
        buyer.append(codes.setdefault(nick, len(codes)))
        created.append(int(created_at.timestamp()))
        rated.append(int(rated_at.timestamp()))
        alipay.append(is_alipay)
        default.append(is_default)
        stars.append((d or 0, s or 0, lg or 0))
    return ScoreColumns(
        tid=np.asarray(tid, dtype=np.int64),
        buyer=np.asarray(buyer, dtype=np.int32),
        trade_created=np.asarray(created, dtype=np.int64),
        rated_at=np.asarray(rated, dtype=np.int64),
        alipay=np.asarray(alipay, dtype=np.bool_),
        is_default=np.asarray(default, dtype=np.bool_),
        stars=np.asarray(stars, dtype=np.int8).reshape(len(tid), len(DIMENSIONS)),
    )


def as_scored_trade(row: ScoredTrade) -> dsr.ScoredTrade:
    return dsr.ScoredTrade(
        tid=row.tid,
        buyer=row.buyer_nick,
        trade_created=row.trade_created_at,
        rated_at=row.rated_at,
        alipay=row.is_alipay,
        is_default=row.is_default,
        desc=row.desc_score,
        service=row.service_score,
        logistics=row.logistics_score,
    )


# --- the DSR -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CalibrationDiff:
    """The owner-entered platform value next to ours for the same day and dimension."""

    day: dt.date
    dimension: Dimension
    shown: Decimal
    computed: dsr.DimensionScore

    @property
    def difference(self) -> Fraction | None:
        """computed − shown (positive: we estimate higher than the platform shows)."""
        exact = self.computed.exact
        return None if exact is None else exact - Fraction(self.shown)

    def as_json(self) -> dict[str, Any]:
        diff = self.difference
        return {
            "day": self.day.isoformat(),
            "dimension": self.dimension.value,
            "shown": str(self.shown),
            "computed": self.computed.value,
            "difference": float(diff) if diff is not None else None,
        }


@dataclass(frozen=True, slots=True)
class DsrOverview:
    """What a DSR page shows: the figures, why they are what they are, and how sure we are."""

    shop: Shop
    rules: DsrRules
    result: DsrResult
    calibrations: Sequence[CalibrationDiff]
    flagged_rules: Sequence[RuleNote]
    is_estimate: bool = True  # 描述/服务 stars come from files (PLATFORM §4.5)

    def as_json(self) -> dict[str, Any]:
        out = self.result.as_json()
        out["shop"] = self.shop.slug
        out["is_estimate"] = self.is_estimate
        out["rules"] = rules_as_json(self.rules)
        out["calibration"] = [c.as_json() for c in self.calibrations]
        out["unconfirmed_rules"] = [
            {"source": n.source, "title": n.title, "confidence": n.confidence.value}
            for n in self.flagged_rules
        ]
        return out


def rules_as_json(rules: DsrRules) -> dict[str, Any]:
    return {
        "window_length": rules.window_length,
        "window_unit": rules.window_unit.value,
        "per_month_cap": rules.per_month_cap,
        "counting_order": rules.counting_order.value,
        "alipay_only": rules.alipay_only,
        "exclude_default": rules.exclude_default,
        "tz": rules.tz,
        "display_decimals": rules.display_decimals,
        "rounding": rules.rounding.value,
    }


def dsr_overview(*, actor: Actor, slug: str, at: dt.date | None = None) -> DsrOverview:
    """The shop's DSR on `at` (default: today in the shop's zone), with calibration diffs."""
    shop = shop_get(actor=actor, slug=slug)
    rules = policy_of(shop).dsr_rules(shop.timezone)
    book = book_of(shop, rules)
    day = at or shop_today(shop)
    calibrations = [
        CalibrationDiff(
            c.day, Dimension(c.dimension), c.shown_value, book.at(c.day)[Dimension(c.dimension)]
        )
        for c in PlatformCalibration.objects.filter(shop=shop, day__lte=day).order_by("-day")[:30]
    ]
    return DsrOverview(shop, rules, book.at(day), calibrations, flagged_notes())


def dsr_trend(*, actor: Actor, slug: str, first: dt.date, last: dt.date) -> list[DsrResult]:
    """The DSR of each day from `first` to `last`, recomputed from today's stored scores."""
    if (last - first).days > 3660:
        raise RatingError(RatingErrorCode.INVALID_WHATIF, "a trend covers at most 10 years")
    shop = shop_get(actor=actor, slug=slug)
    book = book_of(shop, policy_of(shop).dsr_rules(shop.timezone))
    return book.trend(first, last)


def dsr_snapshots_list(
    *, actor: Actor, slug: str, first: dt.date | None = None, last: dt.date | None = None
) -> QuerySet[DsrSnapshot]:
    """The stored daily snapshots: what was computed on each day, for the history chart."""
    shop = shop_get(actor=actor, slug=slug)
    snapshots = DsrSnapshot.objects.filter(shop=shop)
    if first is not None:
        snapshots = snapshots.filter(day__gte=first)
    if last is not None:
        snapshots = snapshots.filter(day__lte=last)
    return snapshots.order_by("day")


# --- credit ------------------------------------------------------------------------------------


def credit_ratings_of(shop: Shop) -> list[CreditRating]:
    """The shop's buyer ratings (reviews app) as credit inputs; deleted ones do not score (C7)."""
    from reviewdesk.reviews.models import Review, ReviewState

    rows = (
        Review.objects.filter(shop=shop, state=ReviewState.PRESENT)
        .values_list(
            "oid",
            "tid",
            "buyer__nick",
            "order_item__num_iid",
            "order_item__order__created_at",
            "rated_at",
            "result",
            "order_item__order__payment",
            "order_item__payment",
            "order_item__order__is_alipay",
            "valid_score",
        )
        .order_by("oid")
    )
    ratings = []
    for oid, tid, nick, num_iid, created, rated, result, paid, item_paid, alipay, valid in rows:
        ratings.append(
            CreditRating(
                rating_id=oid,
                tid=tid,
                buyer=nick or f"oid:{oid}",
                # Without an item id the 14-day same-item rule cannot apply: a unique stand-in.
                item_id=num_iid if num_iid is not None else -oid,
                # Without the trade creation time, the rating time stands in for the month.
                trade_created=min(created, rated) if created is not None else rated,
                rated_at=rated,
                result=RatingResult(result),
                amount=paid if paid is not None else item_paid,
                alipay=alipay,
                valid_score=valid,
            )
        )
    return ratings


def credit_overview(*, actor: Actor, slug: str, at: dt.date | None = None) -> CreditSummary:
    shop = shop_get(actor=actor, slug=slug)
    rules = policy_of(shop).credit_rules(shop.timezone)
    return credit_summary(credit_ratings_of(shop), rules=rules, at=at)


# --- what-ifs ----------------------------------------------------------------------------------


def dsr_target_whatif(
    *,
    actor: Actor,
    slug: str,
    target: Fraction,
    by: dt.date,
    dimensions: Sequence[Dimension] = DIMENSIONS,
) -> TargetWhatIf:
    """5-star ratings needed per dimension to reach `target` on `by` (scores leaving the window
    by then are already out of the base)."""
    shop = shop_get(actor=actor, slug=slug)
    if by < shop_today(shop):
        raise RatingError(RatingErrorCode.INVALID_WHATIF, "the target date is in the past")
    book = book_of(shop, policy_of(shop).dsr_rules(shop.timezone))
    return target_whatif(book.at(by), target=target, dimensions=dimensions)


def dsr_promotion_whatif(
    *,
    actor: Actor,
    slug: str,
    orders: int,
    at: dt.date | None = None,
    scoring_rate: Fraction | None = None,
) -> PromotionWhatIf:
    """The DSR after `orders` promotion orders scored like the shop's recent ones."""
    shop = shop_get(actor=actor, slug=slug)
    policy = policy_of(shop)
    rules = policy.dsr_rules(shop.timezone)
    book = book_of(shop, rules)
    day = at or shop_today(shop)
    recent = book.over(day - dt.timedelta(days=policy.recent_days - 1), day)
    if scoring_rate is None:
        scoring_rate = (
            Fraction(policy.active_scoring_rate)
            if policy.active_scoring_rate is not None
            else estimated_scoring_rate(recent)
        )
    try:
        return promotion_whatif(
            base=book.at(day), recent=recent, orders=orders, scoring_rate=scoring_rate, rules=rules
        )
    except ValueError as exc:
        raise RatingError(RatingErrorCode.INVALID_WHATIF, str(exc)) from exc


def rating_impact_get(
    *, actor: Actor, slug: str, tid: int, at: dt.date | None = None
) -> RatingImpact:
    """What one scored trade does to today's DSR (shown on its case)."""
    shop = shop_get(actor=actor, slug=slug)
    row = ScoredTrade.objects.filter(shop=shop, tid=tid).first()
    if row is None:
        raise RatingError(RatingErrorCode.UNKNOWN_RATING, f"no DSR stars stored for trade {tid}")
    rules = policy_of(shop).dsr_rules(shop.timezone)
    base = book_of(shop, rules).at(at or shop_today(shop))
    same_buyer = ScoredTrade.objects.filter(shop=shop, buyer_nick=row.buyer_nick)
    return rating_impact([as_scored_trade(r) for r in same_buyer], tid, base=base, rules=rules)


def case_rating_impact(*, actor: Actor, case_id: int) -> RatingImpact | None:
    """The impact of the case's rating on the DSR; None when its stars are not known to us."""
    from reviewdesk.cases.selectors import case_get

    case = case_get(actor=actor, case_id=case_id)
    if case.review is None:
        return None
    try:
        return rating_impact_get(actor=actor, slug=case.shop.slug, tid=case.review.tid)
    except RatingError as exc:
        if exc.code is RatingErrorCode.UNKNOWN_RATING:
            return None
        raise


def cases_resolution_whatif(
    *, actor: Actor, slug: str, case_ids: Sequence[int], deleted: bool = False
) -> ResolutionWhatIf:
    """The shop's figures if these cases' reviews were revised to 好评 (or deleted).

    The DSR stays as it is (PLATFORM §9.3 D6); only the credit score and 好评率 move.
    """
    from reviewdesk.cases.models import Case

    shop = shop_get(actor=actor, slug=slug)
    oids = set(
        Case.objects.filter(shop=shop, pk__in=case_ids, review__isnull=False).values_list(
            "review__oid", flat=True
        )
    )
    if len(oids) != len(set(case_ids)):
        raise RatingError(
            RatingErrorCode.UNKNOWN_CASE, "some cases are not review cases of this shop"
        )
    policy = policy_of(shop)
    rules = policy.dsr_rules(shop.timezone)
    day = shop_today(shop)
    return resolution_whatif(
        dsr=book_of(shop, rules).at(day),
        credit_ratings=credit_ratings_of(shop),
        revised_ids=set() if deleted else oids,
        deleted_ids=oids if deleted else set(),
        credit_rules=policy.credit_rules(shop.timezone),
        at=day,
    )


# --- alerts ------------------------------------------------------------------------------------


def rating_alerts_list(*, actor: Actor, unread_only: bool = False) -> QuerySet[RatingAlertReceipt]:
    """The actor's DSR alerts inbox, newest first."""
    if actor.pk is None:
        return RatingAlertReceipt.objects.none()
    receipts = RatingAlertReceipt.objects.filter(
        user_id=actor.pk, alert__shop__in=shops_visible_to(actor)
    ).select_related("alert__shop")
    if unread_only:
        receipts = receipts.filter(read_at__isnull=True)
    return receipts.order_by("-alert__day", "-alert_id")


MANUAL_SOURCE_PREFIX = "manual:"  # services.scored_trade_enter's source


def scored_trades_manual_list(*, actor: Actor, slug: str, limit: int = 20) -> list[ScoredTrade]:
    """The shop's most recently entered manual scores (newest first)."""
    shop = shop_get(actor=actor, slug=slug)
    return list(
        ScoredTrade.objects.filter(shop=shop, source__startswith=MANUAL_SOURCE_PREFIX).order_by(
            "-updated_at", "-id"
        )[:limit]
    )
