"""The dashboard's view of the database (indicators.live): the figures in memory follow a
change made by another process, a busy file keeps what is shown, and a stopped server is said
plainly and recovered from by itself."""

from __future__ import annotations

import subprocess
import sys
import time

import polars as pl

from benchmarks.postgres import TempPostgres
from indicators.bundled import init_database
from indicators.live import LiveData
from indicators.schema import LONG_COLUMNS
from indicators.store import BatchMeta, Source, Store

SOURCE = Source(id="synthetic_live", publisher="SYNTHETIC", title="Synthetic test figures")


def _one_figure(value: float) -> pl.DataFrame:
    return pl.DataFrame([dict(iso3="GBR", year=2022, measure="victims_reported", value=value,
                              value_status="reported", lower=None, upper=None,
                              source_id=SOURCE.id, note=None)], schema=LONG_COLUMNS)


def test_the_figures_follow_a_change_made_by_another_store(bundled_target):
    viewer = Store(bundled_target, read_only=True)
    live = LiveData(viewer, background=False)
    first = live.current()
    assert first.observations.height == 73665  # 57,729 + 336 + 14,010 + 1,590
    with Store(bundled_target) as writer:  # another process, as far as the viewer knows
        batch = writer.commit_batch(BatchMeta("cli", "one.csv", None, contributor="Ana",
                                              organisation="Test NGO"),
                                    _one_figure(7.0), [SOURCE])
        live.refresh()
        submitted = live.current()  # a submitted batch changes no figure a reader sees
        assert submitted.version.number == first.version.number + 1
        assert submitted.observations.equals(first.observations)
        writer.approve_batch(batch, reviewer="Ben")
    assert live.current() is submitted  # nothing is read on the request path
    live.refresh()
    second = live.current()
    assert second.version.number == submitted.version.number + 1
    assert second.observations.height == 73666
    live.refresh()  # nothing changed: the same snapshot object
    assert live.current() is second
    assert live.problem is None
    viewer.close()


def test_the_background_check_outlives_a_failure_nobody_foresaw(bundled_db, monkeypatch):
    live = LiveData(Store(bundled_db, read_only=True), check_every=0.05)
    shown = live.current()
    real_refresh = live.refresh
    failures = []

    def failing_once() -> None:
        if not failures:
            failures.append(1)
            raise RuntimeError("an unforeseen failure")
        real_refresh()

    monkeypatch.setattr(live, "refresh", failing_once)
    deadline = time.monotonic() + 10
    while not failures and time.monotonic() < deadline:
        time.sleep(0.02)
    assert failures, "the background check never ran"
    with Store(bundled_db) as writer:  # a change made after the failure is still seen
        batch = writer.commit_batch(BatchMeta("cli", "one.csv", None, contributor="Ana",
                                              organisation="Test NGO"),
                                    _one_figure(7.0), [SOURCE])
        writer.approve_batch(batch, reviewer="Ben")
    while live.current().observations.height == shown.observations.height \
            and time.monotonic() < deadline:
        time.sleep(0.05)
    assert live.current().observations.height == shown.observations.height + 1
    assert live.problem is None  # the look after the failure went well: no banner


def test_a_busy_file_keeps_what_is_shown(bundled_db, monkeypatch):
    monkeypatch.setenv("INDICATORS_LOCK_WAIT", "0.2")
    live = LiveData(Store(bundled_db, read_only=True), background=False)
    shown = live.current()
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); "
         "c.execute('CHECKPOINT'); c.execute('CREATE TABLE busy (x INTEGER)'); "
         "print('open', flush=True); time.sleep(30)", str(bundled_db)],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "open"
        live.refresh()
        assert live.current() is shown
        assert live.problem is None  # busy is not a problem worth a banner
    finally:
        holder.kill()
        holder.wait(timeout=10)


def test_a_stopped_server_is_said_plainly_and_recovered_from():
    with TempPostgres() as server:
        url = server.create("live")
        with Store(url) as store:
            init_database(store)
        live = LiveData(Store(url, read_only=True), background=False)
        shown = live.current()
        server.stop()
        live.refresh()
        assert live.current() is shown  # the last figures keep being served
        assert live.problem is not None
        assert "cannot be reached" in live.problem and "Nothing was changed" in live.problem
        assert "Traceback" not in live.problem
        server.restart()
        deadline = time.monotonic() + 30
        while live.problem is not None and time.monotonic() < deadline:
            live.refresh()
            time.sleep(0.2)
        assert live.problem is None
        assert live.current().version == shown.version
        live.store.close()


def test_the_callbacks_run_once_for_each_new_version_and_never_stop_the_figures(
        bundled_target, monkeypatch, caplog):
    """``on_new_version``: after figures of a new data version are swapped in (not the first
    read, not a look that found nothing new), once; a callback that fails is logged."""
    from indicators import live as live_module

    monkeypatch.setattr(live_module, "_NEW_VERSION_CALLBACKS", [])
    calls: list[int] = []

    def broken() -> None:
        raise RuntimeError("a side task failed")

    live = LiveData(Store(bundled_target, read_only=True), background=False)
    first = live.current()
    live_module.on_new_version(lambda: calls.append(live.version().number))
    live_module.on_new_version(broken)
    live_module.on_new_version(broken)  # the same callback twice: once
    live.refresh()
    assert calls == []  # nothing new
    with Store(bundled_target) as writer:
        writer.upsert_countries(writer.countries())  # a write: the version moves
    live.refresh()
    assert calls == [first.version.number + 1]
    assert live.current().version.number == first.version.number + 1
    assert sum("a side task failed" in r.getMessage() for r in caplog.records) == 1
    live.refresh()
    assert calls == [first.version.number + 1]
