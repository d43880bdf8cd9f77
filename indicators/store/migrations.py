"""The schema, one migration a step, in both dialects. Append, never edit a released one."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass

from indicators.store.sql import (
    DATA_VERSION_TABLE,
    OFFICIAL_KINDS_SQL,
    SERIES_KIND_SQL,
    SERIES_SQL,
    Session,
    now,
)


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
    # The seed derives its rows from older tables: run it again after restoring an older backup.
    reseed_on_restore: bool = False

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

_CURRENT_DUCKDB_V3 = f"""CREATE OR REPLACE VIEW current_observations AS
    SELECT * FROM (
        SELECT o.*, {SERIES_KIND_SQL} AS series_kind, {SERIES_SQL} AS series
        FROM observations o
        JOIN batches b ON b.id = o.batch_id
        WHERE b.status = 'committed'
        QUALIFY row_number() OVER (
            PARTITION BY {SERIES_KIND_SQL}, {SERIES_SQL}, o.iso3, o.year, o.measure
            ORDER BY o.batch_id DESC) = 1
    ) latest WHERE value_status <> 'withdrawn'"""

_CURRENT_POSTGRESQL_V3 = f"""CREATE VIEW current_observations AS
    SELECT * FROM (
        SELECT DISTINCT ON ({SERIES_KIND_SQL}, {SERIES_SQL}, o.iso3, o.year, o.measure) o.*,
               {SERIES_KIND_SQL} AS series_kind, {SERIES_SQL} AS series
        FROM observations o
        JOIN batches b ON b.id = o.batch_id
        WHERE b.status = 'committed'
        ORDER BY {SERIES_KIND_SQL}, {SERIES_SQL}, o.iso3, o.year, o.measure, o.batch_id DESC
    ) latest WHERE value_status <> 'withdrawn'"""


def _v3_statements(dialect: str) -> tuple[str, ...]:
    text = "VARCHAR" if dialect == "duckdb" else "TEXT"
    return (
        f"ALTER TABLE batches ADD COLUMN reviewed_by {text}",
        "ALTER TABLE batches ADD COLUMN reviewed_at TIMESTAMP",
        f"ALTER TABLE batches ADD COLUMN review_note {text}",
        # Every transition of every batch: who did what, when.
        f"""CREATE TABLE batch_events (
            batch_id INTEGER NOT NULL,
            event {text} NOT NULL,
            actor {text},
            happened_at TIMESTAMP NOT NULL,
            note {text}
        )""",
        # A contributed figure a reviewer adopted as the value the indicators use.
        f"""CREATE TABLE adoptions (
            batch_id INTEGER NOT NULL,
            iso3 {text} NOT NULL,
            year INTEGER NOT NULL,
            measure {text} NOT NULL,
            organisation {text},
            contributor {text},
            reviewer {text} NOT NULL,
            reason {text} NOT NULL,
            adopted_at TIMESTAMP NOT NULL,
            PRIMARY KEY (batch_id, iso3, year, measure)
        )""",
        # Credentials with a role: contributor (of one organisation, optionally limited to
        # listed countries), reviewer or administrator. Only the digest is kept.
        f"""CREATE TABLE access_tokens (
            digest {text} PRIMARY KEY,
            name {text} NOT NULL,
            role {text} NOT NULL,
            organisation {text},
            countries {text},
            created_at TIMESTAMP NOT NULL
        )""",
        "DROP VIEW current_observations",
    )


UPGRADE_ACTOR = "database upgrade"


def _seed_v3(session: Session) -> None:
    """The audit trail starts with every batch there already was. An upload made before review
    existed is recorded as submitted by its uploader and approved by the upgrade (no person
    reviewed it), both at the time it was made."""
    contributed = f"kind NOT IN ({OFFICIAL_KINDS_SQL}, 'rollback')"
    missing = "NOT EXISTS (SELECT 1 FROM batch_events e WHERE e.batch_id = b.id)"
    session.run(
        f"""INSERT INTO batch_events (batch_id, event, actor, happened_at, note)
            SELECT id, CASE WHEN kind = 'rollback' THEN 'rollback'
                            WHEN kind IN ({OFFICIAL_KINDS_SQL}) THEN 'published'
                            ELSE 'submitted' END,
                   coalesce(contributor, organisation), created_at, NULL
            FROM batches b WHERE {missing}""")
    session.run(
        f"""INSERT INTO batch_events (batch_id, event, actor, happened_at, note)
            SELECT id, 'approved', '{UPGRADE_ACTOR}', created_at,
                   'uploaded before review existed: approved when the database was upgraded'
            FROM batches b WHERE {contributed} AND NOT EXISTS (
                SELECT 1 FROM batch_events e WHERE e.batch_id = b.id AND e.event = 'approved')""")


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
    Migration(
        3,
        "series (official and contributed side by side), review by a second person, adopted "
        "corrections, the audit trail of every batch, tokens with roles",
        duckdb=(*_v3_statements("duckdb"), _CURRENT_DUCKDB_V3),
        postgresql=(*_v3_statements("postgresql"), _CURRENT_POSTGRESQL_V3),
        seed=_seed_v3,
        reseed_on_restore=True,
    ),
]

LATEST_SCHEMA_VERSION = MIGRATIONS[-1].version
