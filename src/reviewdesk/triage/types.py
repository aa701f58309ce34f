"""Value types of triage: what a classifier reads (context) and what it returns (result).

Frozen dataclasses with no Django imports, so classifiers, the training recipe and the ingestion
pipeline share them without pulling in the ORM. `TriageResult.to_dict()` is the JSON stored in
`Review.triage` and printed by `reviewdesk triage classify`.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Final

CAUSES: Final = (
    "quality",
    "not_as_described",
    "size_fit",
    "dislike_style",
    "wrong_or_missing",
    "logistics",
    "service",
    "price",
    "fake_goods",
    "other",
)
SEVERITIES: Final = ("high", "medium", "low")
RISK_FLAGS: Final = (
    "extortion",
    "complaint_threat",
    "professional_reviewer",
    "competitor_suspect",
    "multi_item_order",
)


@dataclass(frozen=True)
class BuyerHistory:
    """The buyer's record in this shop; the professional-reviewer signals (DOMAIN: 职业差评师)."""

    neutral_bad_count: int = 0
    review_count: int = 0
    unreceived_review_count: int = 0
    account_age_days: int | None = None


@dataclass(frozen=True)
class TriageContext:
    """Everything besides the text that a classifier may use. All fields are optional facts."""

    result: str | None = None  # "good" | "neutral" | "bad"
    followup: str | None = None  # 追评 text
    item_title: str | None = None
    order_item_count: int = 1
    buyer_history: BuyerHistory = field(default_factory=BuyerHistory)


@dataclass(frozen=True)
class Span:
    """Characters that drove a decision; offsets index into the text named by `source`."""

    start: int
    end: int
    text: str
    reason: str
    source: str = "review"  # "review" | "followup" | "buyer_history" | "context"


@dataclass(frozen=True)
class TriageResult:
    is_complaint: bool
    complaint_probability: float
    cause: str
    cause_probability: float
    severity: str
    risk_flags: list[str]
    evidence: dict[str, list[Span]]
    model_name: str
    model_version: str
    severity_probability: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict (probabilities rounded to 4 places; spans as dicts)."""
        data = asdict(self)
        for key in ("complaint_probability", "cause_probability", "severity_probability"):
            data[key] = round(float(data[key]), 4)
        return data
