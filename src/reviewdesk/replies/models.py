"""Shop copies of playbooks and scripts, step checks, script use, explanations, reply settings.

The shipped defaults are data files (replies/data/*.toml, loaded by playbooks.py); a row here
exists only when a shop edited or added something, keyed like the default it replaces. Playbook
steps are a JSON list validated by playbooks.steps_from_data: a playbook is edited as a whole by
a supervisor, never queried step by step, so one row per playbook keeps the override simple.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from reviewdesk.cases.models import Case
from reviewdesk.reviews.models import Review
from reviewdesk.shops.models import Shop


class Channel(models.TextChoices):
    IM = "im", _("旺旺/千牛")
    PHONE = "phone", _("电话")
    SMS = "sms", _("短信")
    MESSAGE = "message", _("站内信")


class ReplySettings(models.Model):
    """Per-shop values the scripts and explanations need (R9 supervisor account, R14 address)."""

    shop = models.OneToOneField(Shop, on_delete=models.CASCADE, related_name="reply_settings")
    supervisor_account = models.CharField(_("主管旺旺账号"), max_length=128, blank=True)
    return_address = models.TextField(_("退货地址"), blank=True, default="")
    # R12: promise a concrete time; the placeholder renders now + this many hours in shop time.
    processing_hours = models.PositiveIntegerField(_("承诺处理时限（小时）"), default=24)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("话术设置")
        verbose_name_plural = _("话术设置")

    def __str__(self) -> str:
        return f"{self.shop.slug} reply settings"


class ShopPlaybook(models.Model):
    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="playbooks")
    key = models.SlugField(_("标识"), max_length=64)
    title = models.CharField(_("名称"), max_length=120)
    kind = models.CharField(_("工单类型"), max_length=16)
    causes = models.JSONField(_("适用原因"), default=list, blank=True)
    risk_flags = models.JSONField(_("风险标记"), default=list, blank=True)
    min_review_age_days = models.PositiveIntegerField(null=True, blank=True)
    is_default = models.BooleanField(_("该类型的默认流程"), default=False)
    steps = models.JSONField(_("步骤"), default=list)
    source = models.CharField(_("依据"), max_length=255, blank=True, default="")
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("店铺处理流程")
        verbose_name_plural = _("店铺处理流程")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["shop", "key"], name="shopplaybook_shop_key_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.shop.slug}:{self.key}"


class ScriptTemplate(models.Model):
    """A shop's own or edited script; `key` equal to a default's key replaces that default."""

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="scripts")
    key = models.SlugField(_("标识"), max_length=64)
    title = models.CharField(_("标题"), max_length=120)
    body = models.TextField(_("话术"))
    channel = models.CharField(_("渠道"), max_length=16, choices=Channel.choices, default="im")
    requires_offered_revise = models.BooleanField(_("仅限买家主动提出修改后"), default=False)
    is_active = models.BooleanField(_("启用"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("话术")
        verbose_name_plural = _("话术")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["shop", "key"], name="scripttemplate_shop_key_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.shop.slug}:{self.key}"


class StepState(models.TextChoices):
    CHECKED = "checked", _("已完成")
    SKIPPED = "skipped", _("跳过（已说明原因）")


class StepCheck(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="step_checks")
    playbook_key = models.CharField(max_length=64)
    step_key = models.CharField(max_length=64)
    state = models.CharField(max_length=8, choices=StepState.choices, default=StepState.CHECKED)
    note = models.TextField(_("备注/跳过原因"), blank=True, default="")
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    checked_at = models.DateTimeField()

    class Meta:
        verbose_name = _("步骤完成记录")
        verbose_name_plural = _("步骤完成记录")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["case", "step_key"], name="stepcheck_case_step_unique"),
            # A skipped required step is only acceptable with a reason (R14).
            models.CheckConstraint(
                condition=~models.Q(state="skipped") | ~models.Q(note=""),
                name="stepcheck_skip_needs_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id}:{self.step_key} {self.state}"


class ScriptUse(models.Model):
    """An agent copied or sent a script on a case. Counts per outcome join the case's outcome,
    so they are never stale (no copied outcome column to fill in later)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="script_uses")
    script_key = models.CharField(max_length=64)
    shop_script = models.ForeignKey(
        ScriptTemplate, on_delete=models.SET_NULL, null=True, blank=True, related_name="uses"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    at = models.DateTimeField()

    class Meta:
        verbose_name = _("话术使用")
        verbose_name_plural = _("话术使用")
        indexes: ClassVar = [models.Index(fields=["script_key", "at"])]

    def __str__(self) -> str:
        return f"{self.script_key} on {self.case_id}"


class PostedVia(models.TextChoices):
    CONNECTOR = "connector", _("平台接口")
    MANUAL_COPY = "manual_copy", _("手动复制")


class Explanation(models.Model):
    """The public explanation for a case's review: draft, final text, and how it was posted."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="explanation")
    review = models.ForeignKey(
        Review, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    draft = models.TextField(_("草稿"), blank=True, default="")
    text = models.TextField(_("发布内容"), blank=True, default="")
    draft_source = models.CharField(max_length=16, default="template")  # template | llm
    fallback_reason = models.TextField(blank=True, default="")
    tone_findings = models.JSONField(default=list, blank=True)
    posted_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    posted_via = models.CharField(max_length=16, choices=PostedVia.choices, blank=True)
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("评价解释")
        verbose_name_plural = _("评价解释")

    def __str__(self) -> str:
        return f"explanation for case {self.case_id}"

    def is_posted(self) -> bool:
        return self.posted_at is not None
