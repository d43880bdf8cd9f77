"""Several processes at once, on both backends: two uploads committed at the same moment that
touch the same figure, and commands run while another process is writing.

Each writer is a real `indicators import` in its own process; the figures are synthetic and
labelled so in their source.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import polars as pl

from indicators.store import Store

ROOT = Path(__file__).resolve().parents[2]
SOURCE = "SYNTHETIC TEST DATA (concurrent writers test)"


def _csv(path: Path, value: int, extra_country: str) -> Path:
    path.write_text("country,year,measure,value,source,note\r\n"
                    f"GBR,2022,victims_reported,{value},{SOURCE},\r\n"
                    f"{extra_country},2022,victims_reported,{value},{SOURCE},\r\n",
                    encoding="utf-8")
    return path


def _import(target: str, csv: Path, organisation: str, contributor: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "indicators", "import", str(csv), "--db", target,
         "--organisation", organisation, "--contributor", contributor],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=ROOT,
        env={**os.environ, "PYTHONUNBUFFERED": "1"})


def _value(store: Store, iso3: str) -> float | None:
    rows = store.observations().filter((pl.col("iso3") == iso3) & (pl.col("year") == 2022)
                                       & (pl.col("measure") == "victims_reported"))
    return rows["value"][0] if rows.height else None


def test_two_uploads_at_the_same_moment_are_both_recorded_in_order(bundled_target, tmp_path):
    first = _csv(tmp_path / "first.csv", 100, "FRA")
    second = _csv(tmp_path / "second.csv", 200, "DEU")
    # Two people of one organisation (one series): both processes start together and reach
    # the commit at about the same moment.
    processes = [_import(bundled_target, first, "NGO one", "Ana"),
                 _import(bundled_target, second, "NGO one", "Bo")]
    outputs = [p.communicate(timeout=180)[0] for p in processes]
    assert [p.returncode for p in processes] == [0, 0], outputs
    with Store(bundled_target) as store:
        batches = store.batches().filter(pl.col("kind") == "cli").sort("id")
        assert batches["id"].to_list() == [6, 7]  # after the 5 bundled: in commit order
        assert batches["status"].to_list() == ["submitted", "submitted"]
        assert _value(store, "GBR") is None  # nothing shows before review
        for batch in (6, 7):
            store.approve_batch(batch, reviewer="Reviewer")
        by_file = dict(zip(batches["file_name"], batches["id"], strict=True))
        later_file = batches["file_name"][-1]
        later_value = 100.0 if later_file == "first.csv" else 200.0
        earlier_value = 300.0 - later_value
        # the later commit supersedes the earlier on the shared figure; both keep their own
        assert _value(store, "GBR") == later_value
        assert (_value(store, "FRA"), _value(store, "DEU")) == (100.0, 200.0)
        trail = store.figure_history("GBR", 2022, "victims_reported")
        assert trail.select("batch_id", "value").rows() == [(7, later_value),
                                                             (6, earlier_value)]
        # rolling back the later one brings the earlier one back ...
        store.rollback(7)
        assert _value(store, "GBR") == earlier_value
        # ... and rolling back the earlier one too leaves no figure at all
        store.rollback(6)
        assert _value(store, "GBR") is None
        assert set(by_file) == {"first.csv", "second.csv"}


def test_a_command_meeting_a_writer_waits_for_it(bundled_target, tmp_path):
    """A report started while an import commits waits for it and then reads, rather than
    failing; with DuckDB this is the file lock, with PostgreSQL the snapshot."""
    big = tmp_path / "many.csv"
    rows = ["country,year,measure,value,source,note"]
    rows += [f"{country},{year},victims_reported,100,{SOURCE}," for year in range(1990, 2025)
             for country in ("GBR", "FRA", "DEU", "ITA", "ESP", "NLD", "BEL", "PRT")]
    big.write_text("\r\n".join(rows) + "\r\n", encoding="utf-8")
    writer = _import(bundled_target, big, "NGO", "Ana")
    started = time.monotonic()
    report = subprocess.run(
        [sys.executable, "-m", "indicators", "report", "--world", "--year", "2019", "--db",
         bundled_target], capture_output=True, text=True, timeout=120, cwd=ROOT)
    writer_output = writer.communicate(timeout=180)[0]
    assert writer.returncode == 0, writer_output
    assert report.returncode == 0, report.stderr
    assert "Traceback" not in report.stderr
    assert "1. Conviction rate" in report.stdout
    assert time.monotonic() - started < 120
