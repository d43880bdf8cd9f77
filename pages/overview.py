"""Overview: the world against the five indicators of success, one card each, and SDG 16.2.2
set apart."""

import polars as pl
import streamlit as st

from indicators import brief, i18n, page_state, views
from indicators.compute import WORLD
from indicators.measures import (
    DENOMINATOR_NOTE,
    PAPER_CITATION,
)
from indicators.settings import IndicatorSettings
from pages.cards import indicator_cards
from pages.shared import (
    chosen_year,
    countries,
    default_year,
    file_button,
    follow_the_database,
    indicators,
    language,
    observations,
    page_query,
    part,
    plain,
    rerun_parts,
    show_notices,
    shown_view,
    sources,
    tr,
    write_query,
    year_box,
)

settings = IndicatorSettings()
frame = indicators(settings)
years = sorted(frame["year"].unique().to_list())
span = (years[0], years[-1])
CARDS, FILES = "ovw_cards_part", "ovw_files_part"
_ = tr()


@part(FILES)
def title_part() -> None:
    """The title, with the world brief made at the click for the year the cards show then (the
    page's query, which the cards write)."""
    shown = shown_view()
    all_observations, all_countries, all_sources = observations(), countries(), sources()
    lang = language()

    def make_brief() -> bytes:
        state, _ = page_state.parse_overview(shown.queries.get("overview", {}), years=span)
        return brief.render(brief.world_brief(
            frame=frame, observations=all_observations, countries=all_countries,
            sources=all_sources, settings=settings, year=state.year,
            link=shown.links.get("overview") or None, lang=lang))

    title, files = st.columns([3, 1], vertical_alignment="center")
    title.title(_("Anti-Trafficking Indicators"))
    errors = st.container()
    with files.container(horizontal=True, horizontal_alignment="right"):
        file_button(
            _("World brief (PDF)"), make_brief, key="ovw_brief",
            file_name=brief.file_name("world"), mime="application/pdf",
            what=_("The world brief"), icon=":material/picture_as_pdf:",
            help=_("The world on two A4 pages: the five indicators as on this page, the world "
                   "against its regions, the sources and the method."),
            errors=errors,
        )


title_part()
follow_the_database()
st.markdown(_(
    "How far the world is from the five measurable indicators of success in Saif & Khan "
    "(2026), on published UNODC and Walk Free figures. Missing figures are shown as "
    "'no data', never as zero; a figure published as '<5' is kept as a range."
))

query, apply = page_query("overview", ("overview_year",))
state, notices = page_state.parse_overview(query, years=span)
if apply:
    st.session_state["overview_year"] = state.year or page_state.RECOMMENDED
show_notices(notices if apply else [])

st.info(
    "**" + _("Read the rates with care.") + "** " + _(DENOMINATOR_NOTE) + " " + _(
        "Rates therefore compare each year's counts with one 2021 estimate. **Coverage** on "
        "each card says how many countries have the figures that year, and what share of all "
        "estimated victims live in them: a world value covers only those countries."),
    icon=":material/info:",
)

page_year = default_year(settings)
year_box(_("Year shown on the cards"), key="overview_year", years=years, recommended=page_year,
         on_change=rerun_parts(CARDS, FILES),
         help_more=_("The newest year often has figures for only a few countries."))


@part(CARDS)
def cards_part() -> None:
    """The five cards, and SDG 16.2.2 set apart: a change of year reruns only them
    (docs/performance.md)."""
    year = chosen_year("overview_year")
    lang = language()
    indicator_cards(
        frame, scope=WORLD, scope_name=i18n.place_name(WORLD, "World", lang), year=year,
        page_year=page_year, baseline_year=settings.baseline_year, key="overview",
        compare=({}, _("Compare countries on this indicator")), sdg_level=2,
        sdg_note=_("Detected victims for every 100,000 people (the World Bank's population of "
                   "the same year). It has no target: the value, its trend and its coverage "
                   "only."),
    )
    write_query("overview",
                page_state.overview_query(page_state.OverviewState(year=year)))


cards_part()

used = views.sources_used(
    [s for s in sources()["citation"].to_list() if s], sources()
).filter(pl.col("publisher").is_not_null())
st.caption(
    _("Data as of: {date}. Indicators from {paper}. How each value is computed, and its "
      "caveats, are on the Data and methodology page.").format(
        date=plain(views.data_as_of(used, language())), paper=PAPER_CITATION)
)
