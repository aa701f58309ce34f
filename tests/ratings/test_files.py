"""The `scores` import: the issue's columns, Chinese headers, row errors, idempotent re-import."""

from __future__ import annotations

from pathlib import Path

import pytest

from reviewdesk.ratings.files import scores_import
from reviewdesk.ratings.models import ScoredTrade
from tests.conftest import World

pytestmark = pytest.mark.postgres

HEADER = (
    "tid,buyer_nick,trade_created,rated_at,alipay,is_default,desc_score,service_score,"
    "logistics_score\n"
)


def test_imports_rows_and_rejects_bad_ones_with_reasons(world: World, tmp_path: Path) -> None:
    path = tmp_path / "scores.csv"
    path.write_text(
        HEADER
        + "3900000000000001,tb_a,2026-03-01 10:00:00,2026-03-05 12:00:00,true,false,5,4,5\n"
        + "3900000000000002,tb_b,2026/3/2 10:00,2026/3/6 10:00,false,false,3,,4\n"
        + "3900000000000003,tb_c,2026-03-03 10:00:00,2026-03-18 10:00:00,true,true,,,\n"
        + "3.9E+15,tb_d,2026-03-03 10:00:00,2026-03-08 10:00:00,true,false,6,5,5\n"
        + "3900000000000005,tb_e,2026-03-09 10:00:00,2026-03-08 10:00:00,true,false,5,5,5\n",
        encoding="utf-8",
    )
    report = scores_import(shop=world.shop_a, path=path)
    assert (report.read, report.imported, report.rejected) == (5, 3, 2)
    reasons = {(e.row, e.column) for e in report.errors}
    assert reasons == {(5, "tid"), (5, "desc_score"), (6, "rated_at")}
    assert report.rejects_file is not None
    row = ScoredTrade.objects.get(tid=3900000000000002)
    assert (row.is_alipay, row.desc_score, row.service_score) == (False, 3, None)
    assert ScoredTrade.objects.get(tid=3900000000000003).is_default is True

    again = scores_import(shop=world.shop_a, path=path)
    assert (again.created, again.unchanged) == (0, 3)


def test_chinese_headers_are_understood(world: World, tmp_path: Path) -> None:
    path = tmp_path / "评分.csv"
    path.write_bytes(
        (
            "订单编号,买家昵称,订单创建时间,评分时间,描述相符,服务态度,物流服务\n"
            '="3900000000000009",小***猫,2026-03-01 10:00:00,2026-03-05 10:00:00,4,5,5\n'
        ).encode("utf-8-sig")
    )
    report = scores_import(shop=world.shop_a, path=path)
    assert (report.imported, report.rejected, report.encoding) == (1, 0, "utf-8-sig")
    row = ScoredTrade.objects.get(tid=3900000000000009)
    assert (row.buyer_nick, row.is_alipay, row.is_default) == ("小***猫", True, False)
