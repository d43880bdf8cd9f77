"""Compare countries: one indicator at a time, over time, ranked, on a map and in a table."""

import streamlit as st

from indicators import figure_export, page_state, views
from indicators.compute import WORLD
from indicators.measures import INDICATORS
from indicators.settings import IndicatorSettings
from pages.shared import (
    chart,
    compare_choices,
    compare_lines,
    compare_map,
    compare_ranking,
    compare_table,
    names,
    page_query,
    recommended_year,
    show_notices,
    write_query,
)

st.title("Compare countries")
st.markdown(
    "One indicator at a time, for the countries and regions you choose. Every chart can be "
    "downloaded with its title, sources and notes; the address bar keeps your choices, so "
    "the link shows the same view."
)

all_years, scope_options = compare_choices()
span = (all_years[0], all_years[-1])
scope_names = names()

query, apply = page_query("compare")
state, notices = page_state.parse_compare(query, scopes=scope_options, years=span)
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
    })
show_notices(notices if apply else [])

top_left, top_mid, top_right = st.columns([3, 1, 1.3])
indicator = top_left.selectbox(
    "Indicator",
    options=list(INDICATORS),
    format_func=lambda k: f"{INDICATORS[k].number}. {INDICATORS[k].title}",
    key="cmp_indicator",
)
baseline = top_mid.selectbox(
    "Baseline year", options=all_years, key="cmp_baseline",
    help="Indicator 2 compares each year with this one; trends and the deadline "
    "(baseline + 10 years) start here.",
)
proxies = top_right.toggle(
    "Use proxies", key="cmp_proxies",
    help="Where no country publishes a series, stand-ins are used and labelled: UNODC's "
    "detected victims for victims reported (indicator 2), and reporting to UNODC for "
    "data sharing (indicator 3).",
)
pick_left, pick_right = st.columns([3, 2])
chosen = pick_left.multiselect(
    "Countries and regions",
    options=scope_options,
    format_func=lambda s: views.scope_label(s, scope_names),
    key="cmp_scopes",
    max_selections=page_state.MAX_SCOPES,
    help="Regions and the world are ratios of sums over the countries with figures that year.",
)
year_range = pick_right.slider("Years", min_value=span[0], max_value=span[1], key="cmp_years")

settings = IndicatorSettings(baseline_year=int(baseline), use_proxies=bool(proxies))
meta = INDICATORS[indicator]

st.markdown(f"#### {meta.number}. {meta.title}")
st.caption(
    f"The paper: “{meta.paper_wording}”. Computed as {views.formula_words(indicator)}. "
    f"Target: {meta.target_text}."
)
if not chosen:
    st.info("Choose at least one country or region to draw the chart over time.")

scale = st.radio(
    "Scale", options=list(page_state.SCALES), horizontal=True, key="cmp_scale",
    format_func={"auto": "Automatic", "target": "Always show the target",
                 "data": "Fit the data"}.get,
    help="When the target is far above every value, 'Automatic' fits the data and says where "
    "the target is.",
)
if views.country_values_are_flags(indicator) and any(
    views.is_country_code(s) for s in chosen
):
    st.caption(
        "For this indicator a single country's value is its yes/no sharing flag; countries "
        "are in the map and table below, and the chart shows the world and regions."
    )
# The figures come built from a per-process cache keyed on exactly what determines them, so a
# view another visitor already asked for costs no building (see pages/shared.py).
lines = compare_lines(settings, indicator, chosen, year_range, scale)
chart(lines.fig, lines.data, key="cmp_lines", csv_data=lines.csv,
      stem=figure_export.file_stem(indicator, year_range[0], year_range[1]))

st.markdown("#### One year: ranking, map and table")
recommended = recommended_year(settings, indicator)
left, right = st.columns([2, 2])
year_options = [page_state.RECOMMENDED, *reversed(all_years)]
year_pick = left.selectbox(
    "Year",
    options=year_options,
    format_func=lambda y: f"Recommended: {recommended.year}" if y == page_state.RECOMMENDED
    and recommended.year else ("Recommended" if y == page_state.RECOMMENDED else str(y)),
    key="cmp_year",
    help="The recommended year is the latest with at least half the best coverage.",
)
year = recommended.year if year_pick == page_state.RECOMMENDED else int(year_pick)
year = year or span[1]
map_mode = right.radio(
    "Map shows", options=list(page_state.MAP_MODES), horizontal=True, key="cmp_map",
    format_func={"value": "Value", "status": "Status"}.get,
)
if year_pick == page_state.RECOMMENDED:
    st.caption(recommended.reason)

ranked = compare_ranking(settings, indicator, year, chosen or [WORLD], scale)
chart(ranked.fig, ranked.data, key="cmp_rank", csv_data=ranked.csv,
      stem=figure_export.file_stem(indicator, year, "ranking"))

first_year = min(year_range[0], year)
world = compare_map(settings, indicator, year, first_year, map_mode)
chart(world.fig, world.data, key="cmp_map_fig", csv_data=world.csv,
      stem=figure_export.file_stem(indicator, year, "map", map_mode))

st.markdown(f"##### Every country: latest figure from {first_year} to {year}")
table, table_csv = compare_table(settings, indicator, year, first_year)
st.dataframe(table, hide_index=True, width="stretch", key="cmp_table")
st.download_button(
    "Table (CSV)", data=table_csv,
    file_name=f"{figure_export.file_stem(indicator, year, 'countries')}.csv", mime="text/csv",
    key="cmp_table_csv", on_click="ignore", icon=":material/table:",
)

write_query("compare", page_state.compare_query(page_state.CompareState(
    indicator=indicator,
    scopes=tuple(chosen),
    years=(int(year_range[0]), int(year_range[1])),
    year=None if year_pick == page_state.RECOMMENDED else int(year_pick),
    baseline=int(baseline),
    proxies=bool(proxies),
    scale=scale,
    map_mode=map_mode,
)))
