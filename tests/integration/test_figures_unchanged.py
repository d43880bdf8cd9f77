"""The figures a reader sees stay exactly as they were when the way they are built changes
(issue 20: faster figure building must not change a picture).

Each figure below, built from the bundled published data, is compared with its stored twin in
``figures_unchanged.json.gz``: every trace and every layout property (titles, footers, target
and deadline lines, axes, legends, hover texts), keys in any order. The figures are the chart
over time and the ranking for a spread of new selections (indicators, scopes, years, scales,
the three languages), the world map in both modes, and every chart of a country's and the
world's brief (each chart family the pages draw, through ``brief_frame``).

The stored twins were made by the code before the change. To store them anew after an
intended change of a picture, run ``INDICATORS_STORE_FIGURES=1 pytest`` on this file (the test
then fails, saying so) and look at the pictures before committing the file.
"""

from __future__ import annotations

import gzip
import json
import os
from pathlib import Path

import pytest

from indicators import brief, charts, report, view_charts
from indicators.settings import WORLD_GEOJSON, IndicatorSettings
from indicators.store import Store

STORED = Path(__file__).with_name("figures_unchanged.json.gz")

# (indicator, scopes, years, scale, language): new selections of the Compare page
LINES = [
    ("conviction_rate", ("GBR", "NGA", "WORLD"), (2003, 2022), "auto", "en"),
    ("conviction_rate", ("DEU", "FRA", "Europe", "WORLD"), (2010, 2022), "log", "fr"),
    ("identification_rate", ("BRA", "MEX", "Americas", "WORLD"), (2003, 2022), "auto", "es"),
    ("identification_rate", ("ABW", "NZL", "THA"), (2015, 2020), "linear", "en"),
    ("reporting_increase", ("GBR", "USA", "WORLD"), (2003, 2022), "auto", "en"),
    ("data_sharing_countries", ("WORLD", "Africa", "Asia"), (2003, 2022), "auto", "fr"),
    ("victims_per_100k", ("NGA", "Western Africa", "WORLD"), (2003, 2022), "auto", "es"),
    ("victims_prosecuted", ("GBR", "NGA"), (2003, 2022), "auto", "en"),
    ("conviction_rate", ("ALB", "ARG", "AUS", "AUT", "BEL", "BGR", "BRA", "CAN", "CHE",
                         "CHL", "CZE"), (2003, 2022), "auto", "en"),
]
# (indicator, year, scopes, scale, language)
RANKINGS = [
    ("conviction_rate", 2019, ("GBR", "NGA", "DEU", "WORLD"), "auto", "en"),
    ("identification_rate", 2020, ("Europe", "Africa", "Americas", "WORLD"), "log", "fr"),
    ("victims_per_100k", 2018, ("BRA", "MEX", "ARG", "WORLD"), "auto", "es"),
    ("data_sharing_countries", 2021, ("WORLD", "Europe"), "auto", "en"),
]
MAPS = [("conviction_rate", 2020, 2011, "value", (), "en"),
        ("identification_rate", 2019, 2010, "status", ("GBR", "NGA"), "fr")]
BRIEFS = [("GBR", "en"), ("NGA", "fr"), ("DEU", "es"), (None, "en")]


def _canonical(fig) -> str:
    return json.dumps(fig.to_plotly_json(), sort_keys=True, default=str)


@pytest.fixture(scope="module")
def figures(bundled_db_template) -> dict[str, str]:
    with Store(bundled_db_template, read_only=True) as store:
        snapshot = store.snapshot()
    settings = IndicatorSettings()
    frame = report.indicator_frame_from(snapshot.observations, snapshot.countries, settings)
    made: dict[str, str] = {}
    for indicator, scopes, years, scale, lang in LINES:
        rows = frame.filter(frame["indicator"] == indicator)
        chart = view_charts.lines(snapshot, rows, settings, indicator, scopes, years, scale,
                                  lang)
        made[f"lines {indicator} {','.join(scopes)} {years} {scale} {lang}"] = \
            _canonical(chart.fig)
    for indicator, year, scopes, scale, lang in RANKINGS:
        rows = frame.filter(frame["indicator"] == indicator)
        chart = view_charts.ranking(snapshot, rows, indicator, year, scopes, scale, lang)
        made[f"ranking {indicator} {year} {','.join(scopes)} {scale} {lang}"] = \
            _canonical(chart.fig)
    geojson = charts.read_geojson(WORLD_GEOJSON, tolerance=charts.MAP_TOLERANCE)
    for indicator, year, first_year, mode, marked, lang in MAPS:
        rows = frame.filter(frame["indicator"] == indicator)
        latest = view_charts.latest(snapshot, rows, indicator, year, first_year)
        chart = view_charts.world_map(snapshot, latest, geojson, indicator, year, first_year,
                                      mode, marked, lang)
        made[f"map {indicator} {year} {first_year} {mode} {','.join(marked)} {lang}"] = \
            _canonical(chart.fig)
    inputs = {"frame": frame, "observations": snapshot.observations,
              "countries": snapshot.countries, "sources": snapshot.sources,
              "settings": settings, "year": 2019}
    for iso3, lang in BRIEFS:
        made_brief = (brief.country_brief(iso3, lang=lang, **inputs) if iso3
                      else brief.world_brief(lang=lang, **inputs))
        for chart in made_brief.charts:
            made[f"brief {iso3 or 'WORLD'} {lang} {chart.key}"] = _canonical(chart.figure)
    return made


def test_the_figures_are_the_ones_stored(figures):
    if os.environ.get("INDICATORS_STORE_FIGURES") == "1":
        with gzip.open(STORED, "wt", encoding="utf-8") as out:
            json.dump(figures, out, sort_keys=True, indent=0)
        pytest.fail(f"{len(figures)} figures stored in {STORED.name}: look at the pictures, "
                    "commit the file, and run the test again without INDICATORS_STORE_FIGURES.")
    with gzip.open(STORED, "rt", encoding="utf-8") as stored_file:
        stored = json.load(stored_file)
    assert sorted(figures) == sorted(stored)
    changed = [key for key in stored if json.loads(figures[key]) != json.loads(stored[key])]
    assert changed == [], f"{len(changed)} figures changed, the first: {changed[0]}"


def test_every_chart_family_is_compared(figures):
    kinds = {json.loads(fig)["data"][0]["type"] for fig in figures.values()
             if json.loads(fig)["data"]}
    assert {"scatter", "bar", "choropleth", "heatmap"} <= kinds
    assert len(figures) >= len(LINES) + len(RANKINGS) + len(MAPS) + 2 * len(BRIEFS)
