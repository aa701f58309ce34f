"""`reviewdesk import orders` with the order export's logistics columns (EXPORTS §1: 发货时间,
物流单号, 物流公司, 应发货时间): stored on the order's shipment; a ship-by time passed on an order
still in flight opens the 未按时发货 case; an export, having no trace, never opens a trace case."""

from __future__ import annotations

from pathlib import Path

import pytest
import time_machine

from reviewdesk.cases.models import Case
from reviewdesk.logistics.checks import shipments_check
from reviewdesk.logistics.models import Shipment
from reviewdesk.platforms.files.importer import file_import
from reviewdesk.platforms.files.kinds import ORDERS
from tests.conftest import World, at
from tests.platforms.files.builders import write_csv

pytestmark = pytest.mark.postgres

# The 2020s order export's columns used here, with the trailing space of `物流单号 ` (EXPORTS §1).
HEADER = [
    "订单编号",
    "买家会员名",
    "订单状态",
    "订单付款时间 ",
    "发货时间",
    "物流单号 ",
    "物流公司",
    "应发货时间",
]
FINISHED = [
    "3028689418086124",
    "t**小白",
    "交易成功",
    "2026-11-10 20:16:00",
    "2026-11-14 09:30:00",  # shipped after the promise, but long finished: history
    "No:75012345678901",
    "中通快递",
    "2026-11-12 20:16:00",
]
WAITING = [
    "3028689418086125",
    "j**大海",
    "买家已付款，等待卖家发货",
    "2026-11-18 10:00:00",
    "",
    "",
    "",
    "2026-11-20 10:00:00",
]
SHIPPED = [
    "3028689418086126",
    "l**花",
    "卖家已发货，等待买家确认",
    "2026-11-19 10:00:00",
    "2026-11-19 18:00:00",  # no trace in an export: never "not collected"
    "YT1234567890123",
    "圆通速递",
    "2026-11-21 10:00:00",
]


def test_the_logistics_columns_are_stored_and_a_late_order_opens_its_case(
    world: World, tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "orders.csv", HEADER, [FINISHED, WAITING, SHIPPED])
    with time_machine.travel(at("2026-11-21 12:00"), tick=False):
        report = file_import(shop=world.shop_a, kind=ORDERS, path=path)
        again = file_import(shop=world.shop_a, kind=ORDERS, path=path)

    assert (report.imported, report.rejected, report.cases_opened) == (3, 0, 1)
    assert again.cases_opened == 0
    finished = Shipment.objects.get(tid=3028689418086124)
    assert (finished.carrier, finished.tracking_no, finished.traced) == (
        "中通快递",
        "75012345678901",
        False,
    )
    assert finished.consigned_at == at("2026-11-14 09:30")
    assert finished.ship_by_at == at("2026-11-12 20:16")
    case = Case.objects.get()
    assert (case.kind, case.cause, case.shipment) == (
        "logistics",
        "late_shipment",
        Shipment.objects.get(tid=3028689418086125),
    )
    assert case.order is not None
    assert case.order.tid == 3028689418086125


def test_the_re_check_leaves_finished_and_untraced_orders_alone(
    world: World, tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "orders.csv", HEADER, [FINISHED, SHIPPED])
    with time_machine.travel(at("2026-11-15 12:00"), tick=False):
        file_import(shop=world.shop_a, kind=ORDERS, path=path)

    report = shipments_check(shop=world.shop_a, now=at("2026-11-25 12:00"))

    assert report.cases_opened == 0
    assert not Case.objects.exists()
