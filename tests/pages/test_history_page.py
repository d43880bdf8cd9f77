"""The History page in AppTest: a batch that loaded a published release shows its revision
report (counts per measure, the largest revisions old → new).

The release is the synthetic next UNODC workbook of tests/integration/conftest.py (made from
the bundled 14 April 2025 workbook, whose figures for these rows are those of 2023): GBR 2019
detected victims 10,627 → 10,700 and its women 3,327 → 3,300, Iceland's 2019 convictions
'<5' → 3, France's 2019 prosecutions (1,552) removed, GBR 2022 detected victims (11,000)
added (the 2025 workbook has no GBR 2022 row). It loads as batch 6, after the five bundled
ones (UNODC 2023, Walk Free, World Bank, UNODC 2025, UNODC's SDG data set).
"""

from __future__ import annotations

import shutil

import pytest

from indicators.cli import main
from tests.integration.conftest import (  # noqa: F401  (fixtures)
    modified_workbook,
    variants_dir,
    workbook_rows,
)
from tests.pages.apptest_support import no_exceptions, open_page


@pytest.fixture(scope="module")
def released_template(bundled_db_template, modified_workbook, tmp_path_factory):  # noqa: F811
    """The bundled data with the synthetic release loaded, once for the module; each test
    copies it (``released``)."""
    path = tmp_path_factory.mktemp("released") / "indicators.duckdb"
    shutil.copyfile(bundled_db_template, path)
    assert main(["source", "load", "unodc_glotip", str(modified_workbook), "--db",
                 str(path)]) == 0
    return path


@pytest.fixture
def released(released_template, tmp_path, monkeypatch):
    """A private copy of the database with the release loaded, for one test."""
    path = tmp_path / "indicators.duckdb"
    shutil.copyfile(released_template, path)
    monkeypatch.setenv("INDICATORS_DB", str(path))
    return path


def test_history_shows_the_revision_report_of_a_release(released):
    at = open_page("pages/history.py")
    no_exceptions(at)
    assert at.selectbox(key="history_batch").value == 6  # the newest batch: the release
    assert "What this release revised" in [s.value for s in at.header]
    summary = " ".join(t.value for t in at.text)
    # the 2025 release is 57,729 figures (its batch's rows_in_file; shared/NOTES-tech.md
    # measured the same loading it by hand); the synthetic copy revises 3 and withdraws 1
    assert ("batch 6 brought 1 new, 3 revised and 1 withdrawn figures; 57,725 were "
            "unchanged") in summary
    # the tables in page order: the history, the counts, the largest revisions (absolute,
    # relative), every figure the batch wrote
    # the tables in page order, then the batch's audit trail
    history, counts, largest, relative, written, trail = (d.value for d in at.dataframe)
    assert len(written) == 5 and len(history) == 6
    assert list(trail["What"]) == ["published"]
    victims = counts[counts["Measure"] == "Detected trafficking victims"].iloc[0]
    assert (victims["New"], victims["Revised"], victims["Withdrawn"], victims["Unchanged"]) \
        == (1, 1, 0, 1_661)  # 1,662 national totals of detected victims in 2025, 1 revised
    total = counts.iloc[-1]
    assert (total["Measure"], total["New"], total["Revised"], total["Withdrawn"]) == (
        "All figures", 1, 3, 1)
    assert relative.iloc[0]["Measure"] == "Detected trafficking victims: female"
    first = largest.iloc[0]
    assert (first["Country"], first["Year"], first["Measure"], first["Old"], first["New"],
            first["Change"], first["Relative"]) == (
        "GBR", 2019, "Detected trafficking victims", "10,627", "10,700", "+73", "+0.7%")
    iceland = largest[largest["Country"] == "ISL"].iloc[0]
    assert (iceland["Old"], iceland["New"], iceland["Change"]) == ("<5", "3", "+0")


def test_a_bundled_file_reports_all_its_figures_as_new(released):
    at = open_page("pages/history.py")
    at.selectbox(key="history_batch").set_value(3).run()  # the bundled World Bank file
    no_exceptions(at)
    # a bundled release is a release too: all its figures were new
    summary = " ".join(t.value for t in at.text)
    assert "batch 3 brought 14,010 new, 0 revised and 0 withdrawn figures" in summary


def test_history_reads_the_store_once_per_data_version(released, monkeypatch):
    """A History view's reads (the batches, the chosen batch, what it wrote, its audit trail,
    a release's revision report: 0.26 s a run) are made once per data version: a rerun reads
    only the version, and a write (a new version) brings every read back, fresh."""
    from indicators.store import Store

    calls: list[str] = []
    for name in ("batches", "batch", "batch_diff", "batch_events", "observations"):
        real = getattr(Store, name)

        def counted(self, *args, _real=real, _name=name, **kwargs):
            calls.append(_name)
            return _real(self, *args, **kwargs)

        monkeypatch.setattr(Store, name, counted)
    at = open_page("pages/history.py")
    no_exceptions(at)
    first = sorted(calls)
    # batches twice: the page's list and the release report's own; observations: the report
    assert first == ["batch", "batch_diff", "batch_events", "batches", "batches",
                     "observations"]
    calls.clear()
    at.run()
    no_exceptions(at)
    assert calls == []  # the same version: nothing read again
    assert "What this release revised" in [s.value for s in at.header]
    with Store(released) as store:  # a write elsewhere (another process, another host)
        store.upsert_countries(store.countries())  # the same rows: only the version moves
    at.run()
    no_exceptions(at)
    assert sorted(calls) == first
