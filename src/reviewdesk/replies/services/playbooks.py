"""Shop playbooks and reply settings."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import replace
from typing import Any

from django.db import transaction

from reviewdesk.replies.errors import ReplyError, ReplyErrorCode
from reviewdesk.replies.models import (
    ReplySettings,
    ShopPlaybook,
)
from reviewdesk.replies.playbooks import (
    Playbook,
    PlaybookDataError,
    Step,
    default_playbooks,
    steps_from_data,
)
from reviewdesk.replies.selectors import (
    effective_playbooks,
    effective_scripts,
    reply_settings,
)
from reviewdesk.replies.services.common import (
    actor_id,
    compliance_guard,
    require_role,
)
from reviewdesk.shops.models import Role, Shop
from reviewdesk.shops.selectors import Actor


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
            "updated_by_id": actor_id(actor),
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
    require_role(actor, shop, Role.SUPERVISOR)
    base = effective_playbooks(shop=shop).get(key)
    if base is None:
        raise ReplyError(ReplyErrorCode.NOT_FOUND, f"没有流程 {key}")
    try:
        parsed = steps_from_data(steps)
    except (PlaybookDataError, KeyError) as exc:
        raise ReplyError(ReplyErrorCode.INVALID_TEMPLATE, f"步骤格式不对：{exc}") from exc
    known_scripts = effective_scripts(shop=shop)
    for step in parsed:
        compliance_guard("steps", step.title)
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
    require_role(actor, shop, Role.SUPERVISOR)
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
    require_role(actor, shop, Role.SUPERVISOR)
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
