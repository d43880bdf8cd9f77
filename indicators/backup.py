"""Backups that move between backends: every table as Parquet, with a manifest of checksums.

`backup(target, out)` reads every table in one consistent read and writes one Parquet file per
table and `manifest.json`: each table's content checksum (Store.table_checksums, computed the
same way on DuckDB and PostgreSQL) and each file's SHA-256. `restore(backup_dir, target)` checks
every file against the manifest before touching anything, checks the tables read from the files
against the manifest's checksums, and only then has the database replace its content as one
change: a DuckDB file is built anew beside the old one and swapped in by one atomic rename (the
old file is kept as `NAME.before-restore`, and a damaged old file is no obstacle); a PostgreSQL
database empties and loads its tables in one transaction. A damaged backup is refused and the
database is left exactly as it was. So a backup from PostgreSQL restores into DuckDB, and back,
with identical checksums. Backups of the earlier format (1: DuckDB's EXPORT DATABASE) restore too.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import uuid
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from indicators.series import OFFICIAL, OFFICIAL_KINDS, UNNAMED
from indicators.store import (
    RestoreMismatch,
    Store,
    StoreError,
    content_checksum,
    file_sha256,
    is_server_url,
)
from indicators.store.contract import DATA_VERSION_TABLE

MANIFEST = "manifest.json"
FORMAT = 2
LEGACY_FORMAT = 1


class BackupError(StoreError):
    """A backup could not be made or used; the message says why and what to do."""


@dataclass(frozen=True)
class BackupReport:
    directory: Path | str
    tables: dict[str, str]
    files: int
    figures: int


def backup(target: str | Path, out: Path) -> BackupReport:
    """Every table of the database at ``target`` into the new directory ``out`` (written
    aside, then renamed into place)."""
    if out.exists() and any(out.iterdir()):
        raise BackupError(f"{out} already exists and is not empty; choose a new directory.")
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.parent / f".{out.name}.partial-{uuid.uuid4().hex[:8]}"
    try:
        with Store(target, read_only=True) as store:
            tables = store.dump()
            location = store.location
            backend = store.dialect
        partial.mkdir()
        for name, frame in tables.items():
            frame.write_parquet(partial / f"{name}.parquet", compression="zstd")
        files = {p.name: file_sha256(p) for p in sorted(partial.iterdir()) if p.is_file()}
        checksums = {name: content_checksum(frame) for name, frame in tables.items()}
        versions = tables.get("schema_version")
        manifest = {
            "format": FORMAT,
            "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "database": Path(location).name if backend == "duckdb" else location,
            "backend": backend,
            "schema_version": int(versions["version"].max()) if versions is not None
            and versions.height else 0,
            "current_figures": _current_figures(tables),
            "tables": checksums,
            "files": files,
        }
        (partial / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
        if out.exists():
            out.rmdir()
        partial.rename(out)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    return BackupReport(out, checksums, len(files), manifest["current_figures"])


def _current_figures(tables: dict[str, pl.DataFrame]) -> int:
    """How many figures are current in these tables (the newest committed row of each series
    and key, unless it withdraws the figure), computed from the frames themselves."""
    observations, batches = tables.get("observations"), tables.get("batches")
    if observations is None or batches is None:
        return 0
    official = pl.col("kind").is_in(list(OFFICIAL_KINDS))
    committed = batches.filter(pl.col("status") == "committed").select(
        pl.col("id").cast(observations["batch_id"].dtype).alias("batch_id"),
        # the series of each batch (indicators/series.py): official, or its organisation's
        pl.when(official).then(pl.lit(OFFICIAL)).otherwise(
            pl.coalesce("organisation", "contributor", pl.lit(UNNAMED))).alias("_series"),
        official.alias("_official"))
    latest = (observations.join(committed, on="batch_id", how="inner")
              .sort("batch_id")
              .group_by("_official", "_series", "iso3", "year", "measure").last())
    return latest.filter(pl.col("value_status") != "withdrawn").height


def verify(backup_dir: Path) -> dict[str, object]:
    """The manifest, after checking every file's SHA-256; BackupError on any difference."""
    manifest_path = backup_dir / MANIFEST
    if not backup_dir.is_dir():
        raise BackupError(f"There is no backup directory at {backup_dir}.")
    if not manifest_path.is_file():
        raise BackupError(f"{backup_dir} has no {MANIFEST}; it is not a backup made by "
                          "`indicators backup`.")
    try:
        manifest = json.loads(manifest_path.read_text())
        files: dict[str, str] = manifest["files"]
        tables: dict[str, str] = manifest["tables"]
    except (ValueError, KeyError, TypeError) as exc:
        raise BackupError(f"{manifest_path} is damaged ({exc}); this backup cannot be used.") \
            from exc
    if manifest.get("format") not in (FORMAT, LEGACY_FORMAT) or not isinstance(tables, dict):
        raise BackupError(f"{manifest_path} is not a format this version can restore.")
    present = {p.name for p in backup_dir.iterdir() if p.is_file() and p.name != MANIFEST}
    missing = sorted(set(files) - present)
    extra = sorted(present - set(files))
    damaged = sorted(name for name in set(files) & present
                     if file_sha256(backup_dir / name) != files[name])
    if missing or extra or damaged:
        details = "; ".join(part for part in (
            f"missing: {', '.join(missing)}" if missing else "",
            f"not in the manifest: {', '.join(extra)}" if extra else "",
            f"changed since the backup was made: {', '.join(damaged)}" if damaged else "",
        ) if part)
        raise BackupError(f"The backup in {backup_dir} is damaged ({details}). Nothing was "
                          "restored; the database is unchanged. Use another backup.")
    return manifest


def read_backup(backup_dir: Path) -> tuple[dict[str, pl.DataFrame], dict[str, str]]:
    """The verified tables of a backup and their content checksums (BackupError when the
    files do not hold what the manifest promised)."""
    manifest = verify(backup_dir)
    promised: dict[str, str] = manifest["tables"]  # type: ignore[assignment]
    try:
        if manifest["format"] == LEGACY_FORMAT:
            from indicators.store.duckdb_store import read_legacy_backup

            tables, found = read_legacy_backup(backup_dir)
        else:
            tables = {name: pl.read_parquet(backup_dir / f"{name}.parquet")
                      for name in promised}
            found = {name: content_checksum(frame) for name, frame in tables.items()}
    except StoreError:
        raise
    except Exception as exc:  # noqa: BLE001 - a reader's own error, in plain words
        raise BackupError(f"The backup in {backup_dir} could not be read ({exc}). Nothing was "
                          "restored; the database is unchanged.") from exc
    if found != promised:
        differing = sorted(k for k in set(found) | set(promised)
                           if found.get(k) != promised.get(k))
        raise BackupError(
            "The backup's tables do not match the checksums in its manifest "
            f"({', '.join(differing)}). Nothing was restored; the database is unchanged. Use "
            "another backup.")
    # The data-version row is bookkeeping: the restored database starts a generation of its own.
    tables.pop(DATA_VERSION_TABLE, None)
    return tables, {name: content_checksum(frame) for name, frame in tables.items()}


def restore(backup_dir: Path, target: str | Path) -> BackupReport:
    """Replace the database at ``target`` with the backup, after verifying it."""
    tables, expected = read_backup(backup_dir)
    try:
        if is_server_url(target):
            with Store(target) as store:
                restored = store.replace_all(tables, expected)
        else:
            from indicators.store.duckdb_store import replace_file

            restored = replace_file(Path(target), tables, expected)
    except RestoreMismatch as exc:
        raise BackupError(str(exc)) from exc
    with Store(target, read_only=True) as store:
        figures = store.observation_count()
    return BackupReport(target, restored, len(tables), figures)
