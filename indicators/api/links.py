"""The API twin of a chart's rows, and the snippet that embeds a chart elsewhere.

Pure functions on the rows a chart draws: the page's CSV and the API answer at the address
made here hold the same rows (the API adds the columns the indicators report has)."""

from __future__ import annotations

from urllib.parse import urlencode

import polars as pl

from indicators.measures import INDICATORS, count_view_of

BASE = "/api/v1"
# An address names the countries of a chart's rows up to this many (a Compare chart keeps
# every chosen country); rows of more (every country on the map) are asked for without a
# list, and the answer holds them all.
NAMED_IN_LINK = 60


def _years(data: pl.DataFrame) -> dict[str, str]:
    years = data["year"].drop_nulls()
    if not years.len():
        return {}
    low, high = int(years.min()), int(years.max())
    return {"year": str(low)} if low == high else {"years": f"{low}-{high}"}


def _ordered(values: pl.Series) -> list[str]:
    return [str(v) for v in values.drop_nulls().unique(maintain_order=True).to_list()]


def api_query(data: pl.DataFrame) -> tuple[str, dict[str, str]] | None:
    """(endpoint, query) of the API answer holding a chart's rows; None for rows the API
    has no address for (coverage grids, uploads' previews)."""
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
    found = api_query(data)
    if found is None:
        return None
    endpoint, query = found
    return f"{BASE}/{endpoint}.{fmt}?{urlencode(query)}"


def chart_image_url(data: pl.DataFrame, fmt: str = "svg") -> str | None:
    """The chart over time of these rows as an image that stays live with the data (only for
    an indicator's rows: ``/api/v1/chart.svg``)."""
    found = api_query(data)
    if found is None or found[0] != "indicators" or "countries" not in found[1]:
        return None
    query = {k: v for k, v in found[1].items() if k in ("indicator", "countries", "years")}
    return f"{BASE}/chart.{fmt}?{urlencode(query)}"


def embed_snippet(page_link: str, image: str | None, title: str) -> str:
    """HTML to paste into another site: an iframe of the live view, and the image beside."""
    from html import escape

    separator = "&" if "?" in page_link else "?"
    parts = [f'<iframe src="{escape(page_link + separator + "embed=true")}" '
             f'title="{escape(title)}" width="100%" height="640" loading="lazy" '
             'style="border:0"></iframe>']
    if image:
        parts.append(f'<img src="{escape(image)}" alt="{escape(title)}" width="800">')
    return "\n".join(parts)
