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
import unicodedata
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from indicators.columns import LONG_COLUMNS
from indicators.series import CONTRIBUTED, OFFICIAL, OFFICIAL_KINDS, UNNAMED, pick_figures
from indicators.settings import lock_wait_seconds
from indicators.store.checksum import content_checksum  # noqa: F401 (the contract names it)
from indicators.store.diffs import SAME_FIGURE, diff_incoming, same_diff
from indicators.store.migrations import (  # noqa: F401 (the contract names them)
    LATEST_SCHEMA_VERSION,
    MIGRATIONS,
    Migration,
)
from indicators.store.sql import (  # noqa: F401 (the contract names them)
    DATA_VERSION_TABLE,
    PUBLISHED,
    REJECTED,
    ROLLED_BACK,
    SCHEMA_VERSION_TABLE,
    SERIES_KIND_SQL,
    SERIES_SQL,
    SUBMITTED,
    WITHDRAWN,
    Session,
    first_line,
    now,
)
from indicators.store.tokens import TokenMethods

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


class PreviewOutdated(StoreError):
    """The figures a preview compared against changed before the commit; nothing was written.
    ``diff`` is a fresh comparison to preview again."""

    def __init__(self, diff: pl.DataFrame) -> None:
        super().__init__(
            "The figures this preview compared against changed while you were looking at it "
            "(someone else's change was published meanwhile). Nothing was written; check the "
            "fresh preview and submit again.")
        self.diff = diff


@dataclass(frozen=True)
class Snapshot:
    """Everything the dashboard reads, taken in one consistent read.

    ``observations`` is one figure per country, year and measure, picked by the source rule
    (indicators/series.py); ``figures`` is the current figure of every series, for showing a
    contributed series beside the official one; ``adoptions`` the corrections reviewers adopted.
    """

    version: DataVersion
    observations: pl.DataFrame
    countries: pl.DataFrame
    sources: pl.DataFrame
    figures: pl.DataFrame | None = None
    adoptions: pl.DataFrame | None = None

    def picked(self, prefer: str | None = None) -> pl.DataFrame:
        """The figures the indicators use; with ``prefer``, that organisation's series first."""
        if prefer is None or self.figures is None:
            return self.observations
        return pick_figures(self.figures, self.adoptions, prefer=prefer)

    def contributed_series(self) -> list[str]:
        """The organisations with published figures, by name."""
        if self.figures is None:
            return []
        names = self.figures.filter(pl.col("series_kind") == CONTRIBUTED)["series"]
        return sorted(names.unique().to_list())


def file_sha256(path: str | Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()




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



class Store(TokenMethods):
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
            sources = session.frame(_PUBLISHED_SOURCES_SQL)
            figures = _current_observations(session, sources)
            adoptions = _adoptions(session)
            return Snapshot(
                version=_data_version(session),
                observations=pick_figures(figures, adoptions),
                countries=session.frame(_COUNTRIES_SQL),
                sources=sources,
                figures=figures,
                adoptions=adoptions,
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
            return session.frame(_PUBLISHED_SOURCES_SQL)

    def measures(self) -> pl.DataFrame:
        with self._reading() as session:
            return session.frame("SELECT * FROM measures ORDER BY name")

    # -- reading figures -----------------------------------------------------------------------
    def observations(self, *, history: bool = False, series: str | None = None
                     ) -> pl.DataFrame:
        """Published figures with their source and series.

        By default one per country, year and measure, picked by the source rule
        (indicators/series.py). ``series="official"`` gives the official series' current
        figures only, ``series="all"`` the current figure of every series, any other name that
        organisation's current figures. ``history=True`` gives every stored row of every batch
        (submitted and rejected ones included), with the batch's status.
        """
        with self._reading() as session:
            if history:
                return session.frame(_observations_sql(history=True))
            sources = session.frame(_PUBLISHED_SOURCES_SQL)
            figures = _current_observations(session, sources)
            if series is None:
                return pick_figures(figures, _adoptions(session))
        if series == "all":
            return figures
        if series == OFFICIAL:
            return figures.filter(pl.col("series_kind") == OFFICIAL)
        return figures.filter((pl.col("series_kind") == CONTRIBUTED)
                              & (pl.col("series") == series))

    def observation_count(self) -> int:
        """How many figures the indicators can use (one per country, year and measure)."""
        return self.observations().height

    def figure_history(self, iso3: str, year: int, measure: str) -> pl.DataFrame:
        """Every value one figure has had, newest batch first, with each batch's status."""
        with self._reading() as session:
            return session.frame(
                f"""SELECT o.batch_id, b.kind, b.status, b.created_at, b.organisation, o.value,
                          o.value_status, o.lower, o.upper, o.source_id,
                          {SERIES_KIND_SQL} AS series_kind, {SERIES_SQL} AS series
                   FROM observations o JOIN batches b ON b.id = o.batch_id
                   WHERE o.iso3 = ? AND o.year = ? AND o.measure = ?
                   ORDER BY o.batch_id DESC""",
                [iso3, year, measure],
            )

    # -- batches -------------------------------------------------------------------------------
    def find_committed_batch(self, sha256: str) -> dict[str, object] | None:
        """The published or submitted batch that imported this exact file, if any."""
        with self._reading() as session:
            return _committed_batch(session, sha256)

    def find_rejected_batch(self, sha256: str, organisation: str | None
                            ) -> dict[str, object] | None:
        """The last batch of ``organisation`` that sent this exact file and was rejected: its
        id, when the reviewer decided, who, and why (``reviewed_at``, ``reviewed_by``,
        ``review_note``); None if there is none."""
        with self._reading() as session:
            row = session.one(
                "SELECT id, reviewed_at, reviewed_by, review_note FROM batches "
                "WHERE sha256 = ? AND status = ? AND organisation IS NOT DISTINCT FROM ? "
                "ORDER BY id DESC LIMIT 1", [sha256, REJECTED, organisation])
        if row is None:
            return None
        return dict(zip(("id", "reviewed_at", "reviewed_by", "review_note"), row, strict=True))

    def diff(self, incoming: pl.DataFrame, *, organisation: str | None = None) -> pl.DataFrame:
        """Each incoming figure marked new, changed or unchanged against its series' current
        figure: ``organisation``'s contributed series, or the official series when None.

        Returns the incoming long columns plus old_value, old_value_status, old_lower,
        old_upper, old_source_id, change, and the official figure beside (official_value,
        official_value_status, official_source_id).
        """
        return self.diff_with_version(incoming, organisation=organisation)[0]

    def diff_with_version(self, incoming: pl.DataFrame, *, organisation: str | None = None
                          ) -> tuple[pl.DataFrame, DataVersion]:
        """``diff``, and the data version it was taken at (read together): a commit given both
        skips taking the diff again when nothing was written since (``commit_batch``)."""
        kind, name = (OFFICIAL, OFFICIAL) if organisation is None else (CONTRIBUTED,
                                                                         organisation)
        with self._reading() as session:
            return diff_incoming(session, incoming, kind, name), _data_version(session)

    def commit_batch(
        self,
        meta: BatchMeta,
        figures: pl.DataFrame,
        sources: list[Source],
        *,
        keep_unchanged: bool = False,
        same_file_again: bool = False,
        expected: pl.DataFrame | None = None,
        expected_version: DataVersion | None = None,
    ) -> int:
        """Write one batch in one transaction and return its id.

        An official release (kind bundled or release) is published at once; an organisation's
        batch is submitted for review and changes nothing anyone sees until a reviewer approves
        it (``approve_batch``). Figures are compared with the current figures of the batch's own
        series only: a contributed figure never supersedes another series' figure.

        Only new and changed figures are stored (unchanged ones keep their original source)
        unless `keep_unchanged`. The diff is taken inside the transaction, after the writer's
        turn is taken, so a concurrent writer cannot slip between the preview and the commit:
        with ``expected`` (the diff a preview showed), a commit whose fresh diff differs raises
        PreviewOutdated and writes nothing; with ``expected_version`` too (the data version
        the preview's diff was taken at), the fresh diff is taken only when something was
        written since (on a million figures, taking and comparing it costs seconds, and it can
        only differ after a write). A file already imported (same sha256, batch still
        published or submitted) raises AlreadyCommitted, unless ``same_file_again`` (the bundled
        files, read again by newer importers that take more out of them).
        """
        frame = figures.select(list(LONG_COLUMNS))
        series_kind, series = batch_series(meta.kind, meta.organisation, meta.contributor)
        status = PUBLISHED if series_kind == OFFICIAL else SUBMITTED
        with self._writing() as session:
            if meta.sha256 and not same_file_again:
                found = _committed_batch(session, meta.sha256)
                if found is not None:
                    verb = "submitted" if found.get("status") == SUBMITTED else "imported"
                    raise AlreadyCommitted(
                        f"This exact file was already {verb} as batch {found['id']} on "
                        f"{found['created_at']}.", found)
            if expected is not None and not _nothing_written_since(session, expected_version):
                fresh = diff_incoming(session, frame, series_kind, series)
                if not same_diff(fresh, expected):
                    raise PreviewOutdated(fresh)
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
            same_series = "c.series_kind = ? AND c.series = ?"
            counts = session.one(
                f"""SELECT
                     count(*) FILTER (WHERE c.iso3 IS NULL AND i.value_status <> 'withdrawn'),
                     count(*) FILTER (WHERE c.iso3 IS NOT NULL AND NOT ({SAME_FIGURE})),
                     count(*) FILTER (WHERE c.iso3 IS NOT NULL AND i.value_status = 'withdrawn')
                   FROM incoming_figures i LEFT JOIN current_observations c
                     ON c.iso3 = i.iso3 AND c.year = i.year AND c.measure = i.measure
                        AND {same_series}""", [series_kind, series])
            rows_new, rows_changed, withdrawals = (int(n) for n in counts) if counts else (0, 0, 0)
            # The figures of the file that were already there as they are. A release batch
            # carries only what it changes (rows_in_file says how many figures the file had),
            # and its withdrawals are figures the file no longer has.
            in_file = meta.rows_in_file if meta.rows_in_file is not None else frame.height
            rows_unchanged = max(0, in_file - rows_new - (rows_changed - withdrawals))
            batch_id = _next_batch_id(session)
            created = now()
            session.run(
                """INSERT INTO batches (id, kind, file_name, sha256, contributor, organisation,
                       created_at, rows_in_file, rows_new, rows_changed, rows_unchanged, status,
                       note)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                [batch_id, meta.kind, meta.file_name, meta.sha256, meta.contributor,
                 meta.organisation, created,
                 meta.rows_in_file if meta.rows_in_file is not None else frame.height,
                 rows_new, rows_changed, rows_unchanged, status, meta.note],
            )
            _record(session, batch_id, "published" if status == PUBLISHED else "submitted",
                    meta.contributor or meta.organisation, created, None)
            # Unchanged figures keep their original batch and source; a tombstone for a figure
            # that is not current (never was, or already withdrawn) withdraws nothing.
            only_differences = "" if keep_unchanged else f"""WHERE NOT EXISTS (
                       SELECT 1 FROM current_observations c
                       WHERE c.iso3 = i.iso3 AND c.year = i.year AND c.measure = i.measure
                         AND {same_series} AND {SAME_FIGURE})
                     AND (i.value_status <> 'withdrawn' OR EXISTS (
                       SELECT 1 FROM current_observations c
                       WHERE c.iso3 = i.iso3 AND c.year = i.year AND c.measure = i.measure
                         AND {same_series}))"""
            session.run(
                f"""INSERT INTO observations (batch_id, iso3, year, measure, value, value_status,
                        lower, upper, source_id, note)
                    SELECT ?, i.iso3, i.year, i.measure, i.value, i.value_status, i.lower,
                           i.upper, i.source_id, i.note
                    FROM incoming_figures i {only_differences}""",
                [batch_id] + ([] if keep_unchanged else [series_kind, series] * 2),
            )
            session.drop("incoming_figures")
        return batch_id

    # -- review: four eyes ---------------------------------------------------------------------
    def approve_batch(self, batch_id: int, *, reviewer: str, note: str | None = None) -> None:
        """Publish a submitted batch: its figures become its organisation's series for every
        reader at once. Refused for the uploader themself and for a batch not awaiting review."""
        self._decide(batch_id, reviewer, PUBLISHED, "approve", "approved", note)

    def reject_batch(self, batch_id: int, *, reviewer: str, reason: str) -> None:
        """Refuse a submitted batch with a reason; its figures are never shown."""
        if not reason or not reason.strip():
            raise StoreError("Say why the batch is rejected (a reason is required).")
        self._decide(batch_id, reviewer, REJECTED, "reject", "rejected", reason.strip())

    def _decide(self, batch_id: int, reviewer: str, status: str, verb: str, event: str,
                note: str | None) -> None:
        """A reviewer's decision on a submitted batch, recorded on it and in the audit trail."""
        with self._writing() as session:
            row = _review_row(session, batch_id)
            _refuse_self_review(row, reviewer, batch_id, verb)
            at = now()
            session.run("UPDATE batches SET status = ?, reviewed_by = ?, reviewed_at = ?, "
                        "review_note = ? WHERE id = ?", [status, reviewer, at, note, batch_id])
            _record(session, batch_id, event, reviewer, at, note)

    def adopt_correction(self, batch_id: int, iso3: str, year: int, measure: str, *,
                         reviewer: str, reason: str) -> None:
        """Make a published contributed figure the value the indicators use in place of the
        official one, recorded with the contributor's and the reviewer's names and the reason."""
        if not reason or not reason.strip():
            raise StoreError("Say why the correction is adopted (a reason is required).")
        with self._writing() as session:
            row = session.one(
                "SELECT b.kind, b.status, b.contributor, b.organisation FROM observations o "
                "JOIN batches b ON b.id = o.batch_id WHERE o.batch_id = ? AND o.iso3 = ? AND "
                "o.year = ? AND o.measure = ?", [batch_id, iso3, year, measure])
            if row is None:
                raise StoreError(f"Batch {batch_id} has no figure for {iso3} {year} {measure}.")
            kind, status, contributor, organisation = row
            if kind in OFFICIAL_KINDS or kind == "rollback":
                raise StoreError(f"Batch {batch_id} is not a contribution; only an "
                                 "organisation's figure can be adopted as a correction.")
            if status != PUBLISHED:
                raise StoreError(f"Batch {batch_id} is {_status_words(status)}; approve it "
                                 "before adopting its figures.")
            if _same_person(reviewer, contributor):
                raise StoreError("You submitted this figure, so another reviewer must adopt "
                                 "it.")
            at = now()
            session.run(
                "INSERT INTO adoptions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT "
                "(batch_id, iso3, year, measure) DO UPDATE SET reviewer = EXCLUDED.reviewer, "
                "reason = EXCLUDED.reason, adopted_at = EXCLUDED.adopted_at",
                [batch_id, iso3, year, measure, organisation, contributor, reviewer,
                 reason.strip(), at])
            _record(session, batch_id, "adopted", reviewer, at,
                    f"{iso3} {year} {measure}: {reason.strip()}")

    def adoptions(self) -> pl.DataFrame:
        with self._reading() as session:
            return _adoptions(session)

    def batch_events(self, batch_id: int | None = None) -> pl.DataFrame:
        """The audit trail: every transition of every batch (or one), oldest first."""
        with self._reading() as session:
            where, params = ("WHERE batch_id = ?", [batch_id]) if batch_id is not None else (
                "", [])
            return session.frame("SELECT batch_id, event, actor, happened_at, note FROM "
                                 f"batch_events {where} ORDER BY happened_at, batch_id", params)

    def batches(self) -> pl.DataFrame:
        with self._reading() as session:
            return session.frame("SELECT * FROM batches ORDER BY id DESC")

    def batch(self, batch_id: int) -> dict[str, object] | None:
        with self._reading() as session:
            rows = session.frame("SELECT * FROM batches WHERE id = ?", [batch_id])
        return rows.row(0, named=True) if rows.height else None

    def batch_diff(self, batch_id: int) -> pl.DataFrame:
        """What a batch changed: each figure it wrote and the value of its own series it
        superseded (another series' figure is never superseded), with the figure's source
        (its citation: ``source``) and note as the batch gave them."""
        with self._reading() as session:
            return session.frame(
                f"""SELECT o.iso3, o.year, o.measure,
                          prev.value AS old_value, prev.value_status AS old_value_status,
                          o.value AS new_value, o.value_status AS new_value_status,
                          o.lower, o.upper, o.source_id,
                          CASE WHEN o.value_status = 'withdrawn' THEN 'withdrawn'
                               WHEN prev.iso3 IS NULL OR prev.value_status = 'withdrawn'
                               THEN 'new' ELSE 'changed' END AS change,
                          COALESCE(s.citation, o.source_id) AS source, o.note
                   FROM observations o
                   JOIN batches b ON b.id = o.batch_id
                   LEFT JOIN sources s ON s.id = o.source_id
                   LEFT JOIN LATERAL (
                       SELECT p.* FROM observations p JOIN batches pb ON pb.id = p.batch_id
                       WHERE p.iso3 = o.iso3 AND p.year = o.year AND p.measure = o.measure
                         AND p.batch_id < o.batch_id AND pb.status = 'committed'
                         AND {SERIES_KIND_SQL.replace("b.", "pb.")}
                             = {SERIES_KIND_SQL}
                         AND {SERIES_SQL.replace("b.", "pb.")} = {SERIES_SQL}
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
            if status == SUBMITTED:
                raise StoreError(f"Batch {batch_id} is awaiting review and shows nothing yet; "
                                 "a reviewer rejects it instead (`indicators review reject`).")
            if status != PUBLISHED:
                raise StoreError(f"Batch {batch_id} is already {_status_words(status)}.")
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
            _record(session, batch_id, "rolled back", contributor or organisation, now(),
                    f"by batch {new_id}")
            _record(session, new_id, "rollback", contributor or organisation, now(),
                    f"rolls back batch {batch_id}")
            return new_id

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
# The sources a published figure cites: a batch awaiting review (or rejected) adds its sources
# to the table, but no reader sees them until it is approved.
_PUBLISHED_SOURCES_SQL = """SELECT * FROM sources s WHERE EXISTS (
        SELECT 1 FROM observations o JOIN batches b ON b.id = o.batch_id
        WHERE o.source_id = s.id AND b.status = 'committed') ORDER BY id"""


def _observations_sql(*, history: bool) -> str:
    relation = "observations" if history else "current_observations"
    return f"""SELECT o.iso3, o.year, o.measure, o.value, o.value_status, o.lower, o.upper,
                      o.source_id, o.batch_id, o.note,
                      s.publisher AS source_publisher, s.title AS source_title,
                      s.edition AS source_edition, s.citation AS source_citation,
                      {SERIES_KIND_SQL} AS series_kind, {SERIES_SQL} AS series,
                      b.status AS batch_status
               FROM {relation} o LEFT JOIN sources s ON s.id = o.source_id
               JOIN batches b ON b.id = o.batch_id
               ORDER BY o.iso3, o.measure, o.year, o.batch_id"""


def batch_series(kind: str, organisation: str | None, contributor: str | None
                 ) -> tuple[str, str]:
    """(series_kind, series) of a batch's figures: what SERIES_KIND_SQL and SERIES_SQL say."""
    if kind in OFFICIAL_KINDS:
        return OFFICIAL, OFFICIAL
    return CONTRIBUTED, organisation or contributor or UNNAMED


def _record(session: Session, batch_id: int, event: str, actor: str | None, at: dt.datetime,
            note: str | None) -> None:
    session.run("INSERT INTO batch_events VALUES (?, ?, ?, ?, ?)",
                [batch_id, event, actor, at, note])


def _status_words(status: str) -> str:
    return {PUBLISHED: "published", SUBMITTED: "awaiting review"}.get(
        status, status.replace("_", " "))


def _review_row(session: Session, batch_id: int) -> tuple:
    row = session.one("SELECT kind, status, contributor, organisation FROM batches WHERE id = ?",
                      [batch_id])
    if row is None:
        raise StoreError(f"There is no batch {batch_id}. `indicators review list` lists the "
                         "batches awaiting review.")
    if row[1] != SUBMITTED:
        raise StoreError(f"Batch {batch_id} is not awaiting review: it is "
                         f"{_status_words(row[1])}.")
    return row


def _same_person(reviewer: str | None, contributor: str | None) -> bool:
    """Whether two names are one person's: case, spaces and Unicode's variant forms aside
    ('Ana  Field', 'ana field', 'Ａｎａ Field')."""
    return bool(reviewer and contributor) and _person(reviewer) == _person(contributor)


def _person(name: str | None) -> str:
    return " ".join(unicodedata.normalize("NFKC", name or "").casefold().split())


def _refuse_self_review(row: tuple, reviewer: str, batch_id: int, verb: str) -> None:
    if not reviewer or not reviewer.strip():
        raise StoreError("Say who reviews the batch (--reviewer NAME).")
    if _same_person(reviewer, row[2]):
        raise StoreError(f"You submitted batch {batch_id}, so you cannot {verb} it: another "
                         "reviewer must.")


def _adoptions(session: Session) -> pl.DataFrame:
    """Adopted corrections whose figure is still published."""
    return session.frame(
        "SELECT a.* FROM adoptions a JOIN batches b ON b.id = a.batch_id "
        "WHERE b.status = 'committed' ORDER BY a.adopted_at")


def _current_observations(session: Session, sources: pl.DataFrame) -> pl.DataFrame:
    """What the current_observations view gives (the newest committed figure of each series,
    country, year and measure, unless it withdraws the figure) with its source, ordered by
    country, measure and year, the official series first.

    The committed rows come sorted by key and batch, so the current figure of a key is the last
    row of its run; marking those is three column comparisons, several times faster than the
    view's window function on either engine.
    """
    rows = session.frame(
        "SELECT o.iso3, o.year, o.measure, o.value, o.value_status, o.lower, o.upper, "
        f"o.source_id, o.batch_id, o.note, {SERIES_KIND_SQL} AS series_kind, "
        f"{SERIES_SQL} AS series FROM observations o "
        "JOIN batches b ON b.id = o.batch_id AND b.status = 'committed' "
        "ORDER BY o.iso3, o.measure, o.year, series_kind DESC, series, o.batch_id")
    key = ("iso3", "measure", "year", "series_kind", "series")
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


def _nothing_written_since(session: Session, seen: DataVersion | None) -> bool:
    """In a write transaction: whether no other write came after ``seen`` (the version moves
    with every write; this transaction's own turn has just moved it by one)."""
    return seen is not None and _data_version(session) == DataVersion(seen.generation,
                                                                       seen.number + 1)


def _data_version(session: Session) -> DataVersion:
    row = session.one(f"SELECT generation, number FROM {DATA_VERSION_TABLE} WHERE id = 1")
    if row is None:
        raise StoreError("The database has no data-version row; run `indicators init` to "
                         "repair it.")
    return DataVersion(str(row[0]), int(row[1]))


def _committed_batch(session: Session, sha256: str) -> dict[str, object] | None:
    row = session.one(
        "SELECT id, kind, file_name, created_at, organisation, status FROM batches "
        "WHERE sha256 = ? AND status IN ('committed', 'submitted') ORDER BY id DESC LIMIT 1",
        [sha256],
    )
    if row is None:
        return None
    keys = ("id", "kind", "file_name", "created_at", "organisation", "status")
    return dict(zip(keys, row, strict=True))


def _next_batch_id(session: Session) -> int:
    """Ids follow commit order: writers hold the writer's turn, so max + 1 is theirs alone."""
    row = session.one("SELECT coalesce(max(id), 0) + 1 FROM batches")
    return int(row[0]) if row else 1
