"""Streaming rows out of .csv and .xlsx exports, whatever their encoding (EXPORTS §1a, §6, §7).

CSV: Taobao writes GBK, PDD and newer 千牛 files UTF-8 (with or without BOM). The encoding is
chosen from a sample: UTF-8 when most non-ASCII lines of the sample decode as UTF-8, GB18030 (a
superset of GBK/GB2312) otherwise. Lines are decoded one at a time, so one line in the wrong
encoding rejects that row and not the file. XLSX: openpyxl in read-only mode, values only, so a
100,000-row workbook streams in constant memory; date cells arrive as datetimes.

Row numbers are the spreadsheet's: the header is row 1, and a quoted field spanning several
physical lines is still one row.
"""

from __future__ import annotations

import csv
import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import IO, Any, Protocol
from zipfile import BadZipFile

csv.field_size_limit(1 << 24)  # long review texts and addresses; csv's 128 KiB default is tight

SAMPLE_BYTES = 1 << 20
UTF8_BOM = b"\xef\xbb\xbf"


class FileReadError(ValueError):
    """The file cannot be read at all (missing, not csv/xlsx, empty, corrupt)."""


@dataclass(frozen=True, slots=True)
class Row:
    number: int  # as the spreadsheet shows it: header = 1
    cells: Sequence[object]
    problem: str = ""  # set when the row could not be decoded; cells are a best effort


class Table(Protocol):
    path: Path
    format: str  # "csv" | "xlsx"
    encoding: str  # csv: the detected encoding; xlsx: ""
    header: Sequence[object]
    header_row: int

    def rows(self) -> Iterator[Row]: ...

    def progress(self) -> tuple[int, int | None]:
        """(done, total) in the table's own unit (bytes for csv, rows for xlsx)."""
        ...

    def close(self) -> None: ...


def _is_blank(cells: Sequence[object]) -> bool:
    return all(c is None or (isinstance(c, str) and not c.strip()) for c in cells)


def detect_encoding(sample: bytes, *, truncated: bool) -> str:
    """`utf-8-sig`, `utf-8` or `gb18030` for a csv whose first bytes are `sample`.

    Short GBK text can also be valid UTF-8 (`小` in GBK is the bytes of Cyrillic `С` in UTF-8), so
    a line that decodes both ways votes for the reading that gives more Chinese characters.
    """
    if sample.startswith(UTF8_BOM):
        return "utf-8-sig"
    lines = sample.split(b"\n")
    if truncated and len(lines) > 1:
        lines = lines[:-1]  # the last line may be cut inside a character
    utf8 = other = 0
    for line in lines:
        if line.isascii():
            continue
        try:
            as_utf8 = line.decode("utf-8")
        except UnicodeDecodeError:
            other += 1
            continue
        try:
            as_gb = line.decode("gb18030")
        except UnicodeDecodeError:
            utf8 += 1
            continue
        if _cjk_share(as_gb) > _cjk_share(as_utf8):
            other += 1
        else:
            utf8 += 1
    return "utf-8" if utf8 >= other else "gb18030"


def _cjk_share(text: str) -> float:
    """Share of the non-ASCII characters that are CJK ideographs or CJK punctuation."""
    wide = [c for c in text if ord(c) > 127]
    if not wide:
        return 0.0
    cjk = sum(
        1
        for c in wide
        if "\u4e00" <= c <= "\u9fff" or "\u3000" <= c <= "\u303f" or "\uff00" <= c <= "\uffef"
    )
    return cjk / len(wide)


class CsvTable:
    format = "csv"

    def __init__(self, path: Path) -> None:
        self.path = path
        self._file: IO[bytes] = path.open("rb")
        self._size = os.fstat(self._file.fileno()).st_size
        sample = self._file.read(SAMPLE_BYTES)
        self._file.seek(0)
        self.encoding = detect_encoding(sample, truncated=len(sample) == SAMPLE_BYTES)
        self._line = 0
        self._bad_lines: list[int] = []
        self._reader = csv.reader(self._lines(), strict=False)
        self._number = 0
        self._first_line = 1  # physical line where the next record starts
        self.header: Sequence[object] = []
        self.header_row = 0
        for row in self._records():
            if not _is_blank(row.cells):
                self.header, self.header_row = row.cells, row.number
                break
        else:
            self._file.close()
            raise FileReadError("文件是空的 / the file has no header row")

    def _lines(self) -> Iterator[str]:
        encoding = self.encoding
        for raw in self._file:
            self._line += 1
            try:
                yield raw.decode(encoding)
            except UnicodeDecodeError:
                self._bad_lines.append(self._line)
                yield raw.decode(encoding, errors="replace")

    def _records(self) -> Iterator[Row]:
        while True:
            try:
                cells = next(self._reader)
            except StopIteration:
                return
            except csv.Error as exc:
                self._number += 1
                self._first_line = self._line + 1
                yield Row(self._number, [], f"CSV 格式错误 / malformed csv: {exc}")
                continue
            self._number += 1
            problem = ""
            if self._bad_lines and self._bad_lines[-1] >= self._first_line:
                problem = f"编码错误：这一行不是 {self._encoding_label()} / wrong encoding"
            self._first_line = self._line + 1
            yield Row(self._number, cells, problem)

    def _encoding_label(self) -> str:
        return "GBK/GB18030" if self.encoding == "gb18030" else "UTF-8"

    def rows(self) -> Iterator[Row]:
        for row in self._records():
            if row.problem or not _is_blank(row.cells):
                yield row

    def progress(self) -> tuple[int, int | None]:
        return self._file.tell(), self._size

    def close(self) -> None:
        self._file.close()


class XlsxTable:
    format = "xlsx"
    encoding = ""

    def __init__(self, path: Path, *, choose: Callable[[Sequence[object]], bool]) -> None:
        import openpyxl  # imported here: csv-only imports need not pay for it
        from openpyxl.utils.exceptions import InvalidFileException

        self.path = path
        try:
            self._book: Any = openpyxl.load_workbook(path, read_only=True, data_only=True)
        except (InvalidFileException, BadZipFile, OSError, KeyError, ValueError) as exc:
            raise FileReadError(f"无法打开 xlsx 文件 / cannot open the workbook: {exc}") from exc
        self._done = 0
        self.header: Sequence[object] = []
        self.header_row = 0
        candidates = []
        # Newer 千牛 workbooks hold several sheets (订单报表 / 销售明细 / 发货报表, EXPORTS §1a):
        # use the first whose header row fits the import kind.
        for sheet in self._book.worksheets:
            found = self._find_header(sheet)
            if found is not None:
                candidates.append((sheet, *found))
        if not candidates:
            self._book.close()
            raise FileReadError("工作簿是空的 / the workbook has no header row")
        chosen = next((c for c in candidates if choose(c[1])), candidates[0])
        self._sheet, self.header, self.header_row = chosen
        self.sheet_name = str(self._sheet.title)
        self._total: int | None = self._sheet.max_row

    @staticmethod
    def _find_header(sheet: Any) -> tuple[Sequence[object], int] | None:
        for number, cells in enumerate(sheet.iter_rows(values_only=True), start=1):
            if not _is_blank(cells):
                return cells, number
            if number > 50:
                break
        return None

    def rows(self) -> Iterator[Row]:
        start = self.header_row + 1
        for number, cells in enumerate(
            self._sheet.iter_rows(min_row=start, values_only=True), start=start
        ):
            self._done = number
            if not _is_blank(cells):
                yield Row(number, cells)

    def progress(self) -> tuple[int, int | None]:
        return self._done, self._total

    def close(self) -> None:
        self._book.close()


def open_table(path: Path, *, choose: Callable[[Sequence[object]], bool]) -> Table:
    """Open a csv or xlsx export. `choose` picks the sheet of a multi-sheet workbook by header.

    Raises FileReadError when the file is missing, of another type, or has no header row.
    """
    if not path.is_file():
        raise FileReadError(f"找不到文件 / no such file: {path}")
    suffix = path.suffix.lower()
    try:
        if suffix in {".csv", ".txt"}:
            return CsvTable(path)
        if suffix in {".xlsx", ".xlsm"}:
            return XlsxTable(path, choose=choose)
    except OSError as exc:
        raise FileReadError(f"无法读取文件 / cannot read {path}: {exc}") from exc
    if suffix == ".xls":
        raise FileReadError("不支持旧版 .xls，请在 Excel 中另存为 .xlsx 或 .csv / save as .xlsx")
    raise FileReadError(f"只支持 .csv 和 .xlsx 文件 / unsupported file type {suffix!r}")


class TableContext:
    """`with TableContext(table) as t:` closes the file whatever happens."""

    def __init__(self, table: Table) -> None:
        self.table = table

    def __enter__(self) -> Table:
        return self.table

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.table.close()
