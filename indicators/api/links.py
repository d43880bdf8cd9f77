"""The API twin of a chart's rows, and the snippet that embeds a chart elsewhere.

Pure functions on the rows a chart draws: the page's CSV and the API answer at the address
made here hold the same rows (the API adds the columns the indicators report has)."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

import polars as pl

from indicators.api.params import DEFAULT_LIMIT, MAX_LIMIT
from indicators.measures import INDICATORS, count_view_of

BASE = "/api/v1"
# An address names the countries of a chart's rows up to this many (a Compare chart keeps
# every chosen country); rows of more (every country on the map) are asked for without a
# list, and the answer holds them all.
NAMED_IN_LINK = 60


def _years(data: pl.DataFrame) -> dict[str, str]:
    years = [year for year in data["year"].to_list() if year is not None]
    if not years:
        return {}
    low, high = int(min(years)), int(max(years))
    return {"year": str(low)} if low == high else {"years": f"{low}-{high}"}


def _limit(data: pl.DataFrame) -> dict[str, str]:
    """A paged endpoint answers DEFAULT_LIMIT rows at a time: rows beyond that ask for more
    (at most MAX_LIMIT), so the first answer holds every row drawn."""
    return {"limit": str(min(data.height, MAX_LIMIT))} if data.height > DEFAULT_LIMIT else {}


def _ordered(values: pl.Series) -> list[str]:
    """The distinct values, in the order they first come, as text (a chart's few dozen rows:
    read in Python rather than by a Polars operation each)."""
    return [str(v) for v in dict.fromkeys(v for v in values.to_list() if v is not None)]


def api_query(data: pl.DataFrame) -> tuple[str, dict[str, str]] | None:
    """(endpoint, query) of the API answer holding a chart's rows; None for rows the API
    has no address for (uploads' previews)."""
    columns = set(data.columns)
    if not data.height or "year" not in columns:
        return None
    if {"indicator", "scope"} <= columns:
        indicators = _ordered(data["indicator"])
        if len(indicators) != 1:
            return None
        key = indicators[0]
        scopes = _ordered(data["scope"])
        countries = {"countries": ",".join(scopes)} if len(scopes) <= NAMED_IN_LINK else {}
        if key in INDICATORS:
            return "indicators", {"indicator": key, **countries, **_years(data),
                                  "inputs": "off"}
        view = count_view_of(key)
        if view is None:
            return None
        iso3 = [s for s in scopes if len(s) == 3 and s.isupper() and s != "WLD"]
        country = {"country": ",".join(iso3)} if countries and iso3 == scopes else {}
        return "observations", {"measure": view[0], **country, **_years(data)}
    if {"iso3", "measure", "value_before"} <= columns:  # possible breaks (views.series_breaks)
        countries = _ordered(data["iso3"])
        query = {"measure": ",".join(sorted(_ordered(data["measure"])))}
        if len(countries) <= NAMED_IN_LINK:
            query = {"country": ",".join(countries), **query}
        return "breaks", query
    if {"measure", "label", "year", "countries"} <= columns:  # views.coverage_summary
        return "coverage", _years(data)
    if {"iso3", "name", "region", "measure", "state"} <= columns:  # views.coverage_matrix
        [measure] = _ordered(data["measure"])
        regions = _ordered(data["region"])
        region = {"region": regions[0]} if len(regions) == 1 and regions[0] != "—" else {}
        return "coverage", {"measure": measure, **region, **_years(data), **_limit(data)}
    if {"reporter", "citizenship", "measure"} <= columns:  # a country's places (victims.places)
        countries = _ordered(data["reporter"])
        query = {"measure": ",".join(sorted(_ordered(data["measure"]))), **_years(data)}
        if len(countries) <= NAMED_IN_LINK:
            query = {"country": ",".join(countries), **query}
        return "observations", query
    if {"iso3", "measure"} <= columns:
        countries = _ordered(data["iso3"])
        measures = _ordered(data["measure"])
        query = {"measure": ",".join(measures), **_years(data)}
        if len(countries) <= NAMED_IN_LINK:
            query = {"country": ",".join(countries), **query}
        return "observations", query
    return None


def api_url(data: pl.DataFrame, fmt: str = "json") -> str | None:
    """The address (from the server's root) of the API answer with a chart's rows."""
    return _url(api_query(data), fmt)


def _url(found: tuple[str, dict[str, str]] | None, fmt: str) -> str | None:
    """``api_url`` of an ``api_query``."""
    if found is None:
        return None
    endpoint, query = found
    return f"{BASE}/{endpoint}.{fmt}?{urlencode(query)}"


CHART_KINDS = ("lines", "ranking", "map", "figures", "victims", "coverage", "citizenship",
               "abroad", "coverage-summary", "coverage-countries")


def chart_url(kind: str, query: dict[str, str], fmt: str = "html") -> str:
    """The address (from the server's root) of a chart alone, live with the data:
    ``/api/v1/charts/{kind}.{html|svg|png}`` with the page URL's parameters."""
    if kind not in CHART_KINDS:
        raise ValueError(f"no chart-only address for {kind!r}")
    return f"{BASE}/charts/{kind}.{fmt}?{urlencode(query)}"


def lines_query(data: pl.DataFrame) -> dict[str, str] | None:
    """The ``lines`` chart's parameters for an indicator's rows over time (None for other
    rows): its indicator, scopes and years."""
    return _lines_query(api_query(data))


def _lines_query(found: tuple[str, dict[str, str]] | None) -> dict[str, str] | None:
    """``lines_query`` of an ``api_query``."""
    if found is None or found[0] != "indicators" or "countries" not in found[1]:
        return None
    return {k: v for k, v in found[1].items() if k in ("indicator", "countries", "years",
                                                        "year")}


def chart_image_url(data: pl.DataFrame, fmt: str = "svg") -> str | None:
    """The chart over time of these rows as an image that stays live with the data (only for
    an indicator's rows)."""
    query = lines_query(data)
    return None if query is None else chart_url("lines", query, fmt)


@dataclass(frozen=True)
class ChartLinks:
    """A chart's rows' address in the read API (None: the API has none for them) and the
    ``lines`` chart's parameters for them (None: not an indicator's rows over time): what a
    page shows beside a chart, worked out once with the chart."""

    address: str | None
    lines_query: dict[str, str] | None


def chart_links(data: pl.DataFrame) -> ChartLinks:
    """``ChartLinks`` of a chart's rows (``api_url``, ``lines_query``), from one
    ``api_query``."""
    found = api_query(data)
    address = _url(found, "json")
    return ChartLinks(address, None if address is None else _lines_query(found))


def embed_snippet(chart: str, title: str) -> str:
    """HTML to paste into another site: an iframe of the chart alone (``chart``: its
    ``.html`` address, absolute), and for a page that cannot hold an iframe, the same chart as
    an image (SVG, and PNG)."""
    from html import escape

    svg, png = (chart.replace(".html?", f".{fmt}?", 1) for fmt in ("svg", "png"))
    return "\n".join([
        f'<iframe src="{escape(chart)}" title="{escape(title)}" width="100%" height="760" '
        'loading="lazy" style="border:0"></iframe>',
        "<!-- Or, on a page without scripts, the same chart as an image (SVG; PNG: "
        f"{escape(png)}) -->",
        f'<img src="{escape(svg)}" alt="{escape(title)}" width="800">',
    ])
