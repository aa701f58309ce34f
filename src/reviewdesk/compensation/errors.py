from __future__ import annotations

from enum import StrEnum

from reviewdesk.core.errors import DomainError


class CompensationErrorCode(StrEnum):
    NOT_ALLOWED = "not_allowed"
    INVALID_AMOUNT = "invalid_amount"
    REVIEW_CONDITIONED = "review_conditioned"  # the wording ties money to a review (compliance)
    WRONG_STATUS = "wrong_status"
    NOT_FOUND = "not_found"
    OVER_LIMIT = "over_limit"  # an approver whose own limit does not cover the amount


class CompensationError(DomainError):
    pass
