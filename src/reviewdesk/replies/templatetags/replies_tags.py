"""Template helpers for the replies and compensation screens and the Shop settings menu."""

from __future__ import annotations

from django import template

from reviewdesk.replies.labels import label
from reviewdesk.shops.models import Shop

register = template.Library()


@register.filter(name="rlabel")
def rlabel(value: str | None, table: str) -> str:
    """`{{ offer.kind|rlabel:"compensation_kind" }}` -> 现金 / Cash."""
    return label(table, value)


@register.filter(name="item")
def item(mapping: dict[str, object] | None, key: str) -> object:
    """`{{ forms|item:row.script.key }}`: dict lookup for keys with hyphens."""
    return (mapping or {}).get(key)


@register.filter(name="managed")
def managed(shops: list[Shop]) -> list[Shop]:
    """The shops (from web's visible_shops, annotated `can_manage`) whose settings pages the
    user may open: the top bar's Shop settings menu lists them."""
    return [s for s in shops if getattr(s, "can_manage", False)]
