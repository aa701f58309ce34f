"""`reviewdesk triage evaluate | classify | cross-validate` end to end on small files."""

from __future__ import annotations

import csv
import json
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

ROWS = [
    ("质量很好，物流也快，非常满意", "1", "other", "low"),
    ("收到就是坏的，开不了机，垃圾", "0", "quality", "medium"),
    ("假货，根本不是正品，我要投诉", "0", "fake_goods", "high"),
    ("尺码偏大，大了一码", "0", "size_fit", "low"),
]


def _csv(path: Path, columns: list[str]) -> Path:
    keys = ["review", "label", "cause", "severity"]
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(columns)
        for row in ROWS:
            w.writerow([row[keys.index(c)] for c in columns])
    return path


def _run(*args: str) -> str:
    out = StringIO()
    call_command("triage", *args, stdout=out)
    return out.getvalue()


def test_evaluate_json_has_keys_only_for_present_label_columns(tmp_path: Path) -> None:
    path = _csv(tmp_path / "eval.csv", ["review", "label", "severity"])
    report = json.loads(_run("evaluate", str(path), "--json"))
    assert set(report) == {"label", "severity", "reviews_per_s"}
    assert set(report["label"]) == {"accuracy", "macro_f1", "per_class", "is_complaint"}
    assert set(report["label"]["is_complaint"]) == {"accuracy", "macro_f1", "per_class"}
    assert set(report["label"]["per_class"]) == {"0", "1"}
    assert set(report["label"]["per_class"]["0"]) >= {"precision", "recall", "f1"}
    assert report["reviews_per_s"] > 0


def test_evaluate_all_columns_in_text_form(tmp_path: Path) -> None:
    path = _csv(tmp_path / "eval.csv", ["review", "label", "cause", "severity"])
    text = _run("evaluate", str(path))
    assert "label: accuracy" in text
    assert "cause: accuracy" in text
    assert "severity: accuracy" in text
    assert "reviews/s" in text


def test_evaluate_without_review_column_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("text,label\n好,1\n", "utf-8")
    with pytest.raises(CommandError, match="review"):
        _run("evaluate", str(path))


def test_classify_prints_the_result_json() -> None:
    data = json.loads(_run("classify", "再不处理我就打12315投诉"))
    assert data["risk_flags"] == ["complaint_threat"]
    assert data["severity"] == "high"
    assert data["model_name"] == "linear_ngram"


@pytest.mark.slow
@pytest.mark.skipif(
    not (Path(settings.REVIEWDESK_DATA_DIR) / "causes_dev.csv").is_file(),
    reason="needs the shared data folder",
)
def test_evaluate_runs_on_the_shared_causes_file() -> None:
    path = Path(settings.REVIEWDESK_DATA_DIR) / "causes_dev.csv"
    report = json.loads(_run("evaluate", str(path), "--json"))
    assert set(report) == {"cause", "severity", "reviews_per_s"}


def test_label_is_scored_as_whole_review_polarity(tmp_path: Path) -> None:
    path = tmp_path / "hidden.csv"
    path.write_text("review,label\n质量很好，就是物流太慢了,1\n垃圾，千万别买,0\n", "utf-8")
    report = json.loads(_run("evaluate", str(path), "--json"))
    assert report["label"]["accuracy"] == 1.0  # the sentiment head agrees with the labels
    assert report["label"]["is_complaint"]["accuracy"] == 0.5  # the product flags the first


def test_evaluate_passes_the_cat_column_as_context_unless_told_not_to(tmp_path: Path) -> None:
    path = tmp_path / "cat.csv"
    path.write_text("cat,review,cause\n衣服,太小了，和想的不一样,size_fit\n", "utf-8")
    assert "category: from the file's cat column" in _run("evaluate", str(path))
    assert "category: estimated from the text" in _run("evaluate", str(path), "--no-category")
    given = json.loads(_run("evaluate", str(path), "--json"))
    assert set(given) == {"cause", "reviews_per_s"}  # the JSON shape of the issue, unchanged
    assert given["cause"]["accuracy"] == 1.0


def test_classify_takes_a_category() -> None:
    data = json.loads(_run("classify", "太小了，和想的不一样", "--category", "衣服"))
    assert data["cause"] == "size_fit"


def test_label_scoring_reads_the_cat_column_unless_told_not_to(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reviewdesk.triage.classifiers.linear_ngram import LinearNgramClassifier

    seen: list[object] = []
    original = LinearNgramClassifier.sentiment

    def spy(
        self: LinearNgramClassifier, texts: list[str], categories: list[str] | None = None
    ) -> object:
        seen.append(categories)
        return original(self, texts, categories)

    monkeypatch.setattr(LinearNgramClassifier, "sentiment", spy)
    path = tmp_path / "label.csv"
    path.write_text("cat,review,label\n衣服,太小了，穿不上,0\n水果,很甜很好吃,1\n", "utf-8")
    _run("evaluate", str(path), "--json")
    _run("evaluate", str(path), "--json", "--no-category")
    assert seen == [["衣服", "水果"], None]


def _sentiment_dir(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    data.mkdir()
    good = [
        "很好很满意",
        "质量不错，推荐",
        "非常喜欢",
        "好评，物流快",
        "挺好的，会回购",
        "不错不错",
    ]
    bad = ["太差了，退货", "质量很差", "收到是坏的", "客服不理人", "物流太慢了", "假货，差评"]
    with (data / "reviews_sentiment_dev.csv").open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["cat", "label", "review"])
        for i, cat in enumerate(["衣服", "水果", "衣服"]):
            w.writerows([cat, "1", f"{t}{i}"] for t in good)
            w.writerows([cat, "0", f"{t}{i}"] for t in bad)
    (data / "kept.csv").write_text("sha1,why\n", encoding="utf-8")
    return data


def test_cross_validate_prints_pooled_figures(tmp_path: Path) -> None:
    data = _sentiment_dir(tmp_path)
    args = ["cross-validate", "--data-dir", str(data), "--kept-out", str(data / "kept.csv")]
    out = _run(*args, "--folds", "3", "--sent-learner", "lr")
    assert "3-fold CV on 36 rows (lr" in out
    assert "category given: accuracy" in out
    assert "category estimated: accuracy" in out
    metrics = json.loads(_run(*args, "--folds", "3", "--json"))
    assert metrics["folds"] == 3
    assert metrics["rows"]["test"] == 36
    assert len(metrics["per_fold_accuracy"]) == 3


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--folds", "1"], "--folds must be at least 2, got 1"),
        (["--jobs", "0"], "--jobs must be at least 1, got 0"),
    ],
)
def test_cross_validate_refuses_bad_parameters(
    tmp_path: Path, extra: list[str], message: str
) -> None:
    data = _sentiment_dir(tmp_path)
    with pytest.raises(CommandError, match=message):
        _run("cross-validate", "--data-dir", str(data), *extra)


def test_cross_validate_names_a_kept_out_row_missing_from_the_data(tmp_path: Path) -> None:
    data = _sentiment_dir(tmp_path)
    (data / "kept.csv").write_text(f"sha1,why\n{'0' * 40},sample\n", encoding="utf-8")
    with pytest.raises(CommandError, match=r"kept\.csv line 2: no review"):
        _run("cross-validate", "--data-dir", str(data), "--kept-out", str(data / "kept.csv"))


def test_cross_validate_without_the_sentiment_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match=r"reviews_sentiment_dev\.csv not found"):
        _run("cross-validate", "--data-dir", str(tmp_path))


def test_cross_validate_names_a_bad_label(tmp_path: Path) -> None:
    data = _sentiment_dir(tmp_path)
    path = data / "reviews_sentiment_dev.csv"
    path.write_text(path.read_text(encoding="utf-8") + "衣服,好,还行吧\n", encoding="utf-8")
    with pytest.raises(CommandError, match=r"line 38: label must be 0 or 1, got '好'"):
        _run("cross-validate", "--data-dir", str(data), "--kept-out", str(data / "kept.csv"))


def test_cross_validate_without_a_cat_column(tmp_path: Path) -> None:
    data = _sentiment_dir(tmp_path)
    path = data / "reviews_sentiment_dev.csv"
    with path.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["label", "review"])
        w.writerows([r["label"], r["review"]] for r in rows)
    out = _run(
        "cross-validate",
        "--data-dir",
        str(data),
        "--kept-out",
        str(data / "kept.csv"),
        "--folds",
        "3",
    )
    assert "no category column: accuracy" in out
    assert "category estimated" not in out
