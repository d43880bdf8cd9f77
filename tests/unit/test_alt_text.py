"""Text alternatives: one sentence per chart, checked against sentences written out by hand
for small hand-built frames (the columns each chart's rows carry)."""

from __future__ import annotations

import polars as pl
import pytest

from indicators import alt_text, views
from indicators.alt_text import lower_first
from indicators.measures import INDICATORS, STATUSES
from tests.unit.chart_fixtures import synthetic_countries, synthetic_frame

# Status words come from the catalogue (another change may reword them); the rest is by hand.
OFF = lower_first(STATUSES["off_track"][0])
MET = lower_first(STATUSES["met"][0])
NOT_MET = lower_first(STATUSES["not_met"][0])
UNCERTAIN = lower_first(STATUSES["uncertain"][0])
CONVICTION_TARGET = INDICATORS["conviction_rate"].target_text
IDENTIFICATION_TARGET = INDICATORS["identification_rate"].target_text


def lines_frame(rows: list[tuple]) -> pl.DataFrame:
    """(scope, name, year, value, lower, upper, value_text, status, target) per row."""
    return pl.DataFrame(rows, orient="row", schema={
        "scope": pl.String, "name": pl.String, "year": pl.Int32, "value": pl.Float64,
        "lower": pl.Float64, "upper": pl.Float64, "value_text": pl.String,
        "status": pl.String, "target": pl.Float64,
    })


def test_one_country_over_time_reads_like_the_issue_example():
    data = lines_frame([
        ("GBR", "United Kingdom", 2015, 0.0003, 0.0003, 0.0003, "0.03%", "off_track", 0.3),
        ("GBR", "United Kingdom", 2016, 0.0005, 0.0005, 0.0005, "0.05%", "off_track", 0.3),
        ("GBR", "United Kingdom", 2020, 0.0016, 0.0016, 0.0016, "0.16%", "off_track", 0.3),
    ])
    assert alt_text.lines(data, "conviction_rate") == (
        "United Kingdom: conviction rate rose from 0.03% in 2015 to 0.16% in 2020, with no "
        f"figures in 3 of those 6 years; target {CONVICTION_TARGET}; {OFF}."
    )


def test_several_scopes_each_get_a_clause_in_the_charts_order():
    data = lines_frame([
        # A range (a '<5' input) that ends above where it started: rose.
        ("AAA", "Aland", 2015, None, 0.001, 0.004, "0.10%–0.40%", "off_track", 0.3),
        ("AAA", "Aland", 2016, 0.01, 0.01, 0.01, "1.0%", "off_track", 0.3),
        # Fell: the last range lies wholly below the first value.
        ("Europe", "Europe", 2015, 0.02, 0.02, 0.02, "2.0%", "off_track", 0.3),
        ("Europe", "Europe", 2016, None, 0.001, 0.004, "0.10%–0.40%", "uncertain", 0.3),
        # Overlapping ends: neither rose nor fell.
        ("WORLD", "World", 2015, None, 0.001, 0.004, "0.10%–0.40%", "off_track", 0.3),
        ("WORLD", "World", 2016, 0.003, 0.003, 0.003, "0.30%", "met", 0.3),
        # No figure at all.
        ("CCC", "Cland", 2015, None, None, None, "no data", "no_data", 0.3),
        ("CCC", "Cland", 2016, None, None, None, "no data", "no_data", 0.3),
    ])
    assert alt_text.lines(data, "conviction_rate") == (
        f"Conviction rate, 2015–2016: Aland rose from 0.10%–0.40% in 2015 to 1.0% in 2016 "
        f"({OFF}); Europe fell from 2.0% in 2015 to 0.10%–0.40% in 2016 ({UNCERTAIN}); World "
        f"went from 0.10%–0.40% in 2015 to 0.30% in 2016 ({MET}); no data for Cland; target "
        f"{CONVICTION_TARGET}."
    )


def test_the_same_range_at_both_ends_says_so_and_claims_no_trend():
    data = lines_frame([
        ("NZL", "New Zealand", 2015, None, 0.001, 0.004, "0.10%–0.40%", "off_track", 0.3),
        ("NZL", "New Zealand", 2016, None, None, None, "no data", "no_data", 0.3),
        ("NZL", "New Zealand", 2017, None, 0.001, 0.004, "0.10%–0.40%", "off_track", 0.3),
    ])
    assert alt_text.lines(data, "conviction_rate") == (
        "New Zealand: conviction rate 0.10%–0.40% in both 2015 and 2017, with no figures in 1 "
        f"of those 3 years; target {CONVICTION_TARGET}; {OFF}."
    )


def test_a_single_figure_and_no_target_at_this_level():
    data = lines_frame([
        ("Europe", "Europe", 2019, 41.0, 41.0, 41.0, "41", "no_target", None),
    ])
    assert alt_text.lines(data, "data_sharing_countries") == (
        f"Europe: countries sharing data across borders 41 in 2019; "
        f"{lower_first(STATUSES['no_target'][0])}."
    )


def test_a_country_without_any_figure_is_no_data_never_zero():
    data = lines_frame([
        ("ABW", "Aruba", 2015, None, None, None, "no data", "no_data", 0.2),
    ])
    assert alt_text.lines(data, "identification_rate") == (
        f"Aruba: victim identification rate no data; target {IDENTIFICATION_TARGET}."
    )


def test_lines_from_the_synthetic_world_match_the_hand_computed_rates():
    # chart_fixtures: AAA's identification rate is 10% (2015), no data (2016), 15% (2017);
    # BBB's 1% and 1.5%; CCC has no figures.
    names = views.scope_names(synthetic_countries())
    data = views.lines_data(synthetic_frame(), "identification_rate", ["AAA", "BBB", "CCC"],
                            (2015, 2017), names)
    assert alt_text.lines(data, "identification_rate") == (
        "Victim identification rate, 2015–2017: Aland Test rose from 10.0% in 2015 to 15.0% in "
        f"2017, with no figures in 1 of those 3 years ({NOT_MET}); Bland Test rose from 1.0% in "
        f"2015 to 1.5% in 2017, with no figures in 1 of those 3 years ({NOT_MET}); no data for "
        f"Cland Test; target {IDENTIFICATION_TARGET}."
    )


def ranking_frame(rows: list[tuple]) -> pl.DataFrame:
    """(name, value, lower, upper, value_text, status), already highest first."""
    return pl.DataFrame(rows, orient="row", schema={
        "name": pl.String, "value": pl.Float64, "lower": pl.Float64, "upper": pl.Float64,
        "value_text": pl.String, "status": pl.String,
    }).with_columns(pl.lit(0.2).alias("target"))


def test_ranking_lists_every_scope_highest_first_and_the_ones_without_data():
    data = ranking_frame([
        ("A", 0.25, 0.25, 0.25, "25.0%", "met"),
        ("B", None, 0.01, 0.04, "1.0%–4.0%", "off_track"),
        ("C", None, None, None, "no data", "no_data"),
        ("D", None, None, None, "no data", "no_data"),
    ])
    assert alt_text.ranking(data, "identification_rate", 2019) == (
        f"Victim identification rate in 2019, highest first: A 25.0% ({MET}), B 1.0%–4.0% "
        f"({OFF}); no data for C and D; target {IDENTIFICATION_TARGET}."
    )


def test_a_long_ranking_names_the_top_three_and_the_lowest():
    rows = [(f"S{i}", v, v, v, f"{v:.0%}", "off_track")
            for i, v in enumerate([0.09, 0.08, 0.07, 0.06, 0.05, 0.04, 0.03, 0.02, 0.01])]
    assert alt_text.ranking(ranking_frame(rows), "identification_rate", 2019) == (
        f"Victim identification rate in 2019, 9 with figures, highest first: S0 9% ({OFF}), "
        f"S1 8% ({OFF}), S2 7% ({OFF}); lowest: S8 1% ({OFF}); target {IDENTIFICATION_TARGET}."
    )


def map_frame(rows: list[tuple]) -> pl.DataFrame:
    """(scope, name, year, value, lower, upper, value_text, status) per country."""
    return pl.DataFrame(rows, orient="row", schema={
        "scope": pl.String, "name": pl.String, "year": pl.Int32, "value": pl.Float64,
        "lower": pl.Float64, "upper": pl.Float64, "value_text": pl.String,
        "status": pl.String,
    }).with_columns(pl.lit(0.2).alias("target"))


def test_the_map_says_how_many_have_a_figure_the_extremes_and_the_statuses():
    data = map_frame([
        ("AAA", "Aland", 2019, 0.25, 0.25, 0.25, "25.0%", "met"),
        ("BBB", "Bland", 2020, 0.05, 0.05, 0.05, "5.0%", "off_track"),
        ("CCC", "Cland", 2018, None, 0.001, 0.004, "0.10%–0.40%", "off_track"),
        ("DDD", "Dland", None, None, None, None, "no data", "no_data"),
    ])
    assert alt_text.world_map(data, "identification_rate", 2021, 2012) == (
        "Victim identification rate, each country's latest figure from 2012 to 2021: 3 of 4 "
        "countries have one; highest Aland 25.0% (2019), lowest Cland 0.10%–0.40% (2018); "
        f"1 {MET}, 2 {OFF}; target {IDENTIFICATION_TARGET}."
    )


def test_the_data_sharing_map_counts_flags_not_extremes():
    data = map_frame([
        ("AAA", "Aland", 2019, 1.0, 1.0, 1.0, "1", "met"),
        ("BBB", "Bland", 2020, 0.0, 0.0, 0.0, "0", "off_track"),
        ("CCC", "Cland", 2020, 1.0, 1.0, 1.0, "1", "met"),
    ])
    assert alt_text.world_map(data, "data_sharing_countries", 2021, 2012) == (
        "Countries sharing data across borders, each country's latest figure from 2012 to "
        "2021: 3 of 3 countries have one; 2 share data and 1 do not."
    )


def figures_frame(rows: list[tuple]) -> pl.DataFrame:
    """(measure, label, year, lower, upper, value_text), as views.measure_series shapes it."""
    return pl.DataFrame(rows, orient="row", schema={
        "measure": pl.String, "label": pl.String, "year": pl.Int32, "lower": pl.Float64,
        "upper": pl.Float64, "value_text": pl.String,
    })


def test_published_figures_keep_the_suppressed_text_and_count_the_gaps():
    data = figures_frame([
        ("victims_detected", "Detected trafficking victims", 2009, 549, 549, "549"),
        ("victims_detected", "Detected trafficking victims", 2020, 10613, 10613, "10,613"),
        ("persons_convicted", "Persons convicted", 2004, 1, 4, "<5"),
        ("persons_convicted", "Persons convicted", 2005, 1, 4, "<5"),
    ])
    assert alt_text.published_figures(data, "United Kingdom") == (
        "United Kingdom's published figures: detected trafficking victims rose from 549 in "
        "2009 to 10,613 in 2020, with no figures in 10 of those 12 years; persons convicted "
        "<5 in both 2004 and 2005."
    )
    assert alt_text.published_figures(data.clear(), "Aruba") == "Aruba: no published figures."


def test_coverage_strip_counts_years_per_measure_and_names_the_missing_ones():
    data = pl.DataFrame({
        "measure": ["persons_convicted"] * 3 + ["victims_reported"] * 3,
        "label": ["Persons convicted"] * 3 + ["Victims reported"] * 3,
        "year": [2015, 2016, 2017] * 2,
        "state": ["reported", "suppressed", "missing", "missing", "missing", "missing"],
    })
    assert alt_text.coverage_strip(data, "Aland") == (
        "Aland, 2015–2017: figures for persons convicted in 2 years (1 of them '<5'); no "
        "figures for victims reported."
    )


def test_coverage_matrix_and_summary_name_the_most_and_fewest_years():
    matrix = pl.DataFrame({
        "iso3": ["AAA", "AAA", "BBB", "BBB", "CCC", "CCC"],
        "year": [2015, 2016] * 3,
        "state": ["reported", "reported", "missing", "suppressed", "missing", "missing"],
    })
    assert alt_text.coverage_matrix(matrix, "persons_convicted") == (
        "Persons convicted, 2015–2016: 2 of 3 countries have at least one figure; the most in "
        "2016 (2 countries), the fewest in 2015 (1)."
    )
    summary = pl.DataFrame({
        "measure": ["victims_detected"] * 2 + ["victims_reported"] * 2,
        "label": ["Detected trafficking victims"] * 2 + ["Victims reported"] * 2,
        "year": [2015, 2016] * 2,
        "countries": [40, 120, 0, 0],
    })
    assert alt_text.coverage_summary(summary) == (
        "Countries with each figure, 2015–2016: detected trafficking victims from 40 (2015) to "
        "120 (2016); victims reported: none."
    )


@pytest.mark.parametrize(("text", "expected"), [
    ("Conviction rate", "conviction rate"),
    ("SDG 16.2.2", "SDG 16.2.2"),
    ("", ""),
])
def test_lower_first_keeps_acronyms(text, expected):
    assert lower_first(text) == expected
