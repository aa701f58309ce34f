"""`reviewdesk triage train | cross-validate | evaluate FILE.csv | classify TEXT`: adapters over
triage code."""

from __future__ import annotations

import json
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from reviewdesk.triage.evaluation import classification_metrics, predicted_label
from reviewdesk.triage.protocol import Classifier
from reviewdesk.triage.types import TriageContext

_LABEL_COLUMNS = ("label", "cause", "severity")


class Command(BaseCommand):
    help = "Train, evaluate or run the review triage classifiers."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        train = sub.add_parser("train", help="train from the labelled data, print the metrics")
        train.add_argument("--data-dir", type=Path, default=None)
        train.add_argument("--out", type=Path, default=None, help="model directory to write")
        train.add_argument(
            "--shop",
            default=None,
            help="retrain this shop's model (slug) from its agents' corrections, over the default",
        )
        train.add_argument(
            "--min-labels", type=int, default=None, help="with --shop: labels needed (default 20)"
        )
        train.add_argument(
            "--no-team-labels",
            action="store_true",
            help="cause/severity from causes_dev.csv alone, without the team's labelled rows",
        )
        train.add_argument(
            "--holdout-dir",
            type=Path,
            default=None,
            help="also write the sentiment holdout's rows (holdout.csv) and the model that never"
            " saw them (model/) here, for `triage evaluate`",
        )
        train.add_argument(
            "--sent-learner",
            choices=["lr", "svm"],
            default=None,
            help="sentiment: linear SVM + NB-SVM (svm, the default) or LR + NB-LR (lr)",
        )
        cv = sub.add_parser(
            "cross-validate",
            help="k-fold cross-validation of the sentiment head on the labelled data (no model"
            " written)",
        )
        cv.add_argument("--data-dir", type=Path, default=None)
        cv.add_argument("--folds", type=int, default=10)
        cv.add_argument("--jobs", type=int, default=1, help="folds fitted in parallel (~2 GB each)")
        cv.add_argument("--sent-learner", choices=["lr", "svm"], default=None)
        cv.add_argument(
            "--kept-out",
            type=Path,
            default=None,
            help="CSV of sha1s of rows never trained on (default: the shipped good-review sample)",
        )
        cv.add_argument("--json", action="store_true")
        evaluate = sub.add_parser("evaluate", help="metrics on a CSV with a review column")
        evaluate.add_argument("file", type=Path)
        evaluate.add_argument("--json", action="store_true")
        evaluate.add_argument("--classifier", default="default")
        evaluate.add_argument("--model-dir", type=Path, default=None)
        evaluate.add_argument(
            "--no-category",
            action="store_true",
            help="ignore the file's `cat` column: the model estimates the category from the text",
        )
        classify = sub.add_parser("classify", help="print the JSON result for one text")
        classify.add_argument("text")
        classify.add_argument("--result", choices=["good", "neutral", "bad"], default=None)
        classify.add_argument("--followup", default=None)
        classify.add_argument(
            "--category", default=None, help="product category, e.g. clothes or 衣服 (optional)"
        )
        classify.add_argument("--classifier", default="default")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "train":
            self._train(options)
        elif action == "cross-validate":
            self._cross_validate(options)
        elif action == "evaluate":
            self._evaluate(options)
        else:
            clf = _classifier(options["classifier"], None)
            ctx = TriageContext(
                result=options["result"],
                followup=options["followup"],
                category=options["category"],
            )
            result = clf.classify(options["text"], ctx)
            self.stdout.write(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))

    def _train(self, options: dict[str, Any]) -> None:
        if options["shop"]:
            self._train_shop(options)
            return
        from reviewdesk.triage import weights
        from reviewdesk.triage.classifiers.linear_ngram import DEFAULT_MODEL_DIR
        from reviewdesk.triage.training import Recipe, train

        data_dir = options["data_dir"] or Path(settings.REVIEWDESK_DATA_DIR)
        if not data_dir.is_dir():
            raise CommandError(f"data directory not found: {data_dir}")
        out = options["out"] or DEFAULT_MODEL_DIR
        recipe = Recipe(team_labels=not options["no_team_labels"])
        if options["sent_learner"]:
            recipe = replace(recipe, sent_learner=options["sent_learner"])
        try:
            model, metrics = train(
                data_dir, recipe, log=self.stdout.write, holdout_dir=options["holdout_dir"]
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        weights.save(model, out)
        self.stdout.write(json.dumps(metrics, ensure_ascii=False, indent=2))
        self.stdout.write(f"model written to {out}")

    def _cross_validate(self, options: dict[str, Any]) -> None:
        from reviewdesk.triage.training import (
            KEPT_OUT,
            SENTIMENT_FILE,
            Recipe,
            cross_validate_sentiment,
            read_kept_out,
            read_rows,
            sentiment_labels,
        )

        data_dir = options["data_dir"] or Path(settings.REVIEWDESK_DATA_DIR)
        if not (data_dir / SENTIMENT_FILE).is_file():
            raise CommandError(f"{SENTIMENT_FILE} not found in {data_dir}")
        if options["folds"] < 2:
            raise CommandError(f"--folds must be at least 2, got {options['folds']}")
        if options["jobs"] < 1:
            raise CommandError(f"--jobs must be at least 1, got {options['jobs']}")
        recipe = Recipe()
        if options["sent_learner"]:
            recipe = replace(recipe, sent_learner=options["sent_learner"])
        rows = read_rows(data_dir / SENTIMENT_FILE)
        texts = [r["review"] for r in rows]
        kept_out_file = options["kept_out"] or KEPT_OUT
        try:
            labels = sentiment_labels(rows)
            kept_out = read_kept_out(kept_out_file, rows)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        log = (lambda _line: None) if options["json"] else self.stdout.write
        log(
            f"sentiment: {options['folds']}-fold CV on {len(rows)} rows ({recipe.sent_learner},"
            f" seed {recipe.seed}); {len(kept_out)} rows of {kept_out_file.name} never trained on"
        )
        metrics = cross_validate_sentiment(
            texts,
            labels,
            recipe,
            [r["cat"] for r in rows] if rows and "cat" in rows[0] else None,
            folds=options["folds"],
            kept_out=kept_out,
            jobs=options["jobs"],
            log=log,
        )
        if options["json"]:
            self.stdout.write(json.dumps(metrics, ensure_ascii=False, indent=2))
            return
        per_fold = metrics["per_fold_accuracy"]
        given = "category given" if "without_category" in metrics else "no category column"
        self.stdout.write(
            f"{given}: accuracy {metrics['accuracy']:.4f} (+-{metrics['ci95']:.4f}),"
            f" negative recall {metrics['per_class']['0']['recall']:.4f}"
        )
        if "without_category" in metrics:
            unknown = metrics["without_category"]
            self.stdout.write(
                f"category estimated: accuracy {unknown['accuracy']:.4f},"
                f" negative recall {unknown['per_class']['0']['recall']:.4f}"
            )
        self.stdout.write(
            f"per fold: {min(per_fold):.4f}-{max(per_fold):.4f},"
            f" mean {sum(per_fold) / len(per_fold):.4f}"
        )

    def _train_shop(self, options: dict[str, Any]) -> None:
        from reviewdesk.core.errors import DomainError
        from reviewdesk.shops.selectors import SystemActor, shop_get
        from reviewdesk.triage.classifiers.linear_ngram import LinearNgramClassifier
        from reviewdesk.triage.registry import shop_models_dir
        from reviewdesk.triage.selectors import triage_labels_latest
        from reviewdesk.triage.shop_training import MIN_LABELS, NotEnoughLabelsError, train_shop

        actor = SystemActor()
        try:
            shop = shop_get(actor=actor, slug=options["shop"])
        except DomainError as exc:
            raise CommandError(str(exc)) from exc
        labels = triage_labels_latest(actor=actor, shop=shop)
        min_labels = options["min_labels"] or MIN_LABELS
        self.stdout.write(f"shop {shop.slug}: {len(labels)} labels (latest per review)")
        try:
            metrics = train_shop(
                LinearNgramClassifier(),
                shop_slug=shop.slug,
                texts=[x.text for x in labels],
                causes=[x.cause for x in labels],
                severities=[x.severity for x in labels],
                out_dir=options["out"] or shop_models_dir(),
                min_labels=min_labels,
            )
        except NotEnoughLabelsError as exc:
            raise CommandError(f"cannot train a model for shop {shop.slug}: {exc}") from exc
        self.stdout.write(
            f"{metrics['folds']}-fold cross-validation on the labels "
            "(before = default model, after = default + shop delta fitted on the other folds):"
        )
        for head in ("cause", "severity"):
            b, a = metrics[head]["before"], metrics[head]["after"]
            self.stdout.write(
                f"  {head:<9} accuracy {b['accuracy']:.3f} -> {a['accuracy']:.3f}"
                f"  macro-F1 {b['macro_f1']:.3f} -> {a['macro_f1']:.3f}"
            )
        self.stdout.write(f"model {metrics['version']} written to {metrics['path']}")

    def _evaluate(self, options: dict[str, Any]) -> None:
        from reviewdesk.triage.training import read_rows

        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"file not found: {path}")
        rows = read_rows(path)
        if not rows or "review" not in rows[0]:
            raise CommandError("the CSV needs a header row with a `review` column")
        clf = _classifier(options["classifier"], options["model_dir"])
        texts = [r["review"] for r in rows]
        # A shop knows what it sells: the file's `cat` column is passed as context (the model
        # estimates the category from the text when the column is absent or --no-category).
        use_category = "cat" in rows[0] and not options["no_category"]
        contexts = [TriageContext(category=r["cat"]) for r in rows] if use_category else None
        started = time.perf_counter()
        results = clf.classify_batch(texts, contexts, evidence="complaints")
        elapsed = time.perf_counter() - started
        report: dict[str, Any] = {}
        for column in _LABEL_COLUMNS:
            if column not in rows[0]:
                continue
            truth = [r[column] for r in rows]
            if column == "label":
                # `label` is whole-review polarity: score it with the sentiment head alone. The
                # product's is_complaint also counts "good, but <problem>" reviews as complaints,
                # which that label marks positive; its figures are reported beside, for reference.
                cats = [r["cat"] for r in rows] if use_category else None
                report[column] = classification_metrics(
                    truth, _whole_review_labels(clf, texts, cats)
                )
                report[column]["is_complaint"] = classification_metrics(
                    truth, [predicted_label(r) for r in results]
                )
            else:
                report[column] = classification_metrics(
                    truth, [getattr(r, column) for r in results]
                )
        report["reviews_per_s"] = round(len(texts) / elapsed, 1) if elapsed > 0 else None
        if options["json"]:
            self.stdout.write(json.dumps(report, ensure_ascii=False))
            return
        for column in _LABEL_COLUMNS:
            if column not in report:
                continue
            m = report[column]
            self.stdout.write(
                f"{column}: accuracy {m['accuracy']:.4f}  macro-F1 {m['macro_f1']:.4f}"
            )
            if "is_complaint" in m:
                c = m["is_complaint"]
                self.stdout.write(
                    f"  (sentiment head; is_complaint instead: accuracy {c['accuracy']:.4f}"
                    f"  negative recall {c['per_class'].get('0', {}).get('recall', 0.0):.4f})"
                )
            for cls, v in m["per_class"].items():
                self.stdout.write(
                    f"  {cls:<18} precision {v['precision']:.4f}  recall {v['recall']:.4f}"
                    f"  f1 {v['f1']:.4f}  n={v['support']}"
                )
        given = "from the file's cat column" if use_category else "estimated from the text"
        self.stdout.write(f"category: {given}")
        self.stdout.write(f"throughput: {report['reviews_per_s']} reviews/s ({len(texts)} rows)")


def _whole_review_labels(
    clf: Classifier, texts: list[str], categories: list[str] | None = None
) -> list[str]:
    """ "0" (negative) / "1" per text from the sentiment head when the classifier has one
    (given the texts' product categories when known)."""
    sentiment = getattr(clf, "sentiment", None)
    if sentiment is None:
        contexts = None if categories is None else [TriageContext(category=c) for c in categories]
        results = clf.classify_batch(texts, contexts, evidence="none")
        return [predicted_label(r) for r in results]
    return ["0" if p >= 0.5 else "1" for p in sentiment(texts, categories).tolist()]


def _classifier(name: str, model_dir: Path | None) -> Classifier:
    if model_dir is not None:
        from reviewdesk.triage import weights
        from reviewdesk.triage.classifiers.linear_ngram import LinearNgramClassifier

        return LinearNgramClassifier(weights.load(model_dir))
    from reviewdesk.triage.registry import UnknownClassifierError, get_classifier

    try:
        return get_classifier(name)
    except UnknownClassifierError as exc:
        raise CommandError(f"unknown classifier: {name}") from exc
