"""Backups: a full export of the database (Parquet) with a manifest, and a verified restore.

`backup(db, out)` writes DuckDB's EXPORT DATABASE (schema.sql, load.sql and one Parquet file
per table) and `manifest.json`: every table's checksum (Store.table_checksums) and every file's
SHA-256. `restore(backup_dir, db)` checks every file against the manifest before touching
anything, imports into a new file next to the database, checks the imported tables against the
manifest's checksums, and only then swaps the new file in with one atomic rename. The file it
replaces is kept beside it as `NAME.before-restore`. A damaged backup is refused and the
database is left exactly as it was.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import uuid
from dataclasses import dataclass
from pathlib import Path

from indicators.store import Store, StoreError, file_sha256, import_database, release_for_swap

MANIFEST = "manifest.json"
FORMAT = 1


class BackupError(StoreError):
    """A backup could not be made or used; the message says why and what to do."""


@dataclass(frozen=True)
class BackupReport:
    directory: Path
    tables: dict[str, str]
    files: int
    figures: int


def backup(db: Path, out: Path) -> BackupReport:
    """Export `db` into the new directory `out` (written aside, then renamed into place)."""
    if out.exists() and any(out.iterdir()):
        raise BackupError(f"{out} already exists and is not empty; choose a new directory.")
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.parent / f".{out.name}.partial-{uuid.uuid4().hex[:8]}"
    try:
        with Store(db, read_only=True) as store:
            tables = store.table_checksums()
            store.export_database(partial)
            figures = store.observation_count()
            version = store.schema_version()
        files = {p.name: file_sha256(p) for p in sorted(partial.iterdir()) if p.is_file()}
        manifest = {
            "format": FORMAT,
            "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "database": db.name,
            "schema_version": version,
            "current_figures": figures,
            "tables": tables,
            "files": files,
        }
        (partial / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
        if out.exists():
            out.rmdir()
        partial.rename(out)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    return BackupReport(out, tables, len(files), figures)


def verify(backup_dir: Path) -> dict[str, object]:
    """The manifest, after checking every file's SHA-256; BackupError on any difference."""
    manifest_path = backup_dir / MANIFEST
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
    if manifest.get("format") != FORMAT or not isinstance(tables, dict):
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


def restore(backup_dir: Path, db: Path) -> BackupReport:
    """Replace `db` with the backup, after verifying it; refuse a damaged backup."""
    manifest = verify(backup_dir)
    db.parent.mkdir(parents=True, exist_ok=True)
    release_for_swap(db)  # refuses while another process has the database open
    fresh = db.with_name(f".{db.name}.restore-{uuid.uuid4().hex[:8]}")
    try:
        try:
            restored = import_database(fresh, backup_dir)
        except StoreError:
            raise
        except Exception as exc:  # noqa: BLE001 - DuckDB's own errors, in plain words
            raise BackupError(f"The backup in {backup_dir} could not be read ({exc}). Nothing "
                              "was restored; the database is unchanged.") from exc
        expected = manifest["tables"]
        if restored != expected:
            differing = sorted(k for k in set(expected) | set(restored)
                               if restored.get(k) != expected.get(k))
            raise BackupError(
                "The restored tables do not match the backup's checksums "
                f"({', '.join(differing)}). Nothing was restored; the database is unchanged. "
                "Use another backup.")
        with Store(fresh) as store:  # upgrades a backup from an older schema, checks it reads
            figures = store.observation_count()
        wal = db.with_name(db.name + ".wal")
        if db.exists():
            kept = db.with_name(db.name + ".before-restore")
            kept.unlink(missing_ok=True)
            try:
                os.link(db, kept)  # the old file stays reachable; the rename below is atomic
            except OSError:  # a filesystem without hard links
                shutil.copy2(db, kept)
        if wal.exists():
            wal.replace(db.with_name(db.name + ".before-restore.wal"))
        fresh.replace(db)
    finally:
        for leftover in (fresh, fresh.with_name(fresh.name + ".wal")):
            leftover.unlink(missing_ok=True)
    return BackupReport(db, restored, len(manifest["files"]), figures)
