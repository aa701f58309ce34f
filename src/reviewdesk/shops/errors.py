from __future__ import annotations

from enum import StrEnum

from reviewdesk.core.errors import DomainError


class ShopErrorCode(StrEnum):
    SLUG_TAKEN = "slug_taken"
    UNKNOWN_SHOP = "unknown_shop"
    UNKNOWN_PLATFORM = "unknown_platform"
    UNKNOWN_CATEGORY = "unknown_category"
    NOT_ALLOWED = "not_allowed"


class ShopError(DomainError):
    pass
