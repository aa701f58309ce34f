"""Ratings services: storing scores, policy, idempotent daily snapshots, alerts, calibration."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction

import pytest

from reviewdesk.ratings.dsr import Dimension, dsr_reference
from reviewdesk.ratings.errors import RatingError, RatingErrorCode
from reviewdesk.ratings.models import (
    DsrSnapshot,
    PlatformCalibration,
    RatingAlert,
    RatingAlertReceipt,
    RatingPolicy,
    ScoredTrade,
)
from reviewdesk.ratings.rules import DsrRules
from reviewdesk.ratings.selectors import dsr_overview, rating_alerts_list
from reviewdesk.ratings.services import (
    dsr_snapshot_compute,
    platform_calibration_record,
    rating_alert_mark_read,
    rating_policy_update,
    scored_trade_enter,
    scored_trades_upsert,
)
from tests.conftest import World
from tests.ratings.seed import TID0, bad_week, history, seed, trade
from tests.ratings.strategies import SHANGHAI

pytestmark = pytest.mark.postgres
JUNE_30 = dt.date(2026, 6, 30)


def test_upsert_is_idempotent_and_reports_changes(world: World) -> None:
    trades = history()
    first = scored_trades_upsert(shop=world.shop_a, trades=trades, source="file:a.csv")
    again = scored_trades_upsert(shop=world.shop_a, trades=trades, source="file:a.csv")
    fixed = trade(1, "tb_buyer_0", trades[0].trade_created, (4, 4, 4), is_default=True)
    corrected = scored_trades_upsert(shop=world.shop_a, trades=[fixed], source="manual:owner")
    assert (first.created, again.unchanged, corrected.changed) == (len(trades), len(trades), 1)
    row = ScoredTrade.objects.get(shop=world.shop_a, tid=TID0 + 1)
    assert (row.desc_score, row.source) == (4, "manual:owner")
    assert ScoredTrade.objects.filter(shop=world.shop_b).count() == 0


def test_stored_dsr_equals_the_reference_rules(world: World) -> None:
    trades = seed(world.shop_a)
    overview = dsr_overview(actor=world.owner, slug="shop-a", at=JUNE_30)
    assert overview.result == dsr_reference(trades, at=JUNE_30, rules=DsrRules())
    assert overview.result.tally.over_monthly_cap == 2  # the loyal buyer's 4th and 5th
    assert overview.result.tally.not_alipay == 1


def test_agents_cannot_enter_scores_and_nothing_is_stored(world: World) -> None:
    t = trade(7, "tb_x", dt.datetime(2026, 6, 1, 10, 0, tzinfo=SHANGHAI), (5, 5, 5))
    with pytest.raises(RatingError) as denied:
        scored_trade_enter(actor=world.agent_a, shop=world.shop_a, trade=t)
    assert denied.value.code is RatingErrorCode.NOT_ALLOWED
    assert not ScoredTrade.objects.exists()
    row = scored_trade_enter(actor=world.supervisor, shop=world.shop_a, trade=t)
    assert (row.tid, row.source) == (TID0 + 7, "manual:supervisor")


def test_owner_changes_policy_and_invalid_values_change_nothing(world: World) -> None:
    policy = rating_policy_update(
        actor=world.owner, shop=world.shop_a, window_length=6, window_unit="months"
    )
    assert policy.dsr_rules("Asia/Shanghai").window_unit.value == "months"
    with pytest.raises(RatingError):
        rating_policy_update(actor=world.owner, shop=world.shop_a, per_month_cap=0)
    with pytest.raises(RatingError):
        rating_policy_update(actor=world.supervisor, shop=world.shop_a, per_month_cap=5)
    assert RatingPolicy.objects.get(shop=world.shop_a).per_month_cap == 3


def test_snapshot_is_idempotent_per_day(world: World) -> None:
    seed(world.shop_a)
    first = dsr_snapshot_compute(shop=world.shop_a, day=JUNE_30)
    second = dsr_snapshot_compute(shop=world.shop_a, day=JUNE_30)
    assert DsrSnapshot.objects.filter(shop=world.shop_a).count() == 1
    assert first.snapshot.pk == second.snapshot.pk
    snapshot = DsrSnapshot.objects.get()
    assert snapshot.score(Dimension.DESC) == first.result[Dimension.DESC]
    assert snapshot.rules["window_length"] == 180


def test_fast_drop_alerts_owner_and_supervisor_once(world: World) -> None:
    seed(world.shop_a, with_bad_week=True)
    for day in range(1, 10):
        dsr_snapshot_compute(shop=world.shop_a, day=dt.date(2026, 7, day))
    dsr_snapshot_compute(shop=world.shop_a, day=dt.date(2026, 7, 5))  # a re-run adds nothing
    alerts = list(RatingAlert.objects.filter(shop=world.shop_a))
    drop = [a for a in alerts if a.kind == "fast_drop"]
    assert {a.dimension for a in drop} == {"desc", "service", "logistics"}
    assert len(drop) == 3  # told once per dimension, not every day of the drop
    recipients = set(
        RatingAlertReceipt.objects.filter(alert__in=drop).values_list("user__username", flat=True)
    )
    assert recipients == {"owner", "supervisor"}
    assert rating_alerts_list(actor=world.agent_a).count() == 0


def test_below_threshold_alert_when_the_policy_threshold_is_raised(world: World) -> None:
    seed(world.shop_a)
    rating_policy_update(actor=world.owner, shop=world.shop_a, desc_threshold=Decimal("4.95"))
    outcome = dsr_snapshot_compute(shop=world.shop_a, day=JUNE_30)
    assert [(a.dimension, a.kind, a.reference) for a in outcome.alerts] == [
        ("desc", "below_threshold", Decimal("4.95000"))
    ]
    inbox = rating_alerts_list(actor=world.owner, unread_only=True)
    assert inbox.count() == 1
    alert_id = inbox.get().alert_id
    assert rating_alert_mark_read(actor=world.owner, alert_id=alert_id) is True
    assert rating_alert_mark_read(actor=world.owner, alert_id=alert_id) is False
    assert rating_alerts_list(actor=world.supervisor, unread_only=True).count() == 1


def test_calibration_shows_the_difference_to_the_platform(world: World) -> None:
    seed(world.shop_a)
    platform_calibration_record(
        actor=world.owner,
        shop=world.shop_a,
        day=JUNE_30,
        dimension=Dimension.DESC,
        shown_value=Decimal("4.75000"),
    )
    overview = dsr_overview(actor=world.owner, slug="shop-a", at=JUNE_30)
    (diff,) = overview.calibrations
    computed = overview.result[Dimension.DESC].exact
    assert computed is not None
    assert diff.difference == computed - Fraction(475, 100)
    with pytest.raises(RatingError):
        platform_calibration_record(
            actor=world.agent_a,
            shop=world.shop_a,
            day=JUNE_30,
            dimension=Dimension.DESC,
            shown_value=Decimal("4.8"),
        )
    assert PlatformCalibration.objects.count() == 1


def test_bad_week_is_part_of_the_seed() -> None:
    assert len({t.buyer for t in bad_week()}) == 20
