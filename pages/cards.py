"""The indicator cards of the Overview and the Country profile: value, status, target,
coverage, trend and sparkline, in the session's language."""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl
import streamlit as st

from indicators import alt_text, charts, i18n, paper, views
from indicators.i18n import N_
from indicators.measures import (
    DENOMINATOR_NOTE,
    INDICATORS,
    PAPER_INDICATORS,
    SDG_HEADING,
    SDG_INDICATOR,
    status_text,
)
from indicators.store import DataVersion
from pages.caching import per_version
from pages.shared import _key, basis_notes, language, plain, tr, with_language

# whose words an indicator's are (``Indicator.quoted_from``), in the session's language; the
# words themselves are quoted as they are, in English
QUOTED_FROM = {"The paper": N_("The paper"),
               "SDG indicator 16.2.2 (not one of the paper's five indicators)":
               N_("SDG indicator 16.2.2 (not one of the paper's five indicators)")}


def indicator_cards(frame: pl.DataFrame, *, scope: str, scope_name: str, year: int | None,
                    page_year: views.YearChoice, baseline_year: int, key: str,
                    compare: tuple[dict[str, str], str], sdg_level: int = 3,
                    sdg_note: str | None = None, fallback_year: int | None = None) -> None:
    """A page's cards: the paper's five indicators, then SDG 16.2.2 set apart under its
    heading (of level ``sdg_level``) and ``sdg_note``, for ``scope`` in ``year`` (None:
    the page's default year, whose reason is said above them). ``compare`` is the query and
    label of each card's link to Compare, to which the indicator and its year are added. A
    card whose value rests on a contributed figure says so (``basis_notes``) for a country
    scope; ``fallback_year`` is the year asked about when a card has none. The labels, the
    titles, targets, statuses and the sentences about a card's coverage, trend and years are in
    the session's language."""
    _ = tr()
    lang = language()
    label_year, label_years = _("Year:"), _("Years:")
    if year is None:
        st.caption(f"**{label_year}** {views.year_reason(page_year, lang)}")
    query, label = compare
    cards = _cards(frame, scope=scope, year=year, page_year=page_year,
                   baseline_year=baseline_year, lang=lang)
    mixed = views.mixed_years_text(list(cards.values()), year or page_year.year, lang)
    if mixed:  # one line, above the cards
        st.caption(f"**{label_years}** {mixed}")
    for indicator, shown in cards.items():
        if indicator == SDG_INDICATOR:
            st.markdown(f"{'#' * sdg_level} {_(SDG_HEADING)}")
            if sdg_note:
                st.caption(sdg_note)
        link_query = with_language({"indicator": indicator, **query})
        if shown.year is not None:
            link_query["year"] = str(shown.year)
        year_shown = shown.year or page_year.year or fallback_year
        notes = (basis_notes(indicator, [scope], (year_shown, year_shown))
                 if year_shown is not None and len(scope) == 3 and scope.isupper() else None)
        indicator_card(shown, scope_name=scope_name, key=f"{key}_{indicator}",
                       link=("pages/compare.py", link_query, label), series_notes=notes)


def indicator_card(shown: views.Card, *, scope_name: str, key: str,
                   link: tuple[str, dict[str, str], str] | None = None,
                   series_notes: list[str] | None = None) -> None:
    """One indicator as a card: value, status in words and icon, target, coverage, year (when
    it is not the page's), trend, series breaks. ``link`` is (page, query, label) for the
    click-through."""
    _ = tr()
    lang = language()
    label_exactly, label_target, label_coverage = _("Exactly:"), _("Target:"), _("Coverage:")
    label_series, label_year = _("Series:"), _("Year:")
    meta = INDICATORS[shown.indicator]
    with st.container(border=True):
        left, middle, right = st.columns([1.45, 1.6, 1.25])
        with left:
            st.markdown(f"**{shown.number}. {_(shown.title)}**")
            exact = (f" {label_exactly} {i18n.localise_value(shown.value_hover, lang)}."
                     if shown.value_hover else "")
            st.metric(
                label=f"{scope_name}, {shown.year}" if shown.year else scope_name,
                value=i18n.localise_value(shown.value_text, lang),
                help=f"{_(QUOTED_FROM.get(meta.quoted_from, meta.quoted_from))}: "
                f"{paper.in_quotes(shown.paper_wording, lang)}.{exact}",
            )
            # an indicator without any target (SDG 16.2.2) has a value, no status
            if not (meta.target is None and shown.status == "no_target"):
                st.markdown(f"**{status_text(shown.status, shown.basis, _)}**")
        with middle:
            st.caption(f"**{label_target}** {_(shown.target_text)}")
            st.caption(f"**{label_coverage}** {shown.coverage_text}")
            for note in series_notes or ():
                st.caption(f"**{label_series}** {plain(note)}")
            if shown.year_note:
                st.caption(f"**{label_year}** {shown.year_note}")
            for line in (shown.trend_text, shown.projection_text, shown.break_text):
                if line:
                    st.caption(line)
            if shown.proxy and not shown.proxy.startswith(DENOMINATOR_NOTE):
                st.caption(_(shown.proxy))
            elif shown.proxy:
                st.caption(_("Denominator: Walk Free's 2021 estimate (see the note above)."))
            if shown.definition and shown.status == "no_data":
                st.caption(_(shown.definition))
        with right:
            series = shown.series
            trend = card_trend(_key()[0], shown, scope_name, lang)
            if trend is not None:
                fig, words = trend
                st.plotly_chart(fig, config={"displayModeBar": False, "staticPlot": False},
                                key=f"{key}_spark", width="stretch", theme=None, alt=words)
                drawn = series.filter(pl.col("lower").is_not_null())
                first, last = drawn["year"].min(), drawn["year"].max()
                span = str(first) if first == last else f"{first}–{last}"
                hollow = ("; " + _("○ hollow: few countries that year")
                          if "thin" in drawn.columns and drawn["thin"].any() else "")
                ring = ("; " + _("ringed: possible break in the series")
                        if drawn["series_break"].any() else "")
                st.caption(span + _(", from zero; ◆ the year shown") + hollow + ring)
            if link:
                page, query, label = link
                st.page_link(page, label=label, icon=":material/show_chart:", query_params=query)


@per_version(512)
def _sparkline(version: DataVersion, indicator: str, content: tuple[object, ...],
               highlight_year: int | None, scope_name: str, lang: str,
               _series: pl.DataFrame) -> tuple[go.Figure, str]:
    fig = charts.sparkline(_series, indicator, highlight_year=highlight_year, lang=lang)
    return fig, alt_text.sparkline(_series, indicator, scope_name, highlight_year, lang)


def card_trend(version: DataVersion, shown: views.Card, scope_name: str, lang: str
               ) -> tuple[go.Figure, str] | None:
    """A card's trend (``charts.sparkline``) and its sentence (``alt_text.sparkline``); None
    when its series has no figure. Kept by what the series holds (its columns, types and every
    value: a card's few dozen rows), so the Overview's and every Country profile's cards are
    drawn once per data version."""
    series = shown.series
    if not (series.height and series["lower"].drop_nulls().len()):
        return None
    content = (tuple(series.columns), tuple(str(t) for t in series.dtypes),
               tuple(series.rows()))
    return _sparkline(version, shown.indicator, content, shown.year, scope_name, lang, series)


def _cards(frame: pl.DataFrame, *, scope: str, year: int | None, page_year: views.YearChoice,
           baseline_year: int, lang: str) -> dict[str, views.Card]:
    return {indicator: views.card(frame, indicator, scope=scope, year=year,
                                  baseline_year=baseline_year, page_year=page_year, lang=lang)
            for indicator in (*PAPER_INDICATORS, SDG_INDICATOR)}


def warm_cards(version: DataVersion, frame: pl.DataFrame, *, scope: str, scope_name: str,
               page_year: views.YearChoice, baseline_year: int, lang: str) -> None:
    """Draw the trends of ``scope``'s cards in the page's default year, as ``indicator_cards``
    would, before anyone asks (``pages.shared.warm_up``: the Overview's world cards)."""
    for shown in _cards(frame, scope=scope, year=None, page_year=page_year,
                        baseline_year=baseline_year, lang=lang).values():
        card_trend(version, shown, scope_name, lang)
