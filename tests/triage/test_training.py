"""The training recipe on a miniature world (src/reviewdesk/triage/training.py, weights.py).

The full recipe runs on the shared data in `reviewdesk triage train` (minutes); here every step
runs on a few dozen texts so the shapes, the category block and the .npz round trip are checked.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from reviewdesk.triage import weights
from reviewdesk.triage.classifiers.linear_ngram import LinearNgramClassifier
from reviewdesk.triage.features import build_space, normalize
from reviewdesk.triage.training import (
    Recipe,
    _empty_heads,
    _sentiment_model,
    category_onehot,
    fit_category,
    fit_heads,
)
from reviewdesk.triage.types import CATEGORIES, CAUSES, TriageContext

# (category, text, cause, severity): "小" is size_fit for clothes and quality for fruit.
ROWS = [
    ("衣服", "衣服太小了穿不上", "size_fit", "low"),
    ("衣服", "裤子太小了，腰围不对", "size_fit", "low"),
    ("衣服", "外套偏小一码", "size_fit", "low"),
    ("衣服", "袖子太长了", "size_fit", "low"),
    ("衣服", "洗了一次就掉色，质量差", "quality", "medium"),
    ("衣服", "线头很多，做工太差", "quality", "medium"),
    ("水果", "苹果太小了，还有烂的", "quality", "medium"),
    ("水果", "橙子很小，而且不甜", "quality", "low"),
    ("水果", "果子小，酸得很", "quality", "low"),
    ("水果", "收到一半是烂的", "quality", "medium"),
    ("水果", "快递太慢，水果都坏了", "logistics", "medium"),
    ("水果", "物流三天才到，压坏了好几个", "logistics", "medium"),
    ("手机", "手机太小了，屏幕看不清", "dislike_style", "low"),
    ("手机", "用了两天就死机，垃圾", "quality", "medium"),
    ("手机", "假货，不是正品", "fake_goods", "high"),
    ("手机", "翻新机，我要投诉", "fake_goods", "high"),
]
RECIPE = Recipe(
    min_df=1, max_features=5_000, c_head=1.0, c_cause=100.0, cat_scale=1.0, category_prune=0.0
)


@pytest.fixture(scope="module")
def model() -> weights.ModelWeights:
    texts = [r[1] for r in ROWS]
    labels = np.array([0] * len(ROWS) + [1, 1])  # the rows complain; two positive texts
    space, sentiment = _sentiment_model([*texts, "很好很满意", "质量不错"], labels, RECIPE)
    category = fit_category(space, texts, [r[0] for r in ROWS], RECIPE)
    heads = fit_heads(
        space,
        texts,
        [r[2] for r in ROWS],
        [r[3] for r in ROWS],
        RECIPE,
        categories=[r[0] for r in ROWS],
    )
    return weights.ModelWeights(space, sentiment, heads, {"version": "test"}, category)


def test_category_onehot_marks_known_categories_and_leaves_unknown_rows_empty() -> None:
    out = category_onehot(["衣服", "clothes", "家纺", ""])
    assert out.shape == (4, len(CATEGORIES))
    assert out[0].argmax() == out[1].argmax() == CATEGORIES.index("clothes")
    assert out[2].sum() == out[3].sum() == 0


def test_heads_carry_a_prescaled_category_block(model: weights.ModelWeights) -> None:
    cause = model.heads["cause"]
    assert cause.w_cat is not None
    assert cause.w_cat.shape == (len(CATEGORIES), len(CAUSES))
    assert model.category is not None
    assert model.category.w_text.shape == (model.space.size, len(CATEGORIES))


def test_the_category_block_separates_the_same_words_by_category(
    model: weights.ModelWeights,
) -> None:
    clf = LinearNgramClassifier(model)
    text = "太小了"
    assert clf.classify(text, TriageContext(category="衣服")).cause == "size_fit"
    assert clf.classify(text, TriageContext(category="水果")).cause == "quality"


def test_pruning_drops_grams_with_small_category_weights() -> None:
    texts = [normalize(r[1]) for r in ROWS]
    space = build_space(texts, n_max=2, min_df=1, max_features=5_000)
    cats = [r[0] for r in ROWS]
    full = fit_category(space, texts, cats, Recipe(category_prune=0.0))
    pruned = fit_category(space, texts, cats, Recipe(category_prune=0.3))
    kept = np.abs(pruned.w_text).max(axis=1) > 0
    assert 0 < kept.sum() < (np.abs(full.w_text).max(axis=1) > 0).sum()
    assert np.array_equal(pruned.w_text[kept], full.w_text[kept])


def test_save_and_load_keep_the_category_head(model: weights.ModelWeights, tmp_path: Path) -> None:
    weights.save(model, tmp_path)
    loaded = weights.load(tmp_path)
    assert loaded.category is not None
    assert model.category is not None
    assert loaded.category.labels == model.category.labels
    np.testing.assert_allclose(loaded.category.w_text, model.category.w_text, atol=1e-2)
    before = LinearNgramClassifier(model).classify("太小了", TriageContext(category="衣服"))
    after = LinearNgramClassifier(loaded).classify("太小了", TriageContext(category="衣服"))
    assert after.cause == before.cause
    assert after.cause_probability == pytest.approx(before.cause_probability, abs=0.01)


def test_a_model_without_a_category_head_still_loads_and_classifies(
    model: weights.ModelWeights, tmp_path: Path
) -> None:
    bare = weights.ModelWeights(model.space, model.sentiment, _empty_heads(model.space), {})
    weights.save(bare, tmp_path)
    loaded = weights.load(tmp_path)
    assert loaded.category is None
    result = LinearNgramClassifier(loaded).classify("太小了", TriageContext(category="衣服"))
    assert result.cause in CAUSES
