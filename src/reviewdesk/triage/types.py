"""Value types of triage: what a classifier reads (context) and what it returns (result).

Frozen dataclasses (and the `Span` named tuple) with no Django imports, so classifiers, the
training recipe and the ingestion pipeline share them without pulling in the ORM.
`TriageResult.to_dict()` is the JSON stored in `Review.triage` and printed by
`reviewdesk triage classify`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Final, NamedTuple

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
# Product categories of the training data (the `cat` column of ../shared/data). The cause head
# reads the category when the caller knows it and otherwise the category head's estimate from the
# text ("小" is a size problem for clothes, a quality or listing problem for fruit).
CATEGORIES: Final = (
    "books",
    "tablets",
    "phones",
    "fruit",
    "shampoo",
    "water_heaters",
    "dairy",
    "clothes",
    "computers",
)
CATEGORY_ALIASES: Final = {
    "书籍": "books",
    "平板": "tablets",
    "手机": "phones",
    "水果": "fruit",
    "洗发水": "shampoo",
    "热水器": "water_heaters",
    "蒙牛": "dairy",
    "牛奶": "dairy",
    "衣服": "clothes",
    "服装": "clothes",
    "计算机": "computers",
    "电脑": "computers",
}


def category_key(value: str | None) -> str | None:
    """The CATEGORIES key for a category name (English key or the data's Chinese name), or None
    for an empty or unknown one (the model then estimates the category from the text)."""
    if not value:
        return None
    value = value.strip()
    if value in CATEGORIES:
        return value
    return CATEGORY_ALIASES.get(value)


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
    category: str | None = None  # a CATEGORIES key or alias; unknown values are ignored
    buyer_history: BuyerHistory = field(default_factory=BuyerHistory)


class Span(NamedTuple):
    """Characters that drove a decision; offsets index into the text named by `source`.

    A NamedTuple rather than a frozen dataclass: a batch builds several per review, and a
    tuple is built about 4x faster (0.4 vs 1.7 us)."""

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
        """JSON-ready dict (probabilities rounded to 4 places; spans as dicts).

        Built by hand rather than with dataclasses.asdict, whose recursive deep copy cost more
        than the classification itself on a 100,000-review import.
        """
        return {
            "is_complaint": bool(self.is_complaint),
            "complaint_probability": round(float(self.complaint_probability), 4),
            "cause": self.cause,
            "cause_probability": round(float(self.cause_probability), 4),
            "severity": self.severity,
            "risk_flags": list(self.risk_flags),
            "evidence": {
                key: [
                    {"start": s, "end": e, "text": t, "reason": r, "source": src}
                    for s, e, t, r, src in spans
                ]
                for key, spans in self.evidence.items()
            },
            "model_name": self.model_name,
            "model_version": self.model_version,
            "severity_probability": round(float(self.severity_probability), 4),
        }
