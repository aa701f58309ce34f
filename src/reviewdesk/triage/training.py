"""The training recipe: data rows in, model weights and honest metrics out.

Pure functions over lists (no Django, no files except `read_*`). Every figure printed by
`reviewdesk triage train` comes from rows the evaluated model never saw:
- sentiment: a fixed stratified 20% split of reviews_sentiment_dev.csv (seed in the recipe); the
  vocabulary and IDF of that evaluation model are built from the 80% only;
- cause and severity: stratified k-fold CV on causes_dev.csv; each fold's heads are fitted on the
  other folds only. The shared vocabulary/IDF is label-free, built from the sentiment file's texts.
The shipped model is then refitted on all rows with the same settings.
"""

from __future__ import annotations

import csv
import hashlib
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, train_test_split

from reviewdesk.triage.classifiers.linear_ngram import LinearNgramClassifier
from reviewdesk.triage.evaluation import classification_metrics
from reviewdesk.triage.features import NgramSpace, Occurrences, build_space, normalize
from reviewdesk.triage.lexicon_index import LexiconIndex
from reviewdesk.triage.lexicons import LEXICON_VERSION, load_weighted
from reviewdesk.triage.types import CAUSES, SEVERITIES
from reviewdesk.triage.weights import HeadWeights, ModelWeights, SentimentWeights

SENTIMENT_FILE = "reviews_sentiment_dev.csv"
CAUSES_FILE = "causes_dev.csv"


@dataclass(frozen=True)
class Recipe:
    version: str = "2025.1"
    seed: int = 20240601
    holdout: float = 0.2
    folds: int = 5
    n_max: int = 4
    min_df: int = 2
    max_features: int = 300_000
    c_lr: float = 10.0
    c_nb: float = 1.0
    c_head: float = 3.0
    lex_scale: float = 0.5
    extra: dict[str, Any] = field(default_factory=dict)


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return [{k: (v or "") for k, v in row.items()} for row in csv.DictReader(f)]


def fit_sentiment(
    space: NgramSpace, occ: Occurrences, complaint: np.ndarray, recipe: Recipe
) -> SentimentWeights:
    """LR on TF-IDF plus NB-LR; both fitted with liblinear (deterministic)."""
    x = space.matrix(occ, merge=True)
    binary = (x > 0).astype(np.float64)
    pos = 1.0 + np.asarray(binary[complaint == 1].sum(axis=0)).ravel()
    neg = 1.0 + np.asarray(binary[complaint == 0].sum(axis=0)).ravel()
    ratio = np.log((pos / pos.sum()) / (neg / neg.sum())).astype(np.float32)
    lr = LogisticRegression(C=recipe.c_lr, solver="liblinear", max_iter=2000)
    lr.fit(x, complaint)
    nb_x = space.matrix(occ, scale=ratio, merge=True)
    nb = LogisticRegression(C=recipe.c_nb, solver="liblinear", max_iter=2000)
    nb.fit(nb_x, complaint)
    return SentimentWeights(
        w_lr=lr.coef_[0].astype(np.float32),
        b_lr=float(lr.intercept_[0]),
        ratio=ratio,
        w_nb=nb.coef_[0].astype(np.float32),
        b_nb=float(nb.intercept_[0]),
    )


def fit_head(
    x: sp.csr_matrix, lex: np.ndarray, y: Sequence[str], labels: Sequence[str], recipe: Recipe
) -> HeadWeights:
    """Class-weighted multinomial LR over [TF-IDF | scaled lexicon features]."""
    target = np.array([labels.index(v) for v in y])
    z = sp.hstack([x, sp.csr_matrix(lex * recipe.lex_scale)]).tocsr()
    model = LogisticRegression(C=recipe.c_head, class_weight="balanced", max_iter=3000)
    model.fit(z, target)
    coef = np.zeros((len(labels), z.shape[1]), dtype=np.float32)
    coef[model.classes_] = model.coef_
    bias = np.full(len(labels), -1e3, dtype=np.float32)  # a class absent from training never wins
    bias[model.classes_] = model.intercept_
    v = x.shape[1]
    return HeadWeights(
        labels=tuple(labels),
        w_text=np.ascontiguousarray(coef[:, :v].T),
        w_lex=np.ascontiguousarray(coef[:, v:].T),
        bias=bias,
        lex_scale=recipe.lex_scale,
    )


def lexicon_index(space: NgramSpace) -> LexiconIndex:
    return LexiconIndex(
        space, [(load_weighted("cause"), CAUSES), (load_weighted("severity"), SEVERITIES)]
    )


def lexicon_terms() -> list[str]:
    return [e.term for name in ("cause", "severity") for e in load_weighted(name)]


def fit_heads(
    space: NgramSpace,
    texts: Sequence[str],
    causes: Sequence[str],
    severities: Sequence[str],
    recipe: Recipe,
) -> dict[str, HeadWeights]:
    occ = space.occurrences([normalize(t) for t in texts])
    x = space.matrix(occ, merge=True)
    index = lexicon_index(space)
    lex = index.features(index.hits(occ), occ.lengths)
    return {
        "cause": fit_head(x, lex, causes, CAUSES, recipe),
        "severity": fit_head(x, lex, severities, SEVERITIES, recipe),
    }


def _sentiment_model(
    texts: Sequence[str], labels: np.ndarray, recipe: Recipe
) -> tuple[NgramSpace, SentimentWeights]:
    norms = [normalize(t) for t in texts]
    space = build_space(
        norms,
        n_max=recipe.n_max,
        min_df=recipe.min_df,
        max_features=recipe.max_features,
        extra_grams=lexicon_terms(),
    )
    occ = space.occurrences(norms)
    return space, fit_sentiment(space, occ, (labels == 0).astype(np.int64), recipe)


def evaluate_sentiment_holdout(
    texts: list[str], labels: np.ndarray, recipe: Recipe
) -> dict[str, Any]:
    tr, te = train_test_split(
        np.arange(len(texts)), test_size=recipe.holdout, stratify=labels, random_state=recipe.seed
    )
    space, sentiment = _sentiment_model([texts[i] for i in tr], labels[tr], recipe)
    clf = LinearNgramClassifier(ModelWeights(space, sentiment, _empty_heads(space), {}))
    p = clf.sentiment([texts[i] for i in te])
    pred = np.where(p >= 0.5, "0", "1")
    metrics = classification_metrics([str(v) for v in labels[te]], pred.tolist())
    metrics["rows"] = {"train": len(tr), "test": len(te)}
    return metrics


def _empty_heads(space: NgramSpace) -> dict[str, HeadWeights]:
    def head(labels: Sequence[str], width: int) -> HeadWeights:
        k = len(labels)
        return HeadWeights(
            tuple(labels),
            np.zeros((space.size, k), np.float32),
            np.zeros((width, k), np.float32),
            np.zeros(k, np.float32),
            0.0,
        )

    width = 2 * (len(CAUSES) + len(SEVERITIES))
    return {"cause": head(CAUSES, width), "severity": head(SEVERITIES, width)}


def cross_validate_heads(
    base: ModelWeights, rows: list[dict[str, str]], recipe: Recipe
) -> dict[str, Any]:
    """k-fold CV of cause and severity through the full classifier (incl. severity rules)."""
    texts = [r["review"] for r in rows]
    causes = [r["cause"] for r in rows]
    sevs = [r["severity"] for r in rows]
    pred_c = [""] * len(rows)
    pred_s = [""] * len(rows)
    folds = StratifiedKFold(recipe.folds, shuffle=True, random_state=recipe.seed)
    for train_idx, test_idx in folds.split(texts, causes):
        heads = fit_heads(
            base.space,
            [texts[i] for i in train_idx],
            [causes[i] for i in train_idx],
            [sevs[i] for i in train_idx],
            recipe,
        )
        clf = LinearNgramClassifier(ModelWeights(base.space, base.sentiment, heads, {}))
        for i, res in zip(test_idx, clf.classify_batch([texts[i] for i in test_idx]), strict=True):
            pred_c[i], pred_s[i] = res.cause, res.severity
    return {
        "cause": classification_metrics(causes, pred_c),
        "severity": classification_metrics(sevs, pred_s),
        "folds": recipe.folds,
    }


def train(
    data_dir: Path, recipe: Recipe | None = None, *, log: Any = print
) -> tuple[ModelWeights, dict[str, Any]]:
    """Returns the model fitted on all rows and the held-out / CV metrics reached."""
    recipe = recipe or Recipe()
    started = time.perf_counter()
    sent_rows = read_rows(data_dir / SENTIMENT_FILE)
    texts = [r["review"] for r in sent_rows]
    labels = np.array([int(r["label"]) for r in sent_rows])
    cause_rows = read_rows(data_dir / CAUSES_FILE)
    metrics: dict[str, Any] = {}
    log(f"sentiment: {len(texts)} rows, holding out {recipe.holdout:.0%} (seed {recipe.seed})")
    metrics["sentiment_holdout"] = evaluate_sentiment_holdout(texts, labels, recipe)
    log("final sentiment model on all rows")
    space, sentiment = _sentiment_model(texts, labels, recipe)
    base = ModelWeights(space, sentiment, _empty_heads(space), {})
    log(f"cause/severity: {recipe.folds}-fold CV on {len(cause_rows)} rows")
    metrics["cause_severity_cv"] = cross_validate_heads(base, cause_rows, recipe)
    heads = fit_heads(
        space,
        [r["review"] for r in cause_rows],
        [r["cause"] for r in cause_rows],
        [r["severity"] for r in cause_rows],
        recipe,
    )
    log(f"trained in {time.perf_counter() - started:.1f} s")
    recipe_doc = {
        "version": recipe.version,
        "model_name": LinearNgramClassifier.name,
        "data": {
            name: {"rows": len(rows_), "sha256": _sha256(data_dir / name)}
            for name, rows_ in ((SENTIMENT_FILE, sent_rows), (CAUSES_FILE, cause_rows))
        },
        "lexicons": LEXICON_VERSION,
        "settings": {k: v for k, v in recipe.__dict__.items() if k != "extra"} | recipe.extra,
        "metrics": metrics,
        "command": "reviewdesk triage train",
    }
    return ModelWeights(space, sentiment, heads, recipe_doc), metrics
