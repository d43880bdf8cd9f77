"""Overview: the world against the five indicators of success, one card each, and SDG 16.2.2
set apart."""

import polars as pl
import streamlit as st

from indicators import brief, page_state, views
from indicators.measures import (
    DENOMINATOR_NOTE,
    PAPER_CITATION,
    PAPER_INDICATORS,
    SDG_HEADING,
    SDG_INDICATOR,
)
from indicators.settings import IndicatorSettings
from pages.shared import (
    countries,
    default_year,
    file_button,
    follow_the_database,
    indicator_card,
    indicators,
    observations,
    page_query,
    part,
    plain,
    rerun_parts,
    show_notices,
    shown_view,
    sources,
    widget_part,
    write_query,
)

settings = IndicatorSettings()
frame = indicators(settings)
years = sorted(frame["year"].unique().to_list())
span = (years[0], years[-1])
CARDS, FILES = "ovw_cards_part", "ovw_files_part"


@part(FILES)
def title_part() -> None:
    """The title, with the world brief made at the click for the year the cards show then (the
    page's query, which the cards write)."""
    shown = shown_view()
    all_observations, all_countries, all_sources = observations(), countries(), sources()

    def make_brief() -> bytes:
        state, _ = page_state.parse_overview(shown.queries.get("overview", {}), years=span)
        return brief.world_brief_pdf(
            frame=frame, observations=all_observations, countries=all_countries,
            sources=all_sources, settings=settings, year=state.year,
            link=shown.links.get("overview") or None)

    title, files = st.columns([3, 1], vertical_alignment="center")
    title.title("Anti-Trafficking Indicators")
    errors = st.container()
    with files.container(horizontal=True, horizontal_alignment="right"):
        file_button(
            "World brief (PDF)", make_brief, key="ovw_brief",
            file_name=brief.file_name("world"), mime="application/pdf",
            what="The world brief", icon=":material/picture_as_pdf:",
            help="The world on two A4 pages: the five indicators as on this page, the world "
            "against its regions, the sources and the method.", errors=errors,
        )


title_part()
follow_the_database()
st.markdown(
    "How far the world is from the five measurable indicators of success in Saif & Khan "
    "(2026), on published UNODC and Walk Free figures. Missing figures are shown as "
    "'no data', never as zero; a figure published as '<5' is kept as a range."
)

query, apply = page_query("overview", ("overview_year",))
state, notices = page_state.parse_overview(query, years=span)
if apply:
    st.session_state["overview_year"] = state.year or page_state.RECOMMENDED
show_notices(notices if apply else [])

st.info(
    f"**Read the rates with care.** {DENOMINATOR_NOTE} Rates therefore compare each year's "
    "counts with one 2021 estimate. **Coverage** on each card says how many countries have "
    "the figures that year, and what share of all estimated victims live in them: a world "
    "value covers only those countries.",
    icon=":material/info:",
)

page_year = default_year(settings)
widget_part("overview_year_part", lambda: st.selectbox(
    "Year shown on the cards",
    options=[page_state.RECOMMENDED, *reversed(years)],
    format_func=lambda y: f"{page_year.year}: the latest well-covered year (recommended)"
    if y == page_state.RECOMMENDED and page_year.year else
    ("Recommended" if y == page_state.RECOMMENDED else str(y)),
    key="overview_year",
    help="The newest year often has figures for only a few countries. Every page shows the "
    "same year by default: the latest with figures for at least half as many countries as "
    "the best year.",
    on_change=rerun_parts(CARDS, FILES),
))


@part(CARDS)
def cards_part() -> None:
    """The five cards, and SDG 16.2.2 set apart: a change of year reruns only them
    (docs/performance.md)."""
    pick = st.session_state["overview_year"]
    chosen_year = None if pick == page_state.RECOMMENDED else int(pick)
    if chosen_year is None:
        st.caption(f"**Year:** {page_year.reason}")
    for key in (*PAPER_INDICATORS, SDG_INDICATOR):
        if key == SDG_INDICATOR:
            st.markdown(f"## {SDG_HEADING}")
            st.caption("Detected victims for every 100,000 people (the World Bank's population "
                       "of the same year). It has no target: the value, its trend and its "
                       "coverage only.")
        shown = views.card(frame, key, year=chosen_year, baseline_year=settings.baseline_year,
                           page_year=page_year)
        link_query = {"indicator": key}
        if shown.year is not None:
            link_query["year"] = str(shown.year)
        indicator_card(
            shown,
            scope_name="World",
            key=f"overview_{key}",
            link=("pages/compare.py", link_query, "Compare countries on this indicator"),
        )
    write_query("overview",
                page_state.overview_query(page_state.OverviewState(year=chosen_year)))


cards_part()

used = views.sources_used(
    [s for s in sources()["citation"].to_list() if s], sources()
).filter(pl.col("publisher").is_not_null())
st.caption(
    f"Data as of: {plain(views.data_as_of(used))}. Indicators from {PAPER_CITATION}. How each "
    "value is computed, and its caveats, are on the Data and methodology page."
)
