"""Good reviews: which ones complain (src/reviewdesk/triage/hidden_complaints.py)."""

from __future__ import annotations

import copy
import csv
from functools import lru_cache
from pathlib import Path

import numpy as np
import pytest

from reviewdesk.triage.classifiers.linear_ngram import LinearNgramClassifier
from reviewdesk.triage.hidden_complaints import GOOD_PRIOR_SHIFT, ScopeRules, calibrate_shift
from reviewdesk.triage.types import TriageContext

SAMPLE = Path(__file__).parent / "data" / "hidden_complaints_sample.csv"


@lru_cache(maxsize=1)
def _clf() -> LinearNgramClassifier:
    return LinearNgramClassifier()


def _good(text: str, followup: str | None = None) -> bool:
    result = _clf().classify(text, TriageContext(result="good", followup=followup))
    return result.is_complaint


@pytest.mark.parametrize(
    ("_case", "text", "followup"),
    [
        ("negated pilling in a follow-up", "好评", "穿了一周了，没有起球"),
        ("two negated problems", "不错", "洗了几次，没有起球也没有掉色"),
        ("一点都不 scope", "一点都不扎脖子，客服很耐心，推荐购买", None),
        ("refund of the difference", "商家很负责，给退了差价，好评！", None),
        ("exchange, problem solved", "客服主动联系我给换了新的，态度很好，问题解决了", None),
        ("no bad fruit", "有点贵，但好吃，无坏果，物流等了6天，也没有坏，厉害了", None),
    ],
)
def test_good_reviews_that_do_not_complain_open_no_case(
    _case: str, text: str, followup: str | None
) -> None:
    assert _good(text, followup) is False


@pytest.mark.parametrize(
    ("_case", "text", "followup"),
    [
        ("shedding", "质量不错，就是有点掉毛", None),
        ("slow delivery", "质量不错，就是物流太慢了", None),
        ("cheap packaging", "昨天刚收到，衣服不错，就是包装太掉价了", None),
        ("slowish delivery", "挺划算的，质量还不错！就是物流有点偏慢", None),
        ("seam opened, in the follow-up", "很好看，满意", "用了一周就开线了"),
        ("negated praise still complains", "好评", "质量不好，洗了一次就变形了"),
    ],
)
def test_hidden_complaints_stay_flagged(_case: str, text: str, followup: str | None) -> None:
    assert _good(text, followup) is True


def test_the_same_text_without_a_good_result_is_scored_as_before() -> None:
    clf = _clf()
    text = "一点都不扎脖子，客服很耐心，推荐购买"
    plain = clf.classify(text)
    assert plain.complaint_probability == pytest.approx(float(clf.sentiment([text])[0]))
    assert clf.classify(text, TriageContext(result="bad")).is_complaint is True


def test_dropped_grams_are_not_shown_as_complaint_evidence() -> None:
    result = _clf().classify("质量不错没有起球，就是物流太慢了", TriageContext(result="good"))
    assert result.is_complaint is True
    shown = "".join(s.text for s in result.evidence["complaint"])
    assert "物流太慢" in shown
    assert not any(
        "起球" in s.text and s.reason == "complaint" for s in result.evidence["complaint"]
    )


@pytest.mark.parametrize(
    ("_case", "text", "scoped"),
    [
        ("negator then complaint word", "穿了一周没有起球", ["穿了一周", "没有起球"]),
        ("gap of two characters", "没有一个坏的", ["没有一个坏"]),
        ("就 breaks the scope", "还没用就坏了", []),
        ("negated praise is not a scope", "质量不好", []),
        ("resolved phrase and its clause", "客服给换了新的，态度好", ["客服给换了新的"]),
        ("the clause starts after 但", "质量差但客服给退了钱", ["客服给退了钱"]),
    ],
)
def test_scopes(_case: str, text: str, scoped: list[str]) -> None:
    start, end = ScopeRules().spans(text)
    assert [text[s:e] for s, e in zip(start.tolist(), end.tolist(), strict=True)] == scoped


def _sample() -> list[dict[str, str]]:
    with SAMPLE.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_the_hand_labelled_sample_is_small_and_split() -> None:
    rows = _sample()
    assert len(rows) == 300
    assert {r["split"] for r in rows} == {"dev", "test"}
    assert sum(r["split"] == "test" for r in rows) == 150
    assert {r["hidden_complaint"] for r in rows} == {"0", "1"}


def test_precision_on_the_held_out_half_does_not_regress() -> None:
    """The sample is kept out of training (training.KEPT_OUT), so these are unseen rows. Shipped
    model (docs/triage.md): test half 10 of 17 flagged are hidden complaints (precision 0.588,
    recall 10 of 16 = 0.625); the bounds allow one row less of each."""
    rows = [r for r in _sample() if r["split"] == "test"]
    results = _clf().classify_batch(
        [r["review"] for r in rows], [TriageContext(result="good")] * len(rows), evidence="none"
    )
    flagged = [
        r["hidden_complaint"] == "1" for r, x in zip(rows, results, strict=True) if x.is_complaint
    ]
    positives = sum(r["hidden_complaint"] == "1" for r in rows)
    assert sum(flagged) / len(flagged) >= 0.52  # 9 of 17
    assert sum(flagged) / positives >= 0.56  # 9 of 16


# -- sturdiness: the rule must not hang on the sentiment head's exact calibration --------------


@pytest.mark.parametrize("shift", [-1.0, -0.5, 0.0, 0.5, 1.0])
@pytest.mark.parametrize(
    ("text", "followup"),
    [
        ("好评", "穿了一周了，没有起球"),
        ("不错", "洗了几次，没有起球也没有掉色"),
        ("商家很负责，给退了差价，好评！", None),
        ("客服主动联系我给换了新的，态度很好，问题解决了", None),
    ],
)
def test_nothing_but_negated_or_resolved_problems_is_no_complaint_at_any_shift(
    text: str, followup: str | None, shift: float
) -> None:
    """Once such phrases are dropped nothing is left to complain: the prior applies only to the
    kept share (before, such a text sat at exactly -shift, so the decision hung on the shift)."""
    clf = copy.copy(_clf())
    clf.good_shift = shift
    assert clf.classify(text, TriageContext(result="good", followup=followup)).is_complaint is False


def test_a_good_review_complains_exactly_when_its_critical_shift_reaches_the_models() -> None:
    clf = _clf()
    texts = [r["review"] for r in _sample()]
    critical = clf.good_critical_shifts(texts)
    results = clf.classify_batch(
        texts, [TriageContext(result="good")] * len(texts), evidence="none"
    )
    assert [r.is_complaint for r in results] == (critical >= clf.good_shift).tolist()


def test_the_shipped_model_carries_its_calibrated_shift() -> None:
    clf = _clf()
    recipe = clf.model.recipe
    good = recipe["metrics"]["sentiment_holdout"]["good_review"]
    assert clf.model.sentiment.good_shift == pytest.approx(good["shift"])
    assert clf.good_shift == pytest.approx(good["shift"])
    assert good["flag_rate"] == recipe["settings"]["good_flag_rate"]
    assert good["rows"] > 4000


def test_calibrate_shift_flags_the_rate_asked_for() -> None:
    rng = np.random.default_rng(0)
    critical = rng.normal(size=1000)
    for rate in (0.05, 0.115, 0.5):
        shift = calibrate_shift(critical, rate)
        assert (critical >= shift).mean() == pytest.approx(rate, abs=0.002)


def test_calibrate_shift_treats_rows_no_shift_changes_as_beyond_the_rest() -> None:
    critical = np.array([np.inf, np.inf, 0.3, 0.1, -0.2, -np.inf])
    assert calibrate_shift(critical, 0.5) == pytest.approx(0.2)
    assert calibrate_shift(critical, 0.2) == pytest.approx(0.8)  # between +inf (1.3) and 0.3
    assert calibrate_shift(np.array([np.inf, -np.inf]), 0.5) == GOOD_PRIOR_SHIFT
    with pytest.raises(ValueError, match="rate"):
        calibrate_shift(critical, 1.0)
