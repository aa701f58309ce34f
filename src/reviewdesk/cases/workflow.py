"""Case states and allowed transitions as a plain data table (STYLE C4). No Django imports.

Services consult `transition_for`; a property test walks the table. Guards are named here and
implemented behind the registry in `cases/guards.py`, so the table stays readable by a supervisor:

    new ──► contacting ──► resolving ──► resolved ─┐
     │          │  ▲           │  ▲                ├─► closed
     │          ▼  │           ▼  │                │
     │     waiting_buyer / waiting_third_party ────┤
     └──────────────────────────────► explained ───┘

Waiting states pause the SLA clocks (STYLE C8, frappe's "paused"); every open state can be closed
by ingestion when the review is revised or deleted (PLATFORM §9.1 L5).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Status(StrEnum):
    NEW = "new"
    CONTACTING = "contacting"
    WAITING_BUYER = "waiting_buyer"
    WAITING_THIRD_PARTY = "waiting_third_party"  # courier, warehouse, platform (DOMAIN 002)
    RESOLVING = "resolving"
    RESOLVED = "resolved"
    EXPLAINED = "explained"
    CLOSED = "closed"


OPEN_STATUSES = frozenset(
    {
        Status.NEW,
        Status.CONTACTING,
        Status.WAITING_BUYER,
        Status.WAITING_THIRD_PARTY,
        Status.RESOLVING,
    }
)
FINAL_STATUSES = frozenset({Status.RESOLVED, Status.EXPLAINED, Status.CLOSED})
# The SLA clocks stop while the case waits on someone outside the team (STYLE C8).
WAITING_STATUSES = frozenset({Status.WAITING_BUYER, Status.WAITING_THIRD_PARTY})


class Outcome(StrEnum):
    REVISED = "revised"  # the review became good (observed by ingestion)
    DELETED = "deleted"  # the buyer deleted it
    SOLVED = "solved"  # problem solved, review stays
    EXPLAINED = "explained"  # public explanation posted
    NO_RESPONSE = "no_response"
    EXTORTION = "extortion"  # flagged and closed without negotiating (DOMAIN 003 §2-3)
    OTHER = "other"


class Action(StrEnum):
    """What the agent (or ingestion) does; each action is one service in cases/services/."""

    START_CONTACT = "start_contact"
    WAIT_BUYER = "wait_buyer"
    WAIT_THIRD_PARTY = "wait_third_party"
    RESUME = "resume"
    START_RESOLVING = "start_resolving"
    RESOLVE = "resolve"
    EXPLAIN = "explain"
    CLOSE = "close"
    REOPEN = "reopen"


@dataclass(frozen=True, slots=True)
class Transition:
    source: Status
    target: Status
    guard: str | None = None  # name of the check a service must pass (cases/guards.py)
    action: Action | None = None


def _t(source: Status, target: Status, action: Action, guard: str | None = None) -> Transition:
    return Transition(source, target, guard, action)


_S = Status
_A = Action
TRANSITIONS: tuple[Transition, ...] = (
    _t(_S.NEW, _S.CONTACTING, _A.START_CONTACT),
    _t(_S.NEW, _S.RESOLVING, _A.START_RESOLVING),
    _t(_S.NEW, _S.WAITING_THIRD_PARTY, _A.WAIT_THIRD_PARTY),
    _t(_S.CONTACTING, _S.WAITING_BUYER, _A.WAIT_BUYER),
    _t(_S.CONTACTING, _S.WAITING_THIRD_PARTY, _A.WAIT_THIRD_PARTY),
    _t(_S.CONTACTING, _S.RESOLVING, _A.START_RESOLVING),
    _t(_S.WAITING_BUYER, _S.CONTACTING, _A.RESUME),
    _t(_S.WAITING_BUYER, _S.RESOLVING, _A.START_RESOLVING),
    _t(_S.WAITING_THIRD_PARTY, _S.CONTACTING, _A.RESUME),
    _t(_S.WAITING_THIRD_PARTY, _S.RESOLVING, _A.START_RESOLVING),
    _t(_S.RESOLVING, _S.WAITING_BUYER, _A.WAIT_BUYER),
    _t(_S.RESOLVING, _S.WAITING_THIRD_PARTY, _A.WAIT_THIRD_PARTY),
    # DOMAIN R14: steps a case needs must not be forgettable; a reason overrides (agent judgment).
    _t(_S.CONTACTING, _S.RESOLVED, _A.RESOLVE, "required_steps_done_or_reason"),
    _t(_S.RESOLVING, _S.RESOLVED, _A.RESOLVE, "required_steps_done_or_reason"),
    _t(_S.WAITING_BUYER, _S.RESOLVED, _A.RESOLVE, "required_steps_done_or_reason"),
    _t(_S.RESOLVING, _S.EXPLAINED, _A.EXPLAIN, "explanation_posted"),
    _t(_S.CONTACTING, _S.EXPLAINED, _A.EXPLAIN, "explanation_posted"),
    _t(_S.WAITING_BUYER, _S.EXPLAINED, _A.EXPLAIN, "explanation_posted"),
    _t(_S.NEW, _S.EXPLAINED, _A.EXPLAIN, "explanation_posted"),
    # Ingestion closes from any open state when the review is revised or deleted; a person closing
    # an open case (extortion, duplicate) must say why.
    *(_t(s, _S.CLOSED, _A.CLOSE, "reason_given") for s in sorted(OPEN_STATUSES)),
    _t(_S.RESOLVED, _S.CLOSED, _A.CLOSE),
    _t(_S.EXPLAINED, _S.CLOSED, _A.CLOSE),
    # A buyer who writes a worse follow-up reopens a resolved case.
    _t(_S.RESOLVED, _S.CONTACTING, _A.REOPEN, "reason_given"),
    _t(_S.EXPLAINED, _S.CONTACTING, _A.REOPEN, "reason_given"),
)

_ALLOWED = {(t.source, t.target): t for t in TRANSITIONS}

# Guards that only automated observers (ingestion) may skip: the platform is the evidence.
SYSTEM_SKIPPABLE_GUARDS = frozenset({"reason_given"})


def transition_for(source: str, target: str) -> Transition | None:
    return _ALLOWED.get((Status(source), Status(target)))


def can_transition(source: str, target: str) -> bool:
    return transition_for(source, target) is not None


def targets_for(source: str, action: Action) -> list[Status]:
    """The states `action` may lead to from `source` (usually one)."""
    return [t.target for t in TRANSITIONS if t.source == Status(source) and t.action is action]


def pauses_sla(status: str) -> bool:
    return Status(status) in WAITING_STATUSES
