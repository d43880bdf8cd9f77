"""Which figures exist: countries × years for one measure (``coverage_heatmap``), measures ×
years for one country (``coverage_strip``), and how many countries have each figure a year
(``coverage_summary_heatmap``). An empty cell is a year without a figure, not a zero."""

from __future__ import annotations

import textwrap

import plotly.graph_objects as go
import polars as pl

from indicators.charts.frame import (
    OKABE_ITO,
    PAGE_HEIGHT,
    TEXT_COLOUR,
    brief_frame,
    esc,
    footer_lines,
    new_figure,
    wrap,
)
from indicators.i18n import N_, country_name, localise_value, place_name, translator
from indicators.measures import MEASURES
from indicators.views import COVERAGE_STATES

COVERAGE_COLOURS: dict[str, str] = {
    "missing": "#F2F2F2",
    "suppressed": OKABE_ITO["orange"],
    "estimate": OKABE_ITO["sky_blue"],
    "reported": OKABE_ITO["blue"],
}
COVERAGE_CELL_TEXT: dict[str, str] = {
    "missing": "", "suppressed": "<5", "estimate": "est.", "reported": "",
}
_STATE_ORDER = ("missing", "suppressed", "estimate", "reported")
# The brief's summary heatmap (``printed``): row names in 12 px type (the footer's size), up to
# 46 characters a line in a 300 px margin, 14 px a line.
PRINTED_NAME_SIZE = 12
PRINTED_NAME_WRAP = 46
PRINTED_NAME_MARGIN = 300
PRINTED_NAME_LINE = 14
CELL_NOTE = N_("Each cell is one published figure; an empty cell is a year without one "
               "(not zero).")


def _coverage_grid(
    data: pl.DataFrame,
    row_key: str,
    row_label: str,
    *,
    title: str,
    subtitle: str,
    sources: pl.DataFrame,
    row_height: int,
    min_height: int,
    label_wrap: int | None = None,
    lang: str | None = None,
) -> go.Figure:
    _ = translator(lang)
    years = sorted(data["year"].unique().to_list())
    keys = data[row_key].unique(maintain_order=True).to_list()

    def row_words(key: str, label: str) -> str:  # a country's CLDR name, a measure's words
        return country_name(key, label, lang) if row_key == "iso3" else _(label)

    labels = {k: row_words(k, v) for k, v in
              zip(data[row_key].to_list(), data[row_label].to_list(), strict=True)}
    shown_labels = {
        k: "<br>".join(wrap(v, label_wrap)) if label_wrap else esc(v) for k, v in labels.items()
    }
    lookup = {(r[row_key], r["year"]): r for r in data.iter_rows(named=True)}
    code = {s: i for i, s in enumerate(_STATE_ORDER)}
    z, text, hover = [], [], []
    for key in keys:
        z_row, t_row, h_row = [], [], []
        for year in years:
            cell = lookup.get((key, year))
            state = cell["state"] if cell else "missing"
            z_row.append(code[state])
            t_row.append(COVERAGE_CELL_TEXT[state])
            value_text = localise_value(cell["value_text"] if cell else "no data", lang)
            source = f"<br>{esc(cell['source'])}" if cell and cell.get("source") else ""
            h_row.append(f"<b>{esc(labels[key])}</b>, {year}<br>{esc(value_text)}{source}")
        z.append(z_row)
        text.append(t_row)
        hover.append(h_row)
    n = len(_STATE_ORDER)
    colorscale = []
    for i, state in enumerate(_STATE_ORDER):
        colorscale.append([i / n, COVERAGE_COLOURS[state]])
        colorscale.append([(i + 1) / n, COVERAGE_COLOURS[state]])
    fig = new_figure(go.Heatmap(
        x=years,
        y=[shown_labels[k] for k in keys],
        z=z,
        zmin=-0.5,
        zmax=n - 0.5,
        colorscale=colorscale,
        showscale=False,
        xgap=1,
        ygap=1,
        text=text,
        texttemplate="%{text}",
        textfont=dict(size=10, color="#000000"),
        customdata=hover,
        hovertemplate="%{customdata}<extra></extra>",
        meta={"role": "coverage"},
    ))
    for state in reversed(_STATE_ORDER):
        cue = COVERAGE_CELL_TEXT[state]
        fig.add_trace(go.Scatter(
            x=[None], y=[None], mode="markers",
            marker=dict(symbol="square", size=14, color=COVERAGE_COLOURS[state],
                        line=dict(color="#999999", width=1)),
            name=esc(_(COVERAGE_STATES[state]) + (
                " " + _("(marked '{cue}')").format(cue=cue) if cue and cue not in
                COVERAGE_STATES[state] else "")),
            showlegend=True, hoverinfo="skip", meta={"role": "legend"},
        ))
    fig.update_xaxes(tickformat="d", dtick=1 if len(years) <= 20 else 2, side="top",
                     showgrid=False, tickangle=-45, tickfont=dict(size=12),
                     range=[years[0] - 0.5, years[-1] + 0.5] if years else None)
    fig.update_yaxes(autorange="reversed", automargin=True, showgrid=False,
                     tickfont=dict(size=11 if row_height < 18 else 13))
    fig.update_layout(
        legend=dict(orientation="h", x=0, xanchor="left", y=0, yanchor="top",
                    font=dict(size=13)),
    )
    longest = max(
        (len(line) for v in labels.values()
         for line in (textwrap.wrap(str(v), label_wrap) if label_wrap else [str(v)])),
        default=10,
    )
    char_width = 6.2 if row_height < 18 else 7.4
    height = max(min_height, row_height * len(keys) + 300)
    fig = brief_frame(
        fig,
        title=title,
        subtitle=subtitle,
        footer=footer_lines(sources, [CELL_NOTE], lang), lang=lang,
        height=height,
        axis_band=48,
        margin_left=int(24 + char_width * longest),
    )
    fig.update_layout(margin=dict(t=fig.layout.margin.t + 36))
    return fig


def coverage_heatmap(
    data: pl.DataFrame, measure: str, *, sources: pl.DataFrame, region: str | None = None,
    universe: int | None = None, lang: str | None = None,
) -> go.Figure:
    """Countries × years for one measure (``views.coverage_matrix``). ``universe``: the
    countries and territories of the country list (in the region), the M of "N of M". Its
    words and names in ``lang`` (English by default)."""
    _ = translator(lang)
    label = _(MEASURES[measure].label) if measure in MEASURES else measure
    place = place_name(region, region, lang) if region else ""
    countries = data["iso3"].n_unique()
    with_any = data.filter(pl.col("state") != "missing")["iso3"].n_unique()
    if universe:
        counted = (_("{n} of the {universe} countries and territories in {region} have at least "
                     "one figure for this measure (the {countries} with any figure in the "
                     "database are listed). ") if region else
                   _("{n} of the {universe} countries and territories have at least one figure "
                     "for this measure (the {countries} with any figure in the database are "
                     "listed). "))
    else:
        counted = (_("{n} of the {countries} countries in {region} with any figure in the "
                     "database have at least one for this measure. ") if region else
                   _("{n} of the {countries} countries with any figure in the database have at "
                     "least one for this measure. "))
    counted = counted.format(n=localise_value(str(with_any), lang), region=place,
                             universe=localise_value(str(universe), lang),
                             countries=localise_value(str(countries), lang))
    title = (_("Which countries have figures for “{label}” in {region}, by year") if region
             else _("Which countries have figures for “{label}”, by year"))
    fig = _coverage_grid(
        data, "iso3", "name",
        title=title.format(label=label, region=place),
        subtitle=counted + (_(MEASURES[measure].definition) if measure in MEASURES else ""),
        sources=sources,
        row_height=15,
        min_height=PAGE_HEIGHT,
        lang=lang,
    )
    # Countries are grouped by region: a rule and the region's name mark each group.
    regions = data.select("iso3", "region").unique(subset="iso3", maintain_order=True)
    previous = None
    for index, region_name in enumerate(regions["region"].to_list()):
        if region_name == previous:
            continue
        if index:
            fig.add_shape(type="line", xref="paper", x0=0, x1=1, yref="y", y0=index - 0.5,
                          y1=index - 0.5, line=dict(color=TEXT_COLOUR, width=1.5))
        fig.add_annotation(text=f"<b>{esc(place_name(region_name, region_name, lang))}</b>",
                           xref="paper", x=1, xanchor="left",
                           xshift=6, yref="y", y=index, yanchor="top", yshift=8,
                           showarrow=False, font=dict(size=12, color=TEXT_COLOUR))
        previous = region_name
    fig.update_layout(margin=dict(r=100))
    return fig


def coverage_strip(
    data: pl.DataFrame, *, country_name: str, sources: pl.DataFrame, lang: str | None = None,
) -> go.Figure:
    """Measures × years for one country (``views.coverage_strip_data``); its words in
    ``lang`` (English by default; ``country_name`` is given in it)."""
    _ = translator(lang)
    have = data.filter(pl.col("state") != "missing")["measure"].n_unique()
    return _coverage_grid(
        data, "measure", "label",
        title=_("{name}: which figures exist for which years").format(name=country_name),
        subtitle=_("{have} of the {measures} measures have at least one figure for this "
                   "country. Indicators can only be computed in years where their inputs "
                   "exist.").format(have=have, measures=data["measure"].n_unique()),
        sources=sources,
        row_height=34,
        min_height=460,
        label_wrap=30,
        lang=lang,
    )


def coverage_summary_heatmap(data: pl.DataFrame, *, sources: pl.DataFrame,
                             universe: int | None = None,
                             lang: str | None = None, printed: bool = False) -> go.Figure:
    """Measures × years: how many countries have a figure (``views.coverage_summary``), out
    of ``universe`` countries and territories when given; its words in ``lang`` (English by
    default).

    ``printed``: the brief's form, as short as its page allows. A measure's short name where
    it has one, names on at most two lines in smaller type, each row just tall enough for the
    deepest name; the figure's height is its bands plus those rows (``layout.height``), so
    every row keeps its name.
    """
    _ = translator(lang)
    years = sorted(data["year"].unique().to_list())
    rows = data.select("measure", "label").unique(maintain_order=True)
    labels = rows["label"].to_list()
    lookup = {(r["label"], r["year"]): r["countries"] for r in data.iter_rows(named=True)}
    z = [[lookup.get((label, y), 0) for y in years] for label in labels]
    # long names on two or three lines (a wide margin would squeeze the years into each
    # other), each row tall enough for the longest, so no name runs into the next
    shown = labels
    if printed:
        shown = [MEASURES[m].short_label or label if m in MEASURES else label
                 for m, label in rows.iter_rows()]
    names = [textwrap.wrap(_(label), PRINTED_NAME_WRAP if printed else 36) for label in shown]
    deepest = max((len(lines) for lines in names), default=1)
    line, gap = (PRINTED_NAME_LINE, 6) if printed else (15, 8)
    fig = new_figure(go.Heatmap(
        x=years, y=["<br>".join(esc(part) for part in lines) for lines in names], z=z,
        colorscale=[[0, "#F7FBFF"], [0.5, "#6BAED6"], [1, "#08306B"]],
        text=[[str(v) if v else "" for v in row] for row in z], texttemplate="%{text}",
        textfont=dict(size=12), xgap=1, ygap=1, showscale=False,
        hovertemplate=_("%{y}, %{x}: %{z} countries") + "<extra></extra>",
        meta={"role": "coverage_summary"},
    ))
    fig.update_xaxes(tickformat="d", dtick=1, side="top", showgrid=False, tickangle=-45,
                     tickfont=dict(size=12))
    fig.update_yaxes(autorange="reversed", automargin=True, showgrid=False)
    if printed:  # every row named: plotly skips category names when rows look crowded
        fig.update_yaxes(dtick=1, tickfont=dict(size=PRINTED_NAME_SIZE))
    fig = brief_frame(
        fig,
        title=_("How many countries have each figure, by year"),
        subtitle=(_("Number of countries with a published figure for each measure and year, "
                    "of the {universe} countries and territories of the country list (an empty "
                    "cell is zero countries). UNODC's newest year is always the least complete.")
                  if universe else
                  _("Number of countries with a published figure for each measure and year (an "
                    "empty cell is zero countries). UNODC's newest year is always the least "
                    "complete.")).format(universe=localise_value(str(universe), lang)),
        footer=footer_lines(sources, (), lang), lang=lang,
        height=0 if printed else 480,
        axis_band=16,
        margin_left=PRINTED_NAME_MARGIN if printed else 250,
        legend_band=36,  # the years, along the top of the plot
        plot_height=len(labels) * (line * deepest + gap),
    )
    return fig
