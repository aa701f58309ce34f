"""The resolve form follows the playbook: a checked or skipped step answers
`HX-Trigger: playbookChanged`, and the resolve form's region re-reads its open required steps."""

from __future__ import annotations

import pytest
from django.test import Client

from reviewdesk.cases.services.transitions import case_start_contact, case_start_resolving
from tests.web.conftest import Desk

pytestmark = pytest.mark.postgres


def _client(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


@pytest.mark.parametrize(
    ("_case", "action", "data"),
    [
        ("check", "check", {}),
        ("uncheck", "uncheck", {}),
        ("skip", "skip", {"note": "买家说不用回复时间，直接处理"}),
    ],
)
def test_step_actions_answer_playbook_changed(
    desk: Desk, _case: str, action: str, data: dict[str, str]
) -> None:
    case = desk.scarf_case
    url = f"/replies/cases/{case.pk}/steps/processing_time_promised/{action}/"

    response = _client(desk.world.agent_a).post(url, data, HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    assert response["HX-Trigger"] == "playbookChanged"


def test_refused_step_action_triggers_nothing(desk: Desk) -> None:
    url = f"/replies/cases/{desk.scarf_case.pk}/steps/processing_time_promised/skip/"

    response = _client(desk.world.agent_a).post(url, {"note": "  "})

    assert "跳过必做步骤需要填写原因" in response.content.decode()
    assert "HX-Trigger" not in response


def test_resolve_form_listens_and_re_reads_its_open_steps(desk: Desk) -> None:
    case = desk.scarf_case
    agent = desk.world.agent_a
    case_start_contact(actor=agent, case=case)
    case_start_resolving(actor=agent, case=case, reason="买家同意换货")
    client = _client(agent)

    page = client.get(f"/cases/{case.pk}/").content.decode()
    region = page[page.index(f'id="resolve-steps-{case.pk}"') - 40 :]
    region = region[: region.index("</label>")]
    assert 'hx-trigger="playbookChanged from:body"' in region
    assert f'hx-get="/cases/{case.pk}/resolve-steps/"' in region
    assert "承诺具体的处理时限" in region
    assert " required " in region or " required>" in region

    client.post(f"/replies/cases/{case.pk}/steps/processing_time_promised/check/")
    client.post(f"/replies/cases/{case.pk}/steps/satisfaction_asked/skip/", {"note": "买家已拉黑"})
    fragment = client.get(f"/cases/{case.pk}/resolve-steps/?reason=已和买家确认").content.decode()

    assert "承诺具体的处理时限" not in fragment
    assert "unchecked" not in fragment
    assert 'value="已和买家确认"' in fragment
    assert "required" not in fragment.split('name="reason"')[1].split(">")[0]


def test_resolve_steps_of_another_shop_is_404(desk: Desk) -> None:
    response = _client(desk.world.agent_b).get(f"/cases/{desk.scarf_case.pk}/resolve-steps/")

    assert response.status_code == 404


def test_case_partials_speak_english_and_keep_script_text_chinese(desk: Desk) -> None:
    case = desk.scarf_case
    client = _client(desk.world.agent_a)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})

    playbook = client.get(f"/replies/cases/{case.pk}/playbook/").content.decode()
    scripts = client.get(f"/replies/cases/{case.pk}/scripts/").content.decode()
    explanation = client.get(f"/replies/cases/{case.pk}/explanation/").content.decode()
    compensation = client.get(f"/replies/cases/{case.pk}/compensation/").content.decode()

    assert "Playbook: " in playbook
    assert "Required" in playbook
    assert "必做" not in playbook
    assert "Scripts: " in scripts
    assert ">Copy</button>" in scripts
    assert "您好" in scripts  # what the buyer reads stays Chinese
    assert "Public explanation" in explanation
    assert "Check tone" in explanation
    assert "评价解释" not in explanation
    assert "No compensation yet" in compensation
    assert ">Partial refund<" in compensation
    assert "暂无补偿" not in compensation


def test_top_bar_menu_is_for_supervisors_and_owners(desk: Desk) -> None:
    agent_page = _client(desk.world.agent_a).get("/").content.decode()
    owner_page = _client(desk.world.owner).get("/").content.decode()

    assert 'id="shop-settings-menu"' not in agent_page
    assert 'id="shop-settings-menu"' in owner_page
    for path in ("scripts", "playbooks", "compensation", "skipped-steps"):
        assert f'href="/replies/shops/shop-a/{path}/"' in owner_page
    assert "/replies/shops/shop-b/" not in owner_page
