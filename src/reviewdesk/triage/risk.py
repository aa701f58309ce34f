"""Transparent risk-flag rules: lexicon/regex on the texts plus thresholds on buyer history.

Flags are rules, not learned, because they drive handling (DOMAIN: 职业差评师 and competitors are
flagged, not negotiated with) and an agent must be able to see exactly why a flag fired.
Extortion is the BUYER asking for money or goods in exchange for the review, or threatening more
bad reviews; a seller's 好评返现 wording is a compliance matter for replies/, not this flag.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np

from reviewdesk.triage.features import Occurrences, normalize
from reviewdesk.triage.lexicons import load_risk
from reviewdesk.triage.types import BuyerHistory, Span, TriageContext

if TYPE_CHECKING:
    from reviewdesk.triage.classifiers.linear_ngram import Scores

# Buyer-history thresholds. Why these values: a real buyer rarely leaves more than a few
# neutral/bad reviews, and almost never reviews before receiving the goods (DOMAIN, 003).
MANY_BAD_REVIEWS = 5
MANY_BAD_SHARE = 0.3
UNRECEIVED_REVIEWS = 2
FRESH_ACCOUNT_DAYS = 30
FEW_REVIEWS = 2
MULTI_ITEM_ORDER = 3  # DOMAIN 4: one angry buyer can rate every item of a large order


@dataclass(frozen=True)
class _Rule:
    flag: str
    pattern: re.Pattern[str]


@lru_cache(maxsize=1)
def _rules() -> tuple[_Rule, ...]:
    return tuple(
        _Rule(e.label, re.compile(e.term if e.kind == "regex" else re.escape(e.term)))
        for e in load_risk()
    )


def text_flags(text: str, source: str = "review") -> dict[str, list[Span]]:
    """Flags found in one text with the matched characters as evidence."""
    norm = normalize(text)
    found: dict[str, list[Span]] = {}
    for rule in _rules():
        for m in rule.pattern.finditer(norm):
            spans = found.setdefault(rule.flag, [])
            if any(s.start <= m.start() < s.end for s in spans):
                continue  # "12315" and "315" are one piece of evidence
            spans.append(Span(m.start(), m.end(), text[m.start() : m.end()], rule.flag, source))
    return found


def history_flags(history: BuyerHistory) -> dict[str, list[Span]]:
    found: dict[str, list[Span]] = {}
    share = history.neutral_bad_count / max(history.review_count, 1)
    reasons = []
    if history.neutral_bad_count >= MANY_BAD_REVIEWS and share >= MANY_BAD_SHARE:
        reasons.append(f"neutral_bad_count={history.neutral_bad_count}/{history.review_count}")
    if history.unreceived_review_count >= UNRECEIVED_REVIEWS:
        reasons.append(f"unreceived_review_count={history.unreceived_review_count}")
    if reasons:
        found["professional_reviewer"] = [Span(0, 0, "", r, "buyer_history") for r in reasons]
    age = history.account_age_days
    if age is not None and age < FRESH_ACCOUNT_DAYS and history.review_count <= FEW_REVIEWS:
        found["competitor_suspect"] = [
            Span(
                0,
                0,
                "",
                f"account_age_days={age}, review_count={history.review_count}",
                "buyer_history",
            )
        ]
    return found


def risk_evidence(
    text: str, context: TriageContext, *, is_complaint: bool
) -> dict[str, list[Span]]:
    """All risk flags for a review in its context; the keys are the flags that fired."""
    found = text_flags(text)
    if context.followup:
        for flag, spans in text_flags(context.followup, "followup").items():
            found.setdefault(flag, []).extend(spans)
    found.update(history_flags(context.buyer_history))
    if is_complaint and context.order_item_count >= MULTI_ITEM_ORDER:
        found["multi_item_order"] = [
            Span(0, 0, "", f"order_item_count={context.order_item_count}", "context")
        ]
    return found


class BatchRisk:
    """`risk_evidence` for a whole batch: each flag's rules run once over the batch's joined text.

    The plain terms of a flag are one alternation, longest first ("12315" before "315").
    """

    def __init__(self) -> None:
        terms: dict[str, list[str]] = {}
        self.rules: list[_Rule] = []
        for e in load_risk():
            if e.kind == "regex":
                self.rules.append(_Rule(e.label, re.compile(e.term)))
            else:
                terms.setdefault(e.label, []).append(e.term)
        for flag, words in terms.items():
            words.sort(key=lambda w: (-len(w), w))
            self.rules.append(_Rule(flag, re.compile("|".join(map(re.escape, words)))))

    def _text_flags(
        self, raw: Sequence[str], joined: str, starts: np.ndarray, source: str
    ) -> dict[int, dict[str, list[Span]]]:
        out: dict[int, dict[str, list[Span]]] = {}
        for rule in self.rules:
            found = [(m.start(), m.end()) for m in rule.pattern.finditer(joined)]
            if not found:
                continue
            at = np.asarray(found, dtype=np.int64)
            docs = np.searchsorted(starts, at[:, 0], side="right") - 1
            local = (at - starts[docs][:, None]).tolist()
            for d, (s, e) in zip(docs.tolist(), local, strict=True):
                spans = out.setdefault(d, {}).setdefault(rule.flag, [])
                if any(x.start <= s < x.end for x in spans):
                    continue  # "12315" and "315" are one piece of evidence
                spans.append(Span(s, e, raw[d][s:e], rule.flag, source))
        return out

    def flags(
        self,
        *,
        raw: Sequence[str],
        occ: Occurrences,
        contexts: Sequence[TriageContext],
        is_complaint: np.ndarray,
        fu_rows: np.ndarray,
        fu_raw: Sequence[str],
        fu_scores: Scores | None,
    ) -> list[dict[str, list[Span]]]:
        """Flags per review; `occ` (and `fu_scores.occ`) carry the normalised joined texts."""
        found = self._text_flags(raw, occ.joined, occ.starts, "review")
        if fu_scores is not None:
            fu = self._text_flags(fu_raw, fu_scores.occ.joined, fu_scores.occ.starts, "followup")
            for k, per_flag in fu.items():
                target = found.setdefault(int(fu_rows[k]), {})
                for flag, spans in per_flag.items():
                    target.setdefault(flag, []).extend(spans)
        out = []
        complaint = is_complaint.tolist()
        for i, ctx in enumerate(contexts):
            flags = found.get(i, {})
            if ctx.buyer_history != _NO_HISTORY:
                flags.update(history_flags(ctx.buyer_history))
            if ctx.order_item_count >= MULTI_ITEM_ORDER and complaint[i]:
                flags["multi_item_order"] = [
                    Span(0, 0, "", f"order_item_count={ctx.order_item_count}", "context")
                ]
            out.append(flags)
        return out

    def text_flags_one(self, raw: str, joined: str, source: str) -> dict[str, list[Span]]:
        """`_text_flags` of a batch of one (`joined`: the normalised text + SEPARATOR)."""
        out: dict[str, list[Span]] = {}
        for rule in self.rules:
            for m in rule.pattern.finditer(joined):
                s, e = m.span()
                spans = out.setdefault(rule.flag, [])
                if any(x.start <= s < x.end for x in spans):
                    continue
                spans.append(Span(s, e, raw[s:e], rule.flag, source))
        return out

    def flags_one(
        self,
        *,
        raw: str,
        joined: str,
        context: TriageContext,
        is_complaint: bool,
        fu_joined: str | None,
    ) -> dict[str, list[Span]]:
        """`flags` of a batch of one review; `fu_joined` is its follow-up's normalised text +
        SEPARATOR when it has a follow-up."""
        flags = self.text_flags_one(raw, joined, "review")
        if fu_joined is not None:
            fu = self.text_flags_one(context.followup or "", fu_joined, "followup")
            for flag, spans in fu.items():
                flags.setdefault(flag, []).extend(spans)
        if context.buyer_history != _NO_HISTORY:
            flags.update(history_flags(context.buyer_history))
        if context.order_item_count >= MULTI_ITEM_ORDER and is_complaint:
            flags["multi_item_order"] = [
                Span(0, 0, "", f"order_item_count={context.order_item_count}", "context")
            ]
        return flags


_NO_HISTORY = BuyerHistory()
