"""What a reader takes from a chart stays exactly as it was when the way it is built changes
(issue 20: a cheaper new selection must not change a byte of what it gives).

``test_figures_unchanged`` keeps the figures; this keeps the rest of what a page makes of a
chart (``pages.shared.built``): the CSV download's bytes, the text alternative, the read API's
address of the rows and the ``lines`` chart's parameters, and the figure as the page sends it
(``phone_spec(fig.to_dict())``, the phone's layout in its meta), compared with its stored twin
in ``cold_outputs_unchanged.json.gz``. The dicts are compared by ``repr``: every key in its
order, every number of its type. The charts: the Compare page's chart over time and ranking
for the same spread of new selections as the figures (and a few more at the edges: one scope,
a scope without figures, years without any, more scopes than a ranking names), the map, and
every chart of the briefs (each chart family the pages draw).

The stored twins were made by the code before the change. To store them anew after an
intended change, run ``INDICATORS_STORE_FIGURES=1 pytest`` on this file (the test then fails,
saying so) and look at what changed before committing the file.
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
from pages.shared import built
from tests.integration.test_figures_unchanged import BRIEFS, LINES, MAPS, RANKINGS

STORED = Path(__file__).with_name("cold_outputs_unchanged.json.gz")

# new selections at the edges, beside the figures' spread (language None: the library's default)
EDGE_LINES = [
    ("conviction_rate", ("GBR", "FRA", "WORLD", "NGA"), (2003, 2022), "auto", None),
    ("conviction_rate", ("GBR",), (2010, 2020), "auto", "fr"),
    ("victims_prosecuted", ("ATA", "GBR"), (2003, 2022), "auto", "es"),
    ("conviction_rate", ("GBR", "FRA"), (1990, 1995), "auto", "en"),
    ("data_sharing_countries", ("GBR", "FRA"), (2003, 2022), "auto", "en"),
    ("identification_rate", ("BHR", "CHE", "BIH", "BGD", "WORLD"), (2003, 2022), "log", "fr"),
]
EDGE_RANKINGS = [
    ("conviction_rate", 2018, ("ALB", "ARG", "AUS", "AUT", "BEL", "BGR", "BRA", "CAN", "CHE",
                               "CHL", "CZE", "BHR", "BIH", "BGD", "ATA", "WORLD"), "auto", "fr"),
    ("conviction_rate", 2020, ("BHR", "CHE", "BIH", "BGD", "AGO", "AFG"), "auto", None),
    ("victims_prosecuted", 2019, ("ATA", "AFG"), "auto", "es"),
    ("identification_rate", 2020, ("GBR",), "linear", "en"),
]


def _outputs(fig, data, alt: str) -> dict[str, str]:
    made = built(fig, data, alt)
    return {"csv": made.csv.decode("utf-8"), "alt": made.alt,
            "links": repr((made.links.address, made.links.lines_query)),
            "spec": repr(made.spec.to_dict())}


@pytest.fixture(scope="module")
def outputs(bundled_db_template) -> dict[str, dict[str, str]]:
    with Store(bundled_db_template, read_only=True) as store:
        snapshot = store.snapshot()
    settings = IndicatorSettings()
    frame = report.indicator_frame_from(snapshot.observations, snapshot.countries, settings)
    made: dict[str, dict[str, str]] = {}
    for indicator, scopes, years, scale, lang in LINES + EDGE_LINES:
        rows = frame.filter(frame["indicator"] == indicator)
        chart = view_charts.lines(snapshot, rows, settings, indicator, scopes, years, scale,
                                  lang)
        made[f"lines {indicator} {','.join(scopes)} {years} {scale} {lang}"] = \
            _outputs(chart.fig, chart.data, chart.alt)
    for indicator, year, scopes, scale, lang in RANKINGS + EDGE_RANKINGS:
        rows = frame.filter(frame["indicator"] == indicator)
        chart = view_charts.ranking(snapshot, rows, indicator, year, scopes, scale, lang)
        made[f"ranking {indicator} {year} {','.join(scopes)} {scale} {lang}"] = \
            _outputs(chart.fig, chart.data, chart.alt)
    geojson = charts.read_geojson(WORLD_GEOJSON, tolerance=charts.MAP_TOLERANCE)
    for indicator, year, first_year, mode, marked, lang in MAPS:
        rows = frame.filter(frame["indicator"] == indicator)
        latest = view_charts.latest(snapshot, rows, indicator, year, first_year)
        chart = view_charts.world_map(snapshot, latest, geojson, indicator, year, first_year,
                                      mode, marked, lang)
        made[f"map {indicator} {year} {first_year} {mode} {','.join(marked)} {lang}"] = \
            _outputs(chart.fig, chart.data, chart.alt)
    inputs = {"frame": frame, "observations": snapshot.observations,
              "countries": snapshot.countries, "sources": snapshot.sources,
              "settings": settings, "year": 2019}
    for iso3, lang in BRIEFS:
        made_brief = (brief.country_brief(iso3, lang=lang, **inputs) if iso3
                      else brief.world_brief(lang=lang, **inputs))
        for chart in made_brief.charts:
            made[f"brief {iso3 or 'WORLD'} {lang} {chart.key}"] = \
                _outputs(chart.figure, chart.data, chart.alt)
    return made


def test_what_a_reader_gets_is_the_one_stored(outputs):
    if os.environ.get("INDICATORS_STORE_FIGURES") == "1":
        with gzip.open(STORED, "wt", encoding="utf-8") as out:
            json.dump(outputs, out, sort_keys=True, indent=0)
        pytest.fail(f"{len(outputs)} charts' outputs stored in {STORED.name}: look at them, "
                    "commit the file, and run the test again without INDICATORS_STORE_FIGURES.")
    with gzip.open(STORED, "rt", encoding="utf-8") as stored_file:
        stored = json.load(stored_file)
    assert sorted(outputs) == sorted(stored)
    changed = [f"{key}: {part}" for key in stored for part in stored[key]
               if outputs[key][part] != stored[key][part]]
    assert changed == [], f"{len(changed)} outputs changed, the first: {changed[0]}"


def test_the_edges_are_there(outputs):
    """The stored spread reaches what a rewrite could get wrong: a chart without rows (no
    address), tied and ranged ranks, a ranking past the names it lists, every language."""
    assert any(o["links"] == "(None, None)" for o in outputs.values())
    assert any(",'=" in o["csv"] for o in outputs.values())  # '=3', neutralised
    assert any("lowest" in o["alt"] for o in outputs.values())
    assert {key.rsplit(" ", 1)[1] for key in outputs if key.startswith("lines")} >= \
        {"en", "fr", "es", "None"}
    assert sum("'phone'" in o["spec"] for o in outputs.values()) >= len(LINES) + len(RANKINGS)
