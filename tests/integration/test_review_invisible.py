"""Until a second person approves it, a submitted upload changes nothing a reader can get: not
`indicators report`, not `indicators export`, not the PDF brief. After approval the report uses
the organisation's figures where the source rule says so, and the export lists both series.

The upload is synthetic: the United Kingdom's victims prosecuted (a measure no official series
publishes) and a persons-convicted figure beside UNODC's 251 for 2019.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import polars as pl

ROOT = Path(__file__).resolve().parents[2]
UPLOAD = ("country,year,measure,value,source,note\r\n"
          "GBR,2019,victims_prosecuted,3,SYNTHETIC TEST DATA (review test),\r\n"
          "GBR,2019,persons_convicted,9000,SYNTHETIC TEST DATA (review test),their casework\r\n")


def run(*args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("INDICATORS_")}
    env["PYTHONIOENCODING"] = "utf-8"
    return subprocess.run([sys.executable, "-m", "indicators", *args], capture_output=True,
                          text=True, encoding="utf-8", cwd=ROOT, env=env, timeout=300,
                          check=False)


def what_readers_get(db: str, out: Path) -> dict[str, object]:
    """The report for GBR 2019, the export, and the brief's text, as a reader gets them."""
    out.mkdir()
    report = run("report", "--db", db, "--country", "GBR", "--year", "2019",
                 "--format", "json")
    export = run("export", "--db", db, "--format", "csv", "--out", str(out / "all.csv"))
    brief = run("brief", "--db", db, "--country", "GBR", "--year", "2019",
                "--out", str(out / "gbr.pdf"))
    for done in (report, export, brief):
        assert done.returncode == 0, done.stderr
    text = subprocess.run(["pdftotext", "-layout", str(out / "gbr.pdf"), "-"],
                          capture_output=True, text=True, check=True).stdout
    return {"report": json.loads(report.stdout),
            "export": (out / "all.csv").read_bytes(),
            # the brief says when it was made; everything else must be the same
            "brief": [line for line in text.splitlines() if "Made on" not in line]}


def test_a_submitted_upload_changes_nothing_readers_get_until_approved(bundled_target: str,
                                                                       tmp_path: Path):
    """On both backends: a DuckDB file and a PostgreSQL database (tests/conftest.py)."""
    bundled_db = bundled_target
    before = what_readers_get(bundled_db, tmp_path / "before")
    upload = tmp_path / "casework.csv"
    upload.write_text(UPLOAD, encoding="utf-8")
    submitted = run("import", "--db", bundled_db, str(upload),
                    "--organisation", "Test NGO", "--contributor", "Ana")
    assert submitted.returncode == 0, submitted.stderr
    assert "Submitted as batch 6 for review." in submitted.stdout

    waiting = what_readers_get(bundled_db, tmp_path / "waiting")
    assert waiting["report"] == before["report"]
    assert waiting["export"] == before["export"]
    assert waiting["brief"] == before["brief"]

    approved = run("review", "approve", "6", "--reviewer", "Ben", "--db", bundled_db)
    assert approved.returncode == 0, approved.stderr
    after = what_readers_get(bundled_db, tmp_path / "after")
    rows = {r["indicator"]: r for r in after["report"]}
    # indicator 5 rests on the NGO's figure (no official series publishes it)...
    assert (rows["victims_prosecuted"]["value"], rows["victims_prosecuted"]["status"]) == (
        3.0, "not_met")
    # ...the conviction rate stays UNODC's 251 / 122,000: the official figure comes first
    assert rows["conviction_rate"]["value"] == 251 / 122_000
    exported = pl.read_csv(tmp_path / "after" / "all.csv", infer_schema_length=0).filter(
        (pl.col("iso3") == "GBR") & (pl.col("year") == "2019")
        & (pl.col("measure") == "persons_convicted"))
    assert sorted(zip(exported["series"], exported["value"], exported["basis"].fill_null(""),
                      strict=True)) == [("Test NGO", "9000.0", ""),
                                        ("official", "251.0", "official")]
    assert after["brief"] != before["brief"]
