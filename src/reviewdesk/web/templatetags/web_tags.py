"""Template helpers for the workbench: labels, ages, money, the actor's shops."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django import template
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.utils.translation import gettext, ngettext, pgettext

from reviewdesk.core import clock
from reviewdesk.replies.selectors import shops_visible_with_manage
from reviewdesk.shops.models import Shop
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
    """The user's shops, each with `can_manage` (supervisor or above) for the Shop settings
    menu, in one query."""
    return list(shops_visible_with_manage(actor=user))


@register.filter(name="stars")
def stars(value: int | None) -> str:
    if value is None:
        return "—"
    return "★" * value + "☆" * (5 - value)


@register.filter(name="get")
def get_item(mapping: dict[str, object], key: str) -> object:
    return mapping.get(key, "")


def clock_text(seconds: int) -> str:
    """|seconds| as 2天 03:04:05 / 03:04:05 / 04:05 (the same format app.js keeps ticking)."""
    seconds = abs(int(seconds))
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    clock_part = (
        f"{hours:02d}:{minutes:02d}:{secs:02d}" if hours or days else f"{minutes:02d}:{secs:02d}"
    )
    if days:
        return f"{days}{pgettext('countdown days', 'd')} {clock_part}"
    return clock_part


def short_text(seconds: int) -> str:
    """|seconds| for a narrow column: 1天3小时 / 5小时12分 / 12:30 (under an hour it ticks)."""
    seconds = abs(int(seconds))
    if seconds < 3600:
        return clock_text(seconds)
    return duration(dt.timedelta(seconds=seconds))


@register.simple_tag
def countdown(due: dt.datetime | None, now: dt.datetime | None = None, short: bool = False) -> str:
    """Server-rendered first value of a live countdown: 还剩 12:30 / 已超时 01:05:12."""
    if due is None:
        return "—"
    seconds = int((due - (now or clock.now())).total_seconds())
    text = short_text(seconds) if short else clock_text(seconds)
    if seconds >= 0:
        return gettext("%(clock)s left") % {"clock": text}
    return gettext("%(clock)s overdue") % {"clock": text}


@register.filter(name="duration")
def duration(value: dt.timedelta | None) -> str:
    """A pause or wait as 2小时15分 / 3天4小时."""
    if value is None:
        return "—"
    minutes = int(value.total_seconds()) // 60
    days, rest = divmod(minutes, 1440)
    hours, mins = divmod(rest, 60)
    if days:
        return gettext("%(d)dd %(h)dh") % {"d": days, "h": hours}
    if hours:
        return gettext("%(h)dh %(m)dm") % {"h": hours, "m": mins}
    return gettext("%(m)dm") % {"m": mins}


@register.filter(name="pct")
def pct(value: object, digits: int = 1) -> str:
    if not isinstance(value, int | float):
        return "—"
    return f"{float(value) * 100:.{int(digits)}f}%"


@register.filter(name="decimals")
def decimals(value: object, digits: int = 5) -> str:
    if not isinstance(value, int | float):
        return "—"
    return f"{float(value):.{int(digits)}f}"


@register.filter(name="signed")
def signed(value: object, digits: int = 5) -> str:
    """A delta with its sign: +0.00123 / −0.00456."""
    if value is None:
        return "—"
    number = float(value)  # type: ignore[arg-type]
    text = f"{abs(number):.{int(digits)}f}"
    return f"+{text}" if number > 0 else (f"−{text}" if number < 0 else text)


@register.inclusion_tag("web/_bell.html", takes_context=True)
def notification_bell(context: template.Context) -> dict[str, object]:
    from reviewdesk.web.views.notifications import bell_context

    request = context["request"]
    return {
        **bell_context(request.user),
        "open": False,
        "request": request,
        "csrf_token": context.get("csrf_token"),
    }


@register.simple_tag
def countdown_attrs(short: bool = False) -> str:
    """data-* texts app.js uses to keep a countdown ticking in the page's language."""
    from django.utils.html import format_html

    attrs = format_html(
        'data-left="{}" data-over="{}" data-day="{}"',
        gettext("%(clock)s left") % {"clock": "%s"},
        gettext("%(clock)s overdue") % {"clock": "%s"},
        pgettext("countdown days", "d"),
    )
    if not short:
        return attrs
    return format_html(
        '{} data-short-d="{}" data-short-h="{}"',
        attrs,
        gettext("%(d)dd %(h)dh"),
        gettext("%(h)dh %(m)dm"),
    )
