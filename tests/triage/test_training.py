"""The training recipe on a miniature world (src/reviewdesk/triage/training.py, weights.py).

The full recipe runs on the shared data in `reviewdesk triage train` (minutes); here every step
runs on a few dozen texts so the shapes, the category block and the .npz round trip are checked.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from reviewdesk.triage import weights
from reviewdesk.triage.classifiers.linear_ngram import LinearNgramClassifier
from reviewdesk.triage.features import build_space, normalize
from reviewdesk.triage.hidden_complaints import GOOD_PRIOR_SHIFT
from reviewdesk.triage.training import (
    Recipe,
    _empty_heads,
    _occurrence_tfidf,
    _sentiment_model,
    category_onehot,
    cross_validate_sentiment,
    fit_category,
    fit_heads,
    sentiment_holdout,
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
RECIPE = Recipe(  # the LR pair: the svm tests below compare the two learners
    min_df=1,
    max_features=5_000,
    c_head=1.0,
    c_cause=100.0,
    cat_scale=1.0,
    category_prune=0.0,
    sent_learner="lr",
)


@pytest.fixture(scope="module")
def model() -> weights.ModelWeights:
    texts = [r[1] for r in ROWS]
    labels = np.array([0] * len(ROWS) + [1, 1])  # the rows complain; two positive texts
    cats = [r[0] for r in ROWS]
    space, sentiment = _sentiment_model(
        [*texts, "很好很满意", "质量不错"], labels, RECIPE, [*cats, "衣服", "水果"]
    )
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


# -- category-aware sentiment ----------------------------------------------------------------


def _reference_logit(model: weights.ModelWeights, text: str, category: str | None) -> float:
    """The sentiment logit as training defines it: [shared | category copy x alpha] occurrence
    TF-IDF (and the NB-scaled version) times the fitted weights, averaged."""
    s, space = model.sentiment, model.space
    assert s.cat_w_lr is not None
    assert s.cat_w_nb is not None
    assert s.cat_ratio is not None
    occ = space.occurrences([text])
    fid = occ.fid.astype(np.int64)
    rows, cols = np.zeros(len(fid), np.int64), fid
    idf = space.idf.astype(np.float64)
    value = idf[fid]
    if category is not None:
        k = 1 + s.categories.index(category)
        rows = np.concatenate([rows, rows])
        cols = np.concatenate([cols, k * space.size + fid])
        value = np.concatenate([value, s.alpha * idf[fid]])
    w_lr = np.concatenate([s.w_lr, s.cat_w_lr.ravel()])
    w_nb = np.concatenate([s.w_nb, s.cat_w_nb.ravel()])
    ratio = np.concatenate([s.ratio, s.cat_ratio.ravel()])
    shape = (1, len(w_lr))
    lr = (_occurrence_tfidf(rows, cols, value, shape) @ w_lr)[0] + s.b_lr
    nb = (_occurrence_tfidf(rows, cols, value * ratio[cols], shape) @ w_nb)[0] + s.b_nb
    return float((lr + nb) / 2)


def _threshold(model: weights.ModelWeights, t: float | None) -> weights.ModelWeights:
    return replace(model, sentiment=replace(model.sentiment, estimate_threshold=t))


def _logit(
    clf: LinearNgramClassifier, texts: list[str], cats: list[str | None] | None
) -> list[float]:
    p = np.clip(clf.sentiment(texts, cats), 1e-12, 1 - 1e-12)
    return [float(v) for v in np.log(p / (1 - p))]


def test_sentiment_has_a_copy_per_category(model: weights.ModelWeights) -> None:
    s = model.sentiment
    assert s.categories == CATEGORIES
    assert s.alpha == RECIPE.sent_alpha == 1.0
    assert s.cat_w_lr is not None
    assert s.cat_w_lr.shape == (len(CATEGORIES), model.space.size)
    # only grams seen in a category's rows get a weight there: none for the categories not in ROWS
    assert not s.cat_w_lr[CATEGORIES.index("books")].any()
    assert s.cat_w_lr[CATEGORIES.index("clothes")].any()


@pytest.mark.parametrize("category", [None, "clothes", "fruit", "phones", "books"])
def test_the_sentiment_tables_score_as_training_defines_it(
    model: weights.ModelWeights, category: str | None
) -> None:
    clf = LinearNgramClassifier(_threshold(model, None))
    text = "太小了，而且不甜"
    assert _logit(clf, [text], [category])[0] == pytest.approx(
        _reference_logit(model, text, category), abs=1e-4
    )


def test_a_given_category_changes_the_sentiment_logit(model: weights.ModelWeights) -> None:
    clf = LinearNgramClassifier(_threshold(model, None))
    text = "太小了"
    unknown, clothes, fruit = _logit(clf, [text] * 3, [None, "衣服", "水果"])
    assert clothes != pytest.approx(unknown, abs=1e-3)
    assert fruit != pytest.approx(clothes, abs=1e-3)


def test_an_unknown_category_uses_the_shared_weights(model: weights.ModelWeights) -> None:
    clf = LinearNgramClassifier(_threshold(model, None))
    shared = LinearNgramClassifier(
        replace(model, sentiment=replace(model.sentiment, categories=(), cat_w_lr=None))
    )
    texts = ["太小了", "很好很满意", "快递太慢，水果都坏了"]
    expected = shared.sentiment(texts)
    np.testing.assert_allclose(clf.sentiment(texts), expected, atol=1e-6)
    np.testing.assert_allclose(clf.sentiment(texts, [None, "家纺", ""]), expected, atol=1e-6)
    assert [r.complaint_probability for r in clf.classify_batch(texts)] == pytest.approx(
        [r.complaint_probability for r in shared.classify_batch(texts)], abs=1e-6
    )


def test_the_category_reaches_the_contrast_clause_good_reviews_and_followups(
    model: weights.ModelWeights,
) -> None:
    clf = LinearNgramClassifier(_threshold(model, None))
    cases = [
        ("质量不错，就是太小了", TriageContext()),
        ("很好很满意", TriageContext(result="good", followup="穿了一次，就是太小了")),
        ("质量不错，但是太小了", TriageContext(result="good")),
    ]
    for text, ctx in cases:
        unknown = clf.classify(text, ctx).complaint_probability
        given = clf.classify(text, replace(ctx, category="衣服")).complaint_probability
        assert given != pytest.approx(unknown, abs=1e-4), text


def test_an_unknown_category_takes_the_category_heads_estimate_when_confident(
    model: weights.ModelWeights,
) -> None:
    assert model.sentiment.estimate_threshold == RECIPE.sent_estimate_threshold == 0.5
    assert model.category is not None
    texts = ["裤子太小了，腰围不对", "太小了"]
    x = model.space.transform(texts)
    probs = np.asarray(x @ model.category.w_text) + model.category.bias
    probs = np.exp(probs - probs.max(axis=1, keepdims=True))
    probs /= probs.sum(axis=1, keepdims=True)
    estimate = [CATEGORIES[k] for k in probs.argmax(axis=1)]
    assert estimate[0] == "clothes"
    shared = LinearNgramClassifier(_threshold(model, None)).sentiment(texts)
    for t in (0.0, float(probs.max(axis=1).min()), 1.01):
        clf = LinearNgramClassifier(_threshold(model, t))
        confident = probs.max(axis=1) >= t
        given = clf.sentiment(texts, estimate)
        np.testing.assert_allclose(clf.sentiment(texts), np.where(confident, given, shared))
        # a known category always wins over the estimate
        np.testing.assert_allclose(
            clf.sentiment(texts, ["水果", "水果"]), clf.sentiment(texts, ["fruit", "fruit"])
        )


def test_sentiment_batch_with_categories_equals_single_calls(model: weights.ModelWeights) -> None:
    clf = LinearNgramClassifier(model)
    texts = ["太小了", "太小了", "质量不错，就是太小了", "很好很满意", "物流太慢"]
    cats: list[str | None] = ["衣服", "水果", None, "手机", "家纺"]
    batch = clf.sentiment(texts, cats)
    singles = [clf.sentiment([t], [c])[0] for t, c in zip(texts, cats, strict=True)]
    np.testing.assert_allclose(batch, singles, atol=1e-6)
    contexts = [
        TriageContext(category=cats[0]),
        TriageContext(category=cats[1], result="good", followup="穿了一次就是太小了"),
        None,
        TriageContext(category=cats[3], result="good"),
        TriageContext(category=cats[4]),
    ]
    results = clf.classify_batch(texts, contexts)
    assert [r.to_dict() for r in results] == [
        clf.classify(t, c).to_dict() for t, c in zip(texts, contexts, strict=True)
    ]


def test_save_and_load_keep_the_category_sentiment(
    model: weights.ModelWeights, tmp_path: Path
) -> None:
    weights.save(model, tmp_path)
    loaded = weights.load(tmp_path)
    assert loaded.sentiment.categories == model.sentiment.categories
    texts = ["太小了", "质量不错，就是太小了", "很好很满意"]
    cats: list[str | None] = ["衣服", "水果", None]
    np.testing.assert_allclose(
        LinearNgramClassifier(loaded).sentiment(texts, cats),
        LinearNgramClassifier(model).sentiment(texts, cats),
        atol=5e-3,
    )


def test_a_model_directory_of_the_old_sentiment_layout_still_loads(
    model: weights.ModelWeights, tmp_path: Path
) -> None:
    weights.save(model, tmp_path)
    path = tmp_path / "sentiment.npz"
    with np.load(path, allow_pickle=False) as data:
        old = {k: data[k] for k in ("w_lr", "b_lr", "ratio", "w_nb", "b_nb")}
    weights.savez(path, **old)
    loaded = weights.load(tmp_path)
    assert loaded.sentiment.categories == ()
    assert loaded.sentiment.cat_w_lr is None
    clf = LinearNgramClassifier(loaded)
    texts = ["太小了", "很好很满意"]
    np.testing.assert_allclose(clf.sentiment(texts, ["衣服", "水果"]), clf.sentiment(texts))
    assert clf.classify("太小了", TriageContext(category="衣服")).cause in CAUSES


def test_the_holdout_reports_the_category_given_and_unknown() -> None:
    texts = [r[1] for r in ROWS] * 3 + ["很好很满意", "质量不错", "非常喜欢", "好评"] * 6
    labels = np.array([0] * (3 * len(ROWS)) + [1] * 24)
    cats = [r[0] for r in ROWS] * 3 + ["衣服", "水果", "手机", "衣服"] * 6
    metrics = sentiment_holdout(texts, labels, RECIPE, cats).metrics
    assert {"accuracy", "per_class", "without_category", "rows", "good_review"} <= set(metrics)
    assert "accuracy" in metrics["without_category"]
    good = metrics["good_review"]
    assert good["flag_rate"] == RECIPE.good_flag_rate
    assert 0 < good["rows"] < metrics["rows"]["test"]  # the holdout's positive rows
    assert isinstance(good["shift"], float)
    assert "without_category" not in sentiment_holdout(texts, labels, RECIPE).metrics


def test_rows_kept_out_are_left_out_of_the_holdout_training_part_only() -> None:
    texts = [r[1] for r in ROWS] * 3 + ["很好很满意", "质量不错", "非常喜欢", "好评"] * 6
    texts = [f"{t}{i}" for i, t in enumerate(texts)]  # unique, as in the data file
    labels = np.array([0] * (3 * len(ROWS)) + [1] * 24)
    every = sentiment_holdout(texts, labels, RECIPE).metrics
    kept_out = {texts[0], texts[-1], texts[-2]}
    fewer = sentiment_holdout(texts, labels, RECIPE, kept_out=kept_out).metrics
    assert fewer["rows"]["test"] == every["rows"]["test"]
    assert every["rows"]["train"] - 3 <= fewer["rows"]["train"] < every["rows"]["train"]


def _cv_world() -> tuple[list[str], np.ndarray, list[str]]:
    texts = [r[1] for r in ROWS] * 3 + ["很好很满意", "质量不错", "非常喜欢", "好评"] * 6
    texts = [f"{t}{i}" for i, t in enumerate(texts)]  # unique, as in the data file
    labels = np.array([0] * (3 * len(ROWS)) + [1] * 24)
    cats = [r[0] for r in ROWS] * 3 + ["衣服", "水果", "手机", "衣服"] * 6
    return texts, labels, cats


def test_sentiment_cv_scores_every_row_once_by_a_model_that_did_not_see_it() -> None:
    texts, labels, cats = _cv_world()
    kept_out = {texts[0], texts[-1]}
    metrics = cross_validate_sentiment(
        texts, labels, RECIPE, cats, folds=4, kept_out=kept_out, log=lambda _: None
    )
    assert metrics["rows"]["test"] == len(texts)
    assert sum(metrics["per_class"][c]["support"] for c in ("0", "1")) == len(texts)
    # each training part is the other three folds less the kept-out rows among them
    train = metrics["rows"]["train_per_fold"]
    assert len(train) == 4
    assert sum(train) == 3 * len(texts) - 3 * len(kept_out)
    assert len(metrics["per_fold_accuracy"]) == 4
    assert {"accuracy", "shared_weights_only"} <= set(metrics["without_category"])
    a = metrics["accuracy"]
    assert metrics["ci95"] == pytest.approx(1.96 * np.sqrt(a * (1 - a) / len(texts)), abs=1e-4)


def test_sentiment_cv_pools_the_folds_and_parallel_folds_agree() -> None:
    texts, labels, cats = _cv_world()
    one = cross_validate_sentiment(texts, labels, RECIPE, cats, folds=3, log=lambda _: None)
    two = cross_validate_sentiment(texts, labels, RECIPE, cats, folds=3, jobs=2, log=lambda _: None)
    assert one == two
    # stratified folds of equal size: the pooled accuracy is the mean of the folds'
    assert one["accuracy"] == pytest.approx(np.mean(one["per_fold_accuracy"]), abs=2e-4)
    plain = cross_validate_sentiment(texts, labels, RECIPE, None, folds=3, log=lambda _: None)
    assert "without_category" not in plain


def test_the_written_holdout_re_measures_the_same_through_evaluate(tmp_path: Path) -> None:
    import json
    from io import StringIO

    from django.core.management import call_command

    from reviewdesk.triage.training import write_holdout

    texts, labels, cats = _cv_world()
    holdout = sentiment_holdout(texts, labels, RECIPE, cats, kept_out={texts[0]})
    rows = [
        {"cat": c, "label": str(y), "review": t}
        for c, y, t in zip(cats, labels, texts, strict=True)
    ]
    csv_path, model_dir = write_holdout(holdout, rows, tmp_path / "holdout")
    written = csv_path.read_text(encoding="utf-8").splitlines()
    assert written[0] == "cat,label,review"
    assert len(written) - 1 == holdout.metrics["rows"]["test"]
    saved = weights.load(model_dir)
    assert saved.recipe["version"].endswith("-holdout")
    assert saved.sentiment.good_shift == holdout.metrics["good_review"]["shift"]
    out = StringIO()
    call_command(
        "triage", "evaluate", str(csv_path), "--model-dir", str(model_dir), "--json", stdout=out
    )
    label = json.loads(out.getvalue())["label"]
    assert label["accuracy"] == holdout.metrics["accuracy"]
    assert label["per_class"]["0"]["recall"] == holdout.metrics["per_class"]["0"]["recall"]


def test_kept_out_rows_are_named_by_sha1_and_must_exist(tmp_path: Path) -> None:
    from reviewdesk.triage.training import read_kept_out

    sentiment = [{"cat": "衣服", "label": "1", "review": t} for t in ("很好看", "不错")]
    path = tmp_path / "kept.csv"
    path.write_text(f"sha1,why\n{_sha1('不错')},sample\n", encoding="utf-8")
    assert read_kept_out(path, sentiment) == {"不错"}
    path.write_text(f"sha1,why\n{'0' * 40},sample\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"line 2: no review of reviews_sentiment_dev\.csv"):
        read_kept_out(path, sentiment)


def test_the_hand_labelled_good_review_sample_is_kept_out_of_training() -> None:
    """Its figures (test_hidden_complaints.py, docs/triage.md) must be on unseen rows."""
    import csv

    from reviewdesk.triage.training import KEPT_OUT

    sample = Path(__file__).parent / "data" / "hidden_complaints_sample.csv"
    with sample.open(encoding="utf-8") as f:
        texts = {_sha1(r["review"]) for r in csv.DictReader(f)}
    with KEPT_OUT.open(encoding="utf-8") as f:
        kept = {r["sha1"] for r in csv.DictReader(f)}
    assert len(texts) == 300
    assert texts <= kept


def _sha1(text: str) -> str:
    import hashlib

    return hashlib.sha1(text.encode("utf-8"), usedforsecurity=False).hexdigest()


def test_team_labels_join_their_texts_by_sha1(tmp_path: Path) -> None:
    from reviewdesk.triage.training import read_team_labels

    sentiment = [
        {"cat": "衣服", "label": "0", "review": "裤子太短了"},
        {"cat": "水果", "label": "0", "review": "苹果烂了好几个"},
    ]
    path = tmp_path / "team.csv"
    path.write_text(
        f"sha1,cat,cause,severity,batch\n{_sha1('苹果烂了好几个')},水果,quality,medium,r1b1\n",
        encoding="utf-8",
    )
    assert read_team_labels(path, sentiment) == [
        {"review": "苹果烂了好几个", "cat": "水果", "cause": "quality", "severity": "medium"}
    ]


@pytest.mark.parametrize(
    ("line", "message"),
    [
        (f"{'0' * 40},衣服,size_fit,low,r1b1", "line 2: no review of reviews_sentiment_dev.csv"),
        (f"{_sha1('裤子太短了')},衣服,too_short,low,r1b1", "line 2: unknown label"),
    ],
)
def test_a_team_label_row_that_does_not_fit_is_named(
    tmp_path: Path, line: str, message: str
) -> None:
    from reviewdesk.triage.training import read_team_labels

    path = tmp_path / "team.csv"
    path.write_text(f"sha1,cat,cause,severity,batch\n{line}\n", encoding="utf-8")
    with pytest.raises(ValueError, match=message):
        read_team_labels(path, [{"cat": "衣服", "label": "0", "review": "裤子太短了"}])


def test_the_shipped_team_labels_name_no_causes_dev_text() -> None:
    """The CV's test folds are causes_dev rows: a team row with one of their texts would leak."""
    import csv

    from reviewdesk.triage.training import TEAM_LABELS

    with TEAM_LABELS.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) > 5000
    assert {r["cause"] for r in rows} == set(CAUSES)
    data = Path(__file__).resolve().parents[3] / "shared" / "data" / "causes_dev.csv"
    if data.is_file():
        with data.open(encoding="utf-8") as f:
            gold = {_sha1(r["review"]) for r in csv.DictReader(f)}
        assert not gold & {r["sha1"] for r in rows}


def test_cv_scores_only_the_gold_rows_and_trains_on_the_extra_ones(
    model: weights.ModelWeights,
) -> None:
    from reviewdesk.triage.training import cross_validate_heads

    causes = [r[2] for r in ROWS]
    rows = [
        {"review": t, "cat": c, "cause": cause, "severity": sev}
        for c, t, cause, sev in ROWS
        if causes.count(cause) >= 2  # stratified folds need two of each
    ]
    extra = [{"review": "尺码偏小，穿不上", "cat": "衣服", "cause": "size_fit", "severity": "low"}]
    recipe = replace(RECIPE, folds=2)
    base = weights.ModelWeights(model.space, model.sentiment, _empty_heads(model.space), {})
    with_extra = cross_validate_heads(base, rows, recipe, extra_rows=extra)
    assert with_extra["extra_training_rows"] == 1
    assert sum(c["support"] for c in with_extra["cause"]["per_class"].values()) == len(rows)


def test_the_good_review_shift_is_saved_with_the_sentiment(
    model: weights.ModelWeights, tmp_path: Path
) -> None:
    assert model.sentiment.good_shift is None  # fitted, not yet calibrated: the default applies
    assert LinearNgramClassifier(model).good_shift == GOOD_PRIOR_SHIFT
    calibrated = replace(model, sentiment=replace(model.sentiment, good_shift=0.123))
    weights.save(calibrated, tmp_path)
    loaded = weights.load(tmp_path)
    assert loaded.sentiment.good_shift == pytest.approx(0.123)
    assert LinearNgramClassifier(loaded).good_shift == pytest.approx(0.123)


@pytest.fixture(scope="module")
def svm_model(model: weights.ModelWeights) -> weights.ModelWeights:
    texts = [r[1] for r in ROWS]
    labels = np.array([0] * len(ROWS) + [1, 1])
    cats = [r[0] for r in ROWS]
    recipe = replace(RECIPE, sent_learner="svm")
    space, sentiment = _sentiment_model(
        [*texts, "很好很满意", "质量不错"], labels, recipe, [*cats, "衣服", "水果"]
    )
    return weights.ModelWeights(space, sentiment, model.heads, {"version": "test"}, model.category)


@pytest.mark.parametrize("category", [None, "clothes", "fruit"])
def test_the_svm_pair_folds_into_the_same_tables(
    svm_model: weights.ModelWeights, model: weights.ModelWeights, category: str | None
) -> None:
    """Linear SVM + NB-SVM: other weights, the same stored layout and run-time arithmetic."""
    assert not np.allclose(svm_model.sentiment.w_lr, model.sentiment.w_lr)
    clf = LinearNgramClassifier(_threshold(svm_model, None))
    text = "太小了，而且不甜"
    assert _logit(clf, [text], [category])[0] == pytest.approx(
        _reference_logit(svm_model, text, category), abs=1e-4
    )
    assert clf.sentiment(["衣服太小了穿不上"])[0] > 0.5 > clf.sentiment(["很好很满意"])[0]


def test_the_svm_margins_are_scaled_to_logits() -> None:
    texts = [r[1] for r in ROWS] + ["很好很满意", "质量不错"]
    labels = np.array([0] * len(ROWS) + [1, 1])
    one = replace(RECIPE, sent_learner="svm", svm_scale=1.0, sent_alpha=0.0)
    two = replace(one, svm_scale=2.0)
    _, a = _sentiment_model(texts, labels, one)
    _, b = _sentiment_model(texts, labels, two)
    np.testing.assert_allclose(b.w_lr, 2 * a.w_lr, rtol=1e-5)
    np.testing.assert_allclose(b.w_nb, 2 * a.w_nb, rtol=1e-5)
    assert b.b_lr == pytest.approx(2 * a.b_lr)


def test_an_unknown_sentiment_learner_is_refused() -> None:
    with pytest.raises(ValueError, match="sent_learner"):
        _sentiment_model(["好", "差"], np.array([1, 0]), replace(RECIPE, sent_learner="tree"))
