"""Compare countries: one indicator at a time, over time, ranked, on a map and in a table.
The published counts can be compared too, as counts or per 100,000 population.

A click reruns only what it changes (docs/performance.md). The charts live in three fragments:
the chart over time, the ranking, and the map with its table. The widgets stay where they have
always been; each one's callback names the fragments that depend on it, so adding a country
redraws the chart over time and the ranking, never the map, the table or the header. The
indicator (or count) and its measure, the baseline year and the proxies change everything, so they
rerun the page.

One exception, asked for: "Mark the chosen countries on the map" (off by default, ``mark=on`` in
the link) outlines the chosen countries on the map, so with it on the map depends on the
selection and a change of countries reruns the map too. Turning it on or off reruns the page,
which registers the selection's callback with or without the map.
"""

import streamlit as st

from indicators import (
    alt_text,
    charts,
    figure_export,
    i18n,
    page_state,
    paper,
    series_views,
    views,
)
from indicators.compute import WORLD
from indicators.i18n import N_
from indicators.measures import (
    COUNT_VIEW_TARGET,
    INDICATORS,
    MEASURES,
    PER_100K_VIEW_TARGET,
    SDG_INDICATOR,
    indicator_meta,
)
from indicators.series import CONTRIBUTED, OFFICIAL, SOURCE_RULE, series_label
from indicators.settings import IndicatorSettings
from pages.cards import QUOTED_FROM
from pages.compare_figures import (
    compare_choices,
    compare_lines,
    compare_map,
    compare_ranking,
    compare_table,
)
from pages.shared import (
    built,
    chart,
    countries,
    data,
    data_api,
    data_table,
    download_all,
    language,
    names,
    page_query,
    page_start,
    part,
    plain,
    recommended_year,
    rerun_parts,
    series_frame,
    show_notices,
    widget_part,
    write_query,
    year_box,
)
from pages.shared import (
    series_options as series_options_for,
)

LINES, RANKING, MAP = "cmp_lines_part", "cmp_ranking_part", "cmp_map_part"
FILES = "cmp_files_part"

_, lang = page_start(N_("Compare countries"))
st.markdown(_(
    "One indicator at a time, for the countries and regions you choose. Every chart can be "
    "downloaded with its title, sources and notes; the address bar keeps your choices, so "
    "the link shows the same view."
))

all_years, scope_options = compare_choices(lang)
span = (all_years[0], all_years[-1])
scope_names = names()
scope_kinds = views.scope_kinds(countries())

WIDGETS = ("cmp_indicator", "cmp_scopes", "cmp_years", "cmp_year", "cmp_baseline", "cmp_proxies",
           "cmp_scale", "cmp_map", "cmp_mark", "cmp_per", "cmp_series")
query, apply = page_query("compare", WIDGETS)
state, notices = page_state.parse_compare(query, scopes=scope_options, years=span)
series_options = series_options_for("cmp_series", query, apply, notices)
if apply:
    st.session_state.update({
        "cmp_indicator": state.indicator,
        "cmp_scopes": list(state.scopes),
        "cmp_years": state.years,
        "cmp_year": state.year or page_state.RECOMMENDED,
        "cmp_baseline": state.baseline,
        "cmp_proxies": state.proxies,
        "cmp_scale": state.scale,
        "cmp_map": state.map_mode,
        "cmp_mark": state.mark,
        "cmp_per": state.per,
    })
show_notices(notices if apply else [])

def _choice_label(key: str) -> str:
    if key == SDG_INDICATOR:
        return f"{INDICATORS[key].number}. {_(INDICATORS[key].title)} (SDG 16.2.2)"
    if key in INDICATORS:
        return f"{INDICATORS[key].number}. {_(INDICATORS[key].title)}"
    return _("Published count: {measure}").format(measure=_(MEASURES[key].label))


top_left, top_per, top_mid, top_right = st.columns([3, 1.5, 1, 1.3])
indicator = top_left.selectbox(
    _("Indicator or published count"),
    options=list(page_state.COMPARE_CHOICES),
    format_func=_choice_label,
    key="cmp_indicator",
    help=_("The paper's five indicators, SDG 16.2.2, or one of the published counts (detected "
           "victims, persons prosecuted, convicted …), which have no target."),
)
is_count = indicator not in INDICATORS
per = top_per.radio(
    _("Measure"), options=list(page_state.PER_CHOICES), key="cmp_per",
    format_func={"count": _("Count"), "100k": _("Per 100,000 population")}.get,
    disabled=not is_count,
    help=_("For a published count: the number itself, or per 100,000 people (the World Bank "
           "population of the same year; regions and the world: ratio of sums over the "
           "countries with both figures). Detected victims per 100,000 people is SDG 16.2.2."),
)
view = page_state.view_key(indicator, per)
baseline = top_mid.selectbox(
    _("Baseline year"), options=all_years, key="cmp_baseline",
    help=_("Indicator 2 compares each year with this one; trends and the deadline "
           "(baseline + 10 years) start here."),
)
proxies = top_right.toggle(
    _("Use proxies"), key="cmp_proxies",
    help=_("Where no country publishes a series, stand-ins are used and labelled: UNODC's "
           "detected victims for victims reported (indicator 2), and reporting to UNODC for "
           "data sharing (indicator 3)."),
)
def _scopes_changed() -> None:
    """A change of countries redraws the parts that draw them; the whole page when the year
    is on 'recommended' and the new scopes' recommended year is another (the year box, the
    map and the table follow it)."""
    if (st.session_state["cmp_year"] == page_state.RECOMMENDED
            and recommended_year(settings, st.session_state["cmp_scopes"]).year
            != recommended.year):
        st.rerun()
    rerun_parts(LINES, RANKING, *((MAP,) if marking else ()))()


pick_left, pick_right = st.columns([3, 2])
# With the chosen countries outlined on the map, the map depends on the selection too.
marking = bool(st.session_state.get("cmp_mark"))
with pick_left:
    widget_part("cmp_scopes_part", lambda: st.multiselect(
        _("Countries and regions"),
        options=scope_options,
        format_func=lambda s: views.scope_label(s, scope_names, scope_kinds, lang),
        key="cmp_scopes",
        help=_("Regions, UN M49 subregions ({examples}, …) and the world are ratios of sums "
               "over the countries with figures that year. Choose as many as you like: beyond "
               "{n} (and the world) the chart keeps the first {n} in colour and draws the "
               "others in grey.").format(
            examples=", ".join(i18n.place_name(r, r, lang)
                               for r in ("Western Africa", "South-eastern Asia")),
            n=charts.COLOURED_LINES) + " " + _(
            "A country is listed once it has a value for at least one indicator; the Country "
            "profile shows every country's published figures."),
        on_change=_scopes_changed,
    ))
with pick_right:
    widget_part("cmp_years_part", lambda: st.slider(
        _("Years"), min_value=span[0], max_value=span[1], key="cmp_years",
        on_change=rerun_parts(LINES, MAP)))

series = st.selectbox(
    _("Series"), options=series_options,
    format_func=lambda c: series_views.series_choice_label(c, lang),
    key="cmp_series",
    help=_("The official figures (UNODC, Walk Free, World Bank), or a contributing "
           "organisation's published series: its values are then shown beside the official "
           "ones, below the map."), disabled=len(series_options) == 1,
)
settings = IndicatorSettings(baseline_year=int(baseline), use_proxies=bool(proxies))
meta = indicator_meta(view)


def _view_title() -> str:
    """The indicator's or published count's name in the session's language."""
    if view in INDICATORS:
        return _(meta.title)
    label = _(MEASURES[indicator].label)
    if meta.unit == "per_100k":
        return _("{measure} per 100,000 people").format(measure=label)
    return label


def _target_words() -> str:
    return _({COUNT_VIEW_TARGET: N_("none: a published count, not one of the indicators"),
              PER_100K_VIEW_TARGET: N_("none: a published count per 100,000 people, not one "
                                       "of the indicators")}.get(meta.target_text,
                                                                  meta.target_text))

view_title = _view_title()


@part(FILES)
def heading_part() -> None:
    """The indicator's name, with 'Download all (ZIP)': the three charts as they are at the
    click (pages/shared.py)."""
    heading, files = st.columns([4, 1], vertical_alignment="bottom")
    heading.markdown(f"## {meta.number}. {view_title}" if meta.number else f"## {view_title}")
    errors = st.container()
    with files.container(horizontal=True, horizontal_alignment="right"):
        download_all(keys=("cmp_lines", "cmp_rank", "cmp_map_fig"), page="compare",
                     title=_("Compare countries: {title}").format(title=view_title),
                     file_stem=figure_export.file_stem(view, "charts"), errors=errors)


heading_part()
if lang == i18n.ENGLISH and meta.number:
    st.caption(
        f"{meta.quoted_from}: “{meta.paper_wording}”. Computed as "
        f"{views.formula_words(view)}. Target: {meta.target_text}."
    )
elif meta.number:  # the paper's words quoted as they are, in English
    st.caption(_("{who}: {quote}. Computed as {formula}. Target: {target}.").format(
        who=_(QUOTED_FROM.get(meta.quoted_from, meta.quoted_from)),
        quote=paper.in_quotes(meta.paper_wording, lang),
        formula=views.formula_words(view, lang), target=_(meta.target_text)))
elif per == "100k":
    st.caption(_("Computed as {formula} (the World Bank population of the same year). Regions "
                 "and the world add up the countries with the figures that year (a ratio of "
                 "sums, never an average of rates). Target: {target}.").format(
        formula=views.formula_words(view, lang), target=_target_words()))
else:
    st.caption(_("Computed as {formula}. Regions and the world add up the countries with the "
                 "figures that year. Target: {target}.").format(
        formula=views.formula_words(view, lang), target=_target_words()))
widget_part("cmp_scale_part", lambda: st.radio(
    _("Scale"), options=list(page_state.SCALES), horizontal=True, key="cmp_scale",
    format_func={"auto": _("Automatic"), "target": _("Always show the target"),
                 "data": _("Fit the data"), "log": _("Log scale")}.get,
    help=_("'Automatic' uses a log scale when the values span more than two orders of "
           "magnitude (so a country at {small} is not flattened under one at {large}); "
           "otherwise it fits the data and says where the target is when the target is far "
           "above every value.").format(small=i18n.localise_value("0.07%", lang),
                                        large=i18n.localise_value("8.7%", lang)),
    on_change=rerun_parts(LINES, RANKING),
))


def _sync_url() -> None:
    """The address bar from the widgets' current values (every part calls it after a rerun)."""
    shown = st.session_state
    year_pick = shown["cmp_year"]
    query = page_state.compare_query(page_state.CompareState(
        indicator=indicator,
        per=str(per),
        scopes=tuple(shown["cmp_scopes"]),
        years=(int(shown["cmp_years"][0]), int(shown["cmp_years"][1])),
        year=None if year_pick == page_state.RECOMMENDED else int(year_pick),
        baseline=int(baseline),
        proxies=bool(proxies),
        scale=shown["cmp_scale"],
        map_mode=shown["cmp_map"],
        mark=bool(shown["cmp_mark"]),
    ))
    if shown.get("cmp_series", OFFICIAL) != OFFICIAL:
        query["series"] = shown["cmp_series"]
    write_query("compare", query)


def _embed(kind: str, **chosen: str) -> tuple[str, dict[str, str]]:
    """The chart-only address's parameters (``/api/v1/charts/{kind}``) of a chart on this
    page: the page URL's names, for what the chart draws."""
    query = {"indicator": indicator, **({"per": "100k"} if per == "100k" else {}), **chosen}
    if view in INDICATORS:
        query |= {"baseline": str(baseline), "proxies": "on" if proxies else "off"}
    return kind, query


def _year() -> int:
    """The year of the ranking, map and table: the pick, or the default year (every page's)."""
    pick = st.session_state["cmp_year"]
    if pick == page_state.RECOMMENDED:
        return recommended.year or span[1]
    return int(pick)


@part(LINES)
def lines_part() -> None:
    chosen = st.session_state["cmp_scopes"]
    year_range = st.session_state["cmp_years"]
    if not chosen:
        st.info(_("Choose at least one country or region to draw the chart over time."))
    if views.country_values_are_flags(view) and any(
        views.is_country_code(s) for s in chosen
    ):
        st.caption(_(
            "For this indicator a single country's value is its yes/no sharing flag; "
            "countries are in the map and table below, and the chart shows the world and "
            "regions."
        ))
    # Figures come built from a per-process cache keyed on exactly what determines them, so
    # a view another visitor already asked for costs no building (see pages/shared.py).
    lines = compare_lines(settings, view, chosen, year_range, st.session_state["cmp_scale"],
                          language())
    chart(lines, key="cmp_lines",
          stem=figure_export.file_stem(view, year_range[0], year_range[1]),
          embed=_embed("lines", countries=",".join(chosen),
                       years=f"{year_range[0]}-{year_range[1]}",
                       scale=st.session_state["cmp_scale"]) if chosen else False)
    _sync_url()


lines_part()

st.markdown("## " + _("One year: ranking, map and table"))
# the latest well-covered year of the scopes on screen (the world's when it is among them)
recommended = recommended_year(settings, st.session_state["cmp_scopes"])
left, right, mark_col = st.columns([2, 1.4, 1.6])
with left:
    year_box(_("Year"), key="cmp_year", years=all_years, recommended=recommended,
             on_change=rerun_parts(RANKING, MAP))
with right:
    widget_part("cmp_map_mode_part", lambda: st.radio(
        _("Map shows"), options=list(page_state.MAP_MODES), horizontal=True, key="cmp_map",
        format_func={"value": _("Value"), "status": _("Status")}.get,
        on_change=rerun_parts(MAP),
    ))
mark_col.toggle(
    _("Mark the chosen countries on the map"), key="cmp_mark",
    help=_("Outlines the countries chosen above on the map. Off by default: the map then stays "
           "as it is when the countries change."),
)


@part(RANKING)
def ranking_part() -> None:
    year = _year()
    if st.session_state["cmp_year"] == page_state.RECOMMENDED:
        st.caption(views.year_reason(recommended, lang))
    chosen = st.session_state["cmp_scopes"]
    ranked = compare_ranking(settings, view, year, chosen or [WORLD],
                             st.session_state["cmp_scale"], lang)
    chart(ranked, key="cmp_rank", stem=figure_export.file_stem(view, year, "ranking"),
          embed=_embed("ranking", countries=",".join(chosen or [WORLD]), year=str(year),
                       scale=st.session_state["cmp_scale"]))
    _sync_url()


ranking_part()


@part(MAP)
def map_part() -> None:
    year = _year()
    map_mode = st.session_state["cmp_map"]
    first_year = min(int(st.session_state["cmp_years"][0]), year)
    marked = tuple(st.session_state["cmp_scopes"]) if st.session_state["cmp_mark"] else ()
    world = compare_map(settings, view, year, first_year, map_mode, marked, lang)
    chart(world, key="cmp_map_fig", stem=figure_export.file_stem(view, year, "map", map_mode),
          embed=_embed("map", year=str(year), years=f"{first_year}-{year}", map=map_mode))
    st.markdown("### " + _("Every country: latest figure from {first} to {last}").format(
        first=first_year, last=year))
    table, table_csv = compare_table(settings, view, year, first_year, lang)
    data_table(table, hide_index=True, width="stretch", key="cmp_table")
    csv_col, api_col, _space = st.columns([1, 1, 5])
    csv_col.download_button(
        _("Table (CSV)"), data=table_csv,
        file_name=f"{figure_export.file_stem(view, year, 'countries')}.csv",
        mime="text/csv", key="cmp_table_csv", on_click="ignore", icon=":material/table:",
    )
    # the table's rows are the map's (each country's latest figure): one API twin for both
    data_api(world.links, api_col, api_col, title=_("Every country: latest figure"),
             chart_only=False)
    _sync_url()


map_part()


def series_part() -> None:
    """A contributed series beside the official one: the indicator computed on each, for the
    countries and years where they differ, and the contributed figures that differ."""
    label = series_label(CONTRIBUTED, series)
    st.markdown("## " + (f"Official and {label}" if lang == i18n.ENGLISH else
                         _("Official figures and those contributed by {name}").format(
                             name=series)))
    st.caption(_(SOURCE_RULE))
    years = (int(st.session_state["cmp_years"][0]), int(st.session_state["cmp_years"][1]))
    official = series_frame(settings, view, OFFICIAL)
    contributed = series_frame(settings, view, series)
    rows = series_views.both_series(official, contributed, series, view, years=years)
    if rows.is_empty():
        st.text(_("{series}'s figures give the same values as the official figures for this "
                  "indicator in {first}–{last}.").format(series=series, first=years[0],
                                                         last=years[1]))
    else:
        table = series_views.both_series_table(rows, view, scope_names, lang)
        data_table(table, hide_index=True, width="stretch", key="cmp_series_table")
        chosen = [s for s in st.session_state["cmp_scopes"] if s in set(rows["scope"])]
        drawn = chosen or rows["scope"].unique(maintain_order=True).head(4).to_list()
        shown = views.shown_names(scope_names, lang)
        lines = series_views.both_series_lines(
            views.lines_data(official, view, drawn, years, shown),
            views.lines_data(contributed, view, drawn, years, shown), series, lang)
        fig = charts.indicator_lines(
            lines, view, sources=views.sources_used(lines["source"], data().sources),
            baseline_year=settings.baseline_year, deadline_year=settings.deadline_year,
            years=years, scale=st.session_state["cmp_scale"],
            title=(f"{meta.title}: official and {label}, " if lang == i18n.ENGLISH else
                   _("{title}: official figures and those contributed by {name}, ").format(
                       title=view_title, name=series))
            + (f"{years[0]}–{years[1]}" if years[0] != years[1] else str(years[0])),
            lang=lang)
        chart(built(fig, lines), key="cmp_series_lines",
              stem=figure_export.file_stem(view, "series", years[0], years[1]),
              alt=alt_text.lines(lines, view, lang), embed=False)  # two series: the page's alone
    figures = data().figures
    differing = series_views.beside_lines(figures, series, names=scope_names, lang=lang) \
        if figures is not None else []
    if differing:
        st.markdown("**" + _("Where {series}'s figures differ from the official ones").format(
            series=plain(series)) + "**")
        st.text("\n".join(differing))


if series != OFFICIAL:
    series_part()
_sync_url()
