"""SLA pauses, durable timers and in-app notifications."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from reviewdesk.cases.models.case import Case


class SlaPause(models.Model):
    """The SLA clocks stop while the case waits on the buyer or a third party."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="sla_pauses")
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=24)

    class Meta:
        verbose_name = _("时效暂停")
        verbose_name_plural = _("时效暂停")
        ordering: ClassVar = ["started_at", "id"]

    def __str__(self) -> str:
        return f"{self.case_id} paused {self.started_at:%Y-%m-%d %H:%M}"


class TimerKind(models.TextChoices):
    FIRST_CONTACT_WARNING = "first_contact_warning", _("首次联系即将超时")
    FIRST_CONTACT_BREACH = "first_contact_breach", _("首次联系超时")
    RESOLUTION_WARNING = "resolution_warning", _("处理即将超时")
    RESOLUTION_BREACH = "resolution_breach", _("处理超时")
    APPOINTMENT_REMINDER = "appointment_reminder", _("约定回访提醒")
    FOLLOW_UP = "follow_up", _("跟进计划")
    REVISION_WINDOW = "revision_window", _("修改期限提醒")


class TimerResult(models.TextChoices):
    FIRED = "fired", _("已触发")
    SKIPPED = "skipped", _("已跳过")  # the case moved on; nothing to say any more
    CANCELLED = "cancelled", _("已取消")
    FAILED = "failed", _("失败")


class TimerQuerySet(models.QuerySet["Timer"]):
    def due(self, now: dt.datetime) -> TimerQuerySet:
        return self.filter(fired_at__isnull=True, due_at__lte=now)

    def pending(self) -> TimerQuerySet:
        return self.filter(fired_at__isnull=True)


class Timer(models.Model):
    """A due time as a row: a restarted worker loses none; a conditional UPDATE claims it once.

    `fired_at` is set by the claim (healthchecks' pattern); cancelling sets it too, with a result.
    """

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="timers")
    kind = models.CharField(max_length=32, choices=TimerKind.choices)
    due_at = models.DateTimeField()
    fired_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True, default="")
    result = models.CharField(max_length=16, choices=TimerResult.choices, blank=True, default="")
    payload = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField()

    objects = TimerQuerySet.as_manager()

    class Meta:
        verbose_name = _("定时")
        verbose_name_plural = _("定时")
        indexes: ClassVar = [
            # The sweep reads only unfired rows by due time; fired rows (almost all of them, over
            # time) stay out of the index, so a sweep costs the same after a year as on day one.
            models.Index(
                fields=["due_at"],
                condition=models.Q(fired_at__isnull=True),
                name="timer_unfired_due",
            ),
            models.Index(fields=["case", "kind"], name="timer_case_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.due_at:%Y-%m-%d %H:%M} case {self.case_id}"


class Notification(models.Model):
    """In-app reminders, warnings and escalations for one user (channels come later)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="case_notifications"
    )
    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, null=True, blank=True, related_name="notifications"
    )
    kind = models.CharField(max_length=32)
    message = models.TextField()
    created_at = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        ordering: ClassVar = ["-created_at", "-id"]
        indexes: ClassVar = [models.Index(fields=["user", "read_at"], name="notification_unread")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind}"


# --- per-shop rules: routing, business calendar, SLA policy, compliance profile ------------------
