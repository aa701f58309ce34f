"""`reviewdesk cases show|contact|appoint|sweep` (list is tested in test_command_cases.py)."""

from __future__ import annotations

import json
import re
from io import StringIO
from typing import Any

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError

from reviewdesk.cases.models import Case
from tests.cases.helpers import TID, open_cases, record
from tests.conftest import World, at

pytestmark = pytest.mark.postgres
ISO_WITH_OFFSET = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00$")


def _run(*args: str) -> str:
    out = StringIO()
    call_command("cases", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def _json(*args: str) -> dict[str, Any]:
    return json.loads(_run(*args, "--json"))  # type: ignore[no-any-return]


@pytest.fixture
def case(world: World) -> Case:
    with time_machine.travel(at("2026-11-20 10:15"), tick=False):
        return open_cases(world.shop_a, [record(4011861234567801, content="起球严重", tid=TID)])[0]


def test_show_gives_the_documented_keys(case: Case) -> None:
    with time_machine.travel(at("2026-11-20 10:20"), tick=False):
        shown = _json("show", str(case.pk))
    assert {"id", "oid", "status", "group", "cause", "severity", "assignee"} <= shown.keys()
    assert (shown["id"], shown["oid"], shown["status"], shown["group"]) == (
        case.pk,
        4011861234567801,
        "new",
        "bad",
    )
    assert shown["first_contact_due"] == "2026-11-20T10:30:00+08:00"
    assert ISO_WITH_OFFSET.match(shown["first_contact_due"])
    assert shown["appointments"] == []
    assert [e["kind"] for e in shown["timeline"]] == ["opened", "assigned"]
    assert shown["next_contact"]["channel"] == "phone"


def test_contact_then_appoint_then_show(world: World, case: Case) -> None:
    with time_machine.travel(at("2026-11-20 10:22"), tick=False):
        after_contact = _json(
            "contact",
            str(case.pk),
            "--channel",
            "phone",
            "--outcome",
            "call_back",
            "--note",
            "买家在开会，约晚上",
            "--as",
            "agent_a",
        )
        _run("appoint", str(case.pk), "--at", "2026-11-20 20:15", "--as", "agent_a")
        shown = _json("show", str(case.pk))
    assert after_contact["status"] == "contacting"
    assert after_contact["contacts"][0]["by"] == "agent_a"
    assert shown["status"] == "waiting_buyer"
    [appointment] = shown["appointments"]
    assert appointment["at"] == "2026-11-20T20:15:00+08:00"
    assert appointment["countdown_seconds"] == (9 * 60 + 53) * 60
    assert [e["kind"] for e in shown["timeline"]][-3:] == ["follow_up", "appointment", "status"]


@pytest.mark.parametrize("vague", ["明天", "下午", "今晚8:15", "2026-11-20"])
def test_appoint_refuses_anything_but_an_exact_time(case: Case, vague: str) -> None:
    with pytest.raises(CommandError, match="not an exact time") as refused:
        _run("appoint", str(case.pk), "--at", vague)
    assert refused.value.returncode == 1
    assert not case.appointments.exists()


def test_appoint_in_the_past_is_refused_with_the_reason(case: Case) -> None:
    with (
        time_machine.travel(at("2026-11-20 10:22"), tick=False),
        pytest.raises(CommandError, match="已经过去了"),
    ):
        _run("appoint", str(case.pk), "--at", "2026-11-20 09:00")


def test_show_of_another_shops_case_is_not_found(case: Case) -> None:
    with pytest.raises(CommandError, match="not_found") as refused:
        _run("show", str(case.pk), "--as", "agent_b")
    assert refused.value.returncode == 1


def test_linked_cases_are_listed_and_share_contacts(world: World) -> None:
    with time_machine.travel(at("2026-11-20 10:15"), tick=False):
        first, second = open_cases(world.shop_a, [record(601, tid=TID), record(602, tid=TID)])
        _run("contact", str(first.pk), "--channel", "im", "--outcome", "talked")
        shown = _json("show", str(second.pk))
    assert [c["id"] for c in shown["linked"]] == [first.pk]
    assert [(c["case"], c["outcome"]) for c in shown["contacts"]] == [(first.pk, "talked")]


def test_list_takes_the_queue_filters_and_priority_order(world: World) -> None:
    with time_machine.travel(at("2026-11-20 10:15"), tick=False):
        open_cases(
            world.shop_a,
            [
                record(611, rated_at=at("2026-10-23 09:00")),
                record(612, rated_at=at("2026-11-20 09:00")),
            ],
        )
    out = StringIO()
    call_command(
        "cases",
        "list",
        "--status",
        "open",
        "--order",
        "priority",
        "--json",
        stdout=out,
        stderr=StringIO(),
    )
    oids = [json.loads(line)["oid"] for line in out.getvalue().splitlines()]
    assert oids == [611, 612]


def test_sweep_fires_due_timers_once(case: Case) -> None:
    with time_machine.travel(at("2026-11-20 10:31"), tick=False):
        assert _run("sweep") == "fired 1, skipped 1, failed 0\n"
        assert _run("sweep") == "fired 0, skipped 0, failed 0\n"
