"""Triage evidence as highlighted text: `<mark>` around the characters that drove a decision.

The review text is the buyer's: every character goes through `escape` / `format_html`, and the
result is assembled with `format_html_join`, so no raw text is ever marked safe. Spans come from
`Review.triage["evidence"]` ({"complaint" | "cause" | "severity" | "risk:<flag>": [span, ...]},
each span {start, end, text, reason, source}); a span whose offsets no longer match the text
(the review changed after triage) is left out rather than drawn in the wrong place.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString

from reviewdesk.web.labels import label


@dataclass(frozen=True, slots=True)
class EvidenceSpan:
    start: int
    end: int
    head: str  # "complaint", "cause", "severity", "risk:extortion"
    reason: str
    source: str

    @property
    def family(self) -> str:
        """The CSS family of the mark: complaint / cause / severity / risk."""
        return self.head.split(":", 1)[0]

    def title(self) -> str:
        family = self.family
        name = label("evidence", family)
        if family == "risk" and ":" in self.head:
            name = f"{name} · {label('risk', self.head.split(':', 1)[1])}"
        return f"{name}: {self.reason}" if self.reason else name


def evidence_spans(evidence: Mapping[str, Any] | None) -> list[EvidenceSpan]:
    """Every well-formed span of the triage evidence, in a stable order."""
    spans: list[EvidenceSpan] = []
    if not isinstance(evidence, Mapping):
        return spans
    for head, items in evidence.items():
        if not isinstance(items, list):
            continue
        for item in items:
            if not isinstance(item, Mapping):
                continue
            try:
                start, end = int(item.get("start", 0)), int(item.get("end", 0))
            except (TypeError, ValueError):
                continue
            spans.append(
                EvidenceSpan(
                    start=start,
                    end=end,
                    head=str(head),
                    reason=str(item.get("reason") or ""),
                    source=str(item.get("source") or "review"),
                )
            )
    return spans


def _fits(span: EvidenceSpan, text: str, expected: str | None) -> bool:
    if not 0 <= span.start < span.end <= len(text):
        return False
    return expected is None or text[span.start : span.end] == expected


def highlight(
    text: str, evidence: Mapping[str, Any] | None, *, source: str = "review"
) -> SafeString:
    """`text` escaped, with each evidence span of `source` wrapped in <mark title=reason>.

    Overlapping spans are split at every boundary, so each piece of text is marked once with
    all the reasons that cover it.
    """
    raw = evidence if isinstance(evidence, Mapping) else {}
    expected: dict[tuple[str, int, int], str | None] = {}
    for head, items in raw.items():
        for item in items if isinstance(items, list) else []:
            if isinstance(item, Mapping) and "text" in item:
                key = (str(head), int(item.get("start", 0)), int(item.get("end", 0)))
                expected[key] = str(item["text"])
    spans = [
        s
        for s in evidence_spans(raw)
        if s.source == source and _fits(s, text, expected.get((s.head, s.start, s.end)))
    ]
    if not spans:
        return escape(text)
    cuts = sorted({0, len(text), *(s.start for s in spans), *(s.end for s in spans)})
    pieces: list[tuple[str, str, str]] = []  # (class, title, text) ; class "" = plain
    for left, right in itertools.pairwise(cuts):
        covering = [s for s in spans if s.start <= left and right <= s.end]
        chunk = text[left:right]
        if not covering:
            pieces.append(("", "", chunk))
            continue
        titles = list(dict.fromkeys(s.title() for s in covering))
        families = list(dict.fromkeys(s.family for s in covering))
        pieces.append((" ".join(f"ev-{f}" for f in families), "；".join(titles), chunk))
    return format_html_join("", "{}", ((_piece(*p),) for p in pieces))


def _piece(css: str, title: str, chunk: str) -> SafeString:
    if not css:
        return escape(chunk)
    return format_html('<mark class="ev {}" title="{}">{}</mark>', css, title, chunk)


def context_reasons(evidence: Mapping[str, Any] | None) -> list[EvidenceSpan]:
    """Evidence that points at no characters (buyer history, order context): listed, not marked."""
    return [s for s in evidence_spans(evidence) if s.start == s.end or s.source not in _TEXTS]


_TEXTS = frozenset({"review", "followup"})


def families(spans: Iterable[EvidenceSpan]) -> list[str]:
    return list(dict.fromkeys(s.family for s in spans))
