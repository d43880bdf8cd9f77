"""The store's contract, on both backends: a DuckDB file in a temporary directory and a
database on a PostgreSQL server started for the test session (tests/conftest.py).

Figures here are synthetic (made up for the test), except in the init tests, which use the
bundled published data.
"""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

import polars as pl
import pytest

from indicators.bundled import BUNDLED, init_database
from indicators.problems import ImportRejected
from indicators.schema import LONG_COLUMNS
from indicators.store import (
    LATEST_SCHEMA_VERSION,
    MIGRATIONS,
    AlreadyCommitted,
    BatchMeta,
    Source,
    Store,
    StoreError,
)
from indicators.store import contract as store_contract
from indicators.validate import validate_long
from tests.review import REVIEWER, publish

SOURCE = Source(id="synthetic_ngo", publisher="Synthetic NGO", title="Synthetic test figures",
                citation="Synthetic NGO, test figures")


def long_frame(*rows: tuple) -> pl.DataFrame:
    """(iso3, year, measure, value) or (..., value_status, lower, upper) rows, synthetic."""
    records = []
    for row in rows:
        iso3, year, measure, value, *rest = row
        status, lower, upper = rest if rest else ("reported", None, None)
        records.append(dict(iso3=iso3, year=year, measure=measure, value=value,
                            value_status=status, lower=lower, upper=upper,
                            source_id=SOURCE.id, note=None))
    return pl.DataFrame(records, schema=LONG_COLUMNS)


def meta(name: str, sha: str | None) -> BatchMeta:
    return BatchMeta(kind="cli", file_name=name, sha256=sha, contributor="tester",
                     organisation="Synthetic NGO")


def current(store: Store, iso3: str, year: int, measure: str, series: str | None = None
            ) -> dict | None:
    """The figure the indicators use (picked by the source rule), or ``series``' own."""
    rows = store.observations(series=series).filter(
        (pl.col("iso3") == iso3) & (pl.col("year") == year) & (pl.col("measure") == measure)
    )
    assert rows.height <= 1
    return rows.row(0, named=True) if rows.height else None


@pytest.fixture
def store(empty_target: str):
    with Store(empty_target) as opened:
        yield opened


# -- round trip ------------------------------------------------------------------------------
def test_round_trip(store: Store):
    figures = long_frame(
        ("GBR", 2019, "victims_reported", 120.0),
        ("GBR", 2019, "victims_prosecuted", None, "suppressed", 1.0, 4.0),
        ("FRA", 2021, "estimated_victims", 135_000.0, "estimate", None, None),
    )
    batch_id = store.commit_batch(meta("figures.csv", "a" * 64), figures, [SOURCE])
    assert batch_id == 1
    assert store.batch(batch_id)["status"] == "submitted"
    assert store.observations(series="all").height == 0  # nothing shows before review
    assert store.observations(history=True)["batch_status"].to_list() == ["submitted"] * 3
    store.approve_batch(batch_id, reviewer=REVIEWER)

    back = store.observations(series="Synthetic NGO")
    assert back.height == 3
    assert set(back["series_kind"]) == {"contributed"}
    assert set(back["batch_id"]) == {batch_id}
    assert set(back["source_citation"]) == {"Synthetic NGO, test figures"}
    assert set(back["source_publisher"]) == {"Synthetic NGO"}
    got = back.select(list(LONG_COLUMNS)).sort("iso3", "measure")
    assert got.equals(figures.sort("iso3", "measure"))

    batch = store.batch(batch_id)
    assert batch is not None
    assert (batch["kind"], batch["file_name"], batch["status"], batch["reviewed_by"]) == (
        "cli", "figures.csv", "committed", REVIEWER)
    assert (batch["rows_in_file"], batch["rows_new"], batch["rows_changed"],
            batch["rows_unchanged"]) == (3, 3, 0, 0)
    assert store.find_committed_batch("a" * 64)["id"] == batch_id
    assert store.sources()["id"].to_list() == [SOURCE.id]
    # The indicators use the contributed figures of the measures no official series publishes;
    # FRA's estimate of a published measure is shown as the NGO's, not used.
    picked = store.observations()
    assert sorted(zip(picked["measure"], picked["basis"], strict=True)) == [
        ("victims_prosecuted", "contributed"), ("victims_reported", "contributed")]
    assert store.observation_count() == 2
    assert set(store.batch_diff(batch_id)["change"]) == {"new"}


def test_the_same_file_twice_is_refused_inside_the_commit(store: Store):
    figures = long_frame(("GBR", 2019, "victims_reported", 120.0))
    first = store.commit_batch(meta("a.csv", "a" * 64), figures, [SOURCE])
    before = store.table_checksums()
    with pytest.raises(AlreadyCommitted) as raised:
        store.commit_batch(meta("copy of a.csv", "a" * 64), figures, [SOURCE])
    assert raised.value.batch["id"] == first
    assert store.table_checksums() == before


def test_unchanged_figures_are_not_stored_again(store: Store):
    figures = long_frame(("GBR", 2019, "victims_reported", 120.0),
                         ("GBR", 2020, "victims_reported", 130.0))
    first = publish(store, meta("a.csv", "a" * 64), figures, [SOURCE])
    again = long_frame(("GBR", 2020, "victims_reported", 131.0),
                       ("GBR", 2019, "victims_reported", 120.0))
    diff = store.diff(again, organisation="Synthetic NGO")
    assert diff["year"].to_list() == [2020, 2019]  # the incoming order, kept
    assert diff["change"].to_list() == ["changed", "unchanged"]
    assert diff["old_value"].to_list() == [130.0, 120.0]
    second = publish(store, meta("b.csv", "b" * 64), again, [SOURCE])
    batch = store.batch(second)
    assert (batch["rows_new"], batch["rows_changed"], batch["rows_unchanged"]) == (0, 1, 1)
    assert current(store, "GBR", 2019, "victims_reported")["batch_id"] == first
    assert current(store, "GBR", 2020, "victims_reported")["batch_id"] == second
    assert store.observations(history=True).height == 3


# -- supersession, history, rollback ---------------------------------------------------------
def test_newer_batch_supersedes_and_history_keeps_the_old_figure(store: Store):
    old = publish(store, meta("old.csv", "a" * 64),
                  long_frame(("GBR", 2019, "victims_reported", 100.0)), [SOURCE])
    new = publish(store, meta("new.csv", "b" * 64),
                  long_frame(("GBR", 2019, "victims_reported", 150.0)), [SOURCE])
    figure = current(store, "GBR", 2019, "victims_reported")
    assert (figure["value"], figure["batch_id"]) == (150.0, new)

    history = store.observations(history=True)
    assert sorted(zip(history["batch_id"], history["value"], strict=True)) == [
        (old, 100.0), (new, 150.0)]

    trail = store.figure_history("GBR", 2019, "victims_reported")
    assert trail.select("batch_id", "value", "status").rows() == [
        (new, 150.0, "committed"), (old, 100.0, "committed")]
    diff = store.batch_diff(new).row(0, named=True)
    assert (diff["old_value"], diff["new_value"], diff["change"]) == (100.0, 150.0, "changed")


def test_rollback_restores_the_superseded_figure_and_is_recorded(store: Store):
    old = publish(store, meta("old.csv", "a" * 64),
                  long_frame(("GBR", 2019, "victims_reported", 100.0)), [SOURCE])
    new = publish(
        store,
        meta("new.csv", "b" * 64),
        long_frame(("GBR", 2019, "victims_reported", 150.0),
                   ("GBR", 2020, "victims_reported", 160.0)),
        [SOURCE],
    )
    rollback = store.rollback(new, contributor="reviewer", organisation="Synthetic NGO")

    figure = current(store, "GBR", 2019, "victims_reported")
    assert (figure["value"], figure["batch_id"]) == (100.0, old)
    # a figure only the rolled-back batch had is gone from the current figures...
    assert store.observations().filter(pl.col("year") == 2020).height == 0
    # ...but not from history
    assert store.observations(history=True).height == 3
    assert store.figure_history("GBR", 2019, "victims_reported").select(
        "batch_id", "value", "status").rows() == [(new, 150.0, "rolled_back"),
                                                  (old, 100.0, "committed")]

    assert store.batch(new)["status"] == "rolled_back"
    record = store.batch(rollback)
    assert (record["kind"], record["status"], record["rolls_back"], record["rows_changed"],
            record["contributor"]) == ("rollback", "committed", new, 2, "reviewer")
    assert store.find_committed_batch("b" * 64) is None

    with pytest.raises(StoreError, match="already rolled back"):
        store.rollback(new)
    with pytest.raises(StoreError, match="itself a rollback"):
        store.rollback(rollback)
    with pytest.raises(StoreError, match="no batch 999"):
        store.rollback(999)


def test_a_withdrawn_figure_stops_being_current_and_a_rollback_brings_it_back(store: Store):
    first = publish(store, meta("r1.csv", "a" * 64), long_frame(
        ("GBR", 2019, "victims_detected", 100.0), ("GBR", 2020, "victims_detected", 110.0)),
        [SOURCE])
    withdrawal = long_frame(("GBR", 2020, "victims_detected", None, "withdrawn", None, None),
                            ("FRA", 2020, "victims_detected", None, "withdrawn", None, None))
    second = publish(store, meta("r2.csv", "b" * 64), withdrawal, [SOURCE])
    ngo = "Synthetic NGO"  # victims_detected is published officially: the NGO's own series
    assert current(store, "GBR", 2020, "victims_detected", ngo) is None
    assert current(store, "GBR", 2019, "victims_detected", ngo)["batch_id"] == first
    # FRA had no figure: its tombstone withdrew nothing and was not stored
    assert store.batch_diff(second).select("iso3", "change").rows() == [("GBR", "withdrawn")]
    assert store.observations(series=ngo).height == 1
    store.rollback(second)
    assert current(store, "GBR", 2020, "victims_detected", ngo)["value"] == 110.0


def test_every_write_moves_the_data_version_and_only_writes_do(store: Store):
    start = store.data_version()
    store.observations()
    assert store.data_version() == start
    batch = store.commit_batch(meta("a.csv", "a" * 64),
                               long_frame(("GBR", 2019, "victims_reported", 1.0)), [SOURCE])
    after_commit = store.data_version()
    store.batch_events()
    assert store.data_version() == after_commit
    store.approve_batch(batch, reviewer=REVIEWER)
    after_approval = store.data_version()
    store.rollback(batch)
    after_rollback = store.data_version()
    assert start.generation == after_commit.generation == after_rollback.generation
    assert (start.number, after_commit.number, after_approval.number,
            after_rollback.number) == (start.number, start.number + 1, start.number + 2,
                                       start.number + 3)


def test_contributor_tokens_live_in_the_database(store: Store):
    store.add_token("Example NGO", "a" * 64)
    store.add_token("Other NGO", "b" * 64)
    store.add_token("Example NGO", "c" * 64)  # a new token replaces the old
    assert store.token_digests() == {"Example NGO": "c" * 64, "Other NGO": "b" * 64}
    assert store.remove_token("Other NGO") is True
    assert store.remove_token("Other NGO") is False
    assert store.token_digests() == {"Example NGO": "c" * 64}


# -- a failing import leaves the database unchanged -----------------------------------------
def _seeded(store: Store) -> dict[str, str]:
    publish(store, meta("seed.csv", "a" * 64),
            long_frame(("GBR", 2019, "victims_reported", 100.0)), [SOURCE])
    return store.table_checksums()


def test_validation_error_writes_nothing(store: Store):
    before = _seeded(store)
    bad = long_frame(("GBR", 2020, "victims_reported", -5.0), ("XX1", 2020, "population", 3.0))
    with pytest.raises(ImportRejected) as rejected:
        store.commit_batch(meta("bad.csv", "b" * 64), validate_long(bad, "bad.csv"), [SOURCE])
    assert len(rejected.value.problems) == 2
    assert store.table_checksums() == before


def test_primary_key_violation_rolls_back_the_whole_batch(store: Store):
    before = _seeded(store)
    version = store.data_version()
    duplicated = long_frame(("FRA", 2019, "victims_reported", 1.0),
                            ("FRA", 2019, "victims_reported", 2.0))
    other = Source(id="another_source", publisher="Someone", title="Another source")
    with pytest.raises(Exception, match="(?i)duplicate|constraint"):
        store.commit_batch(meta("dup.csv", "b" * 64), duplicated, [SOURCE, other])
    assert store.table_checksums() == before
    assert store.data_version() == version
    assert "another_source" not in store.sources()["id"].to_list()


class _FailOnObservationInsert:
    """A session that fails the observations insert, after the batch row is written."""

    def __init__(self, session, seen: list[int]) -> None:
        self._session = session
        self._seen = seen

    def run(self, sql: str, params=()):
        if sql.lstrip().startswith("INSERT INTO observations"):
            row = self._session.one("SELECT count(*) FROM batches")
            self._seen.append(int(row[0]))
            raise RuntimeError("injected failure after the batch row was written")
        return self._session.run(sql, params)

    def __getattr__(self, name: str):
        return getattr(self._session, name)


def test_failure_mid_transaction_leaves_the_database_unchanged(empty_target: str, monkeypatch):
    with Store(empty_target) as store:
        before = _seeded(store)
        seen: list[int] = []
        real = store._session

        @contextmanager
        def failing(*, write: bool):
            with real(write=write) as session:
                yield _FailOnObservationInsert(session, seen) if write else session

        monkeypatch.setattr(store, "_session", failing)
        with pytest.raises(RuntimeError, match="injected failure"):
            store.commit_batch(meta("new.csv", "b" * 64),
                               long_frame(("GBR", 2019, "victims_reported", 150.0)), [SOURCE])
        assert seen == [2]  # the batch row was in the transaction when it failed
        monkeypatch.undo()
        assert store.table_checksums() == before
    with Store(empty_target) as reopened:  # and after reopening
        assert reopened.table_checksums() == before
        assert reopened.find_committed_batch("b" * 64) is None
        publish(reopened, meta("new.csv", "b" * 64),
                long_frame(("GBR", 2019, "victims_reported", 150.0)), [SOURCE])
        assert current(reopened, "GBR", 2019, "victims_reported")["value"] == 150.0


def test_read_only_store_refuses_writes(empty_target: str):
    Store(empty_target).close()
    with Store(empty_target, read_only=True) as store, pytest.raises(StoreError,
                                                                        match="read-only"):
        store.commit_batch(meta("x.csv", "c" * 64),
                           long_frame(("GBR", 2019, "victims_reported", 1.0)), [SOURCE])


# -- init and migrations ---------------------------------------------------------------------
def test_init_twice_gives_the_same_database(bundled_target: str):
    with Store(bundled_target) as store:
        before = store.table_checksums()
        # rows stored, history included: 44,855 (UNODC 2023) + 336 + 14,010 + 16,333 (UNODC
        # 2025: 13,700 new, 1,807 revised, 826 withdrawals; with its nationalities matched to
        # their countries, 299 citizenship figures are the 2023 ones again, not a withdrawal
        # and a new figure each) + 1,590 (UNODC's SDG data set)
        assert before["observations"].split(":")[0] == "77124"
        reports = init_database(store)
        # UNODC 2023 is history by now: the 2025 release is laid over it, not the reverse
        assert [(r.source_id, r.skipped, r.figures, r.reason) for r in reports] == [
            ("unodc_glotip_2023", True, 0, "superseded"),
            ("walkfree_gsi_2023", True, 0, "no_change"),
            ("worldbank_population_2026-03-06", True, 0, "no_change"),
            ("unodc_glotip_2025", True, 0, "no_change"),
            ("unodc_sdg_2025", True, 0, "no_change")]
        assert store.table_checksums() == before


def test_a_database_of_the_previous_main_gets_the_2025_release(bundled_db_template: Path,
                                                                 tmp_path: Path):
    """A database built when data/ bundled UNODC's 2023 release only (batches 1–3) gets the
    14 April 2025 release as batch 4 and the SDG data set as batch 5 on its next init, and is
    then the same as a fresh one."""
    path = tmp_path / "previous.duckdb"
    with Store(path) as store:
        init_database(store, tuple(b for b in BUNDLED
                                   if b.source.id not in ("unodc_glotip_2025", "unodc_sdg_2025")))
        assert store.observation_count() == 44_855 + 336 + 14_010  # the old bundled count
        reports = init_database(store)
        assert [(r.source_id, r.reason, r.batch_id, r.figures) for r in reports] == [
            ("unodc_glotip_2023", "no_change", None, 0),
            ("walkfree_gsi_2023", "no_change", None, 0),
            ("worldbank_population_2026-03-06", "no_change", None, 0),
            ("unodc_glotip_2025", "loaded", 4, 57_729),
            ("unodc_sdg_2025", "loaded", 5, 1_590)]
        upgraded = store.observations(history=True).drop("batch_id")
        assert [r.reason for r in init_database(store)] == [
            "superseded", "no_change", "no_change", "no_change", "no_change"]  # and it stays
    with Store(bundled_db_template, read_only=True) as fresh:
        expected = fresh.observations(history=True).drop("batch_id")
    key = ["iso3", "year", "measure", "source_id"]
    assert upgraded.sort(key).equals(expected.sort(key))


def test_migrations_run_once(empty_target: str):
    with Store(empty_target) as store:
        assert store.schema_version() == LATEST_SCHEMA_VERSION == MIGRATIONS[-1].version
        applied = store.dump()["schema_version"].sort("version")
        assert applied["version"].to_list() == [m.version for m in MIGRATIONS]
        store.commit_batch(meta("a.csv", "a" * 64),
                           long_frame(("GBR", 2019, "victims_reported", 100.0)), [SOURCE])
        checksums = store.table_checksums()
    with Store(empty_target) as reopened:
        assert reopened.schema_version() == LATEST_SCHEMA_VERSION
        assert reopened.table_checksums() == checksums  # schema_version rows included
    with Store(empty_target, read_only=True) as read_only:
        assert read_only.schema_version() == LATEST_SCHEMA_VERSION


def test_a_new_migration_upgrades_an_existing_database_once(empty_target: str, monkeypatch):
    assert LATEST_SCHEMA_VERSION == 3  # series and review (issue 16); the test adds a 4th
    with Store(empty_target) as store:
        publish(store, meta("a.csv", "a" * 64),
                long_frame(("GBR", 2019, "victims_reported", 100.0)), [SOURCE])
    added = "ALTER TABLE batches ADD COLUMN test_extra VARCHAR"
    upgraded = [*MIGRATIONS, store_contract.Migration(
        LATEST_SCHEMA_VERSION + 1, "test: a new column", duckdb=(added,), postgresql=(added,))]
    monkeypatch.setattr(store_contract, "MIGRATIONS", upgraded)
    monkeypatch.setattr(store_contract, "LATEST_SCHEMA_VERSION", LATEST_SCHEMA_VERSION + 1)
    for module in ("duckdb_store", "postgres_store"):
        monkeypatch.setattr(f"indicators.store.{module}.LATEST_SCHEMA_VERSION",
                            LATEST_SCHEMA_VERSION + 1)
    # an older database opened read-only by a newer program is refused with a way out
    with pytest.raises(StoreError, match="indicators init"):
        Store(empty_target, read_only=True)
    with Store(empty_target) as store:
        assert store.schema_version() == LATEST_SCHEMA_VERSION + 1
        assert "test_extra" in store.batches().columns
        assert current(store, "GBR", 2019, "victims_reported")["value"] == 100.0
    # reopening does not run it again (ADD COLUMN twice would fail)
    with Store(empty_target) as store:
        assert store.schema_version() == LATEST_SCHEMA_VERSION + 1
        assert store.dump()["schema_version"].height == len(upgraded)


def test_the_bundled_data_reports_the_same_on_both_backends(bundled_target: str):
    from indicators import report
    from indicators.settings import IndicatorSettings

    with Store(bundled_target, read_only=True) as store:
        rows = report.indicator_report(store, IndicatorSettings(), country="GBR", year=2019)
    values = {r["indicator"]: r for r in rows.iter_rows(named=True)}
    # UNODC 2019: 251 persons convicted and 10,627 victims detected; Walk Free: 122,000 (2021)
    assert values["conviction_rate"]["value"] == pytest.approx(251 / 122_000)
    assert values["identification_rate"]["value"] == pytest.approx(10_627 / 122_000)
