"""The shop's script library (话术): save, deactivate, record a use on a case."""

from __future__ import annotations

import re
from dataclasses import replace

from django.db import transaction

from reviewdesk.cases.models import Case
from reviewdesk.core import clock
from reviewdesk.replies.compliance import CheckContext
from reviewdesk.replies.errors import ReplyError, ReplyErrorCode
from reviewdesk.replies.models import (
    Channel,
    ScriptTemplate,
    ScriptUse,
)
from reviewdesk.replies.selectors import (
    effective_playbooks,
    effective_scripts,
    placeholder_values,
)
from reviewdesk.replies.services.common import (
    actor_id,
    compliance_guard,
    outgoing_text_check,
    require_role,
)
from reviewdesk.replies.services.playbooks import _playbook_store
from reviewdesk.replies.templating import TemplateError, render, validate_template
from reviewdesk.shops.models import Role, Shop
from reviewdesk.shops.selectors import Actor

# A script key is part of URLs and of playbook data: short, lowercase, ASCII (like the defaults).
SCRIPT_KEY = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")


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
    require_role(actor, shop, Role.SUPERVISOR)
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
    compliance_guard("title", title, context)
    compliance_guard("body", body, context)
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
                "created_by_id": actor_id(actor),
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
    require_role(actor, shop, Role.SUPERVISOR)
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
    require_role(actor, case.shop, Role.AGENT)
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
            user_id=actor_id(actor),
            at=clock.now(),
        )
    return use, rendered.text
