"""Behaviour of the shipped classifiers on realistic review texts."""

from __future__ import annotations

import numpy as np
import pytest

from reviewdesk.triage.classifiers.lexicon import LexiconClassifier
from reviewdesk.triage.classifiers.linear_ngram import LinearNgramClassifier
from reviewdesk.triage.protocol import Classifier
from reviewdesk.triage.registry import CLASSIFIERS, get_classifier
from reviewdesk.triage.types import CAUSES, SEVERITIES, BuyerHistory, TriageContext


@pytest.fixture(scope="module")
def clf() -> LinearNgramClassifier:
    return LinearNgramClassifier()


@pytest.mark.parametrize("key", sorted(CLASSIFIERS))
def test_every_registry_entry_imports_and_satisfies_the_protocol(key: str) -> None:
    assert isinstance(get_classifier(key), Classifier)


def test_unknown_classifier_is_refused() -> None:
    with pytest.raises(KeyError):
        get_classifier("no-such-model")


@pytest.mark.parametrize(
    ("_case", "text", "complaint"),
    [
        ("plain praise", "质量很好，穿着很舒服，物流也快，好评！", False),
        ("broken item", "收到就是坏的，根本开不了机，垃圾", True),
        ("rotten fruit", "苹果烂了一半，一股怪味，太失望了", True),
        ("good review hiding a complaint", "质量很好，就是物流太慢了", True),
    ],
)
def test_detects_complaints(
    clf: LinearNgramClassifier, _case: str, text: str, complaint: bool
) -> None:
    assert clf.classify(text).is_complaint is complaint


def test_a_followup_that_complains_makes_a_good_review_a_complaint(
    clf: LinearNgramClassifier,
) -> None:
    ctx = TriageContext(result="good", followup="用了一个星期就坏了，联系客服也不理人")
    result = clf.classify("挺好的，很满意", ctx)
    assert result.is_complaint is True
    assert any(s.source == "followup" for s in result.evidence["cause"])


def test_a_bad_result_is_a_complaint_whatever_the_text(clf: LinearNgramClassifier) -> None:
    assert clf.classify("好", TriageContext(result="bad")).is_complaint is True


@pytest.mark.parametrize(
    ("_case", "text", "cause"),
    [
        ("fake", "这是假货，根本不是正品，和专柜的完全不一样", "fake_goods"),
        ("size", "尺码偏大，平时穿L，这个L号大了一码", "size_fit"),
        ("logistics", "快递太慢了，一个星期才到，外包装都压坏了", "logistics"),
        ("price", "刚买就降价了，差价也不给补，太坑了", "price"),
        ("gift missing", "说好的赠品没有送，差评", "wrong_or_missing"),
    ],
)
def test_names_the_main_cause(
    clf: LinearNgramClassifier, _case: str, text: str, cause: str
) -> None:
    assert clf.classify(text).cause == cause


@pytest.mark.parametrize(
    ("_case", "text", "flag"),
    [
        ("refund or bad reviews forever", "不给我退50块我就一直差评", "extortion"),
        ("pay to change", "给我补偿200元我就改成好评，不然全部差评", "extortion"),
        ("12315", "再不处理我就打12315投诉", "complaint_threat"),
        ("expose", "我要去工商局举报你们，还要曝光", "complaint_threat"),
    ],
)
def test_flags_risk_in_the_text(
    clf: LinearNgramClassifier, _case: str, text: str, flag: str
) -> None:
    result = clf.classify(text)
    assert flag in result.risk_flags
    assert result.severity == "high"
    assert all(text[s.start : s.end] == s.text for s in result.evidence[f"risk:{flag}"])


def test_seller_cashback_wording_is_not_buyer_extortion(clf: LinearNgramClassifier) -> None:
    assert "extortion" not in clf.classify("好评返现我就改").risk_flags


def test_calm_complaint_has_no_risk_flags(clf: LinearNgramClassifier) -> None:
    assert clf.classify("颜色和图片有点色差，其他还行").risk_flags == []


def test_buyer_history_raises_professional_and_competitor_flags(clf: LinearNgramClassifier) -> None:
    pro = BuyerHistory(neutral_bad_count=8, review_count=10, unreceived_review_count=3)
    fresh = BuyerHistory(neutral_bad_count=1, review_count=1, account_age_days=3)
    assert (
        "professional_reviewer" in clf.classify("垃圾", TriageContext(buyer_history=pro)).risk_flags
    )
    assert (
        "competitor_suspect" in clf.classify("垃圾", TriageContext(buyer_history=fresh)).risk_flags
    )


def test_large_order_complaint_is_flagged(clf: LinearNgramClassifier) -> None:
    result = clf.classify("全都是坏的，太差了", TriageContext(order_item_count=7))
    assert "multi_item_order" in result.risk_flags


def test_evidence_spans_point_into_the_text(clf: LinearNgramClassifier) -> None:
    text = "手机用了两天就死机，屏幕还有坏点，客服也不理"
    result = clf.classify(text)
    assert result.evidence["complaint"]
    for spans in result.evidence.values():
        for s in spans:
            if s.source == "review":
                assert text[s.start : s.end] == s.text


def test_result_is_json_ready_with_model_name_and_version(clf: LinearNgramClassifier) -> None:
    data = clf.classify("东西不错").to_dict()
    assert data["model_name"] == "linear_ngram"
    assert data["model_version"] == clf.version
    assert data["cause"] in CAUSES
    assert data["severity"] in SEVERITIES
    assert 0.0 <= data["complaint_probability"] <= 1.0


@pytest.mark.parametrize("text", ["", "   ", "😀😀", "ＡＢＣ１２３", "差" * 5000])
def test_odd_texts_do_not_break(clf: LinearNgramClassifier, text: str) -> None:
    assert clf.classify(text).model_name == "linear_ngram"


def test_batch_equals_single_calls(clf: LinearNgramClassifier) -> None:
    texts = ["质量很好", "收到就坏了", "物流太慢"]
    batch = clf.classify_batch(texts)
    assert [r.to_dict() for r in batch] == [clf.classify(t).to_dict() for t in texts]


def test_lexicon_baseline_reads_its_word_lists() -> None:
    result = LexiconClassifier().classify("这是假货，我要投诉")
    assert result.cause == "fake_goods"
    assert result.risk_flags == ["complaint_threat"]
    assert result.severity == "high"


def test_complaints_mode_builds_evidence_only_for_complaints(clf: LinearNgramClassifier) -> None:
    texts = ["质量很好，穿着很舒服，好评！", "收到就是坏的，根本开不了机，垃圾"]
    praise, broken = clf.classify_batch(texts, evidence="complaints")
    assert praise.is_complaint is False
    assert praise.evidence == {}
    assert broken.evidence["complaint"]
    assert broken.evidence["cause"]


def test_evidence_mode_changes_no_label_or_probability(clf: LinearNgramClassifier) -> None:
    texts = ["质量很好，就是物流太慢了", "这是假货，我要投诉", "一般般吧", "手机屏幕有坏点"]
    keys = ("is_complaint", "complaint_probability", "cause", "severity", "risk_flags")
    modes = [
        clf.classify_batch(texts, evidence="all"),
        clf.classify_batch(texts, evidence="complaints"),
        clf.classify_batch(texts, evidence="none"),
    ]
    for results in modes[1:]:
        assert [[getattr(r, k) for k in keys] for r in results] == [
            [getattr(r, k) for k in keys] for r in modes[0]
        ]


def test_the_clause_after_a_contrast_word_is_its_evidence(clf: LinearNgramClassifier) -> None:
    text = "质量很好，就是物流太慢了"
    result = clf.classify(text)
    tail = [s for s in result.evidence["complaint"] if s.reason == "complaint after contrast"]
    assert [(s.start, s.end, s.text) for s in tail] == [(5, len(text), "就是物流太慢了")]


def test_sentiment_head_reads_whole_review_polarity(clf: LinearNgramClassifier) -> None:
    p = clf.sentiment(["质量很好，就是物流太慢了", "垃圾，千万别买"])
    assert p[0] < 0.5 < p[1]  # whole-review: the first reads positive, as the data labels it


def test_batch_with_contexts_equals_single_calls(clf: LinearNgramClassifier) -> None:
    texts = ["挺好的，很满意", "全都是坏的，太差了", "这个价格还行"]
    ctxs = [
        TriageContext(result="good", followup="用了一个星期就坏了，联系客服也不理人"),
        TriageContext(result="bad", order_item_count=7),
        None,
    ]
    batch = clf.classify_batch(texts, ctxs)
    assert [r.to_dict() for r in batch] == [
        clf.classify(t, c).to_dict() for t, c in zip(texts, ctxs, strict=True)
    ]


def test_to_dict_is_the_rounded_dataclass_dict() -> None:
    from dataclasses import asdict

    from reviewdesk.triage.types import Span, TriageResult

    result = TriageResult(
        is_complaint=True,
        complaint_probability=0.123456,
        cause="logistics",
        cause_probability=0.98765,
        severity="low",
        risk_flags=["complaint_threat"],
        evidence={"complaint": [Span(3, 7, "物流太慢", "complaint after contrast")]},
        model_name="linear_ngram",
        model_version="1",
        severity_probability=0.55555,
    )
    expected = asdict(result)
    expected["evidence"] = {
        key: [span._asdict() for span in spans] for key, spans in result.evidence.items()
    }
    for key in ("complaint_probability", "cause_probability", "severity_probability"):
        expected[key] = round(expected[key], 4)
    assert result.to_dict() == expected


@pytest.mark.parametrize(
    ("text", "cause", "matched"),
    [
        ("手机屏幕有划痕，开机慢，感觉是翻新机，客服还不承认", "fake_goods", "翻新"),
        ("买了两盒面膜只收到一盒，商家漏发了，联系客服也不回", "wrong_or_missing", "漏发"),
    ],
)
def test_cause_rules_override_the_head_and_show_their_match(
    clf: LinearNgramClassifier, text: str, cause: str, matched: str
) -> None:
    res = clf.classify(text, TriageContext(result="bad"))
    assert res.cause == cause
    assert any(s.reason == f"rule:{cause}" and s.text == matched for s in res.evidence["cause"])
    if cause == "fake_goods":
        assert res.severity == "high"


def test_cause_rules_map_matches_to_their_own_row_in_a_batch(clf: LinearNgramClassifier) -> None:
    texts = ["苹果很甜，包装也好", "发错颜色了，我要的是黑色", "好评"]
    results = clf.classify_batch(texts, evidence="all")
    assert results[1].cause == "wrong_or_missing"
    assert not any(s.reason.startswith("rule:") for s in results[0].evidence.get("cause", []))


def test_the_known_category_steers_the_cause(clf: LinearNgramClassifier) -> None:
    """ "太小了" is a size problem for clothes and a quality problem for fruit (CAUSE_GUIDELINE
    clarifications 4 and 10)."""
    text = "太小了，和想的不一样"
    clothes = clf.classify(text, TriageContext(category="clothes"))
    fruit = clf.classify(text, TriageContext(category="fruit"))
    assert clothes.cause == "size_fit"
    assert fruit.cause != "size_fit"


def test_category_names_from_the_data_and_english_keys_agree(clf: LinearNgramClassifier) -> None:
    text = "穿上太紧了，肩膀那里勒得慌"
    english = clf.classify(text, TriageContext(category="clothes"))
    chinese = clf.classify(text, TriageContext(category="衣服"))
    assert english.cause == chinese.cause
    assert english.cause_probability == pytest.approx(chinese.cause_probability)


def test_an_unknown_category_is_estimated_from_the_text(clf: LinearNgramClassifier) -> None:
    text = "苹果个头太小，还有好几个烂的"
    estimated = clf.classify(text)
    unknown = clf.classify(text, TriageContext(category="家纺"))
    assert unknown.cause == estimated.cause
    assert unknown.cause_probability == pytest.approx(estimated.cause_probability)


def test_category_in_a_batch_applies_to_its_own_row_and_its_followup(
    clf: LinearNgramClassifier,
) -> None:
    texts = ["太小了，和想的不一样", "太小了，和想的不一样", "还行"]
    contexts = [
        TriageContext(category="clothes"),
        None,
        TriageContext(result="good", followup="穿了一次发现太小了", category="clothes"),
    ]
    batch = clf.classify_batch(texts, contexts)
    singles = [clf.classify(t, c) for t, c in zip(texts, contexts, strict=True)]
    assert [r.cause for r in batch] == [r.cause for r in singles]
    assert [r.cause_probability for r in batch] == pytest.approx(
        [r.cause_probability for r in singles]
    )
    assert [r.complaint_probability for r in batch] == pytest.approx(
        [r.complaint_probability for r in singles]
    )


def test_the_known_category_shifts_the_sentiment(clf: LinearNgramClassifier) -> None:
    """The sentiment has a copy of every gram per product category ("小" reads differently for
    fruit and for clothes); the shipped model was trained with them."""
    assert clf.model.sentiment.categories == clf.categories
    text = "个头有点小，不过还行"
    fruit, clothes, phones = clf.sentiment([text] * 3, ["fruit", "clothes", "phones"])
    assert len({round(float(p), 4) for p in (fruit, clothes, phones)}) == 3
    results = clf.classify_batch([text] * 2, [TriageContext(category=c) for c in ("水果", "衣服")])
    assert results[0].complaint_probability != pytest.approx(results[1].complaint_probability)


def test_a_category_outside_the_nine_is_scored_like_no_category(
    clf: LinearNgramClassifier,
) -> None:
    texts = ["个头有点小，不过还行", "质量很好，就是物流太慢了"]
    np.testing.assert_allclose(clf.sentiment(texts, ["家纺", "家纺"]), clf.sentiment(texts))
    other = clf.classify_batch(texts, [TriageContext(category="家纺")] * 2)
    assert [r.to_dict() for r in other] == [r.to_dict() for r in clf.classify_batch(texts)]
