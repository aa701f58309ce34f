"""Timeline rows (STYLE C5: every state change writes a CaseEvent; who, when and why)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from reviewdesk.cases.models import Case, CaseEvent
from reviewdesk.shops.selectors import Actor


def actor_user_id(actor: Actor | None) -> int | None:
    """The stored user behind an actor; the console's SystemActor records as no one (system)."""
    if actor is None or actor.pk is None:
        return None
    return int(actor.pk)


def event_add(
    *,
    case: Case,
    kind: str,
    at: dt.datetime,
    actor: Actor | None = None,
    message: str = "",
    data: dict[str, Any] | None = None,
) -> CaseEvent:
    return CaseEvent.objects.create(
        case=case,
        at=at,
        actor_id=actor_user_id(actor),
        kind=kind,
        message=message,
        data=data or {},
    )
