"""The default classifier: char n-gram TF-IDF with linear heads, lexicon features, rule flags.

Sentiment: LR + NB-LR ensemble over char 1-4 grams. Cause and severity: multinomial LR over the same
grams plus the shipped cause/severity lexicons as features (1,100 labelled rows are too few for grams
alone). Risk flags: `triage.risk` rules. Everything is linear, so each decision's evidence is the
grams (and lexicon terms) with the largest contributions to it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import scipy.sparse as sp

from reviewdesk.triage import weights as weights_io
from reviewdesk.triage.features import LexiconMatcher, normalize, sigmoid, softmax
from reviewdesk.triage.lexicons import load_weighted
from reviewdesk.triage.risk import risk_evidence
from reviewdesk.triage.types import CAUSES, SEVERITIES, Span, TriageContext, TriageResult

DEFAULT_MODEL_DIR = Path(__file__).resolve().parent.parent / "models" / "linear_ngram"
EVIDENCE_GRAMS = 4
# "质量不错，就是物流太慢" is labelled positive in the data but is a complaint for the shop
# (the issue: a good review that complains counts). The clause after the last contrast word is
# scored on its own.
_CONTRAST = re.compile(r"但是|但|就是|只是|不过|可惜|美中不足|唯一|缺点|遗憾的是")
_BAD_RESULTS = frozenset({"neutral", "bad"})


@dataclass
class Scores:
    """Per-text model outputs for a batch of normalised texts."""

    complaint: np.ndarray  # (n,) P(complaint)
    heads: dict[str, np.ndarray]  # head -> (n, K) probabilities
    x: sp.csr_matrix
    contrib: np.ndarray  # per non-zero of x: contribution to the complaint logit


class LinearNgramClassifier:
    name = "linear_ngram"

    def __init__(self, model: weights_io.ModelWeights | None = None) -> None:
        self.model = model if model is not None else weights_io.load(DEFAULT_MODEL_DIR)
        self.version = str(self.model.recipe.get("version", "dev"))
        n_max = self.model.space.n_max
        self.lexicons = {
            "cause": LexiconMatcher(load_weighted("cause"), CAUSES, n_max),
            "severity": LexiconMatcher(load_weighted("severity"), SEVERITIES, n_max),
        }

    # -- scoring ---------------------------------------------------------------------------
    def score(self, norm_texts: Sequence[str], *, heads: bool = True) -> Scores:
        m = self.model
        x = m.space.transform(norm_texts)
        s = m.sentiment
        nb_x = x.multiply(s.ratio[None, :]).tocsr()
        nb_norm = np.sqrt(np.asarray(nb_x.multiply(nb_x).sum(axis=1)).ravel())
        nb_norm[nb_norm == 0] = 1.0
        rows = np.repeat(np.arange(x.shape[0]), np.diff(x.indptr))
        cols = x.indices
        contrib = 0.5 * x.data * (s.w_lr[cols] + s.w_nb[cols] * s.ratio[cols] / nb_norm[rows])
        logit = np.bincount(rows, weights=contrib, minlength=x.shape[0]).astype(np.float64)
        logit += 0.5 * (s.b_lr + s.b_nb)
        out: dict[str, np.ndarray] = {}
        if heads:
            lex = np.hstack([self.lexicons[h].features(norm_texts) for h in ("cause", "severity")])
            for name, head in m.heads.items():
                raw = x @ head.w_text + (lex * head.lex_scale) @ head.w_lex + head.bias
                out[name] = softmax(np.asarray(raw))
        return Scores(sigmoid(logit), out, x, contrib)

    # -- protocol --------------------------------------------------------------------------
    def classify(self, text: str, context: TriageContext | None = None) -> TriageResult:
        return self.classify_batch([text], [context])[0]

    def classify_batch(
        self, texts: Sequence[str], contexts: Sequence[TriageContext | None] | None = None
    ) -> list[TriageResult]:
        ctxs = [c or TriageContext() for c in (contexts or [None] * len(texts))]
        norms = [normalize(t or "") for t in texts]
        main = self.score(norms)
        # Second pass only for what needs it: follow-ups, and contrast tails of texts that read
        # as positive.
        extra: list[tuple[int, str, int, str]] = []  # (row, source, offset, normalised text)
        for i, (norm, ctx) in enumerate(zip(norms, ctxs, strict=True)):
            if ctx.followup:
                extra.append((i, "followup", 0, normalize(ctx.followup)))
            if main.complaint[i] < 0.5:
                last = None
                for last in _CONTRAST.finditer(norm):  # noqa: B007 - we want the last match
                    pass
                if last is not None and len(norm) - last.end() >= 2:
                    extra.append((i, "tail", last.start(), norm[last.start() :]))
        side = self.score([e[3] for e in extra]) if extra else None
        by_row: dict[int, list[tuple[str, int, float, int]]] = {}
        for k, (i, source, offset, _) in enumerate(extra):
            assert side is not None
            by_row.setdefault(i, []).append((source, offset, float(side.complaint[k]), k))
        return [
            self._result(i, texts[i] or "", norms[i], ctxs[i], main, side, by_row.get(i, []))
            for i in range(len(texts))
        ]

    # -- assembling one result -------------------------------------------------------------
    def _result(
        self,
        i: int,
        text: str,
        norm: str,
        ctx: TriageContext,
        main: Scores,
        side: Scores | None,
        extras: list[tuple[str, int, float, int]],
    ) -> TriageResult:
        p_review = float(main.complaint[i])
        p = p_review
        evidence: dict[str, list[Span]] = {}
        src_scores, src_row, src_text, src_name = main, i, text, "review"
        for source, offset, prob, k in extras:
            if prob <= p:
                continue
            p = prob
            if source == "followup" and side is not None and prob >= 0.5 and p_review < 0.5:
                src_scores, src_row, src_text, src_name = side, k, ctx.followup or "", "followup"
            if source == "tail":
                evidence["complaint"] = [
                    Span(offset, len(norm), text[offset:], "complaint after contrast")
                ]
        is_complaint = p >= 0.5 or (ctx.result in _BAD_RESULTS)
        evidence.setdefault("complaint", []).extend(
            self._gram_spans(
                main,
                i,
                text,
                main.contrib,
                sign=1.0 if p_review >= 0.5 else -1.0,
                reason="complaint" if p_review >= 0.5 else "not_complaint",
            )
        )
        if ctx.result in _BAD_RESULTS:
            evidence["complaint"].append(Span(0, 0, "", f"result={ctx.result}", "context"))
        labels: dict[str, tuple[str, float]] = {}
        for head_name, head in self.model.heads.items():
            probs = src_scores.heads[head_name][src_row]
            k = int(np.argmax(probs))
            labels[head_name] = (head.labels[k], float(probs[k]))
            evidence[head_name] = self._head_spans(
                src_scores, src_row, src_text, head_name, k, src_name
            )
        risks = risk_evidence(text, ctx, is_complaint=is_complaint)
        severity, sev_p = labels["severity"]
        cause, cause_p = labels["cause"]
        if "extortion" in risks or "complaint_threat" in risks or cause == "fake_goods":
            severity = (
                "high"  # CAUSE_GUIDELINE severity: threats, extortion and fake claims are high
            )
        for flag, spans in risks.items():
            evidence[f"risk:{flag}"] = spans
        return TriageResult(
            is_complaint=bool(is_complaint),
            complaint_probability=p,
            cause=cause,
            cause_probability=cause_p,
            severity=severity,
            severity_probability=sev_p,
            risk_flags=sorted(risks),
            evidence=evidence,
            model_name=self.name,
            model_version=self.version,
        )

    def _gram_spans(
        self,
        scores: Scores,
        row: int,
        text: str,
        contrib: np.ndarray,
        *,
        sign: float,
        reason: str,
        source: str = "review",
    ) -> list[Span]:
        lo, hi = scores.x.indptr[row], scores.x.indptr[row + 1]
        values = contrib[lo:hi] * sign
        top = np.argsort(-values)[:EVIDENCE_GRAMS]
        grams = [
            (str(self.model.space.vocab[scores.x.indices[lo + t]]), float(values[t]))
            for t in top
            if values[t] > 0
        ]
        return _spans_for(grams, text, reason, source)

    def _head_spans(
        self, scores: Scores, row: int, text: str, head_name: str, k: int, source: str
    ) -> list[Span]:
        head = self.model.heads[head_name]
        lo, hi = scores.x.indptr[row], scores.x.indptr[row + 1]
        contrib = scores.x.data[lo:hi] * head.w_text[scores.x.indices[lo:hi], k]
        top = np.argsort(-contrib)[:EVIDENCE_GRAMS]
        grams = [
            (str(self.model.space.vocab[scores.x.indices[lo + t]]), float(contrib[t]))
            for t in top
            if contrib[t] > 0
        ]
        spans = _spans_for(grams, text, head.labels[k], source)
        norm = normalize(text)
        for start, end, term, label, _ in self.lexicons[head_name].hits(norm):
            if self.lexicons[head_name].labels[label] == head.labels[k]:
                spans.append(Span(start, end, text[start:end], f"lexicon:{head.labels[k]}", source))
        return spans


def _spans_for(grams: list[tuple[str, float]], text: str, reason: str, source: str) -> list[Span]:
    """First occurrence of each gram, overlapping occurrences merged into one highlight."""
    norm = normalize(text)
    found = sorted((at, at + len(g)) for g, _ in grams if (at := norm.find(g)) >= 0)
    merged: list[list[int]] = []
    for start, end in found:
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [Span(s, e, text[s:e], reason, source) for s, e in merged]
