"""One case from the review to its close, through services only, on a controlled clock."""

from __future__ import annotations

import pytest
import time_machine

from reviewdesk.cases.models import Case, Timer
from reviewdesk.cases.selectors import case_next_contact, notifications_unread
from reviewdesk.cases.services.appointment import appointment_schedule
from reviewdesk.cases.services.contact import contact_log
from reviewdesk.cases.services.sla_timers import timers_fire_due
from reviewdesk.cases.workflow import Outcome, Status
from reviewdesk.platforms.pipeline import ingest_reviews
from tests.cases.helpers import record
from tests.conftest import World, at

pytestmark = pytest.mark.postgres


def test_from_bad_review_to_revised_by_the_buyers_own_offer(world: World) -> None:
    # 10:15 a bad review arrives; round robin gives it to the supervisor, who hands it on.
    with time_machine.travel(at("2026-11-20 10:15"), tick=False):
        ingest_reviews(
            shop=world.shop_a,
            records=[record(3028689418086125, "bad", "围巾掉毛严重，戴一次脖子全是毛")],
            source="poll",
        )
    case = Case.objects.get()
    Case.objects.filter(pk=case.pk).update(assignee=world.agent_a)

    # The worker sweeps each minute; at 10:27 the agent is warned (15 minutes, 80%).
    assert timers_fire_due(now=at("2026-11-20 10:27")).fired == 1
    assert notifications_unread(actor=world.agent_a).count() == 1

    # 10:28 phone, no answer: the system suggests IM next (R4).
    with time_machine.travel(at("2026-11-20 10:28"), tick=False):
        contact_log(actor=world.agent_a, case=case, channel="phone", outcome="no_answer")
        assert case_next_contact(actor=world.agent_a, case=case).channel == "im"
        contact_log(actor=world.agent_a, case=case, channel="im", outcome="call_back")
        appointment_schedule(actor=world.agent_a, case=case, when="今晚8:15", note="换货细节")
    assert timers_fire_due(now=at("2026-11-20 10:31")).fired == 0  # first contact was in time

    # 20:05 reminder; 20:15 the call: problem solved, the buyer offers to revise of their own.
    assert timers_fire_due(now=at("2026-11-20 20:05")).fired == 1
    with time_machine.travel(at("2026-11-20 20:16"), tick=False):
        contact_log(actor=world.agent_a, case=case, channel="phone", outcome="talked")
        contact_log(actor=world.agent_a, case=case, channel="phone", outcome="offered_revise")
    case.refresh_from_db()
    assert (case.status, case.buyer_group()) == (Status.WAITING_BUYER, "offered")

    # Two days later a poll sees the review turned good: closed as revised, nothing left pending.
    with time_machine.travel(at("2026-11-22 21:00"), tick=False):
        ingest_reviews(
            shop=world.shop_a,
            records=[record(3028689418086125, "good", "客服很负责，已经换了新的")],
            source="poll",
        )
    case.refresh_from_db()
    assert (case.status, case.outcome, case.buyer_group()) == (
        Status.CLOSED,
        Outcome.REVISED,
        "revised",
    )
    assert not Timer.objects.pending().exists()
    kinds = list(case.events.values_list("kind", flat=True))
    assert kinds[:3] == ["opened", "assigned", "sla"]
    assert kinds[-1] == "review_changed"
    assert {"contact", "appointment", "reminder", "follow_up", "note", "status"} <= set(kinds)
