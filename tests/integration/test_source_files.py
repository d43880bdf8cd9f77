"""The UNODC workbook as people actually have it, and files that cannot be read.

Re-saved copies (made here by code from the bundled file) load to the same figures as the
original; a file that cannot be read stops `indicators source load` with one plain sentence
and leaves the database as it was.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest

from indicators.bundled import BundledSource, init_database
from indicators.cli import main
from indicators.sources import unodc_glotip
from indicators.store import Store
from tests.integration import source_variants as sv

ALL_COLUMNS = ["Iso3_code", "Country", "Region", "Subregion", "Indicator", "Dimension",
               "Category", "Sex", "Age", "Year", "Unit of measurement", "txtVALUE", "Source"]
SHUFFLED = ["txtVALUE", "Year", "Age", "Sex", "Category", "Dimension", "Indicator", "Country",
            "Subregion", "Region", "Unit of measurement"]  # no Iso3_code, no Source


@pytest.fixture(scope="module")
def original() -> pl.DataFrame:
    return unodc_glotip.to_long(unodc_glotip.read_published()).drop("_row")


def _figures(path: Path) -> pl.DataFrame:
    return unodc_glotip.to_long(unodc_glotip.read_published(path)).drop("_row")


@pytest.fixture(scope="module")
def variants(workbook_rows, variants_dir) -> dict[str, Path]:
    rows = workbook_rows
    return {
        # saved again without the title rows, columns moved, Iso3_code and Source dropped
        "xlsx_names_only": sv.write_xlsx(
            sv.reshape(rows, columns=SHUFFLED, title_rows=False),
            variants_dir / "names_only.xlsx"),
        # saved as CSV, title rows kept, header in other case and spacing
        "csv_as_saved": sv.write_csv(
            sv.reshape(rows, columns=ALL_COLUMNS, title_rows=True,
                       header=lambda c: f" {c.upper().replace('_', ' ')} "),
            variants_dir / "as_saved.csv"),
        # CSV without title rows, columns moved, the code kept, Source dropped
        "csv_moved": sv.write_csv(
            sv.reshape(rows, columns=[*reversed(ALL_COLUMNS[:-1])], title_rows=False),
            variants_dir / "moved.csv"),
    }


@pytest.mark.parametrize("variant", ["xlsx_names_only", "csv_as_saved", "csv_moved"])
def test_resaved_copies_give_the_same_figures(variants, original, variant):
    figures = _figures(variants[variant])
    # the bundled workbook is the 14 April 2025 release: 57,729 figures, 7,203 of them
    # national totals (PROVENANCE.md: 1,662 + 1,593 + 1,528 + 1,087 + 1,333)
    assert figures.height == original.height == 57_729
    assert figures.sort("iso3", "year", "measure").equals(original.sort("iso3", "year",
                                                                        "measure"))
    totals = figures.filter(~pl.col("measure").str.contains("|", literal=True))
    assert totals.height == 7_203
    gbr = totals.filter((pl.col("iso3") == "GBR") & (pl.col("year") == 2019))
    assert dict(gbr.select("measure", "value").rows())["victims_detected"] == 10_627
    # '<5' kept as a range, in copies as in the original
    assert figures.filter(pl.col("value_status") == "suppressed").height == \
        original.filter(pl.col("value_status") == "suppressed").height


def test_init_reads_a_resaved_copy_in_place_of_the_bundled_file(variants, original, tmp_path):
    """The copy people have, put where the bundled workbook was: `indicators init` loads it
    (this used to stop with a Polars traceback)."""
    copy = BundledSource(unodc_glotip.SOURCE, variants["xlsx_names_only"], unodc_glotip.FAMILY)
    with Store(tmp_path / "copy.duckdb") as store:
        [report] = init_database(store, (copy,))
        assert (report.source_id, report.figures, report.skipped) == (
            "unodc_glotip_2025", 57_729, False)
        loaded = store.observations().select(original.columns)
    key = ["iso3", "year", "measure"]
    assert loaded.sort(key).equals(original.sort(key))


def test_a_resaved_copy_loads_as_nothing_new(variants, bundled_db, capsys):
    with Store(bundled_db, read_only=True) as store:
        before = store.table_checksums()
    code = main(["source", "load", "unodc_glotip", str(variants["xlsx_names_only"]),
                 "--release", "2025-resaved", "--db", str(bundled_db)])
    out = capsys.readouterr().out
    assert code == 0
    assert "All figures" in out and out.count(" 0 ") >= 3
    assert "Every figure of this release is already in the database; nothing was written." \
        in out
    with Store(bundled_db, read_only=True) as store:
        assert store.table_checksums() == before


# -- files that cannot be read ---------------------------------------------------------------
def _broken(rows: list[sv.Row], tmp: Path) -> dict[str, tuple[Path, str]]:
    no_dimension = [c for c in ALL_COLUMNS if c not in ("Dimension", "Category")]
    no_country = [c for c in ALL_COLUMNS if c not in ("Iso3_code", "Country")]
    renamed = sv.reshape(rows[:200], columns=ALL_COLUMNS[1:], title_rows=False)
    renamed[5][0] = "Atlantis"  # Country, with no Iso3_code to tell
    future = sv.reshape(rows[:200], columns=ALL_COLUMNS, title_rows=True)
    future[10][ALL_COLUMNS.index("Year")] = "2999"
    zip_path = tmp / "archive.xlsx"
    zip_path.write_bytes(b"PK\x03\x04" + b"\x00" * 60)
    pdf_path = tmp / "report.xlsx"
    pdf_path.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    return {
        "zip": (zip_path, "archive.xlsx: This is a compressed archive (zip), not a table of "
                          "figures."),
        "pdf": (pdf_path, "report.xlsx: This is a PDF document, not a table of figures."),
        "no_dimension": (sv.write_csv(sv.reshape(rows, columns=no_dimension, title_rows=True),
                                      tmp / "no_dimension.csv"),
                         "no_dimension.csv: The header row (row 3) lacks the columns "
                         "'Dimension' and 'Category'."),
        "no_country": (sv.write_csv(sv.reshape(rows[:50], columns=no_country, title_rows=True),
                                    tmp / "no_country.csv"),
                       "no_country.csv: The header row (row 3) has neither 'Iso3_code' nor "
                       "'Country', so no figure can be placed in a country."),
        "no_header": (sv.write_csv([["a", "b"], ["1", "2"]], tmp / "no_header.csv"),
                      "no_header.csv: No header row was found: none of the first 30 rows names "
                      "the columns 'Indicator', 'Dimension', 'Category', 'Sex', 'Age', 'Year' "
                      "and 'txtVALUE'."),
        "future_year": (sv.write_csv(future, tmp / "future_year.csv"),
                        "future_year.csv, row 11, column 'year', value '2999': The year is in "
                        "the future."),
        "unknown_name": (sv.write_csv(renamed, tmp / "unknown_name.csv"),
                         "unknown_name.csv, row 6, column 'Country', value 'Atlantis': No single "
                         "country has this name"),
    }


def test_broken_files_get_one_plain_sentence_and_change_nothing(
        workbook_rows, bundled_db, tmp_path, capsys):
    with Store(bundled_db, read_only=True) as store:
        before = store.table_checksums()
    for name, (path, sentence) in _broken(workbook_rows, tmp_path).items():
        code = main(["source", "load", "unodc_glotip", str(path), "--release", "2024",
                     "--db", str(bundled_db)])
        captured = capsys.readouterr()
        errors = captured.err.strip().splitlines()
        assert code == 2, name
        assert len(errors) == 2, (name, errors)
        assert errors[0].startswith(f"error: {sentence}"), (name, errors[0])
        assert errors[1] == "Nothing was written; the database is unchanged."
        with Store(bundled_db, read_only=True) as store:
            assert store.table_checksums() == before, name


def test_no_traceback_reaches_the_command_line(bundled_db, tmp_path):
    path = tmp_path / "data.csv"
    path.write_text("Iso3_code,Country,Year\nGBR,United Kingdom,2019\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "indicators", "source", "load", "unodc_glotip", str(path),
         "--db", str(bundled_db)], capture_output=True, text=True, encoding="utf-8",
        timeout=300, check=False)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert done.stderr.splitlines()[0] == (
        "error: data.csv: The header row (row 1) lacks the columns 'Indicator', 'Dimension', "
        "'Category', 'Sex', 'Age' and 'txtVALUE'. Use the publisher's file as released, or "
        "restore the missing columns.")


def test_a_file_that_does_not_say_its_release_must_be_named(variants, bundled_db, capsys):
    code = main(["source", "load", "unodc_glotip", str(variants["csv_moved"]),
                 "--db", str(bundled_db)])
    assert code == 2
    assert capsys.readouterr().err.splitlines()[0] == (
        "error: moved.csv: The file does not say which release it is. Name it with --release, "
        "for example --release 2024 (the release's year or date).")
