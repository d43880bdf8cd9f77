"""Impossible values are refused: the file, row, column, value and what to do, nothing written.

Counts of people that are not whole numbers, not finite, negative, or larger than the country's
population that year (the World Bank's figure in the store); "1.234" in a point-decimal file,
where it would be a fraction of a person; and hidden sheets, which are never read. Each file
is written here by hand and imported into a real DuckDB file copied from the bundled database;
after the refusal its tables are exactly as before. Every figure is made up for the test.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from indicators.problems import ERROR, WARNING, ImportRejected, Problem
from indicators.store import Store
from indicators.upload.pipeline import commit, prepare
from tests.data.make_upload_corpus import xlsx

ROOT = Path(__file__).resolve().parents[2]
S = "SYNTHETIC TEST DATA"
HEADER = "country,year,measure,value,source,note\r\n"
WHOLE_FIX = ("Give the whole number of people as the source counts them (for example {low} or "
             "{high}); the dashboard computes rates and averages itself.")
FINITE = "This is not a finite number, so it cannot be a count."
FINITE_FIX = ("Write the figure with digits, e.g. 1240, or leave the cell empty if there is no "
              "figure.")
POPULATION_FIX = ("Check the figure for a slip (extra zeros, or a figure for another country or "
                  "measure): a count of people cannot be larger than the population.")


def csv_file(*rows: str) -> bytes:
    return (HEADER + "".join(f"{row},{S},\r\n" for row in rows)).encode("utf-8")


@pytest.fixture
def db(bundled_db_template: Path, tmp_path: Path) -> Path:
    path = tmp_path / "indicators.duckdb"
    shutil.copyfile(bundled_db_template, path)
    return path


def checksums(path: Path) -> dict[str, str]:
    with Store(path, read_only=True) as store:
        return store.table_checksums()


def refused(db: Path, data: bytes, name: str) -> list[Problem]:
    """The problems the file is refused with; the database's tables must be unchanged."""
    before = checksums(db)
    with Store(db) as store, pytest.raises(ImportRejected) as caught:
        prepare(data, name, store)
    assert checksums(db) == before
    return caught.value.problems


def errors(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity == ERROR]


CASES = {
    "not_whole": (
        csv_file("Kenya,2019,victims_detected,12.5"),
        [Problem("12.5 is not a whole number, but victims_detected is a count of people.",
                 WHOLE_FIX.format(low=12, high=13), "f.csv", 2, "value", "12.5")]),
    "inf_and_nan": (
        csv_file("Kenya,2019,persons_prosecuted,inf", "Ghana,2019,victims_reported,nan",
                 "Chad,2019,persons_convicted,-Infinity"),
        [Problem(FINITE, FINITE_FIX, "f.csv", 2, "value", "inf"),
         Problem(FINITE, FINITE_FIX, "f.csv", 3, "value", "nan"),
         Problem(FINITE, FINITE_FIX, "f.csv", 4, "value", "-Infinity")]),
    "negative": (
        csv_file("Kenya,2019,victims_reported,-12"),
        [Problem("A count cannot be negative.",
                 "Give the count as zero or more, or leave the cell empty if unknown.",
                 "f.csv", 2, "value", "-12")]),
    "above_population": (
        # Ghana had 31,258,945 people in 2019 (World Bank, in the bundled database).
        csv_file("Ghana,2019,victims_prosecuted,4000000000"),
        [Problem("victims_prosecuted 4,000,000,000 is more than the whole population of Ghana "
                 "(GHA) in 2019: 31,258,945 people.", POPULATION_FIX,
                 "f.csv", 2, "value", "4000000000")]),
    "above_population_latest_year": (
        # No population for 2026 yet: the nearest year's (2024: 34,427,414) is the bound.
        csv_file("Ghana,2026,persons_convicted,40000000"),
        [Problem("persons_convicted 40,000,000 is more than the whole population of Ghana "
                 "(GHA) in 2024, the nearest year the World Bank gives: 34,427,414 people.",
                 POPULATION_FIX, "f.csv", 2, "value", "40000000")]),
    "more_than_the_world": (
        csv_file("Kenya,2019,persons_convicted,1000000000000000000000"),
        [Problem("persons_convicted 1,000,000,000,000,000,000,000 is more than the whole "
                 "population of Kenya (KEN) in 2019: 51,202,827 people.", POPULATION_FIX,
                 "f.csv", 2, "value", "1000000000000000000000")]),
    "point_decimal_thousands": (
        # A comma-separated file writes decimal points: '1.234' would be 1.234 people.
        csv_file("Ghana,2018,victims_detected,1.234"),
        [Problem("Which was meant, 1,234 or 1.234? In this file '1.234' reads as 1.234 (its "
                 "decimal mark is a point), a fraction of a person.",
                 "If you meant 1,234 people, write 1234 with no separator; victims_detected is "
                 "a count of people, a whole number, so 1.234 cannot be right.",
                 "f.csv", 2, "value", "1.234")]),
    "holland_is_not_poland": (
        csv_file("Hollandd,2019,victims_reported,40", "Narnia,2019,victims_reported,40"),
        [Problem("This country is not recognised.",
                 "Did you mean NLD (Netherlands)? Write the country's English name or its ISO3 "
                 "code (e.g. FRA for France).", "f.csv", 2, "country", "Hollandd"),
         Problem("This country is not recognised.",
                 "Write the country's English name or its ISO3 code (e.g. FRA for France).",
                 "f.csv", 3, "country", "Narnia")]),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_an_impossible_value_is_refused_and_nothing_is_written(db: Path, case: str):
    data, expected = CASES[case]
    assert errors(refused(db, data, "f.csv")) == expected


def test_every_impossible_value_of_a_file_is_named_at_once(db: Path):
    data = csv_file("Kenya,2019,victims_detected,12.5", "Kenya,2019,persons_prosecuted,inf",
                    "Ghana,2019,victims_prosecuted,4000000000", "Kenya,2018,suspects,40")
    found = errors(refused(db, data, "f.csv"))
    assert [(p.row, p.value) for p in found] == [(2, "12.5"), (3, "inf"), (4, "4000000000")]


def test_an_estimate_may_have_decimals_but_not_exceed_the_population(db: Path):
    data = csv_file("Kenya,2019,estimated_victims,12.5", "Ghana,2019,estimated_victims,40000000")
    assert errors(refused(db, data, "f.csv")) == [
        Problem("estimated_victims 40,000,000 is more than the whole population of Ghana (GHA) "
                "in 2019: 31,258,945 people.", POPULATION_FIX, "f.csv", 3, "value", "40000000")]


def test_a_hidden_sheet_is_never_read_the_first_visible_one_is(db: Path):
    header = ["country", "year", "measure", "value", "source"]
    data = xlsx([header, ["Kenya", 2019, "victims_reported", 44, S]],
                hidden_before=[header, ["Ghana", 2019, "victims_prosecuted", 4_000_000_000, S]])
    with Store(db) as store:
        prepared = prepare(data, "f.xlsx", store, organisation="Test NGO")
        assert prepared.figures.select("iso3", "year", "measure", "value").rows() == [
            ("KEN", 2019, "victims_reported", 44.0)]
        assert prepared.reading_notes()[0] == (
            "Read as an Excel workbook, sheet 'Figures' (the first visible sheet; hidden sheets "
            "are not read).")
        assert prepared.warnings == [Problem(
            "Only the first visible sheet, 'Figures', was read; the workbook has 2 sheets. The "
            "hidden sheet 'Old figures' was not read (hidden sheets never are).",
            "Put all the figures on the first visible sheet, or upload each sheet as its own "
            "file.", "f.xlsx", severity=WARNING)]
        batch = commit(prepared, store, kind="cli", contributor="test", organisation="Test NGO")
        store.approve_batch(batch, reviewer="Second Reviewer")
        current = store.observations()
    ghana = current.filter((current["iso3"] == "GHA") & (current["year"] == 2019)
                           & (current["measure"] == "victims_prosecuted"))
    assert ghana.height == 0
    kenya = current.filter((current["iso3"] == "KEN") & (current["year"] == 2019)
                           & (current["measure"] == "victims_reported"))
    assert kenya["value"].to_list() == [44.0]


def test_an_impossible_value_on_the_visible_sheet_is_refused(db: Path):
    header = ["country", "year", "measure", "value", "source"]
    data = xlsx([header, ["Kenya", 2019, "victims_reported", 12.5, S]],
                hidden_before=[header, ["Kenya", 2019, "victims_reported", 40, S]])
    problems = refused(db, data, "f.xlsx")
    assert errors(problems) == [Problem(
        "12.5 is not a whole number, but victims_reported is a count of people.",
        WHOLE_FIX.format(low=12, high=13), "f.xlsx", 2, "value", "12.5")]


def test_old_and_common_names_are_the_countries_they_name(db: Path):
    data = csv_file(*(f"{name},2019,victims_reported,{n}" for n, name in enumerate(
        ("Holland", "Swaziland", "Burma", "Ivory Coast", "Zaire", "Czech Republic", "Turkey"),
        start=1)))
    with Store(db) as store:
        prepared = prepare(data, "f.csv", store)
    assert prepared.figures.select("iso3", "value").rows() == [
        ("NLD", 1.0), ("SWZ", 2.0), ("MMR", 3.0), ("CIV", 4.0), ("COD", 5.0), ("CZE", 6.0),
        ("TUR", 7.0)]


def test_the_command_refuses_ghanas_four_billion_and_writes_nothing(db: Path, tmp_path: Path):
    path = tmp_path / "ghana.csv"
    path.write_bytes(csv_file("Ghana,2019,victims_prosecuted,4000000000"))
    before = checksums(db)
    env = {k: v for k, v in os.environ.items() if not k.startswith("INDICATORS_")}
    done = subprocess.run(
        [sys.executable, "-m", "indicators", "import", str(path), "--db", str(db),
         "--organisation", "Test NGO", "--contributor", "Ana"],
        capture_output=True, text=True, encoding="utf-8", cwd=ROOT, env=env, timeout=300,
        check=False)
    assert done.returncode != 0
    assert "Traceback" not in done.stderr
    assert ("ghana.csv, row 2, column 'value', value '4000000000': victims_prosecuted "
            "4,000,000,000 is more than the whole population of Ghana (GHA) in 2019: "
            "31,258,945 people.") in done.stderr
    assert "Nothing was written; the database is unchanged." in done.stderr
    assert checksums(db) == before
