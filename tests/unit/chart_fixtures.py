"""A tiny SYNTHETIC world for the chart, view and export tests, small enough to compute by hand.

Not real data: two made-up countries, AAA (Europe) and BBB (Africa), and a third, CCC
(Africa), with no figures at all.

AAA: estimated victims 1,000 (2021); victims detected 100 (2015), none in 2016, 150 (2017);
     persons convicted '<5' (2015, bounds 1–4), 10 (2016), 12 (2017).
BBB: estimated victims 2,000 (2021); victims detected 20 (2015), 30 (2017).

So AAA's identification rate is 10% in 2015, no data in 2016, 15% in 2017; its conviction rate
is the range 0.1%–0.4% in 2015, then 1.0% and 1.2%. BBB's identification rate is 1% (2015) and
1.5% (2017).
"""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

from indicators import charts, views
from indicators.compute import compute_indicators
from indicators.settings import IndicatorSettings

SYNTHETIC_CITATION = "Synthetic test source (not real data)"


def synthetic_observations() -> pl.DataFrame:
    rows = [
        ("AAA", 2021, "estimated_victims", 1000.0, "estimate", None, None),
        ("AAA", 2015, "victims_detected", 100.0, "reported", None, None),
        ("AAA", 2017, "victims_detected", 150.0, "reported", None, None),
        ("AAA", 2015, "persons_convicted", None, "suppressed", 1.0, 4.0),
        ("AAA", 2016, "persons_convicted", 10.0, "reported", None, None),
        ("AAA", 2017, "persons_convicted", 12.0, "reported", None, None),
        ("BBB", 2021, "estimated_victims", 2000.0, "estimate", None, None),
        ("BBB", 2015, "victims_detected", 20.0, "reported", None, None),
        ("BBB", 2017, "victims_detected", 30.0, "reported", None, None),
    ]
    frame = pl.DataFrame(
        rows,
        schema={"iso3": pl.String, "year": pl.Int32, "measure": pl.String,
                "value": pl.Float64, "value_status": pl.String, "lower": pl.Float64,
                "upper": pl.Float64},
        orient="row",
    )
    return frame.with_columns(
        pl.lit("synthetic").alias("source_id"),
        pl.lit(SYNTHETIC_CITATION).alias("source_citation"),
        pl.lit(None, dtype=pl.String).alias("note"),
    )


def synthetic_countries() -> pl.DataFrame:
    return pl.DataFrame({
        "iso3": ["AAA", "BBB", "CCC"],
        "name": ["Aland Test", "Bland Test", "Cland Test"],
        "region": ["Europe", "Africa", "Africa"],
        "subregion": ["Northern Europe", "Western Africa", "Western Africa"],
    })


def synthetic_sources() -> pl.DataFrame:
    return pl.DataFrame({
        "id": ["synthetic"],
        "publisher": ["Test Publisher"],
        "title": ["Synthetic figures"],
        "edition": ["release of 1 January 2000"],
        "url": [None],
        "licence": ["none"],
        "retrieved": ["2000-01-01"],
        "sha256": [None],
        "citation": [SYNTHETIC_CITATION],
    }, schema_overrides={"url": pl.String, "sha256": pl.String})


def synthetic_frame(settings: IndicatorSettings | None = None) -> pl.DataFrame:
    return compute_indicators(synthetic_observations(), synthetic_countries(),
                              settings or IndicatorSettings())


def synthetic_lines(scopes: list[str], years: tuple[int, int] = (2015, 2021)) -> go.Figure:
    """The chart over time of the synthetic conviction rate for ``scopes`` (baseline 2015,
    deadline 2025)."""
    names = views.scope_names(synthetic_countries())
    data = views.lines_data(synthetic_frame(), "conviction_rate", scopes, years, names)
    return charts.indicator_lines(data, "conviction_rate", sources=synthetic_sources(),
                                  baseline_year=2015, deadline_year=2025, years=years)


def synthetic_geojson() -> dict:
    """Three square 'countries' (ids AAA, BBB, CCC), large enough for status icons."""
    def square(iso3: str, lon: float) -> dict:
        ring = [[lon, 0.0], [lon + 10, 0.0], [lon + 10, 10.0], [lon, 10.0], [lon, 0.0]]
        return {"type": "Feature", "id": iso3, "properties": {"iso3": iso3},
                "geometry": {"type": "Polygon", "coordinates": [ring]}}
    return {"type": "FeatureCollection",
            "features": [square("AAA", 0), square("BBB", 20), square("CCC", 40)]}
