"""`classify` (one review, `linear_ngram_one`) returns exactly what the batch path returns.

The single-review path re-implements the batch arithmetic for one text; these tests hold it to
bit-identical results (floats included) on realistic texts in mixed contexts, through both of
its gram extractions (dictionary for short texts, numpy for long ones).
"""

from __future__ import annotations

import csv
import random
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from reviewdesk.triage.classifiers import linear_ngram_one
from reviewdesk.triage.classifiers.linear_ngram import LinearNgramClassifier
from reviewdesk.triage.features import normalize_one
from reviewdesk.triage.types import BuyerHistory, TriageContext, TriageResult

SAMPLE = Path(__file__).parent / "data" / "hidden_complaints_sample.csv"
CRAFTED = [
    "",
    " ",
    "好",
    "质量很好，就是物流太慢了",
    "衣服不错，但是有点小，不过还行，就是颜色有色差",
    "收到就是坏的，根本开不了机，垃圾商家",
    "苹果烂了一半，一股怪味，太失望了，再也不买了",
    "假货！不是正品，和专柜的不一样，翻新机",
    "发错货了，少发了一件，赠品没有",
    "不给我退50块我就一直差评，再不处理就投诉到12315",
    "穿了一周了，没有起球，一点都不扎，很满意",
    "客服给换了新的，问题解决了，但是物流太慢",
    "ＡＢＣ全角ＸＹＺ\n换行\t制表，质量ＯＫ",
    "😀😀好吃😀但是太贵了😀",
    "İstanbul ÅÄÖ ß",
    "很好很好很好很好很好很好很好很好很好很好很好很好很好很好很好很好很好很好",
    "手机用了两天就死机，屏幕还有坏点，" * 12,  # long: the numpy extraction
    "苹果很甜" * 600 + "但是烂了好几个",  # beyond MAX_CHARS
]
FOLLOWUPS = [
    None,
    "用了一个星期就坏了，联系客服也不理人",
    "追评：穿了一周了，没有起球",
    "假货，不给退款就投诉12315",
    "",
]
CATEGORIES = [None, "clothes", "水果", "书籍", "no-such-category", "电脑", ""]
HISTORIES = [
    BuyerHistory(),
    BuyerHistory(neutral_bad_count=6, review_count=8, unreceived_review_count=3),
    BuyerHistory(review_count=1, account_age_days=3),
]


@pytest.fixture(scope="module")
def clf() -> LinearNgramClassifier:
    return LinearNgramClassifier()


def _contexts(n: int, seed: int) -> Iterator[TriageContext | None]:
    rnd = random.Random(seed)  # noqa: S311 - test data, not security
    for i in range(n):
        if i % 9 == 0:
            yield None
            continue
        yield TriageContext(
            result=rnd.choice(["good", "good", "neutral", "bad", None]),
            followup=rnd.choice(FOLLOWUPS),
            category=rnd.choice(CATEGORIES),
            order_item_count=rnd.choice([1, 1, 3, 5]),
            buyer_history=rnd.choice(HISTORIES),
        )


def _sample_texts() -> list[str]:
    with SAMPLE.open(encoding="utf-8", newline="") as f:
        return [row["review"] for row in csv.DictReader(f)] + CRAFTED


def _assert_same(one: TriageResult, batch: TriageResult) -> None:
    assert one == batch  # every field: floats bit for bit, evidence span for span
    for value in (one.complaint_probability, one.cause_probability, one.severity_probability):
        assert type(value) is float


@pytest.mark.parametrize("dict_max_chars", [None, 0, 10**6])
def test_single_review_equals_a_batch_of_one(
    clf: LinearNgramClassifier, monkeypatch: pytest.MonkeyPatch, dict_max_chars: int | None
) -> None:
    """None: the shipped switch between the two extractions; 0 / 10**6: numpy / dictionary only."""
    if dict_max_chars is not None:
        monkeypatch.setattr(linear_ngram_one, "DICT_MAX_CHARS", dict_max_chars)
    texts = _sample_texts()
    for text, ctx in zip(texts, _contexts(len(texts), seed=20261124), strict=True):
        _assert_same(clf.classify(text, ctx), clf.classify_batch([text], [ctx])[0])


def test_single_review_matches_a_large_batch(clf: LinearNgramClassifier) -> None:
    """A large batch runs BLAS on more rows, which may change the last bit of a float32 head
    probability; labels, flags and evidence are the same, probabilities agree to 1e-6."""
    texts = _sample_texts()
    ctxs = list(_contexts(len(texts), seed=7))
    batch = clf.classify_batch(texts, ctxs)
    for text, ctx, expected in zip(texts, ctxs, batch, strict=True):
        got = clf.classify(text, ctx)
        assert (got.is_complaint, got.cause, got.severity, got.risk_flags, got.evidence) == (
            expected.is_complaint,
            expected.cause,
            expected.severity,
            expected.risk_flags,
            expected.evidence,
        )
        assert got.complaint_probability == pytest.approx(expected.complaint_probability, abs=1e-6)
        assert got.cause_probability == pytest.approx(expected.cause_probability, abs=1e-6)
        assert got.severity_probability == pytest.approx(expected.severity_probability, abs=1e-6)


def test_both_extractions_find_the_batch_occurrences(clf: LinearNgramClassifier) -> None:
    space = clf.model.space
    for text in _sample_texts():
        occ = space.occurrences([text])
        expected = (occ.pos.tolist(), occ.n.tolist(), occ.fid.tolist())
        norm = normalize_one(text)
        pos, n, fid = space.occurrences_one(norm)
        assert (pos, n, fid.tolist()) == expected
        assert fid.dtype == occ.fid.dtype
        assert space.occurrences_one_dict(norm) == expected


@pytest.mark.slow
@pytest.mark.skipif(
    not (Path(settings.REVIEWDESK_DATA_DIR) / "reviews_sentiment_dev.csv").is_file(),
    reason="needs the shared data folder",
)
def test_single_review_equals_a_batch_of_one_on_the_data(clf: LinearNgramClassifier) -> None:
    """1,000 reviews of reviews_sentiment_dev.csv (every 42nd row, all categories), with their
    `cat` column as the category in every other context."""
    path = Path(settings.REVIEWDESK_DATA_DIR) / "reviews_sentiment_dev.csv"
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))[::42][:1000]
    for i, (row, context) in enumerate(zip(rows, _contexts(len(rows), seed=3), strict=True)):
        ctx = context
        if context is not None and i % 2:
            ctx = replace(context, category=row["cat"] or None)
        text = row["review"]
        _assert_same(clf.classify(text, ctx), clf.classify_batch([text], [ctx])[0])


def test_a_lone_surrogate_never_raises_and_single_equals_batch(clf: LinearNgramClassifier) -> None:
    text = "质量太差了\ud83d，退货"
    one = clf.classify(text)
    assert one.to_dict() == clf.classify_batch([text, "很好"])[0].to_dict()
    assert one.is_complaint


def test_the_batch_builds_results_as_the_dataclass_does() -> None:
    """The batch builds `TriageResult`s without the frozen dataclass's __init__ (`_result`)."""
    from reviewdesk.triage.classifiers.linear_ngram import _result

    fields: dict[str, Any] = {
        "is_complaint": True,
        "complaint_probability": 0.75,
        "cause": "logistics",
        "cause_probability": 0.5,
        "severity": "low",
        "risk_flags": ["extortion"],
        "evidence": {"complaint": []},
        "model_name": "linear_ngram",
        "model_version": "v",
        "severity_probability": 0.25,
    }
    fast, slow = _result(**fields), TriageResult(**fields)
    assert fast == slow
    assert repr(fast) == repr(slow)
    assert list(vars(fast).items()) == list(vars(slow).items())
    assert not hasattr(TriageResult, "__post_init__")
