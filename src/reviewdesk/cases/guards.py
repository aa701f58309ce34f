"""Transition guards by name (workflow.py names them; STYLE C9 explicit registry, lazy import).

A guard is `(*, case, reason) -> list[str]`: the problems that block the transition, empty when it
may go ahead. `required_steps_done_or_reason` asks the replies app which required playbook steps
are unchecked (DOMAIN R14) through `reviewdesk.replies.selectors.required_steps_unchecked(*, case)`;
while that module does not exist the guard passes, so the two apps can land in either order.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from reviewdesk.cases.models import Case


class Guard(Protocol):
    def __call__(self, *, case: Case, reason: str | None) -> list[str]: ...


def _reason_given(*, case: Case, reason: str | None) -> list[str]:
    return [] if (reason or "").strip() else ["reason"]


def _explanation_posted(*, case: Case, reason: str | None) -> list[str]:
    """R9: an explained case has its public explanation on the review (or a reason why not)."""
    if case.review is not None and case.review.explanation.strip():
        return []
    return [] if (reason or "").strip() else ["explanation"]


def _required_steps_done_or_reason(*, case: Case, reason: str | None) -> list[str]:
    if (reason or "").strip():
        return []
    unchecked = _load_optional("reviewdesk.replies.selectors.required_steps_unchecked")
    if unchecked is None:
        return []
    return list(unchecked(case=case))


def _load_optional(dotted: str) -> Callable[..., list[str]] | None:
    module_name, _, attr = dotted.rpartition(".")
    try:
        module = import_module(module_name)
    except ImportError:
        return None
    found = getattr(module, attr, None)
    return found if callable(found) else None


# name -> dotted path of the implementation; a test imports every entry.
GUARDS: dict[str, str] = {
    "reason_given": "reviewdesk.cases.guards._reason_given",
    "explanation_posted": "reviewdesk.cases.guards._explanation_posted",
    "required_steps_done_or_reason": "reviewdesk.cases.guards._required_steps_done_or_reason",
}


def guard_for(name: str) -> Guard:
    module_name, _, attr = GUARDS[name].rpartition(".")
    guard: Guard = getattr(import_module(module_name), attr)
    return guard
