"""The refund rules as tables and properties (aftersales/rules.py, DOMAIN 售后类型 退款)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reviewdesk.aftersales.rules import (
    RefundStatus,
    case_kind,
    case_update,
    intervened,
    penalty_at_stake,
    reason_verdict,
    refund_phase,
    refund_status,
    with_return,
)


@pytest.mark.parametrize(
    ("_case", "text", "expected"),
    [
        ("api wording, full-width comma", "买家已经申请退款，等待卖家同意", "waiting_seller"),
        ("api wording, half-width comma", "卖家已经同意退款,等待买家退货", "waiting_buyer_return"),
        ("returned", "买家已经退货，等待卖家确认收货", "waiting_seller_confirm"),
        ("refused", "卖家拒绝退款", "seller_refused"),
        ("closed", "退款关闭", "closed"),
        ("success", "退款成功", "success"),
        ("top code", "WAIT_SELLER_AGREE", "waiting_seller"),
        ("top code lower case", "seller_refuse_buyer", "seller_refused"),
        ("a shorter label", "等待买家退货", "waiting_buyer_return"),
        ("our own value", "success", "success"),
        ("unknown", "处理中", None),
        ("empty", "", None),
    ],
)
def test_reads_refund_status_strings(_case: str, text: str, expected: str | None) -> None:
    assert refund_status(text) == expected


@pytest.mark.parametrize(
    ("_case", "reason", "cause", "severity", "flags"),
    [
        ("out of stock costs 30%", "缺货", "out_of_stock", "medium", ("penalty_reason",)),
        (
            "late shipping costs 30%",
            "未按约定时间发货",
            "not_shipped_on_time",
            "medium",
            ("penalty_reason",),
        ),
        ("fake goods", "收到假货", "fake_goods", "high", ("fake_goods_claim",)),
        ("invoice", "发票问题", "invoice", "medium", ("invoice_reason",)),
        ("quality", "质量问题", "quality", "medium", ()),
        ("damaged", "收到商品破损", "quality", "medium", ()),
        ("colour", "颜色/图案/款式与商品描述不符", "not_as_described", "medium", ()),
        ("colour difference", "色差太大", "not_as_described", "medium", ()),
        ("size beats described", "大小/尺寸与商品描述不符", "size_fit", "low", ()),
        ("wrong item", "商品错发/漏发", "wrong_or_missing", "medium", ()),
        ("missing piece", "少件/漏发", "wrong_or_missing", "medium", ()),
        ("not received", "快递/物流一直未送到", "logistics", "medium", ()),
        ("seven days", "七天无理由退换货", "dislike_style", "low", ()),
        ("changed mind", "不喜欢/不想要", "dislike_style", "low", ()),
        ("says nothing", "其他", "", "", ()),
        ("empty", "", "", "", ()),
    ],
)
def test_reason_gives_cause_severity_and_flags(
    _case: str, reason: str, cause: str, severity: str, flags: tuple[str, ...]
) -> None:
    verdict = reason_verdict(reason)
    assert (verdict.cause, verdict.severity, verdict.flags) == (cause, severity, flags)


@pytest.mark.parametrize(
    ("_case", "need", "kind", "goods", "status", "expected"),
    [
        ("refund only wins", True, "仅退款", "", "", False),
        ("return and refund", None, "退货退款", "", "", True),
        ("exchange", None, "换货", "", "", True),
        ("need return column", True, "", "", "", True),
        ("no return column", False, "", "", "", False),
        ("goods already back", None, "", "买家已退货", "", True),
        ("status waits for the return", None, "", "", "waiting_buyer_return", True),
        ("nothing says", None, "", "", "waiting_seller", None),
    ],
)
def test_with_return(
    _case: str, need: bool | None, kind: str, goods: str, status: str, expected: bool | None
) -> None:
    assert (
        with_return(need_return=need, after_sale_type=kind, goods_status=goods, status=status)
        is expected
    )
    assert case_kind(expected) == ("return" if expected else "refund")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("客服介入中", True),
        ("需要客服介入", True),
        ("客服已介入", True),
        ("客服未介入", False),
        ("无需客服介入", False),
        ("买家已撤销介入", False),
        ("无", False),
        ("", False),
    ],
)
def test_reads_intervention(text: str, expected: bool) -> None:
    assert intervened(text) is expected


@pytest.mark.parametrize(
    ("reason", "kind"),
    [("质量问题", "return"), ("收到假货", "refund"), ("缺货", "refund"), ("发票问题", "refund")],
)
def test_refund_reasons_keep_the_refund_playbook_even_with_a_return(reason: str, kind: str) -> None:
    assert case_kind(True, reason_verdict(reason).flags) == kind


def test_reads_in_sale_and_after_sale() -> None:
    assert (refund_phase("售中退款"), refund_phase("售后退款"), refund_phase("")) == (
        "in_sale",
        "after_sale",
        "",
    )


@given(st.decimals(min_value=0, max_value=Decimal("9999999999.99"), places=2))
def test_penalty_is_thirty_percent_rounded_to_the_fen(amount: Decimal) -> None:
    penalty = penalty_at_stake(amount)
    assert penalty is not None
    assert abs(penalty - amount * Decimal("0.3")) <= Decimal("0.005")
    assert penalty == penalty.quantize(Decimal("0.01"))
    assert Decimal(0) <= penalty <= amount


def test_refusal_raises_the_case() -> None:
    update = case_update(previous="waiting_seller", status="seller_refused", intervened_now=False)
    assert update is not None
    assert (update.raise_to_high, update.to_supervisor, update.close_outcome) == (True, False, "")


def test_intervention_flags_and_goes_to_a_supervisor() -> None:
    update = case_update(previous="seller_refused", status="seller_refused", intervened_now=True)
    assert update is not None
    assert update.add_flags == ("platform_intervention",)
    assert (update.raise_to_high, update.to_supervisor) == (True, True)


@pytest.mark.parametrize(
    ("status", "outcome"),
    [("success", "solved"), ("closed", "other"), ("waiting_buyer_return", "")],
)
def test_end_states_close_the_case(status: str, outcome: str) -> None:
    update = case_update(previous="waiting_seller", status=status, intervened_now=False)
    assert update is not None
    assert update.close_outcome == outcome


def test_no_change_no_update() -> None:
    assert case_update(previous="success", status="success", intervened_now=False) is None


@given(
    st.sampled_from([s.value for s in RefundStatus]),
    st.sampled_from([s.value for s in RefundStatus]),
)
def test_only_end_states_close(previous: str, status: str) -> None:
    update = case_update(previous=previous, status=status, intervened_now=False)
    closes = update is not None and bool(update.close_outcome)
    assert closes == (previous != status and status in {"success", "closed"})


def test_status_strings_round_trip() -> None:
    for status in RefundStatus:
        assert refund_status(status.value) is status
