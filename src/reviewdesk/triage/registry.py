"""Explicit registry of classifiers: key -> dotted path, imported on first use (STYLE C9).

`get_classifier(name, shop_slug)` caches one instance per (name, shop). A shop with a delta file
(`<REVIEWDESK_TRIAGE_SHOP_MODELS_DIR>/<shop_slug>/<name>.delta.npz`) gets the default weights plus
its delta (see `weights.apply_delta`); other shops share the default instance.
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


def _shop_delta(name: str, shop_slug: str) -> Path | None:
    root = getattr(settings, "REVIEWDESK_TRIAGE_SHOP_MODELS_DIR", None)
    if not root:
        return None
    path = Path(root) / shop_slug / f"{name}.delta.npz"
    return path if path.is_file() else None


@lru_cache(maxsize=64)
def get_classifier(name: str = "default", shop_slug: str | None = None) -> Classifier:
    """The classifier registered as `name`, with the shop's delta applied when it has one.

    Raises UnknownClassifierError for a name not in CLASSIFIERS.
    """
    if name not in CLASSIFIERS:
        raise UnknownClassifierError(name)
    delta = _shop_delta(name, shop_slug) if shop_slug else None
    if delta is None:
        if shop_slug is not None:
            return get_classifier(name)
        return _import(CLASSIFIERS[name])()
    from reviewdesk.triage import weights
    from reviewdesk.triage.classifiers.linear_ngram import LinearNgramClassifier

    base = get_classifier(name)
    if not isinstance(base, LinearNgramClassifier):
        return base  # only the linear model takes shop deltas
    return LinearNgramClassifier(weights.apply_delta(base.model, delta))
