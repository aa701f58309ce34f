from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from reviewdesk.platforms.files.reader import FileReadError, detect_encoding, open_table
from tests.platforms.files.builders import ORDER_REPORT, REVIEWS_TOP, write_csv, write_xlsx


def _any(_: object) -> bool:
    return True


def test_detects_gbk_and_keeps_formula_quoted_ids_as_text() -> None:
    table = open_table(ORDER_REPORT, choose=_any)
    rows = list(table.rows())
    table.close()
    assert table.encoding == "gb18030"
    assert table.header[10] == "收货地址 "
    assert rows[0].number == 2
    assert rows[0].cells[0] == '="3028689418086124"'
    assert rows[1].cells[7] == "卖家已发货，等待买家确认"


def test_detects_utf8_with_bom() -> None:
    table = open_table(REVIEWS_TOP, choose=_any)
    table.close()
    assert (table.encoding, table.header[0]) == ("utf-8-sig", "tid")


@pytest.mark.parametrize(
    ("_case", "sample", "expected"),
    [
        ("utf-8", "订单编号,买家\n".encode(), "utf-8"),
        ("gbk", "订单编号,买家\n".encode("gbk"), "gb18030"),
        ("ascii", b"tid,oid\n", "utf-8"),
        ("mostly utf-8, one gbk line", ("好评\n" * 3).encode() + "差评\n".encode("gbk"), "utf-8"),
    ],
)
def test_chooses_the_encoding_of_most_lines(_case: str, sample: bytes, expected: str) -> None:
    assert detect_encoding(sample, truncated=False) == expected


def test_a_line_in_the_wrong_encoding_is_a_row_problem_not_a_file_error(tmp_path: Path) -> None:
    path = tmp_path / "reviews.csv"
    good = "3028689418086124,3028689418086124,t**小白,好评,2026-11-20 10:15,很好\r\n".encode()
    bad = "3028689418086125,3028689418086125,张*,差评,2026-11-20 10:16,掉毛严重\r\n".encode("gbk")
    path.write_bytes(
        "订单编号,子订单编号,买家昵称,评价结果,评价时间,评价内容\r\n".encode() + good + bad + good
    )
    table = open_table(path, choose=_any)
    rows = list(table.rows())
    table.close()
    assert [(r.number, bool(r.problem)) for r in rows] == [(2, False), (3, True), (4, False)]
    assert "编码错误" in rows[1].problem


def test_multiline_cells_keep_spreadsheet_row_numbers(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "r.csv",
        ["订单编号", "评价内容"],
        [["1", "第一行\n第二行"], ["", ""], ["2", "好"]],
    )
    table = open_table(path, choose=_any)
    rows = list(table.rows())
    table.close()
    assert [r.number for r in rows] == [2, 4]  # the blank row 3 is skipped but still counted


def test_xlsx_picks_the_sheet_whose_header_fits(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "千牛.xlsx",
        ["订单编号", "订单创建时间"],
        [["3028689418086124", dt.datetime(2026, 11, 20, 10, 15)]],  # noqa: DTZ001
        sheet="订单报表",
        other_sheets=["发货报表"],
    )
    table = open_table(path, choose=lambda header: "订单编号" in header)
    rows = list(table.rows())
    table.close()
    assert (table.format, table.header[0]) == ("xlsx", "订单编号")
    assert rows[0].number == 2
    assert rows[0].cells[1] == dt.datetime(2026, 11, 20, 10, 15)  # noqa: DTZ001


@pytest.mark.parametrize(
    ("_case", "name", "content", "reason"),
    [
        ("missing", "nope.csv", None, "找不到文件"),
        ("old excel", "old.xls", b"\xd0\xcf\x11\xe0", "不支持旧版 .xls"),
        ("other type", "r.json", b"{}", "只支持"),
        ("empty", "empty.csv", b"", "空的"),
        ("broken xlsx", "broken.xlsx", b"not a zip", "无法打开"),
    ],
)
def test_unreadable_files_are_refused_with_a_reason(
    tmp_path: Path, _case: str, name: str, content: bytes | None, reason: str
) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(FileReadError, match=reason):
        open_table(path, choose=_any)


def test_short_gbk_text_that_is_also_valid_utf8_is_read_as_gbk(tmp_path: Path) -> None:
    # "小***猫" in GBK is b"\xd0\xa1***\xc3\xa8", which UTF-8 would read as "С***è".
    path = tmp_path / "scores.csv"
    path.write_bytes("tid,buyer_nick\n3028689418086124,小***猫\n".encode("gbk"))
    table = open_table(path, choose=_any)
    try:
        assert table.encoding == "gb18030"
        rows = list(table.rows())
    finally:
        table.close()
    assert rows[0].cells[1] == "小***猫"
