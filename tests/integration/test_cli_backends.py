"""Every command on both backends, in a subprocess as a person runs it: the same words and
numbers whether `--db` is a DuckDB file or a PostgreSQL URL. The uploaded figure is synthetic
and labelled so in its source."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SOURCE = "SYNTHETIC TEST DATA (commands on both backends)"


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "indicators", *args], capture_output=True,
                          text=True, timeout=300, cwd=ROOT)


def test_every_command_works_the_same_on_both_backends(bundled_target, tmp_path):
    db = ("--db", bundled_target)
    report = cli("report", "--country", "GBR", "--year", "2019", "--format", "json", *db)
    assert report.returncode == 0, report.stderr
    rows = {r["indicator"]: r for r in json.loads(report.stdout)}
    # UNODC 2019: 251 convicted, 10,627 detected; Walk Free: 122,000 (2021)
    assert rows["conviction_rate"]["value"] == 251 / 122_000
    assert rows["identification_rate"]["value"] == 10_627 / 122_000

    exported = cli("export", "--out", str(tmp_path / "figures.csv"), *db)
    assert exported.returncode == 0, exported.stderr
    assert exported.stdout.startswith("73665 figures written to")

    figures = tmp_path / "one.csv"
    figures.write_text("country,year,measure,value,source,note\r\n"
                       f"GBR,2022,victims_reported,12,{SOURCE},\r\n", encoding="utf-8")
    who = ("--organisation", "Test NGO", "--contributor", "Ana")
    imported = cli("import", str(figures), *who, *db)
    assert imported.returncode == 0, imported.stderr
    assert "1 new, 0 changed, 0 unchanged figures" in imported.stdout
    assert "Submitted as batch 6 for review." in imported.stdout
    again = cli("import", str(figures), *who, *db)
    assert "already submitted as batch 6" in again.stdout and again.returncode == 0
    waiting = cli("review", "list", *db)
    assert waiting.returncode == 0 and "one.csv" in waiting.stdout and "Ana" in waiting.stdout
    own = cli("review", "approve", "6", "--reviewer", "Ana", *db)
    assert own.returncode == 1
    assert own.stderr.strip() == ("error: You submitted batch 6, so you cannot approve it: "
                                  "another reviewer must.")
    approved = cli("review", "approve", "6", "--reviewer", "Ben", *db)
    assert approved.returncode == 0, approved.stderr
    assert "Batch 6 approved by Ben" in approved.stdout

    history = cli("history", *db)
    assert history.returncode == 0 and "one.csv" in history.stdout
    changes = cli("history", "--batch", "6", "--format", "csv", *db)
    assert changes.returncode == 0 and "victims_reported" in changes.stdout

    token = cli("token", "new", "Test NGO", *db)
    assert token.returncode == 0, token.stderr
    listed = cli("token", "list", *db)
    assert [line.split("┆")[0].strip(" │") for line in listed.stdout.splitlines()
            if "┆" in line] == ["Name", "Test NGO"]

    backup = cli("backup", "--out", str(tmp_path / "backup"), *db)
    assert backup.returncode == 0, backup.stderr
    assert "73666 current figures" in backup.stdout

    rolled = cli("rollback", "6", *db)
    assert rolled.returncode == 0, rolled.stderr
    assert "Batch 6 rolled back (recorded as batch 7)" in rolled.stdout

    restored = cli("restore", str(tmp_path / "backup"), *db)
    assert restored.returncode == 0, restored.stderr
    assert re.search(r"Restored 73666 current figures into ", restored.stdout)

    listed = cli("source", "list", *db)
    assert listed.returncode == 0 and "unodc_glotip_2023" in listed.stdout
    for done in (report, exported, imported, own, approved, history, token, backup, rolled,
                 restored, listed):
        assert "Traceback" not in done.stderr
