"""POSTs on the case page: each goes through one cases service as the logged-in user; a user of
another shop gets a 404 and nothing changes; a refused POST shows the service's reason."""

from __future__ import annotations

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from reviewdesk.cases.models import Appointment, Case, CaseEvent, ContactAttempt
from tests.web.conftest import NOW, Desk

pytestmark = pytest.mark.postgres

HX = {"HX-Request": "true", "HX-Target": "case-work"}


def _state(case: Case) -> tuple[str, int, int, int]:
    fresh = Case.objects.get(pk=case.pk)
    return (
        fresh.status,
        CaseEvent.objects.filter(case=case).count(),
        ContactAttempt.objects.filter(case=case).count(),
        Appointment.objects.filter(case=case).count(),
    )


def test_start_contact_moves_the_case_and_redirects(client: Client, desk: Desk) -> None:
    client.force_login(desk.world.agent_a)
    url = reverse("web:case_transition", args=[desk.scarf_case.pk])
    response = client.post(url, {"action": "start_contact"})
    assert response.status_code == 302
    assert response["Location"] == reverse("web:case_detail", args=[desk.scarf_case.pk])
    desk.scarf_case.refresh_from_db()
    assert desk.scarf_case.status == "contacting"
    event = CaseEvent.objects.filter(case=desk.scarf_case, kind="status").latest("id")
    assert event.actor == desk.world.agent_a
    assert event.data["to"] == "contacting"


def test_htmx_post_returns_the_work_region_with_head_and_timeline_out_of_band(
    client: Client, desk: Desk
) -> None:
    client.force_login(desk.world.agent_a)
    url = reverse("web:case_transition", args=[desk.scarf_case.pk])
    html = client.post(url, {"action": "start_contact"}, headers=HX).content.decode()
    assert html.lstrip().startswith('<div id="case-work"')
    assert '<header id="case-head" class="case-head" hx-swap-oob="true">' in html
    assert '<section id="case-timeline" class="card" hx-swap-oob="true">' in html
    assert "已完成：开始联系" in html
    assert "<html" not in html


@pytest.mark.parametrize(
    ("_case", "url_name", "data"),
    [
        ("transition", "web:case_transition", {"action": "start_contact"}),
        ("close", "web:case_transition", {"action": "close", "reason": "重复", "outcome": "other"}),
        ("contact", "web:case_contact", {"channel": "phone", "outcome": "no_answer"}),
        ("appointment", "web:case_appointment", {"date": "2026-11-20", "time": "20:15"}),
    ],
)
def test_another_shops_agent_gets_404_and_nothing_changes(
    client: Client, desk: Desk, _case: str, url_name: str, data: dict[str, str]
) -> None:
    before = _state(desk.scarf_case)
    client.force_login(desk.world.agent_b)
    with time_machine.travel(NOW, tick=False):
        response = client.post(reverse(url_name, args=[desk.scarf_case.pk]), data)
    assert response.status_code == 404
    assert _state(desk.scarf_case) == before


def test_anonymous_post_goes_to_login_and_changes_nothing(client: Client, desk: Desk) -> None:
    before = _state(desk.scarf_case)
    url = reverse("web:case_transition", args=[desk.scarf_case.pk])
    assert client.post(url, {"action": "start_contact"}).status_code == 302
    assert _state(desk.scarf_case) == before


def test_post_without_csrf_token_is_refused(desk: Desk) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(desk.world.agent_a)
    before = _state(desk.scarf_case)
    url = reverse("web:case_transition", args=[desk.scarf_case.pk])
    assert client.post(url, {"action": "start_contact"}).status_code == 403
    assert _state(desk.scarf_case) == before


def test_closing_by_hand_needs_a_reason(client: Client, desk: Desk) -> None:
    client.force_login(desk.world.agent_a)
    before = _state(desk.scarf_case)
    url = reverse("web:case_transition", args=[desk.scarf_case.pk])
    response = client.post(url, {"action": "close", "outcome": "extortion", "reason": ""})
    assert response.status_code == 400
    assert "请填写原因" in response.content.decode()
    assert _state(desk.scarf_case) == before

    client.post(url, {"action": "close", "outcome": "extortion", "reason": "职业差评师，索要50元"})
    desk.scarf_case.refresh_from_db()
    assert (desk.scarf_case.status, desk.scarf_case.outcome) == ("closed", "extortion")


def test_an_action_the_workflow_does_not_allow_is_refused(client: Client, desk: Desk) -> None:
    client.force_login(desk.world.agent_a)
    before = _state(desk.scarf_case)
    url = reverse("web:case_transition", args=[desk.scarf_case.pk])
    response = client.post(url, {"action": "reopen", "reason": "买家追评"}, headers=HX)
    assert response.status_code == 200  # htmx swaps the region with the message in it
    assert "当前状态下不能执行这个操作" in response.content.decode()
    assert _state(desk.scarf_case) == before


def test_resolve_lists_the_unchecked_required_steps_until_a_reason_is_given(
    client: Client, desk: Desk
) -> None:
    client.force_login(desk.world.agent_a)
    url = reverse("web:case_transition", args=[desk.scarf_case.pk])
    client.post(url, {"action": "start_contact"})
    page = client.get(reverse("web:case_detail", args=[desk.scarf_case.pk])).content.decode()
    assert "必做步骤还没有完成" in page

    refused = client.post(url, {"action": "resolve", "reason": ""}).content.decode()
    assert "必做步骤还没有完成：" in refused
    desk.scarf_case.refresh_from_db()
    assert desk.scarf_case.status == "contacting"

    client.post(url, {"action": "resolve", "reason": "买家已在旺旺确认满意，电话步骤不需要"})
    desk.scarf_case.refresh_from_db()
    assert (desk.scarf_case.status, desk.scarf_case.outcome) == ("resolved", "solved")


def test_only_the_transitions_the_workflow_allows_are_offered(client: Client, desk: Desk) -> None:
    client.force_login(desk.world.agent_a)
    html = client.get(reverse("web:case_detail", args=[desk.scarf_case.pk])).content.decode()
    actions = html[html.index('id="case-actions"') : html.index('id="case-contact"')]
    for offered in ("start_contact", "start_resolving", "wait_third_party", "explain", "close"):
        assert f'value="{offered}"' in actions
    for absent in ("resume", "reopen", "wait_buyer", "resolve"):
        assert f'value="{absent}"' not in actions


def test_failed_phone_call_suggests_the_next_channel(client: Client, desk: Desk) -> None:
    client.force_login(desk.world.agent_a)
    url = reverse("web:case_contact", args=[desk.scarf_case.pk])
    html = client.post(
        url, {"channel": "phone", "outcome": "no_answer", "note": "响铃无人接"}, headers=HX
    ).content.decode()
    attempt = ContactAttempt.objects.get(case=desk.scarf_case)
    assert (attempt.channel, attempt.outcome, attempt.actor) == (
        "phone",
        "no_answer",
        desk.world.agent_a,
    )
    desk.scarf_case.refresh_from_db()
    assert desk.scarf_case.status == "contacting"
    suggestion = html[html.index('id="next-channel"') :]
    assert "is-after-failure" in html
    assert "换旺旺/千牛试试" in suggestion
    assert '<option value="im" selected>' in html  # the form is preset to the suggestion
    assert "响铃无人接" in html


def test_unknown_channel_is_a_form_error_and_nothing_is_logged(client: Client, desk: Desk) -> None:
    client.force_login(desk.world.agent_a)
    url = reverse("web:case_contact", args=[desk.scarf_case.pk])
    response = client.post(url, {"channel": "carrier_pigeon", "outcome": "talked"})
    assert response.status_code == 400
    assert not ContactAttempt.objects.exists()


def test_appointment_at_an_exact_time_shows_its_countdown(client: Client, desk: Desk) -> None:
    client.force_login(desk.world.agent_a)
    with time_machine.travel(NOW, tick=False):
        client.post(
            reverse("web:case_transition", args=[desk.scarf_case.pk]), {"action": "start_contact"}
        )
        html = client.post(
            reverse("web:case_appointment", args=[desk.scarf_case.pk]),
            {"date": "2026-11-20", "time": "20:15:00", "channel": "phone", "note": "买家下班后"},
            headers=HX,
        ).content.decode()
    appointment = Appointment.objects.get(case=desk.scarf_case)
    assert appointment.at.isoformat() == "2026-11-20T12:15:00+00:00"  # 20:15 in Shanghai
    desk.scarf_case.refresh_from_db()
    assert desk.scarf_case.status == "waiting_buyer"
    assert "2026-11-20 20:15" in html
    assert "06:55:00 后到期" in html  # 13:20 -> 20:15
    assert 'data-due="2026-11-20T20:15:00+08:00"' in html


@pytest.mark.parametrize(
    ("_case", "data", "reason"),
    [
        ("no time", {"date": "2026-11-20", "time": ""}, "不是确切时间"),
        ("vague words", {"text": "明天下午"}, "不是确切时间"),
        ("in the past", {"date": "2026-11-20", "time": "09:00"}, "已经过去了"),
    ],
)
def test_vague_or_past_appointment_is_refused_with_the_services_reason(
    client: Client, desk: Desk, _case: str, data: dict[str, str], reason: str
) -> None:
    client.force_login(desk.world.agent_a)
    with time_machine.travel(NOW, tick=False):
        response = client.post(
            reverse("web:case_appointment", args=[desk.scarf_case.pk]),
            {"channel": "phone", **data},
        )
    assert response.status_code == 400
    html = response.content.decode()
    assert "不是确切的时间" in html
    assert reason in html
    assert not Appointment.objects.exists()


def test_an_appointment_can_be_cancelled_with_a_reason(client: Client, desk: Desk) -> None:
    client.force_login(desk.world.agent_a)
    with time_machine.travel(NOW, tick=False):
        client.post(
            reverse("web:case_appointment", args=[desk.scarf_case.pk]),
            {"text": "今晚8:15", "channel": "im"},
        )
        appointment = Appointment.objects.get(case=desk.scarf_case)
        url = reverse("web:case_appointment_cancel", args=[desk.scarf_case.pk, appointment.pk])
        client.post(url, {"reason": "买家改约"})
    appointment.refresh_from_db()
    assert appointment.status == "cancelled"


def test_an_agent_corrects_cause_and_severity_and_it_is_kept_as_a_label(
    client: Client, desk: Desk
) -> None:
    from reviewdesk.triage.models import TriageLabel

    client.force_login(desk.world.agent_a)
    page = client.get(reverse("web:case_detail", args=[desk.scarf_case.pk])).content.decode()
    assert "纠正分类" in page
    url = reverse("web:case_triage_correct", args=[desk.scarf_case.pk])
    response = client.post(url, {"cause": "logistics", "severity": "high"})
    assert response.status_code == 302
    desk.scarf_case.refresh_from_db()
    assert (desk.scarf_case.cause, desk.scarf_case.severity) == ("logistics", "high")
    label = TriageLabel.objects.get(case=desk.scarf_case)
    assert (label.cause, label.severity, label.labelled_by) == (
        "logistics",
        "high",
        desk.world.agent_a,
    )
    assert CaseEvent.objects.filter(case=desk.scarf_case, kind="triage").exists()


def test_a_correction_with_an_unknown_cause_is_refused_and_nothing_changes(
    client: Client, desk: Desk
) -> None:
    from reviewdesk.triage.models import TriageLabel

    before = (desk.scarf_case.cause, desk.scarf_case.severity)
    client.force_login(desk.world.agent_a)
    url = reverse("web:case_triage_correct", args=[desk.scarf_case.pk])
    response = client.post(url, {"cause": "weather", "severity": "high"})
    assert response.status_code == 400
    desk.scarf_case.refresh_from_db()
    assert (desk.scarf_case.cause, desk.scarf_case.severity) == before
    assert not TriageLabel.objects.exists()


def test_another_shops_agent_cannot_correct(client: Client, desk: Desk) -> None:
    from reviewdesk.triage.models import TriageLabel

    client.force_login(desk.world.agent_b)
    url = reverse("web:case_triage_correct", args=[desk.scarf_case.pk])
    assert client.post(url, {"cause": "logistics", "severity": "high"}).status_code == 404
    assert not TriageLabel.objects.exists()
