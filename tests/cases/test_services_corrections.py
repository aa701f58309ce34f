from __future__ import annotations

import pytest
import time_machine

from reviewdesk.cases.errors import CaseError, CaseErrorCode
from reviewdesk.cases.models import Case, CaseEvent
from reviewdesk.cases.services.corrections import case_triage_correct
from reviewdesk.triage.models import TriageLabel
from tests.cases.helpers import open_cases, record, triage
from tests.conftest import World, at

pytestmark = pytest.mark.postgres

OID = 3028689418086125


def _open_case(world: World, followup: str = "") -> Case:
    rec = record(OID, "bad", "围巾掉毛严重，戴一次脖子全是毛", followup_content=followup)
    model = triage(cause="dislike_style", severity="low", model_name="linear_ngram")
    (case,) = open_cases(world.shop_a, [rec], triaged={OID: model | {"model_version": "2025.1"}})
    return case


def test_sets_cause_and_severity_stores_the_label_and_a_timeline_row(world: World) -> None:
    case = _open_case(world, followup="洗了一次更严重了")

    with time_machine.travel(at("2026-11-21 09:30"), tick=False):
        label = case_triage_correct(
            actor=world.agent_a, case=case, cause="quality", severity="medium"
        )

    case.refresh_from_db()
    assert (case.cause, case.severity) == ("quality", "medium")
    label = TriageLabel.objects.get()
    assert label.shop == world.shop_a
    assert label.review == case.review
    assert label.case == case
    assert label.text == "围巾掉毛严重，戴一次脖子全是毛\n洗了一次更严重了"
    assert (label.cause, label.severity, label.is_complaint) == ("quality", "medium", True)
    assert (label.previous_cause, label.previous_severity) == ("dislike_style", "low")
    assert (label.model_name, label.model_version) == ("linear_ngram", "2025.1")
    assert label.labelled_by == world.agent_a
    assert label.labelled_at == at("2026-11-21 09:30")
    event = CaseEvent.objects.filter(case=case, kind="triage").get()
    assert event.actor == world.agent_a
    assert event.at == at("2026-11-21 09:30")
    assert event.data["cause"] == {"old": "dislike_style", "new": "quality"}
    assert event.data["severity"] == {"old": "low", "new": "medium"}
    assert event.data["label_id"] == label.pk


def test_an_agent_of_another_shop_gets_not_found_and_nothing_changes(world: World) -> None:
    case = _open_case(world)
    events = CaseEvent.objects.count()

    with pytest.raises(CaseError) as err:
        case_triage_correct(actor=world.agent_b, case=case, cause="quality", severity="high")

    assert err.value.code == CaseErrorCode.NOT_FOUND
    case.refresh_from_db()
    assert (case.cause, case.severity) == ("dislike_style", "low")
    assert TriageLabel.objects.count() == 0
    assert CaseEvent.objects.count() == events


@pytest.mark.parametrize(
    ("_case", "cause", "severity"),
    [("unknown cause", "smell", "low"), ("unknown severity", "quality", "urgent")],
)
def test_rejects_unknown_labels(world: World, _case: str, cause: str, severity: str) -> None:
    case = _open_case(world)

    with pytest.raises(CaseError) as err:
        case_triage_correct(actor=world.agent_a, case=case, cause=cause, severity=severity)

    assert err.value.code == CaseErrorCode.INVALID_INPUT
    assert TriageLabel.objects.count() == 0


def test_a_second_correction_adds_a_label_with_the_first_as_previous(world: World) -> None:
    case = _open_case(world)
    case_triage_correct(actor=world.agent_a, case=case, cause="quality", severity="low")
    case_triage_correct(actor=world.supervisor, case=case, cause="quality", severity="high")

    _first, second = TriageLabel.objects.order_by("id")
    assert (second.previous_cause, second.previous_severity) == ("quality", "low")
    assert second.labelled_by == world.supervisor
    assert CaseEvent.objects.filter(case=case, kind="triage").count() == 2
