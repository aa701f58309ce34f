"""Model arrays and their .npz files (never pickle: `np.load(..., allow_pickle=False)`).

A model directory holds `space.npz` (vocabulary + IDF), one .npz per head and `recipe.json`.
Text weights of the cause and severity heads are stored sparse (only grams seen in the labelled
rows have non-zero weight) and in float16, which keeps the committed files small.

A shop model (later: retrained from agent corrections) is a delta over the default one: an .npz
with the same head names whose arrays are added to the base (`apply_delta`), so a shop keeps
getting improvements of the default model and its corrections stay small and auditable.
"""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

from reviewdesk.triage.features import NgramSpace

HEADS = ("cause", "severity")


@dataclass
class SentimentWeights:
    """Two linear views of the same TF-IDF features, averaged in logit space.

    `lr`: logistic regression on TF-IDF. `nb`: NB-LR, logistic regression on TF-IDF scaled by the
    naive-Bayes log-count ratio `ratio` and re-normalised (Wang & Manning 2012).
    Target 1 = complaint.

    Category-aware (optional): every gram is also counted once more, scaled by `alpha`, as a copy
    for the review's product category, so a gram may lean differently per category ("小" for
    clothes and for fruit). `cat_*` hold the category copies' weights and NB ratios,
    (len(categories), V), dense in memory; a review of unknown category uses the shared weights
    alone. A model without them (`categories == ()`) is the plain LR + NB-LR.
    """

    w_lr: np.ndarray
    b_lr: float
    ratio: np.ndarray
    w_nb: np.ndarray
    b_nb: float
    categories: tuple[str, ...] = ()
    alpha: float = 0.0
    cat_w_lr: np.ndarray | None = None  # (C, V)
    cat_ratio: np.ndarray | None = None  # (C, V)
    cat_w_nb: np.ndarray | None = None  # (C, V)
    # A review of unknown category is scored with the row of the category head's estimate when
    # its probability is >= this; None: with the shared weights alone.
    estimate_threshold: float | None = None
    # The good-review shift (`hidden_complaints`), calibrated at training time; None: the
    # module's default GOOD_PRIOR_SHIFT.
    good_shift: float | None = None


@dataclass
class HeadWeights:
    """Multinomial linear head over [TF-IDF | lexicon features * lex_scale]."""

    labels: tuple[str, ...]
    w_text: np.ndarray  # (V, K) float32, dense in memory
    w_lex: np.ndarray  # (2 * n_lexicon_labels_total, K)
    bias: np.ndarray  # (K,)
    lex_scale: float
    # (n_categories, K): added to the logits times the category vector (one-hot of a known
    # category, else the category head's probabilities); None for a model without it.
    w_cat: np.ndarray | None = None


@dataclass
class CategoryWeights:
    """Multinomial LR over the TF-IDF that estimates the product category of a review."""

    labels: tuple[str, ...]
    w_text: np.ndarray  # (V, C) float32
    bias: np.ndarray  # (C,)


@dataclass
class ModelWeights:
    space: NgramSpace
    sentiment: SentimentWeights
    heads: dict[str, HeadWeights]
    recipe: dict[str, Any]
    category: CategoryWeights | None = None


def savez(path: Path, **arrays: Any) -> None:
    """`np.savez_compressed` with fixed zip timestamps, so the same arrays give the same bytes."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name in sorted(arrays):
            info = zipfile.ZipInfo(f"{name}.npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            buffer = io.BytesIO()
            np.lib.format.write_array(buffer, np.asanyarray(arrays[name]), allow_pickle=False)
            zf.writestr(info, buffer.getvalue())


def save(model: ModelWeights, directory: Path) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    savez(
        directory / "space.npz",
        vocab=model.space.vocab,
        idf=model.space.idf.astype(np.float16),
        n_max=np.int32(model.space.n_max),
    )
    s = model.sentiment
    savez(
        directory / "sentiment.npz",
        w_lr=s.w_lr.astype(np.float16),
        b_lr=np.float32(s.b_lr),
        ratio=s.ratio.astype(np.float16),
        w_nb=s.w_nb.astype(np.float16),
        b_nb=np.float32(s.b_nb),
        **_sentiment_categories(s),
        **({} if s.good_shift is None else {"good_shift": np.float64(s.good_shift)}),
    )
    for name, head in model.heads.items():
        rows = _nonzero_rows(head.w_text)
        extra = {} if head.w_cat is None else {"w_cat": head.w_cat.astype(np.float32)}
        savez(
            directory / f"{name}.npz",
            labels=np.array(head.labels),
            rows=rows,
            w_rows=head.w_text[rows].astype(np.float16),
            w_lex=head.w_lex.astype(np.float32),
            bias=head.bias.astype(np.float32),
            lex_scale=np.float32(head.lex_scale),
            **extra,
        )
    if model.category is not None:
        cat = model.category
        rows = _nonzero_rows(cat.w_text)
        savez(
            directory / "category.npz",
            labels=np.array(cat.labels),
            rows=rows,
            w_rows=cat.w_text[rows].astype(np.float16),
            bias=cat.bias.astype(np.float32),
        )
    (directory / "recipe.json").write_text(
        json.dumps(model.recipe, ensure_ascii=False, indent=2, sort_keys=True) + "\n", "utf-8"
    )


def _sentiment_categories(s: SentimentWeights) -> dict[str, Any]:
    """The category copies, sparse: only grams seen in a category's training rows have weights.

    `cat_seen` is the (C, V) mask of those grams, bit-packed (`np.packbits` of the flat mask);
    `cat_w_lr`/`cat_w_nb`/`cat_ratio` (float16) the values there, in flat order. Elsewhere the
    weights are 0 and the ratio is the category's `cat_ratio_default` (the NB ratio of a gram
    never seen, which still counts in the norm).
    """
    if not s.categories or s.cat_w_lr is None or s.cat_w_nb is None or s.cat_ratio is None:
        return {}
    seen = (s.cat_w_lr != 0) | (s.cat_w_nb != 0)
    index = np.flatnonzero(seen.ravel())
    default = np.array(
        [np.median(r[~m]) if (~m).any() else 0.0 for r, m in zip(s.cat_ratio, seen, strict=True)],
        dtype=np.float32,
    )
    return {
        "categories": np.array(s.categories),
        "alpha": np.float32(s.alpha),
        "cat_seen": np.packbits(seen.ravel()),
        "cat_w_lr": s.cat_w_lr.ravel()[index].astype(np.float16),
        "cat_w_nb": s.cat_w_nb.ravel()[index].astype(np.float16),
        "cat_ratio": s.cat_ratio.ravel()[index].astype(np.float16),
        "cat_ratio_default": default,
        **(
            {}
            if s.estimate_threshold is None
            else {"estimate_threshold": np.float32(s.estimate_threshold)}
        ),
    }


def _load_sentiment(se: dict[str, np.ndarray], size: int) -> SentimentWeights:
    out = SentimentWeights(
        w_lr=se["w_lr"].astype(np.float32),
        b_lr=float(se["b_lr"]),
        ratio=se["ratio"].astype(np.float32),
        w_nb=se["w_nb"].astype(np.float32),
        b_nb=float(se["b_nb"]),
        good_shift=float(se["good_shift"]) if "good_shift" in se else None,
    )
    if "categories" not in se:  # the layout before category-aware sentiment
        return out
    categories = tuple(str(x) for x in se["categories"].tolist())
    shape = (len(categories), size)
    seen = np.unpackbits(se["cat_seen"], count=shape[0] * shape[1]).astype(bool)
    index = np.flatnonzero(seen)

    def dense(values: np.ndarray, fill: np.ndarray | None = None) -> np.ndarray:
        w = np.zeros(shape, np.float32)
        if fill is not None:
            w[:] = fill[:, None]
        w.ravel()[index] = values.astype(np.float32)
        return w

    return replace(
        out,
        categories=categories,
        alpha=float(se["alpha"]),
        cat_w_lr=dense(se["cat_w_lr"]),
        cat_w_nb=dense(se["cat_w_nb"]),
        cat_ratio=dense(se["cat_ratio"], se["cat_ratio_default"].astype(np.float32)),
        estimate_threshold=(
            float(se["estimate_threshold"]) if "estimate_threshold" in se else None
        ),
    )


def _nonzero_rows(w: np.ndarray, eps: float = 1e-6) -> np.ndarray:
    return np.flatnonzero(np.abs(w).max(axis=1) > eps).astype(np.int32)


def _dense_rows(size: int, rows: np.ndarray, w_rows: np.ndarray) -> np.ndarray:
    w = np.zeros((size, w_rows.shape[1]), dtype=np.float32)
    w[rows] = w_rows.astype(np.float32)
    return w


def _npz(path: Path) -> dict[str, np.ndarray]:
    with np.load(path, allow_pickle=False) as data:
        return {k: data[k] for k in data.files}


def load(directory: Path) -> ModelWeights:
    sp_ = _npz(directory / "space.npz")
    space = NgramSpace(
        vocab=sp_["vocab"], idf=sp_["idf"].astype(np.float32), n_max=int(sp_["n_max"])
    )
    sentiment = _load_sentiment(_npz(directory / "sentiment.npz"), space.size)
    heads = {}
    for name in HEADS:
        h = _npz(directory / f"{name}.npz")
        heads[name] = HeadWeights(
            labels=tuple(str(x) for x in h["labels"].tolist()),
            w_text=_dense_rows(space.size, h["rows"], h["w_rows"]),
            w_lex=h["w_lex"],
            bias=h["bias"],
            lex_scale=float(h["lex_scale"]),
            w_cat=h.get("w_cat"),
        )
    category = None
    if (directory / "category.npz").exists():
        c = _npz(directory / "category.npz")
        category = CategoryWeights(
            labels=tuple(str(x) for x in c["labels"].tolist()),
            w_text=_dense_rows(space.size, c["rows"], c["w_rows"]),
            bias=c["bias"],
        )
    recipe = json.loads((directory / "recipe.json").read_text("utf-8"))
    return ModelWeights(
        space=space, sentiment=sentiment, heads=heads, recipe=recipe, category=category
    )


def apply_delta(base: ModelWeights, delta_path: Path) -> ModelWeights:
    """Base weights plus a shop's delta file; the base object is left untouched.

    Delta keys: `<head>.rows` (int32 feature ids), `<head>.w_rows` (added to those rows),
    `<head>.bias` (added), for head in cause/severity; `sentiment.rows` and `sentiment.w_lr`
    likewise. `version` (a 0-d string) names the shop model.
    """
    d = _npz(delta_path)
    heads = dict(base.heads)
    for name, head in base.heads.items():
        if f"{name}.rows" not in d:
            continue
        w_text = head.w_text.copy()
        w_text[d[f"{name}.rows"]] += d[f"{name}.w_rows"].astype(np.float32)
        bias = head.bias + d.get(f"{name}.bias", np.zeros_like(head.bias))
        heads[name] = replace(head, w_text=w_text, bias=bias)
    sentiment = base.sentiment
    if "sentiment.rows" in d:
        w_lr = sentiment.w_lr.copy()
        w_lr[d["sentiment.rows"]] += d["sentiment.w_lr"].astype(np.float32)
        sentiment = replace(sentiment, w_lr=w_lr)
    recipe = dict(base.recipe)
    recipe["version"] = f"{base.recipe.get('version', '')}+{d['version'].item()}"
    return ModelWeights(
        space=base.space, sentiment=sentiment, heads=heads, recipe=recipe, category=base.category
    )
