"""Metrics: accuracy, macro-F1, per-class precision/recall/F1. Plain Python, exact and small."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


def classification_metrics(truth: Sequence[str], pred: Sequence[str]) -> dict[str, Any]:
    """Classes are those present in `truth`; a class only predicted costs precision only."""
    if len(truth) != len(pred):
        raise ValueError("truth and pred differ in length")
    classes = sorted(set(truth))
    per_class: dict[str, dict[str, float]] = {}
    for c in classes:
        tp = sum(1 for t, p in zip(truth, pred, strict=True) if t == c and p == c)
        fp = sum(1 for t, p in zip(truth, pred, strict=True) if t != c and p == c)
        fn = sum(1 for t, p in zip(truth, pred, strict=True) if t == c and p != c)
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        per_class[c] = {
            "precision": round(precision, 4),
            "recall": round(recall, 4),
            "f1": round(f1, 4),
            "support": tp + fn,
        }
    accuracy = sum(1 for t, p in zip(truth, pred, strict=True) if t == p) / max(len(truth), 1)
    macro = sum(v["f1"] for v in per_class.values()) / max(len(per_class), 1)
    return {"accuracy": round(accuracy, 4), "macro_f1": round(macro, 4), "per_class": per_class}


def predicted_label(result: Any) -> str:
    """The `label` column's convention: "1" positive, "0" negative (a complaint)."""
    return "0" if result.is_complaint else "1"
