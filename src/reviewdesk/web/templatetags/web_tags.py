"""Template helpers for the workbench: labels, ages, money, the actor's shops."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django import template
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.utils.translation import gettext, ngettext

from reviewdesk.core import clock
from reviewdesk.shops.models import Shop
from reviewdesk.shops.selectors import shops_visible_to
from reviewdesk.web.labels import label as _label

register = template.Library()


@register.filter(name="label")
def label_filter(value: str | None, table: str) -> str:
    """`{{ case.status|label:"status" }}` -> 联系中 / Contacting."""
    return _label(table, value)


def age_text(value: dt.datetime, now: dt.datetime) -> str:
    """Compact relative age: 刚刚, 5分钟前, 3小时前, 2天前 (English: 3 hours ago)."""
    seconds = int((now - value).total_seconds())
    if seconds < 60:
        return gettext("just now")
    minutes = seconds // 60
    if minutes < 60:
        return ngettext("%(n)d minute ago", "%(n)d minutes ago", minutes) % {"n": minutes}
    hours = minutes // 60
    if hours < 24:
        return ngettext("%(n)d hour ago", "%(n)d hours ago", hours) % {"n": hours}
    days = hours // 24
    if days < 31:
        return ngettext("%(n)d day ago", "%(n)d days ago", days) % {"n": days}
    months = days // 30
    if months < 12:
        return ngettext("%(n)d month ago", "%(n)d months ago", months) % {"n": months}
    years = days // 365
    return ngettext("%(n)d year ago", "%(n)d years ago", years) % {"n": years}


@register.filter(name="age")
def age_filter(value: dt.datetime | None, now: dt.datetime | None = None) -> str:
    if value is None:
        return ""
    return age_text(value, now or clock.now())


@register.filter(name="age_class")
def age_class(value: dt.datetime | None, now: dt.datetime | None = None) -> str:
    """DOMAIN R1: the longer a case waits the lower the chance; colour the age accordingly."""
    if value is None:
        return ""
    hours = ((now or clock.now()) - value).total_seconds() / 3600
    if hours >= 24:
        return "age-late"
    if hours >= 4:
        return "age-warn"
    return "age-fresh"


@register.filter(name="yuan")
def yuan(value: Decimal | None) -> str:
    if value is None:
        return "—"
    return f"¥{value:,.2f}"


@register.simple_tag
def visible_shops(user: AbstractBaseUser | AnonymousUser) -> list[Shop]:
    return list(shops_visible_to(user).order_by("slug"))


@register.filter(name="stars")
def stars(value: int | None) -> str:
    if value is None:
        return "—"
    return "★" * value + "☆" * (5 - value)


@register.filter(name="get")
def get_item(mapping: dict[str, object], key: str) -> object:
    return mapping.get(key, "")
