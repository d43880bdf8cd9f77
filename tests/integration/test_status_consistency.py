"""One status, one meaning, everywhere (issue 13): for every scope, indicator and year of the
bundled data, the status a card shows (Overview, Country profile, brief), the Compare ranking,
table and map, and `indicators report` are the same.

Each view is asked the way its page or command asks it: cards through ``views.card`` with the
year chosen, the ranking through ``views.ranking_data`` over every scope, the table through
``views.compare_table`` of ``views.latest_figures`` for that one year, the map through
``charts.world_map`` in status mode (on a synthetic square per country: the shapes play no
part), and the report through ``report.select_rows`` and ``report.texts`` (what the command
prints), plus the command itself in a subprocess for the review's cases.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest

from indicators import charts, report, views
from indicators.compute import WORLD, compute_indicators
from indicators.measures import INDICATORS, STATUSES, status_text
from indicators.settings import IndicatorSettings
from indicators.store import Store

ROOT = Path(__file__).resolve().parents[2]


def _squares(codes: list[str]) -> dict:
    """A synthetic map: one small square per code (not real shapes)."""
    features = []
    for i, code in enumerate(codes):
        x, y = (i % 30) * 12 - 180, (i // 30) * 12 - 60
        ring = [[x, y], [x + 10, y], [x + 10, y + 10], [x, y + 10], [x, y]]
        features.append({"type": "Feature", "id": code,
                         "geometry": {"type": "Polygon", "coordinates": [ring]}})
    return {"type": "FeatureCollection", "features": features}


@pytest.fixture(scope="module")
def bundled(bundled_db_template):
    with Store(bundled_db_template, read_only=True) as store:
        observations, countries, sources = (store.observations(), store.countries(),
                                            store.sources())
    return observations, countries, sources


@pytest.mark.parametrize("settings", [
    pytest.param(IndicatorSettings(), id="default"),
    pytest.param(IndicatorSettings(baseline_year=2010, use_proxies=False),
                 id="baseline-2010-no-proxies"),
])
def test_every_view_gives_every_row_the_same_status(bundled, settings):
    observations, countries, sources = bundled
    frame = compute_indicators(observations, countries, settings)
    names = views.scope_names(countries)
    regions = countries["region"].drop_nulls().unique().to_list()
    geojson = _squares(countries["iso3"].to_list())
    scopes = frame["scope"].unique().to_list()
    years = sorted(frame["year"].unique().to_list())
    # the frame's own status and words, per row: what every view must say
    truth = {
        (r["indicator"], r["scope"], r["year"]): (r["status"], status_text(r["status"],
                                                                           r["basis"]))
        for r in frame.select("indicator", "scope", "year", "status", "basis")
        .iter_rows(named=True)
    }
    assert len(truth) == len(INDICATORS) * len(scopes) * len(years)
    assert {status for status, _ in truth.values()} <= set(STATUSES)

    # cards (Overview for the world, Country profile for a country, the brief for both)
    checked = 0
    for (indicator, scope), rows in frame.partition_by(["indicator", "scope"],
                                                       as_dict=True).items():
        for year in years:
            card = views.card(rows, indicator, scope=scope, year=year,
                              baseline_year=settings.baseline_year)
            assert (card.status, card.status_text) == truth[(indicator, scope, year)], (
                "card", indicator, scope, year)
            checked += 1
    assert checked == len(truth)

    for indicator in INDICATORS:
        for year in years:
            # the ranking of every scope
            ranked = views.ranking_data(frame, indicator, year, scopes, names)
            assert ranked.height == len(scopes)
            for r in ranked.iter_rows(named=True):
                assert (r["status"], r["status_text"]) == truth[(indicator, r["scope"], year)], (
                    "ranking", indicator, r["scope"], year)
            # the table under the map, for exactly this year
            latest = views.latest_figures(frame, indicator, year, year, names)
            table = views.compare_table(latest.with_columns(pl.lit(None).alias("region")))
            for iso3, words, shown_year in table.select("ISO3", "Status", "Year of figure").rows():
                if shown_year is not None:
                    assert words == truth[(indicator, iso3, year)][1], (
                        "table", indicator, iso3, year)
                else:
                    assert truth[(indicator, iso3, year)][0] == "no_data"
            # the map in status mode: each country in the category of its status
            fig = charts.world_map(latest, indicator, geojson=geojson, sources=sources,
                                   year=year, first_year=year, mode="status")
            shapes = next(t for t in fig.data if (t.meta or {}).get("role") == "countries")
            labels = shapes.meta["categories"]
            for iso3, code in zip(shapes.locations, shapes.z, strict=True):
                status = truth[(indicator, iso3, year)][0]
                words, icon = STATUSES[status]
                assert labels[code] == f"{icon} {words}", ("map", indicator, iso3, year)

    # `indicators report`: the rows it selects and the words it prints
    for scope in scopes:
        kind = {"country": scope} if views.is_country_code(scope) else (
            {"world": True} if scope == WORLD else {"region": scope})
        rows = report.select_rows(frame, regions, **kind)
        for r in rows.iter_rows(named=True):
            assert (r["status"], report.texts(r)["status_text"]) == truth[
                (r["indicator"], r["scope"], r["year"])], ("report", r["indicator"], scope)


def test_the_command_and_the_pages_agree_on_the_reviews_cases(bundled_db, bundled):
    """`indicators report --format json` in a subprocess, for the review's United Kingdom,
    Nigeria and world in 2019 and 2020, against the cards the pages show."""
    observations, countries, _ = bundled
    frame = compute_indicators(observations, countries, IndicatorSettings())
    for args in (["--country", "GBR"], ["--country", "NGA"], ["--world"]):
        for year in (2019, 2020):
            done = subprocess.run(
                [sys.executable, "-m", "indicators", "report", "--db", str(bundled_db), *args,
                 "--year", str(year), "--format", "json"],
                capture_output=True, text=True, encoding="utf-8", cwd=ROOT, check=True,
                timeout=300,
            )
            for record in json.loads(done.stdout):
                card = views.card(frame, record["indicator"], scope=record["scope"], year=year)
                assert (record["status"], record["status_text"], record["value_text"]) == (
                    card.status, card.status_text, card.value_text), record["indicator"]
                assert record["trend"] == card.trend_direction
