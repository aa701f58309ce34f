"""What refund ingestion observed, for the case layer to act on (ARCHITECTURE data flow)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class RefundEvent:
    """One refund that is new, changed status, or saw the platform step in, in one batch."""

    refund_id: int  # the Refund row's id (not the platform's refund id)
    created: bool
    previous_status: str  # "" for a new refund
    status: str
    intervened: bool = False  # the platform's customer service stepped in in this batch
