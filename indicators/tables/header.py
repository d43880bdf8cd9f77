"""Read a publisher's table as people actually have it: the header found by its column names.

A workbook re-saved by hand loses its title rows, gains or loses columns, changes their order or
their case, or becomes a CSV. The importers here do not care: the header is the first row (of
any sheet, within the first rows) that names every required column, compared without case,
spaces or punctuation. A file that cannot be read, or has no such row, is refused with one
plain sentence that names the file and the missing columns (ImportRejected), before anything
is written.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from indicators.problems import ImportRejected, Problem
from indicators.tables.read import ROW_COLUMN, Grid, load_sheet, open_workbook, read_table

HEADER_SEARCH_ROWS = 30  # a header further down than this is not a header
PUBLISHED_FILE_LIMIT = 500 * 1024 * 1024  # published files are ours to read, not uploads


@dataclass(frozen=True)
class Column:
    """A column an importer reads: its name in the importer, and the header texts accepted."""

    name: str
    headers: tuple[str, ...] = ()
    required: bool = True

    def keys(self) -> set[str]:
        return {header_key(text) for text in (self.name, *self.headers)}


@dataclass
class SourceTable:
    """The rows under the header, as text, with the importer's column names and `_row` (the
    row number a spreadsheet shows); the rows above the header (title rows) as text."""

    frame: pl.DataFrame
    file_name: str
    header_row: int
    above: list[list[str]] = field(default_factory=list)
    sheet: str | None = None
    missing_optional: tuple[str, ...] = ()


def header_key(text: object) -> str:
    """'Iso3_code', 'ISO3 CODE' and ' iso3code ' all give 'iso3code'."""
    return re.sub(r"[^0-9a-z]+", "", str(text or "").lower())


def refuse(file_name: str, message: str, fix: str, **where: object) -> ImportRejected:
    """The one plain sentence a file that cannot be read gets; nothing is written."""
    return ImportRejected([Problem(message, fix, file_name, **where)])  # type: ignore[arg-type]


def read_source_table(path: str | Path, columns: Sequence[Column]) -> SourceTable:
    """The table in `path` (.xlsx, any sheet, or CSV) under the first row that names every
    required column. Raises ImportRejected naming the file and what is missing."""
    path = Path(path)
    if not path.is_file():
        raise refuse(path.name, f"There is no file at {path}.", "Check the path and try again.")
    data = path.read_bytes()
    best: tuple[int, int, str | None, list[str]] | None = None  # matched, row, sheet, missing
    for sheet, grid in _grids(data, path.name):
        found = _find_header(grid.cells, columns)
        matched, row, missing = found
        if not missing:
            return _table(grid.cells, row, columns, path.name, sheet)
        if best is None or matched > best[0]:
            best = (matched, row, sheet, missing)
    required = [c.name for c in columns if c.required]
    if best is None or best[0] == 0:
        raise refuse(
            path.name,
            f"No header row was found: none of the first {HEADER_SEARCH_ROWS} rows names the "
            f"columns {_names(required)}.",
            "Check that this is the publisher's file, with its header row of column names.",
        )
    _, row, sheet, missing = best
    where = f" of sheet '{sheet}'" if sheet else ""
    raise refuse(
        path.name,
        f"The header row (row {row}{where}) lacks the column{'s' * (len(missing) > 1)} "
        f"{_names(missing)}.",
        "Use the publisher's file as released, or restore the missing columns.",
    )


def _names(names: Sequence[str]) -> str:
    quoted = [f"'{n}'" for n in names]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " and " + quoted[-1]


def _grids(data: bytes, file_name: str) -> Iterator[tuple[str | None, Grid]]:
    """The first visible sheet (or the CSV), then the workbook's other visible sheets."""
    first = read_table(data, file_name, limit_bytes=PUBLISHED_FILE_LIMIT)
    yield first.info.sheet, first
    if first.info.kind != "xlsx":
        return
    workbook = open_workbook(data)
    for index, name in enumerate(workbook.sheet_names):
        if name == first.info.sheet:
            continue
        try:
            sheet = load_sheet(workbook, index)
        except Exception:  # noqa: BLE001, S112 - an unreadable extra sheet is just skipped
            continue
        if sheet.visible:  # a hidden sheet is never read
            yield sheet.name, Grid(sheet.cells, first.info)


def _find_header(cells: pl.DataFrame, columns: Sequence[Column]) -> tuple[int, int, list[str]]:
    """(columns matched, row number, required columns missing) for the best header row."""
    data_columns = [c for c in cells.columns if c != ROW_COLUMN]
    best = (0, 1, [c.name for c in columns if c.required])
    for record in cells.head(HEADER_SEARCH_ROWS).iter_rows(named=True):
        keys = {header_key(record[c]) for c in data_columns if record[c] is not None}
        matched = [c for c in columns if c.keys() & keys]
        missing = [c.name for c in columns if c.required and c not in matched]
        if not missing:
            return len(matched), int(record[ROW_COLUMN]), []
        if len(matched) > best[0]:
            best = (len(matched), int(record[ROW_COLUMN]), missing)
    return best


def _table(cells: pl.DataFrame, header_row: int, columns: Sequence[Column], file_name: str,
           sheet: str | None) -> SourceTable:
    header = cells.filter(pl.col(ROW_COLUMN) == header_row).row(0, named=True)
    positions: dict[str, str] = {}
    for column in columns:
        keys = column.keys()
        for cell, text in header.items():
            if cell != ROW_COLUMN and text is not None and header_key(text) in keys:
                positions[column.name] = cell
                break
    body = cells.filter(pl.col(ROW_COLUMN) > header_row)
    text = [
        pl.col(cell).str.strip_chars().replace("", None).alias(name)
        for name, cell in positions.items()
    ]
    frame = body.select(*text, pl.col(ROW_COLUMN))
    names = list(positions)
    if names:
        frame = frame.filter(pl.any_horizontal(pl.col(names).is_not_null()))
    above = [
        [str(v).strip() for k, v in row.items() if k != ROW_COLUMN and v not in (None, "")]
        for row in cells.filter(pl.col(ROW_COLUMN) < header_row).iter_rows(named=True)
    ]
    missing = tuple(c.name for c in columns if not c.required and c.name not in positions)
    return SourceTable(frame, file_name, header_row, above, sheet, missing)


def parse_year(text: pl.Expr) -> pl.Expr:
    """'2019', ' 2019 ' and '2019.0' (a re-saved number) → 2019; anything else → null."""
    return (
        text.str.strip_chars()
        .str.replace(r"^(\d{4})\.0+$", "${1}")
        .cast(pl.Int32, strict=False)
    )


def parse_number(text: pl.Expr) -> pl.Expr:
    """'1,240', ' 38,928,000 ' and '1240.0' → a number; anything else → null."""
    return (
        text.str.strip_chars()
        .str.replace_all(",", "")
        .cast(pl.Float64, strict=False)
    )


def require_any(table: SourceTable, names: Sequence[str], fix: str) -> SourceTable:
    """The table, if its header has at least one of the columns `names` (the ones that place a
    figure in a country); refused otherwise."""
    if any(name in table.frame.columns for name in names):
        return table
    raise refuse(
        table.file_name,
        f"The header row (row {table.header_row}) has neither "
        f"{' nor '.join(repr(n) for n in names)}, so no figure can be placed in a country.",
        fix,
    )


def read_cells(table: SourceTable, column: str, parse: Callable[[pl.Expr], pl.Expr],
               message: str, fix: str, *, required: bool = True) -> pl.Expr:
    """`parse` of the column, once every cell of it can be read: the import stops naming each
    cell that cannot (an empty one too, when `required`)."""
    parsed = parse(pl.col(column))
    unreadable = parsed.is_null() if required else pl.col(column).is_not_null() & parsed.is_null()
    rows = table.frame.filter(unreadable)
    if rows.height:
        raise bad_cells(table, rows, column, message, fix)
    return parsed


def read_years(table: SourceTable, fix: str) -> pl.Expr:
    """The `Year` column as numbers; a cell that is not a year stops the import."""
    return read_cells(table, "Year", parse_year, "This is not a year.", fix)


def bad_cells(table: SourceTable, rows: pl.DataFrame, column: str, message: str, fix: str,
              limit: int = 20) -> ImportRejected:
    """Every unreadable cell in one column, each with its row and value."""
    problems = [
        Problem(message, fix, table.file_name, int(r[ROW_COLUMN]), column,
                None if r[column] is None else str(r[column]))
        for r in rows.head(limit).iter_rows(named=True)
    ]
    if rows.height > limit:
        problems.append(Problem(
            f"{rows.height - limit} more rows have the same problem in column '{column}'.",
            fix, table.file_name))
    return ImportRejected(problems)
