"""The compliance check on labelled real-world phrasings, both ways, with exact expectations."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reviewdesk.replies.compliance import RULES_BY_ID, CheckContext, check, normalise

CASES_FILE = Path(__file__).parent / "data" / "compliance_cases.csv"
CASES = list(csv.DictReader(CASES_FILE.read_text(encoding="utf-8").splitlines()))
BLOCK = [c for c in CASES if c["expect"] == "block"]
ALLOW = [c for c in CASES if c["expect"] == "allow"]


def test_the_labelled_list_has_at_least_40_phrasings_each_way() -> None:
    assert len(BLOCK) >= 40
    assert len(ALLOW) >= 40
    assert len({c["text"] for c in CASES}) == len(CASES)


@pytest.mark.parametrize("case", BLOCK, ids=[c["text"] for c in BLOCK])
def test_blocks_inducement_with_the_rule_it_breaks(case: dict[str, str]) -> None:
    result = check(case["text"])

    assert result.blocked is True
    assert "|".join(sorted({f.rule_id for f in result.findings})) == case["rules"]
    for finding in result.findings:
        assert finding.evidence == case["text"][finding.start : finding.end]
        assert finding.evidence.strip()


@pytest.mark.parametrize("case", ALLOW, ids=[c["text"] for c in ALLOW])
def test_allows_legitimate_service_wording(case: dict[str, str]) -> None:
    result = check(case["text"])

    assert result.findings == ()
    assert result.blocked is False


def test_confusion_counts_on_the_labelled_list() -> None:
    counts = {"tp": 0, "fn": 0, "tn": 0, "fp": 0}
    for case in CASES:
        blocked = check(case["text"]).blocked
        if case["expect"] == "block":
            counts["tp" if blocked else "fn"] += 1
        else:
            counts["fp" if blocked else "tn"] += 1
    assert counts == {"tp": len(BLOCK), "fn": 0, "tn": len(ALLOW), "fp": 0}


def test_finding_names_rule_source_and_evidence() -> None:
    result = check("亲，好 评 返 现 5 元哦")

    (finding,) = result.findings
    assert finding.rule_id == "CR1"
    assert finding.rule_name == "好评返现（以利益换取评价）"
    assert "淘宝网评价规范" in finding.source
    assert "反不正当竞争法" in finding.source
    assert finding.evidence == "好 评 返 现"


def test_every_rule_cites_the_taobao_review_rules() -> None:
    assert set(RULES_BY_ID) == {"CR1", "CR2", "CR3"}
    assert all("2021-12-28" in rule.source for rule in RULES_BY_ID.values())


def test_revision_howto_is_allowed_only_when_the_buyer_offered() -> None:
    text = "按您的要求发一下修改评价的步骤：我的淘宝→评价管理→修改评价"

    assert [f.rule_id for f in check(text).findings] == ["CR2", "CR2"]
    assert check(text, CheckContext(buyer_offered_revise=True)).blocked is False


def test_buyer_offer_never_waives_the_reward_rule() -> None:
    text = "您愿意改评价的话，好评返现10元"

    result = check(text, CheckContext(buyer_offered_revise=True))

    assert [f.rule_id for f in result.findings] == ["CR1"]


def test_negation_must_sit_right_before_the_words() -> None:
    assert check("我们不会要求您删除评价").blocked is False
    assert check("不会让您吃亏的，好评返现5元").blocked is True


def test_normalise_folds_width_and_drops_separators() -> None:
    folded, index = normalise("ＨＰ 返·现５元")

    assert folded == "hp返现5元"
    assert index == [0, 1, 3, 5, 6, 7]


@given(st.text(alphabet="好评返现 ，。!hp5元", max_size=20))
def test_evidence_always_points_into_the_text(text: str) -> None:
    for finding in check(text).findings:
        assert 0 <= finding.start < finding.end <= len(text)
        assert text[finding.start : finding.end] == finding.evidence
