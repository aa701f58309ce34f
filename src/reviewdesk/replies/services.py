"""Writes for playbook steps, scripts, script use and explanations (STYLE C2).

Each takes `*, actor, case` where `case` came from cases.selectors.case_get(actor=...), checks
the actor's role in the case's shop, writes in one transaction and appends a timeline row.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import replace
from importlib import import_module
from typing import Any

from django.db import transaction

from reviewdesk.cases.models import Case, CaseEvent, CaseEventKind, CaseKind
from reviewdesk.core import clock
from reviewdesk.replies import llm
from reviewdesk.replies.compliance import CheckContext, ComplianceResult, check
from reviewdesk.replies.errors import ReplyError, ReplyErrorCode
from reviewdesk.replies.explanations import ExplanationFacts, explanation_is_open
from reviewdesk.replies.models import (
    Channel,
    Explanation,
    PostedVia,
    ReplySettings,
    ScriptTemplate,
    ScriptUse,
    ShopPlaybook,
    StepCheck,
    StepState,
)
from reviewdesk.replies.playbooks import (
    Playbook,
    PlaybookDataError,
    Step,
    default_playbooks,
    steps_from_data,
)
from reviewdesk.replies.selectors import (
    contact_times,
    effective_playbooks,
    effective_scripts,
    placeholder_values,
    playbook_for_case,
    reply_settings,
)
from reviewdesk.replies.templating import TemplateError, render, validate_template
from reviewdesk.replies.tone import ToneFinding, check_tone, has_errors
from reviewdesk.shops.models import Role, Shop
from reviewdesk.shops.selectors import Actor, actor_has_role

# Connectors that can post an explanation: connector key -> dotted path of a function
# `post_explanation(*, connection, oid: int, text: str) -> None` (raises on failure). Empty until
# the Taobao/Tmall connector lands (PLATFORM §4.2 taobao.traderate.explain.add is Tmall-only).
EXPLAIN_CAPABLE_CONNECTORS: dict[str, str] = {}


def _require_role(actor: Actor, shop: Shop, role: str) -> None:
    if not actor_has_role(actor=actor, shop=shop, role=role):
        raise ReplyError(ReplyErrorCode.NOT_ALLOWED, f"需要{Role(role).label}或以上权限")


def _actor_id(actor: Actor) -> int | None:
    pk = getattr(actor, "pk", None)
    return int(pk) if pk is not None else None


def _timeline(case: Case, actor: Actor, message: str, data: dict[str, Any]) -> None:
    CaseEvent.objects.create(
        case=case,
        at=clock.now(),
        actor_id=_actor_id(actor),
        kind=CaseEventKind.NOTE,
        message=message,
        data=data,
    )


def compliance_context(case: Case) -> CheckContext:
    return CheckContext(buyer_offered_revise=case.offered_revise_at is not None)


def outgoing_text_check(*, case: Case, text: str) -> ComplianceResult:
    """The check every outgoing message to this case's buyer passes (channels call this)."""
    return check(text, compliance_context(case))


# --- playbook steps -----------------------------------------------------------------------------
def step_check(*, actor: Actor, case: Case, step_key: str, note: str = "") -> StepCheck:
    _require_role(actor, case.shop, Role.AGENT)
    playbook = playbook_for_case(case=case)
    step = playbook.step(step_key)
    if step is None:
        raise ReplyError(ReplyErrorCode.UNKNOWN_STEP, f"流程“{playbook.title}”没有步骤 {step_key}")
    with transaction.atomic():
        row, _ = StepCheck.objects.update_or_create(
            case=case,
            step_key=step_key,
            defaults={
                "playbook_key": playbook.key,
                "state": StepState.CHECKED,
                "note": note,
                "checked_by_id": _actor_id(actor),
                "checked_at": clock.now(),
            },
        )
        _timeline(case, actor, f"完成步骤：{step.title}", {"step": step_key, "state": "checked"})
    return row


def step_uncheck(*, actor: Actor, case: Case, step_key: str) -> None:
    _require_role(actor, case.shop, Role.AGENT)
    with transaction.atomic():
        deleted, _ = StepCheck.objects.filter(case=case, step_key=step_key).delete()
        if deleted:
            _timeline(case, actor, f"撤销步骤：{step_key}", {"step": step_key, "state": ""})


def step_skip(*, actor: Actor, case: Case, step_key: str, reason: str) -> StepCheck:
    """Skip a step with a reason; the supervisor sees it in selectors.steps_skipped (R14)."""
    _require_role(actor, case.shop, Role.AGENT)
    if not reason.strip():
        raise ReplyError(ReplyErrorCode.REASON_REQUIRED, "跳过必做步骤需要填写原因")
    playbook = playbook_for_case(case=case)
    step = playbook.step(step_key)
    if step is None:
        raise ReplyError(ReplyErrorCode.UNKNOWN_STEP, f"流程“{playbook.title}”没有步骤 {step_key}")
    with transaction.atomic():
        row, _ = StepCheck.objects.update_or_create(
            case=case,
            step_key=step_key,
            defaults={
                "playbook_key": playbook.key,
                "state": StepState.SKIPPED,
                "note": reason.strip(),
                "checked_by_id": _actor_id(actor),
                "checked_at": clock.now(),
            },
        )
        _timeline(
            case,
            actor,
            f"跳过步骤：{step.title}（原因：{reason.strip()}）",
            {"step": step_key, "state": "skipped", "required": step.required},
        )
    return row


def step_skips_record(*, actor: Actor, case: Case, reason: str) -> list[StepCheck]:
    """Record `reason` on every unchecked required step: for the close service, so a case closed
    with a reason shows up in the supervisor's list of skipped steps."""
    playbook = playbook_for_case(case=case)
    done = set(StepCheck.objects.filter(case=case).values_list("step_key", flat=True))
    return [
        step_skip(actor=actor, case=case, step_key=s.key, reason=reason)
        for s in playbook.required_steps
        if s.key not in done
    ]


# --- scripts ------------------------------------------------------------------------------------
# A script key is part of URLs and of playbook data: short, lowercase, ASCII (like the defaults).
SCRIPT_KEY = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")


def _compliance_guard(field: str, text: str, context: CheckContext | None = None) -> None:
    result = check(text, context)
    if result.blocked:
        raise ReplyError(
            ReplyErrorCode.BLOCKED_BY_COMPLIANCE,
            result.summary(),
            findings=result.findings,
            field=field,
        )


def script_save(
    *,
    actor: Actor,
    shop: Shop,
    key: str,
    title: str,
    body: str,
    channel: str = "im",
    requires_offered_revise: bool = False,
    attach_to_step: str = "",
) -> ScriptTemplate:
    """Create or edit a shop script (a default's key makes a shop copy). Supervisor and above.

    Nothing is stored when the title or body breaks a compliance rule: the error carries the
    findings (rule, evidence) and the field. `attach_to_step` also lists the script under that
    step key in every playbook of the shop that has the step (shop copies, as playbook_save),
    so a new script shows up on the cases it was written for."""
    _require_role(actor, shop, Role.SUPERVISOR)
    key = key.strip()
    if not SCRIPT_KEY.match(key):
        raise ReplyError(
            ReplyErrorCode.INVALID_KEY,
            "标识只能用小写字母、数字和连字符（最多 64 个字符），例如 size-chart",
            field="key",
        )
    if not title.strip():
        raise ReplyError(ReplyErrorCode.INVALID_TEMPLATE, "请填写标题", field="title")
    if channel not in Channel.values:
        raise ReplyError(ReplyErrorCode.INVALID_TEMPLATE, f"未知的渠道 {channel}", field="channel")
    try:
        validate_template(body)
    except TemplateError as exc:
        raise ReplyError(ReplyErrorCode.INVALID_TEMPLATE, str(exc), field="body") from exc
    context = CheckContext(buyer_offered_revise=requires_offered_revise)
    _compliance_guard("title", title, context)
    _compliance_guard("body", body, context)
    playbooks = effective_playbooks(shop=shop)
    targets = [p for p in playbooks.values() if attach_to_step and p.step(attach_to_step)]
    if attach_to_step and not targets:
        raise ReplyError(
            ReplyErrorCode.UNKNOWN_STEP, f"没有步骤 {attach_to_step}", field="attach_to_step"
        )
    with transaction.atomic():
        row, _ = ScriptTemplate.objects.update_or_create(
            shop=shop,
            key=key,
            defaults={
                "title": title.strip(),
                "body": body,
                "channel": channel,
                "requires_offered_revise": requires_offered_revise,
                "is_active": True,
                "created_by_id": _actor_id(actor),
            },
        )
        for playbook in targets:
            steps = [
                replace(s, scripts=(*s.scripts, key))
                if s.key == attach_to_step and key not in s.scripts
                else s
                for s in playbook.steps
            ]
            if tuple(steps) != playbook.steps:
                _playbook_store(actor=actor, shop=shop, base=playbook, steps=steps)
    return row


def script_deactivate(*, actor: Actor, shop: Shop, key: str) -> None:
    _require_role(actor, shop, Role.SUPERVISOR)
    script = effective_scripts(shop=shop).get(key)
    if script is None:
        raise ReplyError(ReplyErrorCode.NOT_FOUND, f"没有话术 {key}")
    ScriptTemplate.objects.update_or_create(
        shop=shop,
        key=key,
        defaults={"title": script.title, "body": script.body, "is_active": False},
    )


def script_use_record(*, actor: Actor, case: Case, script_key: str) -> tuple[ScriptUse, str]:
    """The agent copied or sent a script: count it and return the filled text."""
    _require_role(actor, case.shop, Role.AGENT)
    script = effective_scripts(shop=case.shop).get(script_key)
    if script is None:
        raise ReplyError(ReplyErrorCode.NOT_FOUND, f"没有话术 {script_key}")
    if script.requires_offered_revise and case.offered_revise_at is None:
        raise ReplyError(
            ReplyErrorCode.REQUIRES_BUYER_OFFER,
            "这条话术只能在买家主动提出修改评价后使用",
        )
    rendered = render(script.body, placeholder_values(case=case, actor=actor))
    result = outgoing_text_check(case=case, text=rendered.text)
    if result.blocked:
        raise ReplyError(ReplyErrorCode.BLOCKED_BY_COMPLIANCE, result.summary())
    with transaction.atomic():
        use = ScriptUse.objects.create(
            case=case,
            script_key=script_key,
            shop_script_id=script.shop_script_id,
            user_id=_actor_id(actor),
            at=clock.now(),
        )
    return use, rendered.text


# --- playbooks ------------------------------------------------------------------------------------
def _playbook_store(
    *, actor: Actor, shop: Shop, base: Playbook, steps: Sequence[Step], title: str | None = None
) -> ShopPlaybook:
    row, _ = ShopPlaybook.objects.update_or_create(
        shop=shop,
        key=base.key,
        defaults={
            "title": title or base.title,
            "kind": base.kind,
            "causes": sorted(base.causes),
            "risk_flags": sorted(base.risk_flags),
            "min_review_age_days": base.min_review_age_days,
            "is_default": base.default,
            "source": base.source,
            "steps": [s.as_dict() for s in steps],
            "updated_by_id": _actor_id(actor),
        },
    )
    return row


def playbook_save(
    *,
    actor: Actor,
    shop: Shop,
    key: str,
    steps: Sequence[dict[str, Any]],
    title: str | None = None,
) -> ShopPlaybook:
    """Edit a playbook for one shop: the first edit copies the default, later edits update it."""
    _require_role(actor, shop, Role.SUPERVISOR)
    base = effective_playbooks(shop=shop).get(key)
    if base is None:
        raise ReplyError(ReplyErrorCode.NOT_FOUND, f"没有流程 {key}")
    try:
        parsed = steps_from_data(steps)
    except (PlaybookDataError, KeyError) as exc:
        raise ReplyError(ReplyErrorCode.INVALID_TEMPLATE, f"步骤格式不对：{exc}") from exc
    known_scripts = effective_scripts(shop=shop)
    for step in parsed:
        _compliance_guard("steps", step.title)
        unknown = [s for s in step.scripts if s not in known_scripts]
        if unknown:
            raise ReplyError(
                ReplyErrorCode.NOT_FOUND, f"步骤 {step.key} 引用了不存在的话术 {unknown}"
            )
    with transaction.atomic():
        return _playbook_store(actor=actor, shop=shop, base=base, steps=parsed, title=title)


def playbook_required_set(
    *, actor: Actor, shop: Shop, key: str, required: Collection[str]
) -> ShopPlaybook:
    """Mark which steps of a playbook are required in this shop. A shop may make more steps
    required than the shipped playbook, never fewer: the shipped required steps are the ones
    whose omission caused bad reviews (R14), so un-requiring one is refused."""
    _require_role(actor, shop, Role.SUPERVISOR)
    base = effective_playbooks(shop=shop).get(key)
    if base is None:
        raise ReplyError(ReplyErrorCode.NOT_FOUND, f"没有流程 {key}")
    unknown = sorted(set(required) - {s.key for s in base.steps})
    if unknown:
        raise ReplyError(ReplyErrorCode.UNKNOWN_STEP, f"流程“{base.title}”没有步骤 {unknown}")
    shipped = default_playbooks().get(key)
    locked = {s.key for s in shipped.required_steps} if shipped is not None else set()
    dropped = [s.title for s in base.steps if s.key in locked and s.key not in required]
    if dropped:
        raise ReplyError(
            ReplyErrorCode.DEFAULT_REQUIRED,
            "这些步骤是默认必做步骤，不能改为选做：" + "、".join(dropped),
        )
    steps = [replace(s, required=s.key in required) for s in base.steps]
    with transaction.atomic():
        return _playbook_store(actor=actor, shop=shop, base=base, steps=steps)


def reply_settings_update(
    *,
    actor: Actor,
    shop: Shop,
    supervisor_account: str | None = None,
    return_address: str | None = None,
    processing_hours: int | None = None,
) -> ReplySettings:
    _require_role(actor, shop, Role.SUPERVISOR)
    row = reply_settings(shop=shop)
    if supervisor_account is not None:
        row.supervisor_account = supervisor_account.strip()
    if return_address is not None:
        row.return_address = return_address.strip()
    if processing_hours is not None:
        if not 1 <= processing_hours <= 24 * 7:
            raise ReplyError(ReplyErrorCode.INVALID_TEMPLATE, "处理时限应在 1 到 168 小时之间")
        row.processing_hours = processing_hours
    row.save()
    return row


# --- explanations -----------------------------------------------------------------------------
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
    _require_role(actor, case.shop, Role.AGENT)
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
    _require_role(actor, case.shop, Role.AGENT)
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
            posted_by_id=_actor_id(actor),
            tone_findings=[f.as_dict() for f in findings],
        )
        if claimed == 0:
            raise ReplyError(ReplyErrorCode.ALREADY_POSTED, "这条评价已经发布过解释")
        _timeline(
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
