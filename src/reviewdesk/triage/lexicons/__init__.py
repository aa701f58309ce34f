"""Shipped word lists, versioned as data (STYLE C1: `triage/lexicons/`).

Each list is a TSV in `lexicons/<version>/`: `label<TAB>term<TAB>weight` for cause and severity,
`flag<TAB>kind<TAB>pattern` for risk flags. A new version is a new folder, so a model's recipe can
name the exact lists it was trained with and old models keep working.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from typing import Final

LEXICON_VERSION: Final = "v1"


@dataclass(frozen=True)
class LexiconEntry:
    label: str
    term: str  # lower-cased; for risk rules a term or a regex
    weight: float = 1.0
    kind: str = "term"  # "term" | "regex"


def _rows(name: str, version: str) -> list[list[str]]:
    text = resources.files(__package__).joinpath(version, f"{name}.tsv").read_text("utf-8")
    return [
        line.split("\t") for line in text.splitlines() if line.strip() and not line.startswith("#")
    ]


def load_weighted(name: str, version: str = LEXICON_VERSION) -> list[LexiconEntry]:
    """`cause` or `severity`: weighted terms per label."""
    return [
        LexiconEntry(label=label, term=term.lower(), weight=float(weight))
        for label, term, weight in _rows(name, version)
    ]


def load_risk(version: str = LEXICON_VERSION) -> list[LexiconEntry]:
    """Risk-flag rules: plain terms or regular expressions per flag."""
    return [
        LexiconEntry(label=flag, term=pattern if kind == "regex" else pattern.lower(), kind=kind)
        for flag, kind, pattern in _rows("risk", version)
    ]


def load_scope(version: str = LEXICON_VERSION) -> dict[str, list[str]]:
    """`scope.tsv`: kind (negator | negatable | resolved) -> terms, in file order."""
    out: dict[str, list[str]] = {"negator": [], "negatable": [], "resolved": []}
    for kind, term in _rows("scope", version):
        out[kind].append(term.lower())
    return out
