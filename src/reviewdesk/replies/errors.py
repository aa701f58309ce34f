from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum
from typing import TYPE_CHECKING

from reviewdesk.core.errors import DomainError

if TYPE_CHECKING:
    from reviewdesk.replies.compliance import Finding


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
    INVALID_KEY = "invalid_key"  # a script key that is not a short lowercase slug
    DEFAULT_REQUIRED = "default_required"  # a shop cannot un-require a shipped required step


class ReplyError(DomainError):
    """`findings` (compliance) and `field` (which input) let a form show the blocked rule and
    the evidence next to the text that broke it, instead of one flat message."""

    def __init__(
        self,
        code: ReplyErrorCode,
        message: str,
        *,
        findings: Sequence[Finding] = (),
        field: str = "",
    ) -> None:
        super().__init__(code, message)
        self.findings = tuple(findings)
        self.field = field
