"""Import one seller export file: read -> parse -> chunk -> ingest, all or nothing.

The whole file is ingested inside ONE outer `transaction.atomic()`: the pipeline's own
per-chunk transactions become savepoints, so a crash, a database error or Ctrl-C anywhere in the
file leaves the database exactly as it was (issue: "nothing is half-written"). Bad rows are not
errors of the import: they are collected, reported with file, row, column and reason, and written
to the rejects file after the good rows have been committed. Re-importing a file changes nothing,
because ingestion is an upsert by platform id.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction

from reviewdesk.core import clock
from reviewdesk.platforms.files.headers import HeaderError, HeaderPlan, plan_columns
from reviewdesk.platforms.files.kinds import ImportKind
from reviewdesk.platforms.files.reader import (
    FileReadError,
    Row,
    Table,
    TableContext,
    open_table,
)
from reviewdesk.platforms.files.rejects import RejectedRow, rejects_path_for, rejects_write
from reviewdesk.platforms.files.schemas import InvalidRowError, RowError
from reviewdesk.shops.models import Shop

CHUNK_SIZE = 2_000
Progress = Callable[[int, int | None], None]  # (done, total) in the table's unit


class ImportFileError(ValueError):
    """The file as a whole cannot be imported (unreadable, wrong kind, missing columns)."""


@dataclass(frozen=True, slots=True)
class RowProblem:
    file: str
    row: int  # spreadsheet numbering: header = 1
    column: str  # the file's header text
    reason: str

    def __str__(self) -> str:
        return f"{self.file}:{self.row} [{self.column}] {self.reason}"


@dataclass
class ImportReport:
    kind: str
    file: str
    shop: str
    format: str = ""
    encoding: str = ""
    read: int = 0  # data rows (blank rows are skipped and not counted)
    imported: int = 0
    rejected: int = 0
    created: int = 0
    changed: int = 0
    unchanged: int = 0
    cases_opened: int = 0
    seconds: float = 0.0
    errors: list[RowProblem] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    rejects_file: str | None = None
    stale_rejects_removed: bool = False

    @property
    def clean(self) -> bool:
        return self.rejected == 0

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def file_import(
    *,
    shop: Shop,
    kind: ImportKind,
    path: Path,
    progress: Progress | None = None,
    chunk_size: int = CHUNK_SIZE,
) -> ImportReport:
    """Import `path` as `kind` into `shop`; returns the report. Idempotent.

    Raises ImportFileError when the file cannot be read or lacks a required column; then nothing
    was written. Any other exception (including KeyboardInterrupt) rolls the whole file back.
    """
    started = time.perf_counter()
    report = ImportReport(kind=kind.name, file=path.name, shop=shop.slug)
    try:
        table = open_table(path, choose=lambda header: _fits(header, kind))
    except FileReadError as exc:
        raise ImportFileError(str(exc)) from exc
    rejected: list[RejectedRow] = []
    with TableContext(table):
        report.format, report.encoding = table.format, table.encoding
        try:
            plan = plan_columns(table.header, kind.aliases, kind.required)
        except HeaderError as exc:
            raise ImportFileError(f"{path.name}: {exc}") from exc
        report.ignored_columns = list(plan.ignored)
        with transaction.atomic():
            _import_rows(
                table=table,
                plan=plan,
                kind=kind,
                shop=shop,
                report=report,
                rejected=rejected,
                progress=progress,
                chunk_size=chunk_size,
            )
    stale = rejects_path_for(path)
    if rejected:
        written = rejects_write(
            source=path, encoding=table.encoding, header=table.header, rows=rejected
        )
        report.rejects_file = str(written)
    elif stale.exists():
        # A clean run supersedes the rejects of an earlier run of the same file.
        stale.unlink()
        report.stale_rejects_removed = True
    report.seconds = round(time.perf_counter() - started, 3)
    return report


def _fits(header: Sequence[object], kind: ImportKind) -> bool:
    try:
        plan_columns(header, kind.aliases, kind.required)
    except HeaderError:
        return False
    return True


def _import_rows(
    *,
    table: Table,
    plan: HeaderPlan,
    kind: ImportKind,
    shop: Shop,
    report: ImportReport,
    rejected: list[RejectedRow],
    progress: Progress | None,
    chunk_size: int,
) -> None:
    columns = [(c.field, c.index) for c in plan.columns]
    headers = {c.field: c.header for c in plan.columns}
    source = f"file:{report.file}"[:255]
    at = clock.now()
    parse = kind.parse_row
    chunk: list[Any] = []

    def flush() -> None:
        outcome = kind.ingest(shop=shop, records=chunk, source=source, at=at)
        report.imported += len(chunk)
        report.created += outcome.created
        report.changed += outcome.changed
        report.unchanged += outcome.unchanged
        report.cases_opened += outcome.cases_opened
        chunk.clear()
        if progress is not None:
            progress(*table.progress())

    for row in table.rows():
        report.read += 1
        if row.problem:
            _reject(
                report=report,
                rejected=rejected,
                row=row,
                errors=[RowError("", row.problem)],
                headers=headers,
                plan=plan,
            )
            continue
        cells = row.cells
        width = len(cells)
        by_field = {name: cells[index] if index < width else None for name, index in columns}
        try:
            chunk.append(parse(by_field))
        except InvalidRowError as exc:
            _reject(
                report=report,
                rejected=rejected,
                row=row,
                errors=exc.errors,
                headers=headers,
                plan=plan,
            )
            continue
        if len(chunk) >= chunk_size:
            flush()
    if chunk:
        flush()
    if progress is not None:
        progress(*table.progress())


def _reject(
    *,
    report: ImportReport,
    rejected: list[RejectedRow],
    row: Row,
    errors: Sequence[RowError],
    headers: dict[str, str],
    plan: HeaderPlan,
) -> None:
    report.rejected += 1
    columns = [headers.get(e.column, e.column) if e.column else "" for e in errors]
    if not any(columns) and row.cells:
        columns = [_garbled_column(row, plan)] * len(errors)
    for column, error in zip(columns, errors, strict=True):
        report.errors.append(RowProblem(report.file, row.number, column or "-", error.reason))
    rejected.append(
        RejectedRow(
            number=row.number,
            cells=row.cells,
            columns="; ".join(c or "-" for c in columns),
            reasons="; ".join(e.reason for e in errors),
        )
    )


def _garbled_column(row: Row, plan: HeaderPlan) -> str:
    """For an undecodable row, the first known column whose cell shows replacement characters."""
    for column in plan.columns:
        if column.index < len(row.cells) and "\ufffd" in str(row.cells[column.index]):
            return column.header
    return ""
