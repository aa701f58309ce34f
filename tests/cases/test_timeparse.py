from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from reviewdesk.cases.timeparse import VagueTimeError, parse_exact_time
from tests.conftest import at

SH = ZoneInfo("Asia/Shanghai")
NOW = at("2026-11-20 10:15")  # a Friday


@pytest.mark.parametrize(
    ("_case", "text", "expected"),
    [
        ("absolute", "2026-11-20 20:15", "2026-11-20 20:15"),
        ("absolute with slashes", "2026/11/21 09:05", "2026-11-21 09:05"),
        ("tonight", "今晚8:15", "2026-11-20 20:15"),
        ("today evening, the seed's own words", "今天晚上8:15", "2026-11-20 20:15"),
        ("tomorrow morning 11:30 (003)", "明天早晨11:30", "2026-11-21 11:30"),
        ("tomorrow, 24-hour clock", "明天 14:30", "2026-11-21 14:30"),
        ("afternoon half past", "明天下午3点半", "2026-11-21 15:30"),
        ("o'clock sharp", "后天上午10点整", "2026-11-22 10:00"),
        ("hour and minutes", "今天晚上8点25分", "2026-11-20 20:25"),
        ("full-width colon", "明晚8：15", "2026-11-21 20:15"),
        ("month and day", "12月1日 9:30", "2026-12-01 09:30"),
    ],
)
def test_accepts_an_exact_minute(_case: str, text: str, expected: str) -> None:
    parsed = parse_exact_time(text, now=NOW, tz=SH)
    assert parsed.at == at(expected)
    assert parsed.echo.endswith(expected[-5:])


@pytest.mark.parametrize(
    ("_case", "text", "says"),
    [
        ("a day only", "明天", "不是确切时间"),
        ("a part of day only", "下午", "不是确切时间"),
        ("day and part of day", "明天下午", "不是确切时间"),
        ("early morning", "早晨", "不是确切时间"),
        ("later", "一会儿", "不是确切时间"),
        ("clock time without a day", "20:15", "没有说是哪一天"),
        ("hour without minutes", "明天8点", "只有钟点没有分钟"),
        ("in the past", "今天9:00", "已经过去了"),
        ("contradiction", "明天早上20:15", "前后矛盾"),
        ("not a date", "2026-02-30 10:00", "不是有效的日期时间"),
    ],
)
def test_refuses_vague_or_impossible_times_with_the_reason(
    _case: str, text: str, says: str
) -> None:
    with pytest.raises(VagueTimeError, match=says):
        parse_exact_time(text, now=NOW, tz=SH)


def test_echo_names_the_weekday_so_the_agent_can_read_it_back() -> None:
    assert parse_exact_time("今晚8:15", now=NOW, tz=SH).echo == "2026-11-20（周五）20:15"


def test_result_is_in_the_shop_zone() -> None:
    parsed = parse_exact_time("2026-11-20 20:15", now=NOW, tz=SH)
    assert parsed.at.utcoffset() == dt.timedelta(hours=8)
