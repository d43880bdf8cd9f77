"""Series breaks: every published count flagged as a possible break in its series (country,
measure, year, before → after) in one table, filterable by country and measure, with its CSV
and the read API's /breaks twin."""

import streamlit as st

from indicators import views
from indicators.figure_export import chart_csv, file_stem
from indicators.measures import SERIES_BREAK_WORDS
from indicators.settings import SERIES_BREAK_FACTOR, SERIES_BREAK_MIN_COUNT
from pages.shared import (
    data_api,
    follow_the_database,
    page_query,
    plain,
    series_breaks,
    write_query,
)

st.title("Series breaks")
follow_the_database()
st.markdown(
    f"Every published count that rose or fell more than {SERIES_BREAK_FACTOR:g}-fold from one "
    f"year to the next (both figures exact and above zero, the larger at least "
    f"{SERIES_BREAK_MIN_COUNT}) is marked as a {SERIES_BREAK_WORDS}: a change in what was "
    "recorded is the likeliest reason. The figures are as published, never altered; "
    "the charts and tables of the other pages mark the same years."
)

breaks = series_breaks()
country_names = dict(zip(breaks["iso3"].to_list(), breaks["country"].to_list(), strict=True))
measure_labels = dict(zip(breaks["measure"].to_list(), breaks["measure_label"].to_list(),
                          strict=True))
country_codes = sorted(country_names, key=lambda c: country_names[c])
measure_keys = sorted(measure_labels, key=lambda m: measure_labels[m])

query, apply = page_query("breaks", ("brk_countries", "brk_measures"))
if apply:
    wanted = [c.strip().upper() for c in query.get("country", "").split(",") if c.strip()]
    st.session_state["brk_countries"] = [c for c in wanted if c in country_names]
    asked = [m.strip() for m in query.get("measure", "").split(",") if m.strip()]
    st.session_state["brk_measures"] = [m for m in asked if m in measure_labels]
    unknown = [c for c in wanted if c not in country_names]
    if unknown:
        st.info(f"No possible break is flagged for {', '.join(unknown)}; showing the others.")

left, right = st.columns(2)
chosen_countries = left.multiselect(
    "Countries", country_codes, key="brk_countries", format_func=country_names.get,
    placeholder="All countries", help="Leave empty for every country with a flagged break.")
chosen_measures = right.multiselect(
    "Measures", measure_keys, key="brk_measures", format_func=measure_labels.get,
    placeholder="All measures", help="Leave empty for every published count.")

shown = breaks
if chosen_countries:
    shown = shown.filter(shown["iso3"].is_in(chosen_countries))
if chosen_measures:
    shown = shown.filter(shown["measure"].is_in(chosen_measures))

countries_with = shown["iso3"].n_unique()
st.markdown(
    f"**{shown.height} possible break{'' if shown.height == 1 else 's'}** in "
    f"{countries_with} countr{'y' if countries_with == 1 else 'ies'}"
    + (" (filtered)." if chosen_countries or chosen_measures else ".")
)
if shown.is_empty():
    st.info("No possible break in the series for this choice.")
else:
    st.dataframe(views.breaks_table(shown), hide_index=True, width="stretch", key="brk_table")
    csv, api, embed, _ = st.columns([1, 1, 1, 3])
    csv.download_button(
        "Breaks (CSV)", data=chart_csv(shown),
        file_name=f"{file_stem('series-breaks', *chosen_countries)}.csv", mime="text/csv",
        key="brk_csv", on_click="ignore", icon=":material/table:",
        help="These rows, with the figure the year before (value_before), the figure "
        "(value) and times = value ÷ value_before, to two significant figures.",
    )
    data_api(shown, api, embed, title="Possible breaks in the series")
    st.caption(plain(
        "Change: the figure over the one the year before ('rose 8.5-fold': 5,138 ÷ 601), or "
        "the other way round for a fall ('fell 5.4-fold': 98 ÷ 18)."))

query_out = {}
if chosen_countries:
    query_out["country"] = ",".join(chosen_countries)
if chosen_measures:
    query_out["measure"] = ",".join(chosen_measures)
write_query("breaks", query_out)
