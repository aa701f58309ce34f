"""A shop's model from its agents' corrections: a delta over the default weights.

`reviewdesk triage train --shop SLUG` reads the shop's `TriageLabel`s (latest per review) and fits,
for the cause and severity heads, a change of the text weights and biases *on top of* the default
model: the default head's logits are an offset, and the delta minimises the cross-entropy of
base + delta on the labels plus an L2 penalty on the delta (`L2`), so with few labels the shop
model stays close to the default and with many it follows the shop's own usage (a shop whose
agents file "掉毛" under quality rather than dislike_style). Only grams that occur in the labelled
texts get a delta. Written as `<dir>/<slug>/linear_ngram.delta.npz` (`weights.apply_delta`) plus
a `.json` with the metrics; the registry picks the file up for that shop.

Metrics are honest: k-fold cross-validation over the labels, each fold's delta fitted on the other
folds, compared with the default model on the same rows (through the full classifier, including
the guideline's severity rules).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import numpy as np
import scipy.sparse as sp
from scipy.optimize import minimize
from sklearn.model_selection import KFold, StratifiedKFold

from reviewdesk.triage import weights as weights_io
from reviewdesk.triage.classifiers.linear_ngram import LinearNgramClassifier
from reviewdesk.triage.evaluation import classification_metrics

MIN_LABELS: Final = 20
MAX_FOLDS: Final = 5
L2: Final = (
    1.0  # penalty on the delta; with ~20-200 labels it keeps the shop model near the default
)
HEADS: Final = ("cause", "severity")
DELTA_FILE: Final = "linear_ngram.delta.npz"


class NotEnoughLabelsError(ValueError):
    """Too few labels, or too few distinct classes, to train or to measure a shop model."""


@dataclass(frozen=True)
class ShopDelta:
    arrays: dict[str, np.ndarray]  # the delta .npz contents
    heads: tuple[str, ...]  # heads that got a delta (those with >= 2 classes in the labels)


def check_labels(causes: Sequence[str], severities: Sequence[str], min_labels: int) -> list[str]:
    """Heads that can be trained; raises NotEnoughLabelsError with the reason otherwise."""
    if len(causes) < min_labels:
        raise NotEnoughLabelsError(
            f"{len(causes)} labels; at least {min_labels} are needed to train a shop model"
        )
    heads = [h for h, ys in (("cause", causes), ("severity", severities)) if len(set(ys)) >= 2]
    if not heads:
        raise NotEnoughLabelsError(
            "every label has the same cause and the same severity: at least 2 classes are needed"
        )
    return heads


def fit_delta(
    base: LinearNgramClassifier,
    texts: Sequence[str],
    targets: dict[str, Sequence[str]],
    *,
    version: str,
    l2: float = L2,
) -> ShopDelta:
    """Delta arrays for the heads in `targets` (head -> label per text)."""
    scores = base.score(list(texts), contrast=False)
    occ = scores.occ
    n, size = occ.n_docs, base.model.space.size
    x = sp.csr_matrix((scores.data, occ.fid, occ.indptr()), shape=(n, size))
    x.sum_duplicates()
    rows = np.unique(x.indices).astype(np.int32)
    xs = x[:, rows].tocsr()
    arrays: dict[str, np.ndarray] = {"version": np.array(version)}
    for head, ys in targets.items():
        labels = base.model.heads[head].labels
        y = np.array([labels.index(v) for v in ys])
        offset = np.log(np.clip(scores.heads[head], 1e-12, None))
        w, b = _fit_offset_softmax(xs, y, offset, len(labels), l2)
        arrays[f"{head}.rows"] = rows
        arrays[f"{head}.w_rows"] = w.astype(np.float32)
        arrays[f"{head}.bias"] = b.astype(np.float32)
    return ShopDelta(arrays=arrays, heads=tuple(targets))


def _fit_offset_softmax(
    x: sp.csr_matrix, y: np.ndarray, offset: np.ndarray, k: int, l2: float
) -> tuple[np.ndarray, np.ndarray]:
    """argmin over (W, b) of mean CE(softmax(offset + xW + b), y) + l2/2n * |W|^2 (L-BFGS)."""
    n, d = x.shape
    onehot = np.zeros((n, k))
    onehot[np.arange(n), y] = 1.0

    def loss(theta: np.ndarray) -> tuple[float, np.ndarray]:
        w = theta[: d * k].reshape(d, k)
        b = theta[d * k :]
        z = offset + x @ w + b
        z -= z.max(axis=1, keepdims=True)
        p = np.exp(z)
        p /= p.sum(axis=1, keepdims=True)
        ce = -np.sum(onehot * np.log(np.clip(p, 1e-12, None))) / n
        g = (p - onehot) / n
        gw = np.asarray(x.T @ g) + (l2 / n) * w
        value = ce + 0.5 * (l2 / n) * float(np.sum(w * w))
        return value, np.concatenate([gw.ravel(), g.sum(axis=0)])

    result = minimize(loss, np.zeros(d * k + k), jac=True, method="L-BFGS-B")
    theta = result.x
    return theta[: d * k].reshape(d, k), theta[d * k :]


def with_delta(base: LinearNgramClassifier, delta: ShopDelta, tmp: Path) -> LinearNgramClassifier:
    path = tmp / DELTA_FILE
    weights_io.savez(path, **delta.arrays)
    return LinearNgramClassifier(weights_io.apply_delta(base.model, path))


def cross_validate(
    base: LinearNgramClassifier,
    *,
    texts: Sequence[str],
    causes: Sequence[str],
    severities: Sequence[str],
    heads: Sequence[str],
    tmp: Path,
    l2: float = L2,
) -> dict[str, Any]:
    """Before (the default model) and after (default + a delta fitted on the other folds)."""
    n = len(texts)
    strat = causes if "cause" in heads else severities
    smallest = min(Counter(strat).values())
    folds = min(MAX_FOLDS, n // 2)
    splitter: StratifiedKFold | KFold
    if smallest >= 2:
        splitter = StratifiedKFold(min(folds, smallest), shuffle=True, random_state=0)
    else:
        splitter = KFold(folds, shuffle=True, random_state=0)
    before = base.classify_batch(list(texts), evidence="none")
    pred = {h: [""] * n for h in HEADS}
    truth: dict[str, list[str]] = {"cause": list(causes), "severity": list(severities)}
    for train_idx, test_idx in splitter.split(np.zeros(n), strat):
        targets: dict[str, Sequence[str]] = {
            h: [truth[h][i] for i in train_idx]
            for h in heads
            if len({truth[h][i] for i in train_idx}) >= 2
        }
        if targets:
            clf = with_delta(
                base,
                fit_delta(base, [texts[i] for i in train_idx], targets, version="cv", l2=l2),
                tmp,
            )
        else:
            clf = base
        results = clf.classify_batch([texts[i] for i in test_idx], evidence="none")
        for i, res in zip(test_idx.tolist(), results, strict=True):
            pred["cause"][i], pred["severity"][i] = res.cause, res.severity
    out: dict[str, Any] = {"labels": n, "folds": splitter.get_n_splits(), "heads": list(heads)}
    for h in HEADS:
        out[h] = {
            "before": _summary(classification_metrics(truth[h], [getattr(r, h) for r in before])),
            "after": _summary(classification_metrics(truth[h], pred[h])),
        }
    return out


def _summary(m: dict[str, Any]) -> dict[str, float]:
    return {"accuracy": m["accuracy"], "macro_f1": m["macro_f1"]}


def train_shop(
    base: LinearNgramClassifier,
    *,
    shop_slug: str,
    texts: Sequence[str],
    causes: Sequence[str],
    severities: Sequence[str],
    out_dir: Path,
    min_labels: int = MIN_LABELS,
) -> dict[str, Any]:
    """Cross-validate, fit on all labels, write the delta and its metrics; returns the metrics."""
    heads = check_labels(causes, severities, min_labels)
    shop_dir = out_dir / shop_slug
    shop_dir.mkdir(parents=True, exist_ok=True)
    tmp = shop_dir / ".cv"
    tmp.mkdir(exist_ok=True)
    try:
        metrics = cross_validate(
            base, texts=texts, causes=causes, severities=severities, heads=heads, tmp=tmp
        )
    finally:
        for f in tmp.iterdir():
            f.unlink()
        tmp.rmdir()
    truth: dict[str, Sequence[str]] = {"cause": causes, "severity": severities}
    version = f"{shop_slug}.{len(texts)}"
    delta = fit_delta(base, texts, {h: truth[h] for h in heads}, version=version)
    path = shop_dir / DELTA_FILE
    weights_io.savez(path, **delta.arrays)
    metrics["version"] = f"{base.version}+{version}"
    metrics["path"] = str(path)
    (shop_dir / "linear_ngram.delta.json").write_text(
        json.dumps(metrics, ensure_ascii=False, indent=2, sort_keys=True) + "\n", "utf-8"
    )
    return metrics
