"""Every file in the upload corpus gives the message its EXPECTED.csv says, at the right place.

Bad files are refused with every listed problem (row as the spreadsheet numbers it, column,
value, words) and leave the database untouched; good files import with the listed figures.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path

import pytest

from indicators.problems import ImportRejected
from indicators.store import Store
from indicators.upload.checks import number_text
from indicators.upload.pipeline import commit, prepare
from tests.helpers import store_on_a_copy
from tests.review import approve

DATA = Path(__file__).resolve().parents[1] / "data"
BAD = DATA / "bad_uploads"
GOOD = DATA / "good_uploads"


def _expected(folder: Path) -> dict[str, list[dict[str, str]]]:
    table: dict[str, list[dict[str, str]]] = defaultdict(list)
    with open(folder / "EXPECTED.csv", encoding="utf-8", newline="") as handle:
        for line in csv.DictReader(handle):
            table[line["file"]].append(line)
    return dict(table)


BAD_EXPECTED = _expected(BAD)
GOOD_EXPECTED = _expected(GOOD)


@pytest.fixture(scope="module")
def store(bundled_db_template: Path, tmp_path_factory: pytest.TempPathFactory):
    with store_on_a_copy(bundled_db_template, tmp_path_factory.mktemp("corpus")) as opened:
        yield opened


def test_corpus_is_complete():
    bad = {p.name for p in BAD.iterdir() if p.name != "EXPECTED.csv"}
    good = {p.name for p in GOOD.iterdir() if p.name != "EXPECTED.csv"}
    assert len(bad) >= 30
    assert bad == set(BAD_EXPECTED), "every bad file has an expectation, and only those"
    assert good == set(GOOD_EXPECTED)


@pytest.mark.parametrize("name", sorted(BAD_EXPECTED))
def test_bad_file_is_refused_with_its_message(name: str, store: Store):
    before = store.table_checksums()
    with pytest.raises(ImportRejected) as caught:
        prepare((BAD / name).read_bytes(), name, store)
    problems = caught.value.problems
    for line in BAD_EXPECTED[name]:
        row = int(line["row"]) if line["row"] else None
        column = line["column"] or None
        value = line["value"] or None
        matching = [
            p for p in problems
            if p.severity == line["severity"] and p.row == row
            and line["message"].lower() in f"{p.message} {p.fix}".lower()
        ]
        assert matching, (f"{name}: no {line['severity']} at row {row} saying "
                          f"{line['message']!r}; got {[p.as_text() for p in problems]}")
        problem = matching[0]
        assert problem.column == column, problem.as_text()
        if value is not None:
            assert problem.value == value, problem.as_text()
        assert problem.file == name
        assert problem.fix, "every problem says what to do"
    errors = [p for p in problems if p.severity == "error"]
    expected_errors = [x for x in BAD_EXPECTED[name] if x["severity"] == "error"]
    assert len(errors) == len(expected_errors), [p.as_text() for p in errors]
    assert store.table_checksums() == before


@pytest.mark.parametrize("name", sorted(GOOD_EXPECTED))
def test_good_file_imports_the_figures_it_holds(name: str, store: Store):
    prepared = prepare((GOOD / name).read_bytes(), name, store)
    figures = prepared.figures
    for line in GOOD_EXPECTED[name]:
        assert figures.height == int(line["figures"])
        found = figures.filter(
            (figures["iso3"] == line["iso3"]) & (figures["year"] == int(line["year"]))
            & (figures["measure"] == line["measure"])
        )
        assert found.height == 1, f"{name}: {line['iso3']} {line['year']} {line['measure']}"
        record = found.row(0, named=True)
        if line["value"] == "<5":
            assert record["value_status"] == "suppressed"
            assert (record["value"], record["lower"], record["upper"]) == (None, 1.0, 4.0)
        else:
            expected = "estimate" if line["measure"] == "estimated_victims" else "reported"
            assert record["value_status"] == expected
            assert record["value"] == float(line["value"])
        if line["note"]:
            assert record["note"] == line["note"]
        if line["warning"]:
            texts = [w.message for w in prepared.warnings]
            assert any(line["warning"] in t for t in texts), f"{name}: {texts}"
    if not any(line["warning"] for line in GOOD_EXPECTED[name]):
        assert prepared.warnings == []


def test_good_files_commit_and_read_back(bundled_db: Path):
    """Each good file is submitted as one batch and, once approved by a second person, its
    figures are current."""
    with Store(bundled_db) as store:
        for name in ("windows1252_accents.csv", "wide_synonyms.csv", "title_rows.xlsx"):
            prepared = prepare((GOOD / name).read_bytes(), name, store, organisation="Test NGO")
            batch_id = commit(prepared, store, kind="cli", contributor="test",
                              organisation="Test NGO")
            batch = store.batch(batch_id)
            assert batch is not None and batch["file_name"] == name
            assert batch["sha256"] == prepared.sha256
            assert batch["status"] == "submitted"
            approve(store, batch_id)
        current = store.observations()
        curacao = current.filter((current["iso3"] == "CUW") & (current["year"] == 2019)
                                 & (current["measure"] == "victims_reported"))
        assert curacao["value"].to_list() == [7.0]
        assert curacao["note"].to_list() == [None]
        civ = current.filter((current["iso3"] == "CIV") & (current["year"] == 2019)
                             & (current["measure"] == "victims_reported"))
        assert civ["note"].to_list() == ["Données du ministère – 2019"]
        assert civ["source_citation"].to_list() == ["SYNTHETIC TEST DATA"]


def test_number_text_reads_like_the_file():
    assert number_text(1240.0) == "1,240"
    assert number_text(12.5) == "12.5"
    assert number_text(None, "suppressed", 1.0, 4.0) == "<5"
    assert number_text(None) == "no data"
