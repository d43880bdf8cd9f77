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


def test_a_subregion_report_works_on_both_backends(bundled_target):
    """`report --region "Western Africa"`: a UN M49 subregion, summed like a region.

    Identification rate, Western Africa, 2020, counted by hand from the bundled files: the 12
    of its 17 countries and territories with both figures, UNODC's 2025 release (detected
    victims, 2020) over Walk Free's estimate (2021):
    Benin 1,319 / 37,000; Burkina Faso 1,560 / 77,000; Côte d'Ivoire 119 / 193,000;
    Gambia 20 / 16,000; Ghana 504 / 91,000; Guinea-Bissau 167 / 9,000; Mali 77 / 106,000;
    Niger 12 / 112,000; Nigeria 1,087 / 1,611,000; Senegal 9 / 49,000; Sierra Leone 50 /
    27,000; Togo 79 / 28,000. Sums: 5,003 / 2,356,000 = 0.21%, '1 in 470'. Cabo Verde,
    Guinea, Liberia, Mauritania and Saint Helena have no 2020 detected victims.
    """
    db = ("--db", bundled_target)
    asked = ("report", "--region", "Western Africa", "--year", "2020", *db)
    table = cli(*asked)
    assert table.returncode == 0, table.stderr
    assert "Traceback" not in table.stderr
    line = next(t for t in table.stdout.splitlines() if t.startswith("4. Victim identification"))
    assert "Western Africa 2020" in line and "1 in 470" in line
    as_json = cli(*asked, "--indicator", "identification_rate", "--format", "json")
    assert as_json.returncode == 0, as_json.stderr
    (row,) = json.loads(as_json.stdout)
    assert (row["scope"], row["scope_type"], row["year"]) == ("Western Africa", "subregion",
                                                              2020)
    assert row["value"] == 5_003 / 2_356_000
    assert (row["countries_counted"], row["countries_in_scope"]) == (12, 17)
    num, den = row["inputs"]
    assert (num["measure"], num["value"], num["value_status"]) == (
        "victims_detected", 5_003.0, "sum over 12 countries")
    assert (den["measure"], den["value"]) == ("estimated_victims", 2_356_000.0)
    # any case; a name that is neither a region nor a subregion says what there is
    assert cli("report", "--region", "western africa", "--year", "2020", *db).returncode == 0
    wrong = cli("report", "--region", "West Africa", *db)
    assert wrong.returncode != 0 and "Traceback" not in wrong.stderr
    assert "No region or subregion 'West Africa'." in wrong.stderr
    assert "Subregions: " in wrong.stderr and "Western Africa" in wrong.stderr
