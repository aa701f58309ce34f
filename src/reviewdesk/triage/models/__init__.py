"""Triage's one table: agents' corrections of a case's cause and severity, kept as labels.

(This package also holds the shipped weights, `models/linear_ngram/*.npz`; Django reads the
`TriageLabel` model from here.) `reviewdesk triage train --shop SLUG` fits a shop's delta over
the default model from its labels (`triage.shop_training`).
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from reviewdesk.triage.types import CAUSES, SEVERITIES

CAUSE_CHOICES = [(c, c) for c in CAUSES]
SEVERITY_CHOICES = [(s, s) for s in SEVERITIES]


class TriageLabel(models.Model):
    """One correction: what the model said, what the agent set, on which text, by whom, when.

    Append-only: a second correction of the same case adds a row; training uses the latest
    per review.
    """

    shop = models.ForeignKey("shops.Shop", on_delete=models.CASCADE, related_name="triage_labels")
    review = models.ForeignKey(
        "reviews.Review", on_delete=models.CASCADE, related_name="triage_labels"
    )
    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="triage_labels",
    )
    text = models.TextField(_("评价内容"))  # snapshot: review text, then the 追评 on a new line
    cause = models.CharField(_("原因"), max_length=24, choices=CAUSE_CHOICES)
    severity = models.CharField(_("严重程度"), max_length=8, choices=SEVERITY_CHOICES)
    is_complaint = models.BooleanField(null=True, blank=True)
    previous_cause = models.CharField(max_length=24, blank=True, default="")
    previous_severity = models.CharField(max_length=8, blank=True, default="")
    model_name = models.CharField(max_length=64, blank=True, default="")
    model_version = models.CharField(max_length=64, blank=True, default="")
    labelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="triage_labels",
    )
    labelled_at = models.DateTimeField()

    class Meta:
        verbose_name = _("分类纠正")
        verbose_name_plural = _("分类纠正")
        ordering: ClassVar = ["labelled_at", "id"]
        indexes: ClassVar = [models.Index(fields=["shop", "labelled_at"])]

    def __str__(self) -> str:
        return f"{self.shop_id} review {self.review_id}: {self.cause}/{self.severity}"
