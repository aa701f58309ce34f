"""Exact appointment times (DOMAIN R4): "今天晚上8:15", never 明天 / 下午 / 早晨. Pure.

Accepted, in shop-local time:
- `YYYY-MM-DD HH:MM` (also with `/`), the form the CLI and the API use;
- a day word (今天/今晚/明天/明早/明晚/后天) or `M月D日` plus an exact clock time: `20:15`, `8:15`,
  `8点15`, `8点15分`, `8点半`, `8点整`, optionally after a part of day (早上/上午/中午/下午/晚上),
  which turns 8:15 into 20:15 after 下午/晚上.
Refused, with the reason: a day or part of day without a clock time (明天, 下午, 明天下午), a clock
time without a day (ambiguous across midnight), an hour without minutes (8点 — say 8点整), a time
that has passed, and contradictions such as 早上20:15.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass


class VagueTimeError(ValueError):
    """The text does not name one exact minute; the message says why, in the agents' language."""


@dataclass(frozen=True, slots=True)
class ExactTime:
    at: dt.datetime  # aware, in the shop's zone
    echo: str  # the absolute time to read back to the buyer, e.g. 2026-11-20（周五）20:15


_WEEKDAYS = "一二三四五六日"
_ABSOLUTE = re.compile(r"^\s*(\d{4})[-/](\d{1,2})[-/](\d{1,2})[ T]+(\d{1,2}):(\d{2})\s*$")
_DAY_WORDS = {
    "今天": (0, None),
    "今日": (0, None),
    "今晚": (0, "晚上"),
    "明天": (1, None),
    "明日": (1, None),
    "明早": (1, "早上"),
    "明晚": (1, "晚上"),
    "后天": (2, None),
}
_PARTS = {
    "凌晨": "early",
    "早上": "am",
    "早晨": "am",
    "上午": "am",
    "中午": "noon",
    "下午": "pm",
    "傍晚": "pm",
    "晚上": "pm",
    "夜里": "pm",
}
_VAGUE_ONLY = (
    "明天",
    "后天",
    "今天",
    "下午",
    "上午",
    "早上",
    "早晨",
    "晚上",
    "中午",
    "一会儿",
    "待会",
    "稍后",
    "有空",
    "改天",
    "下次",
    "周末",
)
_RELATIVE = re.compile(
    r"^\s*(?P<day>今天|今日|今晚|明天|明日|明早|明晚|后天|(?P<month>\d{1,2})月(?P<date>\d{1,2})[日号])?"
    r"\s*(?P<part>凌晨|早上|早晨|上午|中午|下午|傍晚|晚上|夜里)?\s*"
    r"(?P<clock>(?P<h>\d{1,2})\s*[:：]\s*(?P<m>\d{2})|(?P<h2>\d{1,2})\s*点\s*(?:(?P<m2>\d{1,2})\s*分?|(?P<half>半)|(?P<sharp>整))?)?"
    r"\s*(?:分)?\s*$"
)


def _reason_vague(text: str) -> str:
    words = [w for w in _VAGUE_ONLY if w in text]
    said = "、".join(words) if words else text.strip() or "空白"
    return (
        f"“{said}”不是确切时间：请和买家约定到分钟的时间，例如“今天晚上8:15”或"
        "“2026-11-20 20:15”（DOMAIN R4：不要用明天、下午、早晨这样的模糊说法）"
    )


def _apply_part(hour: int, part: str | None, text: str) -> int:
    kind = _PARTS.get(part or "")
    if kind is None:
        return hour
    if kind in {"am", "early"} and hour >= 13:
        raise VagueTimeError(f"“{text.strip()}”前后矛盾：{part}不会是{hour}点")
    if kind == "pm" and hour < 12:
        return hour + 12
    if kind == "noon" and hour < 6:
        return hour + 12
    return hour


def echo(at: dt.datetime) -> str:
    return f"{at:%Y-%m-%d}（周{_WEEKDAYS[at.weekday()]}）{at:%H:%M}"


def parse_exact_time(text: str, *, now: dt.datetime, tz: dt.tzinfo) -> ExactTime:
    """The one minute `text` names, in zone `tz`, or VagueTimeError saying why not.

    `now` is passed in (STYLE C8); the result must lie after it.
    """
    local_now = now.astimezone(tz)
    absolute = _ABSOLUTE.match(text)
    if absolute:
        year, month, day, hour, minute = (int(g) for g in absolute.groups())
        try:
            naive = dt.datetime(year, month, day, hour, minute)  # noqa: DTZ001 - zone set below
        except ValueError as exc:
            raise VagueTimeError(f"“{text.strip()}”不是有效的日期时间：{exc}") from exc
        at = naive.replace(tzinfo=tz)
    else:
        at = _parse_relative(text, local_now, tz)
    if at <= local_now:
        raise VagueTimeError(f"{echo(at)} 已经过去了，请约定一个将来的时间")
    return ExactTime(at=at, echo=echo(at))


def _parse_relative(text: str, local_now: dt.datetime, tz: dt.tzinfo) -> dt.datetime:
    match = _RELATIVE.match(text)
    if not match or not (match["day"] or match["part"] or match["clock"]):
        raise VagueTimeError(_reason_vague(text))
    if not match["clock"]:
        raise VagueTimeError(_reason_vague(text))
    if not match["day"]:
        raise VagueTimeError(
            f"“{text.strip()}”没有说是哪一天：请写“今天{text.strip()}”或“明天{text.strip()}”，"
            "或写完整日期 YYYY-MM-DD HH:MM"
        )
    if match["h2"] is not None and not (match["m2"] or match["half"] or match["sharp"]):
        raise VagueTimeError(
            f"“{text.strip()}”只有钟点没有分钟：请说到分钟，例如“{match['h2']}点整”或"
            f"“{match['h2']}:00”"
        )
    day_word = match["day"]
    part = match["part"]
    if day_word in _DAY_WORDS:
        offset, implied_part = _DAY_WORDS[day_word]
        day = local_now.date() + dt.timedelta(days=offset)
        part = part or implied_part
    else:
        month, date = int(match["month"]), int(match["date"])
        try:
            day = dt.date(local_now.year, month, date)
            if day < local_now.date():
                day = dt.date(local_now.year + 1, month, date)
        except ValueError as exc:
            raise VagueTimeError(f"“{text.strip()}”不是有效日期") from exc
    if match["h"] is not None:
        hour, minute = int(match["h"]), int(match["m"])
    else:
        hour = int(match["h2"])
        minute = 30 if match["half"] else 0 if match["sharp"] else int(match["m2"])
    hour = _apply_part(hour, part, text)
    if not (0 <= hour <= 23 and 0 <= minute <= 59):
        raise VagueTimeError(f"“{text.strip()}”不是有效的钟点")
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=tz)
