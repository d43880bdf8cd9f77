"""Figure builders, read without Streamlit: every figure explains itself, gaps stay gaps,
ranges stay ranges, and lines stay apart in colour and in greyscale."""

from __future__ import annotations

import html
import math

import plotly.graph_objects as go
import polars as pl
import pytest

from indicators import charts, views
from indicators.charts.coverage import PRINTED_NAME_LINE
from indicators.measures import DENOMINATOR_NOTE, INDICATORS
from tests.unit.chart_fixtures import (
    SYNTHETIC_CITATION,
    synthetic_geojson,
    synthetic_observations,
    synthetic_sources,
)

YEARS = (2015, 2021)


def _lines(frame, names, indicator="conviction_rate", scopes=("WORLD", "AAA", "BBB"),
           scale="auto"):
    data = views.lines_data(frame, indicator, list(scopes), YEARS, names)
    fig = charts.indicator_lines(
        data, indicator, sources=views.sources_used(data["source"], synthetic_sources()),
        baseline_year=2015, deadline_year=2025, years=YEARS, scale=scale,
    )
    return data, fig


def _footer(fig: go.Figure) -> str:
    footers = [a for a in fig.layout.annotations if a.name == "footer"]
    assert len(footers) == 1
    return " ".join(html.unescape(footers[0].text.replace("<br>", " ")).split())


def _line_traces(fig: go.Figure) -> list:
    return [t for t in fig.data if (t.meta or {}).get("role") == "line"]


# -- the brief frame ----------------------------------------------------------------------------
def test_line_chart_has_title_subtitle_units_and_footer(frame, names):
    _, fig = _lines(frame, names)
    meta = INDICATORS["conviction_rate"]
    assert fig.layout.title.text == "<b>Conviction rate, 2015–2021</b>"
    subtitle = fig.layout.title.subtitle.text.replace("<br>", " ")
    assert meta.target_text in subtitle
    assert meta.paper_wording in subtitle
    assert "persons convicted ÷ estimated people in modern slavery" in subtitle
    # on two lines, so that it fits beside the brief's short plots
    assert fig.layout.yaxis.title.text == "Persons convicted per<br>estimated victim"
    assert fig.layout.yaxis.tickformat.endswith("%")
    # values from 0.1% to 1.2%: a linear axis (a span of 12 times, not 100)
    assert fig.layout.yaxis.type == "linear"
    footer = _footer(fig)
    assert f"Source: {SYNTHETIC_CITATION}." in footer
    assert "Data as of: Test Publisher release of 1 January 2000." in footer
    assert DENOMINATOR_NOTE in footer
    assert charts.RANGE_NOTE in footer
    assert charts.CREDIT in footer


def test_target_line_is_drawn_and_labelled_when_on_the_scale(frame, names):
    _, fig = _lines(frame, names, indicator="identification_rate", scale="target")
    lines = [s for s in fig.layout.shapes if s.type == "line" and s.y0 == s.y1]
    assert [s.y0 for s in lines] == [0.20]
    labels = " ".join(a.text for a in fig.layout.annotations)
    assert "<b>Target</b>: more than 20% every year" in labels
    assert fig.layout.yaxis.range[1] > 0.20


def test_target_far_above_the_data_is_named_not_drawn(frame, names):
    # Conviction rates of 0.1%–1.2% against a 30% target: 'auto' fits the data and says so.
    _, fig = _lines(frame, names, scale="auto")
    assert not [s for s in fig.layout.shapes if s.type == "line" and s.y0 == s.y1]
    labels = " ".join(a.text for a in fig.layout.annotations)
    assert "far above the values shown" in labels
    assert fig.layout.yaxis.range[1] < 0.30


def test_deadline_and_baseline_are_marked(frame, names):
    _, fig = _lines(frame, names)
    verticals = {s.x0 for s in fig.layout.shapes if s.type == "line" and s.x0 == s.x1}
    assert verticals == {2015, 2025}
    labels = " ".join(a.text for a in fig.layout.annotations)
    assert "Deadline 2025" in labels and "Baseline 2015" in labels
    assert fig.layout.xaxis.range[1] >= 2025


# -- gaps and ranges ----------------------------------------------------------------------------
def test_no_trace_plots_a_missing_figure_as_zero(frame, names):
    data, fig = _lines(frame, names, indicator="identification_rate")
    for trace in fig.data:
        role = (trace.meta or {}).get("role")
        if role not in ("line", "lower"):
            continue
        rows = data.filter(pl.col("scope") == trace.meta["scope"]).sort("year")
        for year, y, row in zip(trace.x, trace.y, rows.iter_rows(named=True), strict=True):
            assert year == row["year"]
            if row["lower"] is None:
                assert y is None, (trace.name, year)
    aaa = next(t for t in _line_traces(fig) if t.meta["scope"] == "AAA")
    assert list(aaa.y) == [0.1, None, 0.15, None, None, None, None]
    assert aaa.connectgaps is False
    assert 0 not in [y for t in fig.data for y in (t.y or [])]


def test_a_suppressed_figure_is_drawn_as_a_range(frame, names):
    _, fig = _lines(frame, names)
    band = [t for t in fig.data if (t.meta or {}).get("role") == "range"
            and t.meta["scope"] == "AAA"]
    assert len(band) == 1
    assert band[0].fill == "toself"
    assert min(band[0].y) == pytest.approx(0.001) and max(band[0].y) == pytest.approx(0.012)
    line = next(t for t in _line_traces(fig) if t.meta["scope"] == "AAA")
    lower = next(t for t in fig.data if (t.meta or {}).get("role") == "lower"
                 and t.meta["scope"] == "AAA")
    assert line.y[0] == pytest.approx(0.004) and lower.y[0] == pytest.approx(0.001)
    assert "0.10%–0.40%" in line.customdata[0]


def test_a_series_without_figures_says_so_in_the_legend(frame, names):
    _, fig = _lines(frame, names, scopes=("AAA", "BBB"))
    names_shown = [t.name for t in _line_traces(fig)]
    assert names_shown == ["Aland Test", "Bland Test (no data)"]


def test_an_indicator_with_no_figures_explains_itself(frame, names):
    _, fig = _lines(frame, names, indicator="victims_prosecuted")
    texts = charts.figure_texts(fig)
    assert "No figures yet" in texts
    assert charts.NO_SOURCE in texts
    assert fig.layout.yaxis.range == (0.0, 10.0)


# -- palette and greyscale ----------------------------------------------------------------------
def test_lines_use_okabe_ito_and_the_world_is_black(frame, names):
    _, fig = _lines(frame, names, indicator="identification_rate",
                    scopes=("AAA", "WORLD", "BBB", "Europe", "Africa"))
    palette = set(charts.OKABE_ITO.values())
    colours = {t.meta["scope"]: t.line.color for t in _line_traces(fig)}
    assert set(colours.values()) <= palette
    assert colours["WORLD"] == charts.OKABE_ITO["black"]
    others = [c for s, c in colours.items() if s != "WORLD"]
    assert len(set(others)) == len(others)


def test_lines_differ_in_dash_and_marker_for_greyscale_printing():
    styles = [charts.series_style(i) for i in range(24)]
    assert len({(s.dash, s.symbol) for s in styles}) == 24
    assert all(s.dash in charts.DASHES and s.symbol in charts.SYMBOLS for s in styles)


def test_every_line_in_a_chart_has_its_own_dash_and_marker(frame, names):
    _, fig = _lines(frame, names, indicator="identification_rate",
                    scopes=("WORLD", "AAA", "BBB", "Europe", "Africa"))
    pairs = [(t.line.dash, t.marker.symbol) for t in _line_traces(fig)]
    assert len(set(pairs)) == len(pairs) == 5



def test_a_world_line_anywhere_in_the_list_takes_no_colour_from_the_others():
    # the world third: the six others still take six different colours (the palette's index
    # counted over every line gave the first and the seventh the same blue)
    scopes = ["AAA", "BBB", "WORLD", "S1", "S2", "S3", "S4"]
    styles = charts.line_styles(scopes)
    colours = [styles[s].colour for s in scopes if s != "WORLD"]
    assert sorted(colours) == sorted(charts.SERIES_COLOURS)
    assert styles["WORLD"].colour == charts.WORLD_COLOUR


def _many(frame, names, count: int):
    """AAA's identification rate (10% in 2015, 15% in 2017) drawn under ``count`` names."""
    base = views.lines_data(frame, "identification_rate", ["AAA"], YEARS, names)
    copies = [base.with_columns(pl.lit(f"S{i:02d}").alias("scope"),
                                pl.lit(f"Scope {i:02d}").alias("name")) for i in range(count)]
    data = pl.concat([views.lines_data(frame, "identification_rate", ["WORLD"], YEARS, names),
                      *copies])
    fig = charts.indicator_lines(
        data, "identification_rate", sources=synthetic_sources(), baseline_year=2015,
        deadline_year=2025, years=YEARS)
    return data, fig


def test_more_lines_than_colours_draw_every_one_the_rest_in_grey(frame, names):
    _, fig = _many(frame, names, 16)
    lines = _line_traces(fig)
    # every scope has its line and its legend entry: the world and 16 others
    assert sorted(t.name for t in lines) == sorted(["World", *(f"Scope {i:02d}"
                                                               for i in range(16))])
    assert all(t.showlegend for t in lines)
    coloured = [t for t in lines if not t.meta["grey"]]
    grey = [t for t in lines if t.meta["grey"]]
    # the world (black) and the first six chosen in colour, never a colour twice
    assert [t.name for t in coloured if t.name != "World"] == [f"Scope {i:02d}"
                                                               for i in range(6)]
    assert len({t.line.color for t in coloured}) == len(coloured) == 7
    assert {t.line.color for t in grey} == {charts.CONTEXT_GREY}
    assert charts.CONTEXT_GREY not in {t.line.color for t in coloured}
    # the legend lists the coloured first, then the grey, each in the order chosen
    ranked = sorted(lines, key=lambda t: t.legendrank)
    assert [t.name for t in ranked] == ["World", *(f"Scope {i:02d}" for i in range(16))]
    assert "10 more countries and regions are drawn in grey" in _footer(fig)
    # one grey line: one more country or region ('1 more countries and regions are …')
    _, fig = _many(frame, names, 7)
    assert "1 more country or region is drawn in grey (the first" in _footer(fig)


@pytest.mark.parametrize("count", [3, 16, 40])
def test_the_legend_is_never_cut_off(frame, names, count):
    _, fig = _many(frame, names, count)
    entries = [t for t in fig.data if t.showlegend is not False]
    layout = fig.layout
    plot_height = layout.height - layout.margin.t - layout.margin.b
    # a legend row is 22 px (13 px text, 2 px between groups): the plot stands at least as
    # tall as the legend beside it, so no entry falls below the plot or off the figure
    assert plot_height >= charts.LEGEND_ROW * len(entries)
    assert layout.legend.tracegroupgap == 2
    assert layout.height >= charts.PAGE_HEIGHT


# -- ranking --------------------------------------------------------------------------------------
def test_ranking_orders_values_draws_ranges_and_lists_no_data(frame, names):
    data = views.ranking_data(frame, "conviction_rate", 2015, ["BBB", "AAA", "WORLD"], names)
    assert data["scope"].to_list() == ["AAA", "WORLD", "BBB"]
    fig = charts.ranking_bars(data, "conviction_rate", sources=synthetic_sources(), year=2015)
    roles = {(t.meta or {}).get("role"): t for t in fig.data}
    floor, band = roles["range_floor"], roles["range"]
    # AAA's value (and so the world's, which is AAA alone) lies between 0.1% (solid part)
    # and 0.4% (the hatched part on top of it).
    assert list(floor.y) == ["Aland Test", "World"]
    assert list(floor.x) == [pytest.approx(0.001)] * 2
    assert list(band.base) == [pytest.approx(0.001)] * 2
    assert list(band.x) == [pytest.approx(0.003)] * 2
    assert band.marker.pattern.shape == "/"
    assert "✖" in band.text[0]
    # BBB has no conviction figure: a category with no bar, labelled 'no data'.
    no_data = roles["no_data"]
    assert list(no_data.y) == ["Bland Test"] and list(no_data.x) == [None]
    labels = [a for a in fig.layout.annotations if a.text == "no data"]
    assert [a.y for a in labels] == ["Bland Test"]
    assert fig.layout.title.text == "<b>Conviction rate in 2015</b>"
    assert "Source: " in _footer(fig)


def test_no_data_stands_at_the_foot_of_a_log_axis_too(frame, names):
    # a log axis has no zero, and its range is in powers of ten: x=0 would be 10^0 = 100%,
    # off the right of the chart
    data = views.ranking_data(frame, "conviction_rate", 2015, ["BBB", "AAA", "WORLD"], names)
    fig = charts.ranking_bars(data, "conviction_rate", sources=synthetic_sources(), year=2015,
                              scale="log")
    assert fig.layout.xaxis.type == "log"
    [label] = [a for a in fig.layout.annotations if a.text == "no data"]
    assert label.x == fig.layout.xaxis.range[0] < 0
    linear = charts.ranking_bars(data, "conviction_rate", sources=synthetic_sources(),
                                 year=2015, scale="target")
    assert [a.x for a in linear.layout.annotations if a.text == "no data"] == [0]


def test_ranking_bars_tell_status_by_icon_as_well_as_colour(frame, names):
    data = views.ranking_data(frame, "identification_rate", 2017, ["AAA", "BBB"], names)
    fig = charts.ranking_bars(data, "identification_rate", sources=synthetic_sources(),
                              year=2017, scale="target")
    values = next(t for t in fig.data if (t.meta or {}).get("role") == "value")
    # identification is judged year by year: not met (there is no deadline to be on track for)
    assert list(values.text) == ["15.0%  ✗", "1.5%  ✗"]
    assert values.name == "✗ Not met"
    assert values.marker.color == charts.STATUS_COLOURS["not_met"]
    targets = [s for s in fig.layout.shapes if s.x0 == s.x1]
    assert [s.x0 for s in targets] == [0.20]


# -- maps ---------------------------------------------------------------------------------------
def test_map_colours_countries_by_group_and_greys_out_no_data(frame, names):
    latest = views.latest_figures(frame, "identification_rate", 2021, 2015, names)
    fig = charts.world_map(latest, "identification_rate", geojson=synthetic_geojson(),
                           sources=synthetic_sources(), year=2021, first_year=2015)
    shapes = [t for t in fig.data if isinstance(t, go.Choropleth)]
    assert len(shapes) == 1
    countries = shapes[0]
    assert countries.featureidkey == "id"
    located = dict(zip(countries.locations, countries.z, strict=True))
    assert set(located) == {"AAA", "BBB", "CCC"}
    legend = [t.name for t in fig.data if (t.meta or {}).get("role") == "legend"]
    assert legend[-1] == "○ No data"
    categories = countries.meta["categories"]
    assert categories[located["CCC"]] == "○ No data"
    assert located["AAA"] != located["BBB"]  # 15% and 1.5% fall in different groups
    assert "Cland Test" in " ".join(countries.customdata)
    assert "2 of 3 countries and territories have a figure" in _footer(fig)


def test_status_map_carries_an_icon_on_each_country(frame, names):
    latest = views.latest_figures(frame, "identification_rate", 2021, 2015, names)
    fig = charts.world_map(latest, "identification_rate", geojson=synthetic_geojson(),
                           sources=synthetic_sources(), year=2021, first_year=2015,
                           mode="status")
    icons = [t for t in fig.data if (t.meta or {}).get("role") == "icons"]
    texts = sorted(x for t in icons for x in t.text)
    assert texts == sorted(["✗", "✗", "○"])
    legend = [t.name for t in fig.data if (t.meta or {}).get("role") == "legend"]
    assert legend == ["✗ Not met", "○ No data"]


def test_value_bins_reach_the_target_on_a_scale_a_reader_can_say():
    # identification (target 20%): 1 in 1,000, 1%, 5%, 10%, 20%; nothing below 1 in 10,000
    # here, so that class is merged away
    values = [0.00072, 0.0015, 0.087, 0.133, 0.01]
    breaks = charts.value_bins(values, 0.2, "share")
    assert breaks == [0.001, 0.01, 0.05, 0.10, 0.2]
    assert charts._bin_labels(breaks, "share", 0.2) == [
        "under 1 in 1,000", "1 in 1,000 to under 1%", "1% to under 5%", "5% to under 10%",
        "10% to under 20%", "20% or more (target)"]
    # 8.7%, 13.3% and 1% fall in three different classes
    assert len({charts._bin_of(v, breaks) for v in (0.087, 0.133, 0.01)}) == 3
    # conviction (target 30%): every class up to 30%, even when no value comes near it
    assert charts.value_bins([0.00001, 0.002], 0.3, "share") == [
        0.0001, 0.001, 0.01, 0.05, 0.10, 0.3]
    assert charts.value_bins([-0.2, 0.3, 17.0], 0.5, "change") == [0.0, 0.25, 0.5]
    assert charts._bin_labels([1, 5, 10], "count", 0) == ["0 (target)", "1–4", "5–9",
                                                            "10 or more"]
    assert charts.value_bins([], 0.2, "share") == []


# -- coverage, raw measures, sparkline -------------------------------------------------------------
def test_coverage_strip_marks_suppressed_and_missing_cells_in_text(names):
    strip = views.coverage_strip_data(synthetic_observations(), "AAA", YEARS)
    fig = charts.coverage_strip(strip, country_name="Aland Test", sources=synthetic_sources())
    heat = fig.data[0]
    rows = list(heat.y)
    convicted = rows.index("Persons convicted")
    assert heat.text[convicted][0] == "<5"  # 2015
    assert heat.z[convicted][:3] == [1, 3, 3]  # suppressed, reported, reported
    assert heat.z[convicted][3:] == [0, 0, 0, 0]  # 2018–2021: no figure, not zero
    assert "Aland Test: which figures exist for which years" in fig.layout.title.text
    legend = [t.name for t in fig.data if (t.meta or {}).get("role") == "legend"]
    assert "No figure" in legend


def test_measure_lines_draw_a_suppressed_count_from_one_to_four():
    series = views.measure_series(synthetic_observations(), "AAA",
                                  ["victims_detected", "persons_convicted"])
    fig = charts.measure_lines(series, country_name="Aland Test",
                               sources=synthetic_sources(), years=YEARS)
    convicted = next(t for t in fig.data if (t.meta or {}).get("role") == "line"
                     and t.meta["scope"] == "persons_convicted")
    lower = next(t for t in fig.data if (t.meta or {}).get("role") == "lower"
                 and t.meta["scope"] == "persons_convicted")
    assert list(convicted.y[:3]) == [4.0, 10.0, 12.0] and lower.y[0] == 1.0
    detected = next(t for t in fig.data if (t.meta or {}).get("role") == "line"
                    and t.meta["scope"] == "victims_detected")
    assert list(detected.y[:3]) == [100.0, None, 150.0]


def test_sparkline_has_no_text_and_highlights_the_card_year(frame):
    rows = views.series(frame, "identification_rate", "AAA")
    fig = charts.sparkline(rows, "identification_rate", highlight_year=2017)
    assert fig.layout.xaxis.visible is False and fig.layout.yaxis.visible is False
    point = next(t for t in fig.data if (t.meta or {}).get("role") == "highlight")
    assert list(point.x) == [2017] and list(point.y) == [0.15]


def test_labels_are_escaped_so_a_suppressed_value_reads_as_text():
    assert charts.esc("<5") == "&lt;5"
    assert charts.wrap("a <b>bold</b> claim", 80) == ["a &lt;b&gt;bold&lt;/b&gt; claim"]


def test_footer_wraps_long_text_without_losing_words():
    lines = charts.wrap("word " * 100, 50)
    assert all(len(line) <= 50 for line in lines)
    assert sum(len(line.split()) for line in lines) == 100
    assert math.ceil(500 / 50) <= len(lines) + 1


def test_count_axes_step_in_whole_numbers():
    from indicators.charts import count_dtick

    assert count_dtick("count", 3.0) == 1
    assert count_dtick("count", 4.8) == 1  # a '<5' alone: 4 × 1.2 (it read 0 1 1 2 2 3 …)
    assert count_dtick("count", 10.0) == 1
    # larger axes: the round step (1, 2 or 5 × 10^n) giving at most six steps: 250 / 6 = 41.7
    # → 50; 207.6 (173 × 1.2) / 6 = 34.6 → 50; 11 / 6 = 1.8 → 2; 20,000 / 6 = 3,333 → 5,000
    assert count_dtick("count", 250.0) == 50
    assert count_dtick("count", 207.6) == 50
    assert count_dtick("count", 11.0) == 2
    assert count_dtick("count", 20_000.0) == 5_000
    assert count_dtick("share", 0.05) is None
    assert count_dtick("count", None) is None


def test_coverage_note_says_how_many_countries_each_aggregate_rests_on():
    import polars as pl

    from indicators.charts import coverage_note

    # a UN M49 subregion too: Western Africa's 2012 value rested on 1 of its 17 countries, and
    # its footer did not say so
    data = pl.DataFrame({
        "scope_type": ["world", "world", "region", "subregion", "subregion", "country"],
        "name": ["World", "World", "Europe", "Western Africa", "Western Africa", "Ghana"],
        "year": [2019, 2020, 2020, 2012, 2013, 2020],
        "lower": [0.1, 0.2, 0.3, 0.5, 0.6, 0.4],
        "countries_counted": [99, 47, 1, 1, 9, 1],
    })
    assert coverage_note(data) == (
        "World and regional values add up only the countries with figures that year. "
        "Western Africa: 1 to 9 countries a year (fewest in 2012); World: 47 to 99 countries "
        "a year (fewest in 2020); Europe: 1 country.")
    assert coverage_note(data.filter(pl.col("scope_type") == "country")) is None


def test_map_shapes_are_simplified_to_what_a_pixel_shows():
    # A square with a point 0.05 degrees off its top edge and a repeated corner: at a tolerance
    # of 0.2 degrees the bump and the repeat go, the corners stay, the ring stays closed, and
    # coordinates are rounded to two decimals.
    square = [[0.0, 0.0], [10.0, 0.0], [10.0, 10.0], [5.0, 10.05], [0.0, 10.0],
              [0.0, 10.0], [0.0, 0.0]]
    island = [[20.0, 20.0], [20.05, 20.0], [20.05, 20.05], [20.0, 20.0]]
    tiny = [[30.0, 30.0], [30.001, 30.0], [30.001, 30.001], [30.0, 30.001], [30.0, 30.0]]
    geojson = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "id": "AAA", "geometry": {"type": "MultiPolygon", "coordinates": [
            [square], [tiny]]}},
        {"type": "Feature", "id": "BBB", "geometry": {"type": "Polygon", "coordinates": [
            [[1.23456, 2.34567], [1.23456, 2.34567], [3.0, 2.0], [3.0, 3.0], [1.23456, 2.34567]]
        ]}},
        {"type": "Feature", "id": "CCC", "geometry": {"type": "Polygon",
                                                     "coordinates": [island]}},
    ]}
    simple = charts.simplify_geojson(geojson, 0.2)
    first, second, third = simple["features"]
    assert first["geometry"] == {"type": "Polygon", "coordinates": [
        [[0.0, 0.0], [10.0, 0.0], [10.0, 10.0], [0.0, 10.0], [0.0, 0.0]]]}
    assert second["geometry"]["coordinates"] == [
        [[1.23, 2.35], [3.0, 2.0], [3.0, 3.0], [1.23, 2.35]]]
    # A country smaller than the tolerance keeps its shape rather than vanish from the map.
    assert third["geometry"]["coordinates"] == [island]
    assert geojson["features"][0]["geometry"]["coordinates"][0][0] == square  # input unchanged


# -- issue 13: readable scales, breaks, no data, chosen countries ------------------------------
def _gbr_nga_world(scale: str, *, gbr: float = 0.0871,
                   years: tuple[int, ...] = (2018, 2019)) -> go.Figure:
    """Identification rate lines: a country at 8.7% (``gbr``), one at 0.072% and the world at
    0.15% (synthetic rows with the review's values)."""
    rows = []
    for scope, name, kind, value in (("GBR", "United Kingdom", "country", gbr),
                                     ("NGA", "Nigeria", "country", 0.00072),
                                     ("WORLD", "World", "world", 0.0015)):
        for year in years:
            rows.append({"indicator": "identification_rate", "scope": scope, "name": name,
                         "scope_type": kind, "year": year, "value": value, "lower": value,
                         "upper": value, "value_text": "", "status": "not_met",
                         "status_text": "", "basis": "own", "trend": "none",
                         "series_break": False, "break_year": None, "target": 0.2,
                         "countries_counted": 1, "countries_in_scope": 1,
                         "coverage_share": None, "denominator_year": 2021, "source": "s",
                         "proxy": None, "note": None})
    data = pl.DataFrame(rows)
    return charts.indicator_lines(data, "identification_rate", sources=synthetic_sources(),
                                  baseline_year=2015, deadline_year=2025,
                                  years=(years[0], years[-1]), scale=scale)


def test_auto_scale_goes_log_when_values_span_more_than_a_hundredfold():
    # 0.0871 / 0.00072 = 121 > 100: a log axis, so Nigeria and the world are not on the zero
    # line; the target (20%) is on it, and the ticks read as the values do
    fig = _gbr_nga_world("auto")
    axis = fig.layout.yaxis
    assert axis.type == "log"
    low, high = axis.range
    # the target (20%), above every value, is the axis's top
    assert 10 ** low < 0.00072 and high == pytest.approx(math.log10(0.2))
    assert "1 in 1,000" in axis.ticktext and "10%" in axis.ticktext
    assert charts.LOG_NOTE in _footer(fig)
    # the target line along the top of the plot, its label above the plot
    assert [(s.yref, s.y0) for s in fig.layout.shapes
            if s.type == "line" and s.y0 == s.y1] == [("y domain", 1)]
    label = next(a for a in fig.layout.annotations if a.text.startswith("<b>Target</b>"))
    assert (label.yref, label.y, label.yanchor) == ("y domain", 1, "bottom")
    # deadline lines only for targets with a deadline: identification holds every year
    assert not [s for s in fig.layout.shapes if s.type == "line" and s.x0 == s.x1
                and s.x0 == 2025]
    assert fig.layout.xaxis.range[1] < 2025
    # "Fit the data" stays linear; "log" asks for it
    assert _gbr_nga_world("data").layout.yaxis.type == "linear"
    assert _gbr_nga_world("log").layout.yaxis.type == "log"


def test_a_target_at_the_top_of_a_log_axis_runs_through_no_label():
    """On a page the chart's plot is short: with the log axis's usual room above the target
    (0.15 of a power of ten, about 8 px), its dashed line ran through 'Baseline 2015' and
    'Deadline 2025', which stand in the plot along its top. A target above every value is now
    the axis's top: its line the plot's top edge, its label above the plot (in the band a
    target far above the values takes), the year lines' labels under the line."""
    fig = _gbr_nga_world("log", years=(2014, 2015, 2016))
    baseline = next(a for a in fig.layout.annotations if a.text == "Baseline 2015")
    assert (baseline.yref, baseline.y, baseline.yanchor) == ("y domain", 1, "top")
    assert fig.layout.yaxis.range[1] == pytest.approx(math.log10(0.2))
    # the band above the plot: 26 px more top margin than the same chart with a target
    # inside the plot
    inside = _gbr_nga_world("log", gbr=0.5, years=(2014, 2015, 2016))
    assert fig.layout.margin.t == inside.layout.margin.t + 26
    # a value above the target: the axis goes on past it, the line is placed by its value
    # (its label on it: an annotation on a log axis is placed in log10) and the year lines'
    # labels stand along the top, clear of it
    assert inside.layout.yaxis.range[1] == pytest.approx(math.log10(0.5) + 0.15)
    assert [(s.yref, s.y0) for s in inside.layout.shapes
            if s.type == "line" and s.y0 == s.y1] == [("y", 0.2)]
    label = next(a for a in inside.layout.annotations if a.text.startswith("<b>Target</b>"))
    assert (label.yref, label.y) == ("y", pytest.approx(math.log10(0.2)))


def test_axis_kind_rules():
    assert charts.axis_kind([0.001, 0.2], [0.001, 0.2], "share", "auto") == "log"
    assert charts.axis_kind([0.01, 0.2], [0.01, 0.2], "share", "auto") == "linear"  # 20x
    assert charts.axis_kind([0.0, 0.2], [0.0, 0.2], "share", "auto") == "linear"  # a zero
    assert charts.axis_kind([-0.5, 17.0], [-0.5, 17.0], "change", "log") == "linear"
    assert charts.axis_kind([2, 300], [2, 300], "count", "log") == "log"


def test_a_series_break_is_ringed_and_explained_never_smoothed(frame, names):
    rows = views.lines_data(frame, "identification_rate", ["AAA"], YEARS, names).with_columns(
        (pl.col("year") == 2017).alias("series_break"))
    fig = charts.indicator_lines(rows, "identification_rate", sources=synthetic_sources(),
                                 baseline_year=2015, deadline_year=2025, years=YEARS)
    ring = next(t for t in fig.data if (t.meta or {}).get("role") == "break")
    assert list(ring.x) == [2017] and list(ring.y) == [0.15]  # the published value, unchanged
    # the ring carries no label (it sat on the markers around it): the legend says what it is
    assert ring.mode == "markers" and ring.text is None
    assert ring.name == "break?: a possible break in the series" and ring.showlegend
    assert charts.BREAK_NOTE in _footer(fig)


def test_map_legend_lists_every_class_up_to_the_target(frame, names):
    latest = views.latest_figures(frame, "identification_rate", 2021, 2015, names)
    fig = charts.world_map(latest, "identification_rate", geojson=synthetic_geojson(),
                           sources=synthetic_sources(), year=2021, first_year=2015)
    legend = [t.name for t in fig.data if (t.meta or {}).get("role") == "legend"]
    # AAA 15%, BBB 1.5%: nothing under 1% (merged away); the target class is there, empty
    assert legend == ["under 5%", "5% to under 10%: none", "10% to under 20%",
                      "20% or more (target): none", "○ No data"]


def test_map_no_data_is_white_outlined_and_unlike_the_palest_class(frame, names):
    latest = views.latest_figures(frame, "identification_rate", 2021, 2015, names)
    fig = charts.world_map(latest, "identification_rate", geojson=synthetic_geojson(),
                           sources=synthetic_sources(), year=2021, first_year=2015)
    countries = next(t for t in fig.data if isinstance(t, go.Choropleth))
    outline = dict(zip(countries.locations, countries.marker.line.color, strict=True))
    assert outline["CCC"] == charts.MAP_NO_DATA_OUTLINE and outline["AAA"] == "#FFFFFF"
    legend = {t.name: t.marker.color for t in fig.data if (t.meta or {}).get("role") == "legend"}
    assert legend["○ No data"] == charts.MAP_NO_DATA == "#FFFFFF"
    assert charts.MAP_BLUES[0] != charts.MAP_NO_DATA
    assert not [t for t in fig.data if (t.meta or {}).get("role") == "chosen"]


def test_map_outlines_the_chosen_countries_only_when_asked(frame, names):
    latest = views.latest_figures(frame, "identification_rate", 2021, 2015, names)
    fig = charts.world_map(latest, "identification_rate", geojson=synthetic_geojson(),
                           sources=synthetic_sources(), year=2021, first_year=2015,
                           marked=["BBB", "WORLD"])
    chosen = next(t for t in fig.data if (t.meta or {}).get("role") == "chosen")
    assert list(chosen.locations) == ["BBB"]
    assert chosen.marker.line.color == charts.MAP_MARKED_OUTLINE
    assert charts.CHOSEN_NOTE in _footer(fig)


def test_sparkline_starts_at_zero_labels_its_ends_and_draws_thin_years_hollow(frame):
    rows = views.series(frame, "identification_rate", "WORLD")
    fig = charts.sparkline(rows, "identification_rate", highlight_year=2017)
    assert fig.layout.yaxis.range[0] <= 0  # a common baseline at zero
    assert [s.y0 for s in fig.layout.shapes] == [0]
    labels = [a.text for a in fig.layout.annotations if a.name == "end_label"]
    # the world: 4% in 2015 ((100 + 20) / 3,000) and 6% in 2017 ((150 + 30) / 3,000)
    assert labels == ["4.0%<br>2015", "6.0%<br>2017"]
    # the line runs from the first figure to the last, not over empty years
    assert fig.layout.xaxis.range == (2014.5, 2017.5)


def test_sparkline_hollow_marks_years_with_thin_coverage():
    rows = pl.DataFrame({"year": [2018, 2019, 2020], "value": [0.1, 0.1, 0.2],
                         "lower": [0.1, 0.1, 0.2], "upper": [0.1, 0.1, 0.2],
                         "status": ["not_met"] * 3, "target": [0.2] * 3,
                         "thin": [False, False, True], "series_break": [False] * 3})
    fig = charts.sparkline(rows, "identification_rate")
    hollow = next(t for t in fig.data if (t.meta or {}).get("role") == "thin")
    assert list(hollow.x) == [2020] and hollow.marker.color == "white"


def test_published_figures_are_small_multiples_each_from_zero():
    series = views.measure_series(synthetic_observations(), "AAA",
                                  ["victims_detected", "persons_convicted", "suspects"])
    fig = charts.measure_lines(series, country_name="Aland Test",
                               sources=synthetic_sources(), years=YEARS,
                               expected=["victims_detected", "persons_convicted", "suspects"])
    titles = [a.text for a in fig.layout.annotations if a.text.startswith("<b>")]
    assert titles == ["<b>Detected trafficking victims</b>", "<b>Persons convicted</b>"]
    # two panels, each with its own axis from zero: 150 victims do not squash 12 convictions
    assert fig.layout.yaxis.range == (0, 150 * 1.25)
    assert fig.layout.yaxis2.range == (0, 12 * 1.25)
    assert "No figures for: persons brought into formal contact." in _footer(fig)


def test_every_count_axis_reads_in_whole_numbers(names):
    """The published counts as Compare draws them (over time and ranked) and one country's
    published figures: integer tick steps and no decimals on every count axis."""
    from indicators import per_population
    from tests.unit.chart_fixtures import synthetic_countries

    counts = per_population.count_views(synthetic_observations(), synthetic_countries())
    # persons convicted: AAA '<5' (2015), 10 (2016), 12 (2017); BBB none
    data = views.lines_data(counts, "persons_convicted", ["AAA", "BBB"], YEARS, names)
    lines = charts.indicator_lines(data, "persons_convicted", sources=synthetic_sources(),
                                   baseline_year=2015, deadline_year=2025, years=YEARS,
                                   scale="data")
    # the axis runs to 12 + 8% = 12.96: 12.96 / 6 = 2.2 → a step of 5
    assert (lines.layout.yaxis.tickformat, lines.layout.yaxis.dtick) == (",.0f", 5)
    ranked = charts.ranking_bars(
        views.ranking_data(counts, "persons_convicted", 2016, ["AAA"], names),
        "persons_convicted", sources=synthetic_sources(), year=2016, scale="data")
    assert ranked.layout.xaxis.tickformat == ",.0f"
    assert isinstance(ranked.layout.xaxis.dtick, int) and ranked.layout.xaxis.dtick >= 1
    series = views.measure_series(synthetic_observations(), "AAA",
                                  ["victims_detected", "persons_convicted"])
    panels = charts.measure_lines(series, country_name="Aland Test",
                                  sources=synthetic_sources(), years=YEARS)
    for axis in (panels.layout.yaxis, panels.layout.yaxis2):
        assert axis.tickformat == ",.0f"
        assert isinstance(axis.dtick, int) and axis.dtick >= 1


def test_ranking_states_its_rule_marks_ties_and_steps_its_axis_evenly(frame, names):
    # conviction 2015: AAA '<5' over 1,000 estimated victims, 0.1%–0.4%; the world is AAA
    # alone, the same range; BBB has no figure. Both ranges overlap: tied, '=1'.
    data = views.ranking_data(frame, "conviction_rate", 2015, ["BBB", "AAA", "WORLD"], names)
    assert data["rank"].to_list() == ["=1", "=1", ""]
    fig = charts.ranking_bars(data, "conviction_rate", sources=synthetic_sources(), year=2015,
                              scale="data")
    assert list(fig.layout.yaxis.ticktext) == ["=1  Aland Test", "=1  World", "Bland Test"]
    footer = _footer(fig)
    assert views.RANK_RULE in footer
    # a linear axis under 1%: even percent steps, each with its '1 in N' under it, and a note
    # that only the percent steps evenly (0.1% = 1 in 1,000, 0.2% = 1 in 500, ...)
    ticks = list(fig.layout.xaxis.ticktext)
    assert ticks[:3] == ["0", "0.1%<br>1 in 1,000", "0.2%<br>1 in 500"]
    assert charts.axes.EVEN_STEPS_NOTE in footer


def test_ranking_puts_a_range_by_its_upper_end_above_an_exact_value_inside_it(frame, names):
    # identification 2017: AAA 15% exact; make BBB a range 10%–40% around it (upper end 40%):
    # BBB first, both '=1' (15% lies inside 10–40%)
    rows = frame.filter((pl.col("indicator") == "identification_rate")
                        & (pl.col("year") == 2017)).with_columns(
        pl.when(pl.col("scope") == "BBB").then(None).otherwise(pl.col("value")).alias("value"),
        pl.when(pl.col("scope") == "BBB").then(0.10).otherwise(pl.col("lower")).alias("lower"),
        pl.when(pl.col("scope") == "BBB").then(0.40).otherwise(pl.col("upper")).alias("upper"))
    data = views.ranking_data(rows, "identification_rate", 2017, ["AAA", "BBB"], names)
    assert data["scope"].to_list() == ["BBB", "AAA"]
    assert data["rank"].to_list() == ["=1", "=1"]
    fig = charts.ranking_bars(data, "identification_rate", sources=synthetic_sources(),
                              year=2017)
    band = next(t for t in fig.data if (t.meta or {}).get("role") == "range")
    # the interval drawn: hatched from 10% to 40%
    assert list(band.base) == [pytest.approx(0.10)] and list(band.x) == [pytest.approx(0.30)]


@pytest.mark.parametrize("indicator,target", [("conviction_rate", 0.3),
                                              ("victims_per_100k", None)])
def test_an_empty_chart_over_time_draws_the_target_only_where_there_is_one(frame, names,
                                                                         indicator, target):
    """No row in the years asked (the read API's chart-only address takes any years): the
    chart still says what it would show; SDG 16.2.2 has no target to draw (it raised
    before)."""
    data = views.lines_data(frame, indicator, ["AAA"], (1990, 1991), names)
    assert data.is_empty()
    fig = charts.indicator_lines(
        data, indicator, sources=views.sources_used(data["source"], synthetic_sources()),
        baseline_year=2015, deadline_year=2025, years=(1990, 1991))
    lines = [s.y0 for s in fig.layout.shapes if s.type == "line" and s.y0 == s.y1]
    assert lines == ([] if target is None else [target])


def test_the_coverage_summary_rows_get_the_height_their_names_ask():
    """The page's summary heatmap sized its rows for their names (15 px a line of the
    deepest name, 8 between), then took 36 px for the years along the top from the plot: 9
    rows of three-line names were 4 px short each. The years' band is the top margin's now,
    on the page and in print."""
    names = [f"Measure {i} " + "with a name long enough for three lines " * 2 for i in range(9)]
    data = pl.DataFrame({"measure": [f"m{i}" for i in range(9) for _ in (2019, 2020)],
                         "label": [n for n in names for _ in (2019, 2020)],
                         "year": [2019, 2020] * 9, "countries": list(range(18))},
                        schema_overrides={"year": pl.Int32, "countries": pl.Int32})
    for printed, line, gap in ((False, 15, 8), (True, PRINTED_NAME_LINE, 6)):
        fig = charts.coverage_summary_heatmap(data, sources=synthetic_sources(),
                                              printed=printed)
        deepest = max(label.count("<br>") + 1 for label in fig.data[0].y)
        assert deepest == (2 if printed else 3)
        layout = fig.layout
        plot = layout.height - layout.margin.t - layout.margin.b
        assert plot >= 9 * (line * deepest + gap), (printed, plot)
