from __future__ import annotations

import pytest
import time_machine

from reviewdesk.cases import compliance
from reviewdesk.cases.errors import CaseError, CaseErrorCode
from reviewdesk.cases.models import Case, Timer, TimerKind
from reviewdesk.cases.selectors import case_contacts, case_next_contact
from reviewdesk.cases.services.contact import contact_log
from reviewdesk.cases.services.sla_timers import timers_fire_due
from reviewdesk.cases.workflow import Status
from tests.cases.helpers import TID, open_cases, record
from tests.conftest import World, at

pytestmark = pytest.mark.postgres


def _open(world: World, *oids: int, tid: int | None = None) -> list[Case]:
    with time_machine.travel(at("2026-11-20 10:15"), tick=False):
        return open_cases(world.shop_a, [record(o, tid=tid) for o in oids])


def test_a_first_contact_stops_the_first_contact_clock_and_starts_contacting(world: World) -> None:
    case = _open(world, 301)[0]
    with time_machine.travel(at("2026-11-20 10:22"), tick=False):
        contact_log(actor=world.agent_a, case=case, channel="phone", outcome="no_answer")
    case.refresh_from_db()
    assert (case.status, case.first_contacted_at) == (Status.CONTACTING, at("2026-11-20 10:22"))
    assert timers_fire_due(now=at("2026-11-20 10:40")).fired == 0
    assert case_next_contact(actor=world.agent_a, case=case).channel == "im"


def test_a_contact_counts_for_every_linked_case_and_is_visible_from_each(world: World) -> None:
    first, second, third = _open(world, 311, 312, 313, tid=TID)
    with time_machine.travel(at("2026-11-20 10:20"), tick=False):
        contact_log(
            actor=world.supervisor,
            case=first,
            channel="phone",
            outcome="talked",
            note="买家同意换货",
        )
    for linked in (second, third):
        linked.refresh_from_db()
        assert linked.first_contacted_at == at("2026-11-20 10:20")
        assert [c.note for c in case_contacts(actor=world.supervisor, case=linked)] == [
            "买家同意换货"
        ]
        assert linked.events.filter(kind="contact").get().data == {"linked_from": first.pk}
    assert not Timer.objects.pending().filter(kind__startswith="first_contact").exists()


def test_offered_revise_is_recorded_without_any_request_to_the_buyer(world: World) -> None:
    case = _open(world, 321)[0]
    with time_machine.travel(at("2026-11-20 10:20"), tick=False):
        contact_log(actor=world.agent_a, case=case, channel="phone", outcome="talked")
        contact_log(actor=world.agent_a, case=case, channel="im", outcome="offered_revise")
    case.refresh_from_db()
    assert case.buyer_group() == "offered"
    assert case.offered_revise_at == at("2026-11-20 10:20")
    assert case.status == Status.WAITING_BUYER
    note = case.events.get(kind="note")
    assert note.data["solicited"] is False
    # Nothing the system plans to say to the buyer asks for a revision (DOMAIN compliance): the
    # follow-up steps talk about the buyer's problem, and no reminder about the review exists.
    planned = [str(t.payload.get("text", "")) for t in Timer.objects.filter(case=case)]
    assert planned  # the plan from the first contact
    assert not any(compliance.solicits_revision(text) for text in planned)
    assert case_next_contact(actor=world.agent_a, case=case).channel is None


def test_a_light_follow_up_plan_over_a_week_is_created_once(world: World) -> None:
    case = _open(world, 331)[0]
    with time_machine.travel(at("2026-11-20 10:20"), tick=False):
        contact_log(actor=world.agent_a, case=case, channel="phone", outcome="refused")
        contact_log(actor=world.agent_a, case=case, channel="im", outcome="no_answer")
    plan = Timer.objects.filter(case=case, kind=TimerKind.FOLLOW_UP).order_by("due_at")
    assert [t.due_at for t in plan] == [
        at("2026-11-21 10:20"),
        at("2026-11-23 10:20"),
        at("2026-11-25 10:20"),
        at("2026-11-27 10:20"),
    ]
    assert not any(compliance.solicits_revision(str(t.payload["text"])) for t in plan)
    report = timers_fire_due(now=at("2026-11-21 10:21"))
    assert report.fired == 1
    assert case.events.filter(kind="follow_up").count() == 2  # the plan, then step 1


def test_a_solved_problem_moves_the_case_to_resolving(world: World) -> None:
    case = _open(world, 341)[0]
    contact_log(actor=world.agent_a, case=case, channel="phone", outcome="solved")
    case.refresh_from_db()
    assert case.status == Status.RESOLVING
    assert not Timer.objects.filter(case=case, kind=TimerKind.FOLLOW_UP).exists()


def test_unknown_channel_or_outcome_is_refused_and_nothing_is_logged(world: World) -> None:
    case = _open(world, 351)[0]
    with pytest.raises(CaseError) as refused:
        contact_log(actor=world.agent_a, case=case, channel="fax", outcome="talked")
    assert refused.value.code is CaseErrorCode.INVALID_INPUT
    assert not case.contact_attempts.exists()
