"""Exports: real PNG and SVG files from kaleido and Debian's chromium, and CSV that no
spreadsheet will run."""

from __future__ import annotations

import csv
import io
import re
import struct
import xml.etree.ElementTree as ET

import polars as pl
import pytest

from indicators import charts, figure_export, views
from indicators.citation import CITATION, csv_line
from indicators.settings import WORLD_GEOJSON
from tests.unit.chart_fixtures import (
    SYNTHETIC_CITATION,
    synthetic_countries,
    synthetic_frame,
    synthetic_geojson,
    synthetic_lines,
    synthetic_sources,
)


@pytest.fixture(scope="module")
def line_figure():
    return synthetic_lines(["WORLD", "AAA"])


def _svg_text(svg: bytes) -> str:
    root = ET.fromstring(svg)
    return " ".join(" ".join(el.itertext()) for el in root.iter()
                    if el.tag.endswith("text"))


def test_png_is_a_1600_by_900_figure_at_double_resolution(line_figure):
    png = figure_export.to_png(line_figure)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", png[16:24])
    assert (width, height) == (3200, 1800)
    assert figure_export.to_png(line_figure) is png  # cached: the second click is free


def test_svg_carries_title_sources_and_notes_as_text(line_figure):
    svg = figure_export.to_svg(line_figure)
    root = ET.fromstring(svg)
    assert root.get("width") == "1600" and root.get("height") == "900"
    text = _svg_text(svg)
    assert "Conviction rate, 2015–2021" in text
    assert f"Source: {SYNTHETIC_CITATION}." in text
    assert "Data as of: Test Publisher release of 1 January 2000." in text
    assert "Target" in text and "Deadline 2025" in text
    assert "Chart: Anti-Trafficking Indicators" in text


def _paths(svg: bytes) -> list:
    root = ET.fromstring(svg)
    return [el for el in root.iter() if el.tag.endswith("path")
            and "choroplethlocation" in (el.get("class") or "")]


def test_map_exports_offline_with_every_country_shape():
    # Every country of the bundled GeoJSON, all 'no data' (synthetic rows): the export must
    # draw each shape from the embedded GeoJSON, with the base map read from static/.
    geojson = charts.read_geojson(WORLD_GEOJSON)
    ids = [str(f["id"]) for f in geojson["features"]]
    rows = pl.DataFrame({
        "scope": ids, "name": ids, "year": [None] * len(ids),
        "value": [None] * len(ids), "lower": [None] * len(ids), "upper": [None] * len(ids),
        "value_text": ["no data"] * len(ids), "status": ["no_data"] * len(ids),
        "status_text": ["○ No data"] * len(ids), "target": [0.2] * len(ids),
        "proxy": [None] * len(ids), "source": [""] * len(ids),
    }, schema_overrides={"year": pl.Int32, "value": pl.Float64, "lower": pl.Float64,
                         "upper": pl.Float64, "proxy": pl.String})
    fig = charts.world_map(rows, "identification_rate", geojson=geojson,
                           sources=synthetic_sources(), year=2021, first_year=2015)
    svg = figure_export.to_svg(fig)
    assert len(_paths(svg)) == len(ids) > 170
    assert "identification rate: latest figure up to 2021" in _svg_text(svg).lower()
    assert figure_export.TOPOJSON_URL.startswith("file:///")
    assert figure_export.TOPOJSON_URL.endswith("/static/")


def test_map_of_the_synthetic_countries_draws_their_shapes():
    names = views.scope_names(synthetic_countries())
    latest = views.latest_figures(synthetic_frame(), "identification_rate", 2021, 2015, names)
    fig = charts.world_map(latest, "identification_rate", geojson=synthetic_geojson(),
                           sources=synthetic_sources(), year=2021, first_year=2015,
                           mode="status")
    svg = figure_export.to_svg(fig)
    assert len(_paths(svg)) == 3
    assert "✗ Not met" in _svg_text(svg)


def test_tall_figures_keep_their_height():
    tall = charts.sparkline(pl.DataFrame({"year": [2015], "value": [1.0], "lower": [1.0],
                                          "upper": [1.0], "status": ["met"],
                                          "target": [1.0]}),
                            "identification_rate")
    tall.update_layout(height=2400)
    assert figure_export.export_size(tall) == (1600, 2400)
    tall.update_layout(height=300)
    assert figure_export.export_size(tall) == (1600, 900)


def _drawn(svg: bytes) -> list[tuple[str, tuple, str]]:
    """Every element of an SVG in document order, with its attributes in any order and
    plotly's random ids (``trace1a2b3c``, ``clip1a2b3cxy``, ``defs-1a2b3c``, ``legend1a2b3c``)
    numbered by first appearance. (An id may have no digit at all: ``tracebcfbcd``.)"""
    text = svg.decode("utf-8")
    uids = re.findall(r'(?:id|class)="[^"]*?(?:trace|clip|defs-|legend)([0-9a-f]{6})(?![0-9a-f])',
                      text)
    for n, uid in enumerate(dict.fromkeys(uids)):
        text = text.replace(uid, f"uid{n}")
    return [(el.tag, tuple(sorted(el.attrib.items())), (el.text or "").strip())
            for el in ET.fromstring(text).iter()]


def test_a_tab_not_reloaded_between_images_draws_the_same_image():
    """The export tab is reloaded every RELOAD_EVERY images, not after each (kaleido's way):
    an image drawn after others in the same tab is the one a fresh tab draws."""
    lines = synthetic_lines(["WORLD", "AAA", "BBB"])
    frame = synthetic_frame()
    ranked = views.ranking_data(frame, "conviction_rate", 2015, ["BBB", "AAA", "WORLD"],
                                views.scope_names(synthetic_countries()))
    ranking = charts.ranking_bars(ranked, "conviction_rate", sources=synthetic_sources(),
                                  year=2015)
    assert figure_export.RELOAD_EVERY > 2
    figure_export.stop_exporter()
    figure_export._cache.clear()
    fresh = figure_export.figure_bytes(lines, "svg", size=(900, 500))
    figure_export.stop_exporter()
    figure_export._cache.clear()
    figure_export.figure_bytes(ranking, "svg", size=(900, 500))  # the tab draws another first
    after_another = figure_export.figure_bytes(lines, "svg", size=(900, 500))
    assert after_another is not fresh
    assert _drawn(after_another) == _drawn(fresh)
    assert any("Conviction rate" in words for _, _, words in _drawn(fresh))


def test_a_figure_is_the_same_whatever_plotlys_default_template(monkeypatch):
    """Importing streamlit makes its own template plotly's default; the dashboard's figures
    and the command line's (a brief, an export) must still be the same figure."""
    import plotly.io as pio

    monkeypatch.setattr(pio.templates, "default", "plotly")
    plain = synthetic_lines(["WORLD", "AAA"]).to_plotly_json()
    monkeypatch.setattr(pio.templates, "default", "none")
    other = synthetic_lines(["WORLD", "AAA"]).to_plotly_json()
    assert other == plain
    assert plain["layout"]["template"]["layout"]["plot_bgcolor"] == "#E5ECF6"  # plotly's


def test_chart_csv_neutralises_formula_cells():
    data = pl.DataFrame({
        "name": ['=HYPERLINK("http://x","y")', "+1", "-2", "@SUM(A1)", "\tx", "\rx", "plain"],
        "value": [1.5, -2.0, None, 0.0, 3.0, 4.0, 5.0],
    })
    raw = figure_export.chart_csv(data)
    assert raw.startswith("\ufeff".encode())
    text = raw.decode("utf-8-sig")
    # the first line cites the publishers and the dashboard, word for word as the API does
    cite, text = text.split("\n", 1)
    assert cite == csv_line().rstrip("\n") == f"# Cite as: {CITATION}"
    for publisher in ("UNODC", "Walk Free", "World Bank", "Anti-Trafficking Indicators"):
        assert publisher in cite
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows[0] == ["name", "value"]
    assert [r[0] for r in rows[1:]] == [
        "'=HYPERLINK(\"http://x\",\"y\")", "'+1", "'-2", "'@SUM(A1)", "'\tx", "'\rx", "plain",
    ]
    # numbers stay numbers, and a missing value stays empty, never 0
    assert [r[1] for r in rows[1:]] == ["1.5", "-2.0", "", "0.0", "3.0", "4.0", "5.0"]


def test_file_stems_are_safe():
    assert figure_export.file_stem("conviction_rate", 2003, 2021) == "conviction-rate-2003-2021"
    assert figure_export.file_stem("../etc/passwd", None) == "etc-passwd"
    assert figure_export.file_stem() == "chart"
