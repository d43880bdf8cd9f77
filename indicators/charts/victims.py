"""Brief-ready figures of who the detected victims are and where they come from: frames from
``indicators.victims`` in, ``go.Figure`` out.

They share ``charts.frame`` (title, subtitle, units, footer with the sources and the release
the data are as of), its Okabe-Ito palette with a dash and a marker per line (greyscale-safe),
and the ways of drawing a '<5': a band between the lower and upper end on a line
(``charts.lines.add_series``), a hatched bar from 1 to 4 on a bar (``frame.range_marker``). A
missing figure is a gap or a missing bar, never a zero.
"""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

from indicators.charts.axes import count_dtick, tick_format
from indicators.charts.frame import (
    GAP_NOTE,
    GRID,
    MUTED,
    OKABE_ITO,
    PAGE_HEIGHT,
    RANGE_NOTE,
    TEXT_COLOUR,
    brief_frame,
    esc,
    footer_lines,
    has_ranges,
    range_marker,
    series_style,
)
from indicators.charts.lines import add_series
from indicators.victims import FORM, SEX_AGE, SPLITS

PER_100K_NOTE = (
    "Per 100,000 people: the figure ÷ the World Bank population of the same year × 100,000; a "
    "year without a population figure is a gap."
)
BREAKDOWN_NOTE = (
    "As UNODC publishes them: each group is its own figure, never added into the total; "
    "groups may overlap and exceed the total."
)
SUBTITLES = {
    SEX_AGE: "Detected trafficking victims by sex and age, as the authorities reported them to "
    "UNODC. SDG 16.2.2 asks for detected victims per 100,000 people by sex, age and form of "
    "exploitation.",
    FORM: "Detected trafficking victims by form of exploitation, as the authorities reported "
    "them to UNODC. A victim exploited in more than one form may be counted under each.",
}
EMPTY = {
    SEX_AGE: "No breakdown by sex and age published for this country.",
    FORM: "No breakdown by form of exploitation published for this country.",
}
OWN_COLOUR = OKABE_ITO["orange"]
PLACE_COLOUR = OKABE_ITO["blue"]


def split_lines(
    data: pl.DataFrame,
    split: str,
    *,
    country_name: str,
    sources: pl.DataFrame,
    years: tuple[int, int],
    per_100k: bool = False,
    height: int = PAGE_HEIGHT,
    group: str | None = None,
) -> go.Figure:
    """One country's detected victims by sex and age, or by form of exploitation, over time
    (``victims.split_rows``): one line per group, as counts or per 100,000 people. ``group``:
    the words of the victims a form split is for ('children (0–17)'; None: all ages)."""
    value, lower, upper, text = (("per_100k", "per_100k_lower", "per_100k_upper",
                                  "per_100k_text") if per_100k
                                 else ("value", "lower", "upper", "value_text"))
    fig = go.Figure()
    xs = list(range(years[0], years[1] + 1))
    categories = data["category"].unique(maintain_order=True).to_list()
    for index, category in enumerate(categories):
        rows = data.filter(pl.col("category") == category)
        by_year = {r["year"]: r for r in rows.to_dicts()}
        picked = [by_year.get(y) for y in xs]
        label = rows["label"][0]
        unit = " per 100,000 people" if per_100k else ""
        add_series(
            fig,
            years=xs,
            lower=[r[lower] if r else None for r in picked],
            upper=[r[upper] if r else None for r in picked],
            hover=[f"<b>{esc(label)}</b>, {r['year']}<br>{esc(r[text])}{unit}"
                   f"<br>{esc(r['value_text'])} detected victims" if r else ""
                   for r in picked],
            name=label,
            style=series_style(index),
            group=category,
        )
    highs = [v for v in data[upper].to_list() if v is not None]
    if not highs:
        empty = EMPTY[split] if group is None else (
            f"No breakdown by form of exploitation published for {group} in this country.")
        fig.add_annotation(
            text=esc(empty if data.is_empty() else
                     "No population figure for the years with this breakdown."),
            xref="paper", yref="paper", x=0.5, y=0.5, showarrow=False,
            font=dict(size=15, color=MUTED))
    top = max(highs) * 1.1 if highs else 10
    fig.update_xaxes(range=[years[0] - 0.5, years[1] + 0.5], tickformat="d",
                     dtick=2 if years[1] - years[0] > 8 else 1, showgrid=False,
                     ticks="outside", linecolor="#888")
    fig.update_yaxes(
        title=dict(text="Detected victims per 100,000 people" if per_100k
                   else "Detected victims (people)"),
        tickformat=tick_format("per_100k" if per_100k else "count", top),
        rangemode="tozero", gridcolor=GRID, range=[0, top],
        dtick=None if per_100k else count_dtick("count", top),
    )
    fig.update_layout(legend=dict(orientation="v", x=1.01, xanchor="left", y=1,
                                  yanchor="top", font=dict(size=13)))
    notes = [BREAKDOWN_NOTE]
    if per_100k:
        notes.append(PER_100K_NOTE)
    if has_ranges(data[lower].to_list(), data[upper].to_list()):
        notes.append(RANGE_NOTE)
    notes.append(GAP_NOTE)
    per = ", per 100,000 people" if per_100k else ""
    who = f", {group}" if group else ""
    subtitle = SUBTITLES[split] if group is None else (
        f"{SUBTITLES[split]} Here: {group}, as UNODC publishes them (the all-ages figure is "
        "its own row, not the sum of the age groups).")
    return brief_frame(
        fig,
        title=f"{country_name}: detected victims by {SPLITS[split]}{who}{per}, "
        f"{years[0]}–{years[1]}",
        subtitle=subtitle,
        footer=footer_lines(sources, notes),
        height=height,
        axis_band=40,
    )


def place_bars(
    data: pl.DataFrame,
    *,
    title: str,
    subtitle: str,
    sources: pl.DataFrame,
    notes: list[str],
    legend: str,
    own_legend: str = "Own nationals (set apart)",
    empty: str = "No figures for this year.",
    height: int | None = None,
) -> go.Figure:
    """Detected victims by place (``victims.top_citizenships`` or ``victims.top_abroad``),
    largest first: a bar each, a '<5' as a hatched bar from 1 to 4, own nationals apart at the
    top in their own colour and pattern."""
    fig = go.Figure()
    names = [esc(n) for n in data["name"].to_list()]
    own_rows = data.filter(pl.col("group") == "own")
    rest = data.filter(pl.col("group") != "own")
    for rows, colour, name, pattern, role in (
        (own_rows, OWN_COLOUR, own_legend, "x", "own"),
        (rest, PLACE_COLOUR, legend, "", "place"),
    ):
        if rows.is_empty():
            continue
        hover = [f"<b>{esc(r['name'])}</b>, {r['year']}<br>{esc(r['value_text'])} detected "
                 f"victims<br>{esc(r['source'])}" for r in rows.to_dicts()]
        labels = [esc(n) for n in rows["name"].to_list()]
        exact = [v is not None for v in rows["value"].to_list()]
        fig.add_trace(go.Bar(
            orientation="h", x=rows["lower"].to_list(), y=labels, base=0, name=esc(name),
            # the pattern lies over the colour, so own nationals stay apart in greyscale
            marker=dict(color=colour, line=dict(color="#333333", width=0.5),
                        pattern=dict(shape=pattern, fillmode="overlay", fgcolor="#000000",
                                     solidity=0.15)),
            text=[esc(t) if e else "" for t, e in zip(rows["value_text"].to_list(), exact,
                                                      strict=True)],
            textposition="outside", cliponaxis=False, customdata=hover,
            hovertemplate="%{customdata}<extra></extra>", meta={"role": role},
        ))
        ranged = rows.filter(pl.col("value").is_null())
        if not ranged.is_empty():
            lows, highs = ranged["lower"].to_list(), ranged["upper"].to_list()
            fig.add_trace(go.Bar(
                orientation="h", x=[hi - lo for lo, hi in zip(lows, highs, strict=True)],
                y=[esc(n) for n in ranged["name"].to_list()], base=lows,
                name="Range: '<5' (1 to 4)", legendgroup="range",
                showlegend=role == "place" or rest.filter(pl.col("value").is_null()).is_empty(),
                marker=range_marker(colour),
                text=[esc(t) for t in ranged["value_text"].to_list()], textposition="outside",
                cliponaxis=False, hoverinfo="skip", meta={"role": f"{role}_range"},
            ))
    if data.is_empty():
        fig.add_annotation(text=esc(empty), xref="paper", yref="paper", x=0.5, y=0.5,
                           showarrow=False, font=dict(size=15, color=MUTED))
    elif own_rows.height and rest.height:
        # a rule between the own nationals and the others
        fig.add_shape(type="line", xref="paper", x0=0, x1=1, yref="y",
                      y0=own_rows.height - 0.5, y1=own_rows.height - 0.5,
                      line=dict(color=TEXT_COLOUR, width=1, dash="dot"))
    highs = [v for v in data["upper"].to_list() if v is not None]
    top = max(highs) * 1.2 if highs else 10
    fig.update_xaxes(title=dict(text="Detected victims (people)"), tickformat=",.0f",
                     dtick=count_dtick("count", top), tick0=0,
                     range=[0, top], gridcolor=GRID, zeroline=True, zerolinecolor="#888")
    fig.update_yaxes(categoryorder="array", categoryarray=names, autorange="reversed",
                     automargin=True, ticks="", ticklabelstandoff=8)
    fig.update_layout(barmode="overlay", bargap=0.3,
                      legend=dict(orientation="h", x=0, xanchor="left", y=1.0,
                                  yanchor="bottom", font=dict(size=13)))
    footer = list(notes)
    if has_ranges(data["lower"].to_list(), data["upper"].to_list()):
        footer.append(RANGE_NOTE)
    footer.append(BREAKDOWN_NOTE)
    longest = max((len(n) for n in data["name"].to_list()), default=10)
    return brief_frame(
        fig,
        title=title,
        subtitle=subtitle,
        footer=footer_lines(sources, footer),
        height=height or max(PAGE_HEIGHT, 40 * len(names) + 330),
        axis_band=72,
        margin_left=min(280, 20 + 8 * longest),
        legend_band=34,
    )


def citizenship_bars(data: pl.DataFrame, *, country_name: str, year: int | None,
                     sources: pl.DataFrame, note: str | None = None,
                     height: int | None = None) -> go.Figure:
    """The citizenships of the victims a country detected in a year: its own nationals apart,
    then the largest foreign citizenships."""
    when = f" in {year}" if year is not None else ""
    return place_bars(
        data,
        title=f"{country_name}: citizenship of the victims detected{when}",
        subtitle="Detected trafficking victims by citizenship, as the authorities reported "
        "them to UNODC: the country's own nationals (set apart) and the largest foreign "
        "citizenships. The citizenship is where a victim comes from, not where the "
        "exploitation took place.",
        sources=sources,
        notes=[note] if note else [],
        legend="Foreign citizens",
        empty="No breakdown by citizenship published for this country.",
        height=height,
    )


def abroad_bars(data: pl.DataFrame, *, country_name: str, year: int | None,
                sources: pl.DataFrame, note: str | None = None,
                height: int | None = None) -> go.Figure:
    """Where a country's nationals were detected as victims abroad in a year: other
    countries' figures for victims with its citizenship."""
    when = f" in {year}" if year is not None else ""
    return place_bars(
        data,
        title=f"Where citizens of {country_name} were detected as victims abroad{when}",
        subtitle=f"Victims with the citizenship of {country_name} detected by other "
        "countries, as each reported them to UNODC. Only countries that publish victims' "
        "citizenships appear: a country missing here may not report citizenship at all.",
        sources=sources,
        notes=[note] if note else [],
        legend="Detected by this country",
        empty=f"No other country reported victims with the citizenship of {country_name}.",
        height=height,
    )


# -- one sentence per chart (the text alternative) ----------------------------------------------
def split_alt(data: pl.DataFrame, split: str, *, country_name: str,
              per_100k: bool = False, group: str | None = None) -> str:
    """'United Kingdom, detected victims by sex and age: girls (female, 0–17) rose from 150 in
    2009 to 1,079 in 2020; …' ('<5' reads '<5'; per 100,000 people when chosen)."""
    from indicators.alt_text import _points, change_words, lower_first

    head = f"{country_name}, detected victims by {SPLITS[split]}" + (
        f", {group}," if group else "") + (" per 100,000 people" if per_100k else "")
    if data.is_empty():
        return f"{head}: no data."
    clauses = []
    for category in data["category"].unique(maintain_order=True).to_list():
        rows = data.filter(pl.col("category") == category)
        if per_100k:
            rows = rows.select("year", pl.col("per_100k").alias("value"),
                               pl.col("per_100k_lower").alias("lower"),
                               pl.col("per_100k_upper").alias("upper"),
                               pl.col("per_100k_text").alias("value_text"))
        clauses.append(f"{lower_first(data.filter(pl.col('category') == category)['label'][0])}"
                       f" {change_words(_points(rows))}")
    return f"{head}: " + "; ".join(clauses) + "."


def places_alt(data: pl.DataFrame, *, title: str, note: str | None = None) -> str:
    """'United Kingdom: citizenship of the victims detected in 2019: United Kingdom (own
    nationals) 2,864; Albania 1,705; …' and what is not drawn."""
    if data.is_empty():
        return f"{title}: no data."
    items = "; ".join(f"{r['name']} {r['value_text']}" for r in data.iter_rows(named=True))
    return f"{title}: {items}." + (f" {note}" if note else "")
