"""The figures a dashboard process shows: the current data version, held in memory.

The database is asked whether anything changed at most every ``check_every`` seconds (and, for
a DuckDB file, only when the file itself changed); when it has, everything the pages read is read
again in one consistent read. Between checks every session reads the snapshot in memory, so the
dashboard holds no lock on a DuckDB file and never waits for it, and a change made elsewhere (the
command line, another app process, another machine) shows within seconds. When the database
cannot be reached, the last snapshot keeps being served and ``problem`` says why; the first check
after it is back reloads by itself.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Callable

from indicators.settings import DATA_CHECK_SECONDS
from indicators.store import (
    DataVersion,
    Snapshot,
    Store,
    StoreBusy,
    StoreError,
    patience,
    wait_seconds,
)

# A check for new figures waits this long for a busy file, then serves what it has.
CHECK_PATIENCE_SECONDS = 0.3


class LiveData:
    """One store's current snapshot, reloaded when the data version changes. Thread-safe."""

    def __init__(self, store: Store, *, check_every: float = DATA_CHECK_SECONDS,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.store = store
        self.check_every = check_every
        self._clock = clock
        self._lock = threading.Lock()
        self._snapshot: Snapshot | None = None
        self._checked_at = float("-inf")
        self._marker: object | None = None
        self.problem: str | None = None
        self.problem_since: dt.datetime | None = None
        self.loaded_at: dt.datetime | None = None

    def current(self) -> Snapshot:
        """The snapshot to show now; StoreError only when none could ever be read."""
        with self._lock:
            if self._snapshot is None or self._clock() - self._checked_at >= self.check_every:
                self._refresh()
            if self._snapshot is None:
                raise StoreError(self.problem or "The database could not be read.")
            return self._snapshot

    def check_soon(self) -> None:
        """Ask the database at the next read (after a write made by this process)."""
        with self._lock:
            self._checked_at = float("-inf")
            self._marker = None

    def version(self) -> DataVersion:
        return self.current().version

    def _refresh(self) -> None:
        self._checked_at = self._clock()
        marker = self.store.change_marker()
        if self._snapshot is not None and marker is not None and marker == self._marker \
                and self.problem is None:
            return  # the file has not changed since it was read
        try:
            with patience(CHECK_PATIENCE_SECONDS if self._snapshot is not None
                          else wait_seconds()):
                if self._snapshot is not None and self.store.data_version() == \
                        self._snapshot.version:
                    self._marker = marker
                    self._clear_problem()
                    return
                snapshot = self.store.snapshot()
        except StoreBusy:
            if self._snapshot is None:
                raise
            return  # a writer is at work: show what we have, look again at the next check
        except StoreError as exc:
            if self.problem is None:
                self.problem_since = dt.datetime.now()
            self.problem = str(exc)
            return
        self._snapshot = snapshot
        self._marker = marker
        self.loaded_at = dt.datetime.now()
        self._clear_problem()

    def _clear_problem(self) -> None:
        self.problem = None
        self.problem_since = None
