"""The contract every classifier in `triage/classifiers/` satisfies (STYLE C9)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, runtime_checkable

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
        self, texts: Sequence[str], contexts: Sequence[TriageContext | None] | None = None
    ) -> list[TriageResult]:
        """Many reviews, same order as `texts`; `contexts` is None or has the same length."""
        ...
