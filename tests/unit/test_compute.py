"""The five indicators on small hand-built observation frames, with hand-computed answers.

Every frame here is synthetic (made up by this file to pin one rule down); the country codes
AAA, BBB, ... are not real countries. The rules are the ones docs/methodology.md states.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from indicators.compute import OUTPUT_SCHEMA, WORLD, compute_indicators, indicator_inputs
from indicators.measures import (
    DATA_SHARING_PROXY_NOTE,
    DENOMINATOR_NOTE,
    INDICATORS,
    REPORTING_PROXY_NOTE,
)
from indicators.settings import IndicatorSettings

OBS_SCHEMA = {
    "iso3": pl.String,
    "year": pl.Int32,
    "measure": pl.String,
    "value": pl.Float64,
    "value_status": pl.String,
    "lower": pl.Float64,
    "upper": pl.Float64,
    "source_id": pl.String,
}
TEST_SOURCE = "synthetic_test_source"
GLOTIP = "unodc_glotip_2023"
SUPPRESSED = "<5"


def fig(iso3: str, year: int, measure: str, value: float | str,
        source: str = TEST_SOURCE) -> dict:
    """One synthetic figure; '<5' becomes a suppressed figure with bounds 1 and 4."""
    if value == SUPPRESSED:
        return dict(iso3=iso3, year=year, measure=measure, value=None,
                    value_status="suppressed", lower=1.0, upper=4.0, source_id=source)
    status = "estimate" if measure == "estimated_victims" else "reported"
    return dict(iso3=iso3, year=year, measure=measure, value=float(value),
                value_status=status, lower=None, upper=None, source_id=source)


def est(iso3: str, value: float, year: int = 2021) -> dict:
    return fig(iso3, year, "estimated_victims", value)


def obs(rows: Iterable[dict]) -> pl.DataFrame:
    return pl.DataFrame(list(rows), schema=OBS_SCHEMA)


def countries(regions: dict[str, str | None]) -> pl.DataFrame:
    return pl.DataFrame(
        {"iso3": list(regions), "name": [f"Synthetic {c}" for c in regions],
         "region": list(regions.values())},
        schema={"iso3": pl.String, "name": pl.String, "region": pl.String},
    )


DEFAULT_COUNTRIES = countries({"AAA": "Europe", "BBB": "Europe", "CCC": "Asia", "DDD": "Asia"})


def compute(rows: Iterable[dict], regions: pl.DataFrame = DEFAULT_COUNTRIES,
            **settings_kwargs: object) -> pl.DataFrame:
    return compute_indicators(obs(rows), regions, IndicatorSettings(**settings_kwargs))


def inputs_of(data: Iterable[dict] | pl.DataFrame, indicator: str, scope: str, year: int,
              regions: pl.DataFrame = DEFAULT_COUNTRIES, **settings_kwargs: object) -> list[dict]:
    """The inputs of one row, asked for on their own, as the CLI report asks for them."""
    frame = data if isinstance(data, pl.DataFrame) else obs(data)
    asked = pl.DataFrame({"indicator": [indicator], "scope": [scope], "year": [year]})
    result = indicator_inputs(frame, regions, IndicatorSettings(**settings_kwargs), asked)
    assert result.columns == ["indicator", "scope", "year", "inputs"]
    [inputs] = result["inputs"].to_list()
    return inputs


def one(result: pl.DataFrame, indicator: str, scope: str, year: int) -> dict:
    rows = result.filter(
        (pl.col("indicator") == indicator) & (pl.col("scope") == scope) & (pl.col("year") == year)
    )
    assert rows.height == 1, f"expected one row for {indicator} {scope} {year}, got {rows.height}"
    return rows.row(0, named=True)


# -- the output frame ------------------------------------------------------------------------
def test_output_has_every_column_and_a_full_grid_of_scopes_and_years():
    rows = [fig("AAA", 2019, "persons_convicted", 10), est("AAA", 100)]
    result = compute(rows)
    assert result.schema == pl.Schema(OUTPUT_SCHEMA)
    # 4 countries + 2 regions (Asia, Europe) + WORLD, years 2019..2021, 6 indicators (the
    # paper's five and SDG 16.2.2)
    assert result.height == 6 * (4 + 2 + 1) * 3
    assert set(result["indicator"].unique()) == set(INDICATORS)
    # a scope and year without figures is a no_data row, never a zero
    gap = one(result, "conviction_rate", "BBB", 2020)
    assert gap["status"] == "no_data"
    assert gap["value"] is None and gap["lower"] is None and gap["upper"] is None
    assert gap["countries_counted"] == 0
    assert gap["countries_in_scope"] == 1
    assert gap["sources"] is None
    assert inputs_of(rows, "conviction_rate", "BBB", 2020) == []
    assert "inputs" not in result.columns  # asked for per row: indicator_inputs
    assert one(result, "conviction_rate", "AAA", 2019)["sources"] == TEST_SOURCE


def test_no_observations_gives_an_empty_frame_with_the_output_columns():
    result = compute([])
    assert result.height == 0
    assert result.schema == pl.Schema(OUTPUT_SCHEMA)


# -- thresholds: strict, at least, exactly ---------------------------------------------------
@pytest.mark.parametrize(
    ("convicted", "estimate", "value", "status"),
    [
        pytest.param(3, 10, 0.3, "off_track", id="30% exactly is not met"),
        pytest.param(300_001, 1_000_000, 0.300001, "met", id="30.0001% is met"),
        pytest.param(29, 100, 0.29, "off_track", id="29%"),
        pytest.param(251, 122_000, 251 / 122_000, "off_track", id="GBR 2019 figures"),
        pytest.param(0, 100, 0.0, "off_track", id="no convictions"),
    ],
)
def test_conviction_rate_must_exceed_30_percent(convicted, estimate, value, status):
    result = compute([fig("AAA", 2019, "persons_convicted", convicted), est("AAA", estimate)])
    row = one(result, "conviction_rate", "AAA", 2019)
    assert row["value"] == pytest.approx(value, rel=1e-12)
    assert row["lower"] == row["upper"] == row["value"]
    assert row["target"] == 0.30
    assert row["status"] == status
    assert row["denominator_year"] == 2021
    assert row["proxy"] == DENOMINATOR_NOTE


@pytest.mark.parametrize(
    ("detected", "estimate", "status"),
    [
        # "Annual victim identification exceeds 20%": a year meets it or not (no deadline)
        pytest.param(2, 10, "not_met", id="20% exactly is not met"),
        pytest.param(200_001, 1_000_000, "met", id="20.0001% is met"),
        pytest.param(21, 100, "met", id="21%"),
        pytest.param(19, 100, "not_met", id="19%"),
    ],
)
def test_identification_rate_must_exceed_20_percent(detected, estimate, status):
    result = compute([fig("AAA", 2019, "victims_detected", detected), est("AAA", estimate)])
    row = one(result, "identification_rate", "AAA", 2019)
    assert row["value"] == pytest.approx(detected / estimate, rel=1e-12)
    assert row["target"] == 0.20
    assert row["status"] == status
    assert row["deadline_year"] is None and row["projected_at_deadline"] is None
    assert row["basis"] == "own"


@pytest.mark.parametrize(
    ("baseline", "later", "value", "status"),
    [
        pytest.param(100, 150, 0.5, "met", id="+50% exactly is met"),
        pytest.param(100, 149, 0.49, "off_track", id="+49%"),
        pytest.param(100, 151, 0.51, "met", id="+51%"),
        pytest.param(100, 80, -0.2, "off_track", id="a fall"),
    ],
)
def test_reporting_increase_must_be_at_least_50_percent(baseline, later, value, status):
    result = compute([fig("AAA", 2015, "victims_reported", baseline),
                      fig("AAA", 2019, "victims_reported", later)])
    row = one(result, "reporting_increase", "AAA", 2019)
    assert row["value"] == pytest.approx(value, abs=1e-12)
    assert row["target"] == 0.50
    assert row["status"] == status
    assert row["denominator_year"] == 2015
    assert row["proxy"] is None
    # the baseline year itself is a change of zero
    assert one(result, "reporting_increase", "AAA", 2015)["value"] == 0.0


def _sharing_countries(n: int) -> tuple[list[dict], pl.DataFrame]:
    codes = [f"S{i // 26:01d}{chr(65 + i % 26)}" for i in range(n)]
    rows = [fig(code, 2019, "data_sharing_active", 1) for code in codes]
    return rows, countries({code: "Europe" for code in codes})


@pytest.mark.parametrize(
    ("sharing", "status"),
    [
        pytest.param(60, "met", id="60 countries is met"),
        pytest.param(59, "off_track", id="59 countries is not"),
        pytest.param(61, "met", id="61 countries"),
    ],
)
@pytest.mark.parametrize("use_proxies", [True, False])
def test_data_sharing_needs_60_countries(sharing, status, use_proxies):
    rows, regions = _sharing_countries(sharing)
    # a country whose flag is 0 is counted as reporting but adds nothing
    rows.append(fig("ZZZ", 2019, "data_sharing_active", 0))
    result = compute(rows, regions, use_proxies=use_proxies)
    world = one(result, "data_sharing_countries", WORLD, 2019)
    assert world["value"] == sharing
    assert world["lower"] == world["upper"] == sharing
    assert world["target"] == 60
    assert world["status"] == status
    assert world["basis"] == "own"  # uploaded flags, not the proxy
    assert world["countries_counted"] == sharing + 1
    assert world["proxy"] is None
    # a region has no target of its own for indicator 3
    europe = one(result, "data_sharing_countries", "Europe", 2019)
    assert europe["value"] == sharing
    assert europe["target"] is None
    assert europe["status"] == "no_target"
    # per country the flag itself, year by year: met or not met
    assert one(result, "data_sharing_countries", "S0A", 2019)["status"] == "met"
    flag_zero = one(result, "data_sharing_countries", "ZZZ", 2019)
    assert (flag_zero["value"], flag_zero["status"]) == (0.0, "not_met")


@pytest.mark.parametrize(
    ("figure", "value", "lower", "upper", "status"),
    [
        # "Zero prosecution": every year, so a year meets it or not
        pytest.param(0, 0.0, 0.0, 0.0, "met", id="a reported zero is met"),
        pytest.param(3, 3.0, 3.0, 3.0, "not_met", id="three"),
        pytest.param(SUPPRESSED, None, 1.0, 4.0, "not_met", id="<5 is certainly not zero"),
    ],
)
def test_victims_prosecuted_target_is_exactly_zero(figure, value, lower, upper, status):
    result = compute([fig("AAA", 2019, "victims_prosecuted", figure),
                      fig("BBB", 2019, "persons_convicted", 5)])
    row = one(result, "victims_prosecuted", "AAA", 2019)
    assert (row["value"], row["lower"], row["upper"]) == (value, lower, upper)
    assert row["target"] == 0
    assert row["status"] == status
    # the same figure is the world's, as a sum of counts over the one country reporting
    world = one(result, "victims_prosecuted", WORLD, 2019)
    assert (world["value"], world["lower"], world["upper"]) == (value, lower, upper)
    assert world["status"] == status
    assert world["countries_counted"] == 1


def test_victims_prosecuted_missing_is_no_data_never_met():
    result = compute([fig("AAA", 2019, "persons_convicted", 5), est("AAA", 100)])
    for scope in ("AAA", "Europe", WORLD):
        row = one(result, "victims_prosecuted", scope, 2019)
        assert row["status"] == "no_data"
        assert row["value"] is None


def test_victims_prosecuted_sums_over_countries():
    result = compute([fig("AAA", 2019, "victims_prosecuted", 0),
                      fig("BBB", 2019, "victims_prosecuted", 0),
                      fig("CCC", 2019, "victims_prosecuted", 2)])
    europe = one(result, "victims_prosecuted", "Europe", 2019)
    assert (europe["value"], europe["status"], europe["countries_counted"]) == (0.0, "met", 2)
    world = one(result, "victims_prosecuted", WORLD, 2019)
    assert (world["value"], world["status"], world["countries_counted"]) == (2.0, "not_met", 3)


# -- suppressed '<5' numerators --------------------------------------------------------------
@pytest.mark.parametrize(
    ("indicator", "measure", "estimate", "status"),
    [
        # 1/10 .. 4/10 = 10%..40% straddles 30%
        pytest.param("conviction_rate", "persons_convicted", 10, "uncertain", id="conv straddles"),
        # 1/2 .. 4/2 = 50%..200%: all above 30%
        pytest.param("conviction_rate", "persons_convicted", 2, "met", id="conv all above"),
        # 1/20 .. 4/20 = 5%..20%: all below 30%
        pytest.param("conviction_rate", "persons_convicted", 20, "off_track", id="conv all below"),
        # 10%..40% straddles 20%
        pytest.param("identification_rate", "victims_detected", 10, "uncertain", id="id straddles"),
        # 25%..100%: all above 20%
        pytest.param("identification_rate", "victims_detected", 4, "met", id="id all above"),
        # 5%..20%: the top of the range is exactly 20%, which is not more than 20%
        pytest.param("identification_rate", "victims_detected", 20, "not_met",
                     id="id top at 20%"),
    ],
)
def test_suppressed_numerator_gives_a_range(indicator, measure, estimate, status):
    rows = [fig("AAA", 2019, measure, SUPPRESSED), est("AAA", estimate)]
    result = compute(rows)
    row = one(result, indicator, "AAA", 2019)
    assert row["value"] is None
    assert row["lower"] == pytest.approx(1 / estimate)
    assert row["upper"] == pytest.approx(4 / estimate)
    assert row["status"] == status
    assert row["countries_counted"] == 1
    [numerator] = [i for i in inputs_of(rows, indicator, "AAA", 2019)
                   if i["measure"] == measure]
    assert (numerator["value"], numerator["value_status"]) == (None, "suppressed")
    assert (numerator["lower"], numerator["upper"]) == (1.0, 4.0)


@pytest.mark.parametrize(
    ("baseline", "later", "lower", "upper", "status"),
    [
        # 6/4 - 1 = +50% .. 6/1 - 1 = +500%: the whole range is at least +50%
        pytest.param(SUPPRESSED, 6, 0.5, 5.0, "met", id="suppressed baseline, met"),
        # 1/2 - 1 = -50% .. 4/2 - 1 = +100%: straddles +50%
        pytest.param(2, SUPPRESSED, -0.5, 1.0, "uncertain", id="suppressed year, straddles"),
        # 1/8 - 1 .. 4/8 - 1 = -87.5% .. -50%: all below
        pytest.param(8, SUPPRESSED, -0.875, -0.5, "off_track", id="suppressed year, below"),
    ],
)
def test_suppressed_reporting_figures_give_a_range(baseline, later, lower, upper, status):
    result = compute([fig("AAA", 2015, "victims_reported", baseline),
                      fig("AAA", 2019, "victims_reported", later)])
    row = one(result, "reporting_increase", "AAA", 2019)
    assert row["value"] is None
    assert (row["lower"], row["upper"]) == (pytest.approx(lower), pytest.approx(upper))
    assert row["status"] == status


# -- gaps stay gaps --------------------------------------------------------------------------
@pytest.mark.parametrize("measure", ["persons_convicted", "victims_detected"])
def test_missing_denominator_is_no_data_with_a_note(measure):
    rows = [fig("AAA", 2019, measure, 50), est("BBB", 100)]
    result = compute(rows)
    indicator = "conviction_rate" if measure == "persons_convicted" else "identification_rate"
    row = one(result, indicator, "AAA", 2019)
    assert row["status"] == "no_data"
    assert row["value"] is None and row["lower"] is None
    assert row["note"] == "No estimate of people in modern slavery for this country."
    assert row["denominator_year"] is None
    assert row["countries_counted"] == 0
    # the figure that does exist is still listed as an input
    assert [i["measure"] for i in inputs_of(rows, indicator, "AAA", 2019)] == [measure]
    assert row["sources"] == TEST_SOURCE


@pytest.mark.parametrize("numerator", [50, SUPPRESSED])
def test_zero_denominator_is_no_data_with_a_note(numerator):
    result = compute([fig("AAA", 2019, "persons_convicted", numerator), est("AAA", 0)])
    row = one(result, "conviction_rate", "AAA", 2019)
    assert row["status"] == "no_data"
    assert row["value"] is None and row["lower"] is None and row["upper"] is None
    assert row["note"] == "The estimate is zero, so a rate cannot be computed."
    assert row["denominator_year"] == 2021
    # and the country is left out of the region's ratio of sums
    europe = one(result, "conviction_rate", "Europe", 2019)
    assert europe["status"] == "no_data"
    assert europe["countries_counted"] == 0


def test_missing_baseline_is_no_data_with_a_note():
    result = compute([fig("AAA", 2019, "victims_reported", 150),
                      fig("AAA", 2014, "victims_reported", 100)])
    row = one(result, "reporting_increase", "AAA", 2019)
    assert row["status"] == "no_data"
    assert row["value"] is None
    assert row["note"] == "No figure for the baseline year 2015."
    before = one(result, "reporting_increase", "AAA", 2014)
    assert before["status"] == "no_data"
    assert before["note"] == "Before the baseline year 2015."


def test_zero_baseline_is_no_data_with_a_note():
    result = compute([fig("AAA", 2015, "victims_reported", 0),
                      fig("AAA", 2019, "victims_reported", 10)])
    row = one(result, "reporting_increase", "AAA", 2019)
    assert row["status"] == "no_data"
    assert row["note"] == "The baseline figure is zero, so a percentage change is undefined."


def test_baseline_year_is_a_setting():
    rows = [fig("AAA", 2015, "victims_reported", 100), fig("AAA", 2016, "victims_reported", 200),
            fig("AAA", 2019, "victims_reported", 300)]
    row = one(compute(rows, baseline_year=2016), "reporting_increase", "AAA", 2019)
    assert row["value"] == pytest.approx(0.5)
    assert row["denominator_year"] == 2016
    assert row["deadline_year"] == 2026
    assert row["status"] == "met"


# -- proxies ---------------------------------------------------------------------------------
REPORTING_ROWS = [
    # AAA publishes victims_reported: that series is used, detected victims are ignored
    fig("AAA", 2015, "victims_reported", 100), fig("AAA", 2019, "victims_reported", 120),
    fig("AAA", 2015, "victims_detected", 10), fig("AAA", 2019, "victims_detected", 100),
    # BBB publishes no victims_reported at all: detected victims stand in (labelled)
    fig("BBB", 2015, "victims_detected", 10), fig("BBB", 2019, "victims_detected", 20),
    # CCC publishes victims_reported, but not for the baseline: no proxy, no data
    fig("CCC", 2019, "victims_reported", 50),
    fig("CCC", 2015, "victims_detected", 10), fig("CCC", 2019, "victims_detected", 30),
]


def test_reporting_proxy_only_for_countries_without_any_victims_reported():
    result = compute(REPORTING_ROWS)
    reported = one(result, "reporting_increase", "AAA", 2019)
    assert reported["value"] == pytest.approx(0.2)
    assert reported["proxy"] is None
    assert {i["measure"] for i in inputs_of(REPORTING_ROWS, "reporting_increase", "AAA", 2019)
            } == {"victims_reported"}

    proxied = one(result, "reporting_increase", "BBB", 2019)
    assert proxied["value"] == pytest.approx(1.0)
    assert proxied["status"] == "met_on_proxy"  # never plain "met" on a proxy
    assert proxied["basis"] == "proxy"
    assert proxied["proxy"] == REPORTING_PROXY_NOTE
    assert reported["basis"] == "own"
    assert [(i["measure"], i["year"], i["value"])
            for i in inputs_of(REPORTING_ROWS, "reporting_increase", "BBB", 2019)] == [
        ("victims_detected", 2019, 20.0), ("victims_detected", 2015, 10.0)]

    partial = one(result, "reporting_increase", "CCC", 2019)
    assert partial["status"] == "no_data"
    assert partial["proxy"] is None
    assert partial["note"] == "No figure for the baseline year 2015."

    # WORLD: (120 + 20) / (100 + 10) - 1 over AAA and BBB; CCC has no baseline
    world = one(result, "reporting_increase", WORLD, 2019)
    assert world["value"] == pytest.approx(140 / 110 - 1)
    assert world["countries_counted"] == 2
    assert world["basis"] == "partly_proxy"
    assert world["proxy"] == f"{REPORTING_PROXY_NOTE} Used for 1 of 2 countries."


def test_reporting_without_proxies_uses_victims_reported_only():
    result = compute(REPORTING_ROWS, use_proxies=False)
    assert one(result, "reporting_increase", "AAA", 2019)["value"] == pytest.approx(0.2)
    proxied = one(result, "reporting_increase", "BBB", 2019)
    assert (proxied["status"], proxied["value"], proxied["proxy"]) == ("no_data", None, None)
    world = one(result, "reporting_increase", WORLD, 2019)
    assert world["value"] == pytest.approx(0.2)
    assert world["countries_counted"] == 1
    assert world["proxy"] is None


SHARING_ROWS = [
    # AAA reported national totals to UNODC in 2018 and 2019: proxy 1 both years
    fig("AAA", 2018, "victims_detected", 12, GLOTIP),
    fig("AAA", 2019, "persons_convicted", SUPPRESSED, GLOTIP),
    # BBB reported in 2018 only: in 2019 it has no data (not 0)
    fig("BBB", 2018, "persons_prosecuted", 7, GLOTIP),
    # CCC's own flag (0) wins over its UNODC figure
    fig("CCC", 2019, "data_sharing_active", 0), fig("CCC", 2019, "victims_detected", 9, GLOTIP),
    # DDD's detected victims come from another source: not evidence of reporting to UNODC
    fig("DDD", 2019, "victims_detected", 30, "contrib_0123456789ab"),
]


def test_data_sharing_proxy_is_any_glotip_national_total_that_year():
    result = compute(SHARING_ROWS)
    aaa = one(result, "data_sharing_countries", "AAA", 2019)
    assert (aaa["value"], aaa["status"], aaa["proxy"]) == (1.0, "met_on_proxy",
                                                           DATA_SHARING_PROXY_NOTE)
    assert inputs_of(SHARING_ROWS, "data_sharing_countries", "AAA", 2019)[0]["measure"] == (
        "national totals reported to UNODC GLOTIP")
    bbb = one(result, "data_sharing_countries", "BBB", 2019)
    assert (bbb["value"], bbb["status"]) == (None, "no_data")
    assert one(result, "data_sharing_countries", "BBB", 2018)["value"] == 1.0
    ccc = one(result, "data_sharing_countries", "CCC", 2019)
    assert (ccc["value"], ccc["status"], ccc["proxy"]) == (0.0, "not_met", None)
    assert one(result, "data_sharing_countries", "DDD", 2019)["status"] == "no_data"

    world_2019 = one(result, "data_sharing_countries", WORLD, 2019)
    assert world_2019["value"] == 1.0  # AAA (proxy) + CCC (flag 0)
    assert world_2019["countries_counted"] == 2
    assert world_2019["proxy"] == f"{DATA_SHARING_PROXY_NOTE} Used for 1 of 2 countries."
    assert world_2019["status"] == "off_track"
    assert world_2019["basis"] == "partly_proxy"
    world_2018 = one(result, "data_sharing_countries", WORLD, 2018)
    assert (world_2018["value"], world_2018["countries_counted"]) == (2.0, 2)


def test_data_sharing_without_proxies_counts_flags_only():
    result = compute(SHARING_ROWS, use_proxies=False)
    assert one(result, "data_sharing_countries", "AAA", 2019)["status"] == "no_data"
    world = one(result, "data_sharing_countries", WORLD, 2019)
    assert (world["value"], world["countries_counted"], world["proxy"]) == (0.0, 1, None)
    # no flag anywhere in 2018: the world has no data, not zero countries
    world_2018 = one(result, "data_sharing_countries", WORLD, 2018)
    assert (world_2018["status"], world_2018["value"]) == ("no_data", None)


def test_without_any_flags_and_without_proxies_the_world_has_no_data():
    rows = [r for r in SHARING_ROWS if r["measure"] != "data_sharing_active"]
    result = compute(rows, use_proxies=False)
    sharing = result.filter(pl.col("indicator") == "data_sharing_countries")
    assert set(sharing["status"]) == {"no_data"}
    assert sharing["value"].null_count() == sharing.height


# -- the denominator: the estimate nearest in time --------------------------------------------
def test_denominator_is_the_estimate_nearest_in_time():
    rows = [est("AAA", 100, 2016), est("AAA", 200, 2021)]
    rows += [fig("AAA", y, "persons_convicted", 10) for y in (2015, 2017, 2018, 2019, 2023)]
    result = compute(rows)
    expected = {2015: (2016, 0.1), 2017: (2016, 0.1), 2018: (2016, 0.1),
                2019: (2021, 0.05), 2023: (2021, 0.05)}
    for year, (den_year, value) in expected.items():
        row = one(result, "conviction_rate", "AAA", year)
        assert (row["denominator_year"], row["value"]) == (den_year, pytest.approx(value))
        [den] = [i for i in inputs_of(rows, "conviction_rate", "AAA", year)
                 if i["measure"] == "estimated_victims"]
        assert den["year"] == den_year


def test_denominator_tie_goes_to_the_later_estimate():
    rows = [est("AAA", 100, 2017), est("AAA", 200, 2021),
            fig("AAA", 2019, "persons_convicted", 10)]
    row = one(compute(rows), "conviction_rate", "AAA", 2019)
    assert row["denominator_year"] == 2021
    assert row["value"] == pytest.approx(0.05)


def test_inputs_name_measure_year_value_and_source():
    frame = obs([fig("AAA", 2019, "persons_convicted", 251), est("AAA", 122_000)])
    frame = frame.with_columns(
        pl.when(pl.col("measure") == "estimated_victims")
        .then(pl.lit("Synthetic estimate publisher"))
        .otherwise(None)
        .alias("source_citation")
    )
    result = compute_indicators(frame, DEFAULT_COUNTRIES, IndicatorSettings())
    row = one(result, "conviction_rate", "AAA", 2019)
    assert [(i["measure"], i["scope"], i["year"], i["value"], i["value_status"], i["source"])
            for i in inputs_of(frame, "conviction_rate", "AAA", 2019)] == [
        ("persons_convicted", "AAA", 2019, 251.0, "reported", TEST_SOURCE),
        ("estimated_victims", "AAA", 2021, 122_000.0, "estimate", "Synthetic estimate publisher"),
    ]
    # the frame pages read names each citation once, sorted
    assert row["sources"] == f"Synthetic estimate publisher; {TEST_SOURCE}"


def test_sources_name_each_citation_once_sorted():
    rows = [
        fig("AAA", 2019, "persons_convicted", 10, "src_b"), est("AAA", 100),
        # a citation that lists two is split, so src_a is named once
        fig("BBB", 2019, "persons_convicted", 20, "src_c; src_a"), est("BBB", 900, 2021),
    ]
    rows[-1]["source_id"] = "src_a"
    result = compute(rows)
    assert one(result, "conviction_rate", "AAA", 2019)["sources"] == f"src_b; {TEST_SOURCE}"
    assert one(result, "conviction_rate", "BBB", 2019)["sources"] == "src_a; src_c"
    europe = one(result, "conviction_rate", "Europe", 2019)
    assert europe["sources"] == f"src_a; src_b; src_c; {TEST_SOURCE}"
    assert one(result, "conviction_rate", "Asia", 2019)["sources"] is None
    # the region's inputs cite its countries' citations, sorted, as one text
    num, den = inputs_of(rows, "conviction_rate", "Europe", 2019)
    assert num["source"] == den["source"] == f"src_a; src_b; src_c; src_a; {TEST_SOURCE}"
    assert (num["value"], den["value"]) == (30.0, 1000.0)


def test_an_empty_citation_is_kept_as_views_showed_it():
    # A country row leaves an empty citation out; a region's inputs cite their countries'
    # citations as one text ("; synthetic_test_source"), which views split as before.
    frame = obs([fig("AAA", 2019, "persons_convicted", 10), est("AAA", 100)]).with_columns(
        pl.when(pl.col("measure") == "persons_convicted").then(pl.lit(""))
        .otherwise(None).alias("source_citation"))
    result = compute_indicators(frame, DEFAULT_COUNTRIES, IndicatorSettings())
    assert one(result, "conviction_rate", "AAA", 2019)["sources"] == TEST_SOURCE
    assert one(result, "conviction_rate", "Europe", 2019)["sources"] == f"; {TEST_SOURCE}"


def test_sources_with_more_citations_than_one_word_of_bits():
    # 70 countries, each citing its own source: 71 citations in all, ids past 63
    codes = [f"C{i:02d}" for i in range(70)]
    rows = [fig(c, 2019, "persons_convicted", 1, f"src_{i:02d}") for i, c in enumerate(codes)]
    rows += [est(c, 10) for c in codes]
    result = compute(rows, countries(dict.fromkeys(codes, "Europe")))
    assert one(result, "conviction_rate", "C69", 2019)["sources"] == f"src_69; {TEST_SOURCE}"
    world = one(result, "conviction_rate", WORLD, 2019)
    assert world["value"] == pytest.approx(70 / 700)
    assert world["sources"] == "; ".join([*(f"src_{i:02d}" for i in range(70)), TEST_SOURCE])


# -- on track: a least-squares line reaching the target by the deadline ----------------------
def _conviction_series(counts: dict[int, float | str], estimate: float = 100) -> pl.DataFrame:
    rows = [fig("AAA", y, "persons_convicted", c) for y, c in counts.items()] + [
        est("AAA", estimate)]
    return compute(rows).filter(
        (pl.col("indicator") == "conviction_rate") & (pl.col("scope") == "AAA")
    )


def _by_year(frame: pl.DataFrame) -> dict[int, dict]:
    return {r["year"]: r for r in frame.iter_rows(named=True)}


def test_on_track_when_the_trend_line_crosses_the_target_by_the_deadline():
    # rates 5%, 9%, 10% at t = 0, 1, 2 (t = year - 2015): slope (−1·−3 + 1·2)/2 = 2.5 points
    # a year, intercept 8 − 2.5 = 5.5%, so 5.5% + 10 × 2.5% = 30.5% in 2025 (> 30%)
    rows = _by_year(_conviction_series({2015: 5, 2016: 9, 2017: 10}))
    assert rows[2017]["projected_at_deadline"] == pytest.approx(0.305)
    assert rows[2017]["status"] == "on_track"
    assert rows[2017]["deadline_year"] == 2025
    # two points are not a trend
    assert rows[2016]["projected_at_deadline"] is None
    assert rows[2016]["status"] == "off_track"


def test_a_year_without_a_value_gets_no_projection():
    rows = _by_year(_conviction_series({2015: 5, 2016: 9, 2017: 10, 2019: 12}))
    assert rows[2018]["status"] == "no_data"
    assert rows[2018]["projected_at_deadline"] is None
    assert rows[2019]["projected_at_deadline"] is not None


def test_off_track_when_the_trend_line_falls_short():
    # 5%, 6%, 7%: one point a year, 5% + 10 × 1% = 15% in 2025
    rows = _by_year(_conviction_series({2015: 5, 2016: 6, 2017: 7}))
    assert rows[2017]["projected_at_deadline"] == pytest.approx(0.15)
    assert rows[2017]["status"] == "off_track"


def test_trend_ignores_years_before_the_baseline_and_skips_gaps():
    # 2013 (before the baseline) is left out; 2015, 2017, 2018 at t = 0, 2, 3:
    # rates 5%, 9%, 11% → mean t 5/3, mean v 25/3 %, slope (Σ(t−t̄)(v−v̄))/Σ(t−t̄)² = 2%/yr
    # intercept 25/3 − 2·5/3 = 5%, projection 5% + 10 × 2% = 25%
    rows = _by_year(_conviction_series({2013: 90, 2015: 5, 2017: 9, 2018: 11}))
    assert rows[2018]["projected_at_deadline"] == pytest.approx(0.25)
    assert rows[2018]["status"] == "off_track"
    assert rows[2013]["projected_at_deadline"] is None
    assert rows[2013]["status"] == "met"  # 90% that year: met is met, whatever the trend


def test_a_range_is_projected_from_its_end_farther_from_the_target():
    # estimate 20: 1 → 5%, 3 → 15%, '<5' → 5%..20%. With the lower ends (5%, 15%, 5%) the
    # line is flat at 25/3 % → 8.33% in 2025, off track; the upper ends would have been on track.
    rows = _by_year(_conviction_series({2015: 1, 2016: 3, 2017: SUPPRESSED}, estimate=20))
    assert rows[2017]["projected_at_deadline"] == pytest.approx(1 / 12)
    assert rows[2017]["status"] == "off_track"


def test_victims_prosecuted_falling_to_zero_is_improving_but_not_met():
    # 10, 6, 2 at t = 0, 1, 2: the line is 10 − 4t. "Zero prosecution" holds every year, so
    # 2 is not met, whatever the line does; the trend (towards zero) is improving.
    rows = [fig("AAA", y, "victims_prosecuted", v) for y, v in ((2015, 10), (2016, 6), (2017, 2))]
    row = one(compute(rows), "victims_prosecuted", "AAA", 2017)
    assert row["status"] == "not_met"
    assert row["trend"] == "improving"
    assert row["projected_at_deadline"] is None and row["deadline_year"] is None


def test_a_projection_is_never_below_zero():
    # conviction rates 10%, 6%, 2%: the line 10% − 4t is −30% at the deadline; shown as zero
    rows = _by_year(_conviction_series({2015: 10, 2016: 6, 2017: 2}))
    assert rows[2017]["projected_at_deadline"] == 0.0
    assert rows[2017]["status"] == "off_track"
    assert rows[2017]["trend"] == "worsening"
    # a change can fall to −100% (none reported), no further: 100, 50, 10 reported
    reported = [fig("AAA", y, "victims_reported", v) for y, v in ((2015, 100), (2016, 50),
                                                                 (2017, 10))]
    row = one(compute(reported), "reporting_increase", "AAA", 2017)
    assert row["projected_at_deadline"] == -1.0


def test_no_on_track_after_the_deadline():
    counts = {2015: 5, 2016: 9, 2017: 10, 2026: 20}
    rows = _by_year(_conviction_series(counts))
    assert rows[2017]["status"] == "on_track"
    # after the deadline there is no track to be on: a year meets the target or not
    assert rows[2026]["status"] == "not_met"


# -- regions and WORLD: ratio of sums, coverage ----------------------------------------------
AGGREGATE_ROWS = [
    # Europe: AAA 50/100 = 50%, BBB 10/900 = 1.1%; mean of rates 25.6%, ratio of sums 6%
    fig("AAA", 2019, "persons_convicted", 50), est("AAA", 100),
    fig("BBB", 2019, "persons_convicted", 10), est("BBB", 900),
    # EEE (Europe) has an estimate but no convictions: in scope, not counted
    est("EEE", 1000),
    # FFF (Europe) has convictions but no estimate: in scope, not counted
    fig("FFF", 2019, "persons_convicted", 40),
    # CCC (Asia): 30/1000
    fig("CCC", 2019, "persons_convicted", 30), est("CCC", 1000),
]
AGGREGATE_COUNTRIES = countries({"AAA": "Europe", "BBB": "Europe", "EEE": "Europe",
                                 "FFF": "Europe", "CCC": "Asia", "GGG": "Asia"})


def test_regions_are_a_ratio_of_sums_never_a_mean_of_rates():
    result = compute(AGGREGATE_ROWS, AGGREGATE_COUNTRIES)
    europe = one(result, "conviction_rate", "Europe", 2019)
    assert europe["value"] == pytest.approx(60 / 1000)
    assert europe["value"] != pytest.approx((0.5 + 10 / 900) / 2)
    assert europe["status"] == "off_track"
    assert europe["countries_counted"] == 2
    assert europe["countries_in_scope"] == 4  # AAA, BBB, EEE, FFF
    assert europe["coverage_share"] == pytest.approx(1000 / 2000)  # (100 + 900) / (+ 1000)
    assert europe["denominator_year"] == 2021
    assert europe["scope_type"] == "region"
    num, den = inputs_of(AGGREGATE_ROWS, "conviction_rate", "Europe", 2019, AGGREGATE_COUNTRIES)
    assert (num["measure"], num["value"], num["value_status"]) == (
        "persons_convicted", 60.0, "sum over 2 countries")
    assert (den["measure"], den["value"], den["year"]) == ("estimated_victims", 1000.0, 2021)

    # GGG has no figures at all, but it is a country of Asia: in scope (the one universe of
    # "N of M" is the country list), weighing nothing in the coverage share
    asia = one(result, "conviction_rate", "Asia", 2019)
    assert (asia["value"], asia["countries_counted"], asia["countries_in_scope"]) == (
        pytest.approx(0.03), 1, 2)
    assert asia["coverage_share"] == pytest.approx(1.0)

    world = one(result, "conviction_rate", WORLD, 2019)
    assert world["value"] == pytest.approx(90 / 2000)
    assert world["scope_type"] == "world"
    assert (world["countries_counted"], world["countries_in_scope"]) == (3, 6)
    assert world["coverage_share"] == pytest.approx(2000 / 3000)


def test_a_suppressed_country_makes_the_region_a_range():
    rows = [fig("AAA", 2019, "persons_convicted", SUPPRESSED), est("AAA", 100),
            fig("BBB", 2019, "persons_convicted", 10), est("BBB", 900)]
    europe = one(compute(rows), "conviction_rate", "Europe", 2019)
    assert europe["value"] is None
    assert europe["lower"] == pytest.approx(11 / 1000)
    assert europe["upper"] == pytest.approx(14 / 1000)
    assert europe["note"] == "1 of the 2 countries reported '<5'; the value is a range."
    assert europe["status"] == "off_track"


def test_a_region_without_any_counted_country_has_no_data():
    result = compute(AGGREGATE_ROWS, AGGREGATE_COUNTRIES)
    row = one(result, "identification_rate", "Europe", 2019)
    assert (row["status"], row["value"], row["countries_counted"]) == ("no_data", None, 0)
    assert row["countries_in_scope"] == 4
    assert row["coverage_share"] is None


def test_countries_without_a_region_count_towards_the_world_only():
    rows = [fig("AAA", 2019, "persons_convicted", 10), est("AAA", 100),
            fig("XXX", 2019, "persons_convicted", 30), est("XXX", 100)]
    result = compute(rows, countries({"AAA": "Europe"}))
    assert one(result, "conviction_rate", "Europe", 2019)["value"] == pytest.approx(0.1)
    assert one(result, "conviction_rate", WORLD, 2019)["value"] == pytest.approx(0.2)
    assert one(result, "conviction_rate", "XXX", 2019)["value"] == pytest.approx(0.3)


def test_a_region_whose_countries_have_no_figures_counts_them_in_scope():
    rows = [fig("AAA", 2019, "persons_convicted", 1), est("AAA", 10)]
    result = compute(rows, countries({"AAA": "Europe", "BBB": "Asia"}))
    asia = one(result, "conviction_rate", "Asia", 2019)
    assert (asia["status"], asia["countries_counted"], asia["countries_in_scope"]) == (
        "no_data", 0, 1)
    assert asia["coverage_share"] is None


SUBREGION_COUNTRIES = pl.DataFrame(
    {"iso3": ["AAA", "BBB", "CCC", "DDD", "EEE"],
     "name": [f"Synthetic {c}" for c in ("AAA", "BBB", "CCC", "DDD", "EEE")],
     "region": ["Africa", "Africa", "Africa", "Europe", "Africa"],
     "subregion": ["Western Africa", "Western Africa", "Northern Africa", "Northern Europe",
                   None]},
)
SUBREGION_ROWS = [
    # Western Africa: AAA 20/1000, BBB 5/500, '<5' for BBB's victims
    fig("AAA", 2020, "persons_convicted", 20), est("AAA", 1000),
    fig("AAA", 2020, "victims_detected", 300),
    fig("BBB", 2020, "persons_convicted", 5), est("BBB", 500),
    fig("BBB", 2020, "victims_detected", SUPPRESSED),
    # Northern Africa: CCC 6/300; Northern Europe: DDD 9/100
    fig("CCC", 2020, "persons_convicted", 6), est("CCC", 300),
    # EEE (Africa, no subregion): counts towards Africa and the world only
    fig("EEE", 2020, "persons_convicted", 10), est("EEE", 200),
    fig("DDD", 2020, "persons_convicted", 9), est("DDD", 100),
]


def test_a_country_counts_towards_its_subregion_its_region_and_the_world():
    result = compute(SUBREGION_ROWS, SUBREGION_COUNTRIES)
    west = one(result, "conviction_rate", "Western Africa", 2020)
    # (20 + 5) / (1000 + 500), a ratio of sums
    assert west["value"] == pytest.approx(25 / 1500)
    assert west["scope_type"] == "subregion"
    assert (west["countries_counted"], west["countries_in_scope"]) == (2, 2)
    assert west["coverage_share"] == pytest.approx(1.0)
    north = one(result, "conviction_rate", "Northern Africa", 2020)
    assert (north["value"], north["countries_counted"]) == (pytest.approx(6 / 300), 1)
    africa = one(result, "conviction_rate", "Africa", 2020)
    # AAA, BBB, CCC and EEE: (20 + 5 + 6 + 10) / (1000 + 500 + 300 + 200)
    assert africa["value"] == pytest.approx(41 / 2000)
    assert (africa["scope_type"], africa["countries_in_scope"]) == ("region", 4)
    world = one(result, "conviction_rate", WORLD, 2020)
    assert world["value"] == pytest.approx(50 / 2100)
    assert world["countries_counted"] == 5
    # a '<5' inside the subregion makes its sum a range: 300 + 1 … 300 + 4
    victims = one(result, "identification_rate", "Western Africa", 2020)
    assert victims["value"] is None
    assert (victims["lower"], victims["upper"]) == (pytest.approx(301 / 1500),
                                                    pytest.approx(304 / 1500))
    assert victims["note"] == "1 of the 2 countries reported '<5'; the value is a range."
    # the order: countries, regions (sorted), subregions (sorted), the world
    order = result.filter((pl.col("indicator") == "conviction_rate")
                          & (pl.col("year") == 2020))["scope"].to_list()
    assert order == ["AAA", "BBB", "CCC", "DDD", "EEE", "Africa", "Europe", "Northern Africa",
                     "Northern Europe", "Western Africa", WORLD]
    num, den = inputs_of(SUBREGION_ROWS, "conviction_rate", "Western Africa", 2020,
                         SUBREGION_COUNTRIES)
    assert (num["value"], num["value_status"], den["value"]) == (
        25.0, "sum over 2 countries", 1500.0)


def test_coverage_is_unknown_not_nan_without_any_estimate():
    rows = [fig("AAA", 2019, "victims_prosecuted", 0)]
    world = one(compute(rows), "victims_prosecuted", WORLD, 2019)
    assert world["status"] == "met"
    assert world["coverage_share"] is None


# -- property: the aggregation against a plain-Python reference -------------------------------
REGIONS = ("Europe", "Asia", None)
PROPERTY_YEARS = (2015, 2016, 2017)
ESTIMATE_YEARS = (2014, 2021)

numerator_st = st.one_of(st.none(), st.just(SUPPRESSED), st.integers(min_value=0, max_value=500))
estimate_st = st.one_of(st.none(), st.just(0), st.integers(min_value=1, max_value=5000))
country_st = st.fixed_dictionaries({
    "region": st.sampled_from(REGIONS),
    "estimates": st.tuples(*[estimate_st for _ in ESTIMATE_YEARS]),
    "convicted": st.tuples(*[numerator_st for _ in PROPERTY_YEARS]),
    "detected": st.tuples(*[numerator_st for _ in PROPERTY_YEARS]),
})
# a country in the country list with no figures at all
silent_country_st = st.builds(
    lambda region: {"region": region, "estimates": (None,) * len(ESTIMATE_YEARS),
                    "convicted": (None,) * len(PROPERTY_YEARS),
                    "detected": (None,) * len(PROPERTY_YEARS)},
    st.sampled_from(REGIONS),
)


def _nearest_estimate(estimates: dict[int, int], year: int) -> tuple[int, int] | None:
    """(year, value) of the estimate nearest in time; on a tie, the later one."""
    if not estimates:
        return None
    best = min(estimates, key=lambda y: (abs(y - year), -y))
    return best, estimates[best]


def _reference(data: list[dict], measure: str) -> dict[tuple[str, int], dict]:
    """Ratio of sums over the countries with a numerator and a positive estimate, per scope."""
    years = sorted({*PROPERTY_YEARS, *ESTIMATE_YEARS})
    years = [y for y in range(years[0], years[-1] + 1)]
    expected: dict[tuple[str, int], dict] = {}
    scopes = [WORLD, *[r for r in REGIONS if r is not None]]
    for scope in scopes:
        members = [i for i, c in enumerate(data) if scope == WORLD or c["region"] == scope]
        for year in years:
            num_low = num_high = den = 0.0
            counted = suppressed = 0
            counted_weight = 0.0
            for i in members:
                country = data[i]
                estimates = {y: v for y, v in zip(ESTIMATE_YEARS, country["estimates"],
                                                  strict=True) if v is not None}
                numerators = dict(zip(PROPERTY_YEARS, country[measure], strict=True))
                figure = numerators.get(year)
                nearest = _nearest_estimate(estimates, year)
                if figure is None or nearest is None or nearest[1] <= 0:
                    continue
                counted += 1
                if figure == SUPPRESSED:
                    suppressed += 1
                    num_low, num_high = num_low + 1, num_high + 4
                else:
                    num_low, num_high = num_low + figure, num_high + figure
                den += nearest[1]
                counted_weight += estimates[max(estimates)]
            in_scope_weight = 0.0
            in_scope = 0
            for i in members:
                country = data[i]
                in_scope += 1  # every country of the list, with or without figures
                estimates = {y: v for y, v in zip(ESTIMATE_YEARS, country["estimates"],
                                                  strict=True) if v is not None}
                if estimates:
                    in_scope_weight += estimates[max(estimates)]
            if counted:
                value = None if suppressed else num_low / den
                lower, upper = num_low / den, num_high / den
                coverage = counted_weight / in_scope_weight if in_scope_weight > 0 else None
            else:
                value = lower = upper = coverage = None
            expected[(scope, year)] = {
                "value": value, "lower": lower, "upper": upper, "countries_counted": counted,
                "countries_in_scope": in_scope, "coverage_share": coverage,
            }
    return expected


def _property_frame(data: list[dict]) -> tuple[pl.DataFrame, pl.DataFrame]:
    rows = []
    regions = {}
    for i, country in enumerate(data):
        code = f"P{i:02d}"
        regions[code] = country["region"]
        for year, value in zip(ESTIMATE_YEARS, country["estimates"], strict=True):
            if value is not None:
                rows.append(est(code, value, year))
        for measure in ("convicted", "detected"):
            name = "persons_convicted" if measure == "convicted" else "victims_detected"
            for year, value in zip(PROPERTY_YEARS, country[measure], strict=True):
                if value is not None:
                    rows.append(fig(code, year, name, value))
    return obs(rows), countries(regions)


def _close(actual: float | None, expected: float | None) -> bool:
    if expected is None or actual is None:
        return actual is None and expected is None
    return math.isclose(actual, expected, rel_tol=1e-9, abs_tol=1e-12)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(country_st, country_st, silent_country_st), min_size=1, max_size=7))
def test_aggregation_matches_a_plain_python_reference(data):
    frame, regions = _property_frame(data)
    if frame.height == 0:
        return
    result = compute_indicators(frame, regions, IndicatorSettings())
    present_years = set(frame["year"].to_list())  # the grid spans the years with figures
    span = range(min(present_years), max(present_years) + 1)
    for indicator, measure in (("conviction_rate", "convicted"),
                               ("identification_rate", "detected")):
        expected = _reference(data, measure)
        rows = result.filter((pl.col("indicator") == indicator)
                             & (pl.col("scope_type") != "country"))
        actual = {(r["scope"], r["year"]): r for r in rows.iter_rows(named=True)}
        scopes_present = {WORLD} | {c["region"] for c in data if c["region"] is not None}
        assert {s for s, _ in actual} == scopes_present
        for (scope, year), want in expected.items():
            if year not in span or scope not in scopes_present:
                continue
            got = actual[(scope, year)]
            for key in ("value", "lower", "upper", "coverage_share"):
                assert _close(got[key], want[key]), (indicator, scope, year, key, got, want)
            assert got["countries_counted"] == want["countries_counted"]
            assert got["countries_in_scope"] == want["countries_in_scope"]
            assert (got["status"] == "no_data") == (want["countries_counted"] == 0)


# -- the frame and the inputs asked for per row agree with the full computation --------------
def _sources_rule(inputs: list[dict]) -> str | None:
    """A row's sources as read from its full list of inputs (the rule views applied when every
    row carried its inputs): each citation once, sorted; a citation listing several is split."""
    names = sorted({i["source"] for i in inputs if i["source"]})
    joined = "; ".join(names)
    return "; ".join(sorted(set(joined.split("; ")))) if joined else None


def _synthetic_data() -> tuple[pl.DataFrame, pl.DataFrame]:
    from benchmarks.synthetic import synthetic_countries, synthetic_observations

    # 60 countries with figures over 1975-1994, 4 more in the country list without any
    return (synthetic_observations(60, 20, suppressed_share=0.1), synthetic_countries(64))


def _bundled_data(path) -> tuple[pl.DataFrame, pl.DataFrame]:
    from indicators.store import Store

    with Store(path, read_only=True) as store:
        return store.observations(), store.countries()


@pytest.mark.parametrize(
    ("data", "settings_kwargs"),
    [
        pytest.param("bundled", {}, id="bundled-default"),
        pytest.param("bundled", {"use_proxies": False}, id="bundled-no-proxies"),
        pytest.param("bundled", {"baseline_year": 2010}, id="bundled-baseline-2010"),
        pytest.param("bundled", {"baseline_year": 2019, "use_proxies": False,
                                 "horizon_years": 5}, id="bundled-2019-no-proxies"),
        pytest.param("synthetic", {"baseline_year": 1980}, id="synthetic-1980"),
        pytest.param("synthetic", {"baseline_year": 1985, "use_proxies": False},
                     id="synthetic-1985-no-proxies"),
        # every year is before the baseline: reporting rows are no data, with inputs
        pytest.param("synthetic", {}, id="synthetic-default"),
    ],
)
def test_frame_and_asked_inputs_equal_the_full_computation(request, data, settings_kwargs):
    from polars.testing import assert_frame_equal

    if data == "bundled":
        observations, country_list = _bundled_data(request.getfixturevalue("bundled_db"))
    else:
        observations, country_list = _synthetic_data()
    chosen = IndicatorSettings(**settings_kwargs)
    frame = compute_indicators(observations, country_list, chosen)
    full = compute_indicators(observations, country_list, chosen, with_inputs=True)

    # the full computation is the frame plus every row's inputs, frame for frame
    assert full.columns == [*OUTPUT_SCHEMA, "inputs"]
    assert_frame_equal(full.drop("inputs"), frame, check_exact=True)
    assert full["inputs"].list.len().sum() > 0
    # each row's sources are exactly the citations of its inputs
    assert frame["sources"].to_list() == [_sources_rule(i) for i in full["inputs"].to_list()]
    # and the values are the inputs' ratio (rates), summed over the countries counted
    for row in full.filter(pl.col("value").is_not_null()).iter_rows(named=True):
        inputs = row["inputs"]
        if row["scope_type"] != "country":
            assert {i["value_status"] for i in inputs} == {
                f"sum over {row['countries_counted']} countries"}
        if row["basis"] == "published":  # UNODC's SDG 16.2.2 rate: that figure alone
            (published,) = inputs
            assert (published["measure"], published["value"]) == ("victims_per_100k",
                                                                   row["value"])
            assert row["denominator_year"] is None
        elif INDICATORS[row["indicator"]].unit != "count":
            num, den = inputs
            offset = 1.0 if row["indicator"] == "reporting_increase" else 0.0
            scale = 100_000.0 if row["indicator"] == "victims_per_100k" else 1.0
            assert row["value"] == num["value"] / den["value"] * scale - offset
            assert row["denominator_year"] == den["year"]

    # inputs asked for a few rows, one scope at a time and mixed, equal the full computation's
    countries_with_data = frame.filter(
        (pl.col("scope_type") == "country") & (pl.col("status") != "no_data"))["scope"]
    country = countries_with_data.sort()[len(countries_with_data) // 2]
    region = frame.filter(pl.col("scope_type") == "region")["scope"].sort()[-1]
    silent = frame.filter(pl.col("scope_type") == "country").group_by("scope").agg(
        (pl.col("status") == "no_data").all().alias("silent")).filter("silent")["scope"]
    years = frame["year"].unique().sort()
    some_years = [years[len(years) // 2], years[-1]]
    selections = [[country], [region], [WORLD], [country, region, WORLD, *silent.head(1)]]
    for scopes in selections:
        asked = frame.filter(pl.col("scope").is_in(scopes) & pl.col("year").is_in(some_years))
        got = indicator_inputs(observations, country_list, chosen, asked)
        want = full.filter(pl.col("scope").is_in(scopes) & pl.col("year").is_in(some_years))
        assert got.height == len(INDICATORS) * len(set(scopes)) * 2
        assert_frame_equal(got, want, check_exact=True)


# -- trend, basis and series breaks (issue 13) ------------------------------------------------
def _detected(counts: dict[int, float | str], estimate: float = 122_000) -> pl.DataFrame:
    rows = [fig("AAA", y, "victims_detected", v) for y, v in counts.items()]
    return compute([*rows, est("AAA", estimate)])


def test_the_united_kingdoms_2019_identification_is_not_met_and_improving():
    # UNODC's detected victims for the United Kingdom (596, 601, 5,138, 6,985, 10,627 in
    # 2015–2019) over Walk Free's 122,000: 10,627 / 122,000 = 8.71% in 2019, under the
    # "more than 20% every year" target: not met. The line through the five years rises:
    # improving, told apart from the status. 601 → 5,138 is 8.5-fold: a possible break in
    # 2017, which the 2019 trend spans.
    result = _detected({2015: 596, 2016: 601, 2017: 5138, 2018: 6985, 2019: 10627})
    row = one(result, "identification_rate", "AAA", 2019)
    assert row["value"] == pytest.approx(10627 / 122_000)
    assert row["status"] == "not_met"
    assert row["trend"] == "improving"
    assert row["series_break"] is False
    assert row["break_year"] == 2017
    marked = one(result, "identification_rate", "AAA", 2017)
    assert (marked["series_break"], marked["break_year"]) == (True, 2017)
    assert one(result, "identification_rate", "AAA", 2016)["break_year"] is None
    # the same jump is the reporting increase's (detected victims stand in): its change since
    # 2015 spans it
    change = one(result, "reporting_increase", "AAA", 2019)
    assert change["value"] == pytest.approx(10627 / 596 - 1)
    assert (change["status"], change["basis"], change["break_year"]) == (
        "met_on_proxy", "proxy", 2017)


@pytest.mark.parametrize(
    ("before", "after", "marked"),
    [
        pytest.param(601, 5138, True, id="8.5-fold rise"),
        pytest.param(1054, 35, True, id="30-fold fall"),
        pytest.param(100, 300, False, id="exactly 3-fold is not more than 3"),
        pytest.param(100, 301, True, id="just over 3-fold"),
        pytest.param(2, 19, False, id="small counts jump by chance (largest under 20)"),
        pytest.param(5, 20, True, id="the larger figure reaches 20"),
        pytest.param(0, 50, False, id="from zero there is no ratio"),
        pytest.param(SUPPRESSED, 50, False, id="'<5' has no exact value"),
    ],
)
def test_series_break_rule(before, after, marked):
    result = _detected({2016: before, 2017: after})
    assert one(result, "identification_rate", "AAA", 2017)["series_break"] is marked
    assert one(result, "identification_rate", "AAA", 2016)["series_break"] is False


def test_a_break_needs_consecutive_years_and_is_only_marked_on_countries():
    result = _detected({2015: 10, 2017: 500})  # a gap year between: not "the year before"
    assert one(result, "identification_rate", "AAA", 2017)["series_break"] is False
    marked = _detected({2016: 601, 2017: 5138})
    world = one(marked, "identification_rate", WORLD, 2017)
    assert (world["series_break"], world["break_year"]) == (False, None)


def test_published_figures_are_marked_by_the_same_rule_and_left_unchanged():
    from indicators.compute import mark_series_breaks

    figures = obs([fig("GBR", 2016, "victims_detected", 601),
                   fig("GBR", 2017, "victims_detected", 5138),
                   fig("GBR", 2018, "persons_convicted", 191),
                   fig("GBR", 2017, "persons_convicted", 59),
                   fig("NGA", 2017, "victims_detected", 900)])
    marked = mark_series_breaks(figures)
    assert marked.drop("series_break").equals(figures)  # same rows, same order, same values
    assert marked["series_break"].to_list() == [False, True, True, False, False]


@pytest.mark.parametrize(
    ("counts", "trend"),
    [
        # 10%, 10.05%, 10.1% of 100,000: 0.05 points a year is 0.5% of the mean (10.05%) a
        # year, under the 1% that counts as flat
        pytest.param({2015: 10_000, 2016: 10_050, 2017: 10_100}, "flat", id="flat"),
        pytest.param({2015: 10_000, 2016: 11_000, 2017: 12_000}, "improving", id="rising"),
        pytest.param({2015: 12_000, 2016: 11_000, 2017: 10_000}, "worsening", id="falling"),
        pytest.param({2016: 10_000, 2017: 12_000}, "none", id="two years are not a trend"),
    ],
)
def test_trend_is_the_direction_of_the_line_towards_the_target(counts, trend):
    result = _detected(counts, estimate=100_000)
    assert one(result, "identification_rate", "AAA", 2017)["trend"] == trend


def test_rows_without_a_value_have_no_trend_or_basis():
    result = _detected({2015: 10, 2016: 11, 2017: 12})
    gap = one(result, "identification_rate", "BBB", 2017)
    assert (gap["status"], gap["trend"], gap["basis"]) == ("no_data", None, None)


def test_a_deadline_target_is_on_or_off_track_and_an_annual_one_met_or_not():
    # the same rates 5%, 9%, 10% (on track for conviction: 30.5% in 2025) as identification
    # (annual): not met, improving, no projection
    convictions = _by_year(_conviction_series({2015: 5, 2016: 9, 2017: 10}))
    assert convictions[2017]["status"] == "on_track"
    assert convictions[2017]["trend"] == "improving"
    detected = _detected({2015: 5, 2016: 9, 2017: 10}, estimate=100)
    row = one(detected, "identification_rate", "AAA", 2017)
    assert (row["status"], row["trend"], row["projected_at_deadline"]) == (
        "not_met", "improving", None)
