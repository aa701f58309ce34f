"""What ingestion observed, for the case layer to act on (ARCHITECTURE data flow)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class ReviewEventKind(StrEnum):
    CREATED = "created"
    CHANGED = "changed"  # text or explanation changed, result not improved
    FOLLOWUP_ADDED = "followup_added"
    REVISED = "revised"  # neutral/bad became good
    WORSENED = "worsened"  # good became neutral/bad (should not happen on Taobao; handled anyway)
    DELETED = "deleted"


@dataclass(frozen=True, slots=True)
class ReviewEvent:
    kind: ReviewEventKind
    review_id: int
    version: int
    previous_result: str | None = None
    result: str | None = None  # the result after the change, so consumers can filter cheaply
