"""A full disk during an import: the import fails with a clear message and nothing changes.

The disk is "filled" with a file-size limit (RLIMIT_FSIZE) on the importing process: any write
past 64 KB fails with EFBIG, exactly as a write to a full disk fails with ENOSPC. SIGXFSZ is
ignored so the process gets the error instead of being killed.
"""

from __future__ import annotations

import csv
import re
import subprocess
import sys
from pathlib import Path

from indicators.store import Store

LIMITED_IMPORT = """
import resource, signal, sys
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
limit = int(sys.argv[3])
resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
from indicators.cli import main
sys.exit(main(["import", sys.argv[1], "--db", sys.argv[2], "--organisation", "Test NGO",
              "--contributor", "Ana"]))
"""


def write_figures(path: Path) -> Path:
    """1,120 plausible figures for eight countries, 1990–2024 (test data, not real)."""
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["country", "year", "measure", "value", "source", "note"])
        for year in range(1990, 2025):
            for country in ("AFG", "ALB", "DZA", "AGO", "ARG", "ARM", "AUS", "AUT"):
                for measure in ("victims_detected", "persons_prosecuted", "suspects",
                                "offences_recorded"):
                    writer.writerow([country, year, measure, 100 + year % 7,
                                     "Test figures for the disk-full test", ""])
    return path


def run_import(csv_path: Path, db: Path, limit: int) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", LIMITED_IMPORT, str(csv_path), str(db),
                           str(limit)], capture_output=True, text=True, timeout=300)


def checksums(db: Path) -> dict[str, str]:
    with Store(db, read_only=True) as store:
        return store.table_checksums()


def test_full_disk_during_import_changes_nothing(bundled_db, tmp_path):
    figures = write_figures(tmp_path / "figures.csv")
    before = checksums(bundled_db)
    failed = run_import(figures, bundled_db, limit=64 * 1024)
    assert failed.returncode == 1
    assert "Traceback" not in failed.stderr
    assert f"error: The database file {bundled_db} could not be written" in failed.stderr
    assert "File too large" in failed.stderr
    assert "The change was not saved and the database is as it was." in failed.stderr
    assert "Submitted as batch" not in failed.stdout
    assert checksums(bundled_db) == before
    # With room on the disk again, the same file imports: the database was not left broken.
    done = run_import(figures, bundled_db, limit=1 << 40)
    assert done.returncode == 0, done.stderr
    assert "Submitted as batch 6 for review." in done.stdout  # after the 5 bundled batches
    counts = re.search(r"(\d+) new, (\d+) changed, (\d+) unchanged", done.stdout)
    assert counts is not None and sum(int(n) for n in counts.groups()) == 1120
    after = checksums(bundled_db)
    assert after["batches"].startswith("6:")
    # rows stored before: 77,124 (44,855 UNODC 2023 + 336 + 14,010 + 16,333 UNODC 2025
    # + 1,590 UNODC SDG)
    stored = 77124 + int(counts.group(1)) + int(counts.group(2))
    assert after["observations"].split(":")[0] == str(stored)
