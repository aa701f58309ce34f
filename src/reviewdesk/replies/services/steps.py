"""Playbook steps on a case: check, uncheck, skip with a reason."""

from __future__ import annotations

from django.db import transaction

from reviewdesk.cases.models import Case
from reviewdesk.core import clock
from reviewdesk.replies.errors import ReplyError, ReplyErrorCode
from reviewdesk.replies.models import (
    StepCheck,
    StepState,
)
from reviewdesk.replies.selectors import (
    playbook_for_case,
)
from reviewdesk.replies.services.common import (
    actor_id,
    require_role,
    timeline_note,
)
from reviewdesk.shops.models import Role
from reviewdesk.shops.selectors import Actor


def step_check(*, actor: Actor, case: Case, step_key: str, note: str = "") -> StepCheck:
    require_role(actor, case.shop, Role.AGENT)
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
                "checked_by_id": actor_id(actor),
                "checked_at": clock.now(),
            },
        )
        timeline_note(
            case, actor, f"完成步骤：{step.title}", {"step": step_key, "state": "checked"}
        )
    return row


def step_uncheck(*, actor: Actor, case: Case, step_key: str) -> None:
    require_role(actor, case.shop, Role.AGENT)
    with transaction.atomic():
        deleted, _ = StepCheck.objects.filter(case=case, step_key=step_key).delete()
        if deleted:
            timeline_note(case, actor, f"撤销步骤：{step_key}", {"step": step_key, "state": ""})


def step_skip(*, actor: Actor, case: Case, step_key: str, reason: str) -> StepCheck:
    """Skip a step with a reason; the supervisor sees it in selectors.steps_skipped (R14)."""
    require_role(actor, case.shop, Role.AGENT)
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
                "checked_by_id": actor_id(actor),
                "checked_at": clock.now(),
            },
        )
        timeline_note(
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
