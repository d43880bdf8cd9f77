"""What the History page reads of the store, read once per data version and shared by every
session.

Each read opens the database (about 20 ms for a DuckDB file) and a release's revision report
reads every figure's history (about 170 ms): a History view read it all on every run, about
0.26 s of server time for each click on the page. Every write to the store moves its data
version (``Store._writing``), so what was read under a version is what the store holds until
the next write; each run reads the version itself (one read, so a write by another process or
host shows at once, as before) and the rest comes from the cache while it has not moved.
"""

from __future__ import annotations

import polars as pl

from indicators.bundled import release_report
from indicators.releases import RevisionReport
from indicators.store import DataVersion, Store
from pages.caching import per_version


# The store's id is part of each key: two stores of one process (a test's) can be at the same
# version of copies of one database.
@per_version(4)
def _batches(version: DataVersion, store_id: int, _store: Store) -> pl.DataFrame:
    return _store.batches()


@per_version(64)
def _batch(version: DataVersion, store_id: int, batch_id: int, _store: Store
           ) -> dict[str, object] | None:
    return _store.batch(batch_id)


@per_version(64)
def _batch_diff(version: DataVersion, store_id: int, batch_id: int, _store: Store
                ) -> pl.DataFrame:
    return _store.batch_diff(batch_id)


@per_version(64)
def _batch_events(version: DataVersion, store_id: int, batch_id: int, _store: Store
                  ) -> pl.DataFrame:
    return _store.batch_events(batch_id)


@per_version(16)
def _release_report(version: DataVersion, store_id: int, batch_id: int, _store: Store
                    ) -> RevisionReport | None:
    return release_report(_store, batch_id)


class BatchReads:
    """The store's batches as of now: its data version read once (``StoreError`` when the
    database cannot be read), each batch read below it cached for that version. What it gives
    is shared by every session: read it, never change it."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.version = store.data_version()

    def batches(self) -> pl.DataFrame:
        return _batches(self.version, id(self.store), self.store)

    def batch(self, batch_id: int) -> dict[str, object] | None:
        return _batch(self.version, id(self.store), int(batch_id), self.store)

    def batch_diff(self, batch_id: int) -> pl.DataFrame:
        return _batch_diff(self.version, id(self.store), int(batch_id), self.store)

    def batch_events(self, batch_id: int) -> pl.DataFrame:
        return _batch_events(self.version, id(self.store), int(batch_id), self.store)

    def release_report(self, batch_id: int) -> RevisionReport | None:
        """``bundled.release_report``: what a published release's batch revised."""
        return _release_report(self.version, id(self.store), int(batch_id), self.store)
