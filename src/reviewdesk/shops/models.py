"""Organisations own shops; users work in shops through memberships with a role per shop.

Every read in the product is scoped through Membership (selectors.shops_visible_to), so an agent of
shop A never sees shop B's buyers, reviews or cases.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from reviewdesk.core.crypto import EncryptedTextField


class Platform(models.TextChoices):
    TAOBAO = "taobao", _("淘宝")
    TMALL = "tmall", _("天猫")
    JD = "jd", _("京东")
    PDD = "pdd", _("拼多多")
    SIMULATOR = "simulator", _("演示模拟")


class Role(models.TextChoices):
    """Ordered by power: each role may do what the ones before it may."""

    AGENT = "agent", _("客服")
    SUPERVISOR = "supervisor", _("主管")
    OWNER = "owner", _("掌柜")
    ADMIN = "admin", _("管理员")


class ProductCategory(models.TextChoices):
    """What the shop mainly sells, in the triage model's categories (triage.types.CATEGORIES).

    Given, it steers the cause ("太小了" is size_fit for clothes, quality for fruit); blank, the
    model estimates the category of each review from its text."""

    BOOKS = "books", _("图书")
    TABLETS = "tablets", _("平板电脑")
    PHONES = "phones", _("手机")
    FRUIT = "fruit", _("水果生鲜")
    SHAMPOO = "shampoo", _("洗护用品")
    WATER_HEATERS = "water_heaters", _("热水器")
    DAIRY = "dairy", _("乳制品")
    CLOTHES = "clothes", _("服装")
    COMPUTERS = "computers", _("电脑")


ROLE_RANK: dict[str, int] = {Role.AGENT: 1, Role.SUPERVISOR: 2, Role.OWNER: 3, Role.ADMIN: 4}


class Organisation(models.Model):
    name = models.CharField(_("名称"), max_length=120)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("组织")
        verbose_name_plural = _("组织")

    def __str__(self) -> str:
        return self.name


class Shop(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="shops")
    slug = models.SlugField(_("标识"), max_length=64, unique=True)
    name = models.CharField(_("店铺名"), max_length=120)
    platform = models.CharField(_("平台"), max_length=16, choices=Platform.choices)
    platform_shop_id = models.CharField(_("平台店铺ID"), max_length=64, blank=True)
    timezone = models.CharField(_("时区"), max_length=64, default="Asia/Shanghai")
    is_active = models.BooleanField(_("启用"), default=True)
    product_category = models.CharField(
        _("主营类目"),
        max_length=16,
        choices=ProductCategory.choices,
        blank=True,
        default="",
        help_text=_("留空时按每条评价的内容估计类目"),
    )
    # Round-robin cursor for case assignment; advanced with F() so concurrent openers don't collide.
    assignment_counter = models.PositiveBigIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("店铺")
        verbose_name_plural = _("店铺")
        ordering: ClassVar = ["slug"]

    def __str__(self) -> str:
        return f"{self.name} ({self.slug})"


class Membership(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("角色"), max_length=16, choices=Role.choices, default=Role.AGENT)
    is_active = models.BooleanField(_("在岗"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("成员")
        verbose_name_plural = _("成员")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["user", "shop"], name="membership_user_shop_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.shop.slug} ({self.role})"

    def has_role(self, role: str) -> bool:
        return ROLE_RANK[self.role] >= ROLE_RANK[role]

    def can_see_contact(self) -> bool:
        """Buyer phone numbers and addresses: supervisors and above (security standard)."""
        return self.has_role(Role.SUPERVISOR)


class ShopConnection(models.Model):
    """An installed connector for a shop: encrypted credentials and the ingestion cursors."""

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="connections")
    connector = models.CharField(_("接入方式"), max_length=32)
    app_key = models.CharField(max_length=64, blank=True)
    app_secret = EncryptedTextField(blank=True, default="")
    session_key = EncryptedTextField(blank=True, default="")
    # Opaque per-stream cursors, e.g. {"reviews": "2026-11-20 10:00:00"}; a crash resumes from here.
    cursors = models.JSONField(default=dict, blank=True)
    is_enabled = models.BooleanField(default=True)
    last_error = models.TextField(blank=True, default="")
    last_run_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("平台连接")
        verbose_name_plural = _("平台连接")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["shop", "connector"], name="connection_shop_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.shop.slug}:{self.connector}"
