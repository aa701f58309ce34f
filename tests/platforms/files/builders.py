"""Small export files for the import tests, written the way sellers' tools write them."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures"
ORDER_REPORT = FIXTURES / "ExportOrderList202611201015.csv"  # GBK, ="..." ids, trailing spaces
ITEM_REPORT = FIXTURES / "ExportOrderDetailList202611201015.csv"  # GBK, one row per sub-order
REVIEWS_TOP = FIXTURES / "reviews_top.csv"  # UTF-8 with BOM, TOP field names

REVIEW_HEADER = [
    "订单编号",
    "子订单编号",
    "买家昵称",
    "评价结果",
    "评价时间",
    "评价内容",
    "宝贝标题",
]


def csv_bytes(header: Sequence[object], rows: Sequence[Sequence[object]], encoding: str) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buf.getvalue().encode(encoding)


def write_csv(
    path: Path,
    header: Sequence[object],
    rows: Sequence[Sequence[object]],
    encoding: str = "utf-8-sig",
) -> Path:
    path.write_bytes(csv_bytes(header, rows, encoding))
    return path


def write_xlsx(
    path: Path,
    header: Sequence[object],
    rows: Sequence[Sequence[object]],
    *,
    sheet: str = "export",
    other_sheets: Sequence[str] = (),
) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    first = book.active
    assert first is not None
    for name in other_sheets:  # e.g. 发货报表 before the sheet that matters
        first.title = name
        first.append(["物流单号", "物流公司"])
        first = book.create_sheet()
    first.title = sheet
    first.append(list(header))
    for row in rows:
        first.append(list(row))
    book.save(path)
    return path


def review_row(
    oid: int,
    result: str,
    content: str,
    *,
    tid: int = 3028689418086124,
    nick: str = "t**小白",
    rated_at: str = "2026-11-20 10:15:00",
    title: str = "加厚羊毛围巾 秋冬保暖",
) -> list[object]:
    return [tid, oid, nick, result, rated_at, content, title]
