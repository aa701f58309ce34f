from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from reviewdesk.reviews.models import Review
from tests.conftest import World
from tests.platforms.files.builders import REVIEW_HEADER, REVIEWS_TOP, review_row, write_csv

pytestmark = pytest.mark.postgres


def _run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_clean_import_prints_a_bilingual_summary(world: World, tmp_path: Path) -> None:
    path = tmp_path / "reviews.csv"
    path.write_bytes(REVIEWS_TOP.read_bytes())

    out, err = _run("reviews", str(path), "--shop", "shop-a", "--no-progress")

    assert "导入评价 reviews.csv (csv, utf-8-sig) -> 店铺 shop-a" in out
    assert "读取 read 4 · 导入 imported 4 · 新增 created 4" in out
    assert "新工单 cases opened 2" in out
    assert err == ""


def test_rejected_rows_exit_1_after_importing_the_good_ones(world: World, tmp_path: Path) -> None:
    rows = [review_row(3028689418086300, "差评", "质量差"), review_row(0, "差评", "假货")]
    path = write_csv(tmp_path / "评价.csv", REVIEW_HEADER, rows)
    out, err = io.StringIO(), io.StringIO()

    with pytest.raises(CommandError) as raised:
        call_command("import", "reviews", str(path), "--shop", "shop-a", stdout=out, stderr=err)

    assert raised.value.returncode == 1
    assert "评价.csv:3 [子订单编号] 编号无效 / 0 is outside the 64-bit id range" in err.getvalue()
    assert f"rejected rows written to {tmp_path / '评价.rejects.csv'}" in out.getvalue()
    assert Review.objects.count() == 1


def test_json_report_lists_every_error(world: World, tmp_path: Path) -> None:
    rows = [review_row(3028689418086310, "很差", "质量差", rated_at="明天")]
    path = write_csv(tmp_path / "评价.csv", REVIEW_HEADER, rows)
    out = io.StringIO()

    with pytest.raises(CommandError):
        call_command("import", "reviews", str(path), "--shop", "shop-a", "--json", stdout=out)

    report = json.loads(out.getvalue())
    assert (report["read"], report["rejected"]) == (1, 1)
    assert [(e["row"], e["column"]) for e in report["errors"]] == [(2, "评价结果"), (2, "评价时间")]


@pytest.mark.parametrize(
    ("_case", "args", "message"),
    [
        ("unknown shop", ["--shop", "no-such-shop"], "未知店铺"),
        ("missing file", ["--shop", "shop-a", "--file-missing"], "找不到文件"),
    ],
)
def test_usage_errors_exit_2(
    world: World, tmp_path: Path, _case: str, args: list[str], message: str
) -> None:
    path = tmp_path / "reviews.csv"
    if "--file-missing" in args:
        args = [a for a in args if a != "--file-missing"]
    else:
        path.write_bytes(REVIEWS_TOP.read_bytes())
    with pytest.raises(CommandError, match=message) as raised:
        _run("reviews", str(path), *args)
    assert raised.value.returncode == 2


def test_a_file_of_the_wrong_kind_exits_2_and_writes_nothing(world: World, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "订单.csv", ["订单编号", "买家会员名"], [["3028689418086124", "x"]])
    with pytest.raises(CommandError, match="缺少必需的列") as raised:
        _run("reviews", str(path), "--shop", "shop-a")
    assert raised.value.returncode == 2
    assert not Review.objects.exists()


def test_progress_bar_can_be_forced_on(world: World, tmp_path: Path) -> None:
    path = tmp_path / "reviews.csv"
    path.write_bytes(REVIEWS_TOP.read_bytes())
    out, _ = _run("reviews", str(path), "--shop", "shop-a", "--progress")
    assert "imported 4" in out


def test_the_process_exit_code_is_the_report(
    world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from django.core.management import load_command_class

    # run_from_argv closes connections when done; the test's transaction must survive it.
    monkeypatch.setattr("django.core.management.base.connections.close_all", lambda: None)
    rows = [review_row(3028689418086320, "差评?", "质量差")]
    path = write_csv(tmp_path / "评价.csv", REVIEW_HEADER, rows)
    command = load_command_class("reviewdesk.platforms", "import")
    command.stdout.write = lambda *a, **k: None  # type: ignore[method-assign]
    command.stderr.write = lambda *a, **k: None  # type: ignore[method-assign]
    with pytest.raises(SystemExit) as exited:
        command.run_from_argv(["reviewdesk", "import", "reviews", str(path), "--shop", "shop-a"])
    assert exited.value.code == 1
