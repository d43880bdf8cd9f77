"""SDG 16.2.2 as its custodian publishes it (issue 21): `indicators report` and `source list` on
the bundled data, on both backends, in subprocesses as a person runs them.

Hand-checked against the files in data/ (openpyxl and a text editor):
- unodc_sdg_2025/sdg_dataset.xlsx, indicator 16.2.2, series "Victims of human trafficking per
  100,000 population", sex Total, age Total: Republic of Moldova 2007 7.74, Seychelles 2020
  77.31, United Kingdom 2021 18.77; nothing for New Zealand 2019 (its count is '<5').
- computed (detected victims ÷ World Bank population × 100,000): Moldova 2007 298 ÷ 2,874,299
  = 10.37; Seychelles 2020 93 ÷ 98,462 = 94.45; United Kingdom 2021 12,700 ÷ 66,984,000 =
  18.96; New Zealand 2019 '<5' (1 to 4) ÷ 4,970,300 = 0.020 to 0.080.
"""

from __future__ import annotations

import json
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SDG = "victims_per_100k"
SDG_CITATION = "UNODC, SDG indicator data (release 15 May 2025)"
PUBLISHED_LINE = "UNODC's published value (SDG 16.2.2 as its custodian publishes it)."
COMPUTED_COUNTRY_LINE = ("Computed from detected victims and World Bank population (UNODC "
                         "publishes no value for this country and year).")
COMPUTED_SUM_LINE = ("Computed from detected victims and World Bank population (UNODC "
                     "publishes no regional or world value).")


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "indicators", *args], capture_output=True,
                          text=True, timeout=300, cwd=ROOT, encoding="utf-8")


def reports(db: str, asked: dict[str, tuple[str, ...]]) -> dict[str, subprocess.CompletedProcess]:
    """Several `indicators report` runs side by side (they only read)."""
    with ThreadPoolExecutor(max_workers=3) as pool:
        futures = {name: pool.submit(cli, "report", *args, "--db", db)
                   for name, args in asked.items()}
        done = {name: future.result() for name, future in futures.items()}
    for name, result in done.items():
        assert result.returncode == 0, (name, result.stderr)
    return done


def sdg_row(result: subprocess.CompletedProcess) -> dict:
    [row] = [r for r in json.loads(result.stdout) if r["indicator"] == SDG]
    return row


def one_sdg(scope: tuple[str, ...], year: int) -> tuple[str, ...]:
    return (*scope, "--year", str(year), "--indicator", SDG)


def test_report_gives_unodcs_published_value_and_says_which_is_which(bundled_target):
    asked = {
        "mda": one_sdg(("--country", "MDA"), 2007),
        "syc": one_sdg(("--country", "SYC"), 2020),
        "gbr": one_sdg(("--country", "GBR"), 2021),
        "nzl": one_sdg(("--country", "NZL"), 2019),
        "world": one_sdg(("--world",), 2019),
        "europe": one_sdg(("--region", "Europe"), 2019),
    }
    asked |= {f"{name}_json": (*args, "--format", "json") for name, args in asked.items()}
    done = reports(bundled_target, asked)

    # UNODC's published rates, not the computed ones (10.37, 94.45, 18.96)
    for name, value in (("mda", 7.74), ("syc", 77.31), ("gbr", 18.77)):
        row = sdg_row(done[f"{name}_json"])
        assert (row["value"], row["lower"], row["upper"]) == (value, value, value), name
        assert (row["basis"], row["status"], row["denominator_year"]) == (
            "published", "no_target", None)
        [figure] = row["inputs"]  # it rests on the published figure alone
        assert (figure["measure"], figure["value"], figure["source"]) == (
            SDG, value, SDG_CITATION)
        assert f"{value:.2f}" in done[name].stdout
        assert PUBLISHED_LINE in done[name].stdout
        assert "Computed" not in done[name].stdout
    assert round(sdg_row(done["syc_json"])["value"], 1) == 77.3
    assert "10.37" not in done["mda"].stdout

    # New Zealand 2019: UNODC publishes no rate ('<5' victims), so it is computed, and says so
    nzl = sdg_row(done["nzl_json"])
    assert nzl["basis"] == "computed"
    assert nzl["value"] is None
    assert (nzl["lower"], nzl["upper"]) == pytest.approx(
        (1 / 4_970_300 * 100_000, 4 / 4_970_300 * 100_000))
    assert [i["measure"] for i in nzl["inputs"]] == ["victims_detected", "population"]
    assert COMPUTED_COUNTRY_LINE in done["nzl"].stdout
    assert PUBLISHED_LINE not in done["nzl"].stdout

    # regions and the world: always computed (UNODC publishes no such rows), from the counts
    for name in ("world", "europe"):
        row = sdg_row(done[f"{name}_json"])
        assert row["basis"] == "computed", name
        assert [i["measure"] for i in row["inputs"]] == ["victims_detected", "population"]
        assert SDG_CITATION not in row["inputs"][0]["source"]
        assert COMPUTED_SUM_LINE in done[name].stdout


def test_source_list_shows_the_sdg_data_set_as_batch_5(bundled_target):
    listed = cli("source", "list", "--db", bundled_target)
    assert listed.returncode == 0, listed.stderr
    line = next(x for x in listed.stdout.splitlines() if "unodc_sdg_2025" in x)
    # loaded after the four earlier releases (batches 1–4), 1,590 national rates
    assert "unodc_sdg" in line and "5" in line.split("┆")[3] and "1590" in line
    assert "release of 15 May 2025" in line


def test_nigeria_2022_rests_on_79_persons_convicted(bundled_target):
    done = reports(bundled_target, {"nga": ("--country", "NGA", "--year", "2022", "--format",
                                            "json")})
    rows = {r["indicator"]: r for r in json.loads(done["nga"].stdout)}
    conviction = rows["conviction_rate"]
    convicted, estimate = conviction["inputs"]
    assert (convicted["measure"], convicted["year"], convicted["value"]) == (
        "persons_convicted", 2022, 79.0)
    assert convicted["source"] == ("UNODC, Global Report on Trafficking in Persons, data portal "
                                   "(release 14 April 2025)")
    assert estimate["measure"] == "estimated_victims"
    assert conviction["value"] == 79 / estimate["value"]
