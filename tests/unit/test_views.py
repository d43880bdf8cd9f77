"""Views: the words and rows every page and chart shows, on the bundled data (hand-checked
values) and on the synthetic world of chart_fixtures."""

from __future__ import annotations

import polars as pl
import pytest

from indicators import paper, views
from indicators.measures import CONTEXT_MEASURES, INDICATORS, MEASURES
from indicators.report import indicator_frame
from indicators.settings import IndicatorSettings
from tests.unit.chart_fixtures import (
    SYNTHETIC_CITATION,
    synthetic_countries,
    synthetic_observations,
    synthetic_sources,
)

YEARS = (2015, 2021)

# UNODC GLOTIP (release 30 May 2023, unchanged in that of 14 April 2025) and Walk Free GSI
# 2023, United Kingdom:
GBR_DETECTED_2019 = 10627
GBR_CONVICTED_2019 = 251
GBR_ESTIMATED_2021 = 122000


@pytest.fixture(scope="module")
def bundled(bundled_db_template):
    from indicators.store import Store

    with Store(bundled_db_template, read_only=True) as store:
        yield {
            "frame": indicator_frame(store, IndicatorSettings()),
            "countries": store.countries(),
            "sources": store.sources(),
            "observations": store.observations(),
        }


# -- bundled data: known values -----------------------------------------------------------------
def test_gbr_2019_cards_show_the_hand_computed_rates(bundled):
    identification = views.card(bundled["frame"], "identification_rate", scope="GBR", year=2019)
    conviction = views.card(bundled["frame"], "conviction_rate", scope="GBR", year=2019)
    assert GBR_DETECTED_2019 / GBR_ESTIMATED_2021 == pytest.approx(0.0871, abs=1e-4)
    assert identification.value_text == "8.7%"
    # 8.7% is below the "more than 20% every year" target: not met, whatever the trend
    assert identification.status_text == "✗ Not met"
    assert identification.trend_direction == "improving"
    assert identification.trend_text.startswith("Trend since the baseline year: improving.")
    assert "possible break in the series in 2017" in identification.trend_text
    assert identification.projection_text == ""  # an annual target has no deadline
    assert GBR_CONVICTED_2019 / GBR_ESTIMATED_2021 == pytest.approx(0.00206, abs=1e-5)
    # 122,000 / 251 = 486: "1 in 490" (the percent stays in the tooltip)
    assert conviction.value_text == "1 in 490"
    assert conviction.value_hover == "0.21%"
    assert conviction.status_text == "✖ Off track"
    assert conviction.coverage_text == "This country has the figures."
    assert conviction.projection_text.endswith("in 2025, the deadline.")


def test_every_page_defaults_to_the_latest_well_covered_year(bundled):
    # Countries and territories with any indicator figure (any UNODC national total: the
    # data-sharing proxy), counted by hand in the 14 April 2025 workbook (openpyxl, rows with
    # Dimension = Category = Sex = Age = Total, distinct Iso3_code per Year): 146 in 2017,
    # 149 in 2020 (the most), 130 in 2021, 115 in 2022 (at least half of 149): 2022, the
    # latest year, for every indicator and every scope.
    choice = views.default_year(bundled["frame"])
    assert choice.year == 2022
    assert choice.reason.endswith("(115; the most is 149, in 2020).")
    for key in INDICATORS:
        for scope in ("WORLD", "GBR", "NGA"):
            shown = views.card(bundled["frame"], key, scope=scope, page_year=choice)
            assert shown.year == 2022 or shown.year_note, (key, scope)
    shown = views.card(bundled["frame"], "conviction_rate")
    assert shown.year == 2022 and shown.year_note == ""
    # one universe: the 246 countries and territories of the country list
    assert views.universe(bundled["countries"]) == 246
    # 2022: 85 countries publish persons convicted (workbook, by hand); 10 of them have no
    # Walk Free estimate (Bahamas, Belize, Cook Islands, Fiji, Luxembourg, Malta, Palau,
    # Seychelles, Tonga, Holy See: empty or absent in the GSI 2023 file): 75.
    assert shown.coverage_text.startswith("75 of 246 countries and territories, ")
    assert shown.coverage_text.endswith("% of estimated victims")


def test_a_card_without_a_figure_in_the_page_year_shows_its_latest_and_says_so(bundled):
    # The United Kingdom has no conviction figure for 2021: a page showing 2021 by default
    # would show 2020's with a note; asked for 2021 explicitly, the card is "no data".
    frame = bundled["frame"]
    page = views.YearChoice(2021, "test")
    shown = views.card(frame, "conviction_rate", scope="GBR", page_year=page)
    assert shown.year == 2020
    assert shown.year_note == ("No figure for 2021 (the year the page shows); this is 2020's, "
                               "the latest before it.")
    chosen = views.card(frame, "conviction_rate", scope="GBR", year=2021)
    assert (chosen.year, chosen.status, chosen.year_note) == (2021, "no_data", "")


def test_proxied_values_say_so_in_status_and_coverage(bundled):
    # Nigeria publishes no reported-victims series or data-sharing flag: both values rest
    # wholly on proxies, and so do the world's.
    frame = bundled["frame"]
    nga = views.card(frame, "reporting_increase", scope="NGA", year=2017)
    assert nga.basis == "proxy"
    assert nga.status_text == "◐ Target met on a proxy"
    assert nga.coverage_text.startswith("From a proxy: victims detected by the authorities")
    sharing = views.card(frame, "data_sharing_countries", scope="NGA", year=2020)
    assert sharing.status_text == "◐ Target met on a proxy"
    assert sharing.coverage_text.startswith("From a proxy: it counts as sharing data")
    world = views.card(frame, "data_sharing_countries", year=2020)
    assert world.status_text == "◐ Target met on a proxy"
    # 149 countries with a UNODC national total for 2020 (the 2025 workbook, by hand)
    assert world.coverage_text.startswith("149 of 246 countries and territories")
    assert world.coverage_text.endswith("; all from a proxy")


def test_indicator_without_figures_is_no_data_not_zero(bundled):
    shown = views.card(bundled["frame"], "victims_prosecuted")  # the default year, 2022
    assert (shown.year, shown.value_text, shown.status) == (2022, "no data", "no_data")
    assert shown.definition == MEASURES["victims_prosecuted"].definition


def test_compare_table_lists_every_country_with_year_of_figure_and_source(bundled):
    names = views.scope_names(bundled["countries"])
    regions = dict(zip(bundled["countries"]["iso3"], bundled["countries"]["region"],
                       strict=True))
    latest = views.latest_figures(bundled["frame"], "identification_rate", 2019, 2003, names,
                                  regions)
    table = views.compare_table(latest)
    gbr = table.filter(pl.col("ISO3") == "GBR").row(0, named=True)
    assert gbr["Value"] == "8.7%" and gbr["Year of figure"] == 2019
    assert gbr["Estimate year (denominator)"] == 2021
    assert "UNODC" in gbr["Source"] and "Walk Free" in gbr["Source"]
    assert table.height == bundled["countries"].height
    no_data = table.filter(pl.col("Value") == "no data")
    assert no_data.height > 0
    assert no_data["Year of figure"].null_count() == no_data.height
    assert table["Value"].to_list()[-1] == "no data"  # sorted: no data last


def test_source_coverage_reads_from_the_store(bundled):
    table = views.source_coverage(bundled["observations"], bundled["sources"])
    unodc = table.filter(pl.col("Publisher") == "UNODC").row(0, named=True)
    assert unodc["Years"] == "2003–2021"
    assert unodc["Release"] == "data portal release of 30 May 2023 (years 2003–2021)"
    assert "Detected trafficking victims" in unodc["Measures"]
    walk_free = table.filter(pl.col("Publisher") == "Walk Free").row(0, named=True)
    assert walk_free["Years"] == "2021"
    assert "attribution" in walk_free["Licence"]


def test_data_as_of_names_each_release(bundled):
    used = views.sources_used(
        ["UNODC, Global Report on Trafficking in Persons, data portal (release 30 May 2023); "
         "Walk Free, Global Slavery Index 2023"],
        bundled["sources"],
    )
    assert views.data_as_of(used) == (
        "UNODC data portal release of 30 May 2023 (years 2003–2021); "
        "Walk Free GSI 2023 (estimates for 2021)"
    )


def test_measure_series_keeps_suppressed_figures_as_less_than_five(bundled):
    series = views.measure_series(bundled["observations"], "GBR", ["persons_convicted"])
    row_2004 = series.filter(pl.col("year") == 2004).row(0, named=True)
    assert (row_2004["value"], row_2004["lower"], row_2004["upper"]) == (None, 1.0, 4.0)
    assert row_2004["value_text"] == "<5"
    row_2019 = series.filter(pl.col("year") == 2019).row(0, named=True)
    assert row_2019["value_text"] == "251"
    assert row_2019["lower"] == row_2019["upper"] == 251.0


# -- synthetic data: shapes and edge cases --------------------------------------------------------
def test_lines_data_keeps_every_year_and_the_order_asked_for(frame, names):
    data = views.lines_data(frame, "identification_rate", ["BBB", "WORLD", "AAA"], YEARS, names)
    assert data["scope"].unique(maintain_order=True).to_list() == ["BBB", "WORLD", "AAA"]
    aaa = data.filter(pl.col("scope") == "AAA")
    assert aaa["year"].to_list() == list(range(2015, 2022))
    assert aaa["value_text"].to_list()[:3] == ["10.0%", "no data", "15.0%"]
    world = data.filter((pl.col("scope") == "WORLD") & (pl.col("year") == 2015)).row(
        0, named=True)
    assert world["value"] == pytest.approx((100 + 20) / (1000 + 2000))
    assert world["countries_counted"] == 2
    assert world["source"] == SYNTHETIC_CITATION
    assert data.filter(pl.col("value").is_null())["source"].unique().to_list() == [""]


def test_lines_data_leaves_country_flags_out_of_the_data_sharing_chart(frame, names):
    data = views.lines_data(frame, "data_sharing_countries", ["AAA", "WORLD", "Europe"], YEARS,
                            names)
    assert set(data["scope"].to_list()) == {"WORLD", "Europe"}


def test_ranking_puts_ranges_by_lower_end_and_no_data_last(frame, names):
    data = views.ranking_data(frame, "conviction_rate", 2015, ["BBB", "AAA"], names)
    assert data["scope"].to_list() == ["AAA", "BBB"]
    # '<5' convictions over 1,000 estimated victims: 1 in 1,000 to 1 in 250
    assert data["value_text"].to_list() == ["1 in 250–1,000", "no data"]


def test_latest_figures_take_each_countrys_latest_year_in_the_window(frame, names):
    latest = views.latest_figures(frame, "conviction_rate", 2021, 2015, names,
                                  {"AAA": "Europe"})
    rows = {r["scope"]: r for r in latest.iter_rows(named=True)}
    assert rows["AAA"]["year"] == 2017 and rows["AAA"]["value_text"] == "1.2%"
    assert rows["AAA"]["region"] == "Europe"
    assert rows["BBB"]["year"] is None and rows["BBB"]["value_text"] == "no data"
    window = views.latest_figures(frame, "conviction_rate", 2015, 2015, names)
    assert window.filter(pl.col("scope") == "AAA")["value_text"].to_list() == [
        "1 in 250–1,000"]


def test_coverage_strip_data_has_every_measure_and_year(names):
    strip = views.coverage_strip_data(synthetic_observations(), "AAA", YEARS)
    measures = [m for m in MEASURES if m not in CONTEXT_MEASURES]
    assert strip.height == len(measures) * 7
    state = {(r["measure"], r["year"]): r["state"] for r in strip.iter_rows(named=True)}
    assert state[("persons_convicted", 2015)] == "suppressed"
    assert state[("victims_detected", 2016)] == "missing"
    assert state[("estimated_victims", 2021)] == "estimate"


def test_coverage_matrix_lists_countries_with_any_figure(names):
    matrix = views.coverage_matrix(synthetic_observations(), synthetic_countries(),
                                   "persons_convicted", YEARS)
    assert matrix["iso3"].unique().sort().to_list() == ["AAA", "BBB"]  # CCC has no figure
    bbb = matrix.filter(pl.col("iso3") == "BBB")
    assert set(bbb["state"].to_list()) == {"missing"}
    assert set(bbb["value_text"].to_list()) == {"no data"}


def test_coverage_summary_counts_countries_per_measure_and_year():
    summary = views.coverage_summary(synthetic_observations(), YEARS)
    counts = {(r["measure"], r["year"]): r["countries"] for r in summary.iter_rows(named=True)}
    assert counts[("victims_detected", 2015)] == 2
    assert counts[("victims_detected", 2016)] == 0
    assert counts[("persons_convicted", 2015)] == 1


def test_sources_used_keeps_unknown_citations_and_drops_blanks():
    used = views.sources_used([SYNTHETIC_CITATION, "", None, "An NGO upload; " +
                               SYNTHETIC_CITATION], synthetic_sources())
    assert used["id"].to_list() == ["An NGO upload", "synthetic"]
    assert views.data_as_of(used) == "Test Publisher release of 1 January 2000"


def test_scope_labels_and_formula_words():
    names = views.scope_names(synthetic_countries())
    assert views.scope_label("WORLD", names) == "World"
    assert views.scope_label("Europe", names) == "Europe (region)"
    assert views.scope_label("AAA", names) == "Aland Test"
    assert views.formula_words("identification_rate") == (
        "detected trafficking victims ÷ estimated people in modern slavery")
    assert views.axis_title("reporting_increase") == (
        INDICATORS["reporting_increase"].short + " (%)")


def test_caveats_cover_proxies_denominator_and_voluntary_reporting():
    titles = [title for title, _ in views.CAVEATS]
    assert titles[:3] == ["The denominator", "Proxies (they can be switched off)",
                          "Voluntary reporting"]
    denominator = views.CAVEATS[0][1]
    assert denominator.startswith("Walk Free's Global Slavery Index 2023 estimate")


def test_paper_table_4_and_context_figures_are_quoted():
    rows = paper.table_4_rows()
    assert [r["Recommendation"] for r in rows] == [
        "Harmonize legal definitions", "AI-based financial tracking", "Victim visa programs",
        "Cross-border data sharing", "Training for judges and prosecutors",
        "Victim support fund",
    ]
    assert rows[1]["Cost Implication"] == "High ($50–100M globally)"
    assert rows[3]["Responsible Actor"] == "Interpol, Europol, UNODC"
    assert rows[4]["Timeline"] == "1.5 years"
    figures = [f.figure for f in paper.CONTEXT_FIGURES]
    assert figures == ["under 3%", "fewer than 10%", "1.8% vs 2.1%"]
    assert "(under 3% globally)" in paper.CONTEXT_FIGURES[0].quote


def test_pickers_offer_world_regions_subregions_then_countries_with_figures(frame, names):
    options = views.scope_options(frame, synthetic_countries(), names)
    # CCC has no figure
    assert options == ["WORLD", "Africa", "Europe", "Northern Europe", "Western Africa", "AAA",
                       "BBB"]
    kinds = views.scope_kinds(synthetic_countries())
    assert views.scope_label("Western Africa", names, kinds) == "Western Africa (subregion)"
    assert views.scope_label("Africa", names, kinds) == "Africa (region)"
    # the countries a year is chosen for: a subregion's, a region's; every one with the world
    assert views.countries_of(synthetic_countries(), ["Western Africa"]) == ("BBB", "CCC")
    assert views.countries_of(synthetic_countries(), ["Europe", "BBB"]) == ("AAA", "BBB")
    assert views.countries_of(synthetic_countries(), ["AAA", "WORLD"]) is None
    assert views.countries_with_figures(synthetic_observations(), synthetic_countries(),
                                        names) == ["AAA", "BBB"]
    assert views.place_of(synthetic_countries(), "AAA") == ("Europe", "Northern Europe")
    assert views.place_of(synthetic_countries(), "ZZZ") == (None, None)
    # what the Country profile and the brief set a country against: subregion, region, world
    groups = views.compared_groups(synthetic_countries(), "AAA", names)
    assert groups == ["Northern Europe", "Europe"]
    assert views.against_words(groups) == "Northern Europe, Europe and the world"
    # a group the computation does not have as a scope is left out (not in ``names``)
    assert views.compared_groups(synthetic_countries(), "AAA",
                                 {"Europe": "Europe"}) == ["Europe"]
    assert views.compared_groups(synthetic_countries(), "ZZZ", names) == []
    assert views.against_words([]) == "its region and the world"


def test_country_tables_read_as_published(names):
    assert views.raw_count_measures()[:5] == [
        "victims_detected", "persons_prosecuted", "persons_convicted", "suspects",
        "offences_recorded"]
    assert "data_sharing_active" not in views.raw_count_measures()
    table = views.figures_table(views.measure_series(synthetic_observations(), "AAA"))
    convicted = table.filter(pl.col("Measure") == "Persons convicted")
    assert convicted["Figure"].to_list() == ["<5", "10", "12"]
    assert table.filter(pl.col("Measure") == "Estimated people in modern slavery")[
        "Figure"].to_list() == ["1,000 (estimate)"]
    measures = views.measures_table()
    assert measures.height == len(MEASURES)
    detected = measures.filter(pl.col("Code") == "victims_detected").row(0, named=True)
    assert detected["Used by"].startswith("Victim identification rate (indicator 4); ")


def test_a_country_data_sharing_card_states_the_flag_target_not_the_world_count():
    import polars as pl

    from indicators.compute import compute_indicators
    from indicators.views import COUNTRY_DATA_SHARING_TARGET, card

    observations = pl.DataFrame(
        {
            "iso3": ["FRA"], "year": [2020], "measure": ["data_sharing_active"],
            "value": [1.0], "value_status": ["reported"], "lower": [None], "upper": [None],
            "source_id": ["s"],
        },
        schema_overrides={"lower": pl.Float64, "upper": pl.Float64},
    )
    countries = pl.DataFrame({"iso3": ["FRA"], "name": ["France"], "region": ["Europe"]})
    frame = compute_indicators(observations, countries)
    country = card(frame, "data_sharing_countries", scope="FRA", year=2020)
    world = card(frame, "data_sharing_countries", year=2020)
    assert country.target_text == COUNTRY_DATA_SHARING_TARGET
    assert country.value_text == "1"
    assert world.target_text == "60 or more countries"
    assert world.value_text == "1"


def test_coverage_text_never_rounds_a_real_share_to_zero_and_flags_thin_coverage():
    from indicators.views import coverage_text

    row = {"scope_type": "world", "countries_counted": 1, "countries_in_scope": 246,
           "coverage_share": 0.0012}
    assert coverage_text(row) == (
        "1 of 246 countries and territories, <1% of estimated victims. Only 1 country: this "
        "value speaks for them, not for the whole")
    wide = {"scope_type": "world", "countries_counted": 99, "countries_in_scope": 246,
            "coverage_share": 0.6437, "basis": "partly_proxy"}
    assert coverage_text(wide) == (
        "99 of 246 countries and territories, 64% of estimated victims; partly from a proxy")


def test_a_country_without_the_figures_says_so_with_the_reason():
    from indicators.views import coverage_text

    row = {"scope_type": "country", "countries_counted": 0,
           "note": "No figure for the baseline year 2015."}
    assert coverage_text(row) == ("This country does not have the figures this needs that "
                                  "year. No figure for the baseline year 2015.")


# -- words never round across a target --------------------------------------------------------
def test_nigerias_projection_never_reads_as_the_target(bundled):
    # UNODC detected victims, Nigeria: 896 (2015), 1,017, 1,890, 1,173, 1,152, 1,087 (2020).
    # Change on 2015 by year, t = 0..5; least squares: slope = Σ(t − 2.5)·count / (896 · 17.5)
    # = 321.5 / 15,680; mean = (7,215 / 6 − 896) / 896 = 306.5 / 896; at t = 10 (2025):
    # (306.5 + 7.5 × 321.5 / 17.5) / 896 = 444.29 / 896 = +49.59%, under the +50% target.
    card = views.card(bundled["frame"], "reporting_increase", "NGA", 2020)
    assert card.status == "off_track"
    assert card.projection_text == (
        "Projection: the trend line reaches +49.6% in 2025, the deadline.")


@pytest.mark.parametrize(
    ("projected", "indicator", "target", "words"),
    [
        (0.29996, "conviction_rate", 0.30, "just under 30%"),
        (0.20, "conviction_rate", 0.20, "20.0%"),
        (0.50004, "reporting_increase", 0.50, "just over +50%"),
        (59.7, "data_sharing_countries", 60.0, "59.7"),
    ],
)
def test_projection_words_stay_on_their_side_of_the_target(projected, indicator, target,
                                                           words):
    row = {"projected_at_deadline": projected, "deadline_year": 2025, "target": target}
    assert views.projection_text(row, indicator) == (
        f"Projection: the trend line reaches {words} in 2025, the deadline.")


def test_a_card_and_its_hover_never_round_across_the_target(frame):
    row = frame.filter((pl.col("indicator") == "identification_rate")
                       & (pl.col("scope") == "AAA")).row(0, named=True)
    row.update(value=0.19996, lower=0.19996, upper=0.19996, target=0.20, status="not_met")
    shown = views.card(pl.DataFrame([row], schema=frame.schema), "identification_rate", "AAA",
                       row["year"])
    assert shown.value_text == "just under 20%"
    assert views.value_hover(row, "share") == "just under 20%"


# -- ranks: a range by its middle, overlaps as ties ------------------------------------------
def test_tie_ranks_share_a_place_only_where_intervals_overlap():
    # in RANK_RULE order (upper ends): A 50%; C a range 10–40%; B 30% exact; D 5%; no figure
    lows, highs = [0.5, 0.1, 0.3, 0.05, None], [0.5, 0.4, 0.3, 0.05, None]
    # A: nothing above, overlaps nobody: 1. C: surely above it only A (lower 50% > 40%),
    # overlaps B (30% inside 10–40%): =2. B: surely above only A (C's lower 10% is below
    # 30%): =2. D: A, C (10% > 5%) and B above: 4.
    assert views.tie_ranks(lows, highs) == ["1", "=2", "=2", "4", ""]
    # two equal exact values are tied
    assert views.tie_ranks([0.2, 0.2, 0.1], [0.2, 0.2, 0.1]) == ["=1", "=1", "3"]


def test_ranking_ranks_ghanas_range_by_its_upper_end_and_ties_it_with_nigeria(bundled):
    # Conviction rate 2017. Ghana: '<5' convictions over Walk Free's 91,000 estimated victims,
    # 1/91,000–4/91,000 (1.10e-5–4.40e-5); Nigeria 1 in 77,000 (1.30e-5): inside Ghana's
    # range, so Ghana (upper end 4.40e-5) comes first and both are ties. Côte d'Ivoire 1 in
    # 39,000 (2.59e-5) is inside Ghana's range too. (By the lower end, Nigeria came first.)
    names = views.scope_names(bundled["countries"])
    data = views.ranking_data(bundled["frame"], "conviction_rate", 2017, ["NGA", "GHA", "CIV"],
                              names)
    assert data["scope"].to_list() == ["GHA", "CIV", "NGA"]
    assert data["value_text"].to_list() == ["1 in 23,000–91,000", "1 in 39,000", "1 in 77,000"]
    ghana = data.row(0, named=True)
    assert ghana["lower"] == pytest.approx(1 / 91_000) and ghana["upper"] == pytest.approx(
        4 / 91_000)
    # Ghana overlaps both: =1. Côte d'Ivoire: nothing surely above (Ghana's lower end is
    # below it), overlaps Ghana: =1. Nigeria: Côte d'Ivoire surely above (2.59e-5 > 1.30e-5),
    # overlaps Ghana: =2.
    assert data["rank"].to_list() == ["=1", "=1", "=2"]


def test_the_cli_report_never_rounds_across_the_target(bundled):
    from indicators import report

    # a synthetic twist of a real row: GBR's 2019 conviction rate at 29.996% (target 30%)
    rows = report.select_rows(bundled["frame"], [], country="GBR", year=2019,
                              indicator="conviction_rate").with_columns(
        pl.lit(0.29996).alias("value"), pl.lit(0.29996).alias("lower"),
        pl.lit(0.29996).alias("upper"))
    row = rows.row(0, named=True)
    assert report.texts(row)["value_text"] == "just under 30%"
    assert "just under 30%" in report.to_table(rows)


# -- every possible break in one place -------------------------------------------------------
# United Kingdom, UNODC GLOTIP (release 30 May 2023), 2010–2018, read from the workbook by hand:
# each count that rose or fell more than 3-fold from the year before (the larger at least 20)
GBR_BREAKS_2010_2018 = [
    # (measure, year, before, after)
    ("persons_convicted", 2012, 98, 18),  # 98 / 18 = 5.44
    ("persons_convicted", 2018, 59, 191),  # 3.24
    ("persons_prosecuted", 2012, 146, 33),  # 4.42
    ("offences_recorded", 2011, 136, 428),  # 3.15
    ("offences_recorded", 2012, 428, 84),  # 5.10
    ("suspects", 2012, 38, 157),  # persons brought into formal contact, 4.13
    ("victims_detected", 2017, 601, 5138),  # 8.55
]


def test_series_breaks_lists_every_flagged_break_with_the_year_before(bundled):
    breaks = views.series_breaks(bundled["observations"], views.scope_names(bundled["countries"]))
    assert list(breaks.columns) == list(views.BREAK_COLUMNS)
    gbr = breaks.filter(pl.col("iso3") == "GBR")
    window = gbr.filter(pl.col("year").is_between(2010, 2018))
    assert sorted(window.select("measure", "year", "value_before", "value").rows()) == sorted(
        GBR_BREAKS_2010_2018)
    # before 2010: persons prosecuted 89 (2006) → 27 (2007), 3.30-fold down
    assert (gbr.filter(pl.col("year") < 2010).select("measure", "year", "value_before", "value")
            .rows()) == [("persons_prosecuted", 2007, 89, 27)]
    detected = gbr.filter(pl.col("measure") == "victims_detected").row(0, named=True)
    assert (detected["country"], detected["year_before"], detected["times"]) == (
        "United Kingdom", 2016, 8.5)
    table = views.breaks_table(gbr).to_dicts()
    rows = {(r["Measure"], r["Year"]): r for r in table}
    assert rows[("Detected trafficking victims", 2017)]["Before → after"] == (
        "601 (2016) → 5,138 (2017)")
    assert rows[("Detected trafficking victims", 2017)]["Change"] == "rose 8.5-fold"
    assert rows[("Persons convicted", 2012)]["Change"] == "fell 5.4-fold"  # 98 / 18


def test_the_breaks_api_twin_is_the_breaks_endpoint(bundled):
    from indicators.api import links

    breaks = views.series_breaks(bundled["observations"], views.scope_names(bundled["countries"]))
    gbr = breaks.filter((pl.col("iso3") == "GBR") & (pl.col("measure") == "victims_detected"))
    # the page filters by country and measure only: so does its twin (no year)
    assert links.api_url(gbr) == "/api/v1/breaks.json?country=GBR&measure=victims_detected"


def test_the_breaks_csv_is_formula_safe(bundled):
    from indicators.figure_export import chart_csv

    # a note that a spreadsheet would run: the CSV carries it as text
    observations = bundled["observations"].filter(pl.col("iso3") == "GBR").with_columns(
        pl.lit('=HYPERLINK("http://x","y")').alias("note"))
    breaks = views.series_breaks(observations, {"GBR": "United Kingdom"})
    text = chart_csv(breaks).decode("utf-8-sig")
    assert "'=HYPERLINK" in text and "\n=HYPERLINK" not in text and ",=HYPERLINK" not in text
    # every chart CSV starts with the API's citation line, then the header
    assert text.splitlines()[0].startswith("# Cite as: Data: UNODC")
    assert text.splitlines()[1] == ",".join(views.BREAK_COLUMNS)


def test_the_api_breaks_answer_holds_the_pages_rows(bundled_db_template):
    from indicators.api import queries
    from indicators.store import Store

    with Store(bundled_db_template, read_only=True) as store:
        snapshot = store.snapshot()
    page = queries.breaks(snapshot, {"country": "GBR"})
    rows = page.rows.select("measure", "year", "value_before", "value").rows()
    # the same eight as the page: the seven of 2010–2018 and prosecuted 89 → 27 in 2007
    assert sorted(rows) == sorted([*GBR_BREAKS_2010_2018, ("persons_prosecuted", 2007, 89, 27)])


def _tie_ranks_reference(lows, highs):
    """The rule in plain words: 1 + the rows surely above; '=' when any other row overlaps."""
    spans = [(lo, hi) for lo, hi in zip(lows, highs, strict=True) if lo is not None]
    out = []
    for lo, hi in zip(lows, highs, strict=True):
        if lo is None:
            out.append("")
            continue
        above = sum(1 for other_lo, _ in spans if other_lo > hi)
        overlaps = sum(1 for other_lo, other_hi in spans if other_lo <= hi and other_hi >= lo)
        out.append(f"={above + 1}" if overlaps > 1 else str(above + 1))
    return out


def test_tie_ranks_match_the_rule_in_plain_words():
    from hypothesis import given
    from hypothesis import strategies as st

    @given(st.lists(st.one_of(st.none(), st.tuples(st.integers(0, 20), st.integers(0, 5))),
                    max_size=12))
    def check(rows):
        lows = [None if r is None else float(r[0]) for r in rows]
        highs = [None if r is None else float(r[0] + r[1]) for r in rows]
        assert views.tie_ranks(lows, highs) == _tie_ranks_reference(lows, highs)

    check()


def test_the_cli_table_says_nigerias_projection_without_rounding_it_to_the_target(bundled):
    from indicators import report

    rows = report.select_rows(bundled["frame"], [], country="NGA", year=2020,
                              indicator="reporting_increase")
    # 444.29 / 896 = +49.59% (test_nigerias_projection_never_reads_as_the_target)
    assert "   Projection: the trend line reaches +49.6% in 2025, the deadline.\n" in (
        report.to_table(rows))


def test_two_releases_of_one_family_are_cited_together_and_the_newest_is_the_data_as_of():
    """A chart whose figures come from UNODC's 2023 release (a figure the 2025 release left
    unchanged) and its 2025 release cites both in one citation, and is as of 2025."""
    sources = pl.DataFrame({
        "id": ["unodc_glotip_2023", "unodc_glotip_2025", "walkfree_gsi_2023"],
        "publisher": ["UNODC", "UNODC", "Walk Free"],
        "title": ["GLOTIP", "GLOTIP", "GSI"],
        "edition": ["data portal release of 30 May 2023", "data portal release of 14 April 2025",
                    "GSI 2023"],
        "citation": ["UNODC, GLOTIP (release 30 May 2023)", "UNODC, GLOTIP (release 14 April 2025)",
                     "Walk Free, Global Slavery Index 2023"],
    })
    assert views.citations(sources) == [
        "UNODC, GLOTIP (release 30 May 2023; release 14 April 2025)",
        "Walk Free, Global Slavery Index 2023"]
    assert views.data_as_of(sources) == (
        "UNODC data portal release of 14 April 2025; Walk Free GSI 2023")
    # one release alone is as it was
    assert views.data_as_of(sources.head(1)) == "UNODC data portal release of 30 May 2023"
    assert views.citations(sources.head(1)) == ["UNODC, GLOTIP (release 30 May 2023)"]


# -- the default year follows the countries on screen ------------------------------------------
def test_the_default_year_is_the_countries_on_screen_not_always_the_worlds(bundled):
    frame = bundled["frame"]
    # the world: 2022 (115 countries with a figure, more than half of the best year's)
    assert views.default_year(frame).year == 2022
    # the United Kingdom: UNODC's 2025 release has no 2022 national totals for it (read from
    # the workbook); its detected victims run to 2021, so its profile opens on 2021
    gbr = views.default_year(frame, ("GBR",))
    assert gbr == views.YearChoice(
        2021, "2021 is the latest year with figures for this country. The data run to 2022.")
    # Nigeria has 2022's figures (79 convicted, 2,883 detected)
    assert views.default_year(frame, ("NGA",)).year == 2022
    # two countries: 2022 has one of them, half of the best year's two: still 2022
    both = views.default_year(frame, ("GBR", "NGA"))
    assert both.year == 2022 and "1; the most is 2" in both.reason
    # a code without any figure gets the world's year
    assert views.default_year(frame, ("ZZZ",)) == views.default_year(frame)


def test_a_countries_tables_scope_names_are_worked_out_once_and_never_outlive_it():
    from indicators import view_charts

    table = pl.DataFrame({"iso3": ["FRA", "NGA"], "name": ["France", "Nigeria"],
                          "region": ["Europe", "Africa"],
                          "subregion": ["Western Europe", "Western Africa"]})
    first = view_charts._scope_names(table)
    assert first == {"FRA": "France", "NGA": "Nigeria", "Europe": "Europe", "Africa": "Africa",
                     "Western Europe": "Western Europe", "Western Africa": "Western Africa",
                     "WORLD": "World"}
    first["FRA"] = "changed by a caller"  # a copy: the next caller still gets the table's
    assert view_charts._scope_names(table)["FRA"] == "France"
    assert view_charts._scope_names(table, "es", localised=True)["FRA"] == "Francia"
    renamed = table.with_columns(pl.Series("name", ["République française", "Nigeria"]))
    assert view_charts._scope_names(renamed)["FRA"] == "République française"


def _old_card_rows(frame: pl.DataFrame, indicator: str, scope: str) -> pl.DataFrame:
    """How ``card`` picked its rows before ``_rows_of``: Polars' filter and sort."""
    return frame.filter((pl.col("indicator") == indicator) & (pl.col("scope") == scope)
                        ).sort("year")


def _same_frame(got: pl.DataFrame, want: pl.DataFrame) -> None:
    assert got.schema == want.schema
    assert got.equals(want, null_equal=True)


def _series_of_expr(rows: pl.DataFrame) -> pl.DataFrame:
    """``cards._series_of`` as the Polars expressions it replaced: what it must equal."""
    best = rows["countries_counted"].max() or 0
    return rows.select(
        "year", "value", "lower", "upper", "status", "target",
        ((pl.col("scope_type") != "country") & pl.col("lower").is_not_null()
         & (pl.col("countries_counted") * 2 < best)).alias("thin"),
        pl.col("series_break").fill_null(False).alias("series_break"),
    )


@pytest.mark.parametrize("settings", [IndicatorSettings(),
                                      IndicatorSettings(baseline_year=2010, use_proxies=False)],
                         ids=["default", "baseline-2010-no-proxies"])
def test_cards_rows_and_series_are_those_of_polars_filter_sort_and_expressions(bundled,
                                                                              settings):
    """``_rows_of`` (a short frame already of one indicator and scope in year order is taken as
    it is) and ``_series_of`` (worked out in Python) give exactly the frames Polars' filter,
    sort and expressions give, for every indicator and scope of the bundled data, from the
    whole frame and from the frame split by indicator and scope."""
    from indicators.compute import compute_indicators
    from indicators.views.cards import _rows_of, _series_of

    frame = compute_indicators(bundled["observations"], bundled["countries"], settings)
    for (indicator, scope), rows in frame.partition_by(["indicator", "scope"],
                                                       as_dict=True).items():
        want = _old_card_rows(frame, indicator, scope)
        for source in (frame, rows):
            ordered, records = _rows_of(source, indicator, scope)
            _same_frame(ordered, want)
            assert records == want.to_dicts()
            _same_frame(_series_of(ordered, records), _series_of_expr(want))
        _same_frame(views.series(frame, indicator, scope), _series_of_expr(want))


def test_cards_rows_fall_back_to_filtering_unless_already_one_scope_in_year_order(bundled):
    """A short frame that is not one indicator's rows for one scope with rising years (another
    scope or indicator in it, years out of order, a year twice or missing) is filtered and
    sorted; and the series' nulls (a missing scope type, count, lower end or break flag) come
    out as Polars' Kleene logic has them."""
    from indicators.views.cards import _rows_of, _series_of

    frame = bundled["frame"]
    gbr = _old_card_rows(frame, "conviction_rate", "GBR")
    world = _old_card_rows(frame, "conviction_rate", "WORLD")
    assert gbr.height >= 4
    shuffled = gbr.reverse()
    twice = pl.concat([gbr.head(3), gbr.slice(2, 1)])
    missing = gbr.head(3).with_columns(pl.Series("year", [2010, None, 2012], dtype=pl.Int32))
    for source, indicator, scope in ((pl.concat([gbr, world]), "conviction_rate", "GBR"),
                                     (pl.concat([world, gbr]), "conviction_rate", "WORLD"),
                                     (shuffled, "conviction_rate", "GBR"),
                                     (gbr, "conviction_rate", "NGA"),
                                     (gbr, "identification_rate", "GBR"),
                                     (twice, "conviction_rate", "GBR"),
                                     (missing, "conviction_rate", "GBR"),
                                     (gbr.head(0), "conviction_rate", "GBR")):
        ordered, records = _rows_of(source, indicator, scope)
        want = _old_card_rows(source, indicator, scope)
        if source is not twice:  # the same year twice: Polars' sort keeps no order among them
            _same_frame(ordered, want)
            assert records == want.to_dicts()
        assert ordered.height == want.height
        _same_frame(_series_of(ordered, records), _series_of_expr(ordered))
    # nulls where the thin flag reads: scope type, count, lower end; and a missing break flag
    region = _old_card_rows(frame, "conviction_rate", "Europe").head(6)
    odd = region.with_columns(
        pl.Series("scope_type", [None, "region", None, "country", "region", None],
                  dtype=pl.String),
        pl.Series("countries_counted", [None, 1, 40, None, 2, 3], dtype=pl.Int32),
        pl.Series("lower", [0.1, None, None, 0.2, 0.3, 0.4], dtype=pl.Float64),
        pl.Series("series_break", [None, True, False, None, None, True], dtype=pl.Boolean),
    )
    ordered, records = _rows_of(odd, "conviction_rate", "Europe")
    assert ordered is odd
    _same_frame(_series_of(ordered, records), _series_of_expr(odd))
    assert _series_of(ordered, records)["thin"].to_list() == [None, False, False, False, True,
                                                              None]
    no_counts = odd.with_columns(pl.lit(None, dtype=pl.Int32).alias("countries_counted"))
    _same_frame(_series_of(no_counts, no_counts.to_dicts()), _series_of_expr(no_counts))


def test_a_card_from_the_rows_of_its_scope_is_the_card_from_the_whole_frame(bundled):
    """What test_status_consistency does (cards from the frame split by indicator and scope)
    gives the cards the pages make from the whole frame, series included, in a chosen year or
    the page's."""
    frame = bundled["frame"]
    parts = frame.partition_by(["indicator", "scope"], as_dict=True)
    for (indicator, scope), rows in parts.items():
        if scope not in {"WORLD", "Europe", "Western Africa", "GBR", "NGA", "NZL", "ABW"}:
            continue
        for year in (2010, 2019, 2022):
            whole = views.card(frame, indicator, scope=scope, year=year)
            split = views.card(rows, indicator, scope=scope, year=year)
            assert whole == split
            _same_frame(split.series, whole.series)
        # no year chosen: the page's year, which the pages work out on the whole frame
        page = views.default_year(frame)
        whole = views.card(frame, indicator, scope=scope, page_year=page)
        assert whole == views.card(rows, indicator, scope=scope, page_year=page)


def test_a_chart_has_a_target_when_any_row_drawn_has_one():
    rows = pl.DataFrame({"target": [None, None]}, schema={"target": pl.Float64})
    assert not views.has_target(rows) and not views.has_target(rows.clear())
    assert views.has_target(rows.with_columns(pl.Series("target", [None, 0.3])))
