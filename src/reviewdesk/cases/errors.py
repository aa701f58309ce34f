from __future__ import annotations

from enum import StrEnum

from reviewdesk.core.errors import DomainError


class CaseErrorCode(StrEnum):
    NOT_FOUND = "not_found"
    ALREADY_CLOSED = "already_closed"
    TRANSITION_NOT_ALLOWED = "transition_not_allowed"
    NO_AGENT = "no_agent"
    INVALID_FILTER = "invalid_filter"
    GUARD_FAILED = "guard_failed"  # e.g. required playbook steps unchecked and no reason given
    REASON_REQUIRED = "reason_required"
    VAGUE_TIME = "vague_time"  # DOMAIN R4: an appointment needs an exact minute
    INVALID_INPUT = "invalid_input"
    NOT_ALLOWED = "not_allowed"


class CaseError(DomainError):
    """A case failure; `details` carries machine-readable extras (e.g. the unchecked steps)."""

    def __init__(self, code: StrEnum, message: str, *, details: list[str] | None = None) -> None:
        super().__init__(code, message)
        self.details = details or []
