"""One indicator in one year, highest first (``ranking_bars``): a bar per scope coloured by
its status, a '<5' range as a hatched bar from its lower to its upper end, 'no data' written
where a scope has no figure."""

from __future__ import annotations

import math

import polars as pl

from indicators.charts.axes import count_dtick, tick_format, value_axis
from indicators.charts.draft import Draft, drawn_figure
from indicators.charts.frame import (
    GRID,
    MUTED,
    PAGE_HEIGHT,
    RANGE_NOTE,
    STATUS_COLOURS,
    TARGET_LINE,
    esc,
    has_ranges,
    indicator_brief,
    indicator_notes,
    labelled,
    range_marker,
    target_label,
)
from indicators.charts.words import BREAK_MARK, axis_words, hover, row_name, value_words
from indicators.i18n import N_, translator
from indicators.measures import STATUSES, Indicator, indicator_meta
from indicators.views import RANK_RULE, has_target

BAR_BREAK_NOTE = N_(
    "'break?' after a value: the count behind it rose or fell more than 3-fold from the year "
    "before, a possible break in the series; the figure is as published (check the source)."
)


# -- ranking bars --------------------------------------------------------------------------------
def ranking_bars_draft(
    data: pl.DataFrame,
    indicator: str,
    *,
    sources: pl.DataFrame,
    year: int,
    scale: str = "auto",
    title: str | None = None,
    height: int | None = None,
    lang: str | None = None,
) -> Draft:
    """One indicator in one year, highest first (``views.ranking_data``). A range is a hatched
    bar from its lower to its upper end; a scope without data is listed as 'no data'. Its
    words, names and numbers in ``lang`` (English by default)."""
    _ = translator(lang)
    meta = indicator_meta(indicator)
    fig = Draft()  # plain data: a new selection is not checked property by property
    records = data.to_dicts()  # a bar a row: read once, in Python
    names = [row_name(r, lang) for r in records]
    lows = [v for v in data["lower"].to_list() if v is not None]
    highs = [v for v in data["upper"].to_list() if v is not None]
    target = float(meta.target) if has_target(data) else None
    axis = value_axis(lows, highs, target, meta.unit, scale, lang)
    zero = None if axis.kind == "log" else 0  # a log axis has no zero: bars rise from its foot
    by_status: dict[str, list[dict]] = {}
    for record in records:
        by_status.setdefault(record["status"], []).append(record)
    for status in STATUSES:  # the legend's order
        if status in by_status:
            _status_bars(fig, by_status[status], status, zero, lang)
    x_range, on_scale = axis.range, axis.target_shown
    if x_range is not None:
        # room for the value labels to the right of the longest bar
        room = 0.6 if axis.kind == "log" else 0.22 * (x_range[1] - x_range[0])
        x_range = [x_range[0], x_range[1] + room]
    _target_line(fig, meta, target, on_scale, axis.kind, lang)
    # 'no data' at the foot of the axis: zero, or on a log axis (which has none; its range is
    # in powers of ten) the range's start
    foot = x_range[0] if axis.kind == "log" and x_range is not None else 0
    for name in [row_name(r, lang) for r in records if r["status"] == "no_data"]:
        fig.add_annotation(
            text=_("no data"), x=foot, y=esc(name), xref="x", yref="y", xanchor="left",
            xshift=6, showarrow=False, font=dict(size=13, color=MUTED),
        )
    fig.update_xaxes(
        title=dict(text=esc(axis_words(indicator, lang))), tickformat=tick_format(
            meta.unit, (x_range or [0, 0])[1]), range=x_range, gridcolor=GRID,
        zeroline=True, zerolinecolor="#888", type=axis.kind, tickvals=axis.tickvals,
        ticktext=axis.ticktext,
        dtick=None if axis.kind == "log" else count_dtick(
            meta.unit, x_range[1] if x_range else max(highs, default=None)),
    )
    ranks = data["rank"].to_list() if "rank" in data.columns else [""] * len(names)
    fig.update_yaxes(
        categoryorder="array", categoryarray=[esc(n) for n in names], autorange="reversed",
        automargin=True, ticks="", ticklabelstandoff=8,
        tickvals=[esc(n) for n in names],
        ticktext=[f"{r}  {esc(n)}" if r else esc(n) for r, n in zip(ranks, names, strict=True)],
    )
    fig.update_layout(
        barmode="overlay", bargap=0.3,
        legend=dict(orientation="h", x=0, xanchor="left", y=1.0, yanchor="bottom",
                    font=dict(size=13), yref="paper"),
    )
    notes = indicator_notes(data, lang)
    notes.append(_(RANK_RULE))
    if has_ranges(data["lower"].to_list(), data["upper"].to_list()):
        notes.append(RANGE_NOTE)
    if any(r.get("series_break") for r in records):
        notes.append(BAR_BREAK_NOTE)
    notes.extend(axis.notes)
    longest = max((len(n) for n in names), default=10)
    return indicator_brief(
        fig, indicator, sources=sources, notes=notes, lang=lang,
        title=title or _("{title} in {year}").format(title=_(meta.title), year=year),
        height=height or max(PAGE_HEIGHT, 44 * len(names) + 330), axis_band=72,
        margin_left=min(260, 20 + 8 * longest), legend_band=34,
    )


ranking_bars = drawn_figure(ranking_bars_draft)


def _status_bars(fig: Draft, rows: list[dict], status: str, zero: int | None,
                 lang: str | None = None) -> None:
    """The bars of the rows with one status: an exact value is a bar from ``zero``; a range is
    a solid bar to its lower end and a hatched one on to its upper end; 'no data' is an empty
    bar, so the scope keeps its place."""
    _ = translator(lang)
    icon, words = STATUSES[status][1], _(STATUSES[status][0])

    def names(part: list[dict]) -> list[str]:
        return [esc(row_name(r, lang)) for r in part]

    if status == "no_data":
        fig.add_trace(dict(
            type="bar", orientation="h", x=[None] * len(rows), y=names(rows),
            name=f"{icon} {esc(words)}", marker=dict(color=STATUS_COLOURS[status]),
            hoverinfo="skip", meta={"role": "no_data"},
        ))
        return
    exact = [r for r in rows if r["value"] is not None]
    ranged = [r for r in rows if r["value"] is None and r["lower"] is not None]
    colour = STATUS_COLOURS[status]
    if exact:
        fig.add_trace(dict(
            type="bar",
            orientation="h",
            x=[r["value"] for r in exact],
            y=names(exact),
            base=zero,
            name=f"{icon} {esc(words)}",
            legendgroup=status,
            marker=dict(color=colour, line=dict(color="#333333", width=0.5)),
            text=[_bar_label(r, icon, lang) for r in exact],
            textposition="outside",
            cliponaxis=False,
            customdata=[hover(r, lang) for r in exact],
            hovertemplate="%{customdata}<extra></extra>",
            meta={"role": "value"},
        ))
    if not ranged:
        return
    # The value is at least the lower end (solid) and at most the upper end (hatched).
    lows, highs = [r["lower"] for r in ranged], [r["upper"] for r in ranged]
    hovers = [hover(r, lang) for r in ranged]
    labels = names(ranged)
    fig.add_trace(dict(
        type="bar",
        orientation="h",
        x=lows,
        y=labels,
        base=zero,
        name=f"{icon} {esc(words)}",
        legendgroup=status,
        showlegend=not exact,
        marker=dict(color=colour, line=dict(color="#333333", width=0.5)),
        customdata=hovers,
        hovertemplate="%{customdata}<extra></extra>",
        meta={"role": "range_floor"},
    ))
    fig.add_trace(dict(
        type="bar",
        orientation="h",
        x=[hi - lo for lo, hi in zip(lows, highs, strict=True)],
        y=labels,
        base=lows,
        name=_("Range: a '<5' figure (1 to 4)"),
        legendgroup="range",
        showlegend=True,
        marker=range_marker(colour),
        text=[_bar_label(r, icon, lang) for r in ranged],
        textposition="outside",
        cliponaxis=False,
        customdata=hovers,
        hovertemplate="%{customdata}<extra></extra>",
        meta={"role": "range"},
    ))


def _target_line(fig: Draft, meta: Indicator, target: float | None, on_scale: bool,
                 kind: str, lang: str | None = None) -> None:
    """The target as a dashed line down the chart, labelled; when it is far beyond the values
    (not on the axis), a label at the right that says so."""
    _ = translator(lang)
    if target is not None and on_scale and kind == "log":
        fig.add_vline(x=target, line=TARGET_LINE)
        fig.add_annotation(
            text=target_label(meta, lang), xref="x", x=math.log10(target),
            yref="paper", y=0, xanchor="left", yanchor="bottom", showarrow=False,
            font=dict(size=13), bgcolor="white",
        )
    elif target is not None and on_scale:
        fig.add_vline(
            x=target, line=TARGET_LINE,
            annotation=dict(text=target_label(meta, lang), font=dict(size=13), bgcolor="white"),
            annotation_position="bottom right",
        )
    elif target is not None:
        fig.add_annotation(
            text="→ " + labelled(target_label(meta, lang), esc(_("far beyond the values shown")),
                                 lang),
            xref="paper", yref="paper", x=1, y=0.01, xanchor="right", yanchor="bottom",
            showarrow=False, font=dict(size=13), bgcolor="white",
        )


def _bar_label(row: dict, icon: str, lang: str | None = None) -> str:
    """A bar's label: its value as people say it, its status icon, and 'break?' where the
    count behind it is a possible break in the series."""
    label = f"{esc(value_words(row['value_text'], lang))}  {icon}"
    return label + "  " + translator(lang)(BREAK_MARK) if row.get("series_break") else label

