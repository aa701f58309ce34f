from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from reviewdesk.replies.compliance import check
from reviewdesk.replies.explanations import (
    CAUSE_LINES,
    ExplanationFacts,
    draft_explanation,
    explanation_deadline,
    explanation_is_open,
    format_contact_times,
)
from reviewdesk.replies.tone import check_tone
from tests.conftest import at


@dataclass
class _Review:
    rated_at: dt.datetime
    followup_content: str = ""


def test_deadline_is_30_days_after_the_rating() -> None:
    review = _Review(rated_at=at("2026-11-20 10:15"))

    assert explanation_deadline(review) == at("2026-12-20 10:15")
    assert explanation_is_open(review, at("2026-12-20 10:15"))
    assert not explanation_is_open(review, at("2026-12-20 10:16"))


def test_deadline_closes_once_a_followup_exists() -> None:
    review = _Review(rated_at=at("2026-11-20 10:15"), followup_content="用了一周还是掉毛")

    assert explanation_deadline(review) is None
    assert not explanation_is_open(review, at("2026-11-21 10:00"))


def test_contact_times_are_exact_and_shop_local() -> None:
    times = [at("2026-11-21 10:30"), at("2026-11-20 11:15"), at("2026-11-20 20:25")]

    text = format_contact_times(times, ZoneInfo("Asia/Shanghai"))

    assert text == "11月20日 11:15、20:25和11月21日 10:30"


def test_draft_has_apology_times_supervisor_and_optional_new_products() -> None:
    facts = ExplanationFacts(
        shop_name="甲店旗舰店",
        supervisor_account="甲店旗舰店:小王",
        contact_times=[at("2026-11-20 11:15"), at("2026-11-20 20:25")],
        cause="quality",
        new_product_line=True,
    )

    draft = draft_explanation(facts)

    assert draft.startswith("您好，这次购物没能让您满意，我们真诚地向您道歉。")
    assert CAUSE_LINES["quality"] in draft
    assert "11月20日 11:15和20:25" in draft
    assert "（账号：甲店旗舰店:小王）" in draft
    assert "新品" in draft
    assert check_tone(draft) == []
    assert not check(draft).blocked


@settings(max_examples=60, deadline=None)
@given(
    cause=st.sampled_from(["", "unknown", *CAUSE_LINES]),
    count=st.integers(min_value=0, max_value=12),
    new_products=st.booleans(),
    minutes=st.integers(min_value=0, max_value=60 * 24 * 29),
)
def test_any_draft_passes_tone_and_compliance(
    cause: str, count: int, new_products: bool, minutes: int
) -> None:
    start = at("2026-11-20 10:15") + dt.timedelta(minutes=minutes)
    facts = ExplanationFacts(
        shop_name="甲店旗舰店",
        supervisor_account="甲店旗舰店:售后主管",
        contact_times=[start + dt.timedelta(hours=7 * i) for i in range(count)],
        cause=cause,
        new_product_line=new_products,
    )

    draft = draft_explanation(facts)

    assert check_tone(draft) == []
    assert not check(draft).blocked
    assert len(draft) <= 500
