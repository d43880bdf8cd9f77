"""Series breaks: every published count flagged as a possible break in its series (country,
measure, year, before → after) in one table, filterable by country and measure, with its CSV
and the read API's /breaks twin."""

import streamlit as st

from indicators import i18n, views
from indicators.figure_export import chart_csv, file_stem
from indicators.i18n import N_
from indicators.measures import SERIES_BREAK_WORDS
from indicators.settings import SERIES_BREAK_FACTOR, SERIES_BREAK_MIN_COUNT
from pages.shared import (
    data_api,
    data_table,
    page_query,
    page_start,
    plain,
    series_breaks,
    write_query,
)

_, lang = page_start(N_("Series breaks"))
st.markdown(_(
    "Every published count that rose or fell more than {factor}-fold from one year to the next "
    "(both figures exact and above zero, the larger at least {least}) is marked as a {words}: "
    "a change in what was recorded is the likeliest reason. The figures are as published, "
    "never altered; the charts and tables of the other pages mark the same years.").format(
    factor=i18n.localise_value(f"{SERIES_BREAK_FACTOR:g}", lang),
    least=i18n.localise_value(f"{SERIES_BREAK_MIN_COUNT:,}", lang), words=_(SERIES_BREAK_WORDS)))

breaks = series_breaks()
country_names = {code: i18n.country_name(code, name, lang) for code, name in
                 zip(breaks["iso3"].to_list(), breaks["country"].to_list(), strict=True)}
measure_labels = {key: _(label) for key, label in
                  zip(breaks["measure"].to_list(), breaks["measure_label"].to_list(),
                      strict=True)}
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
        st.info(_("No possible break is flagged for {codes}; showing the others.").format(
            codes=", ".join(unknown)))

left, right = st.columns(2)
chosen_countries = left.multiselect(
    _("Countries"), country_codes, key="brk_countries", format_func=country_names.get,
    placeholder=_("All countries"), help=_("Leave empty for every country with a flagged break."))
chosen_measures = right.multiselect(
    _("Measures"), measure_keys, key="brk_measures", format_func=measure_labels.get,
    placeholder=_("All measures"), help=_("Leave empty for every published count."))

shown = breaks
if chosen_countries:
    shown = shown.filter(shown["iso3"].is_in(chosen_countries))
if chosen_measures:
    shown = shown.filter(shown["measure"].is_in(chosen_measures))

countries_with = shown["iso3"].n_unique()
ngettext = i18n.plural_translator(lang)
found = ngettext("**{count} possible break**", "**{count} possible breaks**", shown.height)
where = ngettext("in {count} country", "in {count} countries", countries_with)
st.markdown(
    found.format(count=i18n.number(shown.height, lang)) + " "
    + where.format(count=i18n.number(countries_with, lang))
    + (_(" (filtered).") if chosen_countries or chosen_measures else ".")
)
if shown.is_empty():
    st.info(_("No possible break in the series for this choice."))
else:
    data_table(views.breaks_table(shown, lang), hide_index=True, width="stretch",
                 key="brk_table")
    csv, api, embed, _rest = st.columns([1, 1, 1, 3])
    csv.download_button(
        _("Breaks (CSV)"), data=chart_csv(shown),
        file_name=f"{file_stem('series-breaks', *chosen_countries)}.csv", mime="text/csv",
        key="brk_csv", on_click="ignore", icon=":material/table:",
        help=_("These rows, with the figure the year before (value_before), the figure "
               "(value) and times = value ÷ value_before, to two significant figures."),
    )
    data_api(shown, api, embed, title="Possible breaks in the series")
    st.caption(plain(_(
        "Change: the figure over the one the year before ('rose 8.5-fold': 5,138 ÷ 601), or "
        "the other way round for a fall ('fell 5.4-fold': 98 ÷ 18).")))

query_out = {}
if chosen_countries:
    query_out["country"] = ",".join(chosen_countries)
if chosen_measures:
    query_out["measure"] = ",".join(chosen_measures)
write_query("breaks", query_out)
