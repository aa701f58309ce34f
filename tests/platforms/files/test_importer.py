from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from reviewdesk.cases.models import Case
from reviewdesk.cases.workflow import Outcome, Status
from reviewdesk.platforms.files.importer import ImportFileError, RowProblem, file_import
from reviewdesk.platforms.files.kinds import ORDERS, REVIEWS, ChunkOutcome, ImportKind
from reviewdesk.reviews.models import Buyer, Order, OrderItem, Review, ReviewVersion
from tests.conftest import World, at
from tests.platforms.files.builders import (
    ITEM_REPORT,
    ORDER_REPORT,
    REVIEW_HEADER,
    REVIEWS_TOP,
    review_row,
    write_csv,
    write_xlsx,
)

pytestmark = pytest.mark.postgres


def _copy(source: Path, tmp_path: Path) -> Path:
    target = tmp_path / source.name  # rejects files are written next to the input
    target.write_bytes(source.read_bytes())
    return target


def test_imports_the_gbk_taobao_order_report(world: World, tmp_path: Path) -> None:
    report = file_import(shop=world.shop_a, kind=ORDERS, path=_copy(ORDER_REPORT, tmp_path))

    assert (report.encoding, report.read, report.imported, report.rejected) == ("gb18030", 4, 4, 0)
    assert (report.created, report.changed, report.unchanged) == (4, 0, 0)
    finished = Order.objects.get(tid=3028689418086124)
    assert finished.status == "TRADE_FINISHED"
    assert finished.payment == Decimal("129.00")
    assert finished.created_at == at("2026-11-05 22:02") + dt.timedelta(seconds=13)
    assert finished.ended_at == at("2026-11-12 09:30")
    assert finished.buyer is not None
    assert (finished.buyer.nick, finished.buyer.phone) == ("t**小白", "18618486065")
    assert finished.buyer.address == "浙江省 杭州市 西湖区 文三路 90 号(310012)"
    # A single-item order's item is oid = tid (PLATFORM §6.2).
    item = OrderItem.objects.get(order=finished)
    assert (item.oid, item.title, item.quantity) == (finished.tid, "加厚羊毛围巾 秋冬保暖", 1)
    # Excel's `2016/5/23 22:02` after a round trip; the half-width comma status variant.
    shipped = Order.objects.get(tid=3028689418086125)
    assert (shipped.status, shipped.paid_at) == ("WAIT_BUYER_CONFIRM_GOODS", at("2026-11-18 20:16"))
    assert not shipped.items.exists()  # 宝贝种类 2: the item report gives the oids
    assert Order.objects.get(tid=1930679858170647).status == "WAIT_SELLER_SEND_GOODS"
    assert Order.objects.get(tid=3028689418086126).status == "交易关闭"  # ambiguous: kept as given


def test_item_report_adds_the_items_of_multi_item_orders(world: World, tmp_path: Path) -> None:
    file_import(shop=world.shop_a, kind=ORDERS, path=_copy(ORDER_REPORT, tmp_path))
    report = file_import(shop=world.shop_a, kind=ORDERS, path=_copy(ITEM_REPORT, tmp_path))

    assert (report.read, report.rejected) == (3, 0)
    items = list(
        OrderItem.objects.filter(order__tid=3028689418086125)
        .order_by("oid")
        .values_list("oid", "sku", "price", "payment", "refund_status", "num_iid")
    )
    assert items == [
        (
            3028689418086127,
            "颜色分类：驼色",
            Decimal("129.00"),
            Decimal("119.00"),
            "",
            673421987655,
        ),
        (
            3028689418086128,
            "颜色分类：黑色",
            Decimal("129.00"),
            Decimal("119.00"),
            "退款成功",
            673421987655,
        ),
    ]


def test_imports_reviews_with_top_field_names_and_opens_cases(world: World, tmp_path: Path) -> None:
    report = file_import(shop=world.shop_a, kind=REVIEWS, path=_copy(REVIEWS_TOP, tmp_path))

    assert (report.encoding, report.imported, report.created, report.cases_opened) == (
        "utf-8-sig",
        4,
        4,
        2,
    )
    assert set(Case.objects.values_list("review__oid", flat=True)) == {
        3028689418086127,
        3028689418086128,
    }
    neutral = Review.objects.get(oid=3028689418086128)
    assert neutral.explanation.startswith("亲，图片是自然光拍摄")
    old = Review.objects.get(tid=1930679858170647)  # empty oid cell: oid = tid
    assert old.oid == 1930679858170647
    assert (old.followup_content, old.followup_at) == (
        "穿了一周了，没有起球",
        at("2016-06-15 21:40"),
    )
    assert report.rejects_file is None


def test_reimporting_the_same_file_changes_nothing(world: World, tmp_path: Path) -> None:
    path = _copy(REVIEWS_TOP, tmp_path)
    file_import(shop=world.shop_a, kind=REVIEWS, path=path)
    counts = (Review.objects.count(), ReviewVersion.objects.count(), Case.objects.count())

    again = file_import(shop=world.shop_a, kind=REVIEWS, path=path)

    assert (again.created, again.changed, again.unchanged, again.cases_opened) == (0, 0, 4, 0)
    assert (Review.objects.count(), ReviewVersion.objects.count(), Case.objects.count()) == counts


def test_reimporting_an_order_report_changes_nothing(world: World, tmp_path: Path) -> None:
    path = _copy(ORDER_REPORT, tmp_path)
    file_import(shop=world.shop_a, kind=ORDERS, path=path)
    again = file_import(shop=world.shop_a, kind=ORDERS, path=path)
    assert (again.created, again.changed, again.unchanged) == (0, 0, 4)


def test_a_review_turned_good_in_a_later_file_is_a_new_version(
    world: World, tmp_path: Path
) -> None:
    rows = [
        review_row(3028689418086130, "差评", "围巾掉毛严重，戴一次脖子全是毛"),
        review_row(3028689418086131, "好评", "很暖和，喜欢", nick="冬天的**"),
    ]
    first = write_csv(tmp_path / "评价-1120.csv", REVIEW_HEADER, rows, encoding="gbk")
    file_import(shop=world.shop_a, kind=REVIEWS, path=first)
    rows[0] = review_row(3028689418086130, "好评", "客服很负责，给换了一条，质量不错")
    second = write_csv(tmp_path / "评价-1125.csv", REVIEW_HEADER, rows, encoding="gbk")

    report = file_import(shop=world.shop_a, kind=REVIEWS, path=second)

    assert (report.created, report.changed, report.unchanged) == (0, 1, 1)
    review = Review.objects.get(oid=3028689418086130)
    assert review.is_revised()
    assert list(review.versions.values_list("result", "source")) == [
        ("bad", "file:评价-1120.csv"),
        ("good", "file:评价-1125.csv"),
    ]
    case = Case.objects.get(review=review)
    assert (case.status, case.outcome) == (Status.CLOSED, Outcome.REVISED)


def test_bad_rows_are_reported_and_written_to_a_rejects_file(world: World, tmp_path: Path) -> None:
    header = [*REVIEW_HEADER, "描述相符"]
    rows: list[list[object]] = [
        [*review_row(3028689418086140, "差评", "发错颜色了，要的是燕麦色"), "2"],
        [*review_row(3028689418086141, "好评", "不错"), ""],
        ["", 3028689418086142, "张**", "差评", "2026-11-20 10:15", "质量差", "围巾", ""],
        [*review_row(3028689418086143, "还行", "一般般吧"), ""],
        [*review_row(3028689418086144, "中评", "一般", rated_at="上周五"), ""],
        ["1.93068E+15", "", "李*", "差评", "2026-11-20 10:15", "假货", "围巾", "1"],
        [*review_row(3028689418086146, "差评", "太" * 501), ""],
        [*review_row(3028689418086147, "差评", "褪色", rated_at="2026/11/21 9:05"), "6"],
    ]
    path = write_csv(tmp_path / "评价.csv", header, rows)

    report = file_import(shop=world.shop_a, kind=REVIEWS, path=path)

    assert (report.read, report.imported, report.rejected) == (8, 2, 6)
    assert [(e.row, e.column) for e in report.errors] == [
        (4, "订单编号"),
        (5, "评价结果"),
        (6, "评价时间"),
        (7, "订单编号"),
        (8, "评价内容"),
        (9, "描述相符"),
    ]
    assert str(report.errors[1]) == (
        "评价.csv:5 [评价结果] 未知的评价结果 '还行'（应为 好评/中评/差评 或 good/neutral/bad）"
        " / unknown result"
    )
    assert "科学计数法" in report.errors[3].reason
    assert set(Review.objects.values_list("oid", flat=True)) == {
        3028689418086140,
        3028689418086141,
    }
    rejects = (tmp_path / "评价.rejects.csv").read_text(encoding="utf-8-sig").splitlines()
    assert report.rejects_file == str(tmp_path / "评价.rejects.csv")
    assert rejects[0] == ",".join([*header, "行号/row", "列/column", "原因/reason"])
    assert len(rejects) == 7
    assert rejects[4].startswith("1.93068E+15,,李*,差评,2026-11-20 10:15,假货,围巾,1,7,订单编号,")


def test_bad_order_rows_name_their_columns(world: World, tmp_path: Path) -> None:
    header = [
        "订单编号 ",
        "买家会员名",
        "订单状态",
        "订单创建时间",
        "买家实际支付金额",
        "宝贝总数量",
    ]
    rows = [
        ['="3028689418086150"', "t**小白", "交易成功", "2026-11-05 22:02:13", "129.00元", "1"],
        ['="3028689418086151"', "b**u", "交易成功", "2026-11-05 22:02:13", "一百", "两件"],
    ]
    path = write_csv(tmp_path / "ExportOrderList.csv", header, rows, encoding="gbk")

    report = file_import(shop=world.shop_a, kind=ORDERS, path=path)

    assert report.errors == [
        RowProblem(
            "ExportOrderList.csv",
            3,
            "买家实际支付金额",
            "金额不是数字 '一百' / amount is not a number",
        ),
        RowProblem(
            "ExportOrderList.csv", 3, "宝贝总数量", "数量不是整数 '两件' / not a whole number"
        ),
    ]
    rejects = (tmp_path / "ExportOrderList.rejects.csv").read_bytes().decode("gb18030")
    assert rejects.splitlines()[1].endswith(
        "3,买家实际支付金额; 宝贝总数量,金额不是数字 '一百' / amount is not a number; "
        "数量不是整数 '两件' / not a whole number"
    )


def test_a_row_in_the_wrong_encoding_is_rejected_and_the_rest_imported(
    world: World, tmp_path: Path
) -> None:
    path = tmp_path / "评价.csv"
    head = ",".join(REVIEW_HEADER) + "\r\n"
    good = "3028689418086160,3028689418086160,t**小白,好评,2026-11-20 10:15,很好,围巾\r\n"
    bad = "3028689418086161,3028689418086161,张*,差评,2026-11-20 10:16,掉毛严重,围巾\r\n"
    path.write_bytes(head.encode() + good.encode() + bad.encode("gbk"))

    report = file_import(shop=world.shop_a, kind=REVIEWS, path=path)

    assert (report.imported, report.rejected) == (1, 1)
    assert (report.errors[0].row, report.errors[0].column) == (3, "买家昵称")
    assert "编码错误" in report.errors[0].reason


def test_imports_xlsx_with_date_cells(world: World, tmp_path: Path) -> None:
    header = ["订单号", "子订单号", "买家", "评价", "评价时间", "评价内容", "追评", "追评时间"]
    rows = [
        [
            "3028689418086170",
            3028689418086171,
            "t**小白",
            "中评",
            dt.datetime(2026, 11, 20, 10, 15),  # noqa: DTZ001 - a date cell holds wall-clock time
            "尺码偏小",
            "换了大一号，合适了",
            46351.875,  # a date serial in an unformatted cell: 2026-11-25 21:00
        ],
    ]
    path = write_xlsx(tmp_path / "评价.xlsx", header, rows, sheet="评价")

    report = file_import(shop=world.shop_a, kind=REVIEWS, path=path)

    assert (report.format, report.imported, report.cases_opened) == ("xlsx", 1, 1)
    review = Review.objects.get()
    assert (review.oid, review.rated_at) == (3028689418086171, at("2026-11-20 10:15"))
    assert review.followup_at == at("2026-11-25 21:00")


def test_missing_required_column_refuses_the_file(world: World, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "r.csv", ["订单编号", "评价内容"], [["3028689418086124", "好"]])
    with pytest.raises(ImportFileError, match="缺少必需的列"):
        file_import(shop=world.shop_a, kind=REVIEWS, path=path)
    assert not Review.objects.exists()


def test_a_crash_mid_file_leaves_the_database_as_it_was(
    world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = [review_row(3028689418086180 + i, "差评", "质量差") for i in range(5)]
    path = write_csv(tmp_path / "评价.csv", REVIEW_HEADER, rows)
    calls: list[int] = []

    def crash_on_second_chunk(**kwargs: Any) -> ChunkOutcome:
        calls.append(len(kwargs["records"]))
        if len(calls) == 2:
            raise KeyboardInterrupt  # Ctrl-C
        outcome: ChunkOutcome = REVIEWS.ingest(**kwargs)
        return outcome

    crashing = ImportKind(
        name="reviews",
        label="评价",
        aliases=REVIEWS.aliases,
        required=REVIEWS.required,
        parse_row=REVIEWS.parse_row,
        ingest=crash_on_second_chunk,
    )
    with pytest.raises(KeyboardInterrupt):
        file_import(shop=world.shop_a, kind=crashing, path=path, chunk_size=2)

    assert calls == [2, 2]
    assert (Review.objects.count(), Case.objects.count(), Buyer.objects.count()) == (0, 0, 0)
    assert not (tmp_path / "评价.rejects.csv").exists()


def test_a_clean_rerun_removes_the_rejects_of_an_earlier_run(world: World, tmp_path: Path) -> None:
    rows: list[Sequence[object]] = [review_row(3028689418086190, "差评?", "质量差")]
    path = write_csv(tmp_path / "评价.csv", REVIEW_HEADER, rows)
    assert file_import(shop=world.shop_a, kind=REVIEWS, path=path).rejects_file
    write_csv(path, REVIEW_HEADER, [review_row(3028689418086190, "差评", "质量差")])

    report = file_import(shop=world.shop_a, kind=REVIEWS, path=path)

    assert report.stale_rejects_removed
    assert not (tmp_path / "评价.rejects.csv").exists()


def test_progress_is_reported_up_to_the_whole_file(world: World, tmp_path: Path) -> None:
    rows = [review_row(3028689418086200 + i, "好评", "好") for i in range(7)]
    path = write_csv(tmp_path / "评价.csv", REVIEW_HEADER, rows)
    seen: list[tuple[int, int | None]] = []
    file_import(
        shop=world.shop_a,
        kind=REVIEWS,
        path=path,
        chunk_size=3,
        progress=lambda done, total: seen.append((done, total)),
    )
    size = path.stat().st_size
    assert len(seen) == 4
    assert seen[-1] == (size, size)
