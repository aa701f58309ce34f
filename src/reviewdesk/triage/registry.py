"""Explicit registry of classifiers: key -> dotted path, imported on first use (STYLE C9).

`get_classifier(name, shop_slug)` caches one instance per (name, shop, delta file version). A shop
with a delta file (`<REVIEWDESK_TRIAGE_SHOP_MODELS_DIR>/<shop_slug>/linear_ngram.delta.npz`, written
by `reviewdesk triage train --shop SLUG`; the directory defaults to `VAR_DIR/triage`) gets the
default weights plus its delta (see `weights.apply_delta`); other shops share the default
instance. A retrained delta (a new modification time) is picked up on the next call, without a
restart.
"""

from __future__ import annotations

import importlib
from functools import lru_cache
from pathlib import Path
from typing import Final

from django.conf import settings

from reviewdesk.triage.protocol import Classifier

CLASSIFIERS: Final[dict[str, str]] = {
    "default": "reviewdesk.triage.classifiers.linear_ngram.LinearNgramClassifier",
    "linear_ngram": "reviewdesk.triage.classifiers.linear_ngram.LinearNgramClassifier",
    "lexicon": "reviewdesk.triage.classifiers.lexicon.LexiconClassifier",
}


class UnknownClassifierError(KeyError):
    pass


def _import(dotted: str) -> type[Classifier]:
    module, _, attr = dotted.rpartition(".")
    cls: type[Classifier] = getattr(importlib.import_module(module), attr)
    return cls


# Classifiers that take shop deltas, and the delta file's stem (the model's name).
_DELTA_NAMES: Final[dict[str, str]] = {"default": "linear_ngram", "linear_ngram": "linear_ngram"}


def shop_models_dir() -> Path:
    """Where shop deltas live: REVIEWDESK_TRIAGE_SHOP_MODELS_DIR, else VAR_DIR/triage."""
    root = getattr(settings, "REVIEWDESK_TRIAGE_SHOP_MODELS_DIR", None)
    return Path(root) if root else Path(settings.VAR_DIR) / "triage"


def shop_delta_path(name: str, shop_slug: str) -> Path | None:
    """The shop's delta file for classifier `name`, if it has one."""
    stem = _DELTA_NAMES.get(name)
    if stem is None:
        return None
    path = shop_models_dir() / shop_slug / f"{stem}.delta.npz"
    return path if path.is_file() else None


def get_classifier(name: str = "default", shop_slug: str | None = None) -> Classifier:
    """The classifier registered as `name`, with the shop's delta applied when it has one.

    Raises UnknownClassifierError for a name not in CLASSIFIERS.
    """
    if name not in CLASSIFIERS:
        raise UnknownClassifierError(name)
    delta = shop_delta_path(name, shop_slug) if shop_slug else None
    if delta is None:
        return _cached(name, None, 0)
    return _cached(name, str(delta), delta.stat().st_mtime_ns)


@lru_cache(maxsize=64)
def _cached(name: str, delta: str | None, _version: int) -> Classifier:
    if delta is None:
        return _import(CLASSIFIERS[name])()
    from reviewdesk.triage import weights
    from reviewdesk.triage.classifiers.linear_ngram import LinearNgramClassifier

    base = _cached(name, None, 0)
    if not isinstance(base, LinearNgramClassifier):
        return base  # only the linear model takes shop deltas
    return LinearNgramClassifier(weights.apply_delta(base.model, Path(delta)))


def cache_clear() -> None:
    _cached.cache_clear()
