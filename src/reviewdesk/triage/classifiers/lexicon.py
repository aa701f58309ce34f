"""Lexicon-only baseline: no trained weights, every decision is a listed word.

Kept as the transparent floor the trained model must beat, and as a fallback that works without
any .npz files.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from reviewdesk.triage.features import normalize
from reviewdesk.triage.lexicons import LEXICON_VERSION, LexiconEntry, load_weighted
from reviewdesk.triage.risk import risk_evidence
from reviewdesk.triage.types import CAUSES, SEVERITIES, Span, TriageContext, TriageResult

_PRIOR = {"cause": "quality", "severity": "low"}  # the guideline's most common labels


class LexiconClassifier:
    name = "lexicon"
    version = LEXICON_VERSION

    def __init__(self) -> None:
        self.matchers = {
            "cause": _Matcher(load_weighted("cause"), CAUSES),
            "severity": _Matcher(load_weighted("severity"), SEVERITIES),
        }

    def classify(self, text: str, context: TriageContext | None = None) -> TriageResult:
        ctx = context or TriageContext()
        norm = normalize(text)
        evidence: dict[str, list[Span]] = {}
        decided: dict[str, tuple[str, float]] = {}
        total = 0.0
        for head, matcher in self.matchers.items():
            scores = [0.0] * len(matcher.labels)
            hits = matcher.hits(norm)
            for _, _, _, k, weight in hits:
                scores[k] += weight
            total += sum(scores)
            best = max(range(len(scores)), key=lambda k: scores[k])
            name = matcher.labels[best] if scores[best] > 0 else _PRIOR[head]
            share = scores[best] / sum(scores) if sum(scores) else 0.0
            decided[head] = (name, share)
            evidence[head] = [
                Span(s, e, text[s:e], f"lexicon:{name}")
                for s, e, _, k, _ in hits
                if matcher.labels[k] == name
            ]
        is_complaint = total >= 1.0 or ctx.result in {"neutral", "bad"}
        risks = risk_evidence(text, ctx, is_complaint=is_complaint)
        for flag, spans in risks.items():
            evidence[f"risk:{flag}"] = spans
        severity = (
            "high" if {"extortion", "complaint_threat"} & risks.keys() else decided["severity"][0]
        )
        return TriageResult(
            is_complaint=is_complaint,
            complaint_probability=min(total / 3.0, 1.0),
            cause=decided["cause"][0],
            cause_probability=decided["cause"][1],
            severity=severity,
            severity_probability=decided["severity"][1],
            risk_flags=sorted(risks),
            evidence=evidence,
            model_name=self.name,
            model_version=self.version,
        )

    def classify_batch(
        self,
        texts: Sequence[str],
        contexts: Sequence[TriageContext | None] | None = None,
        *,
        evidence: Literal["all", "complaints", "none"] = "all",
    ) -> list[TriageResult]:
        """Evidence here is the lexicon hits themselves, so every mode gets it (it is cheap)."""
        del evidence
        ctxs = list(contexts) if contexts is not None else [None] * len(texts)
        return [self.classify(t, c) for t, c in zip(texts, ctxs, strict=True)]


class _Matcher:
    """Every listed term found in a text: (start, end, term, label index, weight)."""

    def __init__(self, entries: Sequence[LexiconEntry], labels: Sequence[str]) -> None:
        self.labels = list(labels)
        self.entries = [(e.term, self.labels.index(e.label), e.weight) for e in entries]

    def hits(self, norm: str) -> list[tuple[int, int, str, int, float]]:
        out = []
        for term, label, weight in self.entries:
            at = norm.find(term)
            if at >= 0:
                out.append((at, at + len(term), term, label, weight))
        return out
