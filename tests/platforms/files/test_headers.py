from __future__ import annotations

import pytest

from reviewdesk.platforms.files.headers import (
    ORDER_ALIASES,
    ORDER_REQUIRED,
    REVIEW_ALIASES,
    REVIEW_REQUIRED,
    HeaderError,
    normalise,
    plan_columns,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("订单付款时间 ", "订单付款时间"),
        ("\t收货地址\t", "收货地址"),
        ("商品 ID", "商品id"),
        ("商品总价（元）", "商品总价"),
        ("用户实付金额(元)", "用户实付金额"),
        ("\ufeffTID", "tid"),
    ],
)
def test_normalises_headers(raw: str, expected: str) -> None:
    assert normalise(raw) == expected


def test_order_id_beats_parent_order_id_in_the_order_report() -> None:
    plan = plan_columns(["主订单编号", "买家会员名", "订单编号"], ORDER_ALIASES, ORDER_REQUIRED)
    assert plan.header_of("tid") == "订单编号"
    assert plan.ignored == ("主订单编号",)


def test_parent_order_id_is_the_order_id_in_the_item_report() -> None:
    plan = plan_columns(["子订单编号", "主订单编号", "标题"], ORDER_ALIASES, ORDER_REQUIRED)
    assert (plan.header_of("tid"), plan.header_of("oid")) == ("主订单编号", "子订单编号")


def test_top_names_and_chinese_headers_both_match() -> None:
    top = plan_columns(["tid", "result", "created", "nick"], REVIEW_ALIASES, REVIEW_REQUIRED)
    chinese = plan_columns(["订单号", "评价", "初次评价时间"], REVIEW_ALIASES, REVIEW_REQUIRED)
    assert [c.index for c in top.columns] == [0, 3, 1, 2]
    assert {c.field for c in chinese.columns} == {"tid", "result", "created"}


def test_missing_required_column_names_what_is_accepted() -> None:
    with pytest.raises(HeaderError, match="评价结果"):
        plan_columns(["订单编号", "评价时间"], REVIEW_ALIASES, REVIEW_REQUIRED)
