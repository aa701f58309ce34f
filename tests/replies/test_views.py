from __future__ import annotations

import pytest
from django.test import Client

from reviewdesk.compensation.models import CompensationOffer
from reviewdesk.replies.models import ScriptUse, StepCheck
from tests.conftest import World
from tests.replies.conftest import MakeCase

pytestmark = [pytest.mark.urls("tests.replies.urls"), pytest.mark.postgres]


def _client(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def test_playbook_partial_checks_steps(world: World, make_case: MakeCase) -> None:
    case = make_case()
    client = _client(world.agent_a)

    page = client.get(f"/replies/cases/{case.pk}/playbook/")
    assert page.status_code == 200
    assert "处理流程：中差评：质量或描述不符" in page.content.decode()

    checked = client.post(f"/replies/cases/{case.pk}/steps/processing_time_promised/check/")
    assert checked.status_code == 200
    assert "未完成的必做步骤：询问买家是否满意" in checked.content.decode()
    assert StepCheck.objects.get().checked_by == world.agent_a


def test_other_shops_case_is_not_found(world: World, make_case: MakeCase) -> None:
    case = make_case()
    client = _client(world.agent_b)

    assert client.get(f"/replies/cases/{case.pk}/playbook/").status_code == 404
    assert client.post(f"/replies/cases/{case.pk}/steps/first_contact/check/").status_code == 404
    assert client.post(f"/replies/cases/{case.pk}/scripts/greet-apology/use/").status_code == 404
    assert StepCheck.objects.count() == 0
    assert ScriptUse.objects.count() == 0


def test_scripts_partial_and_copy_counts_a_use(world: World, make_case: MakeCase) -> None:
    case = make_case()
    client = _client(world.agent_a)

    page = client.get(f"/replies/cases/{case.pk}/scripts/?step=first_contact").content.decode()
    assert "t**小白您好，我是甲店旗舰店的售后agent_a。" in page
    assert "navigator.clipboard" in page

    used = client.post(f"/replies/cases/{case.pk}/scripts/greet-apology/use/")
    assert used.status_code == 200
    assert used.json()["text"].startswith("t**小白您好")
    assert ScriptUse.objects.get().script_key == "greet-apology"


def test_explanation_draft_and_mark_posted(world: World, make_case: MakeCase) -> None:
    case = make_case()
    client = _client(world.agent_a)

    drafted = client.post(f"/replies/cases/{case.pk}/explanation/draft/").content.decode()
    assert "我们真诚地向您道歉" in drafted
    blocked = client.post(
        f"/replies/cases/{case.pk}/explanation/post/", {"text": "抱歉，好评返现5元"}
    ).content.decode()
    assert "好评返现（以利益换取评价）" in blocked

    posted = client.post(
        f"/replies/cases/{case.pk}/explanation/post/", {"text": "非常抱歉让您失望了。"}
    ).content.decode()
    assert "已于 2026-11-20" in posted
    assert "手动复制" in posted


def test_compensation_offer_and_supervisor_approval(world: World, make_case: MakeCase) -> None:
    case = make_case()
    agent = _client(world.agent_a)

    agent.post(
        f"/replies/cases/{case.pk}/compensation/offer/",
        {"kind": "cash", "amount": "30", "reason": "掉毛，补贴清理费用", "agreed": "on"},
    )
    offer = CompensationOffer.objects.get()
    assert offer.status == "pending_approval"
    refused = agent.post(f"/replies/cases/{case.pk}/compensation/{offer.pk}/approve/")
    assert "只有主管或掌柜可以审批补偿" in refused.content.decode()

    _client(world.supervisor).post(f"/replies/cases/{case.pk}/compensation/{offer.pk}/approve/")
    offer.refresh_from_db()
    assert (offer.status, offer.approved_by) == ("approved", world.supervisor)
