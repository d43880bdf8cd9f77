"""Lines over time: one indicator for several scopes (``indicator_lines``), one country's
published counts in small panels (``measure_lines``), and the series every line chart draws
(``add_series``): a line through the upper edge, a band down to the lower edge where a value
is a '<5' range, and a gap where there is no figure, never a zero."""

from __future__ import annotations

import math
from collections.abc import Sequence

import plotly.graph_objects as go
import polars as pl

from indicators.charts.axes import count_dtick, tick_format, value_axis
from indicators.charts.draft import Draft, drawn_figure
from indicators.charts.frame import (
    DASHES,
    GAP_NOTE,
    GRID,
    MUTED,
    PAGE_HEIGHT,
    RANGE_NOTE,
    SERIES_COLOURS,
    SYMBOLS,
    TARGET_LINE,
    TEXT_COLOUR,
    WORLD_COLOUR,
    LineStyle,
    brief_frame,
    esc,
    footer_lines,
    has_ranges,
    indicator_brief,
    indicator_notes,
    labelled,
    rgba,
    series_notes,
    series_style,
    target_label,
    use_plotly_template,
    wrap,
)
from indicators.charts.words import BREAK_HOVER, axis_words, hover, row_name
from indicators.i18n import N_, localise_value, plural_translator, translator
from indicators.measures import MEASURES, Indicator, indicator_meta
from indicators.views import has_target

BREAK_NOTE = N_(
    "Ringed (break?): the count rose or fell more than 3-fold from the year before, a possible "
    "break in the series (a change in what was recorded?); the figure is as published, check "
    "the source."
)
# The ring's legend entry: the words the ring stands for (the ring carries no label of its
# own, which would sit on the markers around it).
BREAK_LEGEND = N_("break?: a possible break in the series")
# A y-axis title longer than this goes on two lines, so that it fits beside a short plot (the
# brief's 175 px) without reaching into the subtitle above or the footer below.
AXIS_TITLE_WRAP = 24
PANEL_TITLE_LINE = 18  # px a line of a small multiple's title takes (13 px bold text)
DEADLINE_WORDS = N_("Deadline")
# One chart draws this many lines besides the world's in colours of their own (the palette's
# size); with more, the first chosen keep their colours and the others are drawn in grey
# (``line_styles``), so no colour is ever used twice in one chart.
COLOURED_LINES = len(SERIES_COLOURS)
CONTEXT_GREY = "#A3A3A3"
# The legend's rows: each entry's height in pixels, and the plot is made at least as tall as
# the legend it stands beside (``indicator_lines``), so no entry is ever cut off.
LEGEND_ROW = 22


def line_styles(scopes: Sequence[str], highlight: Sequence[str] | None = None
                ) -> dict[str, LineStyle | None]:
    """Each scope's line style, or None for a line drawn in grey.

    The world is black. The other scopes take the palette's colours one each, in the order
    given, as long as there are colours; with more scopes than colours, the ``highlight``ed
    ones (by default the first chosen) are coloured and the rest are grey. Colours are never
    reused within a chart; dash and marker change with the position as well, for greyscale."""
    others = [s for s in scopes if s != "WORLD"]
    if len(others) <= COLOURED_LINES:
        coloured = others
    else:
        wanted = [s for s in (highlight or others) if s in others and s != "WORLD"]
        coloured = list(dict.fromkeys(wanted))[:COLOURED_LINES]
    colour_of = {scope: SERIES_COLOURS[i] for i, scope in enumerate(coloured)}
    styles: dict[str, LineStyle | None] = {}
    for index, scope in enumerate(scopes):
        if scope == "WORLD":
            colour: str | None = WORLD_COLOUR
        else:
            colour = colour_of.get(scope)
        styles[scope] = None if colour is None else LineStyle(
            colour, DASHES[index % len(DASHES)], SYMBOLS[index % len(SYMBOLS)])
    return styles


def _runs(years: Sequence[int], lower: Sequence[float | None]) -> list[list[int]]:
    """Index runs of consecutive years that have a figure (gaps split the runs)."""
    runs: list[list[int]] = []
    current: list[int] = []
    for i, (year, lo) in enumerate(zip(years, lower, strict=True)):
        if lo is None:
            if current:
                runs.append(current)
            current = []
            continue
        if current and year != years[current[-1]] + 1:
            runs.append(current)
            current = []
        current.append(i)
    if current:
        runs.append(current)
    return runs


def add_series(
    fig: go.Figure | Draft,
    *,
    years: Sequence[int],
    lower: Sequence[float | None],
    upper: Sequence[float | None],
    hover: Sequence[str],
    name: str,
    style: LineStyle,
    group: str,
    width: float = 2.5,
    marker_size: int = 8,
    showlegend: bool = True,
    where: dict[str, int] | None = None,
    lang: str | None = None,
) -> None:
    """One series: a line through the upper edge, a line through the lower edge where any
    value is a range, a shaded band between them, and nothing at all where there is no figure.

    For exact values lower == upper, so the two edges coincide and the band has no width.
    ``where`` places the traces in one panel of a grid (``row``, ``col``). The range's and
    lower end's trace names in ``lang`` (English by default). The traces are plain dicts, so
    a ``Draft`` takes them as they are.
    """
    _ = translator(lang)
    where = where or {}
    years = list(years)
    lower = list(lower)
    upper = list(upper)
    ranged = has_ranges(lower, upper)
    if ranged:
        for run in _runs(years, lower):
            if not any(lower[i] != upper[i] for i in run):
                continue
            xs = [years[i] for i in run]
            band_y = [upper[i] for i in run] + [lower[i] for i in reversed(run)]
            fig.add_trace(dict(
                type="scatter",
                x=xs + xs[::-1],
                y=band_y,
                fill="toself",
                fillcolor=rgba(style.colour, 0.22),
                line=dict(width=4 if len(run) == 1 else 0, color=rgba(style.colour, 0.5)),
                mode="lines",
                hoverinfo="skip",
                showlegend=False,
                legendgroup=group,
                name=_("{name}: range").format(name=name),
                meta={"role": "range", "scope": group},
            ), **where)
    def edge(values: list[float | None], line_width: float) -> dict:
        """A line through one edge of the series (its upper or its lower end)."""
        return dict(type="scatter", x=years, y=values, mode="lines+markers", connectgaps=False,
                    line=dict(color=style.colour, dash=style.dash, width=line_width),
                    legendgroup=group)

    fig.add_trace(dict(
        edge(upper, width),
        marker=dict(symbol=style.symbol, size=marker_size, color=style.colour,
                    line=dict(width=1, color="white")),
        name=esc(name),
        showlegend=showlegend,
        customdata=list(hover),
        hovertemplate="%{customdata}<extra></extra>",
        meta={"role": "line", "scope": group},
    ), **where)
    if ranged:
        fig.add_trace(dict(
            edge(lower, width * 0.6),
            marker=dict(
                symbol=style.symbol, color=style.colour,
                size=[marker_size if lo is not None and lo != hi else 0
                      for lo, hi in zip(lower, upper, strict=True)],
            ),
            name=_("{name} (lower end)").format(name=esc(name)),
            showlegend=False,
            hoverinfo="skip",
            meta={"role": "lower", "scope": group},
        ), **where)


def indicator_lines_draft(
    data: pl.DataFrame,
    indicator: str,
    *,
    sources: pl.DataFrame,
    baseline_year: int,
    deadline_year: int,
    years: tuple[int, int],
    scale: str = "auto",
    title: str | None = None,
    height: int = PAGE_HEIGHT,
    highlight: Sequence[str] | None = None,
    lang: str | None = None,
) -> Draft:
    """One indicator over time for several scopes (``views.lines_data``), with the target
    line, the baseline year and the deadline marked.

    Every scope is drawn, however many: beyond the palette's colours (``COLOURED_LINES``
    besides the world) the ``highlight``ed scopes, by default the first chosen, keep their
    colours and the others are grey (``line_styles``), drawn underneath. The legend lists
    every line, coloured first, and the chart grows as tall as its legend."""
    _ = translator(lang)
    meta = indicator_meta(indicator)
    fig = Draft()  # plain data: a new selection is not checked property by property
    scopes = list(dict.fromkeys(data["scope"].to_list()))  # in the order chosen
    styles = line_styles(scopes, highlight)
    grey = [s for s in scopes if styles[s] is None]
    # each scope's rows in year order, split once (a few dozen rows: in Python)
    by_scope: dict[str, list[dict]] = {}
    for row in sorted(data.to_dicts(), key=lambda r: (r["year"] is not None, r["year"] or 0)):
        by_scope.setdefault(row["scope"], []).append(row)
    # grey lines first, so the coloured ones are drawn over them; the legend lists the
    # coloured ones first, then the grey, each in the order chosen
    for scope in [*grey, *(s for s in scopes if s not in grey)]:
        index = scopes.index(scope)
        records = by_scope[scope]
        style = styles[scope]
        before = len(fig.data)
        add_series(
            fig,
            years=[r["year"] for r in records],
            lower=[r["lower"] for r in records],
            upper=[r["upper"] for r in records],
            hover=[hover(r, lang) for r in records],
            name=(row_name(records[0], lang) if records else scope)
            + ("" if any(r["lower"] is not None for r in records)
               else " (" + _("no data") + ")"),
            style=style or LineStyle(CONTEXT_GREY, "solid", SYMBOLS[index % len(SYMBOLS)]),
            group=scope,
            width=3.5 if scope == "WORLD" else 2.5 if style else 1.5,
            marker_size=8 if style else 5,
            lang=lang,
        )
        rank = index + (len(scopes) if style is None else 0)
        for trace in fig.data[before:]:
            trace["legendrank"] = 1000 + rank
            trace["meta"] = {**trace.get("meta", {}), "grey": style is None}
    breaks = _add_breaks(fig, data, "year", "upper", lang=lang)
    lows = [v for v in data["lower"].to_list() if v is not None]
    highs = [v for v in data["upper"].to_list() if v is not None]
    # the target line: where a row drawn has one, or on an empty chart of an indicator that
    # has one (SDG 16.2.2 has none to draw)
    target = float(meta.target) if meta.target is not None and (
        data.is_empty() or has_target(data)) else None
    axis = value_axis(lows, highs, target, meta.unit, scale, lang)
    y_range, on_scale = axis.range, axis.target_shown
    # A target at or above every value on a log axis is the axis's top: its line runs along
    # the top of the plot and its label stands above it, in the band a target far above the
    # values takes. (With the axis's usual room over it, the line ran through the year lines'
    # labels along the top of the plot, 'Baseline 2015', 'Deadline 2025', on a page's chart,
    # whose plot is shorter than an export's.)
    target_on_top = bool(axis.kind == "log" and on_scale and target is not None and highs
                         and y_range is not None and target >= max(highs))
    if target_on_top and y_range is not None and target is not None:
        y_range = [y_range[0], math.log10(target)]
    fmt = tick_format(meta.unit, (y_range or [0, 0])[1])
    _target_line(fig, meta, target, on_scale, axis.kind, lang, on_top=target_on_top)
    # a target that holds every year has no deadline to mark (Indicator.deadline); without a
    # target (SDG 16.2.2, the published counts) there is no baseline to mark either
    last_year = max(years[1], deadline_year) if meta.deadline else years[1]
    if meta.deadline:
        fig.add_vline(
            x=deadline_year, line=dict(color=MUTED, dash="dot", width=1.5),
            annotation=dict(text=f"{_(DEADLINE_WORDS)} {deadline_year}",
                            font=dict(size=12, color=MUTED)),
            annotation_position="top left",
        )
    if meta.target is not None and years[0] <= baseline_year <= last_year:
        fig.add_vline(
            x=baseline_year, line=dict(color="#999999", dash="dot", width=1),
            annotation=dict(text=_("Baseline") + f" {baseline_year}",
                            font=dict(size=12, color=MUTED)),
            annotation_position="top right",
        )
    if not highs:
        fig.add_annotation(
            text=esc(_empty_message(indicator, lang)), xref="paper", yref="paper", x=0.5, y=0.5,
            showarrow=False, font=dict(size=15, color=MUTED), align="center",
        )
    fig.update_xaxes(
        range=[years[0] - 0.5, last_year + 0.5], tickformat="d", dtick=2 if
        last_year - years[0] > 8 else 1, showgrid=False, ticks="outside", linecolor="#888",
    )
    fig.update_yaxes(
        title=dict(text=axis_lines(axis_words(indicator, lang)), font=dict(size=14),
                   # a second line of the title stands towards the tick labels: keep it off
                   standoff=10 + 18 * axis_lines(axis_words(indicator, lang)).count("<br>")),
        automargin=True, tickformat=fmt,
        range=y_range, gridcolor=GRID, zeroline=True, zerolinecolor="#888", rangemode="normal",
        type=axis.kind, tickvals=axis.tickvals, ticktext=axis.ticktext,
        dtick=None if axis.kind == "log" else count_dtick(
            indicator_meta(indicator).unit, (y_range[1] if y_range else max(highs) if highs
                                             else None)),
    )
    fig.update_layout(
        legend=dict(orientation="v", x=1.01, xanchor="left", y=1, yanchor="top",
                    font=dict(size=13), itemwidth=40, tracegroupgap=2),
        hovermode="closest",
    )
    legend_rows = len(scopes) + (1 if breaks else 0)
    notes = indicator_notes(data, lang)
    if grey:
        ngettext = plural_translator(lang)
        notes.append(ngettext(
            "{grey} more country or region is drawn in grey (the first {coloured} chosen keep "
            "their colours, so no colour is used twice); the legend names every line, and "
            "hovering over a grey line names it.",
            "{grey} more countries and regions are drawn in grey (the first {coloured} chosen "
            "keep their colours, so no colour is used twice); the legend names every line, and "
            "hovering over a grey line names it.", len(grey)).format(
                grey=len(grey), coloured=COLOURED_LINES))
    if has_ranges(data["lower"].to_list(), data["upper"].to_list()):
        notes.append(RANGE_NOTE)
    notes.append(GAP_NOTE)
    if breaks:
        notes.append(BREAK_NOTE)
    notes.extend(axis.notes)
    span = f"{years[0]}–{years[1]}" if years[0] != years[1] else str(years[0])
    return indicator_brief(
        fig, indicator, title=title or f"{_(meta.title)}, {span}", sources=sources, notes=notes,
        lang=lang, height=height, axis_band=40, margin_right=40,
        legend_band=26 if target_on_top or (target is not None and not on_scale) else 0,
        plot_height=LEGEND_ROW * legend_rows + 20,
    )


indicator_lines = drawn_figure(indicator_lines_draft)


def _target_line(fig: Draft, meta: Indicator, target: float | None, on_scale: bool,
                 kind: str, lang: str | None = None, *, on_top: bool = False) -> None:
    """The target as a dashed line across the chart, labelled; when it is far above the
    values (not on the axis), a label at the top that says so. ``on_top``: the target is the
    top of the value axis (its line the top edge of the plot, its label above the plot)."""
    _ = translator(lang)
    if target is not None and on_top:
        # on the plot's edge, placed on the axis's domain: a line placed by its value there
        # would be clipped to half its width
        fig.add_shape(type="line", line=dict(TARGET_LINE), x0=0, x1=1, xref="x domain",
                      y0=1, y1=1, yref="y domain")
        fig.add_annotation(
            text=target_label(meta, lang), xref="paper", x=0, yref="y domain", y=1,
            xanchor="left", yanchor="bottom", showarrow=False,
            font=dict(size=13, color=TEXT_COLOUR), bgcolor="white",
        )
    elif target is not None and on_scale and kind == "log":
        # on a log axis an annotation's position is in log10 units (a line's is not)
        fig.add_hline(y=target, line=TARGET_LINE)
        fig.add_annotation(
            text=target_label(meta, lang), xref="paper", x=0, yref="y",
            y=math.log10(target), xanchor="left", yanchor="bottom", showarrow=False,
            font=dict(size=13, color=TEXT_COLOUR), bgcolor="white",
        )
    elif target is not None and on_scale:
        fig.add_hline(
            y=target, line=TARGET_LINE,
            annotation=dict(text=target_label(meta, lang), font=dict(size=13, color=TEXT_COLOUR),
                            bgcolor="white"),
            annotation_position="top left",
        )
    elif target is not None:
        fig.add_annotation(
            text="↑ " + labelled(target_label(meta, lang), esc(_("far above the values shown")),
                                 lang),
            xref="paper", yref="paper", x=0, y=1, xanchor="left", yanchor="bottom",
            yshift=6, showarrow=False, font=dict(size=13, color=TEXT_COLOUR),
        )


def axis_lines(title: str) -> str:
    """An axis title escaped, on two lines when it is long (``AXIS_TITLE_WRAP``)."""
    if len(title) <= AXIS_TITLE_WRAP:
        return esc(title)
    return "<br>".join(wrap(title, max(AXIS_TITLE_WRAP, len(title) // 2 + 1)))


def _add_breaks(fig: go.Figure | Draft, data: pl.DataFrame, x: str, y: str,
                lang: str | None = None, **where: int) -> int:
    """Ring every point that is a possible break in its series (``series_break``); the value
    is drawn as published, the legend (or the footer, ``BREAK_NOTE``) says what a ring means.
    A label beside each ring would sit on the neighbouring markers. Returns how many were
    marked."""
    if "series_break" not in data.columns:
        return 0
    marked = [(at, value) for at, value, ringed in zip(
        data[x].to_list(), data[y].to_list(), data["series_break"].to_list(), strict=True)
        if ringed and value is not None]
    if not marked:
        return 0
    fig.add_trace(dict(
        type="scatter", x=[point[0] for point in marked], y=[point[1] for point in marked],
        mode="markers",
        marker=dict(symbol="circle-open", size=18, color=TEXT_COLOUR, line=dict(width=2)),
        name=translator(lang)(BREAK_LEGEND), showlegend=not where, hoverinfo="skip",
        legendrank=5000,
        meta={"role": "break"},
    ), **where)
    return len(marked)


def _empty_message(indicator: str, lang: str | None = None) -> str:
    _ = translator(lang)
    measure = MEASURES.get(indicator)
    if measure:
        return _("No figures yet.") + f" {_(measure.definition)}"
    return _("No figures for these countries and years.")


# -- raw measures --------------------------------------------------------------------------------
def measure_lines(
    data: pl.DataFrame,
    *,
    country_name: str,
    sources: pl.DataFrame,
    years: tuple[int, int],
    height: int | None = None,
    expected: Sequence[str] = (),
    columns: int = 3,
    lang: str | None = None,
) -> go.Figure:
    """One country's published counts over time (``views.measure_series``), one small panel
    per count, each on its own scale from zero, so tens of convictions are not squashed under
    thousands of detected victims. A '<5' figure is a range from 1 to 4; a possible break in a
    series is ringed and labelled, the figure drawn as published. ``expected`` measures with no
    figure are named in the footer; ``columns`` panels a row (the brief puts all in one).
    Its words in ``lang`` (English by default)."""
    from plotly.subplots import make_subplots

    _ = translator(lang)
    measures = data["measure"].unique(maintain_order=True).to_list()
    drawn = [m for m in measures
             if data.filter((pl.col("measure") == m) & pl.col("upper").is_not_null()).height]
    labels = {m: data.filter(pl.col("measure") == m)["label"][0] for m in measures}
    cols = max(1, min(columns, len(drawn)))
    grid_rows = max(1, math.ceil(len(drawn) / cols))
    titles = [wrap(_(labels[m]), 110 // cols if cols > 3 else 60) for m in drawn]
    use_plotly_template()
    fig = make_subplots(
        rows=grid_rows, cols=cols, horizontal_spacing=0.24 / cols,
        vertical_spacing=0.3 / grid_rows,
        subplot_titles=["<b>" + "<br>".join(t) + "</b>" for t in titles] or None,
    )
    xs = list(range(years[0], years[1] + 1))
    breaks = 0
    for index, measure in enumerate(drawn):
        where = {"row": index // cols + 1, "col": index % cols + 1}
        rows = data.filter(pl.col("measure") == measure).sort("year")
        by_year = {r["year"]: r for r in rows.to_dicts()}
        picked = [by_year.get(y) for y in xs]
        add_series(
            fig,
            years=xs,
            lower=[r["lower"] if r else None for r in picked],
            upper=[r["upper"] if r else None for r in picked],
            hover=[
                f"<b>{esc(_(r['label']))}</b>, {r['year']}<br>"
                f"{esc(localise_value(r['value_text'], lang))}"
                + ("<br>" + _(BREAK_HOVER) if r.get("series_break") else "")
                + f"<br>{esc(r['source'])}" if r else "" for r in picked
            ],
            name=_(labels[measure]),
            style=series_style(index),
            group=measure,
            width=2,
            marker_size=6,
            showlegend=False,
            where=where,
            lang=lang,
        )
        breaks += _add_breaks(fig, rows, "year", "upper", lang=lang, **where)
        high = max(v for v in rows["upper"].to_list() if v is not None)
        top = high * 1.25 if high > 0 else 1.0
        fig.update_yaxes(range=[0, top], tickformat=",.0f", gridcolor=GRID,
                         dtick=count_dtick("count", top), rangemode="tozero", **where)
        fig.update_xaxes(range=[years[0] - 0.5, years[1] + 0.5], tickformat="d",
                         dtick=(8 if cols > 3 else 4) if years[1] - years[0] > 8 else 1,
                         tickangle=0, showgrid=False, ticks="outside", linecolor="#888",
                         **where)
    for annotation in fig.layout.annotations:  # the panel titles
        annotation.update(font=dict(size=13, color=TEXT_COLOUR))
    if not drawn:
        fig.update_xaxes(visible=False)
        fig.update_yaxes(visible=False)
        fig.add_annotation(text=esc(_("No published figures for this country.")), xref="paper",
                           yref="paper", x=0.5, y=0.5, showarrow=False,
                           font=dict(size=15, color=MUTED))
    notes = series_notes(data)
    missing = [labels.get(m) or MEASURES[m].label for m in dict.fromkeys([*expected, *measures])
               if m not in drawn]
    if missing and drawn:
        notes.append(_("No figures for:") + " " + "; ".join(_(m).lower() for m in missing) + ".")
    if has_ranges(data["lower"].to_list(), data["upper"].to_list()):
        notes.append(RANGE_NOTE)
    notes.append(GAP_NOTE)
    if breaks:
        notes.append(BREAK_NOTE)
    return brief_frame(
        fig,
        title=_("{name}: published figures, {span}").format(
            name=country_name, span=f"{years[0]}–{years[1]}"),
        subtitle=_("The counts the indicators are built from, as the authorities reported them "
                   "to UNODC (and as uploaded), in people; recorded offences count offences. "
                   "Each panel has its own scale, from zero."),
        footer=footer_lines(sources, notes, lang), lang=lang,
        height=height or 300 + 230 * grid_rows,
        axis_band=40,
        # the first row's panel titles stand above the plots: room for them under the subtitle
        legend_band=PANEL_TITLE_LINE * max((len(t) for t in titles[:cols]), default=0) + 6,
    )
