"""The test helper that writes re-saved copies of the UNODC workbook (tests/integration/
source_variants.py) writes the file openpyxl writes: the same parts, the sheet's XML byte for
byte."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from tests.integration import source_variants as sv

# Cells that test the XML: markup characters, spaces kept, empty text, empty cells and rows,
# non-ASCII text, a line break, numbers; and the header row write_xlsx looks for.
TRICKY = [
    ["Indicator", "Year", "Country", "Note", "Other"],
    ["a & b < c > d", 2019, "Côte d’Ivoire", " leading", "trailing "],
    ["", None, "tab\there", "line\nbreak", "quote \" and ' apostrophe"],
    [None, None, None, None, None],
    ["  ", 2020, "carriage\rreturn", "<5", "1,552"],
]


def _parts(path: Path) -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(path) as book:
        parts = [(info.filename, book.read(info.filename)) for info in book.infolist()]
    # the time the file was made is the only thing allowed to differ
    return [(name, re.sub(rb"<dcterms:(created|modified)[^<]*</dcterms:\1>", b"", data))
            for name, data in parts]


def _openpyxl_copy(rows: list[sv.Row], path: Path) -> Path:
    """What write_xlsx wrote before: every row through openpyxl, years as numbers."""
    header_at = next(i for i, r in enumerate(rows) if "Indicator" in r)
    year_at = rows[header_at].index("Year")
    cells = [[int(c) if i > header_at and j == year_at and c is not None else c
              for j, c in enumerate(r)] for i, r in enumerate(rows)]
    return sv.write_xlsx_openpyxl(cells, path)


def test_write_xlsx_writes_what_openpyxl_writes(tmp_path: Path):
    rows = sv.workbook_rows()[:3000]
    year = sv.column(rows, "Year")
    tricky = [[str(c) if j == 1 and c is not None else c for j, c in enumerate(r)]
              for r in TRICKY]
    for name, sample in (("workbook", rows), ("tricky", tricky),
                         ("reshaped", sv.reshape(rows, columns=["txtVALUE", "Year", "Indicator"],
                                                 title_rows=False))):
        ours = _parts(sv.write_xlsx(sample, tmp_path / f"{name}.xlsx"))
        theirs = _parts(_openpyxl_copy(sample, tmp_path / f"{name}-openpyxl.xlsx"))
        assert [n for n, _ in ours] == [n for n, _ in theirs], name
        for (part, got), (_, want) in zip(ours, theirs, strict=True):
            assert got == want, (name, part)
    assert rows[5][year] is not None


def test_values_openpyxl_writes_otherwise_are_left_to_it(tmp_path: Path):
    """A formula, an error code or a float: the whole file is openpyxl's own."""
    for odd in ("=1+1", "#N/A", 1.5):
        rows = [["Indicator", "Year"], [odd, "2019"]]
        ours = _parts(sv.write_xlsx(rows, tmp_path / "odd.xlsx"))
        theirs = _parts(_openpyxl_copy(rows, tmp_path / "odd-openpyxl.xlsx"))
        assert ours == theirs, odd
