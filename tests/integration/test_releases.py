"""A new release of a published source: loaded as its own source and batch, with the exact
revision report, queryable next to the old one, and rolled back like any batch.

The next release here is a synthetic copy of the bundled UNODC workbook, the current one of
14 April 2025 (tests/integration/conftest.py), loaded after it as batch 6: dated 01/06/2024,
GBR 2019 detected victims 10,627 → 10,700 and its women 3,327 → 3,300, Iceland's 2019
convictions '<5' → 3, France's 2019 prosecutions (1,552) removed, and GBR 2022 detected
victims (11,000) added (the 2025 workbook has no GBR 2022 national total).
"""

from __future__ import annotations

import re
import shutil
from dataclasses import replace
from pathlib import Path

import polars as pl
import pytest

from indicators.bundled import init_database, release_report
from indicators.cli import main
from indicators.compute import compute_indicators
from indicators.measures import WITHDRAWN_STATUS
from indicators.settings import IndicatorSettings
from indicators.sources import unodc_glotip, walkfree_gsi
from indicators.store import BatchMeta, Store, file_sha256

NEW_ID = "unodc_glotip_2024"
OLD_ID = "unodc_glotip_2023"  # first published the figures the copy changes; 2025 kept them

# The synthetic release is made from the bundled 14 April 2025 workbook and loaded after it
# (batch 6): unchanged = the 2025 release's figures per group less those the copy changes.
# The groups' sizes are the 2025 release's (they add up to its 57,729 figures; the five
# national totals are PROVENANCE.md's, and sex-and-age's 5,961 recounted by hand).
EXPECTED_COUNTS = [  # measure: new, revised, withdrawn, unchanged
    ("Detected trafficking victims", 1, 1, 0, 1_661),
    ("Detected trafficking victims by form of exploitation", 0, 0, 0, 4_008),
    ("Detected trafficking victims by citizenship", 0, 0, 0, 8_846),
    ("Detected trafficking victims by country of repatriation", 0, 0, 0, 1_917),
    ("Detected trafficking victims by sex", 0, 1, 0, 2_949),
    ("Detected trafficking victims by age", 0, 0, 0, 3_347),
    ("Detected trafficking victims by form of exploitation and age", 0, 0, 0, 1_903),
    ("Detected trafficking victims by sex and age", 0, 0, 0, 5_961),
    ("Detected trafficking victims by form of exploitation, sex and age", 0, 0, 0, 8_160),
    ("Persons prosecuted", 0, 0, 1, 1_527),
    ("Persons prosecuted by sex", 0, 0, 0, 942),
    ("Persons prosecuted by age", 0, 0, 0, 607),
    ("Persons prosecuted by sex and age", 0, 0, 0, 1_868),
    ("Persons convicted", 0, 1, 0, 1_592),
    ("Persons convicted by form of exploitation", 0, 0, 0, 1_909),
    ("Persons convicted by citizenship", 0, 0, 0, 1_242),
    ("Persons convicted by sex", 0, 0, 0, 990),
    ("Persons convicted by age", 0, 0, 0, 439),
    ("Persons convicted by sex and age", 0, 0, 0, 2_000),
    ("Persons brought into formal contact", 0, 0, 0, 1_087),
    ("Persons brought into formal contact by sex", 0, 0, 0, 927),
    ("Persons brought into formal contact by age", 0, 0, 0, 643),
    ("Persons brought into formal contact by sex and age", 0, 0, 0, 1_867),
    ("Recorded offences of trafficking", 0, 0, 0, 1_333),
    ("All figures", 1, 3, 1, 57_725),
]
EXPECTED_LARGEST = """
Largest revisions (absolute):
  GBR 2019 victims_detected: 10,627 → 10,700 (+73, +0.7%)
  GBR 2019 victims_detected|sex=female: 3,327 → 3,300 (-27, -0.8%)
  ISL 2019 persons_convicted: <5 → 3 (+0, +0.0%)

Largest revisions (relative to the old figure):
  GBR 2019 victims_detected|sex=female: 3,327 → 3,300 (-27, -0.8%)
  GBR 2019 victims_detected: 10,627 → 10,700 (+73, +0.7%)
  ISL 2019 persons_convicted: <5 → 3 (+0, +0.0%)
"""
COUNT_LINE = re.compile(r"^(\S.*?)\s{2,}([\d,]+)\s+([\d,]+)\s+([\d,]+)\s+([\d,]+)$")


def figure(store: Store, iso3: str, year: int, measure: str) -> dict | None:
    rows = store.observations().filter((pl.col("iso3") == iso3) & (pl.col("year") == year)
                                       & (pl.col("measure") == measure))
    return rows.row(0, named=True) if rows.height else None


@pytest.fixture(scope="module")
def loaded(bundled_db_template: Path, modified_workbook: Path, tmp_path_factory):
    """The bundled database with the next release loaded through the command line."""
    path = tmp_path_factory.mktemp("release") / "indicators.duckdb"
    shutil.copyfile(bundled_db_template, path)
    with Store(path, read_only=True) as store:
        before = store.table_checksums()
        before_figures = store.observations()
    return path, before, before_figures


def test_the_revision_report_is_exact(loaded, modified_workbook, capsys):
    path, _, _ = loaded
    assert main(["source", "load", "unodc_glotip", str(modified_workbook), "--db", str(path),
                 "--largest", "3"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(
        "data_glotip_next.xlsx: UNODC GLOTIP, release 'unodc_glotip_2024' (data portal release "
        "of 1 June 2024), 57,729 figures.\n")
    table = [m.groups() for m in map(COUNT_LINE.match, out.splitlines()) if m]
    assert [(label, *(int(n.replace(",", "")) for n in counts)) for label, *counts in table] \
        == EXPECTED_COUNTS
    assert EXPECTED_LARGEST in out
    assert out.rstrip().endswith(
        "Loaded as batch 6 (5 rows written: new and revised figures, and withdrawals). Earlier "
        "releases stay in the history; undo with `indicators rollback 6`.")


def test_the_release_is_its_own_source_and_batch(loaded, modified_workbook):
    path, _, _ = loaded
    with Store(path, read_only=True) as store:
        batch = store.batch(6)
        assert (batch["kind"], batch["file_name"], batch["organisation"], batch["rows_in_file"],
                batch["rows_new"], batch["rows_changed"]) == (
            "release", "data_glotip_next.xlsx", "UNODC", 57_729, 1, 4)
        source = store.sources().filter(pl.col("id") == NEW_ID).row(0, named=True)
        assert source["sha256"] == file_sha256(modified_workbook)
        assert source["edition"] == "data portal release of 1 June 2024"
        # revised and new figures name the new release; unchanged ones keep the old
        gbr = figure(store, "GBR", 2019, "victims_detected")
        assert (gbr["value"], gbr["source_id"], gbr["source_edition"]) == (
            10_700, NEW_ID, "data portal release of 1 June 2024")
        assert figure(store, "GBR", 2022, "victims_detected")["source_id"] == NEW_ID
        isl = figure(store, "ISL", 2019, "persons_convicted")
        assert (isl["value"], isl["value_status"], isl["lower"]) == (3.0, "reported", None)
        assert figure(store, "GBR", 2019, "persons_convicted")["source_id"] == OLD_ID
        # the withdrawn figure is no longer current, and its history says so
        assert figure(store, "FRA", 2019, "persons_prosecuted") is None
        history = store.figure_history("FRA", 2019, "persons_prosecuted")
        assert history.select("batch_id", "value", "value_status", "source_id").rows() == [
            (6, None, WITHDRAWN_STATUS, NEW_ID), (1, 1_552.0, "reported", OLD_ID)]
        # the earlier release stays queryable
        old = store.observations(history=True).filter(
            (pl.col("source_id") == OLD_ID) & (pl.col("iso3") == "GBR")
            & (pl.col("year") == 2019) & (pl.col("measure") == "victims_detected"))
        assert old["value"].to_list() == [10_627]
        # the indicators use the new figure
        result = compute_indicators(store.observations(), store.countries(), IndicatorSettings())
        rate = result.filter((pl.col("scope") == "GBR") & (pl.col("year") == 2019)
                             & (pl.col("indicator") == "identification_rate"))["value"].item()
        assert rate == pytest.approx(10_700 / 122_000, rel=1e-12)
        # the History page's report, rebuilt from the store, is the same
        report = release_report(store, 6)
        assert report.counts() == {"new": 1, "revised": 3, "withdrawn": 1, "unchanged": 57_725}
        assert report.by_measure.filter(pl.col("measure") == "persons_prosecuted").select(
            "new", "revised", "withdrawn", "unchanged").row(0) == (0, 0, 1, 1_527)
        # and the bundled 2025 release's own report, against the 2023 release (about 14,000
        # new, 1,800 revised, 1,100 withdrawn, 41,900 unchanged: PROVENANCE.md, measured
        # before the 2025 release's nationalities ('Chinese', 'Ghanean') were matched to their
        # countries; matched, 299 citizenship figures are the 2023 ones again instead of a
        # withdrawal and a new figure each); together they are the 2025 release's 57,729
        # figures (13,700 + 1,807 + 42,222) and the 2023 release's 44,855 (+ 826 withdrawn)
        bundled = release_report(store, 4).counts()
        assert bundled == {"new": 13_700, "revised": 1_807, "withdrawn": 826,
                           "unchanged": 42_222}
        assert bundled["new"] + bundled["revised"] + bundled["unchanged"] == 57_729
        assert bundled["revised"] + bundled["withdrawn"] + bundled["unchanged"] == 44_855
        assert release_report(store, 99) is None  # not a release


def test_the_same_file_again_changes_nothing(loaded, modified_workbook, capsys):
    path, _, _ = loaded
    # Loaded as batch 6 by the test above when this module runs whole; here when run alone.
    main(["source", "load", "unodc_glotip", str(modified_workbook), "--db", str(path)])
    capsys.readouterr()
    with Store(path, read_only=True) as store:
        before = store.table_checksums()
    assert main(["source", "load", "unodc_glotip", str(modified_workbook), "--db",
                 str(path)]) == 0
    assert capsys.readouterr().out == (
        "data_glotip_next.xlsx: this exact file is already loaded (batch 6); nothing was "
        "written.\n")
    with Store(path, read_only=True) as store:
        assert store.table_checksums() == before


def test_source_list_shows_every_release(loaded, capsys):
    path, _, _ = loaded
    assert main(["source", "list", "--db", str(path)]) == 0
    out = capsys.readouterr().out
    for release in ("unodc_glotip_2023", "unodc_glotip_2025", "unodc_glotip_2024",
                    "walkfree_gsi_2023",
                    "worldbank_population_2026-03-06", "unodc_sdg_2025"):
        assert release in out
    with Store(path, read_only=True) as store:
        from indicators.bundled import releases_frame

        table = releases_frame(store)
    assert table.select("source_id", "batch", "status", "written", "current").rows() == [
        # 2023: the 42,222 figures 2025 left unchanged, less the 4 the copy changes
        ("unodc_glotip_2023", 1, "committed", 44_855, 42_222 - 4),
        # 2025: 13,700 new + 1,807 revised + 826 withdrawals written; current: new + revised
        ("unodc_glotip_2025", 4, "committed", 16_333, 15_507),
        ("unodc_glotip_2024", 6, "committed", 5, 4),
        ("unodc_sdg_2025", 5, "committed", 1_590, 1_590),
        ("walkfree_gsi_2023", 2, "committed", 336, 336),
        ("worldbank_population_2026-03-06", 3, "committed", 14_010, 14_010),
    ]


def test_init_does_not_lay_the_bundled_release_over_a_later_one(loaded):
    path, _, _ = loaded
    with Store(path) as store:
        before = store.table_checksums()
        reports = init_database(store)
        assert [(r.source_id, r.reason) for r in reports] == [
            ("unodc_glotip_2023", "superseded"), ("walkfree_gsi_2023", "no_change"),
            ("worldbank_population_2026-03-06", "no_change"),
            ("unodc_glotip_2025", "superseded"), ("unodc_sdg_2025", "no_change")]
        after = store.table_checksums()
    assert {k: v for k, v in after.items() if k not in ("countries", "measures")} == \
        {k: v for k, v in before.items() if k not in ("countries", "measures")}


def test_rolling_the_release_back_brings_the_old_figures_back(loaded, capsys):
    path, _, before_figures = loaded
    assert main(["rollback", "6", "--db", str(path)]) == 0
    capsys.readouterr()
    with Store(path, read_only=True) as store:
        assert figure(store, "GBR", 2019, "victims_detected")["value"] == 10_627
        assert figure(store, "FRA", 2019, "persons_prosecuted")["value"] == 1_552
        assert figure(store, "GBR", 2022, "victims_detected") is None
        assert store.observations().equals(before_figures)


# -- a database built before breakdowns and the population series --------------------------
def test_init_upgrades_a_database_built_by_the_old_importers(tmp_path: Path,
                                                             bundled_db_template: Path):
    """The old importers loaded UNODC's national totals only and Walk Free's population as
    `population`. `indicators init` adds what they left out, once."""
    old = tmp_path / "old.duckdb"
    glotip = unodc_glotip.to_long(unodc_glotip.read_published(unodc_glotip.FILE_2023),
                                  unodc_glotip.SOURCE_2023.id)
    totals = glotip.filter(~pl.col("measure").str.contains("|", literal=True)).drop("_row")
    walkfree = walkfree_gsi.to_long(walkfree_gsi.read_published()).with_columns(
        pl.col("measure").replace("gsi_population", "population"))
    with Store(old) as store:
        # what the old importers bundled: UNODC's 2023 release, Walk Free
        for file, source, frame in (
                (unodc_glotip.FILE_2023, unodc_glotip.SOURCE_2023, totals),
                (walkfree_gsi.FILE, walkfree_gsi.SOURCE, walkfree)):
            store.commit_batch(BatchMeta("bundled", file.name, file_sha256(file),
                                         "bundled data", source.publisher, frame.height),
                               frame, [replace(source, sha256=file_sha256(file))])
        assert store.observation_count() == 6_183 + 336
        reports = init_database(store)
        assert [(r.source_id, r.figures, r.reason) for r in reports] == [
            ("unodc_glotip_2023", 44_855, "loaded"), ("walkfree_gsi_2023", 336, "loaded"),
            ("worldbank_population_2026-03-06", 14_010, "loaded"),
            ("unodc_glotip_2025", 57_729, "loaded"), ("unodc_sdg_2025", 1_590, "loaded")]
        written = {b["id"]: (b["rows_new"], b["rows_changed"])
                   for b in store.batches().iter_rows(named=True)}
        # UNODC: 38,672 breakdowns new; Walk Free: 176 gsi_population new and the 176 old
        # `population` figures withdrawn (then the World Bank's own 2021 figures are new)
        assert written[3] == (38_672, 0)
        assert written[4] == (176, 176)
        assert written[5] == (14_010, 0)
        assert written[6] == (13_700, 1_807 + 826)  # UNODC 2025, as in a fresh database
        assert written[7] == (1_590, 0)  # UNODC's SDG data set
        upgraded = store.observations().drop("batch_id")
        checksums = store.table_checksums()
        assert [r.reason for r in init_database(store)] == [
            "superseded", "no_change", "no_change", "no_change", "no_change"]
        assert store.table_checksums() == checksums
    with Store(bundled_db_template, read_only=True) as fresh:
        expected = fresh.observations().drop("batch_id")
    key = ["iso3", "year", "measure"]
    assert upgraded.sort(key).equals(expected.sort(key))
