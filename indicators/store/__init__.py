"""The store: every figure, batch, source and contributor token, and the only code that speaks
SQL. Two backends keep one contract (indicators/store/contract.py):

* a DuckDB file, the embedded default (`make run`, tests, one machine): opened only for as long
  as each read or write takes, so the dashboard and the command line take turns;
* a PostgreSQL server (``postgresql://…``), for deployments that serve many people from several
  processes or machines, all reading and writing one system of record.

``Store(target)`` picks the backend from the target.
"""

from __future__ import annotations

from pathlib import Path

from indicators.store.contract import (
    LATEST_SCHEMA_VERSION,
    MIGRATIONS,
    AlreadyCommitted,
    BatchMeta,
    DataVersion,
    Migration,
    PreviewOutdated,
    RestoreMismatch,
    Snapshot,
    Source,
    Store,
    StoreBusy,
    StoreError,
    StoreUnavailable,
    content_checksum,
    file_sha256,
    patience,
    wait_seconds,
)

SERVER_SCHEMES = ("postgresql://", "postgres://")


def is_server_url(target: str | Path) -> bool:
    """A PostgreSQL URL rather than a DuckDB file path."""
    return str(target).startswith(SERVER_SCHEMES)


def backend_for(target: str | Path) -> type[Store]:
    if is_server_url(target):
        from indicators.store.postgres_store import PostgresStore

        return PostgresStore
    from indicators.store.duckdb_store import DuckDBStore

    return DuckDBStore


__all__ = [
    "LATEST_SCHEMA_VERSION",
    "MIGRATIONS",
    "AlreadyCommitted",
    "BatchMeta",
    "DataVersion",
    "Migration",
    "PreviewOutdated",
    "RestoreMismatch",
    "Snapshot",
    "Source",
    "Store",
    "StoreBusy",
    "StoreError",
    "StoreUnavailable",
    "backend_for",
    "content_checksum",
    "file_sha256",
    "is_server_url",
    "patience",
    "wait_seconds",
]
