"""The demo shop's generator: deterministic, and realistic where the product depends on it."""

from __future__ import annotations

import collections
import datetime as dt
import re
from decimal import Decimal
from functools import lru_cache

import pytest

from reviewdesk.platforms.simulator import texts
from reviewdesk.platforms.simulator.buyers import buyer_nick
from reviewdesk.platforms.simulator.generator import history, history_order
from reviewdesk.platforms.simulator.world import OrderPlan, World

ANCHOR = dt.datetime(2026, 11, 20, 2, 15, tzinfo=dt.UTC)  # 10:15 in Shanghai
WORLD = World(seed=20261111, history_orders=1500, history_days=200, anchor=ANCHOR)


@lru_cache(maxsize=1)
def _plans() -> tuple[OrderPlan, ...]:
    return tuple(history(WORLD))


def _reviews() -> list[tuple[OrderPlan, object]]:
    return [(p, r) for p in _plans() for r in p.reviews]


def test_same_world_gives_the_same_history() -> None:
    again = history(World(seed=20261111, history_orders=1500, history_days=200, anchor=ANCHOR))
    assert tuple(again) == _plans()


def test_another_seed_gives_another_shop() -> None:
    other = history_order(World(seed=7, history_orders=1500, anchor=ANCHOR), 10)
    assert other.order != _plans()[10].order


def test_order_is_a_pure_function_of_its_index() -> None:
    assert history_order(WORLD, 777) == _plans()[777]


def test_most_reviews_are_good_and_a_realistic_share_is_neutral_or_bad() -> None:
    reviews = [r for p in _plans() for r in p.reviews]
    negative = [r for r in reviews if r.is_negative()]
    share = len(negative) / len(reviews)
    assert 0.08 <= share <= 0.15
    results = collections.Counter(r.first.result for r in negative)
    assert results["neutral"] > 0.25 * len(negative)
    assert results["bad"] > 0.25 * len(negative)


def test_every_cause_of_the_domain_occurs() -> None:
    causes = {r.cause for p in _plans() for r in p.reviews if r.is_negative()}
    assert causes == set(texts.CAUSES)


def test_negative_texts_are_varied_natural_chinese() -> None:
    negative = [r.first.content for p in _plans() for r in p.reviews if r.is_negative()]
    assert len(set(negative)) >= 0.9 * len(negative)
    assert len(set(negative)) >= 100
    assert all(re.search(r"[\u4e00-\u9fff]{4}", text) for text in negative)


def test_good_reviews_vary_and_some_hide_a_complaint() -> None:
    good = [r for p in _plans() for r in p.reviews if not r.is_negative()]
    written = {r.first.content for r in good if not r.first.is_default}
    assert len(written) >= 200
    hidden = [r for r in good if r.hidden_complaint]
    assert 5 <= len(hidden) <= 0.08 * len(good)
    assert all("就是" in r.first.content for r in hidden)


def test_a_few_buyers_threaten_and_are_marked() -> None:
    threats = [r for p in _plans() for r in p.reviews if r.threat]
    assert 2 <= len(threats) <= 40
    words = ("差评", "12315", "投诉", "曝光", "赔")
    assert all(any(w in r.first.content for w in words) for r in threats)
    assert all(r.first.result == "bad" and r.revision is None for r in threats)


def test_one_angry_buyer_rates_every_item_of_a_seven_item_order_bad() -> None:
    angry = [p for p in _plans() if p.angry_all_items]
    assert len(angry) == 1
    plan = angry[0]
    assert len(plan.order.items) == 7
    assert [r.first.result for r in plan.reviews] == ["bad"] * 7
    assert any("赠品" in item.title for item in plan.order.items)
    assert ANCHOR - plan.reviews[0].first.rated_at < dt.timedelta(days=3)


def test_orders_have_several_items_often_enough() -> None:
    sizes = collections.Counter(len(p.order.items) for p in _plans())
    multi = sum(n for size, n in sizes.items() if size > 1) / len(_plans())
    assert 0.2 <= multi <= 0.5


def test_some_buyers_come_back() -> None:
    per_buyer = collections.Counter(p.order.buyer_nick for p in _plans())
    repeat = sum(1 for n in per_buyer.values() if n > 1) / len(per_buyer)
    assert 0.08 <= repeat <= 0.35


def test_nicks_are_masked_like_taobao() -> None:
    nicks = {p.order.buyer_nick for p in _plans()}
    assert all(re.fullmatch(r".\*{2,3}.", nick) for nick in nicks)
    assert len({buyer_nick(1, b) for b in range(5000)}) == 5000


def test_ids_are_exact_unique_integers() -> None:
    tids = [p.order.tid for p in _plans()]
    oids = [i.oid for p in _plans() for i in p.order.items]
    assert len(set(tids)) == len(tids)
    assert len(set(oids)) == len(oids)
    assert all(isinstance(x, int) and len(str(x)) == 16 for x in (*tids, *oids))
    single = [p.order for p in _plans() if len(p.order.items) == 1]
    assert all(o.items[0].oid == o.tid for o in single)  # as on Taobao


def test_money_is_decimal_and_adds_up() -> None:
    for plan in _plans():
        order = plan.order
        assert isinstance(order.payment, Decimal)
        assert order.payment == sum(i.payment or Decimal(0) for i in order.items)
        assert all(i.price is not None and i.price.as_tuple().exponent == -2 for i in order.items)


def test_order_times_are_consistent_and_in_the_past() -> None:
    statuses = collections.Counter(p.order.status for p in _plans())
    assert statuses["TRADE_FINISHED"] > 0.85 * len(_plans())
    assert statuses["WAIT_BUYER_CONFIRM_GOODS"] + statuses["WAIT_SELLER_SEND_GOODS"] > 0
    for plan in _plans():
        order = plan.order
        assert order.created_at is not None
        assert ANCHOR - dt.timedelta(days=200) <= order.created_at <= ANCHOR
        if order.paid_at is not None:
            assert order.created_at < order.paid_at
        if order.ended_at is not None:
            assert order.paid_at is not None
            assert order.paid_at < order.ended_at <= ANCHOR
        if plan.reviews:
            assert order.status == "TRADE_FINISHED"


@pytest.mark.parametrize("_case", ["rating window", "default review", "later events"])
def test_review_times_follow_the_platform_rules(_case: str) -> None:
    for plan in _plans():
        ended = plan.order.ended_at
        for review in plan.reviews:
            rated = review.first.rated_at
            assert ended is not None
            if _case == "rating window":
                assert ended < rated <= min(ended + dt.timedelta(days=15), ANCHOR)
            elif _case == "default review" and review.first.is_default:
                assert rated == ended + dt.timedelta(days=15)
                assert review.first.content == texts.DEFAULT_REVIEW_TEXT
            elif _case == "later events":
                if review.followup is not None:
                    at = review.followup.followup_at
                    assert at is not None
                    assert rated < at <= ANCHOR
                    assert at <= ended + dt.timedelta(days=180)
                if review.revised_at is not None:
                    assert review.is_negative()
                    assert review.revision is not None
                    assert review.revision.result == "good"
                    assert rated < review.revised_at <= rated + dt.timedelta(days=30)
                if review.deleted_at is not None:
                    assert review.is_negative()
                    assert review.revision is None
                    assert rated < review.deleted_at <= rated + dt.timedelta(days=30)


def test_some_negative_reviews_are_revised_deleted_or_followed_up() -> None:
    negative = [r for p in _plans() for r in p.reviews if r.is_negative()]
    assert 0.2 * len(negative) <= sum(r.revision is not None for r in negative)
    assert 1 <= sum(r.deleted_at is not None for r in negative) <= 0.15 * len(negative)
    assert sum(r.followup is not None for r in negative) >= 0.1 * len(negative)


def test_dsr_stars_are_given_once_per_trade_and_in_range() -> None:
    for plan in _plans():
        starred = [r for r in plan.reviews if r.first.desc_score is not None]
        assert len(starred) <= 1
        for review in starred:
            scores = (
                review.first.desc_score,
                review.first.service_score,
                review.first.logistics_score,
            )
            assert all(s is not None and 1 <= s <= 5 for s in scores)
    assert sum(1 for p in _plans() for r in p.reviews if r.first.desc_score) > 300


def test_logistics_complaints_match_a_slow_delivery() -> None:
    slow = [p for p in _plans() for r in p.reviews if r.cause == "logistics" and r.is_negative()]
    days = [(p.order.ended_at - p.order.paid_at).days for p in slow]  # type: ignore[operator]
    assert sum(days) / len(days) > 6


def test_a_logistics_complaint_says_what_happened_to_the_parcel() -> None:
    # The parcel's trace (simulator.logistics) shows these times: a buyer whose parcel left late
    # does not say it sat at a hub for days, and the reverse.
    said = [
        (p, texts.logistics_complaint(r.first.content))
        for p in _plans()
        for r in p.reviews
        if r.cause == "logistics" and r.is_negative()
    ]
    assert len(said) > 20
    for plan, complaint in said:
        assert complaint.kinds, plan.reviews
        assert plan.shipped_at is not None
        assert plan.received_at is not None
        assert plan.order.paid_at is not None
        shipped_late = plan.shipped_at - plan.order.paid_at > dt.timedelta(hours=40)
        slow_transit = plan.received_at - plan.shipped_at > dt.timedelta(days=4.5)
        assert shipped_late != slow_transit
        assert ("shipped_late" in complaint.kinds) <= shipped_late
        assert ("stalled" in complaint.kinds) <= slow_transit
    kinds = collections.Counter(k for _, c in said for k in c.kinds)
    assert {"slow", "shipped_late", "stalled", "not_received", "station"} <= set(kinds)
