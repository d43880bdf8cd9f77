"""The shared store: a PostgreSQL server that any number of processes and machines use at once.

psycopg 3 with a small connection pool per process. Reads run in a REPEATABLE READ transaction
(a snapshot: all of a batch or none of it); writes queue on the data-version row
(see contract.Store._writing). Frames travel by COPY: Polars writes CSV, the server reads it,
and back. A server that cannot be reached is a StoreUnavailable with a plain message; the pool
reconnects by itself when the server is back.
"""

from __future__ import annotations

import io
import re
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from urllib.parse import urlsplit, urlunsplit

import polars as pl
import psycopg
from psycopg import sql as pgsql
from psycopg_pool import ConnectionPool, PoolTimeout

from indicators.store.contract import (
    DATA_VERSION_TABLE,
    LATEST_SCHEMA_VERSION,
    MIGRATIONS,
    SCHEMA_VERSION_TABLE,
    RestoreMismatch,
    Store,
    StoreBusy,
    StoreError,
    StoreUnavailable,
    backup_schema_version,
    base_tables,
    content_checksum,
    first_line,
    now,
    schema_too_old,
    wait_seconds,
)

POOL_SIZE = 4
CONNECT_TIMEOUT_SECONDS = 3
# Any number fixed for this program: processes hold it while they change the schema.
SCHEMA_LOCK_KEY = 7_301_415_926

# Server type (OID) → Polars type, for frames read row by row.
_TYPES: dict[int, pl.DataType] = {
    16: pl.Boolean(), 20: pl.Int64(), 21: pl.Int16(), 23: pl.Int32(), 25: pl.String(),
    1043: pl.String(), 700: pl.Float32(), 701: pl.Float64(), 1700: pl.Float64(),
    1114: pl.Datetime("us"), 1082: pl.Date(), 17: pl.Binary(), 2950: pl.String(),
    1009: pl.List(pl.String()), 1015: pl.List(pl.String()), 1005: pl.List(pl.Int16()),
    1007: pl.List(pl.Int32()), 1016: pl.List(pl.Int64()),
}
_PLACEHOLDER = re.compile(r"\?")


def _server_sql(statement: str) -> str:
    """``?`` parameters as psycopg's ``%s`` (and a literal % kept literal)."""
    return _PLACEHOLDER.sub("%s", statement.replace("%", "%%"))


def _pg_type(dtype: pl.DataType) -> str:
    if isinstance(dtype, pl.List):
        return _pg_type(dtype.inner) + "[]"
    if dtype.is_integer():
        return "BIGINT" if dtype in (pl.Int64(), pl.UInt32(), pl.UInt64()) else "INTEGER"
    if dtype.is_float():
        return "DOUBLE PRECISION"
    if dtype == pl.Boolean():
        return "BOOLEAN"
    if isinstance(dtype, pl.Datetime):
        return "TIMESTAMP"
    if dtype == pl.Date():
        return "DATE"
    if dtype == pl.Binary():
        return "BYTEA"
    return "TEXT"


def safe_url(url: str) -> str:
    """The URL without its password, for messages and logs."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.hostname or ""
    netloc = f"{parts.username}@{host}" if parts.username else host
    if parts.port:
        netloc += f":{parts.port}"
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


def _schema(cur: psycopg.Cursor) -> dict[str, pl.DataType]:
    return {d.name: _TYPES.get(d.type_code, pl.String()) for d in cur.description or []}


class _PgSession:
    """A session on one server connection, inside a transaction."""

    def __init__(self, conn: psycopg.Connection) -> None:
        self.conn = conn
        self.temporary: set[str] = set()

    def run(self, sql: str, params: Sequence[object] = ()) -> None:
        self.conn.execute(_server_sql(sql), list(params) or None)

    def one(self, sql: str, params: Sequence[object] = ()) -> tuple | None:
        return self.conn.execute(_server_sql(sql), list(params) or None).fetchone()

    def rows(self, sql: str, params: Sequence[object] = ()) -> list[tuple]:
        return self.conn.execute(_server_sql(sql), list(params) or None).fetchall()

    def frame(self, sql: str, params: Sequence[object] = ()) -> pl.DataFrame:
        if params:
            cur = self.conn.execute(_server_sql(sql), list(params))
            return pl.DataFrame(cur.fetchall(), schema=_schema(cur), orient="row")
        # The columns' types first (no rows), then the rows: as CSV through COPY, which is
        # several times faster than row by row for the large reads (every figure), unless a
        # column holds lists, which CSV cannot carry.
        cur = self.conn.execute(f"SELECT * FROM ({sql}) AS result LIMIT 0")
        schema = _schema(cur)
        if any(isinstance(t, pl.List) for t in schema.values()):
            cur = self.conn.execute(sql)
            return pl.DataFrame(cur.fetchall(), schema=schema, orient="row")
        buffer = io.BytesIO()
        copy_sql = pgsql.SQL("COPY ({}) TO STDOUT (FORMAT csv, HEADER true)").format(
            pgsql.SQL(sql))
        with self.conn.cursor().copy(copy_sql) as copy:
            for chunk in copy:
                buffer.write(chunk)
        if buffer.tell() == 0:
            return pl.DataFrame(schema=schema)
        buffer.seek(0)
        return pl.read_csv(buffer, schema=schema, try_parse_dates=False)

    def put(self, name: str, frame: pl.DataFrame) -> None:
        columns = ", ".join(f'"{c}" {_pg_type(t)}' for c, t in frame.schema.items())
        self.conn.execute(f'CREATE TEMP TABLE "{name}" ({columns}) ON COMMIT DROP')
        self.temporary.add(name)
        if frame.height == 0:
            return
        target = pgsql.SQL("COPY {} ({}) FROM STDIN").format(
            pgsql.Identifier(name), pgsql.SQL(", ").join(map(pgsql.Identifier, frame.columns)))
        with self.conn.cursor() as cur:
            if any(isinstance(t, pl.List) for t in frame.schema.values()):
                with cur.copy(target) as copy:
                    for row in frame.iter_rows():
                        copy.write_row(row)
            else:
                csv_target = pgsql.SQL("{} (FORMAT csv)").format(target)
                with cur.copy(csv_target) as copy:
                    copy.write(frame.write_csv(include_header=False,
                                               datetime_format="%Y-%m-%d %H:%M:%S%.f"))

    def drop(self, name: str) -> None:
        self.conn.execute(f'DROP TABLE IF EXISTS "{name}"')
        self.temporary.discard(name)

    def tables(self) -> list[str]:
        return base_tables(self, "current_schema()")


class PostgresStore(Store):
    """One PostgreSQL database, shared by every process that opens the same URL."""

    dialect = "postgresql"

    def __init__(self, target: str, *, read_only: bool = False) -> None:
        super().__init__(target, read_only=read_only)
        self.url = str(target)
        self._pool = ConnectionPool(
            self.url, min_size=0, max_size=POOL_SIZE, open=True, name="indicators",
            kwargs={"connect_timeout": CONNECT_TIMEOUT_SECONDS, "autocommit": True,
                    "application_name": "anti-trafficking-indicators"},
            check=ConnectionPool.check_connection, timeout=CONNECT_TIMEOUT_SECONDS + 2,
            reconnect_timeout=0,
        )
        try:
            if not read_only:
                self.migrate()
            version = self.schema_version()
            if version < LATEST_SCHEMA_VERSION:
                raise schema_too_old(f"The database {self.location}", version)
        except BaseException:
            self.close()
            raise

    @property
    def location(self) -> str:
        return safe_url(self.url)

    def close(self) -> None:
        self._pool.close()

    @contextmanager
    def _session(self, *, write: bool) -> Iterator[_PgSession]:
        if write:
            self._check_writable()
        try:
            with self._pool.connection() as conn:
                conn.execute("BEGIN ISOLATION LEVEL READ COMMITTED" if write
                             else "BEGIN ISOLATION LEVEL REPEATABLE READ")
                if write:
                    conn.execute(f"SET LOCAL lock_timeout = '{int(wait_seconds() * 1000)}ms'")
                session = _PgSession(conn)
                try:
                    yield session
                except BaseException:
                    conn.execute("ROLLBACK")
                    raise
                conn.execute("COMMIT" if write else "ROLLBACK")
        except PoolTimeout as exc:
            raise self._unavailable(exc) from exc
        except psycopg.errors.LockNotAvailable as exc:
            raise StoreBusy(
                f"Another process held the database {self.location} for more than "
                f"{wait_seconds():.0f} s. Nothing was changed; try again in a moment."
            ) from exc
        except psycopg.OperationalError as exc:
            raise self._unavailable(exc) from exc

    def _unavailable(self, exc: BaseException) -> StoreUnavailable:
        return StoreUnavailable(
            f"The database server at {self.location} cannot be reached ({first_line(exc)}). "
            "Nothing was changed. Check that PostgreSQL is running and reachable; the "
            "dashboard reconnects by itself when it is back."
        )

    def _lock_schema(self, session: _PgSession) -> None:
        session.run("SELECT pg_advisory_xact_lock(?)", [SCHEMA_LOCK_KEY])

    def replace_all(self, tables: dict[str, pl.DataFrame],
                    expected: dict[str, str] | None = None) -> dict[str, str]:
        """Empty every table and load ``tables`` in one transaction (other processes see the
        old figures or the new, never a mix); the checksums are compared with ``expected``
        before it commits, so a mismatch changes nothing."""
        backup_version = backup_schema_version(tables)
        later = [m for m in MIGRATIONS if m.version > backup_version]
        if any(not m.additive for m in later):
            raise StoreError("This backup comes from an older schema that cannot be loaded "
                             "into this server directly; restore it into a DuckDB file, then "
                             "back that up and restore it here.")
        with self._writing() as session:
            present = [t for t in session.tables() if t != DATA_VERSION_TABLE]
            for name in present:
                session.run(f'TRUNCATE TABLE "{name}"')
            for name, frame in tables.items():
                if name == DATA_VERSION_TABLE or name not in present:
                    continue
                staged = f"restore_{name}"
                session.put(staged, frame)
                columns = ", ".join(f'"{c}"' for c in frame.columns)
                session.run(f'INSERT INTO "{name}" ({columns}) SELECT {columns} FROM "{staged}"')
                session.drop(staged)
            if SCHEMA_VERSION_TABLE in tables:
                for migration in later:  # additive: the tables exist already; record them
                    if migration.reseed_on_restore and migration.seed is not None:
                        migration.seed(session)  # rows derived from the restored tables
                    session.run(f"INSERT INTO {SCHEMA_VERSION_TABLE} VALUES (?, ?, ?)",
                                [migration.version, migration.description, now()])
            session.run("SELECT setval('batch_id_seq', greatest((SELECT max(id) FROM batches), "
                        "1))")
            session.run(f"UPDATE {DATA_VERSION_TABLE} SET generation = ? WHERE id = 1",
                        [uuid.uuid4().hex])
            restored = {name: content_checksum(session.frame(f'SELECT * FROM "{name}"'))
                        for name in sorted(present) if name in tables}
            if expected is not None and restored != expected:
                raise RestoreMismatch(restored, expected)
        return restored
