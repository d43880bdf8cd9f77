"""Brief-ready Plotly figures: one builder per chart, frames in, ``go.Figure`` out.

Every figure explains itself when it leaves the page: a title, a subtitle with the definition
and the target, axis units, a labelled target line, and a footer with the sources, the release
the data are "as of" and the proxy notes. The palette is Okabe-Ito (colour-blind safe); status
is always written (icon and words) as well as coloured; every line has its own dash and marker
so a greyscale print still tells them apart. Missing figures are gaps, never zeros; a value
built on a '<5' figure is a range, drawn as a band or a hatched bar.

The builders are pure: they take the frames from ``indicators.views`` (the exact rows the CSV
download holds) and return a figure; the page shows it, ``figure_export`` writes it as PNG and
SVG, and the unit tests read it.
"""

from __future__ import annotations

import html
import json
import math
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import plotly.graph_objects as go
import polars as pl

from indicators.measures import (
    DATA_SHARING_PROXY_NOTE,
    DENOMINATOR_NOTE,
    MEASURES,
    ONE_IN_BELOW,
    REPORTING_PROXY_NOTE,
    STATUSES,
    format_value,
    indicator_meta,
    one_in,
)
from indicators.views import (
    COVERAGE_STATES,
    axis_title,
    data_as_of,
    formula_words,
    value_hover,
)

# -- palette and styles ------------------------------------------------------------------------
OKABE_ITO: dict[str, str] = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
}
# Yellow is too light for a line on white; it is kept for fills only.
SERIES_COLOURS: tuple[str, ...] = (
    OKABE_ITO["blue"],
    OKABE_ITO["vermillion"],
    OKABE_ITO["bluish_green"],
    OKABE_ITO["reddish_purple"],
    OKABE_ITO["orange"],
    OKABE_ITO["sky_blue"],
)
# Black is kept for the world line, so no other line is black.
WORLD_COLOUR = OKABE_ITO["black"]
DASHES: tuple[str, ...] = ("solid", "dash", "dot", "dashdot", "longdash", "longdashdot")
SYMBOLS: tuple[str, ...] = (
    "circle", "square", "diamond", "triangle-up", "x", "triangle-down", "star", "cross",
)
STATUS_COLOURS: dict[str, str] = {
    "met": OKABE_ITO["blue"],
    "met_on_proxy": OKABE_ITO["bluish_green"],
    "on_track": OKABE_ITO["sky_blue"],
    "off_track": OKABE_ITO["vermillion"],
    "not_met": OKABE_ITO["vermillion"],
    "uncertain": OKABE_ITO["orange"],
    "no_target": "#9E9E9E",
    "no_data": "#E3E3E3",
}
# Light cells get dark text and dark cells light text.
STATUS_TEXT_COLOURS: dict[str, str] = {
    "met": "#FFFFFF", "met_on_proxy": "#000000", "on_track": "#000000", "uncertain": "#000000",
    "off_track": "#FFFFFF", "not_met": "#FFFFFF", "no_target": "#000000", "no_data": "#555555",
}
COVERAGE_COLOURS: dict[str, str] = {
    "missing": "#F2F2F2",
    "suppressed": OKABE_ITO["orange"],
    "estimate": OKABE_ITO["sky_blue"],
    "reported": OKABE_ITO["blue"],
}
COVERAGE_CELL_TEXT: dict[str, str] = {
    "missing": "", "suppressed": "<5", "estimate": "est.", "reported": "",
}
# A light-to-dark blue scale for values on a map: ordered in lightness, so greyscale keeps it.
# Its palest class is still clearly blue: "no data" is white with a grey outline.
MAP_BLUES: tuple[str, ...] = (
    "#C6DBEF", "#9ECAE1", "#6BAED6", "#4292C6", "#2171B5", "#08519C", "#08306B",
)
MAP_NO_DATA = "#FFFFFF"
MAP_NO_DATA_OUTLINE = "#8C8C8C"
MAP_OUTLINE = "#FFFFFF"
MAP_MARKED_OUTLINE = "#000000"
MAP_SPLIT_RANGE = "#A6A6A6"

FONT = "Liberation Sans, Arial, Helvetica, DejaVu Sans, sans-serif"
TEXT_COLOUR = "#222222"
MUTED = "#555555"
GRID = "#E6E6E6"
PAGE_HEIGHT = 640
EXPORT_WIDTH = 1600
EXPORT_HEIGHT = 900
SUBTITLE_WRAP = 140
FOOTER_WRAP = 175
CREDIT = (
    "Chart: Anti-Trafficking Indicators (open source). Indicators of success from Saif & Khan "
    "(2026)."
)
RANGE_NOTE = (
    "Shaded band or hatched bar: a range, because a country reported '<5' (1 to 4); the true "
    "value lies inside it."
)
GAP_NOTE = "A gap in a line is a year without figures, not a zero."
BREAK_NOTE = (
    "Ringed, 'break?': the count rose or fell more than 3-fold from the year before, a possible "
    "break in the series (a change in what was recorded?); the figure is as published, check "
    "the source."
)
LOG_NOTE = "Log scale: each step up the axis is ten times the one below."
LOG_ZERO_NOTE = ("A value of zero cannot be drawn on a log scale: {n} such value(s) are left "
                 "out of the picture (they are in the CSV).")
LOG_CHANGE_NOTE = "A change can be negative, so it is drawn on a linear scale."
CHOSEN_NOTE = "Outlined in black: the countries chosen above."
NO_SOURCE = "Source: none: the database has no figures for this selection."
DEADLINE_WORDS = "Deadline"


def esc(text: object) -> str:
    """Text made literal for Plotly's pseudo-HTML labels ('<5' stays '<5' on screen)."""
    return html.escape(str(text), quote=False)


def wrap(text: str, width: int) -> list[str]:
    """Plain text cut into lines of at most ``width`` characters, each escaped."""
    lines: list[str] = []
    for paragraph in str(text).split("\n"):
        lines.extend(textwrap.wrap(paragraph, width) or [""])
    return [esc(line) for line in lines]


@dataclass(frozen=True)
class LineStyle:
    colour: str
    dash: str
    symbol: str


def series_style(index: int, scope: str | None = None) -> LineStyle:
    """The style of the ``index``-th line: colour, dash and marker all change with the index,
    so no two of the first 24 lines look alike even in greyscale. The world is black."""
    colour = WORLD_COLOUR if scope == "WORLD" else SERIES_COLOURS[index % len(SERIES_COLOURS)]
    return LineStyle(colour, DASHES[index % len(DASHES)], SYMBOLS[index % len(SYMBOLS)])


def _rgba(colour: str, alpha: float) -> str:
    colour = colour.lstrip("#")
    r, g, b = (int(colour[i: i + 2], 16) for i in (0, 2, 4))
    return f"rgba({r},{g},{b},{alpha})"


# -- the brief frame: title, subtitle, footer ---------------------------------------------------
def footer_lines(sources: pl.DataFrame, notes: Sequence[str] = ()) -> list[str]:
    """The footer's paragraphs: sources, the release the data are as of, notes, credit."""
    citations = [
        row.get("citation") or row.get("title") or row.get("id")
        for row in sources.iter_rows(named=True)
    ]
    paragraphs = []
    if citations:
        paragraphs.append("Source: " + "; ".join(c for c in citations if c) + ".")
    else:
        paragraphs.append(NO_SOURCE)
    as_of = data_as_of(sources)
    if as_of:
        paragraphs.append(f"Data as of: {as_of}.")
    for note in notes:
        if note and note not in paragraphs:
            paragraphs.append(note)
    paragraphs.append(CREDIT)
    return paragraphs


def _brief(
    fig: go.Figure,
    *,
    title: str,
    subtitle: str,
    footer: Sequence[str],
    height: int = PAGE_HEIGHT,
    axis_band: int = 48,
    margin_left: int = 80,
    margin_right: int = 40,
    legend_band: int = 0,
) -> go.Figure:
    """Title, subtitle and footer laid out so that they never overlap the plot, at any size.

    The footer hangs a fixed number of pixels under the plot area (``yshift``), so it sits in
    the same place on the page and in a 1600×900 export.
    """
    sub_lines = wrap(subtitle, SUBTITLE_WRAP) if subtitle else []
    foot_lines: list[str] = []
    for paragraph in footer:
        foot_lines.extend(wrap(paragraph, FOOTER_WRAP))
    top = 24 + 30 + 19 * len(sub_lines) + 18 + legend_band
    bottom = axis_band + 16 * len(foot_lines) + 14
    fig.update_layout(
        title=dict(
            text=f"<b>{esc(title)}</b>",
            subtitle=dict(text="<br>".join(sub_lines), font=dict(size=14, color=MUTED)),
            x=0,
            xref="container",
            xanchor="left",
            y=1,
            yref="container",
            yanchor="top",
            pad=dict(t=18, l=12),
            font=dict(size=22, color=TEXT_COLOUR),
        ),
        font=dict(family=FONT, size=14, color=TEXT_COLOUR),
        margin=dict(t=top, b=bottom, l=margin_left, r=margin_right, autoexpand=True),
        height=height,
        paper_bgcolor="white",
        plot_bgcolor="white",
        hoverlabel=dict(font=dict(family=FONT, size=13)),
        meta={"title": title, "subtitle": subtitle, "footer": list(footer)},
    )
    fig.add_annotation(
        text="<br>".join(foot_lines),
        xref="paper",
        yref="paper",
        x=0,
        y=0,
        xanchor="left",
        yanchor="top",
        xshift=-(margin_left - 12),
        yshift=-axis_band,
        align="left",
        showarrow=False,
        font=dict(size=12, color=MUTED),
        name="footer",
    )
    return fig


def indicator_subtitle(indicator: str) -> str:
    meta = indicator_meta(indicator)
    formula = formula_words(indicator)
    definition = meta.short if formula.lower() == meta.short.lower() else \
        f"{meta.short}: {formula}"
    quoted = f" {meta.quoted_from}: “{meta.paper_wording}”." if meta.paper_wording else ""
    return f"{definition}. Target: {meta.target_text}.{quoted}"


def _indicator_notes(data: pl.DataFrame) -> list[str]:
    """The proxy and denominator notes that apply to the rows drawn, once each."""
    notes = []
    proxies = [p for p in data["proxy"].drop_nulls().unique().to_list() if p]
    for rule in (DENOMINATOR_NOTE, REPORTING_PROXY_NOTE, DATA_SHARING_PROXY_NOTE):
        if any(p.startswith(rule) for p in proxies):
            notes.append(rule)
    for p in proxies:
        if not any(p.startswith(r) for r in (DENOMINATOR_NOTE, REPORTING_PROXY_NOTE,
                                             DATA_SHARING_PROXY_NOTE)):
            notes.append(p)
    coverage = coverage_note(data)
    if coverage:
        notes.append(coverage)
    notes.extend(series_notes(data))
    return notes


def series_notes(data: pl.DataFrame) -> list[str]:
    """Which series the values drawn rest on when it is not plain official (a ``series_note``
    column, ``series_views.with_series_note``): 'Victims reported: contributed by Test NGO'."""
    if "series_note" not in data.columns:
        return []
    return [n for n in data["series_note"].drop_nulls().unique(maintain_order=True).to_list()
            if n]


def coverage_note(data: pl.DataFrame) -> str | None:
    """How many countries each world or regional value drawn rests on, so an exported chart
    says it too (a 'World' built from a few countries speaks only for them)."""
    needed = {"scope_type", "countries_counted", "name", "year", "lower"}
    if not needed <= set(data.columns):
        return None
    drawn = data.filter(pl.col("scope_type").is_in(["world", "region"])
                        & pl.col("lower").is_not_null())
    if drawn.is_empty():
        return None
    parts = []
    for name, rows in drawn.sort("year").group_by("name", maintain_order=True):
        counts = rows["countries_counted"]
        fewest = rows.filter(pl.col("countries_counted") == counts.min()).row(-1, named=True)
        if counts.min() == counts.max():
            parts.append(f"{name[0]}: {counts.min()} countr{'y' if counts.min() == 1 else 'ies'}")
        else:
            parts.append(f"{name[0]}: {counts.min()} to {counts.max()} countries a year "
                         f"(fewest in {fewest['year']})")
    return ("World and regional values add up only the countries with figures that year. "
            + "; ".join(parts) + ".")


def _has_ranges(lower: Sequence[float | None], upper: Sequence[float | None]) -> bool:
    return any(lo is not None and hi is not None and lo != hi
               for lo, hi in zip(lower, upper, strict=True))


def _exact_share(row: dict) -> str:
    """The percent behind a '1 in N' label, for hover text; '' when the label is a percent."""
    try:
        unit = indicator_meta(str(row.get("indicator"))).unit
    except KeyError:
        return ""
    if not str(row.get("value_text", "")).startswith("1 in"):
        return ""
    return value_hover(row, unit)


# -- axis formats --------------------------------------------------------------------------------
def tick_format(unit: str, high: float | None) -> str:
    """d3 format for an axis whose largest value is ``high``."""
    if unit == "share":
        top = abs(high or 0)
        digits = 0 if top >= 0.1 else 1 if top >= 0.01 else 2 if top >= 0.001 else 3
        return f".{digits}%"
    if unit == "change":
        return "+.0%"
    if unit == "per_100k":
        return ",.2~f" if abs(high or 0) >= 0.1 else ",.4~f"
    return ",.0f"


def count_dtick(unit: str, high: float | None) -> int | None:
    """Whole-number steps on a small count axis (plotly would label 0, 1, 1, 2 … at 0.5s)."""
    if unit == "count" and high is not None and high <= 10:
        return 1
    return None


def _value_axis(
    lows: Sequence[float], highs: Sequence[float], target: float | None, unit: str, scale: str
) -> tuple[list[float] | None, bool]:
    """The value axis range and whether the target is on it.

    ``scale``: 'target' always includes the target; 'data' fits the data; 'auto' includes the
    target unless it is more than three times the largest value (then the data would be a flat
    line at the bottom, and the chart says where the target is instead).
    """
    if not highs:
        if target is None:
            return None, False
        top = target * 1.15 if target > 0 else (1.0 if unit in ("share", "change") else 10.0)
        return [min(0.0, target), top], True
    low = min(0.0, min(lows))
    high = max(highs)
    include = target is not None and (
        scale == "target"
        or (scale == "auto" and (target <= 0 or high <= 0 or target <= 3 * high))
    )
    if include and target is not None:
        high = max(high, target)
        low = min(low, target)
    span = (high - low) or abs(high) or 1.0
    return [low - (0.02 * span if low < 0 else 0), high + 0.08 * span], include


# Automatic scale: a log axis when the values drawn span more than this ratio (two orders of
# magnitude), so a country at 0.07% is not flattened onto the zero line under one at 8.7%.
LOG_SPAN = 100.0


@dataclass(frozen=True)
class ValueAxis:
    """A value axis: its range (log10 units on a log axis), whether the target is on it, its
    type, tick values and words (None: Plotly's own), and notes for the footer."""

    range: list[float] | None
    target_shown: bool
    kind: str = "linear"
    tickvals: list[float] | None = None
    ticktext: list[str] | None = None
    notes: tuple[str, ...] = ()


def axis_kind(lows: Sequence[float], highs: Sequence[float], unit: str, scale: str) -> str:
    """'log' or 'linear'. 'log' when asked for (and a value is above zero), or on 'auto' when
    every value is above zero and the largest is more than LOG_SPAN times the smallest. A
    change can be negative: always linear."""
    if unit == "change" or scale not in ("auto", "log"):
        return "linear"
    positive = [v for v in (*lows, *highs) if v > 0]
    if not positive:
        return "linear"
    if scale == "log":
        return "log"
    if any(v <= 0 for v in lows):
        return "linear"
    return "log" if max(positive) / min(positive) > LOG_SPAN else "linear"


def tick_text(value: float, unit: str) -> str:
    """An axis tick in the words the values use: '1 in 1,000', '10%', '2,000'."""
    if unit == "share":
        if value <= 0:
            return "0"
        return f"1 in {one_in(value):,}" if value < ONE_IN_BELOW else f"{value * 100:g}%"
    if unit == "change":
        return f"{value * 100:+g}%"
    return f"{value:,.0f}" if value >= 1 else f"{value:g}"


def _log_ticks(low: float, high: float, unit: str) -> tuple[list[float], list[str]]:
    first, last = math.floor(math.log10(low)), math.ceil(math.log10(high))
    decades = [10.0 ** k for k in range(first, last + 1)]
    values = decades if last - first > 3 else sorted({d * m for d in decades for m in (1, 2, 5)})
    values = [v for v in values if low / 1.4 <= v <= high * 1.4]
    return values, [tick_text(v, unit) for v in values]


def _linear_share_ticks(axis_range: list[float]) -> tuple[list[float] | None, list[str] | None]:
    """Ticks for a share axis that stays under 1%: in '1 in N' words."""
    low, high = axis_range
    if high >= ONE_IN_BELOW or high <= 0:
        return None, None
    step = _nice((high - max(low, 0.0)) / 5)
    values = [i * step for i in range(0, int(high / step) + 1)]
    return values, [tick_text(v, "share") for v in values]


def value_axis(lows: Sequence[float], highs: Sequence[float], target: float | None, unit: str,
               scale: str) -> ValueAxis:
    """The value axis for ``scale`` ('auto', 'target', 'data' or 'log'; see ``axis_kind``)."""
    notes: list[str] = []
    if scale == "log" and unit == "change":
        notes.append(LOG_CHANGE_NOTE)
    if highs and axis_kind(lows, highs, unit, scale) == "log":
        positive = [v for v in (*lows, *highs) if v > 0]
        low, high = min(positive), max(positive)
        shown = target is not None and target > 0
        if shown and target is not None:
            low, high = min(low, target), max(high, target)
        zeros = sum(1 for v in lows if v <= 0)
        if zeros:
            notes.append(LOG_ZERO_NOTE.format(n=zeros))
        notes.append(LOG_NOTE)
        values, words = _log_ticks(low, high, unit)
        return ValueAxis([math.log10(low) - 0.15, math.log10(high) + 0.15], shown, "log",
                         values, words, tuple(notes))
    axis_range, shown = _value_axis(lows, highs, target, unit, scale)
    values, words = (_linear_share_ticks(axis_range) if unit == "share" and axis_range
                     else (None, None))
    return ValueAxis(axis_range, shown, "linear", values, words, tuple(notes))


# -- line charts ---------------------------------------------------------------------------------
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


def _add_series(
    fig: go.Figure,
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
) -> None:
    """One series: a line through the upper edge, a line through the lower edge where any
    value is a range, a shaded band between them, and nothing at all where there is no figure.

    For exact values lower == upper, so the two edges coincide and the band has no width.
    ``where`` places the traces in one panel of a grid (``row``, ``col``).
    """
    where = where or {}
    years = list(years)
    lower = list(lower)
    upper = list(upper)
    ranged = _has_ranges(lower, upper)
    if ranged:
        for run in _runs(years, lower):
            if not any(lower[i] != upper[i] for i in run):
                continue
            xs = [years[i] for i in run]
            band_y = [upper[i] for i in run] + [lower[i] for i in reversed(run)]
            fig.add_trace(go.Scatter(
                x=xs + xs[::-1],
                y=band_y,
                fill="toself",
                fillcolor=_rgba(style.colour, 0.22),
                line=dict(width=4 if len(run) == 1 else 0, color=_rgba(style.colour, 0.5)),
                mode="lines",
                hoverinfo="skip",
                showlegend=False,
                legendgroup=group,
                name=f"{name}: range",
                meta={"role": "range", "scope": group},
            ), **where)
    fig.add_trace(go.Scatter(
        x=years,
        y=upper,
        mode="lines+markers",
        connectgaps=False,
        line=dict(color=style.colour, dash=style.dash, width=width),
        marker=dict(symbol=style.symbol, size=marker_size, color=style.colour,
                    line=dict(width=1, color="white")),
        name=esc(name),
        legendgroup=group,
        showlegend=showlegend,
        customdata=list(hover),
        hovertemplate="%{customdata}<extra></extra>",
        meta={"role": "line", "scope": group},
    ), **where)
    if ranged:
        fig.add_trace(go.Scatter(
            x=years,
            y=lower,
            mode="lines+markers",
            connectgaps=False,
            line=dict(color=style.colour, dash=style.dash, width=width * 0.6),
            marker=dict(
                symbol=style.symbol, color=style.colour,
                size=[marker_size if lo is not None and lo != hi else 0
                      for lo, hi in zip(lower, upper, strict=True)],
            ),
            name=f"{esc(name)} (lower end)",
            legendgroup=group,
            showlegend=False,
            hoverinfo="skip",
            meta={"role": "lower", "scope": group},
        ), **where)


def _hover(row: dict, unit_note: str = "") -> str:
    exact = _exact_share(row)
    value = esc(row["value_text"]) + (f" ({esc(exact)})" if exact else "")
    parts = [f"<b>{esc(row['name'])}</b>, {row['year']}", value]
    if row.get("status_text"):
        parts.append(esc(row["status_text"]))
    if row.get("trend") and row["trend"] != "none":
        parts.append(f"Trend since the baseline: {esc(row['trend'])}")
    if row.get("series_break"):
        parts.append("Possible break in the series (check the source)")
    if row.get("countries_counted") and row.get("scope_type") != "country":
        parts.append(f"{row['countries_counted']} countries with figures")
    if row.get("note"):
        parts.append(esc(row["note"]))
    if unit_note:
        parts.append(unit_note)
    return "<br>".join(parts)


def indicator_lines(
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
) -> go.Figure:
    """One indicator over time for several scopes (``views.lines_data``), with the target
    line, the baseline year and the deadline marked."""
    meta = indicator_meta(indicator)
    fig = go.Figure()
    scopes = data["scope"].unique(maintain_order=True).to_list()
    for index, scope in enumerate(scopes):
        rows = data.filter(pl.col("scope") == scope).sort("year")
        records = rows.to_dicts()
        _add_series(
            fig,
            years=rows["year"].to_list(),
            lower=rows["lower"].to_list(),
            upper=rows["upper"].to_list(),
            hover=[_hover(r) for r in records],
            name=(records[0]["name"] if records else scope)
            + ("" if rows["lower"].drop_nulls().len() else " (no data)"),
            style=series_style(index, scope),
            group=scope,
            width=3.5 if scope == "WORLD" else 2.5,
        )
    breaks = _add_breaks(fig, data, "year", "upper")
    lows = [v for v in data["lower"].to_list() if v is not None]
    highs = [v for v in data["upper"].to_list() if v is not None]
    has_target = data.is_empty() or data["target"].drop_nulls().len() > 0
    target = float(meta.target) if has_target else None
    axis = value_axis(lows, highs, target, meta.unit, scale)
    y_range, on_scale = axis.range, axis.target_shown
    fmt = tick_format(meta.unit, (y_range or [0, 0])[1])
    if target is not None and on_scale and axis.kind == "log":
        # on a log axis an annotation's position is in log10 units (a line's is not)
        fig.add_hline(y=target, line=dict(color=TEXT_COLOUR, dash="dash", width=1.5))
        fig.add_annotation(
            text=f"<b>Target</b>: {esc(meta.target_text)}", xref="paper", x=0, yref="y",
            y=math.log10(target), xanchor="left", yanchor="bottom", showarrow=False,
            font=dict(size=13, color=TEXT_COLOUR), bgcolor="white",
        )
    elif target is not None and on_scale:
        fig.add_hline(
            y=target, line=dict(color=TEXT_COLOUR, dash="dash", width=1.5),
            annotation=dict(text=f"<b>Target</b>: {esc(meta.target_text)}",
                            font=dict(size=13, color=TEXT_COLOUR), bgcolor="white"),
            annotation_position="top left",
        )
    elif target is not None:
        fig.add_annotation(
            text=f"↑ <b>Target</b>: {esc(meta.target_text)}: far above the values shown",
            xref="paper", yref="paper", x=0, y=1, xanchor="left", yanchor="bottom",
            yshift=6, showarrow=False, font=dict(size=13, color=TEXT_COLOUR),
        )
    # a target that holds every year has no deadline to mark (Indicator.deadline); without a
    # target (SDG 16.2.2, the published counts) there is no baseline to mark either
    last_year = max(years[1], deadline_year) if meta.deadline else years[1]
    if meta.deadline:
        fig.add_vline(
            x=deadline_year, line=dict(color=MUTED, dash="dot", width=1.5),
            annotation=dict(text=f"{DEADLINE_WORDS} {deadline_year}",
                            font=dict(size=12, color=MUTED)),
            annotation_position="top left",
        )
    if meta.target is not None and years[0] <= baseline_year <= last_year:
        fig.add_vline(
            x=baseline_year, line=dict(color="#999999", dash="dot", width=1),
            annotation=dict(text=f"Baseline {baseline_year}", font=dict(size=12, color=MUTED)),
            annotation_position="top right",
        )
    if not highs:
        fig.add_annotation(
            text=esc(_empty_message(indicator)), xref="paper", yref="paper", x=0.5, y=0.5,
            showarrow=False, font=dict(size=15, color=MUTED), align="center",
        )
    fig.update_xaxes(
        range=[years[0] - 0.5, last_year + 0.5], tickformat="d", dtick=2 if
        last_year - years[0] > 8 else 1, showgrid=False, ticks="outside", linecolor="#888",
    )
    fig.update_yaxes(
        title=dict(text=esc(axis_title(indicator)), font=dict(size=14)), tickformat=fmt,
        range=y_range, gridcolor=GRID, zeroline=True, zerolinecolor="#888", rangemode="normal",
        type=axis.kind, tickvals=axis.tickvals, ticktext=axis.ticktext,
        dtick=None if axis.kind == "log" else count_dtick(
            indicator_meta(indicator).unit, (y_range[1] if y_range else max(highs) if highs
                                             else None)),
    )
    fig.update_layout(
        legend=dict(orientation="v", x=1.01, xanchor="left", y=1, yanchor="top",
                    font=dict(size=13), itemwidth=40),
        hovermode="closest",
    )
    notes = _indicator_notes(data)
    if _has_ranges(data["lower"].to_list(), data["upper"].to_list()):
        notes.append(RANGE_NOTE)
    notes.append(GAP_NOTE)
    if breaks:
        notes.append(BREAK_NOTE)
    notes.extend(axis.notes)
    span = f"{years[0]}–{years[1]}" if years[0] != years[1] else str(years[0])
    return _brief(
        fig,
        title=title or f"{meta.title}, {span}",
        subtitle=indicator_subtitle(indicator),
        footer=footer_lines(sources, notes),
        height=height,
        axis_band=40,
        margin_right=40,
        legend_band=0 if on_scale or target is None else 26,
    )


def _add_breaks(fig: go.Figure, data: pl.DataFrame, x: str, y: str, **where: int) -> int:
    """Ring every point that is a possible break in its series (``series_break``) and label it
    'break?'; the value is drawn as published. Returns how many were marked."""
    if "series_break" not in data.columns:
        return 0
    marked = data.filter(pl.col("series_break").fill_null(False) & pl.col(y).is_not_null())
    if marked.is_empty():
        return 0
    fig.add_trace(go.Scatter(
        x=marked[x].to_list(), y=marked[y].to_list(), mode="markers+text",
        marker=dict(symbol="circle-open", size=18, color=TEXT_COLOUR, line=dict(width=2)),
        text=["break?"] * marked.height, textposition="top center",
        textfont=dict(size=11, color=TEXT_COLOUR),
        name="Possible break in the series", showlegend=not where, hoverinfo="skip",
        meta={"role": "break"},
    ), **where)
    return marked.height


def _empty_message(indicator: str) -> str:
    measure = MEASURES.get(indicator)
    if measure:
        return f"No figures yet. {measure.definition}"
    return "No figures for these countries and years."


# -- ranking bars --------------------------------------------------------------------------------
def ranking_bars(
    data: pl.DataFrame,
    indicator: str,
    *,
    sources: pl.DataFrame,
    year: int,
    scale: str = "auto",
    title: str | None = None,
    height: int | None = None,
) -> go.Figure:
    """One indicator in one year, highest first (``views.ranking_data``). A range is a hatched
    bar from its lower to its upper end; a scope without data is listed as 'no data'."""
    meta = indicator_meta(indicator)
    fig = go.Figure()
    names = data["name"].to_list()
    lows = [v for v in data["lower"].to_list() if v is not None]
    highs = [v for v in data["upper"].to_list() if v is not None]
    has_target = data["target"].drop_nulls().len() > 0
    target = float(meta.target) if has_target else None
    axis = value_axis(lows, highs, target, meta.unit, scale)
    zero = None if axis.kind == "log" else 0  # a log axis has no zero: bars rise from its foot
    for status in STATUSES:
        rows = data.filter(pl.col("status") == status)
        if rows.is_empty():
            continue
        icon, words = STATUSES[status][1], STATUSES[status][0]
        if status == "no_data":
            fig.add_trace(go.Bar(
                orientation="h", x=[None] * rows.height, y=[esc(n) for n in rows["name"]],
                name=f"{icon} {esc(words)}", marker=dict(color=STATUS_COLOURS[status]),
                hoverinfo="skip", meta={"role": "no_data"},
            ))
            continue
        exact = rows.filter(pl.col("value").is_not_null())
        ranged = rows.filter(pl.col("value").is_null() & pl.col("lower").is_not_null())
        colour = STATUS_COLOURS[status]
        if not exact.is_empty():
            fig.add_trace(go.Bar(
                orientation="h",
                x=exact["value"].to_list(),
                y=[esc(n) for n in exact["name"]],
                base=zero,
                name=f"{icon} {esc(words)}",
                legendgroup=status,
                marker=dict(color=colour, line=dict(color="#333333", width=0.5)),
                text=[_bar_label(r, icon) for r in exact.to_dicts()],
                textposition="outside",
                cliponaxis=False,
                customdata=[_hover(r) for r in exact.to_dicts()],
                hovertemplate="%{customdata}<extra></extra>",
                meta={"role": "value"},
            ))
        if not ranged.is_empty():
            # The value is at least the lower end (solid) and at most the upper end (hatched).
            lows, highs = ranged["lower"].to_list(), ranged["upper"].to_list()
            hover = [_hover(r) for r in ranged.to_dicts()]
            labels = [esc(n) for n in ranged["name"]]
            fig.add_trace(go.Bar(
                orientation="h",
                x=lows,
                y=labels,
                base=zero,
                name=f"{icon} {esc(words)}",
                legendgroup=status,
                showlegend=exact.is_empty(),
                marker=dict(color=colour, line=dict(color="#333333", width=0.5)),
                customdata=hover,
                hovertemplate="%{customdata}<extra></extra>",
                meta={"role": "range_floor"},
            ))
            fig.add_trace(go.Bar(
                orientation="h",
                x=[hi - lo for lo, hi in zip(lows, highs, strict=True)],
                y=labels,
                base=lows,
                name="Range: a '<5' figure (1 to 4)",
                legendgroup="range",
                showlegend=True,
                marker=dict(color=_rgba(colour, 0.35), line=dict(color=colour, width=1.5),
                            pattern=dict(shape="/", fgcolor=colour, solidity=0.5)),
                text=[_bar_label(r, icon) for r in ranged.to_dicts()],
                textposition="outside",
                cliponaxis=False,
                customdata=hover,
                hovertemplate="%{customdata}<extra></extra>",
                meta={"role": "range"},
            ))
    x_range, on_scale = axis.range, axis.target_shown
    if x_range is not None:
        # room for the value labels to the right of the longest bar
        room = 0.6 if axis.kind == "log" else 0.22 * (x_range[1] - x_range[0])
        x_range = [x_range[0], x_range[1] + room]
    if target is not None and on_scale and axis.kind == "log":
        fig.add_vline(x=target, line=dict(color=TEXT_COLOUR, dash="dash", width=1.5))
        fig.add_annotation(
            text=f"<b>Target</b>: {esc(meta.target_text)}", xref="x", x=math.log10(target),
            yref="paper", y=0, xanchor="left", yanchor="bottom", showarrow=False,
            font=dict(size=13), bgcolor="white",
        )
    elif target is not None and on_scale:
        fig.add_vline(
            x=target, line=dict(color=TEXT_COLOUR, dash="dash", width=1.5),
            annotation=dict(text=f"<b>Target</b>: {esc(meta.target_text)}",
                            font=dict(size=13), bgcolor="white"),
            annotation_position="bottom right",
        )
    elif target is not None:
        fig.add_annotation(
            text=f"→ <b>Target</b>: {esc(meta.target_text)}: far beyond the values shown",
            xref="paper", yref="paper", x=1, y=0.01, xanchor="right", yanchor="bottom",
            showarrow=False, font=dict(size=13), bgcolor="white",
        )
    for name in data.filter(pl.col("status") == "no_data")["name"].to_list():
        fig.add_annotation(
            text="no data", x=0, y=esc(name), xref="x", yref="y", xanchor="left",
            xshift=6, showarrow=False, font=dict(size=13, color=MUTED),
        )
    fig.update_xaxes(
        title=dict(text=esc(axis_title(indicator))), tickformat=tick_format(
            meta.unit, (x_range or [0, 0])[1]), range=x_range, gridcolor=GRID,
        zeroline=True, zerolinecolor="#888", type=axis.kind, tickvals=axis.tickvals,
        ticktext=axis.ticktext,
        dtick=None if axis.kind == "log" else count_dtick(
            meta.unit, x_range[1] if x_range else max(highs, default=None)),
    )
    fig.update_yaxes(
        categoryorder="array", categoryarray=[esc(n) for n in names], autorange="reversed",
        automargin=True, ticks="", ticklabelstandoff=8,
    )
    fig.update_layout(
        barmode="overlay", bargap=0.3,
        legend=dict(orientation="h", x=0, xanchor="left", y=1.0, yanchor="bottom",
                    font=dict(size=13), yref="paper"),
    )
    notes = _indicator_notes(data)
    if _has_ranges(data["lower"].to_list(), data["upper"].to_list()):
        notes.append(RANGE_NOTE)
    if data["series_break"].fill_null(False).any() if "series_break" in data.columns else False:
        notes.append(BAR_BREAK_NOTE)
    notes.extend(axis.notes)
    longest = max((len(n) for n in names), default=10)
    return _brief(
        fig,
        title=title or f"{meta.title} in {year}",
        subtitle=indicator_subtitle(indicator),
        footer=footer_lines(sources, notes),
        height=height or max(PAGE_HEIGHT, 44 * len(names) + 330),
        axis_band=72,
        margin_left=min(260, 20 + 8 * longest),
        legend_band=34,
    )


BAR_BREAK_NOTE = (
    "'break?' after a value: the count behind it rose or fell more than 3-fold from the year "
    "before, a possible break in the series; the figure is as published (check the source)."
)


def _bar_label(row: dict, icon: str) -> str:
    """A bar's label: its value as people say it, its status icon, and 'break?' where the
    count behind it is a possible break in the series."""
    label = f"{esc(row['value_text'])}  {icon}"
    return label + "  break?" if row.get("series_break") else label


# -- maps ----------------------------------------------------------------------------------------
def read_geojson(path: str | Path, *, tolerance: float = 0.0) -> dict:
    """The world's country shapes (features with id = ISO3).

    ``tolerance`` (degrees) simplifies every ring for drawing (``simplify_geojson``); the file
    itself stays as published.
    """
    geojson = json.loads(Path(path).read_text(encoding="utf-8"))
    return simplify_geojson(geojson, tolerance) if tolerance > 0 else geojson


# A 1600 px wide map spans about 360 degrees of longitude, 0.22 degrees a pixel: a point less
# than a pixel from the line through its neighbours, or a hundredth of a degree, cannot be seen.
# Simplified so, the shapes are half the JSON every visitor's browser receives and draws.
MAP_TOLERANCE = 0.2
MAP_DECIMALS = 2


def _simplify_line(points: list[list[float]], tolerance: float) -> list[list[float]]:
    """Douglas-Peucker: the fewest points whose line stays within ``tolerance`` of all."""
    if len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (x1, y1), (x2, y2) = points[first], points[last]
        dx, dy = x2 - x1, y2 - y1
        length = math.hypot(dx, dy)
        farthest, distance = first, -1.0
        for i in range(first + 1, last):
            px, py = points[i]
            d = (abs(dy * px - dx * py + x2 * y1 - y2 * x1) / length if length
                 else math.hypot(px - x1, py - y1))
            if d > distance:
                farthest, distance = i, d
        if distance > tolerance:
            keep[farthest] = True
            stack.extend(((first, farthest), (farthest, last)))
    return [p for p, kept in zip(points, keep, strict=True) if kept]


def _rounded(ring: list[list[float]]) -> list[list[float]]:
    """A ring with coordinates rounded to MAP_DECIMALS and repeated points dropped."""
    out: list[list[float]] = []
    for x, y in ring:
        point = [round(x, MAP_DECIMALS), round(y, MAP_DECIMALS)]
        if not out or out[-1] != point:
            out.append(point)
    return out


def _simplify_ring(ring: list[list[float]], tolerance: float) -> list[list[float]] | None:
    """A closed ring simplified; None when it shrinks below a triangle (too small to see)."""
    if len(ring) < 5:
        return _rounded(ring)
    # Split a closed ring at its farthest point from the start, so both halves are lines.
    start = ring[0]
    far = max(range(len(ring)), key=lambda i: math.hypot(ring[i][0] - start[0],
                                                         ring[i][1] - start[1]))
    half = _simplify_line(ring[: far + 1], tolerance)
    rest = _simplify_line(ring[far:], tolerance)
    simplified = _rounded(half[:-1] + rest)
    return simplified if len(simplified) >= 4 else None


def simplify_geojson(geojson: dict, tolerance: float = MAP_TOLERANCE) -> dict:
    """Country shapes with every ring simplified to what the map can show at 1600 px.

    A country's first (largest) polygon is always kept, so no country disappears; smaller
    islands and holes that shrink below a triangle are dropped.
    """
    features = []
    for feature in geojson.get("features", []):
        geometry = feature.get("geometry") or {}
        kind = geometry.get("type")
        polygons = ([geometry["coordinates"]] if kind == "Polygon"
                    else geometry.get("coordinates", []) if kind == "MultiPolygon" else None)
        if polygons is None:
            features.append(feature)
            continue
        kept = []
        for index, polygon in enumerate(polygons):
            rings = [_simplify_ring(ring, tolerance) for ring in polygon]
            if rings and rings[0] is None:
                if index or kept:
                    continue
                rings[0] = _rounded(polygon[0])  # never lose a whole country
            kept.append([r for r in rings if r is not None])
        new_geometry = ({"type": "Polygon", "coordinates": kept[0]} if len(kept) == 1
                        else {"type": "MultiPolygon", "coordinates": kept})
        features.append({**feature, "geometry": new_geometry})
    return {**geojson, "features": features}


def _ring_centroid(ring: Sequence[Sequence[float]]) -> tuple[float, float, float]:
    """Centre and bounding-box area of one polygon ring (good enough to place a label)."""
    xs = [p[0] for p in ring]
    ys = [p[1] for p in ring]
    area = (max(xs) - min(xs)) * (max(ys) - min(ys))
    return (sum(xs) / len(xs), sum(ys) / len(ys), area)


_CENTROIDS: dict[int, tuple[dict, dict[str, tuple[float, float, float]]]] = {}


def _centroids_of(geojson: dict) -> dict[str, tuple[float, float, float]]:
    centres = {}
    for feature in geojson.get("features", []):
        geometry = feature.get("geometry") or {}
        polygons = (
            [geometry["coordinates"]] if geometry.get("type") == "Polygon"
            else geometry.get("coordinates", [])
        )
        best = None
        for polygon in polygons:
            if polygon and polygon[0]:
                candidate = _ring_centroid(polygon[0])
                if best is None or candidate[2] > best[2]:
                    best = candidate
        if best is not None:
            centres[str(feature.get("id"))] = best
    return centres


def centroids(geojson: dict) -> dict[str, tuple[float, float, float]]:
    """ISO3 → (lon, lat, size) of each country's largest polygon (remembered per object: the
    pages pass the same cached GeoJSON every time)."""
    cached = _CENTROIDS.get(id(geojson))
    if cached is not None and cached[0] is geojson:
        return cached[1]
    centres = _centroids_of(geojson)
    if len(_CENTROIDS) > 8:
        _CENTROIDS.clear()
    _CENTROIDS[id(geojson)] = (geojson, centres)
    return centres


def _nice(value: float) -> float:
    """A round number close to ``value`` (1, 2 or 5 times a power of ten)."""
    if value <= 0:
        return 0.0
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 5, 10):
        if value <= step * power * 1.0000001:
            return step * power
    return 10 * power


# Class breaks for a share on the map: every class up to the target, on a scale a reader can say
# aloud (1 in 10,000; 1 in 1,000; 1%; 5%; 10%), so 8.7%, 13.3% and 1% never look alike.
SHARE_BREAKS: tuple[float, ...] = (0.0001, 0.001, 0.01, 0.05, 0.10)
COUNT_BREAKS: tuple[float, ...] = (1, 5, 10)


def value_bins(values: Sequence[float], target: float | None, unit: str) -> list[float]:
    """The map's class breaks: fixed, round steps that always reach the target (its class is
    the last: '20% or more (target)'). Shares step by orders of magnitude, then 5% and 10%;
    a change steps 0, half the target, the target; a count with a target of zero 1, 5, 10.
    Leading classes that no value falls in are merged, so the palest colour is used."""
    clean = sorted(v for v in values if v is not None)
    if not clean:
        return []
    if unit == "share" and target:
        breaks = [b for b in SHARE_BREAKS if b < target] + [target]
    elif unit == "change" and target:
        breaks = [0.0, target / 2, target]
    elif unit == "count" and not target:
        breaks = list(COUNT_BREAKS)
    else:
        breaks = [target] if target else []
    while len(breaks) > 1 and not any(v < breaks[0] for v in clean):
        breaks.pop(0)
    return breaks


def _bin_labels(breaks: Sequence[float], unit: str, target: float | None) -> list[str]:
    if not breaks:
        return ["All values"]
    fmt = [_break_text(b, unit) for b in breaks]
    if unit == "count" and not target and breaks[0] == 1:
        labels = ["0 (target)"]
        labels.extend(f"{breaks[i]:,.0f}–{breaks[i + 1] - 1:,.0f}"
                      for i in range(len(breaks) - 1))
        return [*labels, f"{fmt[-1]} or more"]
    labels = [f"a fall (under {fmt[0]})" if unit == "change" and breaks[0] == 0
              else f"under {fmt[0]}"]
    labels.extend(f"{fmt[i]} to under {fmt[i + 1]}" for i in range(len(breaks) - 1))
    last = f"{fmt[-1]} or more"
    if target is not None and breaks[-1] == target:
        last += " (target)"
    labels.append(last)
    return labels


def _break_text(value: float, unit: str) -> str:
    """A round break point as short text: 1 in 10,000, 5%, +50%, 1,000."""
    if unit == "share":
        return tick_text(value, unit)
    if unit == "change":
        return "0%" if value == 0 else f"{value * 100:+.4g}%"
    return f"{value:,.4g}"


def _bin_of(value: float, breaks: Sequence[float]) -> int:
    for i, b in enumerate(breaks):
        if value < b:
            return i
    return len(breaks)


def world_map(
    data: pl.DataFrame,
    indicator: str,
    *,
    geojson: dict,
    sources: pl.DataFrame,
    year: int,
    first_year: int,
    mode: str = "value",
    title: str | None = None,
    height: int = PAGE_HEIGHT,
    marked: Sequence[str] = (),
) -> go.Figure:
    """Each country's latest figure up to ``year`` (``views.latest_figures``), by value group
    or by status. Countries without a figure are 'No data' (white, outlined in grey), never
    the lowest group. In status mode every country also carries its status icon. ``marked``
    countries (the ones chosen on the page) are outlined in black."""
    meta = indicator_meta(indicator)
    ids = {str(f.get("id")) for f in geojson.get("features", [])}
    rows = data.filter(pl.col("scope").is_in(list(ids)))
    fig = go.Figure()
    categories: list[tuple[str, str, pl.DataFrame, str]] = []  # label, colour, rows, status
    if mode == "status":
        for status, (words, icon) in STATUSES.items():
            part = rows.filter(pl.col("status") == status)
            if not part.is_empty():
                categories.append((f"{icon} {words}", STATUS_COLOURS[status], part, status))
    else:
        has_data = rows.filter(pl.col("lower").is_not_null())
        no_data = rows.filter(pl.col("lower").is_null())
        if meta.unit == "count" and indicator == "data_sharing_countries":
            categories.append(("Shares data (1)", OKABE_ITO["blue"],
                               has_data.filter(pl.col("lower") >= 1), "value"))
            categories.append(("Does not share data (0)", OKABE_ITO["orange"],
                               has_data.filter(pl.col("upper") < 1), "value"))
        else:
            target = float(meta.target) if data["target"].drop_nulls().len() else None
            exact = has_data.filter(pl.col("value").is_not_null())["value"].to_list()
            breaks = value_bins(exact or has_data["lower"].to_list(), target, meta.unit)
            labels = _bin_labels(breaks, meta.unit, target)
            colours = _bin_colours(len(labels))
            assigned: dict[int, list[str]] = {i: [] for i in range(len(labels))}
            split: list[str] = []
            for r in has_data.iter_rows(named=True):
                lo, hi = _bin_of(r["lower"], breaks), _bin_of(r["upper"], breaks)
                if lo == hi:
                    assigned[lo].append(r["scope"])
                else:
                    split.append(r["scope"])
            for i, label in enumerate(labels):
                part = has_data.filter(pl.col("scope").is_in(assigned[i]))
                # every class is in the legend, up to the target: "20% or more (target):
                # none" says no country reaches it
                categories.append((label if not part.is_empty() else f"{label}: none",
                                   colours[i], part, "value"))
            if split:
                categories.append(("Range across groups ('<5')",
                                   MAP_SPLIT_RANGE, has_data.filter(pl.col("scope")
                                                                     .is_in(split)), "value"))
        if not no_data.is_empty():
            words, icon = STATUSES["no_data"]
            categories.append((f"{icon} {words}", MAP_NO_DATA, no_data, "no_data"))
    if mode == "status":
        categories = [(label, MAP_NO_DATA if status == "no_data" else colour, part, status)
                      for label, colour, part, status in categories]
    # One choropleth trace (the shapes travel once), coloured by category number; the legend
    # comes from one marker trace per category.
    locations: list[str] = []
    codes: list[int] = []
    hover: list[str] = []
    outlines: list[str] = []
    for code, (_label, colour, part, _status) in enumerate(categories):
        locations.extend(part["scope"].to_list())
        codes.extend([code] * part.height)
        hover.extend(_map_hover(r) for r in part.to_dicts())
        outlines.extend([MAP_NO_DATA_OUTLINE if colour == MAP_NO_DATA else MAP_OUTLINE]
                        * part.height)
    count = max(len(categories), 1)
    colorscale = []
    for code, (_label, colour, _part, _status) in enumerate(categories):
        colorscale.append([code / count, colour])
        colorscale.append([(code + 1) / count, colour])
    if not colorscale:
        colorscale = [[0, MAP_NO_DATA], [1, MAP_NO_DATA]]
    fig.add_trace(go.Choropleth(
        geojson=geojson,
        featureidkey="id",
        locations=locations,
        z=codes,
        zmin=-0.5,
        zmax=count - 0.5,
        colorscale=colorscale,
        showscale=False,
        showlegend=False,
        name="countries",
        marker=dict(line=dict(color=outlines, width=0.6)),
        customdata=hover,
        hovertemplate="%{customdata}<extra></extra>",
        meta={"role": "countries", "categories": [c[0] for c in categories]},
    ))
    for label, colour, _part, _status in categories:
        fig.add_trace(go.Scattergeo(
            lon=[None], lat=[None], mode="markers",
            marker=dict(symbol="square", size=14, color=colour,
                        line=dict(color=MAP_NO_DATA_OUTLINE, width=1)),
            name=esc(label), showlegend=True, legendgroup=label, hoverinfo="skip",
            meta={"role": "legend", "label": label},
        ))
    chosen = [c for c in marked if c in set(rows["scope"].to_list())]
    if chosen:
        # outlines only: the fill stays the value's or the status's colour
        fig.add_trace(go.Choropleth(
            geojson=geojson, featureidkey="id", locations=chosen, z=[0] * len(chosen),
            colorscale=[[0, "rgba(0,0,0,0)"], [1, "rgba(0,0,0,0)"]], showscale=False,
            showlegend=False, hoverinfo="skip", name="chosen",
            marker=dict(line=dict(color=MAP_MARKED_OUTLINE, width=2.2)),
            meta={"role": "chosen", "scopes": chosen},
        ))
        fig.add_trace(go.Scattergeo(
            lon=[None], lat=[None], mode="markers",
            marker=dict(symbol="square-open", size=14, color=MAP_MARKED_OUTLINE,
                        line=dict(width=2)),
            name="Chosen above", showlegend=True, hoverinfo="skip",
            meta={"role": "legend", "label": "Chosen above"},
        ))
    if mode == "status":
        centres = centroids(geojson)
        for label, _colour, part, status in categories:
            placed = [(r, centres[r["scope"]]) for r in part.to_dicts()
                      if r["scope"] in centres and centres[r["scope"]][2] >= 12]
            if not placed:
                continue
            fig.add_trace(go.Scattergeo(
                lon=[c[0] for _, c in placed],
                lat=[c[1] for _, c in placed],
                text=[STATUSES[status][1] for _ in placed],
                mode="text",
                textfont=dict(size=11, color=STATUS_TEXT_COLOURS[status], family=FONT),
                hoverinfo="skip",
                showlegend=False,
                legendgroup=label,
                name=f"{esc(label)} icons",
                meta={"role": "icons"},
            ))
    fig.update_geos(
        projection_type="natural earth",
        showframe=False,
        showcoastlines=False,
        showland=False,
        showcountries=False,
        showocean=False,
        showlakes=False,
        lataxis_range=[-57, 84],
        lonaxis_range=[-170, 190],
        bgcolor="white",
        domain=dict(x=[0.2, 1.0], y=[0.0, 1.0]),
    )
    fig.update_layout(
        legend=dict(orientation="v", x=0.0, xanchor="left", y=0.5, yanchor="middle",
                    bgcolor="rgba(255,255,255,0.85)", font=dict(size=13),
                    title=dict(text="<b>" + ("Status" if mode == "status"
                                             else esc(_legend_unit(indicator))) + "</b>")),
    )
    counted = data.filter(pl.col("lower").is_not_null()).height
    off_map = data.filter(~pl.col("scope").is_in(list(ids)) & pl.col("lower").is_not_null())
    notes = _indicator_notes(data)
    notes.append(
        f"{counted} of {data.height} countries and territories have a figure from {first_year} "
        f"to {year}; each is shown with its latest one (the table gives the year)."
        + (f" {off_map.height} with figures are too small for this map and are in the table."
           if off_map.height else "")
    )
    if _has_ranges(data["lower"].to_list(), data["upper"].to_list()):
        notes.append(RANGE_NOTE)
    if chosen:
        notes.append(CHOSEN_NOTE)
    what = "status" if mode == "status" else "latest figure"
    return _brief(
        fig,
        title=title or f"{meta.title}: {what} up to {year}",
        subtitle=indicator_subtitle(indicator),
        footer=footer_lines(sources, notes),
        height=height,
        axis_band=8,
        margin_left=20,
        margin_right=20,
    )


def _legend_unit(indicator: str) -> str:
    return indicator_meta(indicator).title


def _bin_colours(count: int) -> list[str]:
    if count <= 1:
        return [MAP_BLUES[3]]
    step = (len(MAP_BLUES) - 1) / (count - 1)
    return [MAP_BLUES[round(i * step)] for i in range(count)]


def _map_hover(row: dict) -> str:
    year = f" ({row['year']})" if row.get("year") is not None else ""
    exact = _exact_share(row)
    value = esc(row["value_text"]) + (f", {esc(exact)}" if exact else "")
    parts = [f"<b>{esc(row['name'])}</b>", f"{value}{year}", esc(row["status_text"])]
    if row.get("series_break"):
        parts.append("Possible break in the series (check the source)")
    return "<br>".join(parts)


# -- coverage ------------------------------------------------------------------------------------
_STATE_ORDER = ("missing", "suppressed", "estimate", "reported")


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
) -> go.Figure:
    years = sorted(data["year"].unique().to_list())
    keys = data[row_key].unique(maintain_order=True).to_list()
    labels = dict(zip(data[row_key].to_list(), data[row_label].to_list(), strict=True))
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
            value_text = cell["value_text"] if cell else "no data"
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
    fig = go.Figure(go.Heatmap(
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
            name=esc(COVERAGE_STATES[state] + (f" (marked '{cue}')" if cue and cue not in
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
    fig = _brief(
        fig,
        title=title,
        subtitle=subtitle,
        footer=footer_lines(sources, [
            "Each cell is one published figure; an empty cell is a year without one (not zero)."
        ]),
        height=height,
        axis_band=48,
        margin_left=int(24 + char_width * longest),
    )
    fig.update_layout(margin=dict(t=fig.layout.margin.t + 36))
    return fig


def coverage_heatmap(
    data: pl.DataFrame, measure: str, *, sources: pl.DataFrame, region: str | None = None,
    universe: int | None = None,
) -> go.Figure:
    """Countries × years for one measure (``views.coverage_matrix``). ``universe``: the
    countries and territories of the country list (in the region), the M of "N of M"."""
    label = MEASURES[measure].label if measure in MEASURES else measure
    where = f" in {region}" if region else ""
    countries = data["iso3"].n_unique()
    with_any = data.filter(pl.col("state") != "missing")["iso3"].n_unique()
    counted = (f"{with_any} of the {universe} countries and territories{where} have at least "
               f"one figure for this measure (the {countries} with any figure in the database "
               "are listed). " if universe else
               f"{with_any} of the {countries} countries{where} with any figure in the "
               f"database have at least one for this measure. ")
    fig = _coverage_grid(
        data, "iso3", "name",
        title=f"Which countries have figures for “{label}”{where}, by year",
        subtitle=counted + (MEASURES[measure].definition if measure in MEASURES else ""),
        sources=sources,
        row_height=15,
        min_height=PAGE_HEIGHT,
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
        fig.add_annotation(text=f"<b>{esc(region_name)}</b>", xref="paper", x=1, xanchor="left",
                           xshift=6, yref="y", y=index, yanchor="top", yshift=8,
                           showarrow=False, font=dict(size=12, color=TEXT_COLOUR))
        previous = region_name
    fig.update_layout(margin=dict(r=100))
    return fig


def coverage_strip(
    data: pl.DataFrame, *, country_name: str, sources: pl.DataFrame
) -> go.Figure:
    """Measures × years for one country (``views.coverage_strip_data``)."""
    have = data.filter(pl.col("state") != "missing")["measure"].n_unique()
    return _coverage_grid(
        data, "measure", "label",
        title=f"{country_name}: which figures exist for which years",
        subtitle=f"{have} of the {data['measure'].n_unique()} measures have at least one "
        "figure for this country. Indicators can only be computed in years where their "
        "inputs exist.",
        sources=sources,
        row_height=34,
        min_height=460,
        label_wrap=30,
    )


def coverage_summary_heatmap(data: pl.DataFrame, *, sources: pl.DataFrame,
                             universe: int | None = None) -> go.Figure:
    """Measures × years: how many countries have a figure (``views.coverage_summary``), out
    of ``universe`` countries and territories when given."""
    years = sorted(data["year"].unique().to_list())
    labels = data["label"].unique(maintain_order=True).to_list()
    lookup = {(r["label"], r["year"]): r["countries"] for r in data.iter_rows(named=True)}
    z = [[lookup.get((label, y), 0) for y in years] for label in labels]
    fig = go.Figure(go.Heatmap(
        x=years, y=[esc(label) for label in labels], z=z,
        colorscale=[[0, "#F7FBFF"], [0.5, "#6BAED6"], [1, "#08306B"]],
        text=[[str(v) if v else "" for v in row] for row in z], texttemplate="%{text}",
        textfont=dict(size=12), xgap=1, ygap=1, showscale=False,
        hovertemplate="%{y}, %{x}: %{z} countries<extra></extra>",
        meta={"role": "coverage_summary"},
    ))
    fig.update_xaxes(tickformat="d", dtick=1, side="top", showgrid=False, tickangle=-45,
                     tickfont=dict(size=12))
    fig.update_yaxes(autorange="reversed", automargin=True, showgrid=False)
    fig = _brief(
        fig,
        title="How many countries have each figure, by year",
        subtitle="Number of countries with a published figure for each measure and year"
        + (f", of the {universe} countries and territories of the country list" if universe
           else "")
        + " (an empty cell is zero countries). UNODC's newest year is always the least "
        "complete.",
        footer=footer_lines(sources),
        height=480,
        axis_band=16,
        margin_left=250,
    )
    fig.update_layout(margin=dict(t=fig.layout.margin.t + 36))
    return fig


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
) -> go.Figure:
    """One country's published counts over time (``views.measure_series``), one small panel
    per count, each on its own scale from zero, so tens of convictions are not squashed under
    thousands of detected victims. A '<5' figure is a range from 1 to 4; a possible break in a
    series is ringed and labelled, the figure drawn as published. ``expected`` measures with no
    figure are named in the footer; ``columns`` panels a row (the brief puts all in one)."""
    from plotly.subplots import make_subplots

    measures = data["measure"].unique(maintain_order=True).to_list()
    drawn = [m for m in measures
             if data.filter((pl.col("measure") == m) & pl.col("upper").is_not_null()).height]
    labels = {m: data.filter(pl.col("measure") == m)["label"][0] for m in measures}
    cols = max(1, min(columns, len(drawn)))
    grid_rows = max(1, math.ceil(len(drawn) / cols))
    fig = make_subplots(
        rows=grid_rows, cols=cols, horizontal_spacing=0.24 / cols,
        vertical_spacing=0.3 / grid_rows,
        subplot_titles=["<b>" + "<br>".join(wrap(labels[m], 110 // cols if cols > 3 else 60))
                        + "</b>" for m in drawn] or None,
    )
    xs = list(range(years[0], years[1] + 1))
    breaks = 0
    for index, measure in enumerate(drawn):
        where = {"row": index // cols + 1, "col": index % cols + 1}
        rows = data.filter(pl.col("measure") == measure).sort("year")
        by_year = {r["year"]: r for r in rows.to_dicts()}
        picked = [by_year.get(y) for y in xs]
        _add_series(
            fig,
            years=xs,
            lower=[r["lower"] if r else None for r in picked],
            upper=[r["upper"] if r else None for r in picked],
            hover=[
                f"<b>{esc(r['label'])}</b>, {r['year']}<br>{esc(r['value_text'])}"
                + ("<br>Possible break in the series (check the source)"
                   if r.get("series_break") else "")
                + f"<br>{esc(r['source'])}" if r else "" for r in picked
            ],
            name=labels[measure],
            style=series_style(index),
            group=measure,
            width=2,
            marker_size=6,
            showlegend=False,
            where=where,
        )
        breaks += _add_breaks(fig, rows, "year", "upper", **where)
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
        fig.add_annotation(text="No published figures for this country.", xref="paper",
                           yref="paper", x=0.5, y=0.5, showarrow=False,
                           font=dict(size=15, color=MUTED))
    notes = series_notes(data)
    missing = [labels.get(m) or MEASURES[m].label for m in dict.fromkeys([*expected, *measures])
               if m not in drawn]
    if missing and drawn:
        notes.append("No figures for: " + "; ".join(m.lower() for m in missing) + ".")
    if _has_ranges(data["lower"].to_list(), data["upper"].to_list()):
        notes.append(RANGE_NOTE)
    notes.append(GAP_NOTE)
    if breaks:
        notes.append(BREAK_NOTE)
    return _brief(
        fig,
        title=f"{country_name}: published figures, {years[0]}–{years[1]}",
        subtitle="The counts the indicators are built from, as the authorities reported them "
        "to UNODC (and as uploaded), in people (recorded offences: offences). Each panel has "
        "its own scale, from zero.",
        footer=footer_lines(sources, notes),
        height=height or 300 + 230 * grid_rows,
        axis_band=40,
    )


# -- sparkline -----------------------------------------------------------------------------------
def sparkline(rows: pl.DataFrame, indicator: str, *, highlight_year: int | None = None,
              height: int = 120) -> go.Figure:
    """A card's trend (``views.card(...).series``): from its first figure to its last, on a
    scale from zero (so a flat series looks flat), its first and last values and years
    written, years with thin coverage (``thin``) drawn hollow, a possible break in the series
    ringed. Not a brief chart; the card links to the full chart."""
    meta = indicator_meta(indicator)
    fig = go.Figure()
    rows = rows.sort("year")
    drawn = rows.filter(pl.col("lower").is_not_null())
    if drawn.height:
        first, last = int(drawn["year"].min()), int(drawn["year"].max())
        rows = rows.filter(pl.col("year").is_between(first, last))
    style = LineStyle(OKABE_ITO["blue"], "solid", "circle")

    def words(r: dict) -> str:
        return format_value(r["value"], meta.unit, lower=r["lower"], upper=r["upper"])

    _add_series(
        fig,
        years=rows["year"].to_list(),
        lower=rows["lower"].to_list(),
        upper=rows["upper"].to_list(),
        hover=[f"{r['year']}: {esc(words(r))}"
               + (" (few countries)" if r.get("thin") else "") for r in rows.to_dicts()],
        name=meta.title,
        style=style,
        group="trend",
        width=2,
        marker_size=5,
        showlegend=False,
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


def figure_texts(fig: go.Figure) -> str:
    """All the words a figure shows (title, subtitle, annotations), for tests and checks."""
    layout = fig.layout
    parts = [layout.title.text or "", layout.title.subtitle.text or ""]
    parts.extend(a.text or "" for a in layout.annotations)
    return html.unescape("\n".join(parts).replace("<br>", " "))

