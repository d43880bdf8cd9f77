"""A card's small trend line (``sparkline``): not a brief chart, so no frame or footer; the
card links to the full chart."""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

from indicators.charts.frame import FONT, OKABE_ITO, TEXT_COLOUR, LineStyle, esc, new_figure
from indicators.charts.lines import add_series
from indicators.i18n import localise_value, translator
from indicators.measures import indicator_meta
from indicators.value_text import format_value


def sparkline(rows: pl.DataFrame, indicator: str, *, highlight_year: int | None = None,
              height: int = 120, lang: str | None = None) -> go.Figure:
    """A card's trend (``views.card(...).series``): from its first figure to its last, on a
    scale from zero (so a flat series looks flat), its first and last values and years
    written, years with thin coverage (``thin``) drawn hollow, a possible break in the series
    ringed. Not a brief chart; the card links to the full chart. Its words and numbers in
    ``lang`` (English by default)."""
    _ = translator(lang)
    meta = indicator_meta(indicator)
    fig = new_figure()
    rows = rows.sort("year")
    drawn = rows.filter(pl.col("lower").is_not_null())
    if drawn.height:
        first, last = int(drawn["year"].min()), int(drawn["year"].max())
        rows = rows.filter(pl.col("year").is_between(first, last))
    style = LineStyle(OKABE_ITO["blue"], "solid", "circle")

    def words(r: dict) -> str:
        return localise_value(format_value(r["value"], meta.unit, lower=r["lower"],
                                           upper=r["upper"], target=r.get("target")), lang)

    add_series(
        fig,
        years=rows["year"].to_list(),
        lower=rows["lower"].to_list(),
        upper=rows["upper"].to_list(),
        hover=[f"{r['year']}: {esc(words(r))}"
               + (" " + _("(few countries)") if r.get("thin") else "")
               for r in rows.to_dicts()],
        name=_(meta.title),
        style=style,
        group="trend",
        width=2,
        marker_size=5,
        showlegend=False,
        lang=lang,
    )
    if "thin" in rows.columns:
        thin = rows.filter(pl.col("thin").fill_null(False) & pl.col("upper").is_not_null())
        if thin.height:
            fig.add_trace(go.Scatter(
                x=thin["year"].to_list(), y=thin["upper"].to_list(), mode="markers",
                marker=dict(size=7, color="white", line=dict(color=style.colour, width=1.5)),
                hoverinfo="skip", showlegend=False, meta={"role": "thin"},
            ))
    if "series_break" in rows.columns:
        ringed = rows.filter(pl.col("series_break").fill_null(False)
                             & pl.col("upper").is_not_null())
        if ringed.height:
            fig.add_trace(go.Scatter(
                x=ringed["year"].to_list(), y=ringed["upper"].to_list(), mode="markers",
                marker=dict(symbol="circle-open", size=13, color=TEXT_COLOUR,
                            line=dict(width=1.5)),
                hoverinfo="skip", showlegend=False, meta={"role": "break"},
            ))
    if highlight_year is not None:
        point = rows.filter(pl.col("year") == highlight_year)
        if point.height and point["upper"][0] is not None:
            fig.add_trace(go.Scatter(
                x=[highlight_year], y=[point["upper"][0]], mode="markers",
                marker=dict(size=10, color=OKABE_ITO["vermillion"], symbol="diamond"),
                hoverinfo="skip", showlegend=False, meta={"role": "highlight"},
            ))
    lows = [v for v in rows["lower"].to_list() if v is not None]
    highs = [v for v in rows["upper"].to_list() if v is not None]
    bottom = min(0.0, *lows) if lows else 0.0
    top = max(0.0, *highs) if highs else 1.0
    top = top if top > bottom else bottom + 1.0
    span = top - bottom
    if drawn.height:
        ends = [drawn.row(0, named=True), drawn.row(-1, named=True)]
        for end, anchor in zip(ends if len(drawn) > 1 else ends[:1], ("left", "right"),
                               strict=False):
            fig.add_annotation(
                x=end["year"], y=end["upper"], text=f"{esc(words(end))}<br>{end['year']}",
                xanchor=anchor if len(drawn) > 1 else "center", yanchor="bottom", yshift=5,
                showarrow=False, font=dict(size=10, color=TEXT_COLOUR), align=anchor,
                name="end_label",
            )
    fig.add_hline(y=0, line=dict(color="#888888", width=1))  # the common baseline
    fig.update_xaxes(visible=False, range=[rows["year"].min() - 0.5, rows["year"].max() + 0.5]
                     if rows.height else None)
    fig.update_yaxes(visible=False, range=[bottom - 0.05 * span, top + 0.75 * span])
    fig.update_layout(height=height, margin=dict(t=4, b=4, l=4, r=4), showlegend=False,
                      paper_bgcolor="rgba(0,0,0,0)", plot_bgcolor="rgba(0,0,0,0)",
                      font=dict(family=FONT), hovermode="closest")
    return fig
