"""The charts the 'unchanged' tests build (a spread of new selections of the Compare page, the
world map, every chart of a few briefs) and their stored twins: what the code made before a
change, compared with what it makes after (issue 20: faster building must change nothing a
reader gets). ``test_figures_unchanged`` keeps the figures, ``test_cold_outputs_unchanged``
the rest of what a page makes of them.

To store the twins anew after an intended change, run ``INDICATORS_STORE_FIGURES=1 pytest``
on the test (it then fails, saying so) and look at what changed before committing the file.
"""

from __future__ import annotations

import gzip
import json
import os
from collections.abc import Iterator, Sequence
from pathlib import Path

import plotly.graph_objects as go
import polars as pl
import pytest

from indicators import brief, charts, report, view_charts
from indicators.settings import WORLD_GEOJSON, IndicatorSettings
from indicators.store import Store

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

# (key, figure, rows drawn, text alternative): the figure as the page has it, a ``charts.Draft``
# for the chart over time and the ranking (``charts.as_figure`` makes it a figure)
Built = tuple[str, go.Figure | charts.Draft, pl.DataFrame, str]


def built_charts(database: Path, lines: Sequence[tuple] = LINES,
                 rankings: Sequence[tuple] = RANKINGS) -> Iterator[Built]:
    """Each chart of ``lines``, ``rankings``, ``MAPS`` and ``BRIEFS``, built from the published
    data in ``database``, under a key that names its selection."""
    with Store(database, read_only=True) as store:
        snapshot = store.snapshot()
    settings = IndicatorSettings()
    frame = report.indicator_frame_from(snapshot.observations, snapshot.countries, settings)
    for indicator, scopes, years, scale, lang in lines:
        rows = frame.filter(frame["indicator"] == indicator)
        chart = view_charts.lines(snapshot, rows, settings, indicator, scopes, years, scale,
                                  lang)
        yield (f"lines {indicator} {','.join(scopes)} {years} {scale} {lang}", chart.drawn,
               chart.data, chart.alt)
    for indicator, year, scopes, scale, lang in rankings:
        rows = frame.filter(frame["indicator"] == indicator)
        chart = view_charts.ranking(snapshot, rows, indicator, year, scopes, scale, lang)
        yield (f"ranking {indicator} {year} {','.join(scopes)} {scale} {lang}", chart.drawn,
               chart.data, chart.alt)
    geojson = charts.read_geojson(WORLD_GEOJSON, tolerance=charts.MAP_TOLERANCE)
    for indicator, year, first_year, mode, marked, lang in MAPS:
        rows = frame.filter(frame["indicator"] == indicator)
        latest = view_charts.latest(snapshot, rows, indicator, year, first_year)
        chart = view_charts.world_map(snapshot, latest, geojson, indicator, year, first_year,
                                      mode, marked, lang)
        yield (f"map {indicator} {year} {first_year} {mode} {','.join(marked)} {lang}",
               chart.fig, chart.data, chart.alt)
    inputs = {"frame": frame, "observations": snapshot.observations,
              "countries": snapshot.countries, "sources": snapshot.sources,
              "settings": settings, "year": 2019}
    for iso3, lang in BRIEFS:
        made_brief = (brief.country_brief(iso3, lang=lang, **inputs) if iso3
                      else brief.world_brief(lang=lang, **inputs))
        for made in made_brief.charts:
            yield (f"brief {iso3 or 'WORLD'} {lang} {made.key}", made.figure, made.data,
                   made.alt)


def stored_twins(made: dict, path: Path, what: str) -> dict:
    """The twins stored in ``path`` (gzipped JSON), to compare ``made`` with; with
    INDICATORS_STORE_FIGURES=1, ``made`` stored there instead and the test failed, saying so."""
    if os.environ.get("INDICATORS_STORE_FIGURES") == "1":
        with gzip.open(path, "wt", encoding="utf-8") as out:
            json.dump(made, out, sort_keys=True, indent=0)
        pytest.fail(f"{len(made)} {what} stored in {path.name}: look at them, commit the "
                    "file, and run the test again without INDICATORS_STORE_FIGURES.")
    with gzip.open(path, "rt", encoding="utf-8") as stored_file:
        return json.load(stored_file)
