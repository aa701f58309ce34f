"""Contact attempts and exact-time appointments with the buyer."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from reviewdesk.cases.models.case import Case


class Channel(models.TextChoices):
    PHONE = "phone", _("电话")
    IM = "im", _("旺旺/千牛")
    SMS = "sms", _("短信")
    MESSAGE = "message", _("站内信")


class ContactOutcome(models.TextChoices):
    NO_ANSWER = "no_answer", _("未接通")
    REFUSED = "refused", _("拒绝沟通")
    TALKED = "talked", _("已沟通")
    SOLVED = "solved", _("问题已解决")
    # Recorded when the buyer offers it unprompted; never solicited (DOMAIN compliance).
    OFFERED_REVISE = "offered_revise", _("买家主动提出修改评价")
    CALL_BACK = "call_back", _("约定回访")


class ContactAttempt(models.Model):
    """One attempt to reach the buyer. Visible from every case linked to the same buyer+order."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="contact_attempts")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    channel = models.CharField(_("渠道"), max_length=16, choices=Channel.choices)
    outcome = models.CharField(_("结果"), max_length=16, choices=ContactOutcome.choices)
    note = models.TextField(_("备注"), blank=True, default="")
    at = models.DateTimeField(_("联系时间"))

    class Meta:
        verbose_name = _("联系记录")
        verbose_name_plural = _("联系记录")
        ordering: ClassVar = ["at", "id"]
        indexes: ClassVar = [models.Index(fields=["case", "at"])]

    def __str__(self) -> str:
        return f"{self.case_id} {self.channel} {self.outcome}"


class AppointmentStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("已约定")
    KEPT = "kept", _("已按时联系")
    CANCELLED = "cancelled", _("已取消")


class Appointment(models.Model):
    """A call-back agreed with the buyer at an exact minute (DOMAIN R4: never 明天 or 下午)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="appointments")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    at = models.DateTimeField(_("约定时间"))
    channel = models.CharField(_("渠道"), max_length=16, choices=Channel.choices, default="phone")
    note = models.TextField(_("备注"), blank=True, default="")
    status = models.CharField(
        max_length=16, choices=AppointmentStatus.choices, default=AppointmentStatus.SCHEDULED
    )
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("约定回访")
        verbose_name_plural = _("约定回访")
        ordering: ClassVar = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.case_id} @ {self.at:%Y-%m-%d %H:%M}"

    def countdown(self, now: dt.datetime) -> dt.timedelta:
        return self.at - now


# --- SLA pauses, timers and in-app notifications (STYLE C8) --------------------------------------
