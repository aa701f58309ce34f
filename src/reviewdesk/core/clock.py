"""The one place domain code asks for the time, so tests and simulations control it (STYLE C8)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.utils import timezone

SHANGHAI = ZoneInfo("Asia/Shanghai")


def now() -> dt.datetime:
    """Aware UTC now. Tests move it with time-machine."""
    return timezone.now()


def platform_naive_to_utc(value: dt.datetime, tz: ZoneInfo = SHANGHAI) -> dt.datetime:
    """Platform timestamps are GMT+8 wall-clock strings (PLATFORM §1.2); store them as UTC."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=tz)
    return value.astimezone(dt.UTC)
