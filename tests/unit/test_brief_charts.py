"""The brief's charts through the real export browser: print size, and their words kept as
SVG text (so they stay selectable in the PDF)."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

import pytest

from indicators import brief, figure_export
from indicators.settings import IndicatorSettings
from tests.unit.chart_fixtures import (
    synthetic_countries,
    synthetic_frame,
    synthetic_observations,
    synthetic_sources,
)


@pytest.fixture(scope="module")
def made() -> brief.Brief:
    return brief.country_brief(
        "AAA", frame=synthetic_frame(), observations=synthetic_observations(),
        countries=synthetic_countries(), sources=synthetic_sources(),
        settings=IndicatorSettings(), made_on=dt.date(2026, 12, 1))


def _text(svg: str) -> str:
    return " ".join(" ".join(el.itertext()) for el in ET.fromstring(svg).iter()
                    if el.tag.endswith("text"))


def test_each_chart_is_exported_at_print_size_with_its_words(made):
    svgs = brief.chart_svgs(made)
    assert list(svgs) == [c.key for c in made.charts]
    for chart in made.charts:
        root = ET.fromstring(svgs[chart.key])
        assert (root.get("width"), root.get("height")) == (str(brief.PRINT_WIDTH),
                                                           str(chart.height))
    assert "Aland Test: Conviction rate, against Northern Europe, Europe and the world" in _text(
        svgs["conviction_rate-lines"])
    assert "Aland Test: published figures, 2015–2021" in _text(svgs["published-figures"])
    # The page's own exports are unchanged: 1600×900, cached apart from the print size.
    page_svg = figure_export.to_svg(made.charts[0].figure)
    assert ET.fromstring(page_svg).get("width") == "1600"


def test_the_rendered_pdf_is_a_pdf(made):
    pdf = brief.render(made)
    assert pdf.startswith(b"%PDF-") and pdf.rstrip().endswith(b"%%EOF")
