"""The DuckDB store on real files in temporary directories.

Figures here are synthetic (made up for the test), except in the init test, which uses the
bundled database built by tests/conftest.py.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import polars as pl
import pytest

import indicators.store as store_module
from indicators.bundled import init_database
from indicators.problems import ImportRejected
from indicators.schema import LONG_COLUMNS
from indicators.store import (
    LATEST_SCHEMA_VERSION,
    MIGRATIONS,
    BatchMeta,
    Source,
    Store,
    StoreError,
)
from indicators.validate import validate_long

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


def meta(name: str, sha: str) -> BatchMeta:
    return BatchMeta(kind="cli", file_name=name, sha256=sha, contributor="tester",
                     organisation="Synthetic NGO")


def current(store: Store, iso3: str, year: int, measure: str) -> dict:
    rows = store.observations().filter(
        (pl.col("iso3") == iso3) & (pl.col("year") == year) & (pl.col("measure") == measure)
    )
    assert rows.height == 1
    return rows.row(0, named=True)


@pytest.fixture
def store(tmp_path: Path):
    with Store(tmp_path / "store.duckdb") as opened:
        yield opened


# -- round trip ------------------------------------------------------------------------------
def test_round_trip(store: Store):
    figures = long_frame(
        ("GBR", 2019, "victims_reported", 120.0),
        ("GBR", 2019, "victims_prosecuted", None, "suppressed", 1.0, 4.0),
        ("FRA", 2021, "estimated_victims", 135_000.0, "estimate", None, None),
    )
    batch_id = store.commit_batch(meta("figures.csv", "a" * 64), figures, [SOURCE])

    back = store.observations()
    assert back.height == 3
    assert set(back["batch_id"]) == {batch_id}
    assert set(back["source_citation"]) == {"Synthetic NGO, test figures"}
    assert set(back["source_publisher"]) == {"Synthetic NGO"}
    got = back.select(list(LONG_COLUMNS)).sort("iso3", "measure")
    assert got.equals(figures.sort("iso3", "measure"))

    batch = store.batch(batch_id)
    assert batch is not None
    assert (batch["kind"], batch["file_name"], batch["status"]) == ("cli", "figures.csv",
                                                                    "committed")
    assert (batch["rows_in_file"], batch["rows_new"], batch["rows_changed"],
            batch["rows_unchanged"]) == (3, 3, 0, 0)
    assert store.find_committed_batch("a" * 64)["id"] == batch_id
    assert store.sources()["id"].to_list() == [SOURCE.id]
    assert store.observation_count() == 3
    assert set(store.batch_diff(batch_id)["change"]) == {"new"}


def test_unchanged_figures_are_not_stored_again(store: Store):
    figures = long_frame(("GBR", 2019, "victims_reported", 120.0),
                         ("GBR", 2020, "victims_reported", 130.0))
    first = store.commit_batch(meta("a.csv", "a" * 64), figures, [SOURCE])
    again = long_frame(("GBR", 2019, "victims_reported", 120.0),
                       ("GBR", 2020, "victims_reported", 131.0))
    diff = store.diff(again).sort("year")
    assert diff["change"].to_list() == ["unchanged", "changed"]
    assert diff["old_value"].to_list() == [120.0, 130.0]
    second = store.commit_batch(meta("b.csv", "b" * 64), again, [SOURCE])
    batch = store.batch(second)
    assert (batch["rows_new"], batch["rows_changed"], batch["rows_unchanged"]) == (0, 1, 1)
    assert current(store, "GBR", 2019, "victims_reported")["batch_id"] == first
    assert current(store, "GBR", 2020, "victims_reported")["batch_id"] == second
    assert store.observations(history=True).height == 3


# -- supersession, history, rollback ---------------------------------------------------------
def test_newer_batch_supersedes_and_history_keeps_the_old_figure(store: Store):
    old = store.commit_batch(meta("old.csv", "a" * 64),
                             long_frame(("GBR", 2019, "victims_reported", 100.0)), [SOURCE])
    new = store.commit_batch(meta("new.csv", "b" * 64),
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
    old = store.commit_batch(meta("old.csv", "a" * 64),
                             long_frame(("GBR", 2019, "victims_reported", 100.0)), [SOURCE])
    new = store.commit_batch(
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


# -- a failing import leaves the file unchanged ----------------------------------------------
def _seeded(store: Store) -> dict[str, str]:
    store.commit_batch(meta("seed.csv", "a" * 64),
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
    duplicated = long_frame(("FRA", 2019, "victims_reported", 1.0),
                            ("FRA", 2019, "victims_reported", 2.0))
    other = Source(id="another_source", publisher="Someone", title="Another source")
    with pytest.raises(duckdb.ConstraintException):
        store.commit_batch(meta("dup.csv", "b" * 64), duplicated, [SOURCE, other])
    assert store.table_checksums() == before
    assert "another_source" not in store.sources()["id"].to_list()


class _FailOnObservationInsert:
    """A cursor that fails the observations insert, after the batch row is written."""

    def __init__(self, cursor: duckdb.DuckDBPyConnection, seen: list[int]) -> None:
        self._cursor = cursor
        self._seen = seen

    def execute(self, sql: str, *args: object, **kwargs: object):
        if sql.lstrip().startswith("INSERT INTO observations"):
            row = self._cursor.execute("SELECT count(*) FROM batches").fetchone()
            self._seen.append(int(row[0]))
            raise RuntimeError("injected failure after the batch row was written")
        return self._cursor.execute(sql, *args, **kwargs)

    def __getattr__(self, name: str):
        return getattr(self._cursor, name)


def test_failure_mid_transaction_leaves_the_file_unchanged(tmp_path: Path, monkeypatch):
    path = tmp_path / "store.duckdb"
    with Store(path) as store:
        before = _seeded(store)
        seen: list[int] = []
        real_cursor = store.cursor
        monkeypatch.setattr(store, "cursor", lambda: _FailOnObservationInsert(real_cursor(), seen))
        with pytest.raises(RuntimeError, match="injected failure"):
            store.commit_batch(meta("new.csv", "b" * 64),
                               long_frame(("GBR", 2019, "victims_reported", 150.0)), [SOURCE])
        assert seen == [2]  # the batch row was in the transaction when it failed
        monkeypatch.undo()
        assert store.table_checksums() == before
    # and on disk, after reopening
    with Store(path) as reopened:
        assert reopened.table_checksums() == before
        assert reopened.find_committed_batch("b" * 64) is None
        # the store still works
        reopened.commit_batch(meta("new.csv", "b" * 64),
                              long_frame(("GBR", 2019, "victims_reported", 150.0)), [SOURCE])
        assert current(reopened, "GBR", 2019, "victims_reported")["value"] == 150.0


def test_read_only_store_refuses_writes(tmp_path: Path):
    path = tmp_path / "store.duckdb"
    Store(path).close()
    with Store(path, read_only=True) as store, pytest.raises(StoreError, match="read-only"):
        store.commit_batch(meta("x.csv", "c" * 64),
                           long_frame(("GBR", 2019, "victims_reported", 1.0)), [SOURCE])


# -- init and migrations ---------------------------------------------------------------------
def test_init_twice_gives_the_same_database(bundled_store: Store):
    before = bundled_store.table_checksums()
    assert before["observations"].split(":")[0] == "59201"
    reports = init_database(bundled_store)
    assert [(r.source_id, r.skipped, r.figures) for r in reports] == [
        ("unodc_glotip_2023", True, 0), ("walkfree_gsi_2023", True, 0),
        ("worldbank_population_2026-03-06", True, 0)]
    assert bundled_store.table_checksums() == before


def test_migrations_run_once(tmp_path: Path):
    path = tmp_path / "store.duckdb"
    with Store(path) as store:
        assert store.schema_version() == LATEST_SCHEMA_VERSION == MIGRATIONS[-1][0]
        applied = store.cursor().execute(
            "SELECT version, description, applied_at FROM schema_version ORDER BY version"
        ).fetchall()
        assert [v for v, _, _ in applied] == [m[0] for m in MIGRATIONS]
        store.commit_batch(meta("a.csv", "a" * 64),
                           long_frame(("GBR", 2019, "victims_reported", 100.0)), [SOURCE])
        checksums = store.table_checksums()
    with Store(path) as reopened:
        assert reopened.schema_version() == LATEST_SCHEMA_VERSION
        assert reopened.table_checksums() == checksums  # schema_version rows included
    with Store(path, read_only=True) as read_only:
        assert read_only.schema_version() == LATEST_SCHEMA_VERSION


def test_a_new_migration_upgrades_an_existing_file_once(tmp_path: Path, monkeypatch):
    path = tmp_path / "store.duckdb"
    with Store(path) as store:
        store.commit_batch(meta("a.csv", "a" * 64),
                           long_frame(("GBR", 2019, "victims_reported", 100.0)), [SOURCE])
    # an older file opened read-only by a newer program is refused with a way out
    upgraded = [*MIGRATIONS, (LATEST_SCHEMA_VERSION + 1, "test: a new column",
                              ["ALTER TABLE batches ADD COLUMN test_extra VARCHAR"])]
    monkeypatch.setattr(store_module, "MIGRATIONS", upgraded)
    monkeypatch.setattr(store_module, "LATEST_SCHEMA_VERSION", LATEST_SCHEMA_VERSION + 1)
    with pytest.raises(StoreError, match="indicators init"):
        Store(path, read_only=True)
    with Store(path) as store:
        assert store.schema_version() == LATEST_SCHEMA_VERSION + 1
        assert "test_extra" in store.batches().columns
        assert current(store, "GBR", 2019, "victims_reported")["value"] == 100.0
    # reopening does not run it again (ADD COLUMN twice would fail)
    with Store(path) as store:
        assert store.schema_version() == LATEST_SCHEMA_VERSION + 1
        versions = store.cursor().execute("SELECT count(*) FROM schema_version").fetchone()
        assert versions[0] == len(upgraded)
