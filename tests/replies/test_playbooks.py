"""The shipped playbooks and scripts, and the pure selection rule."""

from __future__ import annotations

import pytest

from reviewdesk.replies.compliance import CheckContext, check
from reviewdesk.replies.playbooks import (
    CaseFacts,
    default_playbooks,
    default_scripts,
    select_playbook,
)
from reviewdesk.replies.templating import PLACEHOLDERS, render


def test_every_default_script_passes_the_compliance_check() -> None:
    for script in default_scripts().values():
        context = CheckContext(buyer_offered_revise=script.requires_offered_revise)
        assert check(script.body, context).findings == (), script.key


def test_the_revision_howto_is_marked_and_blocked_without_the_buyers_offer() -> None:
    marked = [s.key for s in default_scripts().values() if s.requires_offered_revise]

    assert marked == ["revise-howto"]
    assert check(default_scripts()["revise-howto"].body).blocked


def test_every_script_renders_completely_when_all_values_are_known() -> None:
    values = dict.fromkeys(PLACEHOLDERS, "x")
    for script in default_scripts().values():
        assert render(script.body, values).is_complete


def test_required_steps_of_r14_are_present() -> None:
    playbooks = default_playbooks()
    required = {p.key: {s.key for s in p.required_steps} for p in playbooks.values()}

    assert "return_address_sent" in required["return-quality"]
    assert "return_address_sent" in required["review-wrong-item"]
    assert "shipping_fee_confirmed" in required["return-quality"]
    for key in ("review-quality", "return-non-quality", "refund-general", "repair"):
        assert {"processing_time_promised", "satisfaction_asked"} <= required[key]


def test_no_step_asks_for_a_revision() -> None:
    for playbook in default_playbooks().values():
        for step in playbook.steps:
            assert not check(step.title).blocked, (playbook.key, step.key)


@pytest.mark.parametrize(
    ("_case", "facts", "expected"),
    [
        ("quality", CaseFacts(kind="review", cause="quality", review_age_days=1), "review-quality"),
        ("size", CaseFacts(kind="review", cause="size_fit"), "review-fit"),
        ("unknown cause", CaseFacts(kind="review", cause="weird"), "review-general"),
        ("no cause", CaseFacts(kind="review"), "review-general"),
        ("31 days", CaseFacts(kind="review", cause="quality", review_age_days=31), "review-old-1m"),
        (
            "30 days",
            CaseFacts(kind="review", cause="quality", review_age_days=30),
            "review-quality",
        ),
        ("181 days", CaseFacts(kind="review", review_age_days=181), "review-old-6m"),
        (
            "extortion wins over age",
            CaseFacts(kind="review", risk_flags=("extortion",), review_age_days=200),
            "suspected-extortion",
        ),
        ("competitor", CaseFacts(kind="refund", risk_flags=("competitor",)), "suspected-extortion"),
        (
            "signed",
            CaseFacts(kind="logistics", cause="signed_not_received"),
            "logistics-signed-not-received",
        ),
        ("not shipped", CaseFacts(kind="logistics", cause="not_shipped"), "logistics-not-shipped"),
        (
            "not collected",
            CaseFacts(kind="logistics", cause="not_collected"),
            "logistics-not-collected",
        ),
        ("logistics default", CaseFacts(kind="logistics"), "logistics-stalled"),
        ("return quality", CaseFacts(kind="return", cause="quality"), "return-quality"),
        ("return other", CaseFacts(kind="return", cause="size_fit"), "return-non-quality"),
        ("penalty", CaseFacts(kind="refund", cause="out_of_stock"), "refund-penalty-reason"),
        ("late", CaseFacts(kind="refund", cause="not_shipped_on_time"), "refund-penalty-reason"),
        ("fake", CaseFacts(kind="refund", cause="fake_goods"), "refund-never-agree"),
        ("invoice", CaseFacts(kind="refund", cause="invoice"), "refund-never-agree"),
        ("refund other", CaseFacts(kind="refund", cause="size_fit"), "refund-general"),
        ("repair", CaseFacts(kind="repair"), "repair"),
        (
            "old refund is not an old review",
            CaseFacts(kind="refund", review_age_days=400),
            "refund-general",
        ),
    ],
)
def test_selects_the_playbook(_case: str, facts: CaseFacts, expected: str) -> None:
    assert select_playbook(facts, default_playbooks()).key == expected
