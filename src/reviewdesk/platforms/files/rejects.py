"""The rejects file: the rows an import refused, next to the input, ready to fix and re-import.

`订单.csv` -> `订单.rejects.csv`. A GBK/GB18030 input gets a GB18030 file (it opens in a
Chinese Excel as the export did); UTF-8 and xlsx inputs get UTF-8 with a BOM, so Excel detects
it. The original columns come first, unchanged, then 行号/row, 列/column and 原因/reason. The
extra columns match no import alias, so the fixed file can be imported as it is.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

EXTRA_HEADERS = ("行号/row", "列/column", "原因/reason")


@dataclass(frozen=True, slots=True)
class RejectedRow:
    number: int
    cells: Sequence[object]
    columns: str  # the bad columns, `; `-separated
    reasons: str


def rejects_path_for(source: Path) -> Path:
    return source.with_name(f"{source.stem}.rejects.csv")


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def rejects_write(
    *, source: Path, encoding: str, header: Sequence[object], rows: Sequence[RejectedRow]
) -> Path:
    """Write the rejects file and return its path (overwrites an earlier one)."""
    path = rejects_path_for(source)
    width = max([len(header), *(len(r.cells) for r in rows)])
    head = [_cell(h) for h in header] + [""] * (width - len(header))
    encoding = "gb18030" if encoding == "gb18030" else "utf-8-sig"
    with path.open("w", encoding=encoding, errors="replace", newline="") as out:
        writer = csv.writer(out)
        writer.writerow([*head, *EXTRA_HEADERS])
        for row in rows:
            cells = [_cell(c) for c in row.cells]
            cells += [""] * (width - len(cells))
            writer.writerow([*cells, row.number, row.columns, row.reasons])
    return path
