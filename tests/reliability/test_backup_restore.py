"""`indicators backup` / `indicators restore`: a verified round trip, and a damaged backup
refused with the database left untouched."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from indicators.backup import MANIFEST, BackupError, backup, restore, verify
from indicators.cli import main
from indicators.store import BatchMeta, Store, StoreError


def checksums(path: Path) -> dict[str, str]:
    with Store(path, read_only=True) as store:
        return store.table_checksums()


def test_round_trip_gives_back_every_table(bundled_db, tmp_path):
    original = checksums(bundled_db)
    made = backup(bundled_db, tmp_path / "backup")
    assert made.tables == original
    manifest = json.loads((tmp_path / "backup" / MANIFEST).read_text())
    assert manifest["tables"] == original
    assert set(manifest["files"]) == {
        "schema.sql", "load.sql", *(f"{t}.parquet" for t in original)}
    restored = tmp_path / "restored.duckdb"
    restore(tmp_path / "backup", restored)
    assert checksums(restored) == original
    with Store(restored) as store:  # the batch sequence carries on after the restore
        assert store.observation_count() == 59201
        batch = store.commit_batch(BatchMeta("cli", "after-restore.csv", None), store.observations()
                                   .head(0).select("iso3", "year", "measure", "value",
                                                   "value_status", "lower", "upper",
                                                   "source_id", "note"), [])
        assert batch == 4


def test_restore_replaces_a_changed_database_and_keeps_the_old_one(bundled_db, tmp_path):
    original = checksums(bundled_db)
    backup(bundled_db, tmp_path / "backup")
    with Store(bundled_db) as store:
        store.rollback(2)  # a change after the backup
    changed = checksums(bundled_db)
    assert changed != original
    assert main(["restore", str(tmp_path / "backup"), "--db", str(bundled_db)]) == 0
    assert checksums(bundled_db) == original
    kept = bundled_db.with_name(bundled_db.name + ".before-restore")
    assert checksums(kept) == changed
    assert not list(tmp_path.glob(".*restore*"))  # no half-made file left behind


def test_damaged_backup_is_refused_and_the_database_untouched(bundled_db, tmp_path, capsys):
    backup(bundled_db, tmp_path / "backup")
    with Store(bundled_db) as store:
        store.rollback(2)
    before_bytes = bundled_db.read_bytes()
    before = checksums(bundled_db)
    parquet = tmp_path / "backup" / "observations.parquet"
    data = bytearray(parquet.read_bytes())
    data[len(data) // 2] ^= 0xFF  # one flipped byte in the middle of the figures
    parquet.write_bytes(bytes(data))
    with pytest.raises(BackupError, match="observations.parquet") as raised:
        restore(tmp_path / "backup", bundled_db)
    assert "the database is unchanged" in str(raised.value)
    assert main(["restore", str(tmp_path / "backup"), "--db", str(bundled_db)]) == 1
    err = capsys.readouterr().err
    assert "damaged" in err and "observations.parquet" in err and "Nothing was restored" in err
    assert bundled_db.read_bytes() == before_bytes
    assert checksums(bundled_db) == before
    assert not bundled_db.with_name(bundled_db.name + ".before-restore").exists()
    assert not list(tmp_path.glob(".*restore*"))


def test_manifest_that_lies_about_a_table_is_refused(bundled_db, tmp_path):
    """Files and manifest agree byte for byte, but the restored table does not match the
    checksum the manifest promised: refused after the import, before the swap."""
    backup(bundled_db, tmp_path / "backup")
    manifest_path = tmp_path / "backup" / MANIFEST
    manifest = json.loads(manifest_path.read_text())
    manifest["tables"]["observations"] = "59201:1"
    manifest_path.write_text(json.dumps(manifest))
    target = tmp_path / "target.duckdb"
    with pytest.raises(BackupError, match="observations"):
        restore(tmp_path / "backup", target)
    assert not target.exists()
    assert not list(tmp_path.glob(".*restore*"))


def test_missing_and_extra_files_are_named(bundled_db, tmp_path):
    backup(bundled_db, tmp_path / "backup")
    (tmp_path / "backup" / "sources.parquet").unlink()
    (tmp_path / "backup" / "notes.txt").write_text("added later")
    with pytest.raises(BackupError) as raised:
        verify(tmp_path / "backup")
    assert "missing: sources.parquet" in str(raised.value)
    assert "not in the manifest: notes.txt" in str(raised.value)


def test_backup_refuses_a_non_empty_directory(bundled_db, tmp_path):
    out = tmp_path / "backup"
    out.mkdir()
    (out / "something").write_text("x")
    with pytest.raises(BackupError, match="not empty"):
        backup(bundled_db, out)
    assert sorted(p.name for p in out.iterdir()) == ["something"]


def test_cli_backup_prints_where_and_how_to_restore(bundled_db, tmp_path, capsys):
    assert main(["backup", "--db", str(bundled_db), "--out", str(tmp_path / "bk")]) == 0
    out = capsys.readouterr().out
    assert "59201 current figures" in out and f"indicators restore {tmp_path / 'bk'}" in out


def test_restore_refuses_while_another_process_has_the_database(bundled_db, tmp_path):
    backup(bundled_db, tmp_path / "backup")
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); print('open', flush=True);"
         " time.sleep(60)", str(bundled_db)],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "open"
        before = bundled_db.read_bytes()
        with pytest.raises(StoreError, match="open in another process"):
            restore(tmp_path / "backup", bundled_db)
        assert bundled_db.read_bytes() == before
    finally:
        holder.kill()
        holder.wait(timeout=10)
