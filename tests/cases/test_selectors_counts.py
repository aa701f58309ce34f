from __future__ import annotations

import pytest

from reviewdesk.cases.selectors import CaseFilters
from reviewdesk.cases.selectors_counts import (
    case_assignee_counts,
    case_group_counts,
    case_latest_id,
    case_result_counts,
    case_status_counts,
    cases_new_since,
)
from tests.conftest import World
from tests.web.conftest import Desk, build_desk

pytestmark = pytest.mark.postgres


@pytest.fixture
def desk(world: World) -> Desk:
    return build_desk(world)


def test_group_counts_ignore_the_group_filter_but_keep_the_others(desk: Desk) -> None:
    agent = desk.world.agent_a
    everything = CaseFilters()
    assert case_group_counts(actor=agent, filters=everything) == {
        "neutral": 1,
        "bad": 1,
        "offered": 0,
        "revised": 1,
    }
    neutral_only = CaseFilters(group="neutral", status="open")
    assert case_group_counts(actor=agent, filters=neutral_only) == {
        "neutral": 1,
        "bad": 1,
        "offered": 0,
        "revised": 0,
    }


def test_status_counts_include_open_and_all(desk: Desk) -> None:
    counts = case_status_counts(actor=desk.world.agent_a, filters=CaseFilters(status="closed"))
    assert (counts["new"], counts["closed"], counts["open"], counts["all"]) == (2, 1, 2, 3)


def test_result_counts(desk: Desk) -> None:
    counts = case_result_counts(actor=desk.world.agent_a, filters=CaseFilters())
    assert counts == {"good": 1, "neutral": 1, "bad": 1}  # the revised one is good now


def test_counts_are_scoped_to_visible_shops(desk: Desk) -> None:
    counts = case_status_counts(actor=desk.world.agent_b, filters=CaseFilters())
    assert counts["all"] == 1


def test_assignee_counts_name_each_assignee(desk: Desk) -> None:
    rows = case_assignee_counts(actor=desk.world.agent_a, filters=CaseFilters())
    assert sum(r.count for r in rows) == 3
    assert all(r.username for r in rows)  # every case got an agent


def test_new_since(desk: Desk) -> None:
    agent = desk.world.agent_a
    latest = case_latest_id(actor=agent, filters=CaseFilters())
    assert latest == max(desk.scarf_case.pk, desk.ahua_case.pk, desk.revised_case.pk)
    assert cases_new_since(actor=agent, filters=CaseFilters(), after_id=latest) == 0
    assert cases_new_since(actor=agent, filters=CaseFilters(), after_id=0) == 3
