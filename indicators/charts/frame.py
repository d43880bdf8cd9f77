"""The frame every brief-ready figure shares: palette and line styles, title and subtitle,
the target line's look, the footer with the sources, the release the data are "as of" and the
notes, and the small helpers the chart families use alike (escaping, wrapping, hover text).

The palette is Okabe-Ito (colour-blind safe); status is always written (icon and words) as
well as coloured; every line has its own dash and marker so a greyscale print still tells them
apart. The footer hangs a fixed number of pixels under the plot, so it sits in the same place
on the page and in a 1600×900 export.
"""

from __future__ import annotations

import functools
import html
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

import plotly.graph_objects as go
import plotly.io as pio
import polars as pl

from indicators.i18n import (
    ENGLISH,
    N_,
    colon,
    localise_value,
    parse_language,
    place_name,
    plural_translator,
    translator,
)
from indicators.measures import (
    DATA_SHARING_PROXY_NOTE,
    DENOMINATOR_NOTE,
    REPORTING_PROXY_NOTE,
    SDG_COMPUTED_WORDS,
    SDG_PUBLISHED_WORDS,
    Indicator,
    indicator_meta,
    note_words,
    sdg_basis_sentence,
    status_text,
    trend_words,
)
from indicators.paper import in_quotes
from indicators.views import citations, data_as_of, formula_words, value_hover

if TYPE_CHECKING:
    from indicators.charts.draft import Draft

# A figure or a draft of one (``charts.draft``): the frame is laid on either the same way.
Fig = TypeVar("Fig", go.Figure, "Draft")

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

FONT = "Liberation Sans, Arial, Helvetica, DejaVu Sans, sans-serif"
TEXT_COLOUR = "#222222"
MUTED = "#555555"
GRID = "#E6E6E6"
PAGE_HEIGHT = 640
EXPORT_WIDTH = 1600
EXPORT_HEIGHT = 900
SUBTITLE_WRAP = 140
FOOTER_WRAP = 175
# French and Spanish run longer than English in the same characters' count (wider letters,
# more spaces before punctuation): their lines are cut shorter, so that they fit too.
TRANSLATED_WRAP = 0.85
CREDIT = N_(
    "Chart: Anti-Trafficking Indicators (open source). Indicators of success from Saif & Khan "
    "(2026)."
)
RANGE_NOTE = N_(
    "Shaded band or hatched bar: a range, because a country reported '<5' (1 to 4); the true "
    "value lies inside it."
)
GAP_NOTE = N_("A gap in a line is a year without figures, not a zero.")
NO_SOURCE = N_("Source: none: the database has no figures for this selection.")
# The target line, the same on every chart that draws one: dashed, in the text's colour.
TARGET_LINE: dict[str, object] = {"color": TEXT_COLOUR, "dash": "dash", "width": 1.5}


def _english(lang: str | None) -> bool:
    return (parse_language(lang) or ENGLISH) == ENGLISH


def _count(count: int, lang: str | None) -> str:
    """A count as English wrote it before ('1234'), grouped in French and Spanish."""
    return str(count) if _english(lang) else localise_value(f"{count:,}", lang)


def esc(text: object) -> str:
    """Text made literal for Plotly's pseudo-HTML labels ('<5' stays '<5' on screen)."""
    return html.escape(str(text), quote=False)


def wrap(text: str, width: int) -> list[str]:
    """Plain text cut into lines of at most ``width`` characters, each escaped."""
    return list(_wrapped(str(text), width))


@functools.lru_cache(maxsize=4096)
def _wrapped(text: str, width: int) -> tuple[str, ...]:
    """``wrap``'s lines, kept: the same footers and subtitles come back on chart after
    chart, and textwrap is slow."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        lines.extend(textwrap.wrap(paragraph, width) or [""])
    return tuple(esc(line) for line in lines)


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


def rgba(colour: str, alpha: float) -> str:
    colour = colour.lstrip("#")
    r, g, b = (int(colour[i: i + 2], 16) for i in (0, 2, 4))
    return f"rgba({r},{g},{b},{alpha})"


def range_marker(colour: str) -> dict:
    """A '<5' range's bar: ``colour`` pale and hatched, outlined in full colour (greyscale
    keeps the hatching)."""
    return dict(color=rgba(colour, 0.35), line=dict(color=colour, width=1.5),
                pattern=dict(shape="/", fgcolor=colour, solidity=0.5))


# Plotly's template for what a chart does not set itself, the same in every process: importing
# streamlit makes its own template plotly's default ("streamlit", with placeholder colours its
# web page replaces; the pages draw with theme=None), so the dashboard's figures and those of
# the command line (a brief, an export) differed in what they left to the template. Charts are
# made under plotly's own default, put back where something changed it (naming the template on
# each figure instead validates it again: about 9 ms a figure).
TEMPLATE = "plotly"


def use_plotly_template() -> None:
    """Make ``TEMPLATE`` plotly's default again if something (importing streamlit) changed
    it; new figures (``go.Figure``, ``make_subplots``) take it."""
    if pio.templates.default != TEMPLATE:
        pio.templates.default = TEMPLATE


def new_figure(data: object = None) -> go.Figure:
    """``go.Figure(data)`` with ``TEMPLATE``, whatever the process's default was."""
    use_plotly_template()
    return go.Figure(data)


# -- the brief frame: title, subtitle, footer ---------------------------------------------------
def footer_lines(sources: pl.DataFrame, notes: Sequence[str] = (),
                 lang: str | None = None) -> list[str]:
    """The footer's paragraphs: sources, the release the data are as of, notes, credit, in
    ``lang`` (English by default; a note the catalog lacks stays as it is)."""
    _ = translator(lang)
    cited = citations(sources, lang)
    paragraphs = []
    if cited:
        paragraphs.append(_("Source:") + " " + "; ".join(cited) + ".")
    else:
        paragraphs.append(_(NO_SOURCE))
    as_of = data_as_of(sources, lang)
    if as_of:
        paragraphs.append(_("Data as of:") + f" {as_of}.")
    for note in notes:
        said = note_words(note, lang)
        if said and said not in paragraphs:
            paragraphs.append(said)
    paragraphs.append(_(CREDIT))
    return paragraphs


def brief_frame(
    fig: Fig,
    *,
    title: str,
    subtitle: str,
    footer: Sequence[str],
    height: int = PAGE_HEIGHT,
    axis_band: int = 48,
    margin_left: int = 80,
    margin_right: int = 40,
    legend_band: int = 0,
    plot_height: int = 0,
    lang: str | None = None,
) -> Fig:
    """Title, subtitle and footer laid out so that they never overlap the plot, at any size.

    ``plot_height``: the least height of the plot area (a legend beside it that must not be
    cut off); the figure grows past ``height`` to give it.

    The footer hangs a fixed number of pixels under the plot area (``yshift``), so it sits in
    the same place on the page and in a 1600×900 export. Its words are in ``lang`` (their
    lines cut shorter than English ones).
    """
    share = 1 if _english(lang) else TRANSLATED_WRAP
    sub_lines = wrap(subtitle, int(SUBTITLE_WRAP * share)) if subtitle else []
    foot_lines: list[str] = []
    for paragraph in footer:
        foot_lines.extend(wrap(paragraph, int(FOOTER_WRAP * share)))
    top = 24 + 30 + 19 * len(sub_lines) + 18 + legend_band
    bottom = axis_band + 16 * len(foot_lines) + 14
    height = max(height, top + bottom + plot_height)
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


def indicator_brief(
    fig: Fig, indicator: str, *, title: str, sources: pl.DataFrame, notes: Sequence[str],
    lang: str | None = None, **layout: int,
) -> Fig:
    """``brief_frame`` for a chart of one indicator: its definition and target as the subtitle,
    the sources and ``notes`` as the footer, in ``lang``. ``layout``: ``brief_frame``'s
    sizes."""
    return brief_frame(fig, title=title, subtitle=indicator_subtitle(indicator, lang),
                       footer=footer_lines(sources, notes, lang), lang=lang, **layout)


def labelled(label: str, words: str, lang: str | None = None) -> str:
    """'label: words' with the language's colon ('label : words' in French)."""
    return f"{label}{colon(lang)}{words}"


def target_label(meta: Indicator, lang: str | None = None) -> str:
    """The target line's label: '<b>Target</b>: more than 20%' ('<b>Cible</b> : …')."""
    _ = translator(lang)
    word = _("Target")
    return labelled(f"<b>{esc(word)}</b>", esc(_(meta.target_text)), lang)


def indicator_subtitle(indicator: str, lang: str | None = None) -> str:
    """The indicator's definition and target, and the paper's words it quotes (which stay in
    English: a translation of them is not the paper's)."""
    _ = translator(lang)
    meta = indicator_meta(indicator)
    formula = formula_words(indicator)
    definition = meta.short if formula.lower() == meta.short.lower() else \
        f"{meta.short}: {formula}"
    if _(meta.short) != meta.short:
        definition = _(meta.short)  # the formula's measures have no translation: the name
    quoted = f" {meta.quoted_from}: “{meta.paper_wording}”." if meta.paper_wording else ""
    if quoted and not _english(lang):  # the paper's words as they are, a translation beside
        quoted = " " + labelled(_(meta.quoted_from), in_quotes(meta.paper_wording, lang),
                                lang) + "."
    target = _("Target:")
    return f"{definition}. {target} {_(meta.target_text)}.{quoted}"


def indicator_notes(data: pl.DataFrame, lang: str | None = None) -> list[str]:
    """The proxy and denominator notes that apply to the rows drawn, once each; the notes
    made from the rows (coverage, SDG 16.2.2) in ``lang`` (the fixed ones are translated by
    ``footer_lines``)."""
    notes = []
    proxies = [p for p in data["proxy"].drop_nulls().unique().to_list() if p]
    for rule in (DENOMINATOR_NOTE, REPORTING_PROXY_NOTE, DATA_SHARING_PROXY_NOTE):
        if any(p.startswith(rule) for p in proxies):
            notes.append(rule)
    for p in proxies:
        if not any(p.startswith(r) for r in (DENOMINATOR_NOTE, REPORTING_PROXY_NOTE,
                                             DATA_SHARING_PROXY_NOTE)):
            notes.append(p)
    coverage = coverage_note(data, lang)
    if coverage:
        notes.append(coverage)
    sdg = sdg_note(data, lang)
    if sdg:
        notes.append(sdg)
    notes.extend(series_notes(data))
    return notes


def sdg_note(data: pl.DataFrame, lang: str | None = None) -> str | None:
    """Which SDG 16.2.2 values drawn are UNODC's published ones and which are computed
    (regions, the world, and countries UNODC publishes no value for), in one sentence, in
    ``lang``."""
    if "basis" not in data.columns:
        return None
    bases = data["basis"].to_list()
    if "lower" in data.columns:
        bases = [b for b, low in zip(bases, data["lower"].to_list(), strict=True)
                 if low is not None]
    published, computed = bases.count("published"), bases.count("computed")
    if not published and not computed:
        return None
    _ = translator(lang)
    words = {"published_words": _(SDG_PUBLISHED_WORDS), "computed_words": _(SDG_COMPUTED_WORDS)}
    if not computed:
        return _("SDG 16.2.2: {published_words}, every value drawn.").format(**words)
    if not published:
        return _("SDG 16.2.2: {computed_words}, every value drawn (UNODC publishes none for "
                 "these countries and years, and none for regions or the world).").format(**words)
    return _("SDG 16.2.2: {published_words} for {published} of the {drawn} values drawn; the "
             "other {computed} {computed_words} (UNODC publishes none for them; regions and "
             "the world are always computed).").format(
        published=_count(published, lang), drawn=_count(published + computed, lang),
        computed=_count(computed, lang), **words)


def series_notes(data: pl.DataFrame) -> list[str]:
    """Which series the values drawn rest on when it is not plain official (a ``series_note``
    column, ``series_views.with_series_note``): 'Victims reported: contributed by Test NGO'."""
    if "series_note" not in data.columns:
        return []
    return [n for n in dict.fromkeys(data["series_note"].to_list()) if n]


def coverage_note(data: pl.DataFrame, lang: str | None = None) -> str | None:
    """How many countries each world, regional or subregional value drawn rests on, so an
    exported chart says it too (a 'World' built from a few countries speaks only for them), in
    ``lang``."""
    needed = {"scope_type", "countries_counted", "name", "year", "lower"}
    if not needed <= set(data.columns):
        return None
    # a chart's few rows, read once: each place's drawn rows in year order
    by_name: dict[str, list[dict]] = {}
    for row in sorted((r for r in data.iter_rows(named=True)
                       if r["scope_type"] in ("world", "region", "subregion")
                       and r["lower"] is not None),
                      key=lambda r: (r["year"] is not None, r["year"] or 0)):
        by_name.setdefault(row["name"], []).append(row)
    if not by_name:
        return None
    _, ngettext = translator(lang), plural_translator(lang)
    parts = []
    for name, rows in by_name.items():
        counts = [r["countries_counted"] for r in rows if r["countries_counted"] is not None]
        fewest, most = (min(counts), max(counts)) if counts else (None, None)
        # the last year with the fewest, in year order
        at_fewest = [r for r in rows if fewest is not None and r["countries_counted"] == fewest]
        last = at_fewest[-1] if at_fewest else {}
        scope = str(last.get("scope") or "")
        place = place_name(scope, name, lang) if scope else name
        if fewest == most:
            parts.append(ngettext("{name}: {count} country", "{name}: {count} countries",
                                  fewest).format(name=place, count=_count(fewest, lang)))
        else:
            parts.append(_("{name}: {fewest} to {most} countries a year (fewest in {year})")
                         .format(name=place, fewest=_count(fewest, lang),
                                 most=_count(most, lang), year=last.get("year")))
    return (_("World and regional values add up only the countries with figures that year.")
            + " " + _("; ").join(parts) + ".")


def has_ranges(lower: Sequence[float | None], upper: Sequence[float | None]) -> bool:
    return any(lo is not None and hi is not None and lo != hi
               for lo, hi in zip(lower, upper, strict=True))


def exact_share(row: dict) -> str:
    """The percent behind a '1 in N' label, for hover text; '' when the label is a percent."""
    try:
        unit = indicator_meta(str(row.get("indicator"))).unit
    except KeyError:
        return ""
    if not str(row.get("value_text", "")).startswith("1 in"):
        return ""
    return value_hover(row, unit)



def row_hover(row: dict, unit_note: str = "", lang: str | None = None) -> str:
    """The hover text of one indicator row (a line's point, a ranking's bar), in ``lang``."""
    _ = translator(lang)
    exact = exact_share(row)
    value = esc(localise_value(row["value_text"], lang)) + (
        f" ({esc(localise_value(exact, lang))})" if exact else "")
    name = place_name(str(row.get("scope") or ""), row["name"], lang) if row.get("scope") \
        else row["name"]
    parts = [f"<b>{esc(name)}</b>, {row['year']}", value]
    if row.get("status_text"):
        shown = row["status_text"] if _english(lang) or not row.get("status") else \
            status_text(row["status"], row.get("basis"), _)
        parts.append(esc(shown))
    if row.get("trend") and row["trend"] != "none":
        trend = row["trend"] if _english(lang) else trend_words(row["trend"], _)
        parts.append(_("Trend since the baseline: {trend}").format(trend=esc(trend)))
    if row.get("series_break"):
        parts.append(_("Possible break in the series (check the source)"))
    if row.get("countries_counted") and row.get("scope_type") != "country":
        parts.append(_("{count} countries with figures").format(
            count=_count(row["countries_counted"], lang)))
    if row.get("note"):
        parts.append(esc(note_words(row["note"], lang)))
    basis = sdg_basis_sentence(row.get("basis"), row.get("scope_type"), _)
    if basis:  # SDG 16.2.2: UNODC's published value, or computed
        parts.append(esc(basis))
    if unit_note:
        parts.append(unit_note)
    return "<br>".join(parts)


def figure_texts(fig: go.Figure) -> str:
    """All the words a figure shows (title, subtitle, annotations), for tests and checks."""
    layout = fig.layout
    parts = [layout.title.text or "", layout.title.subtitle.text or ""]
    parts.extend(a.text or "" for a in layout.annotations)
    return html.unescape("\n".join(parts).replace("<br>", " "))
