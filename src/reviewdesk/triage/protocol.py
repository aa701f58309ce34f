"""The contract every classifier in `triage/classifiers/` satisfies (STYLE C9)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal, Protocol, runtime_checkable

from reviewdesk.triage.types import TriageContext, TriageResult


@runtime_checkable
class Classifier(Protocol):
    """Turns review texts into `TriageResult`s.

    Implementations are pure and thread-safe after construction: no I/O, no database, no network
    during `classify*`; weights are loaded once in `__init__`. `name` and `version` are copied into
    every result so a case can say which model decided.
    """

    name: str
    version: str

    def classify(self, text: str, context: TriageContext | None = None) -> TriageResult:
        """One review. Never raises on odd text (empty, emoji, very long); returns a result."""
        ...

    def classify_batch(
        self,
        texts: Sequence[str],
        contexts: Sequence[TriageContext | None] | None = None,
        *,
        evidence: Literal["all", "complaints", "none"] = "all",
    ) -> list[TriageResult]:
        """Many reviews, same order as `texts`; `contexts` is None or has the same length.

        `evidence`: "all" builds evidence spans for every review; "complaints" only for reviews
        classified as complaints (the others get only risk-flag evidence, usually `{}`); "none"
        only risk-flag evidence. Labels and probabilities do not depend on it.
        """
        ...
