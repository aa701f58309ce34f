"""Review reads, always scoped by the acting user (STYLE C3) through shops_visible_to.

Also the one place that decides whether an actor sees a buyer's phone and address in clear or
masked (Membership.can_see_contact: supervisor and above), so the workbench and the API agree.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from django.db.models import QuerySet

from reviewdesk.core.errors import DomainError
from reviewdesk.core.masking import mask_address, mask_name, mask_phone
from reviewdesk.reviews.models import Buyer, Review, ReviewResult, ReviewState
from reviewdesk.shops.models import ROLE_RANK, Membership, Role
from reviewdesk.shops.selectors import Actor, shops_visible_to


class ReviewErrorCode(StrEnum):
    NOT_FOUND = "not_found"
    INVALID_FILTER = "invalid_filter"


class ReviewError(DomainError):
    """Lives here until reviews/errors.py exists (requested from the lead)."""


def review_list(
    *,
    actor: Actor,
    shop: str | None = None,
    result: str | None = None,
    state: str | None = None,
    tid: int | None = None,
) -> QuerySet[Review]:
    """Reviews of the shops the actor may see, newest first. `shop` is a slug."""
    qs = Review.objects.filter(shop__in=shops_visible_to(actor)).select_related(
        "shop", "buyer", "order_item"
    )
    if shop:
        qs = qs.filter(shop__slug=shop)
    if result:
        if result not in ReviewResult.values:
            raise ReviewError(
                ReviewErrorCode.INVALID_FILTER,
                f"unknown result {result!r}; use {', '.join(ReviewResult.values)}",
            )
        qs = qs.filter(result=result)
    if state:
        if state not in ReviewState.values:
            raise ReviewError(
                ReviewErrorCode.INVALID_FILTER,
                f"unknown state {state!r}; use {', '.join(ReviewState.values)}",
            )
        qs = qs.filter(state=state)
    if tid is not None:
        qs = qs.filter(tid=tid)
    return qs.order_by("-rated_at", "-id")


def review_get(*, actor: Actor, review_id: int) -> Review:
    """The review with its versions if visible to the actor; otherwise NOT_FOUND (no leak)."""
    review = (
        review_list(actor=actor)
        .select_related("order_item__order")
        .prefetch_related("versions")
        .filter(pk=review_id)
        .first()
    )
    if review is None:
        raise ReviewError(ReviewErrorCode.NOT_FOUND, f"review {review_id} not found")
    return review


def reviews_by_oid_for_order(*, actor: Actor, shop_id: int, tid: int) -> dict[int, Review]:
    """All reviews of one order, by oid: one angry buyer may rate every item (DOMAIN 003 §4)."""
    return {
        r.oid: r for r in review_list(actor=actor).filter(shop_id=shop_id, tid=tid).order_by("oid")
    }


def contact_visible_shop_ids(*, actor: Actor) -> frozenset[int]:
    """Ids of the visible shops where the actor may see buyer contact data in clear.

    One query for a whole page of rows from several shops (no per-row role lookups).
    """
    if not actor.is_authenticated or actor.pk is None:
        return frozenset()
    if getattr(actor, "is_superuser", False):
        return frozenset(shops_visible_to(actor).values_list("id", flat=True))
    allowed = [role for role, rank in ROLE_RANK.items() if rank >= ROLE_RANK[Role.SUPERVISOR]]
    return frozenset(
        Membership.objects.filter(user_id=actor.pk, is_active=True, role__in=allowed).values_list(
            "shop_id", flat=True
        )
    )


@dataclass(frozen=True, slots=True)
class BuyerContact:
    """What the actor may see of a buyer's contact data; `masked` says which form it is."""

    nick: str
    phone: str
    address: str
    receiver_name: str
    masked: bool


def buyer_contact(*, buyer: Buyer | None, visible_shop_ids: Iterable[int]) -> BuyerContact | None:
    """Clear contact data for shops in `visible_shop_ids` (see contact_visible_shop_ids), masked
    otherwise. Empty values stay empty so the UI can say "unknown" rather than "****"."""
    if buyer is None:
        return None
    if buyer.shop_id in set(visible_shop_ids):
        return BuyerContact(
            nick=buyer.nick,
            phone=buyer.phone,
            address=buyer.address,
            receiver_name=buyer.receiver_name,
            masked=False,
        )
    return BuyerContact(
        nick=buyer.nick,
        phone=mask_phone(buyer.phone) if buyer.phone else "",
        address=mask_address(buyer.address) if buyer.address else "",
        receiver_name=mask_name(buyer.receiver_name) if buyer.receiver_name else "",
        masked=True,
    )
