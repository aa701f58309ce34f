"""`reviewdesk import refunds`: the 退款报表 in its versions A, B and C (EXPORTS §3, §7)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command

from reviewdesk.aftersales.models import Refund
from reviewdesk.cases.models import Case
from reviewdesk.platforms.files.importer import file_import
from reviewdesk.platforms.files.kinds import REFUNDS
from tests.conftest import World, at
from tests.platforms.files.builders import write_csv, write_xlsx

pytestmark = pytest.mark.postgres

# Version A (2017, Tmall, EXPORTS §3a), in its column order, trimmed of nothing.
HEADER_A = [
    "订单编号",
    "退款编号",
    "支付宝交易号",
    "订单付款时间",
    "商家编码",
    "退款完结时间",
    "买家会员名称",
    "买家实际支付金额",
    "宝贝标题",
    "买家退款金额",
    "手工退款/系统退款",
    "是否需要退货",
    "退款的申请时间",
    "超时时间",
    "退款状态",
    "货物状态",
    "退货物流信息",
    "发货物流信息",
    "客服介入状态",
    "卖家真实姓名",
    "卖家退货地址",
    "卖家邮编",
    "卖家电话",
    "卖家手机",
    "退货物流单号",
    "退货物流公司",
    "买家退款原因",
    "买家退款说明",
    "买家退货时间",
    "责任方",
    "售中或售后",
    "商家备注",
    "完结时间",
    "部分退款/全部退款",
    "审核操作人",
    "举证超时",
    "是否零秒响应",
    "退款操作人",
]


def _row_a(**values: str) -> list[str]:
    cells = dict.fromkeys(HEADER_A, "")
    cells.update(
        {
            "订单编号": "3028689418086124",
            "退款编号": "117203946195812401",
            "订单付款时间": "2026-11-10 20:01:02",
            "买家会员名称": "t**小白",
            "买家实际支付金额": "129.00",
            "宝贝标题": "加厚羊毛围巾",
            "买家退款金额": "129.00",
            "是否需要退货": "是",
            "退款的申请时间": "2026-11-19 21:15:00",
            "超时时间": "2026-11-21 21:15:00",
            "退款状态": "买家已经申请退款，等待卖家同意",
            "货物状态": "买家已收到货",
            "客服介入状态": "客服未介入",
            "买家退款原因": "质量问题",
            "买家退款说明": "围巾掉毛严重，戴一次脖子全是毛",
            "售中或售后": "售后退款",
        }
    )
    cells.update(values)
    return [cells[h] for h in HEADER_A]


def test_imports_version_a_with_chinese_headers(world: World, tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "退款报表.csv",
        HEADER_A,
        [
            _row_a(),
            _row_a(
                订单编号="3028689418086130",
                退款编号="117203946195812402",
                买家会员名称="小**云",
                是否需要退货="否",
                退款状态="退款成功",
                买家退款原因="缺货",
                售中或售后="售中退款",
                退款完结时间="2026-11-18 10:00:00",
            ),
        ],
        encoding="gb18030",
    )
    report = file_import(shop=world.shop_a, kind=REFUNDS, path=path)

    assert (report.read, report.imported, report.rejected) == (2, 2, 0)
    assert (report.created, report.cases_opened) == (2, 1)
    refund = Refund.objects.get(refund_id=117203946195812401)
    assert (refund.tid, refund.status, refund.reason) == (
        3028689418086124,
        "waiting_seller",
        "质量问题",
    )
    assert refund.status_text == "买家已经申请退款，等待卖家同意"
    assert (refund.amount, refund.paid) == (Decimal("129.00"), Decimal("129.00"))
    assert (refund.applied_at, refund.timeout_at) == (
        at("2026-11-19 21:15"),
        at("2026-11-21 21:15"),
    )
    assert (refund.phase, refund.has_return, refund.intervention) == ("after_sale", True, False)
    assert refund.buyer is not None
    assert refund.buyer.nick == "t**小白"
    case = Case.objects.get()
    assert (case.kind, case.refund_id, case.cause) == ("return", refund.pk, "quality")
    done = Refund.objects.get(refund_id=117203946195812402)
    assert (done.status, done.phase, done.has_return) == ("success", "in_sale", False)
    assert done.finished_at == at("2026-11-18 10:00")


def test_reimporting_changes_nothing_and_a_newer_file_moves_the_case(
    world: World, tmp_path: Path
) -> None:
    first = write_csv(tmp_path / "a.csv", HEADER_A, [_row_a()])
    file_import(shop=world.shop_a, kind=REFUNDS, path=first)
    again = file_import(shop=world.shop_a, kind=REFUNDS, path=first)
    assert (again.created, again.changed, again.unchanged, again.cases_opened) == (0, 0, 1, 0)

    later = write_csv(
        tmp_path / "b.csv",
        HEADER_A,
        [_row_a(退款状态="卖家拒绝退款", 客服介入状态="客服介入中")],
    )
    report = file_import(shop=world.shop_a, kind=REFUNDS, path=later)
    assert (report.changed, report.cases_opened) == (1, 0)
    case = Case.objects.get()
    assert case.severity == "high"
    assert "platform_intervention" in case.risk_flags
    assert case.assignee == world.supervisor


def test_version_c_xlsx_without_buyer_and_with_after_sale_type(
    world: World, tmp_path: Path
) -> None:
    header = [
        "订单编号",
        "退款编号",
        "支付单号",
        "商品 ID",
        "买家实际支付金额",
        "宝贝标题",
        "买家退款金额",
        "手工退款_系统退款",
        "售后类型",
        "退款的申请时间",
        "超时时间",
        "退款状态",
        "客服介入状态",
        "买家退款原因",
        "买家退款说明",
        "售中或售后",
    ]
    row = [
        "3028689418086124",
        "117203946195812409",
        "2026111022001",
        "654321",
        "59.90",
        "纯棉毛巾",
        "59.90",
        "手工退款",
        "仅退款",
        "2026/11/19 21:15",
        "2026/11/21 21:15",
        "买家已经申请退款,等待卖家同意",
        "",
        "未按约定时间发货",
        "",
        "售中退款",
    ]
    path = write_xlsx(tmp_path / "退款报表.xlsx", header, [row])
    report = file_import(shop=world.shop_a, kind=REFUNDS, path=path)

    assert (report.imported, report.rejected, report.cases_opened) == (1, 0, 1)
    refund = Refund.objects.get()
    assert (refund.has_return, refund.buyer_id, refund.intervention) == (False, None, False)
    case = Case.objects.get()
    assert (case.kind, case.cause, case.risk_flags) == (
        "refund",
        "not_shipped_on_time",
        ["penalty_reason"],
    )


def test_rows_with_an_unknown_status_or_bad_id_go_to_the_rejects_file(
    world: World, tmp_path: Path
) -> None:
    path = write_csv(
        tmp_path / "refunds.csv",
        HEADER_A,
        [
            _row_a(),
            _row_a(退款编号="117203946195812403", 退款状态="处理中"),
            _row_a(退款编号="1.17E+17"),
        ],
    )
    report = file_import(shop=world.shop_a, kind=REFUNDS, path=path)

    assert (report.imported, report.rejected) == (1, 2)
    assert [(p.row, p.column) for p in report.errors] == [(3, "退款状态"), (4, "退款编号")]
    assert "未知的退款状态" in report.errors[0].reason
    assert report.rejects_file is not None
    assert Path(report.rejects_file).exists()
    assert Refund.objects.count() == 1


def test_the_command_imports_refunds(world: World, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "refunds.csv", HEADER_A, [_row_a()])
    call_command("import", "refunds", str(path), "--shop", "shop-a")
    assert Refund.objects.count() == 1
    assert Case.objects.filter(kind="return").count() == 1
