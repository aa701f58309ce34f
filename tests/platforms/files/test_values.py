from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from reviewdesk.platforms.files import values

GMT8 = dt.timezone(dt.timedelta(hours=8))


@pytest.mark.parametrize(
    ("_case", "raw", "expected"),
    [
        ("formula quoted", '="1930679858170647"', 1930679858170647),
        ("tab prefixed", "\t3028689418086124", 3028689418086124),
        ("text marker", "'3028689418086124", 3028689418086124),
        ("19 digits", "9223372036854775807", 9223372036854775807),
        ("xlsx integer cell", 3028689418086124, 3028689418086124),
    ],
)
def test_reads_ids_in_every_export_wrapping(_case: str, raw: object, expected: int) -> None:
    assert values.platform_id(raw) == expected


@pytest.mark.parametrize(
    ("_case", "raw", "reason"),
    [
        ("scientific notation", "1.93068E+15", "科学计数法"),
        ("xlsx float cell", 1.930679858170647e15, "科学计数法"),
        ("empty", "", "缺少编号"),
        ("null", "null", "缺少编号"),
        ("letters", "TB3028689418", "编号无效"),
    ],
)
def test_rejects_ids_that_lost_digits_or_are_not_ids(_case: str, raw: object, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        values.platform_id(raw)


@pytest.mark.parametrize(
    ("_case", "raw", "expected"),
    [
        ("platform format", "2026-11-20 10:15:00", dt.datetime(2026, 11, 20, 10, 15, tzinfo=GMT8)),
        ("excel round trip", "2016/5/23 22:02", dt.datetime(2016, 5, 23, 22, 2, tzinfo=GMT8)),
        (
            "slashes with seconds",
            "2016/05/23 22:02:13",
            dt.datetime(2016, 5, 23, 22, 2, 13, tzinfo=GMT8),
        ),
        ("date only", "2026-11-20", dt.datetime(2026, 11, 20, tzinfo=GMT8)),
        (
            "tab wrapped",
            "\t2015-12-31 23:19:56\t",
            dt.datetime(2015, 12, 31, 23, 19, 56, tzinfo=GMT8),
        ),
        (
            "xlsx date cell",
            dt.datetime(2026, 11, 20, 10, 15),  # noqa: DTZ001 - a naive xlsx date cell
            dt.datetime(2026, 11, 20, 10, 15, tzinfo=GMT8),
        ),
        ("xlsx serial", 46346.4270833333, dt.datetime(2026, 11, 20, 10, 15, tzinfo=GMT8)),
    ],
)
def test_reads_dates_as_gmt8(_case: str, raw: object, expected: dt.datetime) -> None:
    value = values.datetime(raw)
    assert value is not None
    assert abs(value - expected) < dt.timedelta(seconds=1)
    assert value.utcoffset() == dt.timedelta(hours=8)


@pytest.mark.parametrize("raw", ["", "null", None])
def test_empty_date_is_none(raw: object) -> None:
    assert values.datetime(raw) is None


@pytest.mark.parametrize("raw", ["昨天", "2026-13-01 10:00", "20/11/2026", "2026-02-30"])
def test_rejects_unparsable_dates(raw: str) -> None:
    with pytest.raises(ValueError, match="时间"):
        values.datetime(raw)


@pytest.mark.parametrize(
    ("_case", "raw", "expected"),
    [
        ("plain", "598", Decimal("598.00")),
        ("unit suffix", "123.00元", Decimal("123.00")),
        ("currency and thousands", "¥1,299.5", Decimal("1299.50")),
        ("no refund", "无退款申请", None),
        ("empty", "", None),
        ("xlsx number", 129.9, Decimal("129.90")),
    ],
)
def test_reads_money(_case: str, raw: object, expected: Decimal | None) -> None:
    assert values.money(raw) == expected


def test_rejects_amounts_that_are_not_numbers() -> None:
    with pytest.raises(ValueError, match="金额不是数字"):
        values.money("一百二十九")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("好评", "good"), ("中评", "neutral"), ("差评", "bad"), ("BAD", "bad"), (" good ", "good")],
)
def test_reads_review_results(raw: str, expected: str) -> None:
    assert values.review_result(raw) == expected


def test_rejects_unknown_review_results() -> None:
    with pytest.raises(ValueError, match="未知的评价结果 'so-so'"):
        values.review_result("so-so")


@pytest.mark.parametrize(
    ("_case", "raw", "expected"),
    [
        ("full-width comma", "买家已付款，等待卖家发货", "WAIT_SELLER_SEND_GOODS"),
        ("half-width comma", "买家已付款,等待卖家发货", "WAIT_SELLER_SEND_GOODS"),
        ("finished", "交易成功", "TRADE_FINISHED"),
        ("already a code", "TRADE_FINISHED", "TRADE_FINISHED"),
        ("ambiguous kept", "交易关闭", "交易关闭"),
        ("unknown kept", "待评价", "待评价"),
    ],
)
def test_maps_unambiguous_statuses_to_top_codes(_case: str, raw: str, expected: str) -> None:
    assert values.status_code(raw) == expected


def test_rejects_texts_over_500_characters() -> None:
    assert values.text("好" * 500, limit=500) == "好" * 500
    with pytest.raises(ValueError, match="超过 500 个字符"):
        values.text("好" * 501, limit=500)


def test_phone_loses_its_excel_text_marker() -> None:
    assert values.phone("'18618486065") == "18618486065"


@pytest.mark.parametrize(
    ("raw", "expected"), [("是", True), ("否", False), ("1", True), ("", None)]
)
def test_reads_yes_no(raw: str, expected: bool | None) -> None:
    assert values.boolean(raw) is expected


def test_rejects_stars_outside_one_to_five() -> None:
    assert values.stars("5") == 5
    with pytest.raises(ValueError, match="1-5"):
        values.stars("6")
