"""Revision reports and a family's figures, on hand-made frames (synthetic figures)."""

from __future__ import annotations

import polars as pl
import pytest

from indicators.columns import LONG_COLUMNS
from indicators.releases import (
    batch_revisions,
    current_figures,
    family_figures,
    revision_lines,
    revision_report,
    revision_text,
    to_write,
)

OLD = "unodc_glotip_2023"
NEW = "unodc_glotip_2024"


def figures(*rows: tuple, source: str = OLD, batch: int | None = None) -> pl.DataFrame:
    """(iso3, year, measure, value) or (…, '<5') rows; '<5' is suppressed with bounds 1–4."""
    records = []
    for iso3, year, measure, value in rows:
        suppressed = value == "<5"
        withdrawn = value == "withdrawn"
        records.append({
            "iso3": iso3, "year": year, "measure": measure,
            "value": None if suppressed or withdrawn else float(value),
            "value_status": "withdrawn" if withdrawn else "suppressed" if suppressed
            else "reported",
            "lower": 1.0 if suppressed else None, "upper": 4.0 if suppressed else None,
            "source_id": source, "note": None,
        })
    frame = pl.DataFrame(records, schema=LONG_COLUMNS)
    if batch is not None:
        frame = frame.with_columns(pl.lit(batch, dtype=pl.Int64).alias("batch_id"))
    return frame


PREVIOUS = figures(
    ("GBR", 2019, "victims_detected", 10_627),
    ("GBR", 2019, "persons_convicted", 251),
    ("GBR", 2018, "victims_detected", "<5"),
    ("FRA", 2019, "victims_detected", 100),
    ("NGA", 2019, "victims_detected", 0),
    ("GBR", 2019, "victims_detected|sex=female", 4_000),
)
INCOMING = figures(
    ("GBR", 2019, "victims_detected", 10_700),  # revised: +73
    ("GBR", 2019, "persons_convicted", 251),  # unchanged
    ("GBR", 2018, "victims_detected", 3),  # revised: '<5' → 3, no certain change
    ("NGA", 2019, "victims_detected", 5),  # revised from 0: no relative change
    ("DEU", 2019, "victims_detected", 40),  # new
    ("GBR", 2019, "victims_detected|sex=female", 3_900),  # revised: −100
    ("GBR", 2019, "victims_detected|sex=male", 6_800),  # new
    # FRA 2019 is gone: withdrawn
    source=NEW,
)


@pytest.fixture(scope="module")
def report():
    return revision_report(PREVIOUS, INCOMING)


def test_counts_per_measure(report):
    table = report.by_measure.select("measure", "new", "revised", "withdrawn", "unchanged")
    assert table.rows() == [  # in the catalogue's order, each total before its breakdowns
        ("victims_detected", 1, 3, 1, 0),
        ("victims_detected|sex", 1, 1, 0, 0),
        ("persons_convicted", 0, 0, 0, 1),
    ]
    assert report.counts() == {"new": 2, "revised": 4, "withdrawn": 1, "unchanged": 1}
    assert report.by_measure["label"].to_list() == [
        "Detected trafficking victims", "Detected trafficking victims by sex", "Persons convicted"]


def test_each_figure_old_and_new(report):
    rows = {(r["iso3"], r["year"], r["measure"]): r for r in report.figures.iter_rows(named=True)}
    gbr = rows[("GBR", 2019, "victims_detected")]
    assert (gbr["change"], gbr["old_value"], gbr["new_value"]) == ("revised", 10_627, 10_700)
    assert gbr["change_absolute"] == 73
    assert gbr["change_relative"] == pytest.approx(73 / 10_627)
    fra = rows[("FRA", 2019, "victims_detected")]
    assert (fra["change"], fra["old_value"], fra["new_value"]) == ("withdrawn", 100, None)
    assert rows[("DEU", 2019, "victims_detected")]["change"] == "new"
    ranged = rows[("GBR", 2018, "victims_detected")]
    assert (ranged["change"], ranged["change_absolute"], ranged["change_relative"]) == (
        "revised", 0.0, 0.0)  # '<5' (1–4) → 3: no certain change
    zero = rows[("NGA", 2019, "victims_detected")]
    assert (zero["change_absolute"], zero["change_relative"]) == (5.0, None)
    assert rows[("GBR", 2019, "persons_convicted")]["change_absolute"] is None


def test_largest_revisions(report):
    absolute = report.largest(3)
    assert absolute.select("iso3", "year", "measure", "change_absolute").rows() == [
        ("GBR", 2019, "victims_detected|sex=female", -100.0),
        ("GBR", 2019, "victims_detected", 73.0),
        ("NGA", 2019, "victims_detected", 5.0),
    ]
    relative = report.largest(3, relative=True)
    assert relative.select("measure", "change_relative").rows() == [
        ("victims_detected|sex=female", -100 / 4_000),
        ("victims_detected", 73 / 10_627),
        ("victims_detected", 0.0),
    ]
    assert revision_text(absolute.row(1, named=True)) == (
        "GBR 2019 victims_detected: 10,627 → 10,700 (+73, +0.7%)")
    lines = revision_lines(report, 2)
    assert lines[0].split() == ["Measure", "new", "revised", "withdrawn", "unchanged"]
    assert lines[4].split()[-4:] == ["2", "4", "1", "1"]  # All figures
    assert "  GBR 2018 victims_detected: <5 → 3 (+0, +0.0%)" not in lines  # only the top 2


def test_what_a_release_writes(report):
    owner = PREVIOUS  # every old figure is still the one shown
    rows = to_write(report, INCOMING, owner, NEW).sort("iso3", "year", "measure")
    assert rows.select("iso3", "year", "measure", "value", "value_status").rows() == [
        ("DEU", 2019, "victims_detected", 40.0, "reported"),
        ("FRA", 2019, "victims_detected", None, "withdrawn"),
        ("GBR", 2018, "victims_detected", 3.0, "reported"),
        ("GBR", 2019, "victims_detected", 10_700.0, "reported"),
        ("GBR", 2019, "victims_detected|sex=female", 3_900.0, "reported"),
        ("GBR", 2019, "victims_detected|sex=male", 6_800.0, "reported"),
        ("NGA", 2019, "victims_detected", 5.0, "reported"),
    ]
    assert set(rows["source_id"]) == {NEW}
    # FRA's figure replaced since by an upload: the release has nothing to withdraw there
    upload_owns_fra = PREVIOUS.filter(pl.col("iso3") != "FRA")
    assert "FRA" not in to_write(report, INCOMING, upload_owns_fra, NEW)["iso3"].to_list()


def test_a_second_load_of_the_same_figures_changes_nothing():
    again = revision_report(INCOMING, INCOMING)
    assert again.counts() == {"new": 0, "revised": 0, "withdrawn": 0, "unchanged": 7}
    assert to_write(again, INCOMING, INCOMING, NEW).is_empty()


BATCHES = pl.DataFrame({"id": [1, 2, 3, 4], "status": ["committed", "committed", "rolled_back",
                                                       "committed"]})
HISTORY = pl.concat([
    figures(("GBR", 2019, "victims_detected", 10_627), ("FRA", 2019, "victims_detected", 100),
            ("DEU", 2019, "victims_detected", 50), batch=1),
    figures(("GBR", 2019, "victims_detected", 9_999), source="contrib_abc", batch=2),  # an NGO
    figures(("GBR", 2019, "victims_detected", 1), source=NEW, batch=3),  # rolled back
    figures(("FRA", 2019, "victims_detected", "withdrawn"), ("DEU", 2019, "victims_detected", 55),
            source=NEW, batch=4),
])


def test_family_figures_latest_release_withdrawals_and_rollbacks():
    family = family_figures(HISTORY, BATCHES, "unodc_glotip")
    assert family.select("iso3", "value", "source_id", "batch_id").rows() == [
        ("DEU", 55.0, NEW, 4),
        ("GBR", 10_627.0, OLD, 1),  # the rolled-back release does not count; the NGO is no family
    ]
    before = family_figures(HISTORY, BATCHES, "unodc_glotip", before_batch=4)
    assert before.select("iso3", "value").rows() == [("DEU", 50.0), ("FRA", 100.0),
                                                       ("GBR", 10_627.0)]
    shown = current_figures(HISTORY, BATCHES).sort("iso3")
    assert shown.select("iso3", "value", "source_id").rows() == [
        ("DEU", 55.0, NEW), ("GBR", 9_999.0, "contrib_abc")]  # FRA withdrawn: not shown


def test_the_report_of_a_release_already_loaded():
    loaded = batch_revisions(HISTORY, BATCHES, 4, "unodc_glotip")
    assert loaded.counts() == {"new": 0, "revised": 1, "withdrawn": 1, "unchanged": 1}
    rows = {r["iso3"]: r["change"] for r in loaded.figures.iter_rows(named=True)}
    assert rows == {"DEU": "revised", "FRA": "withdrawn", "GBR": "unchanged"}
