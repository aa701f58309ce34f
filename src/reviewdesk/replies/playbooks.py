"""Playbooks and scripts as plain data: the shipped defaults and the pure selection rule.

Defaults live in `replies/data/*.toml` (versioned data, reviewed like code); shops override a
playbook or a script by editing it, which stores a shop copy under the same key (models.py). This
module has no Django imports so the selection and the data files are tested without a database.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from reviewdesk.replies.templating import validate_template

DATA_DIR = Path(__file__).parent / "data"
ANY_KIND = "any"
EXTORTION_FLAGS = frozenset({"extortion", "professional_reviewer", "competitor"})


class PlaybookDataError(ValueError):
    pass


@dataclass(frozen=True, slots=True)
class Step:
    key: str
    title: str
    required: bool = False
    scripts: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "title": self.title,
            "required": self.required,
            "scripts": list(self.scripts),
        }


@dataclass(frozen=True, slots=True)
class Playbook:
    key: str
    title: str
    kind: str
    steps: tuple[Step, ...]
    causes: frozenset[str] = frozenset()
    risk_flags: frozenset[str] = frozenset()
    min_review_age_days: int | None = None
    default: bool = False
    source: str = ""
    shop_copy: bool = False  # True when it came from the shop's edited copy

    def step(self, key: str) -> Step | None:
        return next((s for s in self.steps if s.key == key), None)

    @property
    def required_steps(self) -> tuple[Step, ...]:
        return tuple(s for s in self.steps if s.required)

    def steps_as_data(self) -> list[dict[str, Any]]:
        return [s.as_dict() for s in self.steps]


@dataclass(frozen=True, slots=True)
class Script:
    key: str
    title: str
    body: str
    channel: str = "im"
    requires_offered_revise: bool = False
    shop_copy: bool = False
    shop_script_id: int | None = None


@dataclass(frozen=True, slots=True)
class CaseFacts:
    """What selection needs to know about a case; built from the model in selectors.py."""

    kind: str
    cause: str = ""
    risk_flags: Sequence[str] = field(default_factory=tuple)
    review_age_days: int | None = None


def steps_from_data(raw: Iterable[Mapping[str, Any]]) -> tuple[Step, ...]:
    steps = tuple(
        Step(
            key=str(item["key"]),
            title=str(item["title"]),
            required=bool(item.get("required", False)),
            scripts=tuple(str(s) for s in item.get("scripts", ())),
        )
        for item in raw
    )
    keys = [s.key for s in steps]
    if len(set(keys)) != len(keys):
        raise PlaybookDataError(f"duplicate step keys in {keys}")
    if not steps:
        raise PlaybookDataError("a playbook needs at least one step")
    return steps


def playbook_from_data(raw: Mapping[str, Any], *, shop_copy: bool = False) -> Playbook:
    age = raw.get("min_review_age_days")
    return Playbook(
        key=str(raw["key"]),
        title=str(raw["title"]),
        kind=str(raw["kind"]),
        steps=steps_from_data(raw["steps"]),
        causes=frozenset(raw.get("causes", ())),
        risk_flags=frozenset(raw.get("risk_flags", ())),
        min_review_age_days=int(age) if age is not None else None,
        default=bool(raw.get("default", False)),
        source=str(raw.get("source", "")),
        shop_copy=shop_copy,
    )


@cache
def default_scripts() -> dict[str, Script]:
    raw = tomllib.loads((DATA_DIR / "scripts.toml").read_text(encoding="utf-8"))
    scripts: dict[str, Script] = {}
    for item in raw["script"]:
        script = Script(
            key=item["key"],
            title=item["title"],
            body=item["body"],
            channel=item.get("channel", "im"),
            requires_offered_revise=bool(item.get("requires_offered_revise", False)),
        )
        validate_template(script.body)
        if script.key in scripts:
            raise PlaybookDataError(f"duplicate script key {script.key!r}")
        scripts[script.key] = script
    return scripts


@cache
def default_playbooks() -> dict[str, Playbook]:
    raw = tomllib.loads((DATA_DIR / "playbooks.toml").read_text(encoding="utf-8"))
    playbooks: dict[str, Playbook] = {}
    scripts = default_scripts()
    for item in raw["playbook"]:
        playbook = playbook_from_data(item)
        if playbook.key in playbooks:
            raise PlaybookDataError(f"duplicate playbook key {playbook.key!r}")
        for step in playbook.steps:
            unknown = [k for k in step.scripts if k not in scripts]
            if unknown:
                raise PlaybookDataError(f"{playbook.key}.{step.key}: unknown scripts {unknown}")
        playbooks[playbook.key] = playbook
    return playbooks


def select_playbook(facts: CaseFacts, playbooks: Mapping[str, Playbook]) -> Playbook:
    """Risk flags first (extortion is never negotiated like an ordinary case), then the review's
    age (R3: over 6 months, over 1 month), then kind + cause, then the kind's default."""
    candidates = [p for p in playbooks.values() if p.kind in (facts.kind, ANY_KIND)]
    flags = set(facts.risk_flags)
    for playbook in candidates:
        if playbook.risk_flags & flags:
            return playbook
    if facts.review_age_days is not None:
        aged = sorted(
            (p for p in candidates if p.min_review_age_days is not None),
            key=lambda p: p.min_review_age_days or 0,
            reverse=True,
        )
        for playbook in aged:
            if facts.review_age_days > (playbook.min_review_age_days or 0):
                return playbook
    ordinary = [p for p in candidates if not p.risk_flags and p.min_review_age_days is None]
    for playbook in ordinary:
        if facts.cause and facts.cause in playbook.causes and playbook.kind == facts.kind:
            return playbook
    for playbook in ordinary:
        if playbook.default and playbook.kind == facts.kind:
            return playbook
    for playbook in ordinary:
        if playbook.default:
            return playbook
    raise PlaybookDataError(f"no playbook for case kind {facts.kind!r}")
