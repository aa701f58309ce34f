from __future__ import annotations

from enum import StrEnum

from reviewdesk.core.errors import DomainError


class ReplyErrorCode(StrEnum):
    NOT_ALLOWED = "not_allowed"
    NOT_FOUND = "not_found"
    UNKNOWN_STEP = "unknown_step"
    REASON_REQUIRED = "reason_required"
    BLOCKED_BY_COMPLIANCE = "blocked_by_compliance"
    TONE_ERRORS = "tone_errors"  # personal data or too long: cannot be posted
    TONE_NOT_ACKNOWLEDGED = "tone_not_acknowledged"  # warnings the agent has not confirmed
    EXPLANATION_CLOSED = "explanation_closed"  # 追评 exists or 30 days passed (PLATFORM L8)
    ALREADY_POSTED = "already_posted"
    NOT_A_REVIEW_CASE = "not_a_review_case"
    INVALID_TEMPLATE = "invalid_template"
    REQUIRES_BUYER_OFFER = "requires_buyer_offer"
    INCOMPLETE = "incomplete"  # a rendered script still has 【待填写】 markers
    CONNECTOR_UNSUPPORTED = "connector_unsupported"


class ReplyError(DomainError):
    pass
