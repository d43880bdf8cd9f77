"""Copies of the bundled UNODC workbook, made once per test session (see source_variants.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.integration import source_variants as sv

# The synthetic changes of the modified copy: (row to find, column, new text).
MODIFIED_RELEASE_DATE = "01/06/2024"
VICTIMS = "Detected trafficking victims"


@pytest.fixture(scope="session")
def workbook_rows() -> list[sv.Row]:
    return sv.workbook_rows()


@pytest.fixture(scope="session")
def variants_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("unodc_variants")


@pytest.fixture(scope="session")
def modified_workbook(workbook_rows: list[sv.Row], variants_dir: Path) -> Path:
    """A synthetic next release: the bundled workbook with a new date, three figures revised,
    one removed and one added (the changes are made up for the test)."""
    rows = [list(r) for r in workbook_rows]
    rows[0][0] = "UNODC (synthetic test copy: figures changed for the tests)"
    rows[1][0] = MODIFIED_RELEASE_DATE
    value = sv.column(rows, "txtVALUE")
    total = {"Dimension": "Total", "Category": "Total", "Sex": "Total", "Age": "Total"}
    rows[sv.find(rows, Iso3_code="GBR", Year="2019", Indicator=VICTIMS, **total)][value] = \
        "10,700"  # was 10,627
    female = {**total, "Sex": "Female"}
    rows[sv.find(rows, Iso3_code="GBR", Year="2019", Indicator=VICTIMS, **female)][value] = \
        "3,300"  # was 3,327
    rows[sv.find(rows, Iso3_code="ISL", Year="2019", Indicator="Persons convicted",
                 **total)][value] = "3"  # was <5
    removed = sv.find(rows, Iso3_code="FRA", Year="2019", Indicator="Persons prosecuted",
                      **total)  # 1,552
    added = list(rows[sv.find(rows, Iso3_code="GBR", Year="2019", Indicator=VICTIMS, **total)])
    added[sv.column(rows, "Year")] = "2022"
    added[value] = "11,000"
    rows = [r for i, r in enumerate(rows) if i != removed] + [added]
    return sv.write_xlsx(rows, variants_dir / "data_glotip_next.xlsx")
