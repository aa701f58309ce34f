from __future__ import annotations

import datetime as dt

from reviewdesk.cases import compliance
from reviewdesk.cases.followup import FOLLOW_UP_PLAN, next_channel


def test_first_contact_is_a_phone_call() -> None:
    assert next_channel([]).channel == "phone"


def test_a_failed_channel_is_followed_by_the_next_one() -> None:
    assert next_channel([("phone", "no_answer")]).channel == "im"
    assert next_channel([("phone", "no_answer"), ("im", "no_answer")]).channel == "sms"
    after_all = next_channel([(c, "no_answer") for c in ("phone", "im", "sms", "message")])
    assert (after_all.channel, after_all.wait) == ("im", dt.timedelta(days=1))


def test_a_refusal_is_answered_lightly_a_day_later() -> None:
    s = next_channel([("phone", "refused")])
    assert (s.channel, s.wait) == ("im", dt.timedelta(days=1))
    assert "不要强求" in s.reason


def test_a_buyer_who_offered_to_revise_is_not_chased() -> None:
    s = next_channel([("phone", "talked"), ("phone", "offered_revise")])
    assert s.channel is None
    assert "不要打电话催促" in s.reason


def test_the_plan_lasts_about_a_week_and_never_asks_for_a_revision() -> None:
    assert [s.day for s in FOLLOW_UP_PLAN] == [1, 3, 5, 7]
    assert not any(compliance.solicits_revision(s.text) for s in FOLLOW_UP_PLAN)


def test_every_practice_names_the_rule_it_breaks() -> None:
    for practice in compliance.PRACTICES.values():
        assert practice.conflicts_with
    assert not compliance.allows([], "solicit_revision")
    assert compliance.allows([{"practice": "solicit_revision"}], "solicit_revision")
