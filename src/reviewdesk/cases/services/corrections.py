"""An agent corrects triage's cause and severity on a case; the correction becomes a label.

`case_triage_correct` is the use case behind the case page's "correct" form (issue 4: "Agents'
corrections of cause and severity on a case are stored as labels"). The label
(`triage.TriageLabel`) keeps the text the agent judged and what the model had said, so
`reviewdesk triage train --shop SLUG` can retrain that shop's model and measure the gain.
"""

from __future__ import annotations

from django.db import transaction

from reviewdesk.cases.errors import CaseError, CaseErrorCode
from reviewdesk.cases.models import Case, CaseEventKind
from reviewdesk.cases.services.timeline import actor_user_id, event_add
from reviewdesk.cases.services.transitions import require_case_actor
from reviewdesk.core import clock
from reviewdesk.shops.selectors import Actor
from reviewdesk.triage.models import TriageLabel
from reviewdesk.triage.types import CAUSES, SEVERITIES


def case_triage_correct(*, actor: Actor, case: Case, cause: str, severity: str) -> TriageLabel:
    """Set the case's cause and severity as the agent judged them and store the label.

    Anyone who may work the case may correct it (others get NOT_FOUND). Raises INVALID_INPUT for
    an unknown cause or severity and NOT_ALLOWED for a case without a review (nothing to learn
    from). A correction that changes nothing is still stored: it confirms the model's label.
    """
    require_case_actor(actor=actor, case=case)
    if cause not in CAUSES:
        raise CaseError(CaseErrorCode.INVALID_INPUT, f"unknown cause: {cause}")
    if severity not in SEVERITIES:
        raise CaseError(CaseErrorCode.INVALID_INPUT, f"unknown severity: {severity}")
    with transaction.atomic():
        locked = (
            Case.objects.select_for_update(of=("self",)).select_related("review").get(pk=case.pk)
        )
        review = locked.review
        if review is None:
            raise CaseError(CaseErrorCode.NOT_ALLOWED, f"case {case.pk} has no review to label")
        now = clock.now()
        old_cause, old_severity = locked.cause, locked.severity
        triage = review.triage or {}
        label = TriageLabel.objects.create(
            shop_id=locked.shop_id,
            review=review,
            case=locked,
            text=_snapshot(review.content, review.followup_content),
            cause=cause,
            severity=severity,
            is_complaint=True,  # the agent works it as a complaint
            previous_cause=old_cause,
            previous_severity=old_severity,
            model_name=str(triage.get("model_name") or ""),
            model_version=str(triage.get("model_version") or ""),
            labelled_by_id=actor_user_id(actor),
            labelled_at=now,
        )
        locked.cause, locked.severity = cause, severity
        locked.save(update_fields=["cause", "severity", "updated_at"])
        event_add(
            case=locked,
            kind=CaseEventKind.TRIAGE,
            at=now,
            actor=actor,
            message=(
                f"分类纠正：原因 {old_cause or '-'} → {cause}，"
                f"严重程度 {old_severity or '-'} → {severity}"
            ),
            data={
                "correction": True,
                "label_id": label.pk,
                "cause": {"old": old_cause, "new": cause},
                "severity": {"old": old_severity, "new": severity},
                "model": label.model_name and f"{label.model_name} {label.model_version}".strip(),
            },
        )
    case.cause, case.severity = cause, severity
    return label


def _snapshot(content: str, followup: str) -> str:
    content, followup = (content or "").strip(), (followup or "").strip()
    return f"{content}\n{followup}".strip() if followup else content
