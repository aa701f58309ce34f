from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from pytest_django.fixtures import Settings as SettingsWrapper

from reviewdesk.cases.models import CaseEvent
from tests.conftest import World, at
from tests.replies.conftest import MakeCase


def _run(*args: str) -> tuple[str, int]:
    out = StringIO()
    try:
        call_command(*args, stdout=out, stderr=StringIO())
    except CommandError as exc:
        return out.getvalue(), exc.returncode
    return out.getvalue(), 0


def test_compliance_check_exits_1_with_rule_and_evidence() -> None:
    out, code = _run("compliance", "check", "亲，好 评 返 现 5 元哦", "--json")

    assert code == 1
    row = json.loads(out)
    assert row["blocked"] is True
    assert [(f["rule"], f["evidence"]) for f in row["findings"]] == [("CR1", "好 评 返 现")]


def test_compliance_check_exits_0_for_clean_text() -> None:
    out, code = _run("compliance", "check", "运费我们来承担")

    assert code == 0
    assert out.startswith("blocked: false")


def test_compliance_check_reads_one_text_per_line(tmp_path: Path) -> None:
    file = tmp_path / "texts.txt"
    file.write_text("您对我们的处理满意吗？\n\n求好评，谢谢亲\n", encoding="utf-8")

    out, code = _run("compliance", "check", "--file", str(file), "--json")

    assert code == 1
    rows = [json.loads(line) for line in out.splitlines()]
    assert [r["blocked"] for r in rows] == [False, True]
    assert rows[1]["findings"][0]["rule"] == "CR3"


def test_compliance_check_without_text_is_a_usage_error(tmp_path: Path) -> None:
    assert _run("compliance", "check")[1] == 2
    assert _run("compliance", "check", "--file", str(tmp_path / "missing.txt"))[1] == 2


def test_explain_check_prints_findings_as_json() -> None:
    out, code = _run("explain", "check", "呵呵，是您自己没看清楚", "--json")

    assert code == 0
    rules = [f["rule"] for f in json.loads(out)["findings"]]
    assert rules == ["sarcasm", "blame", "blame", "missing_apology"]


def test_scripts_check_passes_on_the_defaults() -> None:
    out, code = _run("scripts", "check")

    assert code == 0
    assert out.strip().endswith("none blocked")


@pytest.mark.postgres
def test_explain_draft_prints_a_chinese_draft(
    world: World, make_case: MakeCase, settings: SettingsWrapper
) -> None:
    settings.REVIEWDESK_LLM_BASE_URL = ""
    case = make_case()
    CaseEvent.objects.create(case=case, at=at("2026-11-20 10:20"), kind="contact")

    out, code = _run("explain", "draft", str(case.pk))

    assert code == 0
    assert out.startswith("您好，这次购物没能让您满意，我们真诚地向您道歉。")
    assert "11月20日 10:20" in out
    assert _run("explain", "draft", "999999")[1] == 2
    assert _run("explain", "draft", str(case.pk), "--as", "agent_b")[1] == 2
