# ruff: noqa: N999 - Django names the command after its module: `reviewdesk import`
"""`reviewdesk import {reviews,orders} FILE --shop SLUG [--no-progress] [--json]` (docs/imports.md).

Exit codes: 0 every row imported; 1 some rows were rejected (the good ones are imported, the bad
ones are listed and written to `<name>.rejects.csv`); 2 nothing was imported: unknown shop,
unreadable file, or a required column is missing.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.console import Console
from rich.progress import (
    BarColumn,
    Progress,
    TaskProgressColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from reviewdesk.platforms.files.importer import ImportFileError, ImportReport, file_import
from reviewdesk.platforms.files.kinds import IMPORT_KINDS, ImportKind, import_kind_get
from reviewdesk.shops.errors import ShopError
from reviewdesk.shops.models import Shop
from reviewdesk.shops.selectors import SystemActor, shop_get

ERRORS_SHOWN = 50


class Command(BaseCommand):
    help = "导入卖家后台导出的评价或订单文件 (.csv/.xlsx) / import a review or order export."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=sorted(IMPORT_KINDS), help="what the file holds")
        parser.add_argument("file", type=Path, help=".csv (UTF-8 or GBK) or .xlsx")
        parser.add_argument("--shop", required=True, help="shop slug")
        bar = parser.add_mutually_exclusive_group()
        bar.add_argument(
            "--progress", action="store_true", help="show a progress bar even when not a terminal"
        )
        bar.add_argument("--no-progress", action="store_true", help="never show a progress bar")
        parser.add_argument("--json", action="store_true", help="print the report as JSON")
        parser.add_argument("--chunk-size", type=int, default=2000, help="rows per ingest batch")

    def handle(self, *args: Any, **options: Any) -> None:
        kind = import_kind_get(options["kind"])
        try:
            shop = shop_get(actor=SystemActor(), slug=options["shop"])
        except ShopError as exc:
            raise CommandError(f"未知店铺 unknown shop {options['shop']!r}", returncode=2) from exc
        show_bar = not options["no_progress"] and (
            options["progress"] or (sys.stdout.isatty() and not options["json"])
        )
        try:
            if show_bar:
                report = self._with_bar(
                    shop=shop,
                    kind=kind,
                    path=options["file"],
                    forced=options["progress"],
                    chunk_size=options["chunk_size"],
                )
            else:
                report = file_import(
                    shop=shop, kind=kind, path=options["file"], chunk_size=options["chunk_size"]
                )
        except ImportFileError as exc:
            raise CommandError(f"未导入 nothing imported: {exc}", returncode=2) from exc
        if options["json"]:
            self.stdout.write(json.dumps(_json_report(report), ensure_ascii=False, indent=2))
        else:
            self._summary(report, kind.label)
        if not report.clean:
            raise CommandError(
                f"{report.rejected} 行被拒绝 rows rejected, see {report.rejects_file}", returncode=1
            )

    def _with_bar(
        self, *, shop: Shop, kind: ImportKind, path: Path, forced: bool, chunk_size: int
    ) -> ImportReport:
        console = Console(file=sys.stdout, force_terminal=forced or None)
        columns = (
            TextColumn(f"导入 {path.name}"),
            BarColumn(),
            TaskProgressColumn(),
            TimeElapsedColumn(),
            TimeRemainingColumn(),
        )
        with Progress(*columns, console=console, transient=True) as bar:
            task = bar.add_task("import", total=None)

            def advance(done: int, total: int | None) -> None:
                bar.update(task, completed=done, total=total)

            return file_import(
                shop=shop,
                kind=kind,
                path=path,
                progress=advance,
                chunk_size=chunk_size,
            )

    def _summary(self, report: ImportReport, label: str) -> None:
        encoding = f", {report.encoding}" if report.encoding else ""
        self.stdout.write(
            f"导入{label} {report.file} ({report.format}{encoding}) -> 店铺 {report.shop}, "
            f"{report.seconds:.1f}s"
        )
        self.stdout.write(
            f"  读取 read {report.read} · 导入 imported {report.imported} · "
            f"新增 created {report.created} · 变更 changed {report.changed} · "
            f"未变 unchanged {report.unchanged} · 拒绝 rejected {report.rejected} · "
            f"新工单 cases opened {report.cases_opened}"
        )
        if report.ignored_columns:
            self.stdout.write(
                f"  未使用的列 ignored columns: {', '.join(report.ignored_columns[:20])}"
                + (" ..." if len(report.ignored_columns) > 20 else "")
            )
        for problem in report.errors[:ERRORS_SHOWN]:
            self.stderr.write(str(problem))
        if len(report.errors) > ERRORS_SHOWN:
            self.stderr.write(
                f"... 另有 {len(report.errors) - ERRORS_SHOWN} 个错误 more errors, "
                "see the rejects file"
            )
        if report.rejects_file:
            self.stdout.write(f"  被拒绝的行已写入 rejected rows written to {report.rejects_file}")
        if report.stale_rejects_removed:
            self.stdout.write("  已删除上次的拒绝文件 removed the rejects file of an earlier run")


def _json_report(report: ImportReport) -> dict[str, Any]:
    data = report.as_dict()
    data["errors"] = [
        {"file": e.file, "row": e.row, "column": e.column, "reason": e.reason}
        for e in report.errors
    ]
    return data
