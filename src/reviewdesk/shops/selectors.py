"""Reads scoped by the acting user (STYLE C3). Every other app's selectors start here."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import QuerySet

from reviewdesk.shops.errors import ShopError, ShopErrorCode
from reviewdesk.shops.models import Membership, Role, Shop


class SystemActor:
    """The operator at the console or a background task: sees every shop, like `manage.py shell`.

    Interfaces used by people (web, API) always pass the request's user instead.
    """

    is_authenticated = True
    is_superuser = True
    pk = None

    def get_username(self) -> str:
        return "system"


Actor = AbstractBaseUser | AnonymousUser | SystemActor


def _user_id(actor: Actor) -> int:
    if actor.pk is None:
        raise ShopError(ShopErrorCode.NOT_ALLOWED, "this actor is not a stored user")
    return int(actor.pk)


def shops_visible_to(actor: Actor) -> QuerySet[Shop]:
    """Shops where the actor holds an active membership. Superusers see every shop."""
    if not actor.is_authenticated:
        return Shop.objects.none()
    if getattr(actor, "is_superuser", False):
        return Shop.objects.all()
    return Shop.objects.filter(
        memberships__user_id=_user_id(actor), memberships__is_active=True
    ).distinct()


def shop_get(*, actor: Actor, slug: str) -> Shop:
    """The shop if the actor may see it; unknown and forbidden look the same (no existence leak)."""
    shop = shops_visible_to(actor).filter(slug=slug).first()
    if shop is None:
        raise ShopError(ShopErrorCode.UNKNOWN_SHOP, f"no shop {slug!r} visible to this user")
    return shop


def membership_get(*, actor: Actor, shop: Shop) -> Membership | None:
    if not actor.is_authenticated:
        return None
    return Membership.objects.filter(user_id=_user_id(actor), shop=shop, is_active=True).first()


def actor_has_role(*, actor: Actor, shop: Shop, role: str) -> bool:
    if getattr(actor, "is_superuser", False):
        return True
    membership = membership_get(actor=actor, shop=shop)
    return membership is not None and membership.has_role(role)


def actor_can_see_contact(*, actor: Actor, shop: Shop) -> bool:
    return actor_has_role(actor=actor, shop=shop, role=Role.SUPERVISOR)


def shop_agents(*, shop: Shop) -> QuerySet[Membership]:
    """Active memberships that take cases (agents and supervisors), in a stable order."""
    return (
        Membership.objects.filter(shop=shop, is_active=True, role__in=[Role.AGENT, Role.SUPERVISOR])
        .select_related("user")
        .order_by("id")
    )
