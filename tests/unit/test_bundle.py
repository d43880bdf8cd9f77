"""'Download all (ZIP)': every chart of a view as PNG, SVG and CSV, with a README.txt that
gives the view's link, the sources, their release and licence. Real images from kaleido and
Debian's chromium, on the synthetic test data."""

from __future__ import annotations

import datetime as dt
import io
import struct
import xml.etree.ElementTree as ET
import zipfile

import pytest

from indicators import alt_text, bundle, charts, figure_export, views
from indicators.citation import CITATION
from tests.unit.chart_fixtures import (
    SYNTHETIC_CITATION,
    synthetic_countries,
    synthetic_frame,
    synthetic_sources,
)

LINK = "http://localhost:8501/compare?indicator=identification_rate&countries=AAA,BBB,WORLD"
MADE = dt.datetime(2026, 12, 1, 9, 30, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def view_charts() -> list[bundle.BundleChart]:
    names = views.scope_names(synthetic_countries())
    frame = synthetic_frame()
    lines = views.lines_data(frame, "identification_rate", ["AAA", "BBB", "WORLD"],
                             (2015, 2017), names)
    ranked = views.ranking_data(frame, "identification_rate", 2017, ["AAA", "BBB", "WORLD"],
                                names)
    return [
        bundle.BundleChart(
            "Identification rate, 2015–2017",
            charts.indicator_lines(lines, "identification_rate", sources=synthetic_sources(),
                                   baseline_year=2015, deadline_year=2025, years=(2015, 2017)),
            lines, alt_text.lines(lines, "identification_rate")),
        bundle.BundleChart(
            "identification-rate-2017",
            charts.ranking_bars(ranked, "identification_rate", sources=synthetic_sources(),
                                year=2017),
            ranked, alt_text.ranking(ranked, "identification_rate", 2017)),
        # The same name again: it must not overwrite the first chart's files.
        bundle.BundleChart(
            "identification-rate-2017",
            charts.ranking_bars(ranked, "identification_rate", sources=synthetic_sources(),
                                year=2017, title="Again"),
            ranked),
    ]


@pytest.fixture(scope="module")
def archive(view_charts) -> zipfile.ZipFile:
    data = bundle.view_zip(view_charts, LINK, synthetic_sources(), title="Compare countries",
                           made=MADE)
    return zipfile.ZipFile(io.BytesIO(data))


def test_the_zip_holds_a_readme_a_citation_and_three_files_per_chart(archive):
    assert archive.namelist() == [
        "README.txt", "CITATION.txt",
        "identification-rate-2015-2017.png", "identification-rate-2015-2017.svg",
        "identification-rate-2015-2017.csv",
        "identification-rate-2017.png", "identification-rate-2017.svg",
        "identification-rate-2017.csv",
        "identification-rate-2017-2.png", "identification-rate-2017-2.svg",
        "identification-rate-2017-2.csv",
    ]
    assert archive.testzip() is None


def test_the_citation_credits_the_publishers_and_every_csv_starts_with_it(archive):
    text = archive.read("CITATION.txt").decode("utf-8")
    for publisher in ("UNODC", "Walk Free", "World Bank", "Anti-Trafficking Indicators"):
        assert publisher in text
    assert "@misc{" in text
    cite = text.splitlines()[2]  # the line the API's answers carry, word for word
    assert cite == CITATION
    for name in archive.namelist():
        if name.endswith(".csv"):
            first = archive.read(name).decode("utf-8-sig").splitlines()[0]
            assert first == f"# Cite as: {CITATION}"


def test_the_readme_gives_link_sources_release_and_licence(archive, view_charts):
    readme = archive.read("README.txt").decode("utf-8").splitlines()
    assert readme[0] == "Compare countries: Anti-Trafficking Indicators (open source)"
    assert f"View: {LINK}" in readme
    assert "Made: 2026-12-01 09:30 UTC" in readme
    assert f"Source: {SYNTHETIC_CITATION}" in readme
    assert "Publisher: Test Publisher" in readme
    assert "Release: release of 1 January 2000" in readme
    assert "Licence: none" in readme
    assert "Chart: identification-rate-2015-2017" in readme
    assert f"In words: {view_charts[0].alt}" in readme
    assert "Files: identification-rate-2017-2.png, identification-rate-2017-2.svg, " \
        "identification-rate-2017-2.csv" in readme


def test_the_readme_gives_the_licence_of_each_source_the_charts_cite(view_charts):
    """The page hands the ZIP the sources its charts cite (``views.sources_used``), which
    dropped the licence and the link: every README said 'Licence: not stated' for UNODC's and
    Walk Free's figures."""
    cited = [cell for chart in view_charts for cell in chart.data["source"].to_list()]
    used = views.sources_used(cited, synthetic_sources())
    data = bundle.view_zip(view_charts, LINK, used, title="Compare countries", made=MADE)
    readme = zipfile.ZipFile(io.BytesIO(data)).read("README.txt").decode("utf-8").splitlines()
    assert f"Source: {SYNTHETIC_CITATION}" in readme
    assert "Licence: none" in readme  # the synthetic source's own words
    assert "Licence: not stated" not in readme


def test_each_file_is_what_the_single_downloads_give(archive, view_charts):
    first = view_charts[0]
    png = archive.read("identification-rate-2015-2017.png")
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", png[16:24]) == (3200, 1800)
    assert png == figure_export.to_png(first.figure)
    svg = archive.read("identification-rate-2015-2017.svg")
    assert ET.fromstring(svg).get("width") == "1600"
    assert svg == figure_export.to_svg(first.figure)
    assert archive.read("identification-rate-2015-2017.csv") == figure_export.chart_csv(
        first.data)
    again = archive.read("identification-rate-2017-2.svg").decode("utf-8")
    assert ">Again<" in again


def test_a_view_without_sources_says_so():
    text = bundle.readme_text([], "", synthetic_sources().clear(), made=MADE)
    assert "View: (no link given)" in text
    assert "Source: none: the database has no figures for this view." in text
