"""Writes for organisations, shops and memberships (STYLE C2)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.utils.text import slugify

from reviewdesk.shops.errors import ShopError, ShopErrorCode
from reviewdesk.shops.models import (
    Membership,
    Organisation,
    Platform,
    ProductCategory,
    Role,
    Shop,
)
from reviewdesk.shops.selectors import Actor, actor_has_role


def shop_create(
    *,
    slug: str,
    name: str,
    platform: str,
    organisation: Organisation | None = None,
    product_category: str = "",
) -> Shop:
    if platform not in Platform.values:
        choices = ", ".join(Platform.values)
        raise ShopError(
            ShopErrorCode.UNKNOWN_PLATFORM, f"unknown platform {platform!r}; use one of {choices}"
        )
    if slugify(slug) != slug:
        raise ShopError(
            ShopErrorCode.SLUG_TAKEN,
            f"slug {slug!r} must be lowercase letters, digits and hyphens",
        )
    if product_category and product_category not in ProductCategory.values:
        choices = ", ".join(ProductCategory.values)
        raise ShopError(
            ShopErrorCode.UNKNOWN_CATEGORY,
            f"unknown product category {product_category!r}; use one of {choices} or leave it out",
        )
    with transaction.atomic():
        if organisation is None:
            organisation, _ = Organisation.objects.get_or_create(name=name)
        try:
            with transaction.atomic():
                return Shop.objects.create(
                    organisation=organisation,
                    slug=slug,
                    name=name,
                    platform=platform,
                    product_category=product_category,
                )
        except IntegrityError as exc:
            raise ShopError(ShopErrorCode.SLUG_TAKEN, f"a shop with slug {slug!r} exists") from exc


def membership_grant(*, user: AbstractBaseUser, shop: Shop, role: str = Role.AGENT) -> Membership:
    if role not in Role.values:
        raise ShopError(ShopErrorCode.NOT_ALLOWED, f"unknown role {role!r}")
    membership, _ = Membership.objects.update_or_create(
        user_id=user.pk, shop=shop, defaults={"role": role, "is_active": True}
    )
    return membership


def user_create(*, username: str, password: str, display_name: str = "") -> AbstractBaseUser:
    user_model = get_user_model()
    return user_model.objects.create_user(
        username=username, password=password, first_name=display_name
    )


def shop_product_category_set(*, actor: Actor, shop: Shop, category: str) -> Shop:
    """The owner sets what the shop mainly sells ("" = estimate per review); new reviews are
    triaged with it (reviews.triage), existing verdicts stay as they were."""
    if not actor_has_role(actor=actor, shop=shop, role=Role.OWNER):
        raise ShopError(ShopErrorCode.NOT_ALLOWED, "only the shop owner changes the category")
    if category and category not in ProductCategory.values:
        raise ShopError(ShopErrorCode.UNKNOWN_CATEGORY, f"unknown product category {category!r}")
    Shop.objects.filter(pk=shop.pk).update(product_category=category)
    shop.product_category = category
    return shop
