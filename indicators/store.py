"""The DuckDB store: migrations, batches, observations, history and rollback.

The only module that speaks SQL. One connection per process, a cursor per call (DuckDB cursors
are per-thread connections to the same database), every query parameterised. A figure is never
deleted: a newer batch supersedes it, and rolling that batch back brings the older one back.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

import duckdb
import polars as pl

from indicators.columns import LONG_COLUMNS

SCHEMA_VERSION_TABLE = "schema_version"

# Ordered migrations. Append, never edit a released one: existing files are upgraded in order.
MIGRATIONS: list[tuple[int, str, list[str]]] = [
    (
        1,
        "countries, sources, batches, observations, measures",
        [
            """CREATE TABLE countries (
                iso3 VARCHAR PRIMARY KEY,
                name VARCHAR NOT NULL,
                region VARCHAR,
                subregion VARCHAR,
                aliases VARCHAR[]
            )""",
            """CREATE TABLE sources (
                id VARCHAR PRIMARY KEY,
                publisher VARCHAR NOT NULL,
                title VARCHAR NOT NULL,
                edition VARCHAR,
                url VARCHAR,
                licence VARCHAR,
                retrieved VARCHAR,
                sha256 VARCHAR,
                citation VARCHAR
            )""",
            "CREATE SEQUENCE batch_id_seq START 1",
            """CREATE TABLE batches (
                id INTEGER PRIMARY KEY DEFAULT nextval('batch_id_seq'),
                kind VARCHAR NOT NULL,
                file_name VARCHAR,
                sha256 VARCHAR,
                contributor VARCHAR,
                organisation VARCHAR,
                created_at TIMESTAMP NOT NULL,
                rows_in_file INTEGER,
                rows_new INTEGER,
                rows_changed INTEGER,
                rows_unchanged INTEGER,
                status VARCHAR NOT NULL,
                rolls_back INTEGER,
                note VARCHAR
            )""",
            """CREATE TABLE observations (
                batch_id INTEGER NOT NULL,
                iso3 VARCHAR NOT NULL,
                year INTEGER NOT NULL,
                measure VARCHAR NOT NULL,
                value DOUBLE,
                value_status VARCHAR NOT NULL,
                lower DOUBLE,
                upper DOUBLE,
                source_id VARCHAR NOT NULL,
                note VARCHAR,
                PRIMARY KEY (batch_id, iso3, year, measure)
            )""",
            """CREATE TABLE measures (
                name VARCHAR PRIMARY KEY,
                label VARCHAR NOT NULL,
                unit VARCHAR NOT NULL,
                definition VARCHAR NOT NULL,
                used_by VARCHAR[]
            )""",
            """CREATE VIEW current_observations AS
                SELECT o.* FROM observations o
                JOIN batches b ON b.id = o.batch_id
                WHERE b.status = 'committed'
                QUALIFY row_number() OVER (
                    PARTITION BY o.iso3, o.year, o.measure ORDER BY o.batch_id DESC) = 1""",
        ],
    ),
    (
        2,
        "current figures leave out figures a later release withdrew",
        [
            # A publisher's new release that no longer has a figure writes a 'withdrawn' row
            # (no value) for it: the latest row decides, and a withdrawn one is not current.
            """CREATE OR REPLACE VIEW current_observations AS
                SELECT * FROM (
                    SELECT o.* FROM observations o
                    JOIN batches b ON b.id = o.batch_id
                    WHERE b.status = 'committed'
                    QUALIFY row_number() OVER (
                        PARTITION BY o.iso3, o.year, o.measure ORDER BY o.batch_id DESC) = 1
                ) latest
                WHERE latest.value_status <> 'withdrawn'""",
        ],
    ),
]

LATEST_SCHEMA_VERSION = MIGRATIONS[-1][0]


class StoreError(Exception):
    """The database cannot be used as it is; the message says what to do."""


@dataclass(frozen=True)
class Source:
    id: str
    publisher: str
    title: str
    edition: str | None = None
    url: str | None = None
    licence: str | None = None
    retrieved: str | None = None
    sha256: str | None = None
    citation: str | None = None


@dataclass(frozen=True)
class BatchMeta:
    kind: str  # bundled / cli / upload / rollback
    file_name: str | None
    sha256: str | None
    contributor: str | None = None
    organisation: str | None = None
    rows_in_file: int | None = None
    note: str | None = None


def file_sha256(path: str | Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


class Store:
    """One DuckDB database file."""

    def __init__(self, path: str | Path, *, read_only: bool = False,
                 snapshot_to: str | Path | None = None) -> None:
        self.path = Path(path)
        self.read_only = read_only
        # The writer of a multi-replica deployment publishes a copy here after every change
        # (docs/deploy.md); viewer replicas open that copy read-only.
        self.snapshot_to = Path(snapshot_to) if snapshot_to else None
        self._write_lock = threading.Lock()
        if not read_only:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self._conn = duckdb.connect(str(self.path), read_only=read_only)
        except duckdb.Error as exc:
            if "lock" in str(exc).lower():
                raise StoreError(
                    f"The database file {self.path} is in use by another process (the "
                    "dashboard or another command); DuckDB lets one process write a file. Stop "
                    f"it, or read a published snapshot instead ({_first_line(exc)})."
                ) from exc
            raise StoreError(
                f"The database file {self.path} could not be opened ({_first_line(exc)}). "
                "If it is damaged, rebuild it from the bundled data with "
                "`indicators init --rebuild`, or restore a backup with `indicators restore DIR`."
            ) from exc
        try:
            if not read_only:
                self.migrate()
            self._check_readable()
        except BaseException as exc:
            self._conn.close()  # a damaged file must not stay locked by this process
            if isinstance(exc, duckdb.Error):
                raise StoreError(
                    f"The database file {self.path} is damaged ({_first_line(exc)}). Rebuild it "
                    "with `indicators init --rebuild` or restore a backup with "
                    "`indicators restore DIR`."
                ) from exc
            raise

    # -- connection ---------------------------------------------------------------------------
    def cursor(self) -> duckdb.DuckDBPyConnection:
        """A cursor for the calling thread."""
        return self._conn.cursor()

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """One write transaction: everything in it lands, or nothing does."""
        if self.read_only:
            raise StoreError("This database is open read-only; writes go through the writer.")
        with self._write_lock:
            cur = self.cursor()
            cur.execute("BEGIN TRANSACTION")
            try:
                try:
                    yield cur
                except BaseException as exc:
                    cur.execute("ROLLBACK")
                    if isinstance(exc, duckdb.IOException | duckdb.FatalException):
                        raise _write_failed(self.path, exc) from exc
                    raise
                try:
                    cur.execute("COMMIT")
                except duckdb.Error as exc:  # e.g. the disk is full: DuckDB rolls back
                    with suppress(duckdb.Error):
                        cur.execute("ROLLBACK")
                    raise _write_failed(self.path, exc) from exc
            finally:
                cur.close()
            if self.snapshot_to is not None:
                self._publish(self.snapshot_to)

    def publish_snapshot(self, destination: str | Path) -> Path:
        """A consistent copy of the database at `destination`, replaced atomically, for viewer
        replicas to open read-only."""
        with self._write_lock:
            return self._publish(Path(destination))

    def _publish(self, destination: Path) -> Path:
        destination.parent.mkdir(parents=True, exist_ok=True)
        self.cursor().execute("CHECKPOINT")  # everything in the main file, the log empty
        partial = destination.with_name(f".{destination.name}.partial")
        shutil.copyfile(self.path, partial)
        os.replace(partial, destination)
        return destination

    def _check_readable(self) -> None:
        try:
            version = self.schema_version()
            # Reads every block of every table: a truncated file opens but fails here, at open
            # time, instead of on some later page.
            self.table_checksums()
        except duckdb.Error as exc:
            raise StoreError(
                f"The database file {self.path} is not readable ({_first_line(exc)}). Rebuild it "
                "with `indicators init --rebuild` or restore a backup with `indicators restore`."
            ) from exc
        if version < LATEST_SCHEMA_VERSION and self.read_only:
            raise StoreError(
                f"The database file {self.path} is at schema version {version}; run "
                "`indicators init` to upgrade it."
            )

    # -- migrations ---------------------------------------------------------------------------
    def schema_version(self) -> int:
        cur = self.cursor()
        exists = cur.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_name = ?",
            [SCHEMA_VERSION_TABLE],
        ).fetchone()
        if not exists or not exists[0]:
            return 0
        row = cur.execute(f"SELECT max(version) FROM {SCHEMA_VERSION_TABLE}").fetchone()
        return int(row[0]) if row and row[0] is not None else 0

    def migrate(self) -> int:
        """Apply every migration the file has not seen yet, each in its own transaction."""
        with self._write_lock:
            cur = self.cursor()
            cur.execute(
                f"CREATE TABLE IF NOT EXISTS {SCHEMA_VERSION_TABLE} ("
                "version INTEGER PRIMARY KEY, description VARCHAR, applied_at TIMESTAMP)"
            )
            current = self.schema_version()
            for version, description, statements in MIGRATIONS:
                if version <= current:
                    continue
                cur.execute("BEGIN TRANSACTION")
                try:
                    for statement in statements:
                        cur.execute(statement)
                    cur.execute(
                        f"INSERT INTO {SCHEMA_VERSION_TABLE} VALUES (?, ?, ?)",
                        [version, description, _now()],
                    )
                except BaseException:
                    cur.execute("ROLLBACK")
                    raise
                cur.execute("COMMIT")
            return self.schema_version()

    # -- reference tables ---------------------------------------------------------------------
    def upsert_countries(self, countries: pl.DataFrame) -> None:
        """Countries with iso3, name, region, subregion and an aliases list column."""
        frame = countries.select("iso3", "name", "region", "subregion", "aliases")
        with self.transaction() as cur:
            cur.register("incoming_countries", frame)
            cur.execute(
                "INSERT OR REPLACE INTO countries "
                "SELECT iso3, name, region, subregion, aliases FROM incoming_countries"
            )
            cur.unregister("incoming_countries")

    def upsert_measures(self, measures: pl.DataFrame) -> None:
        with self.transaction() as cur:
            cur.register("incoming_measures", measures)
            cur.execute(
                "INSERT OR REPLACE INTO measures "
                "SELECT name, label, unit, definition, used_by FROM incoming_measures"
            )
            cur.unregister("incoming_measures")

    def countries(self) -> pl.DataFrame:
        return _frame(self.cursor(), (
            "SELECT iso3, name, region, subregion, aliases FROM countries ORDER BY iso3"
        ))

    def country_aliases(self) -> dict[str, str]:
        """Normalised alias → ISO3, from every spelling the store has seen."""
        rows = self.cursor().execute(
            "SELECT lower(trim(alias)), iso3 FROM countries, unnest(aliases) AS a(alias)"
        ).fetchall()
        return {alias: iso3 for alias, iso3 in rows}

    def sources(self) -> pl.DataFrame:
        return _frame(self.cursor(), ("SELECT * FROM sources ORDER BY id"))

    def measures(self) -> pl.DataFrame:
        return _frame(self.cursor(), ("SELECT * FROM measures ORDER BY name"))

    # -- reading figures ----------------------------------------------------------------------
    def observations(self, *, history: bool = False) -> pl.DataFrame:
        """Current figures (one per country, year and measure) with their source, or all."""
        relation = "observations" if history else "current_observations"
        return _frame(self.cursor(), (
            f"""SELECT o.iso3, o.year, o.measure, o.value, o.value_status, o.lower, o.upper,
                       o.source_id, o.batch_id, o.note,
                       s.publisher AS source_publisher, s.title AS source_title,
                       s.edition AS source_edition, s.citation AS source_citation
                FROM {relation} o LEFT JOIN sources s ON s.id = o.source_id
                ORDER BY o.iso3, o.measure, o.year, o.batch_id"""
        ))

    def data_version(self) -> tuple[int, int]:
        """Changes whenever the current figures can have changed: (batches, last batch id).

        Caches of computed indicators are keyed on it.
        """
        row = self.cursor().execute("SELECT count(*), coalesce(max(id), 0) FROM batches").fetchone()
        return (int(row[0]), int(row[1])) if row else (0, 0)

    def observation_count(self) -> int:
        row = self.cursor().execute("SELECT count(*) FROM current_observations").fetchone()
        return int(row[0]) if row else 0

    def figure_history(self, iso3: str, year: int, measure: str) -> pl.DataFrame:
        """Every value one figure has had, newest batch first, with each batch's status."""
        return _frame(self.cursor(), (
            """SELECT o.batch_id, b.kind, b.status, b.created_at, b.organisation, o.value,
                      o.value_status, o.lower, o.upper, o.source_id
               FROM observations o JOIN batches b ON b.id = o.batch_id
               WHERE o.iso3 = ? AND o.year = ? AND o.measure = ?
               ORDER BY o.batch_id DESC""",
            [iso3, year, measure],
        ))

    # -- batches ------------------------------------------------------------------------------
    def find_committed_batch(self, sha256: str) -> dict[str, object] | None:
        """The committed batch that imported this exact file, if any."""
        cur = self.cursor()
        row = cur.execute(
            "SELECT id, kind, file_name, created_at, organisation FROM batches "
            "WHERE sha256 = ? AND status = 'committed' ORDER BY id DESC LIMIT 1",
            [sha256],
        ).fetchone()
        if row is None:
            return None
        keys = ("id", "kind", "file_name", "created_at", "organisation")
        return dict(zip(keys, row, strict=True))

    def diff(self, incoming: pl.DataFrame) -> pl.DataFrame:
        """Each incoming figure marked new, changed or unchanged against the current store.

        Returns the incoming long columns plus old_value, old_value_status, old_lower,
        old_upper, old_source_id and change.
        """
        frame = incoming.select(list(LONG_COLUMNS))
        cur = self.cursor()
        cur.register("incoming_figures", frame)
        try:
            result = _frame(cur, (
                """SELECT i.*, c.value AS old_value, c.value_status AS old_value_status,
                          c.lower AS old_lower, c.upper AS old_upper,
                          c.source_id AS old_source_id,
                          CASE
                            WHEN c.iso3 IS NULL THEN 'new'
                            WHEN i.value IS NOT DISTINCT FROM c.value
                             AND i.value_status = c.value_status
                             AND i.lower IS NOT DISTINCT FROM c.lower
                             AND i.upper IS NOT DISTINCT FROM c.upper THEN 'unchanged'
                            ELSE 'changed'
                          END AS change
                   FROM incoming_figures i
                   LEFT JOIN current_observations c
                     ON c.iso3 = i.iso3 AND c.year = i.year AND c.measure = i.measure"""
            ))
        finally:
            cur.unregister("incoming_figures")
        return result

    def commit_batch(
        self,
        meta: BatchMeta,
        figures: pl.DataFrame,
        sources: list[Source],
        *,
        keep_unchanged: bool = False,
    ) -> int:
        """Write one batch in one transaction and return its id.

        Only new and changed figures are stored (unchanged ones keep their original source)
        unless `keep_unchanged`. The diff is taken inside the transaction, so a concurrent
        writer cannot slip between the preview and the commit.
        """
        frame = figures.select(list(LONG_COLUMNS))
        with self.transaction() as cur:
            for source in sources:
                cur.execute(
                    "INSERT OR REPLACE INTO sources VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [
                        source.id,
                        source.publisher,
                        source.title,
                        source.edition,
                        source.url,
                        source.licence,
                        source.retrieved,
                        source.sha256,
                        source.citation,
                    ],
                )
            cur.register("incoming_figures", frame)
            counts = cur.execute(
                """SELECT
                     count(*) FILTER (WHERE c.iso3 IS NULL),
                     count(*) FILTER (WHERE c.iso3 IS NOT NULL AND NOT (
                        i.value IS NOT DISTINCT FROM c.value
                        AND i.value_status = c.value_status
                        AND i.lower IS NOT DISTINCT FROM c.lower
                        AND i.upper IS NOT DISTINCT FROM c.upper))
                   FROM incoming_figures i LEFT JOIN current_observations c
                     ON c.iso3 = i.iso3 AND c.year = i.year AND c.measure = i.measure"""
            ).fetchone()
            rows_new, rows_changed = (int(counts[0]), int(counts[1])) if counts else (0, 0)
            rows_unchanged = frame.height - rows_new - rows_changed
            batch_row = cur.execute(
                """INSERT INTO batches (kind, file_name, sha256, contributor, organisation,
                       created_at, rows_in_file, rows_new, rows_changed, rows_unchanged, status,
                       note)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'committed', ?) RETURNING id""",
                [
                    meta.kind,
                    meta.file_name,
                    meta.sha256,
                    meta.contributor,
                    meta.organisation,
                    _now(),
                    meta.rows_in_file if meta.rows_in_file is not None else frame.height,
                    rows_new,
                    rows_changed,
                    rows_unchanged,
                    meta.note,
                ],
            ).fetchone()
            assert batch_row is not None
            batch_id = int(batch_row[0])
            only_differences = "" if keep_unchanged else (
                """WHERE NOT EXISTS (
                       SELECT 1 FROM current_observations c
                       WHERE c.iso3 = i.iso3 AND c.year = i.year AND c.measure = i.measure
                         AND c.batch_id <> ?
                         AND i.value IS NOT DISTINCT FROM c.value
                         AND i.value_status = c.value_status
                         AND i.lower IS NOT DISTINCT FROM c.lower
                         AND i.upper IS NOT DISTINCT FROM c.upper)"""
            )
            params = [batch_id] if keep_unchanged else [batch_id, batch_id]
            cur.execute(
                f"""INSERT INTO observations
                    SELECT ?, i.iso3, i.year, i.measure, i.value, i.value_status, i.lower,
                           i.upper, i.source_id, i.note
                    FROM incoming_figures i {only_differences}""",
                params,
            )
            cur.unregister("incoming_figures")
        return batch_id

    def batches(self) -> pl.DataFrame:
        return _frame(self.cursor(), ("SELECT * FROM batches ORDER BY id DESC"))

    def batch(self, batch_id: int) -> dict[str, object] | None:
        cur = self.cursor()
        cur.execute("SELECT * FROM batches WHERE id = ?", [batch_id])
        row = cur.fetchone()
        if row is None:
            return None
        names = [d[0] for d in cur.description or []]
        return dict(zip(names, row, strict=True))

    def batch_diff(self, batch_id: int) -> pl.DataFrame:
        """What a batch changed: each figure it wrote and the value it superseded."""
        return _frame(self.cursor(), (
            """SELECT o.iso3, o.year, o.measure,
                      prev.value AS old_value, prev.value_status AS old_value_status,
                      o.value AS new_value, o.value_status AS new_value_status,
                      o.lower, o.upper, o.source_id,
                      CASE WHEN prev.iso3 IS NULL THEN 'new' ELSE 'changed' END AS change
               FROM observations o
               LEFT JOIN LATERAL (
                   SELECT p.* FROM observations p JOIN batches pb ON pb.id = p.batch_id
                   WHERE p.iso3 = o.iso3 AND p.year = o.year AND p.measure = o.measure
                     AND p.batch_id < o.batch_id AND pb.status = 'committed'
                   ORDER BY p.batch_id DESC LIMIT 1) prev ON TRUE
               WHERE o.batch_id = ?
               ORDER BY o.iso3, o.measure, o.year""",
            [batch_id],
        ))

    def rollback(self, batch_id: int, *, contributor: str | None = None,
                 organisation: str | None = None) -> int:
        """Withdraw a batch: its figures stop being current and the ones it superseded return.

        Nothing is deleted; the rollback is itself a batch. Returns the rollback batch's id.
        """
        with self.transaction() as cur:
            row = cur.execute(
                "SELECT kind, status FROM batches WHERE id = ?", [batch_id]
            ).fetchone()
            if row is None:
                raise StoreError(f"There is no batch {batch_id}. `indicators history` lists them.")
            kind, status = row
            if kind == "rollback":
                raise StoreError(
                    f"Batch {batch_id} is itself a rollback; import the figures again instead."
                )
            if status != "committed":
                raise StoreError(f"Batch {batch_id} is already {status.replace('_', ' ')}.")
            changed = cur.execute(
                "SELECT count(*) FROM observations WHERE batch_id = ?", [batch_id]
            ).fetchone()
            cur.execute("UPDATE batches SET status = 'rolled_back' WHERE id = ?", [batch_id])
            new_row = cur.execute(
                """INSERT INTO batches (kind, file_name, sha256, contributor, organisation,
                       created_at, rows_in_file, rows_new, rows_changed, rows_unchanged, status,
                       rolls_back, note)
                   VALUES ('rollback', NULL, NULL, ?, ?, ?, 0, 0, ?, 0, 'committed', ?, ?)
                   RETURNING id""",
                [
                    contributor,
                    organisation,
                    _now(),
                    int(changed[0]) if changed else 0,
                    batch_id,
                    f"Rolled back batch {batch_id}",
                ],
            ).fetchone()
            assert new_row is not None
            return int(new_row[0])

    # -- backups ------------------------------------------------------------------------------
    def export_database(self, directory: Path) -> None:
        """Every table as Parquet plus schema.sql/load.sql (DuckDB EXPORT DATABASE)."""
        self.cursor().execute(
            f"EXPORT DATABASE {_sql_text(directory)} (FORMAT parquet, COMPRESSION zstd)"
        )

    # -- integrity ----------------------------------------------------------------------------
    def table_checksums(self) -> dict[str, str]:
        """A checksum of every table's content, independent of row order."""
        return _table_checksums(self.cursor())


def _table_checksums(cur: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """One body for Store.table_checksums and import_database."""
    tables = [
        r[0]
        for r in cur.execute(
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_schema = 'main' AND table_type = 'BASE TABLE' ORDER BY table_name"
        ).fetchall()
    ]
    checksums = {}
    for table in tables:
        row = cur.execute(
            f'SELECT count(*), coalesce(bit_xor(hash(t)), 0) FROM "{table}" t'
        ).fetchone()
        checksums[table] = f"{row[0]}:{row[1]}" if row else "0:0"
    return checksums


def import_database(path: Path, directory: Path) -> dict[str, str]:
    """A new database file at `path` from a DuckDB EXPORT DATABASE directory (a backup).

    Returns the imported tables' checksums, taken before any migration could touch them.
    """
    if path.exists():
        raise StoreError(f"{path} already exists; restore writes a new file.")
    conn = duckdb.connect(str(path))
    try:
        conn.execute(f"IMPORT DATABASE {_sql_text(directory)}")
        conn.execute("CHECKPOINT")
        return _table_checksums(conn)
    finally:
        conn.close()


def release_for_swap(path: Path) -> None:
    """Make sure no process holds `path` and its write-ahead log is merged, so the file can be
    replaced; raise StoreError when another process has it open."""
    if not path.exists():
        return
    try:
        conn = duckdb.connect(str(path))
    except duckdb.Error as exc:
        if "lock" in str(exc).lower():
            raise StoreError(
                f"The database {path} is open in another process (the dashboard or another "
                "command). Stop it first; nothing was changed."
            ) from exc
        return  # a damaged file: nothing to merge, it is replaced as it is
    try:
        conn.execute("CHECKPOINT")
    except duckdb.Error:
        pass
    finally:
        conn.close()


def _write_failed(path: Path, exc: BaseException) -> StoreError:
    return StoreError(
        f"The database file {path} could not be written ({_first_line(exc)}). The change was "
        "not saved and the database is as it was. Check that the disk has free space and the "
        "file is writable, then try again."
    )


def _sql_text(value: object) -> str:
    """A path as an SQL string literal, for the statements that take no parameters (EXPORT and
    IMPORT DATABASE); quotes are doubled so the text cannot end the literal."""
    return "'" + str(value).replace("'", "''") + "'"


def _frame(
    cursor: duckdb.DuckDBPyConnection, query: tuple[str, list[object]] | str
) -> pl.DataFrame:
    """A read query's result as a polars frame (types kept when empty)."""
    sql, params = (query, None) if isinstance(query, str) else query
    return cursor.sql(sql, params=params).pl()


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)


def _first_line(exc: BaseException) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
