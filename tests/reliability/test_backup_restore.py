"""`indicators backup` / `indicators restore`: a verified round trip on both backends and
between them, and a damaged backup refused with the database left untouched."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import polars as pl
import pytest

from indicators.backup import MANIFEST, BackupError, backup, restore, verify
from indicators.cli import main
from indicators.store import BatchMeta, Store
from tests.conftest import new_database


def checksums(target: str | Path) -> dict[str, str]:
    with Store(target, read_only=True) as store:
        return store.table_checksums()


def empty_figures(store: Store) -> pl.DataFrame:
    return store.observations().head(0).select(
        "iso3", "year", "measure", "value", "value_status", "lower", "upper", "source_id", "note")


def test_round_trip_gives_back_every_table(bundled_target, tmp_path):
    original = checksums(bundled_target)
    made = backup(bundled_target, tmp_path / "backup")
    assert made.tables == original
    manifest = json.loads((tmp_path / "backup" / MANIFEST).read_text())
    assert manifest["tables"] == original
    assert manifest["format"] == 2
    assert set(manifest["files"]) == {f"{t}.parquet" for t in original}
    restored = tmp_path / "restored.duckdb"
    restore(tmp_path / "backup", restored)
    assert checksums(restored) == original
    with Store(restored) as store:  # batch ids carry on after the restore
        assert store.observation_count() == 73665  # 57,729 + 336 + 14,010 + 1,590
        batch = store.commit_batch(BatchMeta("cli", "after-restore.csv", None),
                                   empty_figures(store), [])
        assert batch == 6  # after the 5 bundled batches


@pytest.mark.parametrize(("source", "target"), [("postgresql", "duckdb"),
                                                 ("duckdb", "postgresql")])
def test_a_backup_moves_between_backends_with_identical_checksums(
        source, target, bundled_db, postgres, bundled_postgres_template, tmp_path):
    origin = (new_database(postgres, bundled_postgres_template) if source == "postgresql"
              else str(bundled_db))
    with Store(origin) as store:  # something beyond the bundled data: a rollback and a token
        store.rollback(2)
        store.add_token("Example NGO", "d" * 64)
    original = checksums(origin)
    backup(origin, tmp_path / "backup")
    destination = (new_database(postgres) if target == "postgresql"
                   else str(tmp_path / "moved.duckdb"))
    assert main(["restore", str(tmp_path / "backup"), "--db", destination]) == 0
    assert checksums(destination) == original
    with Store(destination) as store:
        assert store.batch(2)["status"] == "rolled_back"
        assert store.token_digests() == {"Example NGO": "d" * 64}
        assert store.commit_batch(BatchMeta("cli", "next.csv", None), empty_figures(store),
                                  []) == 7  # 5 bundled, the rollback


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


def test_restore_on_a_server_replaces_everything_in_one_change(postgres,
                                                                bundled_postgres_template,
                                                                tmp_path):
    url = new_database(postgres, bundled_postgres_template)
    original = checksums(url)
    with Store(url, read_only=True) as store:
        version_before = store.data_version()
    backup(url, tmp_path / "backup")
    with Store(url) as store:
        store.rollback(1)
    assert checksums(url) != original
    restore(tmp_path / "backup", url)
    assert checksums(url) == original
    with Store(url, read_only=True) as store:
        # a new generation: no dashboard cache can mistake these figures for older ones
        assert store.data_version().generation != version_before.generation


def test_damaged_backup_is_refused_and_the_database_untouched(bundled_target, tmp_path,
                                                                capsys):
    backup(bundled_target, tmp_path / "backup")
    with Store(bundled_target) as store:
        store.rollback(2)
    before = checksums(bundled_target)
    parquet = tmp_path / "backup" / "observations.parquet"
    data = bytearray(parquet.read_bytes())
    data[len(data) // 2] ^= 0xFF  # one flipped byte in the middle of the figures
    parquet.write_bytes(bytes(data))
    with pytest.raises(BackupError, match="observations.parquet") as raised:
        restore(tmp_path / "backup", bundled_target)
    assert "the database is unchanged" in str(raised.value)
    assert main(["restore", str(tmp_path / "backup"), "--db", bundled_target]) == 1
    err = capsys.readouterr().err
    assert "damaged" in err and "observations.parquet" in err and "Nothing was restored" in err
    assert checksums(bundled_target) == before
    if not bundled_target.startswith("postgresql"):
        assert not Path(bundled_target + ".before-restore").exists()
    assert not list(tmp_path.glob(".*restore*"))


def test_manifest_that_lies_about_a_table_is_refused(bundled_target, tmp_path):
    """Files and manifest agree byte for byte, but a table does not hold what the manifest
    promised: refused before anything is touched."""
    backup(bundled_target, tmp_path / "backup")
    manifest_path = tmp_path / "backup" / MANIFEST
    manifest = json.loads(manifest_path.read_text())
    manifest["tables"]["observations"] = "73665:1"
    manifest_path.write_text(json.dumps(manifest))
    target = tmp_path / "target.duckdb"
    with pytest.raises(BackupError, match="observations"):
        restore(tmp_path / "backup", target)
    assert not target.exists()
    assert not list(tmp_path.glob(".*restore*"))


def test_a_backup_of_the_earlier_format_still_restores(bundled_db, tmp_path):
    """Format 1 (DuckDB's EXPORT DATABASE, from the first release): verified with its own
    checksums and upgraded to the current schema."""
    import hashlib

    legacy = tmp_path / "legacy"
    with duckdb.connect(str(bundled_db), read_only=True) as conn:
        conn.execute(f"EXPORT DATABASE '{legacy}' (FORMAT parquet)")
        tables = {}
        for (name,) in conn.execute("SELECT table_name FROM information_schema.tables WHERE "
                                    "table_type = 'BASE TABLE'").fetchall():
            count, hashed = conn.execute(
                f'SELECT count(*), coalesce(bit_xor(hash(t)), 0) FROM "{name}" t').fetchall()[0]
            tables[name] = f"{count}:{hashed}"
    files = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in legacy.iterdir()}
    (legacy / MANIFEST).write_text(json.dumps({"format": 1, "tables": tables, "files": files}))
    restored = tmp_path / "from-legacy.duckdb"
    restore(legacy, restored)
    assert checksums(restored) == checksums(bundled_db)


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
    assert "73665 current figures" in out and f"indicators restore {tmp_path / 'bk'}" in out


def test_restore_waits_for_a_writer_then_says_it_is_busy(bundled_db, tmp_path, monkeypatch):
    """Another process writing for longer than the wait: a plain message, nothing changed."""
    backup(bundled_db, tmp_path / "backup")
    monkeypatch.setenv("INDICATORS_LOCK_WAIT", "1")
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); print('open', flush=True);"
         " time.sleep(60)", str(bundled_db)],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "open"
        before = bundled_db.read_bytes()
        assert main(["restore", str(tmp_path / "backup"), "--db", str(bundled_db)]) == 1
        assert bundled_db.read_bytes() == before
    finally:
        holder.kill()
        holder.wait(timeout=10)
    shutil.rmtree(tmp_path / "backup")
