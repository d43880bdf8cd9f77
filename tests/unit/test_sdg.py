"""SDG 16.2.2 (detected victims per 100,000 people) and the published counts per 100,000
population, on small hand-built frames with hand-computed answers.

The frames are synthetic (made up here to pin one rule down); AAA, BBB, ... are not real
countries. Europe: AAA 10 victims and 1,000,000 people (1.00 per 100,000), BBB 30 and
4,000,000 (0.75), CCC 50 victims but no population figure. Asia: DDD '<5' victims and
2,000,000 people (0.05–0.20).
"""

from __future__ import annotations

import math

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from indicators import page_state
from indicators.compute import OUTPUT_SCHEMA, WORLD, compute_indicators
from indicators.measures import (
    COUNT_VIEW_MEASURES,
    INDICATORS,
    SDG_INDICATOR,
    count_view_of,
    indicator_meta,
    per_100k_key,
)
from indicators.per_population import count_views
from indicators.settings import IndicatorSettings
from indicators.value_text import format_value
from tests.unit.test_compute import TEST_SOURCE, countries, fig, obs, one
from tests.unit.test_compute import compute as compute_with
from tests.unit.test_compute import inputs_of as inputs_with

POP = "population"
V = "victims_detected"
REGIONS = countries({"AAA": "Europe", "BBB": "Europe", "CCC": "Europe", "DDD": "Asia"})
ROWS = [
    fig("AAA", 2019, V, 10), fig("AAA", 2019, POP, 1_000_000),
    fig("BBB", 2019, V, 30), fig("BBB", 2019, POP, 4_000_000),
    fig("CCC", 2019, V, 50),
    fig("DDD", 2019, V, "<5"), fig("DDD", 2019, POP, 2_000_000),
]


def compute(rows: list[dict], regions: pl.DataFrame = REGIONS) -> pl.DataFrame:
    return compute_with(rows, regions)


def inputs_of(rows: list[dict], indicator: str, scope: str, year: int) -> list[dict]:
    return inputs_with(rows, indicator, scope, year, REGIONS)


def test_a_country_is_its_victims_over_the_same_years_population_times_100000():
    result = compute(ROWS)
    aaa = one(result, SDG_INDICATOR, "AAA", 2019)
    assert aaa["value"] == 10 / 1_000_000 * 100_000 == 1.0
    assert (aaa["status"], aaa["target"], aaa["proxy"]) == ("no_target", None, None)
    assert aaa["denominator_year"] == 2019
    assert one(result, SDG_INDICATOR, "BBB", 2019)["value"] == pytest.approx(0.75)
    # '<5' victims: a range from 1 / 2,000,000 to 4 / 2,000,000 per 100,000
    ddd = one(result, SDG_INDICATOR, "DDD", 2019)
    assert ddd["value"] is None
    assert (ddd["lower"], ddd["upper"]) == pytest.approx((0.05, 0.2))
    assert ddd["status"] == "no_target"
    # no population figure: no data, never a rate over nothing
    ccc = one(result, SDG_INDICATOR, "CCC", 2019)
    assert (ccc["value"], ccc["lower"], ccc["status"]) == (None, None, "no_data")
    assert ccc["note"] == "No World Bank population figure for this country and year."
    assert ccc["countries_counted"] == 0


def test_a_region_and_the_world_are_ratios_of_sums_over_countries_with_both_figures():
    result = compute(ROWS)
    europe = one(result, SDG_INDICATOR, "Europe", 2019)
    # (10 + 30) / (1,000,000 + 4,000,000) × 100,000 = 0.80, not the mean of 1.00 and 0.75
    assert europe["value"] == pytest.approx(0.8)
    assert europe["value"] != pytest.approx((1.0 + 0.75) / 2)
    assert (europe["countries_counted"], europe["countries_in_scope"]) == (2, 3)
    assert europe["status"] == "no_target"
    world = one(result, SDG_INDICATOR, WORLD, 2019)
    # (40 + 1..4) / 7,000,000 × 100,000: a range, since DDD reported '<5'
    assert world["value"] is None
    assert world["lower"] == pytest.approx(41 / 7_000_000 * 100_000)
    assert world["upper"] == pytest.approx(44 / 7_000_000 * 100_000)
    assert (world["countries_counted"], world["countries_in_scope"]) == (3, 4)
    assert world["note"] == "1 of the 3 countries reported '<5'; the value is a range."
    # the inputs the CLI report prints: the sums, with both sources
    victims, people = inputs_of(ROWS, SDG_INDICATOR, "Europe", 2019)
    assert (victims["measure"], victims["value"]) == (V, 40.0)
    assert (people["measure"], people["value"], people["year"]) == (POP, 5_000_000.0, 2019)
    assert victims["value_status"] == "sum over 2 countries"


def test_the_country_inputs_are_its_victims_and_population_with_their_sources():
    victims, people = inputs_of(ROWS, SDG_INDICATOR, "AAA", 2019)
    assert (victims["measure"], victims["value"], victims["year"]) == (V, 10.0, 2019)
    assert (people["measure"], people["value"], people["year"]) == (POP, 1_000_000.0, 2019)
    assert inputs_of(ROWS, SDG_INDICATOR, "CCC", 2019)[0]["measure"] == V


def test_coverage_share_is_stated_like_every_indicator():
    rows = [*ROWS, fig("AAA", 2021, "estimated_victims", 100),
            fig("BBB", 2021, "estimated_victims", 300), fig("CCC", 2021, "estimated_victims", 600)]
    europe = one(compute(rows), SDG_INDICATOR, "Europe", 2019)
    # AAA and BBB counted: 400 of Europe's 1,000 estimated victims
    assert europe["coverage_share"] == pytest.approx(0.4)


def test_no_other_years_population_stands_in_and_population_never_widens_the_scope():
    rows = [fig("AAA", 2019, V, 10), fig("AAA", 2018, POP, 1_000_000),
            fig("AAA", 1960, POP, 500_000), fig("EEE", 2019, POP, 9_000_000)]
    regions = pl.DataFrame({"iso3": ["AAA", "EEE"], "name": ["A", "E"],
                            "region": ["Europe", "Europe"]})
    result = compute(rows, regions)
    assert result["year"].unique().to_list() == [2019]  # 1960's population adds no year
    assert one(result, SDG_INDICATOR, "AAA", 2019)["status"] == "no_data"  # 2018 not used
    # The scope is the country list (AAA and EEE), the same for every indicator: EEE's
    # population figure neither adds it nor counts it
    europe = one(result, SDG_INDICATOR, "Europe", 2019)
    assert (europe["countries_in_scope"], europe["countries_counted"]) == (2, 0)
    assert europe["status"] == "no_data"


def test_the_other_indicators_are_unchanged_by_the_population():
    without = compute([r for r in ROWS if r["measure"] != POP])
    with_population = compute(ROWS)
    others = pl.col("indicator") != SDG_INDICATOR
    assert_frame_equal(with_population.filter(others).drop("sources"),
                       without.filter(others).drop("sources"))


def test_the_trend_runs_through_both_ends_of_any_range():
    rows = [fig("AAA", y, V, v) for y, v in ((2015, 10), (2016, 20), (2017, 30))]
    rows += [fig("AAA", y, POP, 1_000_000) for y in (2015, 2016, 2017, 2018)]
    rows += [fig("AAA", 2018, V, "<5")]
    result = compute(rows)
    # 1.0, 2.0, 3.0 per 100,000: +1 a year. No target, so no deadline and no projection; the
    # line rises (towards nothing: not "improving")
    row_2017 = one(result, SDG_INDICATOR, "AAA", 2017)
    assert (row_2017["trend"], row_2017["projected_at_deadline"]) == ("rising", None)
    rows_falling = [fig("AAA", y, V, v) for y, v in ((2015, 30), (2016, 20), (2017, 10))]
    rows_falling += [fig("AAA", y, POP, 1_000_000) for y in (2015, 2016, 2017)]
    assert one(compute(rows_falling), SDG_INDICATOR, "AAA", 2017)["trend"] == "falling"
    # 2018 is a range (at most 0.4 per 100,000): through the low ends (1, 2, 3, ≤0.4) and the
    # high ends (1, 2, 3, 0.4) both lines fall; no projection and no status either way
    row_2018 = one(result, SDG_INDICATOR, "AAA", 2018)
    assert row_2018["value"] is None and row_2018["upper"] == pytest.approx(0.4)
    assert row_2018["projected_at_deadline"] is None
    assert row_2018["status"] == "no_target" and row_2018["trend"] == "falling"
    # 3 then '<5' twice: the low ends fall, the high ends (3, 4, 4) rise: unclear, not a trend
    rows_unclear = [fig("AAA", 2015, V, 3), fig("AAA", 2016, V, "<5"), fig("AAA", 2017, V, "<5")]
    rows_unclear += [fig("AAA", y, POP, 1_000_000) for y in (2015, 2016, 2017)]
    assert one(compute(rows_unclear), SDG_INDICATOR, "AAA", 2017)["trend"] == "unclear"
    # '<5' every year: both ends flat
    rows_flat = [fig("AAA", y, V, "<5") for y in (2015, 2016, 2017)]
    rows_flat += [fig("AAA", y, POP, 1_000_000) for y in (2015, 2016, 2017)]
    assert one(compute(rows_flat), SDG_INDICATOR, "AAA", 2017)["trend"] == "flat"


def test_the_sdg_reads_per_100000_and_small_rates_keep_two_digits():
    assert format_value(15.949, "per_100k") == "15.95"
    assert format_value(None, "per_100k", lower=0.05, upper=0.2) == "0.050–0.20"
    assert format_value(0.0015, "per_100k") == "0.0015"
    assert INDICATORS[SDG_INDICATOR].formula == "victims_detected / population × 100,000"


# -- the published counts, as counts or per 100,000 population (Compare) ---------------------
def test_count_views_are_sums_and_ratios_of_sums_by_the_same_rules():
    rows = [*ROWS, fig("AAA", 2019, "persons_convicted", 2), fig("BBB", 2019,
                                                                 "persons_convicted", "<5")]
    views = count_views(obs(rows), REGIONS)
    assert views.schema == pl.Schema(OUTPUT_SCHEMA)

    def row(key: str, scope: str) -> dict:
        return one(views, key, scope, 2019)

    assert row("persons_convicted", "AAA")["value"] == 2
    europe = row("persons_convicted", "Europe")
    assert (europe["value"], europe["lower"], europe["upper"]) == (None, 3, 6)
    assert europe["note"] == "1 of the 2 countries reported '<5'; the value is a range."
    assert europe["status"] == "no_target" and europe["target"] is None
    per = row("persons_convicted_per_100k", "Europe")
    # (2 + 1..4) / 5,000,000 × 100,000
    assert (per["lower"], per["upper"]) == pytest.approx((0.06, 0.12))
    assert row("persons_convicted_per_100k", "AAA")["value"] == pytest.approx(0.2)
    # CCC has victims and no population: counted as a count, not per 100,000
    assert row(V, "Europe")["countries_counted"] == 3
    assert row(SDG_INDICATOR, "Europe")["countries_counted"] == 2
    assert row("persons_convicted", "Asia")["status"] == "no_data"


def test_detected_victims_per_100000_as_a_count_view_is_sdg_16_2_2(bundled_db):
    from indicators.store import Store

    with Store(bundled_db, read_only=True) as store:
        observations, country_list = store.observations(), store.countries()
    # the count view is the computed rate: SDG 16.2.2 without UNODC's published rates
    computed = observations.filter(pl.col("measure") != "victims_per_100k")
    sdg = compute_indicators(computed, country_list, IndicatorSettings()).filter(
        pl.col("indicator") == SDG_INDICATOR)
    view = count_views(observations, country_list, keys=[SDG_INDICATOR])
    columns = ["scope", "scope_type", "year", "status", "countries_counted",
               "countries_in_scope", "coverage_share", "denominator_year", "note", "sources"]
    assert_frame_equal(view.select(columns), sdg.select(columns))
    for column in ("value", "lower", "upper"):
        got, want = view[column].to_list(), sdg[column].to_list()
        assert all((a is None and b is None) or math.isclose(a, b, rel_tol=1e-12)
                   for a, b in zip(got, want, strict=True))
    gbr = one(view, SDG_INDICATOR, "GBR", 2019)
    assert gbr["value"] == pytest.approx(10_627 / 66_631_000 * 100_000)


def test_every_count_has_a_view_and_a_per_100000_view_described_as_an_indicator():
    for measure in COUNT_VIEW_MEASURES:
        assert count_view_of(measure) == (measure, False)
        assert count_view_of(per_100k_key(measure)) == (measure, True)
        meta = indicator_meta(per_100k_key(measure))
        assert meta.target is None and meta.unit == "per_100k"
        assert indicator_meta(measure).unit == "count"
    assert per_100k_key("victims_detected") == SDG_INDICATOR
    assert count_view_of("conviction_rate") is None
    with pytest.raises(KeyError):
        indicator_meta("bogus")


@pytest.mark.parametrize("state", [
    page_state.CompareState(indicator="persons_convicted", per="100k", years=(2003, 2021)),
    page_state.CompareState(indicator="victims_detected", per="count", years=(2003, 2021)),
    page_state.CompareState(indicator=SDG_INDICATOR, years=(2003, 2021)),
])
def test_compare_state_with_a_count_round_trips(state):
    query = page_state.compare_query(state)
    parsed, notices = page_state.parse_compare(query, scopes=list(state.scopes),
                                               years=(2003, 2021))
    assert (parsed, notices) == (state, [])
    assert parsed.view == page_state.view_key(state.indicator, state.per)


def test_a_link_to_a_count_views_own_key_is_read_as_the_count_per_100000():
    parsed, notices = page_state.parse_compare(
        {"indicator": "persons_convicted_per_100k"}, scopes=["WORLD"], years=(2003, 2021))
    assert (parsed.indicator, parsed.per, parsed.view, notices) == (
        "persons_convicted", "100k", "persons_convicted_per_100k", [])
    parsed, _ = page_state.parse_compare({"indicator": "victims_detected", "per": "100k"},
                                         scopes=["WORLD"], years=(2003, 2021))
    assert parsed.view == SDG_INDICATOR
    parsed, notices = page_state.parse_compare({"indicator": "persons_convicted", "per": "x"},
                                               scopes=["WORLD"], years=(2003, 2021))
    assert parsed.per == "count" and "'x'" in notices[0]


# -- UNODC's published rate (issue 21): shown where UNODC publishes one -------------------------
# Synthetic, on ROWS: UNODC "publishes" 0.9 for AAA 2019 (computed: 1.00) and 2.5 for CCC 2019
# (which has no population figure, so nothing could be computed); none for BBB or DDD.
PUBLISHED = "unodc_sdg_test"
RATE = "victims_per_100k"
WITH_PUBLISHED = [*ROWS, fig("AAA", 2019, RATE, 0.9, source=PUBLISHED),
                  fig("CCC", 2019, RATE, 2.5, source=PUBLISHED)]


def test_a_published_rate_is_shown_instead_of_the_computed_one_and_says_so():
    result = compute(WITH_PUBLISHED)
    aaa = one(result, SDG_INDICATOR, "AAA", 2019)
    assert (aaa["value"], aaa["lower"], aaa["upper"]) == (0.9, 0.9, 0.9)  # not 1.00
    assert (aaa["basis"], aaa["status"], aaa["sources"]) == ("published", "no_target", PUBLISHED)
    assert aaa["denominator_year"] is None  # UNODC's rate: no denominator of ours
    # a published rate stands even where the computation lacks a figure (CCC: no population)
    ccc = one(result, SDG_INDICATOR, "CCC", 2019)
    assert (ccc["value"], ccc["basis"], ccc["note"]) == (2.5, "published", None)
    assert ccc["countries_counted"] == 1
    # where UNODC publishes none, the rate is computed, and says so
    bbb = one(result, SDG_INDICATOR, "BBB", 2019)
    assert (bbb["value"], bbb["basis"]) == (pytest.approx(0.75), "computed")
    assert bbb["sources"] == TEST_SOURCE


def test_regions_and_the_world_stay_computed_from_the_counts_not_from_published_rates():
    with_published, without = compute(WITH_PUBLISHED), compute(ROWS)
    for scope in ("Europe", "Asia", WORLD):
        got, want = (one(with_published, SDG_INDICATOR, scope, 2019),
                     one(without, SDG_INDICATOR, scope, 2019))
        assert (got["value"], got["lower"], got["upper"], got["countries_counted"]) == (
            want["value"], want["lower"], want["upper"], want["countries_counted"])
        assert got["basis"] == "computed"
        assert PUBLISHED not in (got["sources"] or "")
    # Europe: (10 + 30) / (1,000,000 + 4,000,000) × 100,000 = 0.80, AAA's published 0.9 unused
    assert one(with_published, SDG_INDICATOR, "Europe", 2019)["value"] == pytest.approx(0.8)


def test_a_published_rate_rests_on_that_figure_alone():
    [published] = inputs_of(WITH_PUBLISHED, SDG_INDICATOR, "AAA", 2019)
    assert (published["measure"], published["value"], published["source"]) == (
        RATE, 0.9, PUBLISHED)
    assert [i["measure"] for i in inputs_of(WITH_PUBLISHED, SDG_INDICATOR, "BBB", 2019)] == [
        "victims_detected", "population"]
    europe = inputs_of(WITH_PUBLISHED, SDG_INDICATOR, "Europe", 2019)
    assert [i["measure"] for i in europe] == ["victims_detected", "population"]
    assert europe[0]["value"] == 40  # AAA and BBB's counts


def test_a_published_rate_does_not_widen_the_years_or_touch_other_indicators():
    later = [*WITH_PUBLISHED, fig("AAA", 2023, RATE, 1.1, source=PUBLISHED)]
    result = compute(later)
    assert result["year"].max() == 2019  # the other figures' years only
    others = result.filter(pl.col("indicator") != SDG_INDICATOR)
    assert_frame_equal(others, compute(ROWS).filter(pl.col("indicator") != SDG_INDICATOR))
