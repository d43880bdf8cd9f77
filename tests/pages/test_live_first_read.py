"""Opening the pages' figures (``live.open_live``) reads the database once: whether it is empty
is told by the snapshot the pages show first, not by a count read before it
(``observation_count`` is the height of the same picked figures). The figures served are those
of a fresh read, and the watch still sees a change made afterwards."""

from __future__ import annotations

import polars as pl
from polars.testing import assert_frame_equal

from indicators import bundled, live
from indicators.store import Store


def _same(one: pl.DataFrame | None, other: pl.DataFrame | None) -> None:
    assert (one is None) == (other is None)
    if one is not None:
        assert_frame_equal(one, other)


def test_open_live_reads_the_figures_once_and_serves_a_fresh_reads_figures(bundled_db,
                                                                            monkeypatch):
    reads: list[str] = []
    for name in ("snapshot", "observations", "observation_count"):
        real = getattr(Store, name)

        def counted(self, *args, _real=real, _name=name, **kwargs):
            reads.append(_name)
            return _real(self, *args, **kwargs)

        monkeypatch.setattr(Store, name, counted)
    opened = live.open_live(str(bundled_db), read_only=False)
    shown = opened.current()
    assert reads == ["snapshot"]  # one read, and current() takes it without reading again
    reads.clear()
    with Store(bundled_db, read_only=True) as store:
        fresh = store.snapshot()
        # what the old check counted is the height of the figures served
        assert store.observation_count() == shown.observations.height == 73665
    assert shown.version == fresh.version
    for part in ("observations", "countries", "sources", "figures", "adoptions"):
        _same(getattr(shown, part), getattr(fresh, part))
    assert opened.problem is None and opened.loaded_at is not None

    # the watch: a write made afterwards is read at the next check
    with Store(bundled_db) as store:
        store.add_access_token("0" * 64, name="Rita", role="reviewer", organisation=None)
    opened.refresh()
    assert opened.current().version.number == fresh.version.number + 1


def test_open_live_fills_an_empty_database_from_the_bundled_files(tmp_path, monkeypatch):
    filled: list[str] = []
    monkeypatch.setattr(bundled, "init_database", lambda store: filled.append(store.location))
    target = tmp_path / "empty.duckdb"
    opened = live.open_live(str(target), read_only=False)
    assert filled == [str(target)]
    assert opened._snapshot is None  # read when the pages first ask, after the filling


def test_a_read_only_dashboard_never_counts_nor_fills(bundled_db, monkeypatch):
    monkeypatch.setattr(bundled, "init_database", lambda store: (_ for _ in ()).throw(
        AssertionError("a read-only dashboard never fills its database")))
    opened = live.open_live(str(bundled_db), read_only=True)
    assert opened._snapshot is None
    assert opened.current().observations.height == 73665
