from __future__ import annotations

from enum import StrEnum

from reviewdesk.core.errors import DomainError


class CaseErrorCode(StrEnum):
    NOT_FOUND = "not_found"
    ALREADY_CLOSED = "already_closed"
    TRANSITION_NOT_ALLOWED = "transition_not_allowed"
    NO_AGENT = "no_agent"
    INVALID_FILTER = "invalid_filter"


class CaseError(DomainError):
    pass
