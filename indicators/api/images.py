"""``/api/v1/chart.svg`` and ``.png``: an indicator over time for the chosen scopes, drawn by
the same code as the Compare page's chart (``views.lines_data``, ``charts.indicator_lines``,
``figure_export``), so an embedded image stays live with the data. Every scope named is
drawn: beyond the palette's colours the first named keep theirs and the others are grey."""

from __future__ import annotations

from collections.abc import Mapping

from indicators import charts, figure_export, views
from indicators.api import answers, params, queries
from indicators.page_state import DEFAULT_INDICATOR
from indicators.settings import IndicatorSettings
from indicators.store import Snapshot

CHART_PARAMS = ("indicator", "countries", "years", "baseline", "proxies")
MEDIA = {"svg": "image/svg+xml", "png": "image/png"}


def indicator_chart(snapshot: Snapshot, query: Mapping[str, str], fmt: str) -> answers.Body:
    params.check_names(query, CHART_PARAMS)
    span = queries.year_span(snapshot)
    indicator = params.indicator(query) or DEFAULT_INDICATOR
    scopes = params.scopes(query, queries.known_scopes(snapshot))
    if not scopes:
        raise params.bad("Name the countries or regions to draw, e.g. countries=GBR,WORLD.")
    years = params.year_range(query, span) or span
    ask = queries.indicator_ask(snapshot, {k: v for k, v in query.items()
                                           if k in ("baseline", "proxies")})
    settings = IndicatorSettings(baseline_year=ask.baseline, use_proxies=ask.proxies)
    frame = queries.indicator_frame(snapshot, ask.baseline, ask.proxies, None)
    lines = views.lines_data(frame, indicator, scopes, years,
                             views.scope_names(snapshot.countries))
    fig = charts.indicator_lines(
        lines, indicator, sources=views.sources_used(lines["source"], snapshot.sources),
        baseline_year=settings.baseline_year, deadline_year=settings.deadline_year,
        years=years)
    try:
        image = figure_export.to_svg(fig) if fmt == "svg" else figure_export.to_png(fig)
    except figure_export.ExportError as exc:
        raise params.ApiError(503, str(exc)) from exc
    return answers.Body(image, MEDIA[fmt])
