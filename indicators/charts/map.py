"""The world map (``world_map``): each country's latest figure by value group, or its status
with its icon. Countries without a figure are 'No data' (white, outlined in grey), never the
lowest group; the value groups are round steps that always reach the target. The shapes come
from ``charts.shapes``."""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import plotly.graph_objects as go
import polars as pl

from indicators.charts.axes import tick_text
from indicators.charts.frame import (
    FONT,
    OKABE_ITO,
    PAGE_HEIGHT,
    RANGE_NOTE,
    STATUS_COLOURS,
    STATUS_TEXT_COLOURS,
    esc,
    exact_share,
    has_ranges,
    indicator_brief,
    indicator_notes,
    new_figure,
)
from indicators.charts.shapes import centroids
from indicators.charts.words import BREAK_HOVER, row_name, row_status, value_words
from indicators.i18n import N_, localise_value, translator
from indicators.measures import STATUSES, indicator_meta

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
CHOSEN_NOTE = N_("Outlined in black: the countries chosen above.")
COUNTRIES_TRACE = N_("countries")  # the shapes' trace (its name shows in no legend)
# Plotly's own base map stays hidden: the shapes drawn are the GeoJSON's.
HIDDEN_LAYERS: tuple[str, ...] = ("frame", "coastlines", "land", "countries", "ocean", "lakes")


class Category(NamedTuple):
    """One colour on the map: its legend label, its colour, its countries' rows, and the
    status it stands for ('value' for a value group)."""

    label: str
    colour: str
    rows: pl.DataFrame
    status: str

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


def _bin_labels(breaks: Sequence[float], unit: str, target: float | None,
                lang: str | None = None) -> list[str]:
    """The value groups' legend names ('under 1 in 10,000', '1 in 1,000 to under 1%', '30% or
    more (target)'), in ``lang`` (English by default)."""
    _ = translator(lang)
    if not breaks:
        return [_("All values")]
    fmt = [_break_text(b, unit, lang) for b in breaks]
    if unit == "count" and not target and breaks[0] == 1:
        labels = [_("0 (target)")]
        labels.extend(localise_value(f"{breaks[i]:,.0f}–{breaks[i + 1] - 1:,.0f}", lang)
                      for i in range(len(breaks) - 1))
        return [*labels, _("{value} or more").format(value=fmt[-1])]
    labels = [_("a fall (under {value})").format(value=fmt[0])
              if unit == "change" and breaks[0] == 0
              else _("under {value}").format(value=fmt[0])]
    labels.extend(_("{low} to under {high}").format(low=fmt[i], high=fmt[i + 1])
                  for i in range(len(breaks) - 1))
    if target is not None and breaks[-1] == target:
        last = _("{value} or more (target)").format(value=fmt[-1])
    else:
        last = _("{value} or more").format(value=fmt[-1])
    labels.append(last)
    return labels


def _break_text(value: float, unit: str, lang: str | None = None) -> str:
    """A round break point as short text: 1 in 10,000, 5%, +50%, 1,000."""
    if unit == "share":
        return tick_text(value, unit, lang)
    if unit == "change":
        return localise_value("0%" if value == 0 else f"{value * 100:+.4g}%", lang)
    return localise_value(f"{value:,.4g}", lang)


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
    lang: str | None = None,
) -> go.Figure:
    """Each country's latest figure up to ``year`` (``views.latest_figures``), by value group
    or by status. Countries without a figure are 'No data' (white, outlined in grey), never
    the lowest group. In status mode every country also carries its status icon. ``marked``
    countries (the ones chosen on the page) are outlined in black. Its words, names and
    numbers in ``lang`` (English by default)."""
    _ = translator(lang)
    meta = indicator_meta(indicator)
    ids = {str(f.get("id")) for f in geojson.get("features", [])}
    rows = data.filter(pl.col("scope").is_in(list(ids)))
    categories = (_status_categories(rows, lang) if mode == "status"
                  else _value_categories(rows, data, indicator, lang))
    fig = new_figure()
    _add_countries(fig, geojson, categories, lang)
    chosen = [c for c in marked if c in set(rows["scope"].to_list())]
    if chosen:
        _add_chosen(fig, geojson, chosen, lang)
    if mode == "status":
        _add_icons(fig, geojson, categories, lang)
    fig.update_geos(
        projection_type="natural earth",
        **{f"show{layer}": False for layer in HIDDEN_LAYERS},
        lataxis_range=[-57, 84],
        lonaxis_range=[-170, 190],
        bgcolor="white",
        domain=dict(x=[0.2, 1.0], y=[0.0, 1.0]),
    )
    fig.update_layout(
        legend=dict(orientation="v", x=0.0, xanchor="left", y=0.5, yanchor="middle",
                    bgcolor="rgba(255,255,255,0.85)", font=dict(size=13),
                    title=dict(text="<b>" + (_("Status") if mode == "status"
                                             else esc(_(_legend_unit(indicator)))) + "</b>")),
    )
    counted = data.filter(pl.col("lower").is_not_null()).height
    off_map = data.filter(~pl.col("scope").is_in(list(ids)) & pl.col("lower").is_not_null())
    notes = indicator_notes(data, lang)
    notes.append(
        _("{counted} of {total} countries and territories have a figure from {first} to "
          "{year}; each is shown with its latest one (the table gives the year).").format(
            counted=localise_value(str(counted), lang),
            total=localise_value(str(data.height), lang), first=first_year, year=year)
        + (" " + _("{n} with figures are too small for this map and are in the table.").format(
            n=localise_value(str(off_map.height), lang)) if off_map.height else "")
    )
    if has_ranges(data["lower"].to_list(), data["upper"].to_list()):
        notes.append(RANGE_NOTE)
    if chosen:
        notes.append(CHOSEN_NOTE)
    what = (_("{title}: status up to {year}") if mode == "status"
            else _("{title}: latest figure up to {year}"))
    return indicator_brief(
        fig, indicator, title=title or what.format(title=_(meta.title), year=year),
        sources=sources, notes=notes, lang=lang, height=height, axis_band=8, margin_left=20,
        margin_right=20,
    )


def _status_categories(rows: pl.DataFrame, lang: str | None = None) -> list[Category]:
    """A category per status that some country has; 'No data' white, as on the value map."""
    _ = translator(lang)
    categories = []
    for status, (words, icon) in STATUSES.items():
        part = rows.filter(pl.col("status") == status)
        if not part.is_empty():
            colour = MAP_NO_DATA if status == "no_data" else STATUS_COLOURS[status]
            categories.append(Category(f"{icon} {_(words)}", colour, part, status))
    return categories


def _value_categories(rows: pl.DataFrame, data: pl.DataFrame, indicator: str,
                      lang: str | None = None) -> list[Category]:
    """A category per value group up to the target (every one, even with no country in it),
    one for a '<5' range that spans two groups, and 'No data'."""
    _ = translator(lang)
    meta = indicator_meta(indicator)
    categories: list[Category] = []
    has_data = rows.filter(pl.col("lower").is_not_null())
    no_data = rows.filter(pl.col("lower").is_null())
    if meta.unit == "count" and indicator == "data_sharing_countries":
        categories.append(Category(_("Shares data (1)"), OKABE_ITO["blue"],
                                   has_data.filter(pl.col("lower") >= 1), "value"))
        categories.append(Category(_("Does not share data (0)"), OKABE_ITO["orange"],
                                   has_data.filter(pl.col("upper") < 1), "value"))
    else:
        target = float(meta.target) if data["target"].drop_nulls().len() else None
        exact = has_data.filter(pl.col("value").is_not_null())["value"].to_list()
        breaks = value_bins(exact or has_data["lower"].to_list(), target, meta.unit)
        labels = _bin_labels(breaks, meta.unit, target, lang)
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
            categories.append(Category(label if not part.is_empty()
                                       else _("{label}: none").format(label=label),
                                       colours[i], part, "value"))
        if split:
            categories.append(Category(_("Range across groups ('<5')"), MAP_SPLIT_RANGE,
                                       has_data.filter(pl.col("scope").is_in(split)), "value"))
    if not no_data.is_empty():
        words, icon = STATUSES["no_data"]
        categories.append(Category(f"{icon} {_(words)}", MAP_NO_DATA, no_data, "no_data"))
    return categories


def _add_countries(fig: go.Figure, geojson: dict, categories: list[Category],
                   lang: str | None = None) -> None:
    """One choropleth trace (the shapes travel once), coloured by category number; the
    legend comes from one marker trace per category."""
    locations: list[str] = []
    codes: list[int] = []
    hover: list[str] = []
    outlines: list[str] = []
    for code, (_label, colour, part, _status) in enumerate(categories):
        locations.extend(part["scope"].to_list())
        codes.extend([code] * part.height)
        hover.extend(_map_hover(r, lang) for r in part.to_dicts())
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
        featureidkey="id",
        locations=locations,
        z=codes,
        zmin=-0.5,
        zmax=count - 0.5,
        colorscale=colorscale,
        showscale=False,
        showlegend=False,
        name=translator(lang)(COUNTRIES_TRACE),
        marker=dict(line=dict(color=outlines, width=0.6)),
        customdata=hover,
        hovertemplate="%{customdata}<extra></extra>",
        meta={"role": "countries", "categories": [c[0] for c in categories]},
    ))
    _give_shapes(fig, geojson)
    for label, colour, _part, _status in categories:
        fig.add_trace(go.Scattergeo(
            lon=[None], lat=[None], mode="markers",
            marker=dict(symbol="square", size=14, color=colour,
                        line=dict(color=MAP_NO_DATA_OUTLINE, width=1)),
            name=esc(label), showlegend=True, legendgroup=label, hoverinfo="skip",
            meta={"role": "legend", "label": label},
        ))


def _give_shapes(fig: go.Figure, geojson: dict) -> None:
    """The shapes of the choropleth just added, set on it in the figure: given to
    ``go.Choropleth``, they would be copied whole once more as the trace is added (plotly's
    ``add_trace`` deep-copies a trace's properties), for nothing (the same figure:
    tests/integration/test_figures_unchanged.py)."""
    fig.data[-1].geojson = geojson


def _add_chosen(fig: go.Figure, geojson: dict, chosen: list[str],
                lang: str | None = None) -> None:
    """The countries chosen on the page outlined in black (outlines only: the fill stays the
    value's or the status's colour), and their legend entry."""
    _ = translator(lang)
    fig.add_trace(go.Choropleth(
        featureidkey="id", locations=chosen, z=[0] * len(chosen),
        colorscale=[[0, "rgba(0,0,0,0)"], [1, "rgba(0,0,0,0)"]], showscale=False,
        showlegend=False, hoverinfo="skip", name=_("chosen"),
        marker=dict(line=dict(color=MAP_MARKED_OUTLINE, width=2.2)),
        meta={"role": "chosen", "scopes": chosen},
    ))
    _give_shapes(fig, geojson)
    fig.add_trace(go.Scattergeo(
        lon=[None], lat=[None], mode="markers",
        marker=dict(symbol="square-open", size=14, color=MAP_MARKED_OUTLINE,
                    line=dict(width=2)),
        name=_("Chosen above"), showlegend=True, hoverinfo="skip",
        meta={"role": "legend", "label": _("Chosen above")},
    ))


def _add_icons(fig: go.Figure, geojson: dict, categories: list[Category],
               lang: str | None = None) -> None:
    """Each status's icon on its countries (those large enough to hold it), so the map is
    read without colour."""
    _ = translator(lang)
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
            name=_("{label} icons").format(label=esc(label)),
            meta={"role": "icons"},
        ))


def _legend_unit(indicator: str) -> str:
    return indicator_meta(indicator).title


def _bin_colours(count: int) -> list[str]:
    if count <= 1:
        return [MAP_BLUES[3]]
    step = (len(MAP_BLUES) - 1) / (count - 1)
    return [MAP_BLUES[round(i * step)] for i in range(count)]


def _map_hover(row: dict, lang: str | None = None) -> str:
    year = f" ({row['year']})" if row.get("year") is not None else ""
    exact = exact_share(row)  # from the English value ('1 in …')
    value = esc(value_words(row["value_text"], lang)) + (
        f", {esc(value_words(exact, lang))}" if exact else "")
    parts = [f"<b>{esc(row_name(row, lang))}</b>", f"{value}{year}",
             esc(row_status(row, lang))]
    if row.get("series_break"):
        parts.append(translator(lang)(BREAK_HOVER))
    return "<br>".join(parts)
