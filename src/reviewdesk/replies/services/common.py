"""Shared guards for reply writes: roles, timeline rows, the outgoing-text compliance check."""

from __future__ import annotations

from typing import Any

from reviewdesk.cases.models import Case, CaseEvent, CaseEventKind
from reviewdesk.core import clock
from reviewdesk.replies.compliance import CheckContext, ComplianceResult, check
from reviewdesk.replies.errors import ReplyError, ReplyErrorCode
from reviewdesk.shops.models import Role, Shop
from reviewdesk.shops.selectors import Actor, actor_has_role

# Connectors that can post an explanation: connector key -> dotted path of a function
# `post_explanation(*, connection, oid: int, text: str) -> None` (raises on failure). Empty until
# the Taobao/Tmall connector lands (PLATFORM §4.2 taobao.traderate.explain.add is Tmall-only).
EXPLAIN_CAPABLE_CONNECTORS: dict[str, str] = {}


def require_role(actor: Actor, shop: Shop, role: str) -> None:
    if not actor_has_role(actor=actor, shop=shop, role=role):
        raise ReplyError(ReplyErrorCode.NOT_ALLOWED, f"需要{Role(role).label}或以上权限")


def actor_id(actor: Actor) -> int | None:
    pk = getattr(actor, "pk", None)
    return int(pk) if pk is not None else None


def timeline_note(case: Case, actor: Actor, message: str, data: dict[str, Any]) -> None:
    CaseEvent.objects.create(
        case=case,
        at=clock.now(),
        actor_id=actor_id(actor),
        kind=CaseEventKind.NOTE,
        message=message,
        data=data,
    )


def compliance_context(case: Case) -> CheckContext:
    return CheckContext(buyer_offered_revise=case.offered_revise_at is not None)


def outgoing_text_check(*, case: Case, text: str) -> ComplianceResult:
    """The check every outgoing message to this case's buyer passes (channels call this)."""
    return check(text, compliance_context(case))


def compliance_guard(field: str, text: str, context: CheckContext | None = None) -> None:
    result = check(text, context)
    if result.blocked:
        raise ReplyError(
            ReplyErrorCode.BLOCKED_BY_COMPLIANCE,
            result.summary(),
            findings=result.findings,
            field=field,
        )
