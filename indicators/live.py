"""The figures a dashboard process shows: the current data version, held in memory.

A background thread asks the database whether anything changed every ``check_every`` seconds
(for a DuckDB file, only when the file itself changed); when it has, everything the pages read
is read again in one consistent read and swapped in. Pages only ever read the snapshot in
memory: the dashboard holds no lock on a DuckDB file, a page never waits for the database, and
a change made elsewhere (the command line, another app process, another machine) is there
within seconds. When the database cannot be reached, the last snapshot keeps being served and
``problem`` says why; the first check after it is back clears it.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import weakref
from collections.abc import Callable

from indicators.settings import DATA_CHECK_SECONDS, database_target, read_only_mode
from indicators.store import DataVersion, Snapshot, Store, StoreBusy, StoreError, patience

_log = logging.getLogger(__name__)

# A check waits this long for a busy file, then keeps what it has and looks again next time.
CHECK_PATIENCE_SECONDS = 0.3

# What to do after any LiveData of this process took figures of a new data version
# (``on_new_version``).
_NEW_VERSION_CALLBACKS: list[Callable[[], None]] = []


def on_new_version(callback: Callable[[], None]) -> None:
    """Call ``callback`` (no arguments) each time a LiveData of this process has swapped in
    the figures of a new data version (not its first read), in the thread that read them,
    after it let go of its lock. Registering the same callback again changes nothing. A
    callback that fails is logged; the figures are swapped in all the same."""
    if callback not in _NEW_VERSION_CALLBACKS:
        _NEW_VERSION_CALLBACKS.append(callback)


def _new_version_read() -> None:
    for callback in list(_NEW_VERSION_CALLBACKS):
        try:
            callback()
        except Exception as exc:  # noqa: BLE001 - the figures are in; a side task only logs
            _log.warning("After new figures were read, %s failed (%s: %s).",
                         getattr(callback, "__name__", callback), type(exc).__name__, exc)


class LiveData:
    """One store's current snapshot, kept up to date by a background thread. Thread-safe."""

    def __init__(self, store: Store, *, check_every: float = DATA_CHECK_SECONDS,
                 background: bool = True,
                 first: tuple[Snapshot, object | None] | None = None) -> None:
        """``first``: a snapshot already read, with the store's change marker taken just before
        it (``open_live``), served as if ``current`` had read it."""
        self.store = store
        self.check_every = check_every
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._snapshot: Snapshot | None = None
        self._marker: object | None = None
        self.problem: str | None = None
        self.problem_since: dt.datetime | None = None
        self.loaded_at: dt.datetime | None = None
        if first is not None:
            self._snapshot, self._marker = first
            self.loaded_at = dt.datetime.now()
        if background:
            threading.Thread(target=_keep_fresh, args=(weakref.ref(self), self._wake),
                             name="indicators-live-data", daemon=True).start()

    def current(self) -> Snapshot:
        """The snapshot to show now; read at once only the first time. StoreError when none
        could ever be read."""
        snapshot = self._snapshot
        if snapshot is not None:
            return snapshot
        self.refresh(first=True)
        if self._snapshot is None:
            raise StoreError(self.problem or "The database could not be read.")
        return self._snapshot

    def version(self) -> DataVersion:
        return self.current().version

    def check_soon(self) -> None:
        """Look at the database now (after a write made by this process), and wait for it."""
        with self._lock:
            self._marker = None
        self.refresh()

    def refresh(self, *, first: bool = False) -> None:
        """Read the figures again if the data version moved (one check); then, when they are
        of a new version, the callbacks of ``on_new_version``."""
        before = self._snapshot.version if self._snapshot is not None else None
        self._refresh(first=first)
        after = self._snapshot.version if self._snapshot is not None else None
        if before is not None and after is not None and after != before:
            _new_version_read()

    def _refresh(self, *, first: bool) -> None:
        with self._lock:
            marker = self.store.change_marker()
            if self._snapshot is not None and marker is not None and marker == self._marker \
                    and self.problem is None:
                return  # the file has not changed since it was read
            try:
                if first:
                    snapshot = self.store.snapshot()
                else:
                    with patience(CHECK_PATIENCE_SECONDS):
                        if self._snapshot is not None and self.store.data_version() == \
                                self._snapshot.version:
                            self._marker = marker
                            self._clear_problem()
                            return
                        snapshot = self.store.snapshot()
            except StoreBusy:
                if first:
                    self._note_problem("The database is busy with a long write; try again in "
                                       "a moment.")
                return  # a writer is at work: keep what we have, look again next time
            except StoreError as exc:
                self._note_problem(str(exc))
                return
            self._snapshot = snapshot
            self._marker = marker
            self.loaded_at = dt.datetime.now()
            self._clear_problem()

    def _note_problem(self, text: str) -> None:
        if self.problem is None:
            self.problem_since = dt.datetime.now()
        self.problem = text

    def _clear_problem(self) -> None:
        self.problem = None
        self.problem_since = None


def _keep_fresh(owner: weakref.ref[LiveData], wake: threading.Event) -> None:
    """The background check; it ends when its LiveData is gone (a cleared cache, a test)."""
    while True:
        live = owner()
        if live is None:
            return
        interval = live.check_every
        if live._snapshot is not None:  # the first read is the pages' own
            try:
                live.refresh()
            except Exception as exc:  # noqa: BLE001 - the check must outlive any one failure
                # A failure nobody foresaw must not end the check for good (the pages would
                # show the figures of that moment until a restart): say it and look again.
                _log.warning("The check for new figures failed (%s: %s); it looks again in "
                             "%.0f s.", type(exc).__name__, exc, interval)
                live._note_problem(f"The last look for new figures failed ({exc}).")
        del live
        wake.wait(interval)
        wake.clear()


# -- the process's one LiveData, shared by the pages and the read API ------------------------------
_process_lock = threading.Lock()
_process: tuple[tuple[str, bool], LiveData] | None = None


def open_live(target: str | None = None, read_only: bool | None = None) -> LiveData:
    """A new LiveData on the configured database (INDICATORS_DB); an empty database on first
    start is filled from the bundled published files."""
    from indicators.bundled import init_database

    store = Store(target or database_target(),
                  read_only=read_only_mode() if read_only is None else read_only)
    if store.read_only:
        return LiveData(store)
    # Whether it is empty is told by the figures the pages read first anyway: one read, not
    # two (``observation_count`` is the height of the same picked figures, ``observations``).
    marker = store.change_marker()
    snapshot = store.snapshot()
    if snapshot.observations.height == 0:
        init_database(store)
        return LiveData(store)
    return LiveData(store, first=(snapshot, marker))


def registered_live() -> LiveData | None:
    """The process's LiveData if one is open on the configured database (never opens one)."""
    found = _process
    if found is None or found[0] != (str(database_target()), read_only_mode()):
        return None
    return found[1]


def process_live(*, fresh: bool = False) -> LiveData:
    """The figures this process shows, one LiveData for the pages and the read API alike, on
    the configured database. ``fresh`` opens it anew (the pages do when their cache is
    cleared); a changed INDICATORS_DB opens the new database."""
    global _process
    key = (str(database_target()), read_only_mode())
    with _process_lock:
        if _process is not None and _process[0] == key and not fresh:
            return _process[1]
    live = open_live(*key)
    with _process_lock:
        _process = (key, live)
    return live
