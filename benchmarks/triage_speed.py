"""Triage speed: batch reviews/s on one core and single-review latency (p50/p99).

Uses real review texts from the shared data folder when present (REVIEWDESK_DATA_DIR or
../shared/data), otherwise a fixed set of synthetic texts. Run pinned to one core:
    taskset -c 0 .venv/bin/python benchmarks/triage_speed.py [--reference]

Machines differ about 2x in this workload, so `--reference` also times, in the same run and on
the same texts, the data README's reference pipeline (char 1-3-gram TF-IDF + logistic
regression, sentiment only: ~17,000 reviews/s on the project's machine), fitted on the rows after
the benchmark texts, and prints our batch throughput as a multiple of it.
"""

from __future__ import annotations

import argparse
import csv
import os
import statistics
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("MKL_NUM_THREADS", "1")

from reviewdesk.triage import weights
from reviewdesk.triage.classifiers.linear_ngram import DEFAULT_MODEL_DIR, LinearNgramClassifier

FALLBACK = [
    "质量很好，就是物流太慢了",
    "收到就是坏的，根本开不了机，垃圾商家",
    "尺码偏大，平时穿L，这个大了一码，面料还可以",
    "苹果烂了一半，一股怪味，太失望了，再也不买了",
    "不给我退50块我就一直差评",
]


def _data_dir() -> Path:
    default = Path(__file__).resolve().parents[2] / "shared" / "data"
    return Path(os.environ.get("REVIEWDESK_DATA_DIR", default))


def _texts(limit: int) -> list[str]:
    path = _data_dir() / "reviews_sentiment_dev.csv"
    if path.is_file():
        with path.open(encoding="utf-8", newline="") as f:
            return [row["review"] for row, _ in zip(csv.DictReader(f), range(limit), strict=False)]
    return (FALLBACK * (limit // len(FALLBACK) + 1))[:limit]


def _reference_reviews_per_s(texts: list[str], batch: int) -> float | None:
    """Batch throughput of the README's TF-IDF + LR reference (best of 3), or None without data."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    path = _data_dir() / "reviews_sentiment_dev.csv"
    if not path.is_file():
        return None
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))[len(texts) :]
    vec = TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True, min_df=2)
    x = vec.fit_transform([r["review"] for r in rows])
    model = LogisticRegression(C=4, max_iter=1000).fit(x, [int(r["label"]) for r in rows])
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        for i in range(0, len(texts), batch):
            model.predict(vec.transform(texts[i : i + batch]))
        best = min(best, time.perf_counter() - started)
    return len(texts) / best


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--batch", type=int, default=1000)
    parser.add_argument("--single", type=int, default=2000)
    parser.add_argument("--model-dir", type=Path, default=DEFAULT_MODEL_DIR)
    parser.add_argument(
        "--evidence",
        choices=["all", "complaints", "none"],
        default="complaints",
        help="batch evidence mode (single reviews always get full evidence)",
    )
    parser.add_argument(
        "--reference",
        action="store_true",
        help="also time the data README's TF-IDF + LR reference pipeline in this run",
    )
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    started = time.perf_counter()
    clf = LinearNgramClassifier(weights.load(args.model_dir))
    load_s = time.perf_counter() - started
    texts = _texts(args.rows)
    clf.classify_batch(texts[:200])  # warm-up
    started = time.perf_counter()
    complaints = 0
    for i in range(0, len(texts), args.batch):
        results = clf.classify_batch(texts[i : i + args.batch], evidence=args.evidence)
        complaints += sum(r.is_complaint for r in results)
    batch_s = time.perf_counter() - started
    started = time.perf_counter()
    clf.classify("好评")  # the first short text builds the single-review path's lookup dictionary
    first_s = time.perf_counter() - started
    # single reviews: the first texts (the file starts with long book reviews), and every
    # `rows / single`-th text (all categories, the data's length mix)
    step = max(len(texts) // args.single, 1)
    singles = {"first": texts[: args.single], "spread": texts[::step][: args.single]}
    latencies: dict[str, list[float]] = {}
    for name, sample in singles.items():
        latencies[name] = []
        for text in sample:
            t0 = time.perf_counter()
            clf.classify(text)
            latencies[name].append((time.perf_counter() - t0) * 1000)
    mean_chars = sum(map(len, texts)) / len(texts)
    print(f"texts: {len(texts)} (mean {mean_chars:.0f} chars), model load {load_s:.2f} s")
    print(
        f"batch ({args.batch}/call, one core, evidence={args.evidence}, "
        f"{complaints / len(texts):.0%} complaints): {len(texts) / batch_s:,.0f} reviews/s"
    )
    print(f"first single call (builds the lookup dictionary): {first_s * 1000:.0f} ms")
    for name, sample in singles.items():
        q = statistics.quantiles(latencies[name], n=100)
        chars = sum(map(len, sample)) / len(sample)
        print(
            f"single review, {len(sample)} {name} texts (mean {chars:.0f} chars): "
            f"p50 {q[49]:.3f} ms, p90 {q[89]:.3f} ms, p99 {q[98]:.3f} ms"
        )
    if args.reference:
        reference = _reference_reviews_per_s(texts, args.batch)
        if reference is None:
            print("reference: no data file")
        else:
            print(
                f"reference (char 1-3 TF-IDF + LR, sentiment only): {reference:,.0f} reviews/s; "
                f"triage = {len(texts) / batch_s / reference:.2f} x reference "
                "(README: ~17,000 reviews/s on the project's machine)"
            )


if __name__ == "__main__":
    main()
