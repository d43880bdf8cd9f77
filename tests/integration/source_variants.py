"""Re-saved and modified copies of the bundled UNODC workbook, made by code in a temp dir.

They stand for what people actually have: the workbook saved again without its title rows,
with columns moved or dropped, as CSV; and a later release with a few figures changed. The
modified copy is synthetic (its changes are made up for the tests) and says so in its title
row.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Sequence
from pathlib import Path

import fastexcel

from indicators.sources import unodc_glotip

Row = list[str | None]
HEADER_ROW = 2  # 0-based: two title rows, then the header


def workbook_rows(path: Path = unodc_glotip.FILE) -> list[Row]:
    """Every row of the data sheet as text, title rows and header included."""
    sheet = fastexcel.read_excel(path).load_sheet(0, header_row=None, dtypes="string")
    return [list(row) for row in sheet.to_polars().rows()]


def reshape(rows: Sequence[Row], *, columns: Sequence[str], title_rows: bool,
            header: Callable[[str], str] = str) -> list[Row]:
    """The rows with only `columns`, in that order, and the title rows kept or not."""
    names = list(rows[HEADER_ROW])
    picks = [names.index(c) for c in columns]
    body = [[row[i] for i in picks] for row in rows[HEADER_ROW + 1:]]
    top = [list(r[: len(picks)]) for r in rows[:HEADER_ROW]] if title_rows else []
    return [*top, [header(c) for c in columns], *body]


def write_xlsx(rows: Sequence[Row], path: Path, *, year_column: str | None = "Year") -> Path:
    """Rows to an .xlsx as a spreadsheet program saves it (years as numbers, the rest text)."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("data_glotip_1")
    header_at = next(i for i, r in enumerate(rows) if "Indicator" in r)
    year_at = rows[header_at].index(year_column) if year_column in rows[header_at] else None
    for i, row in enumerate(rows):
        cells = list(row)
        if year_at is not None and i > header_at and cells[year_at] is not None:
            cells[year_at] = int(cells[year_at])
        sheet.append(cells)
    book.save(path)
    return path


def write_csv(rows: Sequence[Row], path: Path) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([["" if c is None else c for c in r] for r in rows])
    return path


def find(rows: Sequence[Row], **where: str) -> int:
    """The index of the one data row whose columns have these values."""
    names = rows[HEADER_ROW]
    picks = {names.index(k.replace("_", " ") if k == "Unit_of_measurement" else k): v
             for k, v in where.items()}
    found = [i for i, r in enumerate(rows) if i > HEADER_ROW
             and all(r[c] == v for c, v in picks.items())]
    assert len(found) == 1, (where, len(found))
    return found[0]


def column(rows: Sequence[Row], name: str) -> int:
    return list(rows[HEADER_ROW]).index(name)
