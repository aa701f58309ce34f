"""Case states and allowed transitions as a plain data table (STYLE C4). No Django imports.

Services consult `can_transition`; a property test walks the table. Guards are named here and
implemented in services, so the table stays readable by a supervisor.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Status(StrEnum):
    NEW = "new"
    CONTACTING = "contacting"
    WAITING_BUYER = "waiting_buyer"
    RESOLVING = "resolving"
    RESOLVED = "resolved"
    EXPLAINED = "explained"
    CLOSED = "closed"


OPEN_STATUSES = frozenset({Status.NEW, Status.CONTACTING, Status.WAITING_BUYER, Status.RESOLVING})
FINAL_STATUSES = frozenset({Status.RESOLVED, Status.EXPLAINED, Status.CLOSED})
WAITING_STATUSES = frozenset({Status.WAITING_BUYER})


class Outcome(StrEnum):
    REVISED = "revised"  # the review became good (observed by ingestion)
    DELETED = "deleted"  # the buyer deleted it
    SOLVED = "solved"  # problem solved, review stays
    EXPLAINED = "explained"  # public explanation posted
    NO_RESPONSE = "no_response"
    EXTORTION = "extortion"  # flagged and closed without negotiating (DOMAIN 003 §2-3)
    OTHER = "other"


@dataclass(frozen=True, slots=True)
class Transition:
    source: Status
    target: Status
    guard: str | None = None  # name of the check a service must pass


TRANSITIONS: tuple[Transition, ...] = (
    Transition(Status.NEW, Status.CONTACTING),
    Transition(Status.NEW, Status.RESOLVING),
    Transition(Status.CONTACTING, Status.WAITING_BUYER),
    Transition(Status.CONTACTING, Status.RESOLVING),
    Transition(Status.WAITING_BUYER, Status.CONTACTING),
    Transition(Status.WAITING_BUYER, Status.RESOLVING),
    Transition(Status.RESOLVING, Status.WAITING_BUYER),
    Transition(Status.RESOLVING, Status.RESOLVED, guard="required_steps_done_or_reason"),
    Transition(Status.RESOLVING, Status.EXPLAINED, guard="explanation_posted"),
    Transition(Status.CONTACTING, Status.EXPLAINED, guard="explanation_posted"),
    Transition(Status.WAITING_BUYER, Status.EXPLAINED, guard="explanation_posted"),
    # Ingestion closes from any open state when the review is revised or deleted.
    *(Transition(s, Status.CLOSED) for s in sorted(OPEN_STATUSES)),
    Transition(Status.RESOLVED, Status.CLOSED),
    Transition(Status.EXPLAINED, Status.CLOSED),
    # A buyer who writes a worse follow-up reopens a resolved case.
    Transition(Status.RESOLVED, Status.CONTACTING, guard="reopen_reason"),
    Transition(Status.EXPLAINED, Status.CONTACTING, guard="reopen_reason"),
)

_ALLOWED = {(t.source, t.target): t for t in TRANSITIONS}


def transition_for(source: str, target: str) -> Transition | None:
    return _ALLOWED.get((Status(source), Status(target)))


def can_transition(source: str, target: str) -> bool:
    return transition_for(source, target) is not None
