"""Metrics are exact on hand-checked examples."""

from __future__ import annotations

import pytest

from reviewdesk.triage.evaluation import classification_metrics


def test_perfect_predictions_score_one() -> None:
    m = classification_metrics(["0", "1", "1"], ["0", "1", "1"])
    assert m["accuracy"] == 1.0
    assert m["macro_f1"] == 1.0


def test_per_class_precision_recall_and_f1() -> None:
    truth = ["quality", "quality", "price", "price"]
    pred = ["quality", "price", "price", "price"]
    m = classification_metrics(truth, pred)
    assert m["accuracy"] == 0.75
    assert m["per_class"]["quality"] == {
        "precision": 1.0,
        "recall": 0.5,
        "f1": 0.6667,
        "support": 2,
    }
    assert m["per_class"]["price"] == {"precision": 0.6667, "recall": 1.0, "f1": 0.8, "support": 2}
    assert m["macro_f1"] == pytest.approx((0.6667 + 0.8) / 2, abs=1e-4)


def test_a_predicted_class_absent_from_truth_only_costs_precision() -> None:
    m = classification_metrics(["low", "low"], ["low", "high"])
    assert set(m["per_class"]) == {"low"}
    assert m["per_class"]["low"]["recall"] == 0.5


def test_lengths_must_match() -> None:
    with pytest.raises(ValueError, match="length"):
        classification_metrics(["a"], [])
