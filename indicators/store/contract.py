"""What every store does, written once: the schema, the queries and the rules of the house.

A figure is never deleted: a newer batch supersedes it, and rolling that batch back brings the
older one back. Every write is one transaction that first takes the writer's turn (the
data-version row), so writers queue, batch ids follow commit order, and readers see all of a
batch or none of it. The statements here are the dialect DuckDB and PostgreSQL share; a backend
supplies a ``Session`` (one connection, inside a transaction when it writes) and the few
statements that differ (``Migration.duckdb`` / ``Migration.postgresql``).
"""

from __future__ import annotations

import contextvars
import datetime as dt
import hashlib
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import polars as pl

from indicators.columns import LONG_COLUMNS
from indicators.settings import lock_wait_seconds

SCHEMA_VERSION_TABLE = "schema_version"
# Bookkeeping, not content: left out of the table checksums (it changes on every write and is
# given a new generation by a restore).
DATA_VERSION_TABLE = "data_version"
WITHDRAWN = "withdrawn"  # a figure a newer release no longer publishes (a tombstone row)


_PATIENCE: contextvars.ContextVar[float | None] = contextvars.ContextVar("patience",
                                                                      default=None)


def wait_seconds() -> float:
    """How long this call waits for a busy database: ``patience`` if set, else the setting."""
    override = _PATIENCE.get()
    return lock_wait_seconds() if override is None else override


@contextmanager
def patience(seconds: float) -> Iterator[None]:
    """Wait at most ``seconds`` for a busy database in this block (this thread only): a page
    checking for new figures would rather show what it has than wait."""
    token = _PATIENCE.set(seconds)
    try:
        yield
    finally:
        _PATIENCE.reset(token)


class StoreError(Exception):
    """The database cannot be used as asked; the message says what to do."""


class StoreBusy(StoreError):
    """Another process held the database for longer than the store waits."""


class StoreUnavailable(StoreError):
    """The database server cannot be reached (stopped, restarting, or the network is down)."""


class RestoreMismatch(StoreError):
    """The restored tables do not match the backup's checksums; nothing was replaced."""

    def __init__(self, restored: dict[str, str], expected: dict[str, str]) -> None:
        self.differing = sorted(k for k in set(expected) | set(restored)
                                if restored.get(k) != expected.get(k))
        super().__init__(
            "The restored tables do not match the backup's checksums "
            f"({', '.join(self.differing)}). Nothing was restored; the database is unchanged. "
            "Use another backup.")


class AlreadyCommitted(StoreError):
    """This exact file was already imported; ``batch`` describes the batch that did it."""

    def __init__(self, message: str, batch: dict[str, object]) -> None:
        super().__init__(message)
        self.batch = batch


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
    kind: str  # bundled / release / cli / upload / rollback
    file_name: str | None
    sha256: str | None
    contributor: str | None = None
    organisation: str | None = None
    rows_in_file: int | None = None
    note: str | None = None


@dataclass(frozen=True, order=True)
class DataVersion:
    """Changes with every write. Caches of computed indicators are keyed on it; a restore gives
    the database a new generation, so no cache can mistake restored figures for old ones."""

    generation: str
    number: int

    def __str__(self) -> str:
        return f"{self.number} ({self.generation[:8]})"


@dataclass(frozen=True)
class Snapshot:
    """Everything the dashboard reads, taken in one consistent read."""

    version: DataVersion
    observations: pl.DataFrame
    countries: pl.DataFrame
    sources: pl.DataFrame


def file_sha256(path: str | Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


# -- the schema ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Migration:
    """One step of the schema, in both dialects. Append, never edit a released one."""

    version: int
    description: str
    duckdb: tuple[str, ...]
    postgresql: tuple[str, ...]
    additive: bool = True  # only adds tables, columns or views: a backup from before restores
    seed: Callable[[Session], None] | None = None  # rows the new tables start with

    def statements(self, dialect: str) -> tuple[str, ...]:
        return self.duckdb if dialect == "duckdb" else self.postgresql


_CURRENT_DUCKDB_V2 = """CREATE OR REPLACE VIEW current_observations AS
    SELECT * FROM (
        SELECT o.* FROM observations o
        JOIN batches b ON b.id = o.batch_id
        WHERE b.status = 'committed'
        QUALIFY row_number() OVER (
            PARTITION BY o.iso3, o.year, o.measure ORDER BY o.batch_id DESC) = 1
    ) latest WHERE value_status <> 'withdrawn'"""

_CURRENT_POSTGRESQL_V2 = """CREATE OR REPLACE VIEW current_observations AS
    SELECT * FROM (
        SELECT DISTINCT ON (o.iso3, o.year, o.measure) o.* FROM observations o
        JOIN batches b ON b.id = o.batch_id
        WHERE b.status = 'committed'
        ORDER BY o.iso3, o.year, o.measure, o.batch_id DESC
    ) latest WHERE value_status <> 'withdrawn'"""

_V2_TABLES = (
    """CREATE TABLE data_version (
        id INTEGER PRIMARY KEY,
        number BIGINT NOT NULL,
        generation VARCHAR NOT NULL,
        changed_at TIMESTAMP NOT NULL
    )""",
    """CREATE TABLE contributor_tokens (
        organisation VARCHAR PRIMARY KEY,
        digest VARCHAR NOT NULL,
        created_at TIMESTAMP NOT NULL
    )""",
)

MIGRATIONS: list[Migration] = [
    Migration(
        1,
        "countries, sources, batches, observations, measures",
        duckdb=(
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
        ),
        postgresql=(
            """CREATE TABLE countries (
                iso3 TEXT PRIMARY KEY,
                name TEXT NOT NULL,
                region TEXT,
                subregion TEXT,
                aliases TEXT[]
            )""",
            """CREATE TABLE sources (
                id TEXT PRIMARY KEY,
                publisher TEXT NOT NULL,
                title TEXT NOT NULL,
                edition TEXT,
                url TEXT,
                licence TEXT,
                retrieved TEXT,
                sha256 TEXT,
                citation TEXT
            )""",
            "CREATE SEQUENCE batch_id_seq START 1",
            """CREATE TABLE batches (
                id INTEGER PRIMARY KEY DEFAULT nextval('batch_id_seq'),
                kind TEXT NOT NULL,
                file_name TEXT,
                sha256 TEXT,
                contributor TEXT,
                organisation TEXT,
                created_at TIMESTAMP NOT NULL,
                rows_in_file INTEGER,
                rows_new INTEGER,
                rows_changed INTEGER,
                rows_unchanged INTEGER,
                status TEXT NOT NULL,
                rolls_back INTEGER,
                note TEXT
            )""",
            """CREATE TABLE observations (
                batch_id INTEGER NOT NULL,
                iso3 TEXT NOT NULL,
                year INTEGER NOT NULL,
                measure TEXT NOT NULL,
                value DOUBLE PRECISION,
                value_status TEXT NOT NULL,
                lower DOUBLE PRECISION,
                upper DOUBLE PRECISION,
                source_id TEXT NOT NULL,
                note TEXT,
                PRIMARY KEY (batch_id, iso3, year, measure)
            )""",
            # The current figure of a key is its newest committed row: this index serves it.
            "CREATE INDEX observations_by_key ON observations (iso3, year, measure, batch_id)",
            "CREATE INDEX batches_by_sha256 ON batches (sha256)",
            """CREATE TABLE measures (
                name TEXT PRIMARY KEY,
                label TEXT NOT NULL,
                unit TEXT NOT NULL,
                definition TEXT NOT NULL,
                used_by TEXT[]
            )""",
            """CREATE VIEW current_observations AS
                SELECT DISTINCT ON (o.iso3, o.year, o.measure) o.* FROM observations o
                JOIN batches b ON b.id = o.batch_id
                WHERE b.status = 'committed'
                ORDER BY o.iso3, o.year, o.measure, o.batch_id DESC""",
        ),
    ),
    Migration(
        2,
        "data version (caches follow the database), contributor tokens, withdrawn figures",
        duckdb=(*_V2_TABLES, _CURRENT_DUCKDB_V2),
        postgresql=(*_V2_TABLES, _CURRENT_POSTGRESQL_V2),
        seed=lambda session: session.run(f"INSERT INTO {DATA_VERSION_TABLE} VALUES (1, 0, ?, ?)",
                                         [uuid.uuid4().hex, now()]),
    ),
]

LATEST_SCHEMA_VERSION = MIGRATIONS[-1].version


# -- what a backend supplies ---------------------------------------------------------------------
class Session(Protocol):
    """One connection; inside a transaction when it writes. Parameters are ``?``."""

    def run(self, sql: str, params: Sequence[object] = ()) -> None: ...

    def one(self, sql: str, params: Sequence[object] = ()) -> tuple | None: ...

    def rows(self, sql: str, params: Sequence[object] = ()) -> list[tuple]: ...

    def frame(self, sql: str, params: Sequence[object] = ()) -> pl.DataFrame: ...

    def put(self, name: str, frame: pl.DataFrame) -> None:
        """Make ``frame`` readable as the table ``name`` for the rest of the session."""

    def drop(self, name: str) -> None: ...

    def tables(self) -> list[str]:
        """The base tables of the schema, by name."""


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)


def first_line(exc: BaseException) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


def base_tables(session: Session, schema: str) -> list[str]:
    """``Session.tables`` for a backend whose schema is ``schema`` (an SQL expression)."""
    return [r[0] for r in session.rows(
        "SELECT table_name FROM information_schema.tables "
        f"WHERE table_schema = {schema} AND table_type = 'BASE TABLE'")]


def schema_too_old(database: str, version: int) -> StoreError:
    """``database`` ('The database file PATH') needs `indicators init` to be read."""
    return StoreError(f"{database} is at schema version {version}; run `indicators init` to "
                      "upgrade it.")


def backup_schema_version(tables: dict[str, pl.DataFrame]) -> int:
    """The schema version a backup's tables were taken at (0: before versions were kept);
    a StoreError when it is newer than this program's."""
    versions = tables.get(SCHEMA_VERSION_TABLE)
    version = int(versions["version"].max()) if versions is not None and versions.height else 0
    if version > LATEST_SCHEMA_VERSION:
        raise StoreError(f"The backup is at schema version {version}, newer than this program "
                         f"({LATEST_SCHEMA_VERSION}); upgrade the program first.")
    return version


_SAME_FIGURE = """i.value IS NOT DISTINCT FROM c.value
        AND i.value_status = c.value_status
        AND i.lower IS NOT DISTINCT FROM c.lower
        AND i.upper IS NOT DISTINCT FROM c.upper"""

class Store:
    """One database: a DuckDB file (the embedded default) or a PostgreSQL server (shared).

    ``Store(target)`` picks the backend: a ``postgresql://`` URL opens the server, anything
    else is a DuckDB file. Opening for writing creates the schema or upgrades it.
    """

    dialect: str = ""

    def __new__(cls, target: str | Path, *args: object, **kwargs: object) -> Store:
        if cls is Store:
            from indicators.store import backend_for

            cls = backend_for(target)
        return super().__new__(cls)

    def __init__(self, target: str | Path, *, read_only: bool = False) -> None:
        self.read_only = read_only

    # -- what a backend supplies ---------------------------------------------------------------
    @property
    def location(self) -> str:
        """Where the database is, for messages (never a password)."""
        raise NotImplementedError

    def _session(self, *, write: bool) -> AbstractContextManager[Session]:
        raise NotImplementedError

    def close(self) -> None:
        """Release what the store holds (connections, pools)."""

    def _exists(self) -> bool:
        """Whether there is a database to read yet (a server database always exists)."""
        return True

    def change_marker(self) -> object | None:
        """Something cheap that changes when the database may have changed (a file's size and
        time), or None when only asking the database can tell."""
        return None

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # -- transactions --------------------------------------------------------------------------
    def _check_writable(self) -> None:
        if self.read_only:
            raise StoreError("This database is open read-only; writes go through a store "
                             "opened for writing.")

    @contextmanager
    def _reading(self) -> Iterator[Session]:
        with self._session(write=False) as session:
            yield session

    @contextmanager
    def _writing(self) -> Iterator[Session]:
        """One write transaction that first takes the writer's turn: the data-version row is
        updated before anything else, so concurrent writers wait for each other."""
        self._check_writable()
        with self._session(write=True) as session:
            session.run(f"UPDATE {DATA_VERSION_TABLE} SET number = number + 1, changed_at = ? "
                        "WHERE id = 1", [now()])
            yield session

    # -- migrations ----------------------------------------------------------------------------
    def schema_version(self) -> int:
        with self._reading() as session:
            return _schema_version(session)

    def migrate(self) -> int:
        """Apply every migration the database has not seen, each in its own transaction."""
        if self._exists() and self.schema_version() >= LATEST_SCHEMA_VERSION:
            return LATEST_SCHEMA_VERSION  # the common case: one read, no write
        with self._session(write=True) as session:
            self._lock_schema(session)
            session.run(f"CREATE TABLE IF NOT EXISTS {SCHEMA_VERSION_TABLE} ("
                        "version INTEGER PRIMARY KEY, description VARCHAR, applied_at TIMESTAMP)")
        for migration in MIGRATIONS:
            with self._session(write=True) as session:
                self._lock_schema(session)
                if migration.version <= _schema_version(session):
                    continue
                for statement in migration.statements(self.dialect):
                    session.run(statement)
                if migration.seed is not None:
                    migration.seed(session)
                session.run(f"INSERT INTO {SCHEMA_VERSION_TABLE} VALUES (?, ?, ?)",
                            [migration.version, migration.description, now()])
        return self.schema_version()

    def _lock_schema(self, session: Session) -> None:
        """Hold other processes off while the schema changes (a backend may need more)."""

    # -- the data version ----------------------------------------------------------------------
    def data_version(self) -> DataVersion:
        with self._reading() as session:
            return _data_version(session)

    def snapshot(self) -> Snapshot:
        """The data version and every current figure, country and source, read together."""
        with self._reading() as session:
            sources = session.frame("SELECT * FROM sources ORDER BY id")
            return Snapshot(
                version=_data_version(session),
                observations=_current_observations(session, sources),
                countries=session.frame(_COUNTRIES_SQL),
                sources=sources,
            )

    # -- reference tables ----------------------------------------------------------------------
    def upsert_countries(self, countries: pl.DataFrame) -> None:
        """Countries with iso3, name, region, subregion and an aliases list column."""
        self._upsert("countries", countries.select(
            "iso3", "name", "region", "subregion", "aliases"), key="iso3")

    def upsert_measures(self, measures: pl.DataFrame) -> None:
        self._upsert("measures", measures.select(
            "name", "label", "unit", "definition", "used_by"), key="name")

    def _upsert(self, table: str, frame: pl.DataFrame, *, key: str) -> None:
        """Add ``frame``'s rows to ``table`` (its columns, in its order), each replacing the
        row with the same ``key``."""
        staged = f"incoming_{table}"
        columns = ", ".join(frame.columns)
        updates = ", ".join(f"{c} = EXCLUDED.{c}" for c in frame.columns if c != key)
        with self._writing() as session:
            session.put(staged, frame)
            session.run(f"INSERT INTO {table} SELECT {columns} FROM {staged} "
                        f"ON CONFLICT ({key}) DO UPDATE SET {updates}")
            session.drop(staged)

    def countries(self) -> pl.DataFrame:
        with self._reading() as session:
            return session.frame(_COUNTRIES_SQL)

    def country_aliases(self) -> dict[str, str]:
        """Normalised alias → ISO3, from every spelling the store has seen."""
        with self._reading() as session:
            rows = session.rows(
                "SELECT lower(trim(alias)), iso3 FROM countries, unnest(aliases) AS a(alias)")
        return {alias: iso3 for alias, iso3 in rows}

    def sources(self) -> pl.DataFrame:
        with self._reading() as session:
            return session.frame("SELECT * FROM sources ORDER BY id")

    def measures(self) -> pl.DataFrame:
        with self._reading() as session:
            return session.frame("SELECT * FROM measures ORDER BY name")

    # -- reading figures -----------------------------------------------------------------------
    def observations(self, *, history: bool = False) -> pl.DataFrame:
        """Current figures (one per country, year and measure) with their source, or all."""
        with self._reading() as session:
            if history:
                return session.frame(_observations_sql(history=True))
            sources = session.frame("SELECT * FROM sources ORDER BY id")
            return _current_observations(session, sources)

    def observation_count(self) -> int:
        with self._reading() as session:
            row = session.one("SELECT count(*) FROM current_observations")
        return int(row[0]) if row else 0

    def figure_history(self, iso3: str, year: int, measure: str) -> pl.DataFrame:
        """Every value one figure has had, newest batch first, with each batch's status."""
        with self._reading() as session:
            return session.frame(
                """SELECT o.batch_id, b.kind, b.status, b.created_at, b.organisation, o.value,
                          o.value_status, o.lower, o.upper, o.source_id
                   FROM observations o JOIN batches b ON b.id = o.batch_id
                   WHERE o.iso3 = ? AND o.year = ? AND o.measure = ?
                   ORDER BY o.batch_id DESC""",
                [iso3, year, measure],
            )

    # -- batches -------------------------------------------------------------------------------
    def find_committed_batch(self, sha256: str) -> dict[str, object] | None:
        """The committed batch that imported this exact file, if any."""
        with self._reading() as session:
            return _committed_batch(session, sha256)

    def diff(self, incoming: pl.DataFrame) -> pl.DataFrame:
        """Each incoming figure marked new, changed or unchanged against the current store.

        Returns the incoming long columns plus old_value, old_value_status, old_lower,
        old_upper, old_source_id and change.
        """
        frame = incoming.select(list(LONG_COLUMNS)).with_row_index("row_order").with_columns(
            pl.col("row_order").cast(pl.Int64))
        with self._reading() as session:
            session.put("incoming_figures", frame)
            result = session.frame(
                f"""SELECT i.*, c.value AS old_value, c.value_status AS old_value_status,
                          c.lower AS old_lower, c.upper AS old_upper,
                          c.source_id AS old_source_id,
                          CASE
                            WHEN c.iso3 IS NULL THEN 'new'
                            WHEN {_SAME_FIGURE} THEN 'unchanged'
                            ELSE 'changed'
                          END AS change
                   FROM incoming_figures i
                   LEFT JOIN current_observations c
                     ON c.iso3 = i.iso3 AND c.year = i.year AND c.measure = i.measure
                   ORDER BY i.row_order""")
            session.drop("incoming_figures")
        return result.drop("row_order")

    def commit_batch(
        self,
        meta: BatchMeta,
        figures: pl.DataFrame,
        sources: list[Source],
        *,
        keep_unchanged: bool = False,
        same_file_again: bool = False,
    ) -> int:
        """Write one batch in one transaction and return its id.

        Only new and changed figures are stored (unchanged ones keep their original source)
        unless `keep_unchanged`. The diff is taken inside the transaction, after the writer's
        turn is taken, so a concurrent writer cannot slip between the preview and the commit.
        A file already imported (same sha256, batch still committed) raises AlreadyCommitted,
        unless ``same_file_again`` (the bundled files, read again by newer importers that take
        more out of them).
        """
        frame = figures.select(list(LONG_COLUMNS))
        with self._writing() as session:
            if meta.sha256 and not same_file_again:
                found = _committed_batch(session, meta.sha256)
                if found is not None:
                    raise AlreadyCommitted(
                        f"This exact file was already imported as batch {found['id']} on "
                        f"{found['created_at']}.", found)
            for source in sources:
                session.run(
                    "INSERT INTO sources VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO "
                    "UPDATE SET publisher = EXCLUDED.publisher, title = EXCLUDED.title, "
                    "edition = EXCLUDED.edition, url = EXCLUDED.url, licence = EXCLUDED.licence, "
                    "retrieved = EXCLUDED.retrieved, sha256 = EXCLUDED.sha256, "
                    "citation = EXCLUDED.citation",
                    [source.id, source.publisher, source.title, source.edition, source.url,
                     source.licence, source.retrieved, source.sha256, source.citation],
                )
            session.put("incoming_figures", frame)
            counts = session.one(
                f"""SELECT
                     count(*) FILTER (WHERE c.iso3 IS NULL AND i.value_status <> 'withdrawn'),
                     count(*) FILTER (WHERE c.iso3 IS NOT NULL AND NOT ({_SAME_FIGURE})),
                     count(*) FILTER (WHERE c.iso3 IS NOT NULL AND i.value_status = 'withdrawn')
                   FROM incoming_figures i LEFT JOIN current_observations c
                     ON c.iso3 = i.iso3 AND c.year = i.year AND c.measure = i.measure""")
            rows_new, rows_changed, withdrawals = (int(n) for n in counts) if counts else (0, 0, 0)
            # The figures of the file that were already there as they are. A release batch
            # carries only what it changes (rows_in_file says how many figures the file had),
            # and its withdrawals are figures the file no longer has.
            in_file = meta.rows_in_file if meta.rows_in_file is not None else frame.height
            rows_unchanged = max(0, in_file - rows_new - (rows_changed - withdrawals))
            batch_id = _next_batch_id(session)
            session.run(
                """INSERT INTO batches (id, kind, file_name, sha256, contributor, organisation,
                       created_at, rows_in_file, rows_new, rows_changed, rows_unchanged, status,
                       note)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'committed', ?)""",
                [batch_id, meta.kind, meta.file_name, meta.sha256, meta.contributor,
                 meta.organisation, now(),
                 meta.rows_in_file if meta.rows_in_file is not None else frame.height,
                 rows_new, rows_changed, rows_unchanged, meta.note],
            )
            # Unchanged figures keep their original batch and source; a tombstone for a figure
            # that is not current (never was, or already withdrawn) withdraws nothing.
            only_differences = "" if keep_unchanged else f"""WHERE NOT EXISTS (
                       SELECT 1 FROM current_observations c
                       WHERE c.iso3 = i.iso3 AND c.year = i.year AND c.measure = i.measure
                         AND {_SAME_FIGURE})
                     AND (i.value_status <> 'withdrawn' OR EXISTS (
                       SELECT 1 FROM current_observations c
                       WHERE c.iso3 = i.iso3 AND c.year = i.year AND c.measure = i.measure))"""
            session.run(
                f"""INSERT INTO observations (batch_id, iso3, year, measure, value, value_status,
                        lower, upper, source_id, note)
                    SELECT ?, i.iso3, i.year, i.measure, i.value, i.value_status, i.lower,
                           i.upper, i.source_id, i.note
                    FROM incoming_figures i {only_differences}""",
                [batch_id],
            )
            session.drop("incoming_figures")
        return batch_id

    def batches(self) -> pl.DataFrame:
        with self._reading() as session:
            return session.frame("SELECT * FROM batches ORDER BY id DESC")

    def batch(self, batch_id: int) -> dict[str, object] | None:
        with self._reading() as session:
            rows = session.frame("SELECT * FROM batches WHERE id = ?", [batch_id])
        return rows.row(0, named=True) if rows.height else None

    def batch_diff(self, batch_id: int) -> pl.DataFrame:
        """What a batch changed: each figure it wrote and the value it superseded."""
        with self._reading() as session:
            return session.frame(
                """SELECT o.iso3, o.year, o.measure,
                          prev.value AS old_value, prev.value_status AS old_value_status,
                          o.value AS new_value, o.value_status AS new_value_status,
                          o.lower, o.upper, o.source_id,
                          CASE WHEN o.value_status = 'withdrawn' THEN 'withdrawn'
                               WHEN prev.iso3 IS NULL OR prev.value_status = 'withdrawn'
                               THEN 'new' ELSE 'changed' END AS change
                   FROM observations o
                   LEFT JOIN LATERAL (
                       SELECT p.* FROM observations p JOIN batches pb ON pb.id = p.batch_id
                       WHERE p.iso3 = o.iso3 AND p.year = o.year AND p.measure = o.measure
                         AND p.batch_id < o.batch_id AND pb.status = 'committed'
                       ORDER BY p.batch_id DESC LIMIT 1) prev ON TRUE
                   WHERE o.batch_id = ?
                   ORDER BY o.iso3, o.measure, o.year""",
                [batch_id],
            )

    def rollback(self, batch_id: int, *, contributor: str | None = None,
                 organisation: str | None = None) -> int:
        """Withdraw a batch: its figures stop being current and the ones it superseded return.

        Nothing is deleted; the rollback is itself a batch. Returns the rollback batch's id.
        """
        with self._writing() as session:
            row = session.one("SELECT kind, status FROM batches WHERE id = ?", [batch_id])
            if row is None:
                raise StoreError(f"There is no batch {batch_id}. `indicators history` lists them.")
            kind, status = row
            if kind == "rollback":
                raise StoreError(
                    f"Batch {batch_id} is itself a rollback; import the figures again instead."
                )
            if status != "committed":
                raise StoreError(f"Batch {batch_id} is already {status.replace('_', ' ')}.")
            changed = session.one(
                "SELECT count(*) FROM observations WHERE batch_id = ?", [batch_id])
            session.run("UPDATE batches SET status = 'rolled_back' WHERE id = ?", [batch_id])
            new_id = _next_batch_id(session)
            session.run(
                """INSERT INTO batches (id, kind, file_name, sha256, contributor, organisation,
                       created_at, rows_in_file, rows_new, rows_changed, rows_unchanged, status,
                       rolls_back, note)
                   VALUES (?, 'rollback', NULL, NULL, ?, ?, ?, 0, 0, ?, 0, 'committed', ?, ?)""",
                [new_id, contributor, organisation, now(), int(changed[0]) if changed else 0,
                 batch_id, f"Rolled back batch {batch_id}"],
            )
            return new_id

    # -- contributor tokens --------------------------------------------------------------------
    def add_token(self, organisation: str, digest: str) -> None:
        """Store an organisation's token digest (never the token); a new one replaces the old."""
        with self._writing() as session:
            session.run(
                "INSERT INTO contributor_tokens VALUES (?, ?, ?) ON CONFLICT (organisation) DO "
                "UPDATE SET digest = EXCLUDED.digest, created_at = EXCLUDED.created_at",
                [organisation, digest, now()])

    def remove_token(self, organisation: str) -> bool:
        with self._writing() as session:
            found = session.one("SELECT count(*) FROM contributor_tokens WHERE organisation = ?",
                                [organisation])
            session.run("DELETE FROM contributor_tokens WHERE organisation = ?", [organisation])
        return bool(found and found[0])

    def token_digests(self) -> dict[str, str]:
        """Organisation → SHA-256 digest of its contributor token."""
        with self._reading() as session:
            rows = session.rows("SELECT organisation, digest FROM contributor_tokens "
                                "ORDER BY organisation")
        return dict(rows)

    # -- backups and integrity -----------------------------------------------------------------
    def table_checksums(self) -> dict[str, str]:
        """A checksum of every table's content, independent of row order and of the backend:
        a backup from PostgreSQL restored into DuckDB gives the same checksums."""
        return {name: content_checksum(frame) for name, frame in self.dump().items()}

    def dump(self) -> dict[str, pl.DataFrame]:
        """Every content table as a frame (for backups), read in one consistent read."""
        with self._reading() as session:
            return {name: session.frame(f'SELECT * FROM "{name}"')
                    for name in sorted(session.tables()) if name != DATA_VERSION_TABLE}

    def replace_all(self, tables: dict[str, pl.DataFrame],
                    expected: dict[str, str] | None = None) -> dict[str, str]:
        """Replace every table with ``tables`` (a backup) as one change, refusing (and changing
        nothing) when the loaded tables' checksums differ from ``expected``; return them."""
        raise NotImplementedError


# -- queries used in more than one place ---------------------------------------------------------
_COUNTRIES_SQL = "SELECT iso3, name, region, subregion, aliases FROM countries ORDER BY iso3"


def _observations_sql(*, history: bool) -> str:
    relation = "observations" if history else "current_observations"
    return f"""SELECT o.iso3, o.year, o.measure, o.value, o.value_status, o.lower, o.upper,
                      o.source_id, o.batch_id, o.note,
                      s.publisher AS source_publisher, s.title AS source_title,
                      s.edition AS source_edition, s.citation AS source_citation
               FROM {relation} o LEFT JOIN sources s ON s.id = o.source_id
               ORDER BY o.iso3, o.measure, o.year, o.batch_id"""


def _current_observations(session: Session, sources: pl.DataFrame) -> pl.DataFrame:
    """What the current_observations view gives (the newest committed figure of each country,
    year and measure, unless it withdraws the figure) with its source, in the view's order.

    The committed rows come sorted by key and batch, so the current figure of a key is the last
    row of its run; marking those is three column comparisons, several times faster than the
    view's window function on either engine.
    """
    rows = session.frame(
        "SELECT o.iso3, o.year, o.measure, o.value, o.value_status, o.lower, o.upper, "
        "o.source_id, o.batch_id, o.note FROM observations o "
        "JOIN batches b ON b.id = o.batch_id AND b.status = 'committed' "
        "ORDER BY o.iso3, o.measure, o.year, o.batch_id")
    key = ("iso3", "measure", "year")
    last_of_key = pl.any_horizontal(
        pl.col(k).ne_missing(pl.col(k).shift(-1)) for k in key)
    latest = rows.filter(last_of_key & (pl.col("value_status") != WITHDRAWN))
    cited = sources.select(
        pl.col("id").alias("source_id"), pl.col("publisher").alias("source_publisher"),
        pl.col("title").alias("source_title"), pl.col("edition").alias("source_edition"),
        pl.col("citation").alias("source_citation"))
    return latest.join(cited, on="source_id", how="left", maintain_order="left")


def _schema_version(session: Session) -> int:
    if SCHEMA_VERSION_TABLE not in session.tables():
        return 0
    row = session.one(f"SELECT max(version) FROM {SCHEMA_VERSION_TABLE}")
    return int(row[0]) if row and row[0] is not None else 0


def _data_version(session: Session) -> DataVersion:
    row = session.one(f"SELECT generation, number FROM {DATA_VERSION_TABLE} WHERE id = 1")
    if row is None:
        raise StoreError("The database has no data-version row; run `indicators init` to "
                         "repair it.")
    return DataVersion(str(row[0]), int(row[1]))


def _committed_batch(session: Session, sha256: str) -> dict[str, object] | None:
    row = session.one(
        "SELECT id, kind, file_name, created_at, organisation FROM batches "
        "WHERE sha256 = ? AND status = 'committed' ORDER BY id DESC LIMIT 1",
        [sha256],
    )
    if row is None:
        return None
    keys = ("id", "kind", "file_name", "created_at", "organisation")
    return dict(zip(keys, row, strict=True))


def _next_batch_id(session: Session) -> int:
    """Ids follow commit order: writers hold the writer's turn, so max + 1 is theirs alone."""
    row = session.one("SELECT coalesce(max(id), 0) + 1 FROM batches")
    return int(row[0]) if row else 1


# -- checksums that do not depend on the backend -------------------------------------------------
_NULL = "\\N"


def content_checksum(frame: pl.DataFrame) -> str:
    """'rows:sha256' of a table's content, whatever its row order and wherever it was read.

    Every cell becomes text the same way on both backends (numbers by their shortest exact
    form, times in ISO form, lists element by element), rows are sorted, then hashed.
    """
    if frame.width == 0:
        return f"{frame.height}:" + hashlib.sha256(b"").hexdigest()
    cells = []
    for name, dtype in frame.schema.items():
        column = pl.col(name)
        if isinstance(dtype, pl.List):
            text = column.list.eval(pl.element().cast(pl.String).fill_null(_NULL)).list.join(
                "\x1f")
            text = pl.concat_str([pl.lit("["), text, pl.lit("]")])
        elif dtype == pl.Datetime or isinstance(dtype, pl.Datetime):
            text = column.dt.strftime("%Y-%m-%dT%H:%M:%S%.6f")
        elif dtype.is_float():
            text = column.cast(pl.Float64).cast(pl.String)
        elif dtype.is_integer():
            text = column.cast(pl.Int64).cast(pl.String)
        else:
            text = column.cast(pl.String)
        cells.append(text.fill_null(_NULL))
    rows = frame.select(pl.concat_str(cells, separator="\x1e").alias("row"))["row"].sort()
    digest = hashlib.sha256()
    for value in rows.to_list():
        digest.update(value.encode("utf-8"))
        digest.update(b"\n")
    return f"{frame.height}:{digest.hexdigest()}"
