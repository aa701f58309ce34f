"""Good reviews that complain: the figures of docs/triage.md ("Hidden complaints").

For a model directory (default: the shipped one), every row of the hand-labelled sample
(`tests/triage/data/hidden_complaints_sample.csv`) and 5,000 other positive rows of
reviews_sentiment_dev.csv (seed 20240601, sample rows excluded) are classified as reviews rated
good (`TriageContext(result="good")`, category unknown). Prints per shift: how many of the issue's
6 negated/resolved cases are flagged and of its 6 hidden complaints missed (the cases of
tests/triage/test_hidden_complaints.py), precision/recall on the development and test halves of
the sample, and the share of the 5,000 positives flagged.

    .venv/bin/python benchmarks/hidden_complaints.py [--model-dir DIR] [--shifts -0.2,-0.1,0]

Without --shifts the model's own calibrated `good_shift` is used. The sample is kept out of
training (`training.KEPT_OUT`), so its figures, including the share of its 300 rows flagged, are
on unseen rows; the 5,000 positives are training rows of the sentiment head and read lower than
new reviews do (about half the flag rate: docs/triage.md).
"""

from __future__ import annotations

import argparse
import copy
import csv
import os
from pathlib import Path

import numpy as np

from reviewdesk.triage import weights
from reviewdesk.triage.classifiers.linear_ngram import DEFAULT_MODEL_DIR, LinearNgramClassifier
from reviewdesk.triage.types import TriageContext

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "tests" / "triage" / "data" / "hidden_complaints_sample.csv"
NEGATED = [  # no complaint: negated or resolved problems
    ("好评", "穿了一周了，没有起球"),
    ("不错", "洗了几次，没有起球也没有掉色"),
    ("一点都不扎脖子，客服很耐心，推荐购买", None),
    ("商家很负责，给退了差价，好评！", None),
    ("客服主动联系我给换了新的，态度很好，问题解决了", None),
    ("有点贵，但好吃，无坏果，物流等了6天，也没有坏，厉害了", None),
]
HIDDEN = [  # hidden complaints
    ("质量不错，就是有点掉毛", None),
    ("质量不错，就是物流太慢了", None),
    ("昨天刚收到，衣服不错，就是包装太掉价了", None),
    ("挺划算的，质量还不错！就是物流有点偏慢", None),
    ("很好看，满意", "用了一周就开线了"),
    ("好评", "质量不好，洗了一次就变形了"),
]


def _data_dir() -> Path:
    default = ROOT.parent / "shared" / "data"
    return Path(os.environ.get("REVIEWDESK_DATA_DIR", default))


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _flags(clf: LinearNgramClassifier, texts: list[str]) -> list[bool]:
    good = [TriageContext(result="good")] * len(texts)
    return [r.is_complaint for r in clf.classify_batch(texts, good, evidence="none")]


def _flagged(clf: LinearNgramClassifier, text: str, followup: str | None) -> bool:
    return clf.classify(text, TriageContext(result="good", followup=followup)).is_complaint


def report(clf: LinearNgramClassifier, sample: list[dict[str, str]], positives: list[str]) -> str:
    negated = sum(_flagged(clf, t, f) for t, f in NEGATED)
    missed = sum(not _flagged(clf, t, f) for t, f in HIDDEN)
    out = [f"shift {clf.good_shift:+.3f}: negated flagged {negated}/6, hidden missed {missed}/6"]
    every = 0
    for split in ("dev", "test"):
        rows = [r for r in sample if r["split"] == split]
        flags = _flags(clf, [r["review"] for r in rows])
        every += sum(flags)
        truth = [r["hidden_complaint"] == "1" for r in rows]
        hits = sum(f and t for f, t in zip(flags, truth, strict=True))
        precision = hits / max(sum(flags), 1)
        out.append(
            f"{split} {hits}/{sum(flags)} flagged: precision {precision:.3f},"
            f" recall {hits / sum(truth):.3f}"
        )
    out.append(f"flagged {every / len(sample):.2%} of the {len(sample)} sample rows (unseen)")
    if positives:
        rate = np.mean(_flags(clf, positives))
        out.append(f"flagged {rate:.2%} of {len(positives)} positives (training rows)")
    return " | ".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model-dir", type=Path, default=DEFAULT_MODEL_DIR)
    parser.add_argument("--shifts", default=None, help="comma-separated good-review shifts")
    args = parser.parse_args()
    clf = LinearNgramClassifier(weights.load(args.model_dir))
    sample = _read(SAMPLE)
    positives: list[str] = []
    data = _data_dir() / "reviews_sentiment_dev.csv"
    if data.is_file():
        rows = _read(data)
        used = {int(r["data_row"]) for r in sample}
        candidates = [i for i, r in enumerate(rows) if r["label"] == "1" and i not in used]
        pick = np.random.default_rng(20240601).choice(candidates, 5000, replace=False)
        positives = [rows[int(i)]["review"] for i in pick]
    shifts = [float(x) for x in args.shifts.split(",")] if args.shifts else [clf.good_shift]
    for shift in shifts:
        variant = copy.copy(clf)
        variant.good_shift = shift
        print(report(variant, sample, positives), flush=True)


if __name__ == "__main__":
    main()
