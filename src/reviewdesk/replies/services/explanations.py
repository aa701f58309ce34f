"""Public explanations (评价解释): facts, draft, tone review and posting."""

from __future__ import annotations

from importlib import import_module

from django.db import transaction

from reviewdesk.cases.models import Case, CaseKind
from reviewdesk.core import clock
from reviewdesk.replies import llm
from reviewdesk.replies.compliance import ComplianceResult, check
from reviewdesk.replies.errors import ReplyError, ReplyErrorCode
from reviewdesk.replies.explanations import ExplanationFacts, explanation_is_open
from reviewdesk.replies.models import (
    Explanation,
    PostedVia,
)
from reviewdesk.replies.selectors import (
    contact_times,
    reply_settings,
)
from reviewdesk.replies.services.common import (
    EXPLAIN_CAPABLE_CONNECTORS,
    actor_id,
    require_role,
    timeline_note,
)
from reviewdesk.replies.tone import ToneFinding, check_tone, has_errors
from reviewdesk.shops.models import Role, Shop
from reviewdesk.shops.selectors import Actor


def known_personal_data(case: Case) -> list[str]:
    buyer = case.buyer
    if buyer is None:
        return []
    return [v for v in (buyer.phone, buyer.address, buyer.receiver_name) if v]


def explanation_facts(*, case: Case, new_product_line: bool = False) -> ExplanationFacts:
    settings_row = reply_settings(shop=case.shop)
    return ExplanationFacts(
        shop_name=case.shop.name,
        supervisor_account=settings_row.supervisor_account or f"{case.shop.name}售后主管",
        contact_times=contact_times(case=case),
        cause=case.cause or "",
        new_product_line=new_product_line,
        timezone=case.shop.timezone or "Asia/Shanghai",
    )


def _require_review_case(case: Case) -> None:
    if case.kind != CaseKind.REVIEW or case.review is None:
        raise ReplyError(ReplyErrorCode.NOT_A_REVIEW_CASE, "只有中差评工单可以写评价解释")


def explanation_draft(
    *,
    actor: Actor,
    case: Case,
    new_product_line: bool = False,
    llm_config: llm.LlmConfig | None = None,
    use_llm: bool = True,
) -> Explanation:
    """Draft (or redraft) the case's explanation; LLM when configured, else the template."""
    require_role(actor, case.shop, Role.AGENT)
    _require_review_case(case)
    facts = explanation_facts(case=case, new_product_line=new_product_line)
    config = (llm_config or llm.LlmConfig.from_settings()) if use_llm else None
    draft = llm.draft_explanation_text(
        facts, config=config, known_personal=known_personal_data(case)
    )
    findings = check_tone(draft.text, known_personal=known_personal_data(case))
    with transaction.atomic():
        row, _ = Explanation.objects.get_or_create(
            case=case, defaults={"created_at": clock.now(), "review": case.review}
        )
        if row.is_posted():
            raise ReplyError(ReplyErrorCode.ALREADY_POSTED, "这条评价已经发布过解释")
        row.draft = draft.text
        row.draft_source = draft.source
        row.fallback_reason = draft.fallback_reason
        row.tone_findings = [f.as_dict() for f in findings]
        row.save()
    return row


def explanation_review_text(*, case: Case, text: str) -> tuple[ComplianceResult, list[ToneFinding]]:
    return check(text), check_tone(text, known_personal=known_personal_data(case))


def connector_supports_explain(*, shop: Shop) -> bool:
    """Whether an enabled connection of the shop can post explanations through the platform."""
    return shop.connections.filter(
        is_enabled=True, connector__in=list(EXPLAIN_CAPABLE_CONNECTORS)
    ).exists()


def explanation_post(
    *,
    actor: Actor,
    case: Case,
    text: str,
    via: str = PostedVia.MANUAL_COPY,
    acknowledge_warnings: bool = False,
) -> Explanation:
    """Post through the connector when it supports it; otherwise the agent copied the text to the
    seller centre and marks it posted. Refuses blocked wording, tone errors, unacknowledged tone
    warnings, a review with a 追评 or older than 30 days (PLATFORM L8), and a second post."""
    require_role(actor, case.shop, Role.AGENT)
    _require_review_case(case)
    review = case.review
    if review is None:  # narrowed for the type checker; _require_review_case checked it
        raise ReplyError(ReplyErrorCode.NOT_A_REVIEW_CASE, "只有中差评工单可以写评价解释")
    now = clock.now()
    if not explanation_is_open(review, now):
        reason = "买家已追评" if review.followup_content.strip() else "已超过评价后30天"
        raise ReplyError(ReplyErrorCode.EXPLANATION_CLOSED, f"{reason}，平台不再接受解释")
    text = text.strip()
    compliance, findings = explanation_review_text(case=case, text=text)
    if compliance.blocked:
        raise ReplyError(ReplyErrorCode.BLOCKED_BY_COMPLIANCE, compliance.summary())
    if has_errors(findings):
        messages = "；".join(f.message for f in findings if f.severity == "error")
        raise ReplyError(ReplyErrorCode.TONE_ERRORS, messages)
    if findings and not acknowledge_warnings:
        raise ReplyError(
            ReplyErrorCode.TONE_NOT_ACKNOWLEDGED,
            "请先阅读语气提示并确认：" + "；".join(f.rule for f in findings),
        )
    if via == PostedVia.CONNECTOR:
        if not connector_supports_explain(shop=case.shop):
            raise ReplyError(
                ReplyErrorCode.CONNECTOR_UNSUPPORTED,
                "该店铺的平台接口不支持发布评价解释，请复制后到卖家中心发布，再标记为已发布",
            )
        _post_via_connector(case=case, text=text)
    elif via != PostedVia.MANUAL_COPY:
        raise ReplyError(ReplyErrorCode.CONNECTOR_UNSUPPORTED, f"未知的发布方式 {via}")
    with transaction.atomic():
        row, _ = Explanation.objects.get_or_create(
            case=case, defaults={"created_at": now, "review": review}
        )
        claimed = Explanation.objects.filter(pk=row.pk, posted_at__isnull=True).update(
            text=text,
            posted_at=now,
            posted_via=via,
            posted_by_id=actor_id(actor),
            tone_findings=[f.as_dict() for f in findings],
        )
        if claimed == 0:
            raise ReplyError(ReplyErrorCode.ALREADY_POSTED, "这条评价已经发布过解释")
        timeline_note(
            case,
            actor,
            f"评价解释已发布（{PostedVia(via).label}）",
            {"explanation": row.pk, "via": via},
        )
        row.refresh_from_db()
    return row


def _post_via_connector(*, case: Case, text: str) -> None:
    connection = case.shop.connections.filter(
        is_enabled=True, connector__in=list(EXPLAIN_CAPABLE_CONNECTORS)
    ).first()
    if connection is None or case.review is None:
        raise ReplyError(ReplyErrorCode.CONNECTOR_UNSUPPORTED, "没有可用的平台接口")
    module_name, _, attr = EXPLAIN_CAPABLE_CONNECTORS[connection.connector].rpartition(".")
    post = getattr(import_module(module_name), attr)
    post(connection=connection, oid=case.review.oid, text=text)
