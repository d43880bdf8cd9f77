"""The charts' layout for a phone (indicators.charts.narrow): computed from the built figure,
shipped only in the page's copy of it, and never in the figure that is exported."""

from __future__ import annotations

import copy
import html
import math
import re

import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from indicators import charts, figure_export, views
from indicators.charts.narrow import (
    CHART_WIDTH,
    TEXT_WIDTH,
    TITLE_SIZE,
    phone_layout,
    text_width,
    wrap_to,
)
from pages.phone import phone_spec
from tests.unit.chart_fixtures import (
    synthetic_countries,
    synthetic_frame,
    synthetic_geojson,
    synthetic_lines,
    synthetic_observations,
    synthetic_sources,
)


@pytest.fixture(scope="module")
def line_figure():
    return synthetic_lines(["WORLD", "AAA", "BBB"])


def _lines(markup: str) -> list[str]:
    return [html.unescape(re.sub(r"<[^>]+>", "", line)) for line in markup.split("<br>")]


def test_text_width_uses_helvetica_advance_widths():
    # 'M' is 833/1000 of the font size, 'i' 222, a space 278 (Helvetica = Arial metrics)
    assert text_width("Mi i", 10) == pytest.approx(8.33 + 2.22 + 2.78 + 2.22)
    assert text_width("M", 10, bold=True) == pytest.approx(8.33)
    assert text_width("a", 10, bold=True) == pytest.approx(5.56)
    # a dash and an arrow have widths of their own; a letter without one is as wide as 'M'
    assert text_width("–→é字", 10) == (556 + 1000 + 833 + 833) * 10 / 1000
    assert text_width("–é", 10, bold=True) == (556 + 833) * 10 / 1000


def test_wrap_keeps_every_word_in_order_within_the_width():
    text = ("Persons convicted per estimated victim: persons convicted ÷ estimated people in "
            "modern slavery. Target: more than 30% by the baseline year + 10.")
    lines = wrap_to(text, 13)
    assert " ".join(lines) == text
    assert len(lines) > 1
    assert all(text_width(line, 13) <= TEXT_WIDTH for line in lines)


def _wrap_by_measuring(text: str, size: float, width: float, bold: bool) -> list[str]:
    """``wrap_to`` as it was first written: each candidate line measured whole."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for word in paragraph.split():
            candidate = f"{line} {word}" if line else word
            if line and text_width(candidate, size, bold=bold) > width:
                lines.append(line)
                line = word
            else:
                line = candidate
        lines.append(line)
    return lines


@given(text=st.text(st.sampled_from(list("aiMW .,:%–—’…×\n\t") + ["é", "字"]), max_size=300),
       size=st.sampled_from([11, 12, 13, 17, 12.5]), width=st.integers(20, 400),
       bold=st.booleans())
def test_wrap_adds_up_the_words_and_cuts_where_measuring_each_line_would(text, size, width,
                                                                         bold):
    assert wrap_to(text, size, width, bold=bold) == _wrap_by_measuring(text, size, width, bold)


def test_phone_layout_rewraps_the_words_and_puts_the_legend_under_the_plot(line_figure):
    spec = line_figure.to_dict()
    phone = phone_layout(spec)
    narrow, wide = phone["narrow"], phone["wide"]
    assert set(narrow) == set(wide)
    # the title, subtitle and footer say the same words, in lines that fit a 390 px screen
    meta = spec["layout"]["meta"]
    assert " ".join(_lines(narrow["title.text"])) == meta["title"]
    assert " ".join(_lines(narrow["title.subtitle.text"])) == " ".join(meta["subtitle"].split())
    footer_at = next(i for i, a in enumerate(spec["layout"]["annotations"])
                     if a.get("name") == "footer")
    footer = _lines(narrow[f"annotations[{footer_at}].text"])
    assert " ".join(footer) == " ".join(" ".join(meta["footer"]).split())
    assert all(text_width(line, 11) <= TEXT_WIDTH + 10 for line in footer)
    assert narrow["title.font.size"] == TITLE_SIZE != spec["layout"]["title"]["font"]["size"]
    # the legend under the plot, the footer under the legend, the height to hold them all
    assert narrow["legend.y"] < 0 and narrow["legend.yanchor"] == "top"
    assert (wide["legend.x"], wide["legend.orientation"]) == (1.01, "v")
    assert narrow["margin.autoexpand"] is False
    assert narrow["height"] == narrow["margin.t"] + 300 + narrow["margin.b"]
    # a row of the legend for each of the three lines, then the footer's lines
    assert narrow["margin.b"] == 34 + (3 * 22 + 8) + 16 * len(footer) + 16
    assert narrow[f"annotations[{footer_at}].yshift"] == -(34 + 3 * 22 + 8 + 6)
    # 'Deadline 2025' and 'Baseline 2015' above the plot, out of the way of its lines (the
    # band's test is below)
    tops = [k for k in narrow if k.endswith(".yshift") and k != f"annotations[{footer_at}].yshift"]
    assert [narrow[k] for k in tops] == [47, 47]
    # wide: the figure's own values, to put it back
    assert wide["height"] == spec["layout"]["height"]
    assert wide["title.text"] == spec["layout"]["title"]["text"]


def test_the_map_spans_the_width_with_its_legend_under_it():
    names = views.scope_names(synthetic_countries())
    latest = views.latest_figures(synthetic_frame(), "identification_rate", 2021, 2015, names)
    fig = charts.world_map(latest, "identification_rate", geojson=synthetic_geojson(),
                           sources=synthetic_sources(), year=2021, first_year=2015)
    phone = phone_layout(fig.to_dict())["narrow"]
    assert phone["geo.domain.x"] == [0, 1]
    assert phone["legend.y"] < 0 and phone["legend.yanchor"] == "top"
    assert phone["margin.l"] < 48


def test_the_exported_figure_is_the_one_built(line_figure):
    """The phone's layout lives in the page's copy only: the figure, its PNG and its SVG are
    exactly what they were."""
    before = copy.deepcopy(line_figure.to_dict())
    svg = figure_export.to_svg(line_figure)
    page = phone_spec(line_figure.to_dict())
    assert "phone" in page["layout"]["meta"]
    assert line_figure.to_dict() == before
    assert "phone" not in line_figure.layout.meta
    assert figure_export.to_svg(line_figure) == svg
    assert b'width="1600"' in svg and b'height="900"' in svg


def test_a_figure_without_the_frame_has_no_phone_layout():
    spark = charts.sparkline(pl.DataFrame({"year": [2019, 2020], "value": [0.1, 0.2],
                                           "lower": [0.1, 0.2], "upper": [0.1, 0.2],
                                           "series_break": [False, False]}),
                             "conviction_rate")
    assert phone_layout(spark.to_dict()) is None
    assert CHART_WIDTH == 358  # a 390 px screen less Streamlit's padding


def _words(spec: dict) -> dict[str, int]:
    return {re.sub(r"<[^>]+>", "", a["text"]).split(" ")[0]: i
            for i, a in enumerate(spec["layout"]["annotations"]) if a.get("name") != "footer"}


def test_the_year_lines_labels_stand_above_the_plot_clear_of_the_target(line_figure):
    """On a phone the plot is narrow: 'Deadline 2025' inside it stood on the target's line or
    on the data, and over 'Baseline 2015'. They go above the plot, over their lines' ends."""
    spec = line_figure.to_dict()
    narrow = phone_layout(spec)["narrow"]
    at = _words(spec)
    target, deadline, baseline = at["↑"], at["Deadline"], at["Baseline"]
    # AAA's and BBB's rates are far below 30%: the target's label stands above the plot, in
    # 2 lines of 13 px at a phone's width, 6 px up: 6 + 2 × 13 × 1.3 + 4 = 43.8 px
    assert len(narrow[f"annotations[{target}].text"].split("<br>")) == 2
    assert narrow[f"annotations[{target}].align"] == "left"
    # the year lines' labels stand on it (44 px + 3), both on one row: over a plot of
    # 358 − 80 − 16 = 262 px for 2014.5–2025.5, 'Baseline 2015' (left end at 2015) takes
    # 12 to 92 px, 'Deadline 2025' (right end at 2025) 168 to 250 px
    for label in (deadline, baseline):
        assert narrow[f"annotations[{label}].yanchor"] == "bottom"
        assert narrow[f"annotations[{label}].yshift"] == 47
    assert narrow[f"annotations[{baseline}].xanchor"] == "left"
    assert narrow[f"annotations[{deadline}].xanchor"] == "right"
    # the top margin holds the row: 47 px up, 16 px a row, less the usual gap of 10
    title_lines = len(narrow["title.text"].split("<br>"))
    subtitle_lines = len(narrow["title.subtitle.text"].split("<br>"))
    assert narrow["margin.t"] == 14 + 22 * title_lines + 17 * subtitle_lines + 6 + 12 + \
        (47 + 16 - 10)
    # the figure (exports, briefs) keeps its own: inside the plot, hanging from its top
    wide = phone_layout(spec)["wide"]
    assert wide[f"annotations[{deadline}].yanchor"] == "top"
    assert wide[f"annotations[{deadline}].yshift"] is None


def test_year_line_labels_that_do_not_fit_side_by_side_stand_one_above_the_other():
    spec = synthetic_lines(["WORLD", "AAA"], years=(2003, 2021)).to_dict()
    narrow = phone_layout(spec)["narrow"]
    at = _words(spec)
    # 2002.5–2025.5 over 262 px: 'Baseline 2015' would take 142 to 222 px and
    # 'Deadline 2025' 174 to 256 px: the deadline's on the first row, the baseline's above
    assert narrow[f"annotations[{at['Deadline']}].yshift"] == 47
    assert narrow[f"annotations[{at['Baseline']}].yshift"] == 47 + 16


def test_a_grid_of_named_rows_gives_the_years_the_room_its_names_do_not_need():
    """Which figures exist for which years, on a phone: the figure's left margin (231 px, for
    a wide page) left the twenty years 110 px; the names take what they need at 12 px."""
    rows = views.coverage_strip_data(synthetic_observations(), "AAA", (2015, 2021))
    fig = charts.coverage_strip(rows, country_name="Aland Test", sources=synthetic_sources())
    spec = fig.to_dict()
    phone = phone_layout(spec)
    narrow, wide = phone["narrow"], phone["wide"]
    # the widest line of a name, 'Estimated people in modern' (then 'slavery'), is 149.4 px
    # at 12 px: 150 + 14
    assert text_width("Estimated people in modern", 12) == pytest.approx(149.4)
    assert (narrow["margin.l"], wide["margin.l"]) == (164, 231)
    assert narrow["yaxis.tickfont.size"] == 12
    # nine rows, each as tall as three lines of 12 px (the longest name: 'Victims prosecuted
    # for / immigration or prostitution / offences'): 9 × 3 × 12 × 1.25 = 405 px
    assert narrow["height"] == narrow["margin.t"] + 405 + narrow["margin.b"]


def test_the_value_axis_title_gives_way_to_the_subtitle_that_says_it(line_figure):
    """Beside a narrow plot the axis title ran over the tick labels ('1 in 10,000'); the
    subtitle right above the plot starts with the same words, so a phone leaves it out."""
    spec = line_figure.to_dict()
    assert spec["layout"]["meta"]["subtitle"].startswith(
        "Persons convicted per estimated victim: ")
    phone = phone_layout(spec)
    assert phone["narrow"]["yaxis.title.text"] == ""
    assert phone["wide"]["yaxis.title.text"] == "Persons convicted per<br>estimated victim"
    # the tick labels ('0.0%' … '1.3%', the axis's end with its format '.1%') take the left
    # margin, at least 48 px
    assert phone["narrow"]["margin.l"] == 48
    # named ticks: the widest, '1 in 100,000', is (556 + 278 + 222 + 556 + 278 + 556 + 5 × 556
    # + 278) / 1000 × 12 = 66.05 px: 67 + 14
    named = copy.deepcopy(spec)
    named["layout"]["yaxis"].update(tickvals=[1e-5, 0.01], ticktext=["1 in 100,000", "1%"])
    assert phone_layout(named)["narrow"]["margin.l"] == 81
    # a subtitle that does not say it: the title stays
    other = copy.deepcopy(spec)
    other["layout"]["meta"]["subtitle"] = "Something else."
    assert "yaxis.title.text" not in phone_layout(other)["narrow"]


def test_a_rankings_far_target_note_stands_above_the_plot_on_a_phone():
    """'→ Target: … far beyond the values shown' stands at the foot of a ranking's plot, at
    its right. Cut into lines at a phone's width it stood over the last row's 'no data' and
    the bars: on a phone it stands above the plot, from its left edge, and the top margin
    makes room for its lines."""
    names = views.scope_names(synthetic_countries())
    ranked = views.ranking_data(synthetic_frame(), "conviction_rate", 2017,
                                ["AAA", "BBB", "WORLD"], names)
    fig = charts.ranking_bars(ranked, "conviction_rate", sources=synthetic_sources(),
                              year=2017)
    spec = fig.to_dict()
    [at] = [i for i, a in enumerate(spec["layout"]["annotations"])
            if a["text"].startswith("→ ")]
    assert (spec["layout"]["annotations"][at]["y"], spec["layout"]["annotations"][at]["x"]) \
        == (0.01, 1)  # the figure's own: the foot of the plot, at its right
    narrow = phone_layout(spec)["narrow"]
    lines = len(narrow[f"annotations[{at}].text"].split("<br>"))
    assert lines == 3  # '→ Target: more than 30% by the baseline year + 10: far beyond …'
    assert (narrow[f"annotations[{at}].y"], narrow[f"annotations[{at}].x"],
            narrow[f"annotations[{at}].xanchor"], narrow[f"annotations[{at}].yshift"]) == (
        1, 0, "left", 4)
    # room above the plot: 3 lines of 13 px × 1.3, and 4 px, on top of the usual gap
    title_lines = len(narrow["title.text"].split("<br>"))
    subtitle_lines = len(narrow["title.subtitle.text"].split("<br>"))
    assert narrow["margin.t"] == 14 + 22 * title_lines + 17 * subtitle_lines + 6 + 12 + \
        math.ceil(3 * 13 * 1.3) + 4
