"""Re-saved and modified copies of the bundled UNODC workbook, made by code in a temp dir.

They stand for what people actually have: the workbook saved again without its title rows,
with columns moved or dropped, as CSV; and a later release with a few figures changed. The
modified copy is synthetic (its changes are made up for the tests) and says so in its title
row.
"""

from __future__ import annotations

import csv
import zipfile
from collections.abc import Callable, Sequence
from pathlib import Path
from xml.sax.saxutils import escape

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
    """Rows to an .xlsx as a spreadsheet program saves it (years as numbers, the rest text).

    The file is openpyxl's (write-only mode), but for the sheet's rows, which are written here
    in the very XML openpyxl writes for them (tests/unit/test_source_variants.py compares the
    two byte for byte): openpyxl takes some 12 seconds over the 58,000 rows of the bundled
    workbook. Rows with a value it would write otherwise (a formula, an error code, a float,
    text it refuses or cuts) are left to openpyxl whole."""
    header_at = next(i for i, r in enumerate(rows) if "Indicator" in r)
    year_at = rows[header_at].index(year_column) if year_column in rows[header_at] else None
    cells_rows = []
    for i, row in enumerate(rows):
        cells = list(row)
        if year_at is not None and i > header_at and cells[year_at] is not None:
            cells[year_at] = int(cells[year_at])
        cells_rows.append(cells)
    if not rows or not all(_plain(value) for cells in cells_rows for value in cells):
        return write_xlsx_openpyxl(cells_rows, path)
    write_xlsx_openpyxl(cells_rows[:1], path)  # the workbook around the sheet's rows
    with zipfile.ZipFile(path) as made:
        parts = [(info, made.read(info.filename)) for info in made.infolist()]
    sheet = next(i for i, (info, _) in enumerate(parts)
                 if info.filename.startswith("xl/worksheets/sheet"))
    text = parts[sheet][1].decode("utf-8")
    start, end = text.index("<sheetData>") + len("<sheetData>"), text.index("</sheetData>")
    body = "".join(_row_xml(i, cells) for i, cells in enumerate(cells_rows, start=1))
    parts[sheet] = (parts[sheet][0], (text[:start] + body + text[end:]).encode("utf-8"))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info, data in parts:
            out.writestr(info, data)
    return path


def write_xlsx_openpyxl(rows: Sequence[Row | list], path: Path) -> Path:
    """``rows`` (years already numbers) to an .xlsx by openpyxl alone, cell by cell."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("data_glotip_1")
    for row in rows:
        sheet.append(list(row))
    book.save(path)
    return path


def _plain(value: object) -> bool:
    """A value whose cell ``_row_xml`` writes as openpyxl does: nothing, a whole number, or
    text openpyxl keeps as it is (not a formula, an error code, or text it cuts or refuses)."""
    from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE

    if value is None or type(value) is int:
        return True
    return (type(value) is str and len(value) <= 32767 and not value.startswith("=")
            and value not in ERROR_CODES and ILLEGAL_CHARACTERS_RE.search(value) is None)


def _row_xml(number: int, cells: Sequence[str | int | None]) -> str:
    """One row as openpyxl's write-only sheet writes it: empty cells left out, text inline."""
    from openpyxl.utils import get_column_letter

    parts = []
    for column, value in enumerate(cells, start=1):
        if value is None:
            continue
        where = f"{get_column_letter(column)}{number}"
        if type(value) is int:
            parts.append(f'<c r="{where}" t="n"><v>{value}</v></c>')
        elif value == "":
            parts.append(f'<c r="{where}" t="inlineStr" />')
        else:
            stripped = value.strip()
            space = ' xml:space="preserve"' if stripped and stripped != value else ""
            parts.append(f'<c r="{where}" t="inlineStr"><is><t{space}>{escape(value)}</t></is>'
                         "</c>")
    if not parts:
        return f'<row r="{number}"></row>'
    return f'<row r="{number}">{"".join(parts)}</row>'


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
