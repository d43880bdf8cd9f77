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
    new_figure,
    range_marker,
    series_style,
)
from indicators.charts.lines import add_series
from indicators.i18n import N_, localise_value, translator
from indicators.victims import FORM, SEX_AGE, SPLITS, place_label

PER_100K_NOTE = N_(
    "Per 100,000 people: the figure ÷ the World Bank population of the same year × 100,000; a "
    "year without a population figure is a gap."
)
BREAKDOWN_NOTE = N_(
    "As UNODC publishes them: each group is its own figure, never added into the total; "
    "groups may overlap and exceed the total."
)
SUBTITLES = {
    SEX_AGE: N_("Detected trafficking victims by sex and age, as the authorities reported them "
                "to UNODC. SDG 16.2.2 asks for detected victims per 100,000 people by sex, age "
                "and form of exploitation."),
    FORM: N_("Detected trafficking victims by form of exploitation, as the authorities "
             "reported them to UNODC. A victim exploited in more than one form may be counted "
             "under each."),
}
EMPTY = {
    SEX_AGE: N_("No breakdown by sex and age published for this country."),
    FORM: N_("No breakdown by form of exploitation published for this country."),
}
TITLES = {
    SEX_AGE: N_("{name}: detected victims by sex and age{who}{per}, {span}"),
    FORM: N_("{name}: detected victims by form of exploitation{who}{per}, {span}"),
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
    lang: str | None = None,
) -> go.Figure:
    """One country's detected victims by sex and age, or by form of exploitation, over time
    (``victims.split_rows``): one line per group, as counts or per 100,000 people. ``group``:
    the words of the victims a form split is for ('children (0–17)'; None: all ages). Its
    words in ``lang`` (English by default; ``country_name`` and ``group`` are given in it)."""
    _ = translator(lang)
    value, lower, upper, text = (("per_100k", "per_100k_lower", "per_100k_upper",
                                  "per_100k_text") if per_100k
                                 else ("value", "lower", "upper", "value_text"))
    fig = new_figure()
    xs = list(range(years[0], years[1] + 1))
    categories = data["category"].unique(maintain_order=True).to_list()
    for index, category in enumerate(categories):
        rows = data.filter(pl.col("category") == category)
        by_year = {r["year"]: r for r in rows.to_dicts()}
        picked = [by_year.get(y) for y in xs]
        label = _(rows["label"][0])
        unit = " " + _("per 100,000 people") if per_100k else ""
        add_series(
            fig,
            years=xs,
            lower=[r[lower] if r else None for r in picked],
            upper=[r[upper] if r else None for r in picked],
            hover=[f"<b>{esc(label)}</b>, {r['year']}<br>"
                   f"{esc(localise_value(r[text], lang))}{unit}<br>"
                   + _("{value} detected victims").format(
                       value=esc(localise_value(r['value_text'], lang))) if r else ""
                   for r in picked],
            name=label,
            style=series_style(index),
            group=category,
            lang=lang,
        )
    highs = [v for v in data[upper].to_list() if v is not None]
    if not highs:
        empty = _(EMPTY[split]) if group is None else _(
            "No breakdown by form of exploitation published for {group} in this country."
        ).format(group=group)
        fig.add_annotation(
            text=esc(empty if data.is_empty() else
                     _("No population figure for the years with this breakdown.")),
            xref="paper", yref="paper", x=0.5, y=0.5, showarrow=False,
            font=dict(size=15, color=MUTED))
    top = max(highs) * 1.1 if highs else 10
    fig.update_xaxes(range=[years[0] - 0.5, years[1] + 0.5], tickformat="d",
                     dtick=2 if years[1] - years[0] > 8 else 1, showgrid=False,
                     ticks="outside", linecolor="#888")
    fig.update_yaxes(
        title=dict(text=_("Detected victims per 100,000 people") if per_100k
                   else _("Detected victims (people)")),
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
    per = ", " + _("per 100,000 people") if per_100k else ""
    who = f", {group}" if group else ""
    subtitle = _(SUBTITLES[split]) if group is None else (
        f"{_(SUBTITLES[split])} " + _("Here: {group}, as UNODC publishes them (the all-ages "
                                      "figure is its own row, not the sum of the age "
                                      "groups).").format(group=group))
    title = (_(TITLES[split]) if split in TITLES else
             "{name}: detected victims by " + SPLITS[split] + "{who}{per}, {span}")
    return brief_frame(
        fig,
        title=title.format(name=country_name, who=who, per=per,
                           span=f"{years[0]}–{years[1]}"),
        subtitle=subtitle,
        footer=footer_lines(sources, notes, lang), lang=lang,
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
    own_legend: str = N_("Own nationals (set apart)"),
    empty: str = N_("No figures for this year."),
    height: int | None = None,
    lang: str | None = None,
    abroad: bool = False,
) -> go.Figure:
    """Detected victims by place (``victims.top_citizenships`` or ``victims.top_abroad``),
    largest first: a bar each, a '<5' as a hatched bar from 1 to 4, own nationals apart at the
    top in their own colour and pattern. Its words, names and numbers in ``lang`` (English by
    default; ``title``, ``subtitle``, ``legend`` and ``empty`` are translated when the catalog
    has them); ``abroad``: the rows' places are the countries that detected the victims."""
    _ = translator(lang)

    def place(row: dict) -> str:
        return place_label(row, lang, abroad=abroad)

    fig = new_figure()
    names = [esc(place(r)) for r in data.iter_rows(named=True)]
    own_rows = data.filter(pl.col("group") == "own")
    rest = data.filter(pl.col("group") != "own")
    for rows, colour, name, pattern, role in (
        (own_rows, OWN_COLOUR, _(own_legend), "x", "own"),
        (rest, PLACE_COLOUR, _(legend), "", "place"),
    ):
        if rows.is_empty():
            continue
        hover = [f"<b>{esc(place(r))}</b>, {r['year']}<br>"
                 + _("{value} detected victims").format(
                     value=esc(localise_value(r['value_text'], lang)))
                 + f"<br>{esc(r['source'])}" for r in rows.to_dicts()]
        labels = [esc(place(r)) for r in rows.to_dicts()]
        exact = [v is not None for v in rows["value"].to_list()]
        fig.add_trace(go.Bar(
            orientation="h", x=rows["lower"].to_list(), y=labels, base=0, name=esc(name),
            # the pattern lies over the colour, so own nationals stay apart in greyscale
            marker=dict(color=colour, line=dict(color="#333333", width=0.5),
                        pattern=dict(shape=pattern, fillmode="overlay", fgcolor="#000000",
                                     solidity=0.15)),
            text=[esc(localise_value(t, lang)) if e else ""
                  for t, e in zip(rows["value_text"].to_list(), exact, strict=True)],
            textposition="outside", cliponaxis=False, customdata=hover,
            hovertemplate="%{customdata}<extra></extra>", meta={"role": role},
        ))
        ranged = rows.filter(pl.col("value").is_null())
        if not ranged.is_empty():
            lows, highs = ranged["lower"].to_list(), ranged["upper"].to_list()
            fig.add_trace(go.Bar(
                orientation="h", x=[hi - lo for lo, hi in zip(lows, highs, strict=True)],
                y=[esc(place(r)) for r in ranged.to_dicts()], base=lows,
                name=_("Range: '<5' (1 to 4)"), legendgroup="range",
                showlegend=role == "place" or rest.filter(pl.col("value").is_null()).is_empty(),
                marker=range_marker(colour),
                text=[esc(localise_value(t, lang)) for t in ranged["value_text"].to_list()],
                textposition="outside",
                cliponaxis=False, hoverinfo="skip", meta={"role": f"{role}_range"},
            ))
    if data.is_empty():
        fig.add_annotation(text=esc(_(empty)), xref="paper", yref="paper", x=0.5, y=0.5,
                           showarrow=False, font=dict(size=15, color=MUTED))
    elif own_rows.height and rest.height:
        # a rule between the own nationals and the others
        fig.add_shape(type="line", xref="paper", x0=0, x1=1, yref="y",
                      y0=own_rows.height - 0.5, y1=own_rows.height - 0.5,
                      line=dict(color=TEXT_COLOUR, width=1, dash="dot"))
    highs = [v for v in data["upper"].to_list() if v is not None]
    top = max(highs) * 1.2 if highs else 10
    fig.update_xaxes(title=dict(text=_("Detected victims (people)")), tickformat=",.0f",
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
    longest = max((len(place(r)) for r in data.iter_rows(named=True)), default=10)
    return brief_frame(
        fig,
        title=_(title),
        subtitle=_(subtitle),
        footer=footer_lines(sources, footer, lang), lang=lang,
        height=height or max(PAGE_HEIGHT, 40 * len(names) + 330),
        axis_band=72,
        margin_left=min(280, 20 + 8 * longest),
        legend_band=34,
    )


def citizenship_bars(data: pl.DataFrame, *, country_name: str, year: int | None,
                     sources: pl.DataFrame, note: str | None = None,
                     height: int | None = None, lang: str | None = None) -> go.Figure:
    """The citizenships of the victims a country detected in a year: its own nationals apart,
    then the largest foreign citizenships. In ``lang`` (English by default; ``country_name``
    and ``note`` are given in it)."""
    _ = translator(lang)
    title = (_("{name}: citizenship of the victims detected in {year}") if year is not None
             else _("{name}: citizenship of the victims detected"))
    return place_bars(
        data,
        title=title.format(name=country_name, year=year),
        subtitle=_("Detected trafficking victims by citizenship, as the authorities reported "
                   "them to UNODC: the country's own nationals (set apart) and the largest "
                   "foreign citizenships. The citizenship is where a victim comes from, not "
                   "where the exploitation took place."),
        sources=sources,
        notes=[note] if note else [],
        legend=N_("Foreign citizens"),
        empty=N_("No breakdown by citizenship published for this country."),
        height=height,
        lang=lang,
    )


def abroad_bars(data: pl.DataFrame, *, country_name: str, year: int | None,
                sources: pl.DataFrame, note: str | None = None,
                height: int | None = None, lang: str | None = None) -> go.Figure:
    """Where a country's nationals were detected as victims abroad in a year: other
    countries' figures for victims with its citizenship. In ``lang`` (English by default;
    ``country_name`` and ``note`` are given in it)."""
    _ = translator(lang)
    title = (_("Where citizens of {name} were detected as victims abroad in {year}")
             if year is not None else
             _("Where citizens of {name} were detected as victims abroad"))
    return place_bars(
        data,
        title=title.format(name=country_name, year=year),
        subtitle=_("Victims with the citizenship of {name} detected by other countries, as "
                   "each reported them to UNODC. Only countries that publish victims' "
                   "citizenships appear: a country missing here may not report citizenship at "
                   "all.").format(name=country_name),
        sources=sources,
        notes=[note] if note else [],
        legend=N_("Detected by this country"),
        empty=_("No other country reported victims with the citizenship of {name}.").format(
            name=country_name),
        height=height,
        lang=lang,
        abroad=True,
    )


# -- one sentence per chart (the text alternative) ----------------------------------------------
def split_alt(data: pl.DataFrame, split: str, *, country_name: str,
              per_100k: bool = False, group: str | None = None, lang: str | None = None) -> str:
    """'United Kingdom, detected victims by sex and age: girls (female, 0–17) rose from 150 in
    2009 to 1,079 in 2020; …' ('<5' reads '<5'; per 100,000 people when chosen). In ``lang``
    (English by default; ``country_name`` and ``group`` are given in it)."""
    from indicators.alt_text import _colon, _points, _semi, change_words, label_change

    _ = translator(lang)
    head = _("{name}, detected victims by {split}").format(
        name=country_name, split=_(SPLITS[split])) + (
        f", {group}," if group else "") + (" " + _("per 100,000 people") if per_100k else "")
    if data.is_empty():
        return _colon(head, _("no data") + ".", lang)
    clauses = []
    for category in data["category"].unique(maintain_order=True).to_list():
        rows = data.filter(pl.col("category") == category)
        if per_100k:
            rows = rows.select("year", pl.col("per_100k").alias("value"),
                               pl.col("per_100k_lower").alias("lower"),
                               pl.col("per_100k_upper").alias("upper"),
                               pl.col("per_100k_text").alias("value_text"))
        label = _(data.filter(pl.col("category") == category)["label"][0])
        clauses.append(label_change(label, change_words(_points(rows), lang), lang))
    return _colon(head, _semi(lang).join(clauses), lang) + "."


def places_alt(data: pl.DataFrame, *, title: str, note: str | None = None,
               lang: str | None = None, abroad: bool = False) -> str:
    """'United Kingdom: citizenship of the victims detected in 2019: United Kingdom (own
    nationals) 2,864; Albania 1,705; …' and what is not drawn. In ``lang`` (English by
    default; ``title`` and ``note`` are given in it); ``abroad``: the rows' places are the
    countries that detected the victims (``abroad_bars``)."""
    from indicators.alt_text import _colon, _semi

    _ = translator(lang)
    if data.is_empty():
        return _colon(title, _("no data") + ".", lang)
    items = _semi(lang).join(
        f"{place_label(r, lang, abroad=abroad)} {localise_value(r['value_text'], lang)}"
        for r in data.iter_rows(named=True))
    return _colon(title, items, lang) + "." + (f" {note}" if note else "")
