"""Typed failures of the ratings app (STYLE C2)."""

from __future__ import annotations

from enum import StrEnum

from reviewdesk.core.errors import DomainError


class RatingErrorCode(StrEnum):
    NOT_ALLOWED = "not_allowed"
    INVALID_SCORE = "invalid_score"
    UNKNOWN_RATING = "unknown_rating"
    UNKNOWN_CASE = "unknown_case"
    INVALID_WHATIF = "invalid_whatif"


class RatingError(DomainError):
    pass
