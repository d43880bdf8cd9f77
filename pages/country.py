"""Country profile: the five indicators for one country (and SDG 16.2.2 set apart), its
published figures, who its detected victims are and where they come from, and coverage."""

from collections.abc import Callable

import polars as pl
import streamlit as st

from indicators import (
    brief,
    figure_export,
    i18n,
    page_state,
    series_views,
    victims,
    view_charts,
    views,
)
from indicators.compute import WORLD
from indicators.i18n import N_
from indicators.measures import (
    DENOMINATOR_NOTE,
    INDICATORS,
    PAPER_INDICATORS,
    SDG_INDICATOR,
)
from indicators.series import CONTRIBUTED, OFFICIAL, SOURCE_RULE, series_label
from indicators.settings import IndicatorSettings
from pages import country_figures
from pages.cards import indicator_cards
from pages.shared import (
    Built,
    chart,
    chosen_year,
    countries,
    data,
    data_api,
    data_table,
    default_year,
    download_all,
    file_button,
    indicators,
    language,
    names,
    observations,
    page_query,
    page_start,
    part,
    plain,
    rerun_parts,
    series_indicators,
    show_notices,
    shown_view,
    sources,
    widget_part,
    write_query,
    year_box,
)
from pages.shared import (
    series_options as series_options_for,
)

_, lang = page_start(N_("Country profile"))
# victims.py's and view_charts' words this page shows through ``_`` (the age and sex groups, the
# forms, the words of a chart without figures), marked here for the catalog.
SHOWN_ELSEWHERE = (
    N_("all ages"), N_("children (0–17)"), N_("adults (18 or over)"), N_("both sexes"),
    N_("female"), N_("male"), N_("children"), N_("girls"), N_("boys"), N_("adults"),
    N_("women"), N_("men"), N_("Sexual exploitation"), N_("Forced labour"),
    N_("Other forms of exploitation"),
    N_("UNODC publishes forms of exploitation by sex only for children or for adults, not for "
       "all ages: choose an age group."),
    N_("{name} published no citizenships of its detected victims"),
    N_("No other country reported victims with the citizenship of {name}"),
)

base = indicators(IndicatorSettings())
all_years = sorted(base["year"].unique().to_list())
span = (all_years[0], all_years[-1])
scope_names = names()
country_frame = countries()
figures = observations()
options = views.countries_with_figures(figures, country_frame, scope_names, lang)
# the names shown: CLDR's in French and Spanish, UNODC's in English (``i18n.place_name``)
shown_names = views.shown_names(scope_names, lang)
default_country = "GBR" if "GBR" in options else options[0]

WIDGETS = ("cty_country", "cty_indicator", "cty_year", "cty_baseline", "cty_proxies",
           "cty_per", "cty_series", "cty_form_age", "cty_form_sex")
query, apply = page_query("country", WIDGETS)
state, notices = page_state.parse_country_page(
    query, countries=options, years=span, default_country=default_country
)
series_options = series_options_for("cty_series", query, apply, notices)
if apply:
    st.session_state.update({
        "cty_country": state.country,
        "cty_indicator": state.indicator,
        "cty_year": state.year or page_state.RECOMMENDED,
        "cty_baseline": state.baseline,
        "cty_proxies": state.proxies,
        "cty_per": state.per,
        "cty_form_age": state.form_age,
        "cty_form_sex": state.form_sex,
    })
show_notices(notices if apply else [])

pick, year_col, base_col, proxy_col = st.columns([2, 1.25, 0.95, 1.8])
iso3 = pick.selectbox(
    _("Country"), options=options, format_func=lambda c: shown_names.get(c, c),
    key="cty_country"
)
CARDS, VERSUS, FILES = "cty_cards_part", "cty_versus_part", "cty_files_part"
VICTIMS, ORIGINS = "cty_victims_part", "cty_origins_part"
FORMS = "cty_forms_part"
baseline = base_col.selectbox(_("Baseline year"), options=all_years, key="cty_baseline")
proxies = proxy_col.toggle(_("Use proxies"), key="cty_proxies")
chosen_series = st.selectbox(
    _("Series"), options=series_options,
    format_func=lambda c: series_views.series_choice_label(c, lang),
    key="cty_series", disabled=len(series_options) == 1,
    help=_("The official figures (UNODC, Walk Free, World Bank), or a contributing "
           "organisation's published series: its values are then shown beside the official "
           "ones."),
)

settings = IndicatorSettings(baseline_year=int(baseline), use_proxies=bool(proxies))
frame = indicators(settings)
page_year = default_year(settings, (iso3,))  # this country's latest year, not the world's
with year_col:
    year_box(_("Year shown on the cards"), key="cty_year", years=all_years,
             recommended=page_year, on_change=rerun_parts(CARDS, FORMS, ORIGINS, FILES),
             help_more=_("A card whose own figure is for another year says so."))
all_sources = sources()
name = shown_names.get(iso3, iso3)
region, subregion = (p and i18n.place_name(p, p, lang) for p in views.place_of(country_frame,
                                                                                  iso3))
# the country against its UN M49 subregion, its region and the world ('Western Africa, Africa')
groups = views.compared_groups(country_frame, iso3, scope_names)
against = views.against_words(groups, lang)


@part(FILES)
def heading_part() -> None:
    """The country's name, with its brief and 'Download all (ZIP)' made at the click from the
    view as it is then: the year on the cards comes from the page's query, which every part
    writes (_sync_url), and the charts as last drawn."""
    shown = shown_view()
    lang = language()

    def make_brief() -> bytes:
        state, _ = page_state.parse_country_page(
            shown.queries.get("country", {}), countries=options, years=span,
            default_country=default_country)
        return brief.render(brief.country_brief(
            iso3, frame=frame, observations=figures, countries=country_frame,
            sources=all_sources, settings=settings, year=state.year,
            link=shown.links.get("country") or None, lang=lang))

    heading, files = st.columns([3, 2], vertical_alignment="bottom")
    heading.header(name)
    heading.caption(" · ".join(p for p in (iso3, subregion, region) if p))
    errors = st.container()
    with files.container(horizontal=True, horizontal_alignment="right"):
        file_button(
            _("Brief (PDF)"), make_brief, key="cty_brief", file_name=brief.file_name(iso3),
            mime="application/pdf", what=_("The brief"), icon=":material/picture_as_pdf:",
            help=_("{name} on two A4 pages: the five indicators as on this page, the charts "
                   "with a sentence under each, the sources and the method.").format(
                name=name), errors=errors,
        )
        download_all(keys=("cty_vs", "cty_measures", "cty_strip"), page="country",
                     title=_("Country profile: {name}").format(name=name),
                     file_stem=figure_export.file_stem(iso3, "charts"), errors=errors)


heading_part()
st.info(f"{_(DENOMINATOR_NOTE)} "
        + _("A rate compares each year's count with that one estimate."),
        icon=":material/info:")


def _sync_url() -> None:
    """The address bar from the widgets' current values (every part calls it after a rerun)."""
    query = page_state.country_query(page_state.CountryState(
        country=iso3,
        indicator=st.session_state["cty_indicator"],
        year=chosen_year("cty_year"),
        baseline=int(baseline),
        proxies=bool(proxies),
        per=st.session_state.get("cty_per", "count"),
        form_age=st.session_state.get("cty_form_age", victims.ALL),
        form_sex=st.session_state.get("cty_form_sex", victims.ALL),
    ))
    if st.session_state.get("cty_series", OFFICIAL) != OFFICIAL:
        query["series"] = st.session_state["cty_series"]
    write_query("country", query)


@part(CARDS)
def cards_part() -> None:
    """The five cards, and SDG 16.2.2 set apart: a change of year reruns only them
    (docs/performance.md)."""
    indicator_cards(
        frame, scope=iso3, scope_name=name, year=chosen_year("cty_year"), page_year=page_year,
        baseline_year=settings.baseline_year, key="cty",
        compare=({"countries": ",".join((WORLD, *reversed(groups), iso3))},
                 _("Compare with other countries")), fallback_year=span[1],
    )
    _sync_url()


cards_part()


def series_section() -> None:
    """The chosen contributed series beside the official one for this country: each indicator
    where the two differ, and each contributed figure that differs from the official one."""
    label = series_label(CONTRIBUTED, chosen_series)
    st.subheader(f"Official and {label}" if lang == i18n.ENGLISH else
                 _("Official figures and those contributed by {name}").format(
                     name=chosen_series))
    st.caption(_(SOURCE_RULE))
    contributed = series_indicators(settings, chosen_series)
    columns = [_("Indicator"), _("Year"), _("Series"), _("Value"), _("Status")]
    tables = [series_views.both_series_table(
        series_views.both_series(frame, contributed, chosen_series, key, years=span,
                                 scopes=[iso3]), key, scope_names, lang).with_columns(
        pl.lit(f"{INDICATORS[key].number}. {_(INDICATORS[key].title)}").alias(columns[0]))
        for key in (*PAPER_INDICATORS, SDG_INDICATOR)]
    both = pl.concat(tables).select(columns)
    if both.is_empty():
        st.text(_("{series}'s figures give the same indicator values for {name} as the "
                  "official figures.").format(series=chosen_series, name=name))
    else:
        data_table(both, hide_index=True, width="stretch", key="cty_series_table")
    figures_now = data().figures
    lines = series_views.beside_lines(figures_now, chosen_series, iso3, lang=lang) \
        if figures_now is not None else []
    if lines:
        st.markdown("**" + _("Where {series}'s figures for {name} differ from the official "
                             "ones").format(series=plain(chosen_series), name=plain(name))
                    + "**")
        st.text("\n".join(lines))


if chosen_series != OFFICIAL:
    series_section()

st.subheader(_("{name} against {groups}").format(name=name, groups=against))
widget_part("cty_indicator_part", lambda: st.selectbox(
    _("Indicator"),
    options=list(INDICATORS),
    format_func=lambda k: f"{INDICATORS[k].number}. {_(INDICATORS[k].title)}",
    key="cty_indicator",
    on_change=rerun_parts(VERSUS, FILES),
))


@part(VERSUS)
def versus_part() -> None:
    """The country against its subregion, its region and the world for the chosen
    indicator."""
    indicator = st.session_state["cty_indicator"]
    scopes = [iso3, *groups, WORLD]
    if views.country_values_are_flags(indicator):
        st.caption(_(
            "For this indicator {name}'s own value is a yes/no flag (1 = sharing data); the "
            "chart shows how many countries share data in the subregion, the region and the "
            "world.").format(name=name))
    shown = country_figures.versus(
        settings, indicator, scopes, span,
        _("{name}: {indicator}, against {groups}").format(
            name=name, indicator=_(INDICATORS[indicator].title), groups=against), lang)
    chart(shown, key="cty_vs", stem=figure_export.file_stem(iso3, indicator),
          embed=("lines", {"indicator": indicator, "countries": ",".join(scopes),
                           "years": f"{span[0]}-{span[1]}",
                           "baseline": str(settings.baseline_year),
                           "proxies": "on" if settings.use_proxies else "off"}))
    _sync_url()


versus_part()



def country_chart(heading: str, shown: Built, *, key: str, kind: str) -> None:
    """One of the country's own charts under its heading: ``kind`` names its files and its
    chart-only address."""
    st.subheader(heading)
    chart(shown, key=key, stem=figure_export.file_stem(iso3, kind),
          embed=(kind, {"country": iso3}))


country_chart(_("Published figures"),
              country_figures.country_figures(iso3, name, span, lang),
              key="cty_measures", kind="figures")

estimates = views.measure_series(figures, iso3, ["estimated_victims", "gsi_population"])
if estimates.height:
    st.caption(
        _("Walk Free's estimates for this country:") + " " + "; ".join(
            f"{_(r['label'])} {views.localised_figure(r['value_text'], lang)} ({r['year']})"
            for r in estimates.to_dicts()
        ) + "."
    )

all_figures = views.measure_series(figures, iso3)
table = views.figures_table(all_figures, lang)
with st.expander(_("Every figure for {name} ({count}), with its source").format(
        name=name,  # English as it always was: no group mark
        count=table.height if lang == i18n.ENGLISH else i18n.number(table.height, lang))):
    data_table(table, hide_index=True, width="stretch", key="cty_table")
    csv_col, api_col, _space = st.columns([1, 1, 5])
    csv_col.download_button(
        _("Figures (CSV)"), data=figure_export.chart_csv(all_figures),
        file_name=f"{figure_export.file_stem(iso3, 'all-figures')}.csv", mime="text/csv",
        key="cty_table_csv", on_click="ignore", icon=":material/table:",
    )
    data_api(all_figures, api_col, api_col,
             title=_("Every figure for {name}").format(name=name),
             chart_only=False)

st.subheader(_("Who the victims are"))
st.caption(_(
    "UNODC's breakdowns of the victims detected in {name}, as the authorities reported them: "
    "by sex and age, by form of exploitation and by citizenship. Each breakdown is its own "
    "published figure: it is never added into the total, and its parts may add up to more "
    "than the total. A '<5' is a range from 1 to 4.").format(name=name))
widget_part("cty_per_part", lambda: st.radio(
    _("Show the victims' figures"), options=list(page_state.PER_CHOICES), key="cty_per",
    horizontal=True, format_func={"count": _("Count"), "100k": _("Per 100,000 people")}.get,
    help=_("Per 100,000 people divides each figure by the World Bank population of the same "
           "year: SDG 16.2.2 by sex, age and form of exploitation."),
    on_change=rerun_parts(VICTIMS),
))


def _all_ages_has_no_sex() -> None:
    """UNODC publishes forms by sex only within an age group: back to both sexes."""
    if st.session_state.get("cty_form_age") == victims.ALL:
        st.session_state["cty_form_sex"] = victims.ALL


def form_group_choice() -> tuple[str, str]:
    """Whose forms of exploitation the chart shows: an age group, and a sex within it."""
    age_col, sex_col = st.columns(2)
    age = age_col.radio(
        _("Forms of exploitation of"), options=list(victims.FORM_AGES), key="cty_form_age",
        horizontal=True, format_func=lambda a: _(victims.FORM_AGES[a]).capitalize(),
        on_change=_all_ages_has_no_sex,
        help=_("UNODC publishes each form for all ages, and separately for children and for "
               "adults: the all-ages figure is its own row, not the sum of the two."))
    sex = sex_col.radio(
        _("Sex"), options=list(victims.FORM_SEXES), key="cty_form_sex", horizontal=True,
        format_func=lambda x: _(victims.FORM_SEXES[x]).capitalize(),
        disabled=age == victims.ALL, help=_(victims.FORM_BY_SEX_NOTE))
    return age, sex if age != victims.ALL else victims.ALL


@part(VICTIMS)
def victims_part() -> None:
    """Sex and age, and forms of exploitation, over time: the count/per-100,000 choice and
    the forms' group rerun only this part."""
    per = st.session_state["cty_per"]
    st.session_state.setdefault("cty_form_age", victims.ALL)
    st.session_state.setdefault("cty_form_sex", victims.ALL)
    for split, key, words in ((victims.SEX_AGE, "cty_sex_age", "sex-age"),
                              (victims.FORM, "cty_forms", "forms")):
        age, sex = form_group_choice() if split == victims.FORM else (victims.ALL, victims.ALL)
        shown = country_figures.victim_split(iso3, name, split, span, per_100k=per == "100k",
                                             form_age=age, form_sex=sex, lang=lang)
        if shown is None:
            st.info(_("{name} has published no breakdown of its detected victims by sex, age "
                      "or form of exploitation.").format(name=name), icon=":material/info:")
            break
        group = [] if (age, sex) == (victims.ALL, victims.ALL) else [age, sex]
        embed = {"country": iso3, "split": split, "per": per} | (
            {"age": age, "sex": sex} if group else {})
        chart(shown, key=key, stem=figure_export.file_stem(iso3, "victims", words, *group, per),
              embed=("victims", embed))
    _sync_url()


@part(FORMS)
def forms_part() -> None:
    """The page's year: every form of exploitation for every age and sex group UNODC
    publishes, as published, in one table (what the brief says in words)."""
    year = chosen_year("cty_year") or page_year.year or span[1]
    rows = victims.forms_by_group(figures, iso3, year)
    if rows.is_empty():
        years = victims.form_group_years(figures, iso3)
        if years:
            st.caption(_("No forms of exploitation by age and sex for {year}; the nearest "
                         "year with them is {nearest}.").format(
                year=year, nearest=victims.nearest(years, year)))
        return
    table = victims.forms_table(rows, lang)
    st.markdown("**" + _("Forms of exploitation by age and sex, {year}").format(year=year)
                + "** " + _("(detected victims, as UNODC publishes them; the all-ages figure "
                            "is its own row, not the sum of children and adults)"))
    data_table(table, hide_index=True, width="stretch", key="cty_forms_table")


victims_part()
forms_part()

# Where the victims come from: each chart with its file name's word and what its caption says in
# a year without figures (the charts: ``view_charts.places``).
PLACES = {kind: (stem, _(view_charts.PLACE_NONE[kind]).format(name=name))
          for kind, stem in ((victims.CITIZENSHIP, "citizenship"),
                             (victims.ABROAD, "nationals-abroad"))}
place_years = {kind: victims.place_years(figures, iso3, kind) for kind in PLACES}
if not any(place_years.values()):
    st.caption(_("No citizenship figures: {name} publishes none for its detected victims, and "
                 "no other country reported victims with the citizenship of {name}.").format(
        name=name))


YEAR_ASKED = "_cty_year_asked"


def _show_year(year: int) -> Callable[[], None]:
    """A button's callback: the page's year set to ``year``. The button's part then reruns
    the whole page (``origins_part``), so the cards, the year box and the charts follow."""
    def show() -> None:
        st.session_state["cty_year"] = year
        st.session_state[YEAR_ASKED] = True

    return show


@part(ORIGINS)
def origins_part() -> None:
    """Where the victims come from, and where this country's nationals were detected abroad,
    in the page's year (the year on the cards). A chart without figures that year says so and
    offers the nearest year that has them; it never shows another year unasked."""
    if st.session_state.pop(YEAR_ASKED, False):
        st.rerun()  # a year from the button below: the whole page follows it
    year = chosen_year("cty_year") or page_year.year or span[1]
    for kind, (stem, none) in PLACES.items():
        years = place_years[kind]
        if not years:
            if any(place_years.values()):
                st.caption(none + ".")
            continue
        if year not in years:
            near = victims.nearest(years, year)
            words, button = st.columns([4, 1], vertical_alignment="center")
            words.caption(_("{none} for {year}; the nearest year with figures is {near}.")
                          .format(none=none, year=year, near=near))
            button.button(_("Show {year}").format(year=near), key=f"cty_{kind}_nearest",
                          on_click=_show_year(near),
                          help=_("Sets the page's year to {year}: the cards follow.").format(
                              year=near))
            continue
        made = country_figures.places(iso3, name, kind, year, lang)
        if made is None:  # place_years said the year has figures: never reached
            continue
        chart(made, key=f"cty_{kind}", stem=figure_export.file_stem(iso3, stem, year),
              embed=(kind, {"country": iso3, "year": str(year)}))
    _sync_url()


origins_part()

country_chart(_("Which figures exist for which years"),
              country_figures.coverage_strip(iso3, name, span, lang),
              key="cty_strip", kind="coverage")

_sync_url()
