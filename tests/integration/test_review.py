"""Issue 16 on both backends: an organisation's upload is submitted and changes nothing until a
different person approves it; official and contributed figures are separate series; an adopted
correction; a stale preview refused; a database made by the schema before series (version 2)
upgraded; backups keep series and review state.

Every figure here is synthetic (made up for the test); the "official" ones are a release batch
of synthetic figures shaped like UNODC's (GBR 2019: 251 persons convicted).
"""

from __future__ import annotations

import polars as pl
import pytest

from indicators.backup import backup, restore
from indicators.schema import LONG_COLUMNS
from indicators.store import MIGRATIONS, BatchMeta, DataVersion, Source, Store, StoreError
from indicators.store import contract as store_contract
from indicators.store.contract import PreviewOutdated
from indicators.store.sql import now
from tests.conftest import new_database

OFFICIAL_SOURCE = Source(id="synthetic_official", publisher="Synthetic statistics office",
                         title="Synthetic official release")
NGO_SOURCE = Source(id="synthetic_ngo", publisher="Test NGO", title="Synthetic casework counts")
NGO, CONTRIBUTOR, REVIEWER = "Test NGO", "Ana", "Ben"
KEY = ("GBR", 2019, "persons_convicted")


def frame(*rows: tuple, source: Source = NGO_SOURCE) -> pl.DataFrame:
    """(iso3, year, measure, value) rows."""
    return pl.DataFrame([dict(iso3=i, year=y, measure=m, value=v, value_status="reported",
                              lower=None, upper=None, source_id=source.id, note=None)
                         for i, y, m, v in rows], schema=LONG_COLUMNS)


def official(store: Store) -> int:
    """An official release: published as it is loaded."""
    return store.commit_batch(
        BatchMeta("release", "release.xlsx", "0" * 64),
        frame(("GBR", 2019, "persons_convicted", 251.0),
              ("GBR", 2019, "victims_detected", 10_627.0), source=OFFICIAL_SOURCE),
        [OFFICIAL_SOURCE])


def submit(store: Store, *rows: tuple, sha: str = "a", contributor: str = CONTRIBUTOR,
           expected: pl.DataFrame | None = None, expected_version: DataVersion | None = None
           ) -> int:
    return store.commit_batch(
        BatchMeta("cli", f"{sha}.csv", sha * 64, contributor=contributor, organisation=NGO),
        frame(*rows), [NGO_SOURCE], expected=expected, expected_version=expected_version)


NGO_ROWS = (("GBR", 2019, "persons_convicted", 9000.0), ("GBR", 2019, "victims_reported", 12.0))


def figure(table: pl.DataFrame, iso3: str, year: int, measure: str) -> dict | None:
    rows = table.filter((pl.col("iso3") == iso3) & (pl.col("year") == year)
                        & (pl.col("measure") == measure))
    assert rows.height <= 1
    return rows.row(0, named=True) if rows.height else None


def picked_value(store: Store, iso3: str, year: int, measure: str) -> tuple | None:
    found = figure(store.observations(), iso3, year, measure)
    return (found["value"], found["basis"], found["series"]) if found else None


@pytest.fixture
def store(empty_target: str):
    with Store(empty_target) as opened:
        official(opened)
        yield opened


def test_an_upload_changes_no_current_figure_until_a_second_person_approves_it(store: Store):
    before = store.snapshot()
    picked_before = store.observations()
    batch = submit(store, *NGO_ROWS)
    assert store.batch(batch)["status"] == "submitted"
    # Nothing readers see changed: the picked figures, every series' figures, the snapshot.
    assert store.observations().equals(picked_before)
    assert store.observations(series="all").equals(before.figures)
    assert store.observations(series=NGO).height == 0
    after = store.snapshot()
    assert after.observations.equals(before.observations)
    assert after.figures.equals(before.figures)
    assert after.contributed_series() == []
    # ...but the batch and its rows are kept, for the reviewers and History.
    kept = store.observations(history=True).filter(pl.col("batch_id") == batch)
    assert kept["batch_status"].to_list() == ["submitted", "submitted"]
    assert store.find_committed_batch("a" * 64)["status"] == "submitted"

    store.approve_batch(batch, reviewer=REVIEWER, note="checked against their report")
    record = store.batch(batch)
    assert (record["status"], record["reviewed_by"], record["review_note"]) == (
        "committed", REVIEWER, "checked against their report")
    assert store.batch_events(batch).select("event", "actor").rows() == [
        ("submitted", CONTRIBUTOR), ("approved", REVIEWER)]


def test_after_approval_the_official_figure_stays_the_default_beside_the_contributed_one(
        store: Store):
    batch = submit(store, *NGO_ROWS)
    store.approve_batch(batch, reviewer=REVIEWER)
    # The official 251 is still the figure the indicators use, marked official...
    assert picked_value(store, *KEY) == (251.0, "official", "official")
    # ...the NGO's figure of a measure no official series publishes is used, marked contributed
    assert picked_value(store, "GBR", 2019, "victims_reported") == (12.0, "contributed", NGO)
    # ...and the NGO's 9,000 is kept beside the official figure, as theirs.
    every = store.observations(series="all")
    both = every.filter((pl.col("iso3") == "GBR") & (pl.col("year") == 2019)
                        & (pl.col("measure") == "persons_convicted"))
    assert sorted(zip(both["series_kind"], both["series"], both["value"], strict=True)) == [
        ("contributed", NGO, 9000.0), ("official", "official", 251.0)]
    snapshot = store.snapshot()
    assert figure(snapshot.observations, *KEY)["value"] == 251.0
    assert snapshot.figures.filter(pl.col("series") == NGO).height == 2
    assert snapshot.contributed_series() == [NGO]
    assert figure(snapshot.picked(prefer=NGO), *KEY)["basis"] == "chosen series"
    assert figure(store.observations(series="official"), *KEY)["value"] == 251.0


def test_approving_ones_own_batch_is_refused_and_changes_nothing(store: Store):
    batch = submit(store, *NGO_ROWS)
    before = store.table_checksums()
    for reviewer in (CONTRIBUTOR, " ana "):  # the same person, however written
        with pytest.raises(StoreError) as refused:
            store.approve_batch(batch, reviewer=reviewer)
        assert str(refused.value) == (f"You submitted batch {batch}, so you cannot approve it: "
                                      "another reviewer must.")
    with pytest.raises(StoreError) as refused:
        store.reject_batch(batch, reviewer=CONTRIBUTOR, reason="I changed my mind.")
    assert str(refused.value) == (f"You submitted batch {batch}, so you cannot reject it: "
                                  "another reviewer must.")
    assert store.table_checksums() == before
    assert store.batch(batch)["status"] == "submitted"


def test_ones_own_batch_is_refused_however_the_name_is_spaced_or_written(store: Store):
    """`indicators review approve 10 --reviewer "Ana  Field"` (two spaces) approved Ana
    Field's own batch: names were compared with their ends trimmed only."""
    batch = submit(store, *NGO_ROWS, contributor="Ana Field")
    for reviewer in ("Ana  Field", "ANA\tfield", "\uff21na Field"):  # Ａ: full-width A
        with pytest.raises(StoreError, match=f"You submitted batch {batch}"):
            store.approve_batch(batch, reviewer=reviewer)
    assert store.batch(batch)["status"] == "submitted"
    store.approve_batch(batch, reviewer="Ana Fielding")  # another person
    assert store.batch(batch)["status"] == "committed"


def test_a_rejected_batch_is_never_shown_and_the_trail_says_who_and_why(store: Store):
    batch = submit(store, *NGO_ROWS)
    shown = store.observations(series="all")
    with pytest.raises(StoreError, match="a reason is required"):
        store.reject_batch(batch, reviewer=REVIEWER, reason="  ")
    reason = "The counts are cumulative since 2015, not for 2019."
    store.reject_batch(batch, reviewer=REVIEWER, reason=reason)
    record = store.batch(batch)
    assert (record["status"], record["reviewed_by"], record["review_note"]) == (
        "rejected", REVIEWER, reason)
    assert store.observations(series="all").equals(shown)
    assert store.observations(series=NGO).height == 0
    assert store.snapshot().contributed_series() == []
    assert store.batch_events(batch).select("event", "actor", "note").rows() == [
        ("submitted", CONTRIBUTOR, None), ("rejected", REVIEWER, reason)]
    with pytest.raises(StoreError, match=f"Batch {batch} is not awaiting review: it is "
                                         "rejected."):
        store.approve_batch(batch, reviewer=REVIEWER)
    assert store.observations(series=NGO).height == 0


def test_an_adopted_correction_changes_the_picked_figure_and_records_both_names(store: Store):
    batch = submit(store, *NGO_ROWS)
    store.approve_batch(batch, reviewer=REVIEWER)
    reason = "The official count misses the Scottish courts."
    with pytest.raises(StoreError, match="another reviewer must adopt it"):
        store.adopt_correction(batch, *KEY, reviewer=CONTRIBUTOR, reason=reason)
    assert store.adoptions().height == 0
    store.adopt_correction(batch, *KEY, reviewer=REVIEWER, reason=reason)
    assert picked_value(store, *KEY) == (9000.0, "adopted correction", NGO)
    assert figure(store.snapshot().observations, *KEY)["basis"] == "adopted correction"
    # the official figure is kept, as the official series
    assert figure(store.observations(series="official"), *KEY)["value"] == 251.0
    adoption = store.adoptions().row(0, named=True)
    assert (adoption["batch_id"], adoption["organisation"], adoption["contributor"],
            adoption["reviewer"], adoption["reason"]) == (batch, NGO, CONTRIBUTOR, REVIEWER,
                                                          reason)
    assert store.batch_events(batch).select("event", "actor", "note").rows()[-1] == (
        "adopted", REVIEWER, f"GBR 2019 persons_convicted: {reason}")
    # rolling the batch back withdraws the correction: the official figure is used again
    store.rollback(batch, contributor=REVIEWER)
    assert picked_value(store, *KEY) == (251.0, "official", "official")


def test_a_commit_whose_preview_is_outdated_is_refused_and_writes_nothing(store: Store):
    store.approve_batch(submit(store, ("GBR", 2019, "victims_reported", 12.0)),
                        reviewer=REVIEWER)
    incoming = frame(("GBR", 2019, "victims_reported", 15.0))
    shown = store.diff(incoming, organisation=NGO)  # the preview: 12 -> 15
    assert shown.select("change", "old_value").rows() == [("changed", 12.0)]
    # A batch of the same organisation submitted meanwhile changes nothing readers see...
    other = submit(store, ("GBR", 2019, "victims_reported", 14.0), sha="b", contributor="Cy")
    # ...until it is approved: then the preview no longer says what the commit would do.
    store.approve_batch(other, reviewer=REVIEWER)
    before = store.table_checksums()
    version = store.data_version()
    with pytest.raises(PreviewOutdated) as outdated:
        submit(store, ("GBR", 2019, "victims_reported", 15.0), sha="c", expected=shown)
    assert outdated.value.diff.select("change", "old_value").rows() == [("changed", 14.0)]
    assert "Nothing was written" in str(outdated.value)
    assert store.table_checksums() == before
    assert store.data_version() == version
    # previewed again, it goes through
    again = submit(store, ("GBR", 2019, "victims_reported", 15.0), sha="c",
                   expected=outdated.value.diff)
    assert store.batch(again)["status"] == "submitted"


def test_a_preview_taken_at_the_current_version_is_not_diffed_again(store: Store, monkeypatch):
    """With the data version the preview was taken at, the commit takes the diff again only
    when something was written since: refused when that changed the figures, and trusted,
    without a second diff, when nothing was written (a million figures cost seconds)."""
    store.approve_batch(submit(store, ("GBR", 2019, "victims_reported", 12.0)),
                        reviewer=REVIEWER)
    row = ("GBR", 2019, "victims_reported", 15.0)
    shown, seen = store.diff_with_version(frame(row), organisation=NGO)
    assert seen == store.data_version()
    store.approve_batch(submit(store, ("GBR", 2019, "victims_reported", 14.0), sha="b",
                               contributor="Cy"), reviewer=REVIEWER)
    diffs: list[str] = []
    real_diff = store_contract.diff_incoming
    monkeypatch.setattr(store_contract, "diff_incoming",
                        lambda *args: diffs.append("taken") or real_diff(*args))
    with pytest.raises(PreviewOutdated):  # written since: compared, and 14 is not 12
        submit(store, row, sha="c", expected=shown, expected_version=seen)
    assert diffs == ["taken"]

    diffs.clear()
    monkeypatch.setattr(store_contract, "diff_incoming", real_diff)
    shown, seen = store.diff_with_version(frame(row), organisation=NGO)  # previewed again
    monkeypatch.setattr(store_contract, "diff_incoming",
                        lambda *args: diffs.append("taken") or real_diff(*args))
    batch = submit(store, row, sha="c", expected=shown, expected_version=seen)
    assert diffs == []  # nothing written since the preview: no second diff
    assert (store.batch(batch)["rows_changed"], store.batch(batch)["status"]) == (1, "submitted")


def test_the_pipeline_refuses_a_commit_whose_preview_is_outdated(bundled_target: str):
    from indicators.upload.pipeline import commit, prepare

    def data(value: int) -> bytes:
        return ("country,year,measure,value,source\r\n"
                f"Kenya,2019,victims_prosecuted,{value},SYNTHETIC TEST DATA\r\n").encode()

    with Store(bundled_target) as store:
        prepared = prepare(data(3), "first.csv", store, organisation=NGO)
        assert prepared.counts == {"new": 1, "changed": 0, "unchanged": 0}
        other = commit(prepare(data(4), "second.csv", store, organisation=NGO), store,
                       kind="upload", contributor="Cy", organisation=NGO)
        store.approve_batch(other, reviewer=REVIEWER)
        before = store.table_checksums()
        with pytest.raises(PreviewOutdated) as outdated:
            commit(prepared, store, kind="upload", contributor=CONTRIBUTOR, organisation=NGO)
        assert outdated.value.diff.select("change", "old_value").rows() == [("changed", 4.0)]
        assert store.table_checksums() == before


# -- a database made before series existed (schema version 2) -----------------------------------
def _version_2_database(target: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """What the program before issue 16 made: an official batch, an NGO's `indicators import`
    that superseded an official figure, and another NGO's import rolled back."""
    with monkeypatch.context() as old_program:
        old_program.setattr(store_contract, "MIGRATIONS", MIGRATIONS[:2])
        old_program.setattr(store_contract, "LATEST_SCHEMA_VERSION", 2)
        for module in ("duckdb_store", "postgres_store"):
            old_program.setattr(f"indicators.store.{module}.LATEST_SCHEMA_VERSION", 2)
        with Store(target) as store:
            assert store.schema_version() == 2
            with store._writing() as session:
                for s in (OFFICIAL_SOURCE, NGO_SOURCE):
                    session.run("INSERT INTO sources (id, publisher, title) VALUES (?, ?, ?)",
                                [s.id, s.publisher, s.title])
                batches = [
                    (1, "bundled", None, None, "committed", None),
                    (2, "cli", "Ana", NGO, "committed", None),
                    (3, "cli", "Bo", "Other NGO", "rolled_back", None),
                    (4, "rollback", None, None, "committed", 3),
                ]
                for batch_id, kind, contributor, organisation, status, rolls_back in batches:
                    session.run(
                        "INSERT INTO batches (id, kind, file_name, sha256, contributor, "
                        "organisation, created_at, rows_in_file, rows_new, rows_changed, "
                        "rows_unchanged, status, rolls_back, note) "
                        "VALUES (?, ?, ?, NULL, ?, ?, ?, 1, 1, 0, 0, ?, ?, NULL)",
                        [batch_id, kind, f"batch{batch_id}.csv", contributor, organisation,
                         now(), status, rolls_back])
                rows = [(1, "persons_convicted", 2019, 251.0, OFFICIAL_SOURCE.id),
                        (1, "victims_detected", 2019, 10_627.0, OFFICIAL_SOURCE.id),
                        (2, "persons_convicted", 2019, 9000.0, NGO_SOURCE.id),
                        (2, "victims_reported", 2019, 12.0, NGO_SOURCE.id),
                        (3, "victims_reported", 2020, 40.0, NGO_SOURCE.id)]
                for batch_id, measure, year, value, source in rows:
                    session.run(
                        "INSERT INTO observations VALUES (?, 'GBR', ?, ?, ?, 'reported', NULL, "
                        "NULL, ?, NULL)", [batch_id, year, measure, value, source])
            with store._reading() as session:  # the old rule: the NGO's 9,000 had won
                assert session.rows(
                    "SELECT value FROM current_observations WHERE measure = "
                    "'persons_convicted'") == [(9000.0,)]


def test_a_database_from_before_series_opens_and_keeps_every_figure(empty_target: str,
                                                                     monkeypatch):
    _version_2_database(empty_target, monkeypatch)
    with Store(empty_target) as store:
        assert store.schema_version() == 3
        history = store.observations(history=True)
        assert sorted(zip(history["batch_id"], history["measure"], history["value"],
                          strict=True)) == [
            (1, "persons_convicted", 251.0), (1, "victims_detected", 10_627.0),
            (2, "persons_convicted", 9000.0), (2, "victims_reported", 12.0),
            (3, "victims_reported", 40.0)]
        # the uploaded batch is an approved contributed series...
        assert store.batch(2)["status"] == "committed"
        trail = store.batch_events(2)
        assert trail.select("event", "actor").rows() == [("submitted", "Ana"),
                                                         ("approved", "database upgrade")]
        assert trail["note"][1] == ("uploaded before review existed: approved when the "
                                    "database was upgraded")
        assert store.batch_events(1)["event"].to_list() == ["published"]
        ngo = store.observations(series=NGO)
        assert sorted(zip(ngo["measure"], ngo["value"], ngo["series_kind"], strict=True)) == [
            ("persons_convicted", 9000.0, "contributed"),
            ("victims_reported", 12.0, "contributed")]
        # ...the official figure it had superseded is the picked figure again...
        assert picked_value(store, *KEY) == (251.0, "official", "official")
        assert picked_value(store, "GBR", 2019, "victims_reported") == (12.0, "contributed",
                                                                        NGO)
        # ...and what was rolled back stays rolled back.
        assert store.batch(3)["status"] == "rolled_back"
        assert picked_value(store, "GBR", 2020, "victims_reported") is None
        assert store.snapshot().contributed_series() == [NGO]
        checksums = store.table_checksums()
    with Store(empty_target) as reopened:  # upgraded once
        assert reopened.table_checksums() == checksums


# -- backups ---------------------------------------------------------------------------------
def test_backup_and_restore_keep_series_and_review_state(store: Store, empty_target: str,
                                                         backend: str, tmp_path, request):
    approved = submit(store, *NGO_ROWS)
    store.approve_batch(approved, reviewer=REVIEWER)
    store.adopt_correction(approved, *KEY, reviewer=REVIEWER, reason="Scottish courts.")
    rejected = submit(store, ("FRA", 2019, "victims_reported", 3.0), sha="b")
    store.reject_batch(rejected, reviewer=REVIEWER, reason="Wrong country.")
    waiting = submit(store, ("DEU", 2019, "victims_reported", 4.0), sha="c")
    original = store.table_checksums()
    figures = store.observations(series="all")
    picked = store.observations()
    trail = store.batch_events()
    backup(empty_target, tmp_path / "b")
    destination = (str(tmp_path / "restored.duckdb") if backend == "duckdb"
                   else new_database(request.getfixturevalue("postgres")))
    restore(tmp_path / "b", destination)
    with Store(destination) as restored:
        assert restored.table_checksums() == original
        assert restored.observations(series="all").equals(figures)
        assert restored.observations().equals(picked)
        assert picked_value(restored, *KEY) == (9000.0, "adopted correction", NGO)
        assert restored.batch_events().equals(trail)
        assert [restored.batch(b)["status"] for b in (approved, rejected, waiting)] == [
            "committed", "rejected", "submitted"]
        assert restored.batch(approved)["reviewed_by"] == REVIEWER
        # the review goes on where it was
        restored.approve_batch(waiting, reviewer=REVIEWER)
        assert picked_value(restored, "DEU", 2019, "victims_reported") == (4.0, "contributed",
                                                                           NGO)
