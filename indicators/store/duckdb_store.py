"""The embedded store: one DuckDB file, opened only for as long as each read or write takes.

DuckDB lets one process write a file, and no process read it meanwhile. So no process keeps the
file open: a read opens it read-only and closes it, a write opens it for writing, commits and
closes it. The dashboard, the command line and several app processes on one machine then take
turns; one that meets the file busy waits and tries again (a few seconds, `LOCK_WAIT_SECONDS`)
before it says so in plain words. Writers also take an advisory lock on ``NAME.lock`` beside the
file, which a restore holds while it swaps the new file in.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import threading
import time
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path

import duckdb
import polars as pl

from indicators.store.contract import (
    DATA_VERSION_TABLE,
    LATEST_SCHEMA_VERSION,
    MIGRATIONS,
    SCHEMA_VERSION_TABLE,
    RestoreMismatch,
    Store,
    StoreBusy,
    StoreError,
    _schema_version,
    backup_schema_version,
    base_tables,
    content_checksum,
    first_line,
    now,
    schema_too_old,
    wait_seconds,
)

RETRY_PAUSE_SECONDS = 0.05

# One lock per file for every connection this process opens: DuckDB refuses a second
# connection to a file with a different configuration (read-only next to read-write).
_PROCESS_LOCKS: dict[str, threading.RLock] = {}
_PROCESS_LOCKS_GUARD = threading.Lock()


def _process_lock(path: Path) -> threading.RLock:
    key = str(path.resolve())
    with _PROCESS_LOCKS_GUARD:
        return _PROCESS_LOCKS.setdefault(key, threading.RLock())


def _is_lock_conflict(exc: BaseException) -> bool:
    text = str(exc).lower()
    return "lock" in text and ("conflicting" in text or "could not set" in text)


class _DuckSession:
    """A session on one DuckDB connection (``?`` parameters are DuckDB's own)."""

    def __init__(self, conn: duckdb.DuckDBPyConnection) -> None:
        self.conn = conn

    def run(self, sql: str, params: Sequence[object] = ()) -> None:
        self.conn.execute(sql, list(params))

    def one(self, sql: str, params: Sequence[object] = ()) -> tuple | None:
        rows = self.conn.execute(sql, list(params)).fetchall()  # fetched to the end: DuckDB
        return rows[0] if rows else None  # runs nothing else while a result is open

    def rows(self, sql: str, params: Sequence[object] = ()) -> list[tuple]:
        return self.conn.execute(sql, list(params)).fetchall()

    def frame(self, sql: str, params: Sequence[object] = ()) -> pl.DataFrame:
        return _polars(self.conn.sql(sql, params=list(params) or None))

    def put(self, name: str, frame: pl.DataFrame) -> None:
        self.conn.register(name, frame)

    def drop(self, name: str) -> None:
        self.conn.unregister(name)

    def tables(self) -> list[str]:
        return base_tables(self, "'main'")


def _polars(relation: duckdb.DuckDBPyRelation) -> pl.DataFrame:
    """A query's result as a Polars frame through the Arrow C stream interface: the same
    frame as DuckDB's ``.pl()``, without importing pyarrow (a second and more of a cold
    command's start, such as ``indicators brief``)."""
    return pl.DataFrame(relation)


class DuckDBStore(Store):
    """One DuckDB database file."""

    dialect = "duckdb"

    def __init__(self, target: str | Path, *, read_only: bool = False) -> None:
        super().__init__(target, read_only=read_only)
        self.path = Path(target)
        if read_only and not self.path.exists():
            raise StoreError(f"There is no database at {self.path}; run `indicators init` "
                             "first.")
        if not read_only:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            if not read_only:
                self.migrate()
            self._check_readable()
        except duckdb.Error as exc:
            raise _damaged(self.path, exc) from exc

    @property
    def location(self) -> str:
        return str(self.path)

    def _exists(self) -> bool:
        return self.path.exists()

    @property
    def lock_path(self) -> Path:
        return self.path.with_name(self.path.name + ".lock")

    def change_marker(self) -> object | None:
        """Size and modification time of the file and its write-ahead log."""
        marks = []
        for path in (self.path, self.path.with_name(self.path.name + ".wal")):
            try:
                stat = path.stat()
            except OSError:
                marks.append(None)
            else:
                marks.append((stat.st_ino, stat.st_size, stat.st_mtime_ns))
        return tuple(marks)

    # -- connections ---------------------------------------------------------------------------
    def _connect(self, *, write: bool) -> duckdb.DuckDBPyConnection:
        """Open the file, waiting while another process has it (up to LOCK_WAIT_SECONDS)."""
        deadline = time.monotonic() + wait_seconds()
        pause = RETRY_PAUSE_SECONDS
        while True:
            try:
                return duckdb.connect(str(self.path), read_only=not write)
            except duckdb.Error as exc:
                if not _is_lock_conflict(exc):
                    raise _damaged(self.path, exc) from exc
                if time.monotonic() >= deadline:
                    raise StoreBusy(
                        f"The database file {self.path} stayed busy for "
                        f"{wait_seconds():.0f} s: another process (the dashboard, an import "
                        "or a backup) is writing to it. Nothing was changed; try again in a "
                        "moment."
                    ) from exc
                time.sleep(pause)
                pause = min(pause * 2, 0.5)

    @contextmanager
    def _file_write_lock(self) -> Iterator[None]:
        with writers_lock(self.path):
            yield

    @contextmanager
    def _session(self, *, write: bool) -> Iterator[_DuckSession]:
        if write:
            self._check_writable()
        with _process_lock(self.path):
            if not write:
                conn = self._connect(write=False)
                try:
                    yield _DuckSession(conn)
                finally:
                    conn.close()
                return
            with self._file_write_lock():
                conn = self._connect(write=True)
                try:
                    conn.execute("BEGIN TRANSACTION")
                    try:
                        yield _DuckSession(conn)
                    except BaseException as exc:
                        with suppress(duckdb.Error):
                            conn.execute("ROLLBACK")
                        if isinstance(exc, duckdb.IOException | duckdb.FatalException):
                            raise _write_failed(self.path, exc) from exc
                        raise
                    try:
                        conn.execute("COMMIT")
                    except duckdb.Error as exc:  # e.g. the disk is full: DuckDB rolls back
                        with suppress(duckdb.Error):
                            conn.execute("ROLLBACK")
                        raise _write_failed(self.path, exc) from exc
                finally:
                    conn.close()

    def _check_readable(self) -> None:
        """Read every block of every table once: a truncated file opens but fails here, at
        open time, instead of on some later page."""
        with self._reading() as session:
            version = _schema_version(session)
            if version < LATEST_SCHEMA_VERSION and self.read_only:
                raise schema_too_old(f"The database file {self.path}", version)
            for name in session.tables():
                session.one(f'SELECT count(*), bit_xor(hash(t)) FROM "{name}" t')

    # -- restore -------------------------------------------------------------------------------
    def replace_all(self, tables: dict[str, pl.DataFrame],
                    expected: dict[str, str] | None = None) -> dict[str, str]:
        return replace_file(self.path, tables, expected)


@contextmanager
def writers_lock(path: Path) -> Iterator[None]:
    """The writers' turn on one file across processes: an advisory lock on ``NAME.lock``
    (held by every write, and by a restore while it swaps the file)."""
    deadline = time.monotonic() + wait_seconds()
    lock_path = path.with_name(path.name + ".lock")
    with open(lock_path, "a+b") as handle:
        while True:
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise StoreBusy(
                        f"Another process has been writing to {path} for "
                        f"{wait_seconds():.0f} s. Nothing was changed; try again in a "
                        "moment.") from None
                time.sleep(RETRY_PAUSE_SECONDS)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def replace_file(path: Path, tables: dict[str, pl.DataFrame],
                 expected: dict[str, str] | None = None) -> dict[str, str]:
    """Replace the database file at ``path`` with one built from ``tables``.

    The new file is built beside the old one and checked against ``expected`` (RestoreMismatch
    changes nothing), then swapped in by one atomic rename while the writers' lock is held. The
    old file is kept as ``NAME.before-restore``; it may be damaged, which is often why one
    restores. Readers that open the file after the rename see the new database.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fresh = path.with_name(f".{path.name}.restore-{uuid.uuid4().hex[:8]}")
    try:
        restored = build_from_tables(fresh, tables)
        if expected is not None and restored != expected:
            raise RestoreMismatch(restored, expected)
        with _process_lock(path), writers_lock(path):
            wal = path.with_name(path.name + ".wal")
            if path.exists():
                _merge_wal(path)
                kept = path.with_name(path.name + ".before-restore")
                kept.unlink(missing_ok=True)
                try:
                    os.link(path, kept)  # the old file stays; the rename below is atomic
                except OSError:  # a filesystem without hard links
                    shutil.copy2(path, kept)
            if wal.exists():  # a log the old file could not take back: kept beside it
                wal.replace(path.with_name(path.name + ".before-restore.wal"))
            fresh.replace(path)
    finally:
        for suffix in ("", ".wal", ".lock"):
            fresh.with_name(fresh.name + suffix).unlink(missing_ok=True)
    return restored


def _merge_wal(path: Path) -> None:
    """Fold the write-ahead log into the file, so the file alone is the database (a damaged
    file is left as it is)."""
    deadline = time.monotonic() + wait_seconds()
    while True:
        try:
            conn = duckdb.connect(str(path))
        except duckdb.Error as exc:
            if _is_lock_conflict(exc) and time.monotonic() < deadline:
                time.sleep(RETRY_PAUSE_SECONDS)
                continue
            if _is_lock_conflict(exc):
                raise StoreBusy(f"The database file {path} stayed busy; nothing was restored. "
                                "Try again in a moment.") from exc
            return
        try:
            conn.execute("CHECKPOINT")
        except duckdb.Error:
            pass
        finally:
            conn.close()
        return


def build_from_tables(path: Path, tables: dict[str, pl.DataFrame]) -> dict[str, str]:
    """A new database file at ``path`` holding exactly ``tables`` (a backup's content), at the
    backup's schema version, then upgraded to the latest. Returns the content checksums taken
    before any upgrade, to compare with the backup's manifest."""
    if path.exists():
        raise StoreError(f"{path} already exists; a restore writes a new file.")
    backup_version = backup_schema_version(tables)
    conn = duckdb.connect(str(path))
    try:
        conn.execute("BEGIN TRANSACTION")
        conn.execute(f"CREATE TABLE {SCHEMA_VERSION_TABLE} (version INTEGER PRIMARY KEY, "
                     "description VARCHAR, applied_at TIMESTAMP)")
        for migration in MIGRATIONS:
            if migration.version <= backup_version:
                for statement in migration.statements("duckdb"):
                    conn.execute(statement)
        session = _DuckSession(conn)
        for name, frame in tables.items():
            if name == DATA_VERSION_TABLE:
                continue
            columns = ", ".join(f'"{c}"' for c in frame.columns)
            session.put("restored_rows", frame)
            conn.execute(f'INSERT INTO "{name}" ({columns}) SELECT {columns} FROM restored_rows')
            session.drop("restored_rows")
        if backup_version >= 2:
            conn.execute(f"INSERT INTO {DATA_VERSION_TABLE} VALUES (1, 0, ?, ?)",
                         [uuid.uuid4().hex, now()])
        conn.execute("COMMIT")
        checksums = {name: content_checksum(session.frame(f'SELECT * FROM "{name}"'))
                     for name in sorted(session.tables()) if name != DATA_VERSION_TABLE}
    finally:
        conn.close()
    DuckDBStore(path).close()  # the later migrations, if the backup is older; checks it reads
    return checksums


def _damaged(path: Path, exc: BaseException) -> StoreError:
    return StoreError(
        f"The database file {path} is damaged or not a database ({first_line(exc)}). Rebuild "
        "it with `indicators init --rebuild` or restore a backup with `indicators restore DIR`."
    )


def _write_failed(path: Path, exc: BaseException) -> StoreError:
    return StoreError(
        f"The database file {path} could not be written ({first_line(exc)}). The change was "
        "not saved and the database is as it was. Check that the disk has free space and the "
        "file is writable, then try again."
    )


# -- backups of the earlier format (DuckDB's EXPORT DATABASE), read back for restores ------------
def read_legacy_backup(directory: Path) -> tuple[dict[str, pl.DataFrame], dict[str, str]]:
    """The tables of a format-1 backup (DuckDB EXPORT DATABASE) and their format-1 checksums
    (DuckDB's row hash), read through a temporary in-memory database."""
    conn = duckdb.connect(":memory:")
    try:
        conn.execute("IMPORT DATABASE " + "'" + str(directory).replace("'", "''") + "'")
        names = [r[0] for r in conn.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' "
            "AND table_type = 'BASE TABLE' ORDER BY table_name").fetchall()]
        legacy = {}
        frames = {}
        for name in names:
            count, hashed = conn.execute(
                f'SELECT count(*), coalesce(bit_xor(hash(t)), 0) FROM "{name}" t').fetchall()[0]
            legacy[name] = f"{count}:{hashed}"
            frames[name] = _polars(conn.sql(f'SELECT * FROM "{name}"'))
        return frames, legacy
    finally:
        conn.close()
