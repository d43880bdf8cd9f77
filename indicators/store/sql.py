"""What the store's modules share: table names, batch states, the series of a batch in SQL, the
session a backend supplies, and the clock."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Protocol

import polars as pl

from indicators.series import CONTRIBUTED, OFFICIAL, OFFICIAL_KINDS, UNNAMED

SCHEMA_VERSION_TABLE = "schema_version"
# Bookkeeping, not content: left out of the table checksums (it changes on every write and is
# given a new generation by a restore).
DATA_VERSION_TABLE = "data_version"
WITHDRAWN = "withdrawn"  # a figure a newer release no longer publishes (a tombstone row)

# A batch's life. An official release is published ('committed') when it is loaded; an
# organisation's upload is 'submitted' and becomes 'committed' only when a reviewer who is not
# its uploader approves it, or 'rejected'. A committed batch can be 'rolled_back'.
SUBMITTED = "submitted"
PUBLISHED = "committed"
REJECTED = "rejected"
ROLLED_BACK = "rolled_back"

# The series of a batch's figures, from the batch (``b``): official releases are one series,
# each contributing organisation its own.
OFFICIAL_KINDS_SQL = ", ".join(f"'{kind}'" for kind in OFFICIAL_KINDS)
SERIES_KIND_SQL = (f"CASE WHEN b.kind IN ({OFFICIAL_KINDS_SQL}) THEN '{OFFICIAL}' "
                   f"ELSE '{CONTRIBUTED}' END")
SERIES_SQL = (f"CASE WHEN b.kind IN ({OFFICIAL_KINDS_SQL}) THEN '{OFFICIAL}' "
              f"ELSE coalesce(b.organisation, b.contributor, '{UNNAMED}') END")


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
