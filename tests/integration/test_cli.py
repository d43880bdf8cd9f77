"""The `indicators` command, run for real in subprocesses on database files in a temp dir.

The commands that do not depend on each other run a few at a time to keep the suite quick;
each test then checks one command's exit code and output.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import polars as pl
import pytest

from indicators.compute import compute_indicators
from indicators.measures import INDICATORS, REPORTING_PROXY_NOTE
from indicators.settings import IndicatorSettings
from indicators.store import Store

UNODC = "UNODC, Global Report on Trafficking in Persons, data portal (release 30 May 2023)"
WALK_FREE = "Walk Free, Global Slavery Index 2023"
WORLD_BANK = "World Bank, World Development Indicators, Population, total (SP.POP.TOTL)"

WHO = ["--organisation", "Synthetic NGO", "--contributor", "Ana"]
# A contributor's file in the long template (synthetic figures).
GOOD_CSV = (
    "iso3,year,measure,value,source\n"
    "GBR,2015,victims_reported,100,Synthetic NGO annual report\n"
    "GBR,2019,victims_reported,150,Synthetic NGO annual report\n"
    "GBR,2019,victims_prosecuted,0,Synthetic NGO annual report\n"
)
# Row 3 has a negative count, row 4 a country that does not exist.
BAD_CSV = (
    "iso3,year,measure,value,source\n"
    "GBR,2019,victims_reported,150,Synthetic NGO annual report\n"
    "GBR,2020,victims_reported,-5,Synthetic NGO annual report\n"
    "XYZ,2020,victims_reported,7,Synthetic NGO annual report\n"
)
NEGATIVE_CSV = (
    "iso3,year,measure,value,source\n"
    "GBR,2019,victims_reported,150,Synthetic NGO annual report\n"
    "GBR,2020,victims_reported,-5,Synthetic NGO annual report\n"
)


@dataclass(frozen=True)
class Result:
    returncode: int
    stdout: str
    stderr: str


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("INDICATORS_")}
    env["PYTHONIOENCODING"] = "utf-8"
    return env


def run(args: list[str], cwd: Path) -> Result:
    done = subprocess.run(
        [sys.executable, "-m", "indicators", *args],
        capture_output=True, text=True, encoding="utf-8", cwd=cwd, env=_env(), timeout=300,
        check=False,
    )
    return Result(done.returncode, done.stdout, done.stderr)


def run_many(commands: dict[str, list[str]], cwd: Path) -> dict[str, Result]:
    with ThreadPoolExecutor(max_workers=4) as pool:
        futures = {name: pool.submit(run, args, cwd) for name, args in commands.items()}
        return {name: future.result() for name, future in futures.items()}


def checksums(path: Path) -> dict[str, str]:
    with Store(path, read_only=True) as store:
        return store.table_checksums()


@dataclass
class Session:
    tmp: Path
    db: Path
    results: dict[str, Result]
    bad_db: Path
    bad_before: dict[str, str]
    negative_before: dict[str, str]
    negative_db: Path
    init_checksums: list[dict[str, str]]


@pytest.fixture(scope="module")
def cli(tmp_path_factory: pytest.TempPathFactory) -> Session:
    tmp = tmp_path_factory.mktemp("cli")
    db = tmp / "indicators.duckdb"
    results = {"init_1": run(["init", "--db", str(db)], tmp)}
    assert results["init_1"].returncode == 0, results["init_1"].stderr
    init_checksums = [checksums(db)]
    results["init_2"] = run(["init", "--db", str(db)], tmp)
    init_checksums.append(checksums(db))

    copies = {}
    for name in ("good", "bad", "negative"):
        copies[name] = tmp / f"{name}.duckdb"
        shutil.copyfile(db, copies[name])
    (tmp / "good.csv").write_text(GOOD_CSV, encoding="utf-8")
    (tmp / "bad.csv").write_text(BAD_CSV, encoding="utf-8")
    (tmp / "negative.csv").write_text(NEGATIVE_CSV, encoding="utf-8")
    bad_before = checksums(copies["bad"])
    negative_before = checksums(copies["negative"])

    d = ["--db", str(db)]
    gbr = ["report", *d, "--country", "GBR", "--year", "2019"]
    results.update(run_many({
        "json": [*gbr, "--format", "json"],
        "no_proxies": [*gbr, "--format", "json", "--no-proxies"],
        "gbr_csv": [*gbr, "--format", "csv"],
        "gbr_table": [*gbr, "--format", "table"],
        "europe": ["report", *d, "--region", "Europe", "--year", "2019", "--format", "csv"],
        "world": ["report", *d, "--world", "--year", "2019", "--format", "json"],
        "unknown_country": ["report", *d, "--country", "XYZ"],
        "year_out_of_range": ["report", *d, "--year", "1850"],
        "missing_db": ["report", "--db", str(tmp / "missing.duckdb")],
        "export_csv": ["export", *d, "--format", "csv", "--out", str(tmp / "out" / "obs.csv")],
        "export_parquet": ["export", *d, "--format", "parquet", "--out",
                           str(tmp / "out" / "obs.parquet")],
        "import_good": ["import", "--db", str(copies["good"]), str(tmp / "good.csv"),
                        "--organisation", "Synthetic NGO", "--contributor", "Ana"],
        "import_bad": ["import", "--db", str(copies["bad"]), str(tmp / "bad.csv"),
                       *WHO],
        "import_negative": ["import", "--db", str(copies["negative"]), str(tmp / "negative.csv"),
                            *WHO],
        "import_nobody": ["import", "--db", str(copies["negative"]), str(tmp / "good.csv")],
    }, tmp))
    good = ["--db", str(copies["good"])]
    gbr_good = ["report", *good, "--country", "GBR", "--year", "2019", "--format", "json"]
    results["before_review"] = run(gbr_good, tmp)
    results["review_list"] = run(["review", "list", *good], tmp)
    results["self_approve"] = run(["review", "approve", "6", "--reviewer", "ana", *good], tmp)
    results["approve"] = run(["review", "approve", "6", "--reviewer", "Ben", *good], tmp)
    results["approve_again"] = run(["review", "approve", "6", "--reviewer", "Ben", *good], tmp)
    results["after_import"] = run(gbr_good, tmp)
    return Session(tmp, db, results, copies["bad"], bad_before, negative_before,
                   copies["negative"], init_checksums)


def ok(session: Session, name: str) -> Result:
    result = session.results[name]
    assert result.returncode == 0, f"{name}: {result.stderr}"
    return result


def by_indicator(records: list[dict]) -> dict[str, dict]:
    return {r["indicator"]: r for r in records}


# -- init ------------------------------------------------------------------------------------
def test_init_builds_then_skips(cli: Session):
    first = ok(cli, "init_1").stdout
    # UNODC 2023: 6,183 national totals and 38,672 breakdowns; World Bank: 216 countries × 65
    # years; UNODC 2025 last (batch 4): 7,203 national totals (PROVENANCE) and 50,526
    # breakdowns, laid over 2023 with its revision report
    assert "data_glotip.xlsx (unodc_glotip_2023): 44855 figures loaded as batch 1" in first
    assert ("Global_Slavery_Index_2023.csv (walkfree_gsi_2023): 336 figures loaded as batch 2"
            in first)
    assert ("population.csv (worldbank_population_2026-03-06): 14010 figures loaded as batch 3"
            in first)
    assert "data_glotip.xlsx (unodc_glotip_2025): 57729 figures loaded as batch 4" in first
    # UNODC's SDG data set after them all (batch 5): 16.2.2's 1,713 national rates (sex and
    # age Total) less 123 empty ones
    assert "sdg_dataset.xlsx (unodc_sdg_2025): 1590 figures loaded as batch 5" in first
    assert "73665 current figures" in first  # 57,729 (UNODC 2025) + 336 + 14,010 + 1,590
    second = ok(cli, "init_2").stdout
    assert ("data_glotip.xlsx (unodc_glotip_2023): a later release of this source is loaded; "
            "this one was not laid over it") in second
    assert "Global_Slavery_Index_2023.csv (walkfree_gsi_2023): already loaded, skipped" in second
    assert ("population.csv (worldbank_population_2026-03-06): already loaded, skipped"
            in second)
    assert "data_glotip.xlsx (unodc_glotip_2025): already loaded, skipped" in second
    assert "sdg_dataset.xlsx (unodc_sdg_2025): already loaded, skipped" in second
    assert cli.init_checksums[0] == cli.init_checksums[1]
    with Store(cli.db, read_only=True) as store:
        assert store.batches().height == 5


# -- report ----------------------------------------------------------------------------------
def test_report_json_for_gbr_2019(cli: Session):
    records = json.loads(ok(cli, "json").stdout)
    assert [r["indicator"] for r in records] == list(INDICATORS)
    for record in records:
        assert list(record)[:8] == ["indicator", "scope", "year", "value", "target", "status",
                                    "proxy", "inputs"]
        assert (record["scope"], record["year"]) == ("GBR", 2019)
    rows = by_indicator(records)

    conviction = rows["conviction_rate"]
    assert conviction["value"] == 251 / 122_000
    assert (conviction["target"], conviction["status"]) == (0.3, "off_track")
    assert conviction["denominator_year"] == 2021
    assert [(i["measure"], i["year"], i["value"], i["source"]) for i in conviction["inputs"]] == [
        ("persons_convicted", 2019, 251.0, UNODC),
        ("estimated_victims", 2021, 122_000.0, WALK_FREE),
    ]

    identification = rows["identification_rate"]
    assert identification["value"] == 10_627 / 122_000
    # 8.7% in 2019 against "more than 20% every year": not met. The target holds every year,
    # so there is no "on track"; the trend is carried separately: the line through 2015–2019
    # (596, 601, 5,138, 6,985, 10,627 detected victims over 122,000) rises, and it spans the
    # possible break of 2017 (601 → 5,138, 8.5-fold: a change in UK recording).
    assert (identification["target"], identification["status"]) == (0.2, "not_met")
    assert identification["status_text"] == "✗ Not met"
    assert identification["trend"] == "improving"
    assert (identification["series_break"], identification["break_year"]) == (False, 2017)
    assert identification["projected_at_deadline"] is None
    assert identification["deadline_year"] is None
    assert identification["value_text"] == "8.7%"
    assert conviction["value_text"] == "1 in 490"  # 122,000 / 251 = 486
    assert [(i["measure"], i["year"], i["value"], i["source"])
            for i in identification["inputs"]] == [
        ("victims_detected", 2019, 10_627.0, UNODC),
        ("estimated_victims", 2021, 122_000.0, WALK_FREE),
    ]

    reporting = rows["reporting_increase"]
    assert reporting["value"] == pytest.approx(10_627 / 596 - 1)
    assert reporting["proxy"] == REPORTING_PROXY_NOTE
    # detected victims stand in for victims reported: never plain "met"
    assert (reporting["status"], reporting["basis"]) == ("met_on_proxy", "proxy")
    assert reporting["status_text"] == "◐ Target met on a proxy"
    assert reporting["break_year"] == 2017
    assert rows["data_sharing_countries"]["value"] == 1
    assert rows["data_sharing_countries"]["status"] == "met_on_proxy"
    assert rows["victims_prosecuted"]["status"] == "no_data"
    assert rows["victims_prosecuted"]["value"] is None


def test_report_sdg_16_2_2_for_gbr_2019(cli: Session):
    sdg = by_indicator(json.loads(ok(cli, "json").stdout))["victims_per_100k"]
    # UNODC publishes 15.83 (its SDG data set); computed, 10,627 detected victims ÷ 66,631,000
    # people × 100,000 would be 15.95: the published value is shown, and says so
    assert sdg["value"] == 15.83
    assert round(10_627 / 66_631_000 * 100_000, 2) == 15.95
    assert (sdg["target"], sdg["status"], sdg["proxy"], sdg["basis"]) == (
        None, "no_target", None, "published")
    assert sdg["denominator_year"] is None
    assert [(i["measure"], i["year"], i["value"], i["source"]) for i in sdg["inputs"]] == [
        ("victims_per_100k", 2019, 15.83, "UNODC, SDG indicator data (release 15 May 2025)"),
    ]
    assert "UNODC's published value (SDG 16.2.2 as its custodian publishes it)." in ok(
        cli, "gbr_table").stdout


def test_report_sdg_16_2_2_for_the_world_is_a_ratio_of_sums(cli: Session,
                                                             bundled_db_template: Path):
    sdg = by_indicator(json.loads(ok(cli, "world").stdout))["victims_per_100k"]
    with Store(bundled_db_template, read_only=True) as store:
        figures = store.observations().filter(pl.col("year") == 2019)
    victims = figures.filter(pl.col("measure") == "victims_detected").select(
        "iso3", pl.coalesce("lower", "value").alias("low"),
        pl.coalesce("upper", "value").alias("high"))
    people = figures.filter(pl.col("measure") == "population").select(
        "iso3", pl.col("value").alias("people"))
    both = victims.join(people, on="iso3")  # the countries with both figures
    # 2025 workbook, by hand: 134 countries publish detected victims for 2019, 132 of them
    # with a World Bank population (not the Cook Islands, the Holy See); 16 of those '<5'
    assert sdg["countries_counted"] == both.height == 132
    assert sdg["lower"] == pytest.approx(both["low"].sum() / both["people"].sum() * 100_000)
    assert sdg["upper"] == pytest.approx(both["high"].sum() / both["people"].sum() * 100_000)
    assert sdg["value"] is None  # 16 of them reported '<5': a range
    assert sdg["note"] == "16 of the 132 countries reported '<5'; the value is a range."
    assert sdg["countries_in_scope"] > sdg["countries_counted"]
    assert 0 < sdg["coverage_share"] < 1
    assert [i["measure"] for i in sdg["inputs"]] == ["victims_detected", "population"]
    people_sum = sdg["inputs"][1]
    assert people_sum["lower"] == people_sum["upper"] == both["people"].sum()


def test_report_without_proxies(cli: Session):
    rows = by_indicator(json.loads(ok(cli, "no_proxies").stdout))
    assert rows["reporting_increase"]["status"] == "no_data"
    assert rows["reporting_increase"]["value"] is None
    assert rows["reporting_increase"]["proxy"] is None
    assert rows["data_sharing_countries"]["status"] == "no_data"
    # rates do not depend on proxies
    assert rows["conviction_rate"]["value"] == 251 / 122_000


def test_report_csv(cli: Session):
    frame = pl.read_csv(io.StringIO(ok(cli, "gbr_csv").stdout))
    assert frame.columns[:8] == ["indicator", "scope", "scope_type", "year", "value", "lower",
                                 "upper", "target"]
    assert frame["indicator"].to_list() == list(INDICATORS)
    conviction = frame.row(0, named=True)
    assert conviction["value"] == pytest.approx(251 / 122_000, rel=1e-12)
    assert "persons_convicted GBR 2019=251.0 (UNODC" in conviction["inputs"]
    assert "estimated_victims GBR 2021=122000.0 (Walk Free" in conviction["inputs"]


def test_report_table(cli: Session):
    lines = ok(cli, "gbr_table").stdout.splitlines()
    headline = [line for line in lines if line[:2] in {"1.", "2.", "3.", "4.", "5.", "6."}]
    assert len(headline) == 6
    assert headline[0].startswith("1. Conviction rate")
    assert "GBR" in headline[0] and "1 in 490" in headline[0] and "✖ Off track" in headline[0]
    assert "8.7%" in headline[3]  # 10,627 / 122,000
    assert "✗ Not met; trend improving" in headline[3]
    assert "◐ Target met on a proxy" in headline[1]
    assert any("possible break in the series in 2017" in line for line in lines)
    assert "○ No data" in headline[4]
    assert headline[5].startswith("6. Detected victims per 100,000 people")
    # UNODC's published 15.83, not the computed 15.95, and the line under it says so
    assert "15.83" in headline[5] and "– No target at this level" in headline[5]
    assert lines[lines.index(headline[5]) + 1] == (
        "   UNODC's published value (SDG 16.2.2 as its custodian publishes it).")


def test_report_region(cli: Session, bundled_db_template: Path):
    frame = pl.read_csv(io.StringIO(ok(cli, "europe").stdout))
    assert set(frame["scope"]) == {"Europe"}
    assert set(frame["scope_type"]) == {"region"}
    assert frame.height == 6
    with Store(bundled_db_template, read_only=True) as store:
        expected = compute_indicators(store.observations(), store.countries(),
                                      IndicatorSettings())
    expected = expected.filter((pl.col("scope") == "Europe") & (pl.col("year") == 2019))
    for got in frame.iter_rows(named=True):
        want = expected.filter(pl.col("indicator") == got["indicator"]).row(0, named=True)
        assert got["status"] == want["status"]
        assert got["countries_counted"] == want["countries_counted"]
        for key in ("lower", "upper", "coverage_share"):
            if want[key] is None:
                assert got[key] is None, (got["indicator"], key)
            else:
                assert got[key] == pytest.approx(want[key], rel=1e-9), (got["indicator"], key)


def test_report_world(cli: Session):
    rows = by_indicator(json.loads(ok(cli, "world").stdout))
    assert {r["scope"] for r in rows.values()} == {"WORLD"}
    sharing = rows["data_sharing_countries"]
    # 141 countries reported a national total to UNODC for 2019 (the 2025 workbook, by hand):
    # the whole count rests on the proxy
    assert (sharing["value"], sharing["target"], sharing["status"]) == (141, 60, "met_on_proxy")
    assert (sharing["basis"], sharing["status_text"]) == ("proxy", "◐ Target met on a proxy")
    assert sharing["countries_in_scope"] > sharing["countries_counted"] > 0
    assert 0 < rows["conviction_rate"]["coverage_share"] < 1


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("unknown_country", "error: No country with the ISO3 code 'XYZ' in the data."),
        ("year_out_of_range", "error: No figures for 1850: the data run from 2003 to 2022."),
    ],
)
def test_report_errors_exit_non_zero_with_one_message(cli: Session, name, message):
    result = cli.results[name]
    assert result.returncode != 0
    assert result.stderr.strip() == message
    assert result.stdout == ""


def test_report_without_a_database(cli: Session):
    result = cli.results["missing_db"]
    assert result.returncode != 0
    missing = cli.tmp / "missing.duckdb"
    assert result.stderr.strip() == (
        f"error: no database at {missing}; run `indicators init` first.")
    assert not missing.exists()


# -- export ----------------------------------------------------------------------------------
def test_export_csv(cli: Session):
    assert "73665 figures written to" in ok(cli, "export_csv").stdout
    text = (cli.tmp / "out" / "obs.csv").read_text(encoding="utf-8-sig")
    frame = pl.read_csv(io.StringIO(text), infer_schema_length=0)
    assert frame.height == 73665  # 57,729 (UNODC 2025) + 336 + 14,010 + 1,590 (UNODC SDG)
    for column in ("iso3", "year", "measure", "value", "value_status", "lower", "upper",
                   "source_id", "source_publisher", "source_title", "source_edition",
                   "source_url", "source_licence"):
        assert column in frame.columns
    row = frame.filter((pl.col("iso3") == "GBR") & (pl.col("year") == "2019")
                       & (pl.col("measure") == "persons_convicted")).row(0, named=True)
    assert (float(row["value"]), row["source_publisher"]) == (251.0, "UNODC")


def test_export_parquet(cli: Session):
    assert "73665 figures written to" in ok(cli, "export_parquet").stdout
    frame = pl.read_parquet(cli.tmp / "out" / "obs.parquet")
    with Store(cli.db, read_only=True) as store:
        assert frame.height == store.observation_count() == 73665
    suppressed = frame.filter(pl.col("value_status") == "suppressed")
    assert suppressed["value"].null_count() == suppressed.height
    assert set(frame["source_publisher"]) == {"UNODC", "Walk Free", "World Bank"}


# -- import ----------------------------------------------------------------------------------
def test_import_submits_a_batch_that_changes_nothing_until_another_person_approves(
        cli: Session):
    out = ok(cli, "import_good").stdout
    assert "good.csv: 3 new, 0 changed, 0 unchanged figures" in out
    assert "Submitted as batch 6 for review." in out
    # Before review: the NGO's figures are not used; indicators 2 and 5 have no data.
    before = by_indicator(json.loads(ok(cli, "before_review").stdout))
    assert before["victims_prosecuted"]["value"] is None
    assert before["victims_prosecuted"]["status"] == "no_data"
    listed = ok(cli, "review_list").stdout
    assert "Synthetic NGO" in listed and "good.csv" in listed and "Ana" in listed
    refused = cli.results["self_approve"]
    assert refused.returncode == 1 and "Traceback" not in refused.stderr
    assert refused.stderr.strip() == ("error: You submitted batch 6, so you cannot approve it: "
                                      "another reviewer must.")
    assert "Batch 6 approved by Ben" in ok(cli, "approve").stdout
    again = cli.results["approve_again"]
    assert again.returncode == 1
    assert "Batch 6 is not awaiting review: it is published." in again.stderr
    rows = by_indicator(json.loads(ok(cli, "after_import").stdout))
    reporting = rows["reporting_increase"]
    assert reporting["value"] == 0.5  # 150 / 100 − 1: the NGO's own series, no proxy
    assert (reporting["status"], reporting["basis"]) == ("met", "own")
    assert reporting["proxy"] is None
    assert {i["source"] for i in reporting["inputs"]} == {
        "Synthetic NGO annual report (contributed by Synthetic NGO)"}
    prosecuted = rows["victims_prosecuted"]
    assert (prosecuted["value"], prosecuted["status"]) == (0.0, "met")
    with Store(cli.tmp / "good.duckdb", read_only=True) as store:
        batch = store.batch(6)  # after the 5 bundled batches
        assert (batch["kind"], batch["file_name"], batch["organisation"], batch["rows_new"]) == (
            "cli", "good.csv", "Synthetic NGO", 3)
        assert (batch["status"], batch["contributor"], batch["reviewed_by"]) == (
            "committed", "Ana", "Ben")
        events = store.batch_events(6)
        assert events.select("event", "actor").rows() == [("submitted", "Ana"),
                                                          ("approved", "Ben")]


def test_an_import_must_say_whose_figures_it_holds(cli: Session):
    result = cli.results["import_nobody"]
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "--organisation ORG --contributor NAME" in result.stderr
    assert checksums(cli.negative_db) == cli.negative_before


def test_a_bad_file_is_refused_and_the_database_is_unchanged(cli: Session):
    result = cli.results["import_bad"]
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert "bad.csv, row 4, column 'iso3', value 'XYZ'" in result.stderr
    assert "Nothing was written; the database is unchanged." in result.stderr
    assert checksums(cli.bad_db) == cli.bad_before


def test_a_negative_count_is_refused_with_row_column_and_value(cli: Session):
    result = cli.results["import_negative"]
    assert result.returncode != 0
    assert "negative.csv, row 3, column 'value', value '-5" in result.stderr
    assert "A count cannot be negative." in result.stderr
    assert checksums(cli.negative_db) == cli.negative_before
