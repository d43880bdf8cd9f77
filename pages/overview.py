"""Overview: the five indicators for the world, and every country for one of them."""

import streamlit as st

from indicators.measures import INDICATORS, PAPER_CITATION
from indicators.settings import IndicatorSettings
from indicators.views import card, country_table, latest_year_with_data
from pages.shared import countries, indicators

st.title("Anti-Trafficking Indicators")
st.caption(
    "How far the world is from the five measurable indicators of success in Saif & Khan "
    "(2026), on published UNODC and Walk Free figures. Missing figures are shown as "
    "'no data', never as zero."
)

settings = IndicatorSettings()
frame = indicators(settings)

columns = st.columns(len(INDICATORS))
for column, key in zip(columns, INDICATORS, strict=True):
    shown = card(frame, key)
    with column.container(border=True):
        st.markdown(f"**{shown.number}. {shown.title}**")
        st.metric(
            label=f"World, {shown.year}" if shown.year else "World",
            value=shown.value_text,
            help=shown.paper_wording,
        )
        st.text(shown.status_text)
        st.caption(f"Target: {shown.target_text}")
        st.caption(f"Coverage: {shown.coverage_text}")
        if shown.proxy:
            st.caption(shown.proxy)
        st.caption(f"Source: {shown.sources}")

st.subheader("Countries")
left, right = st.columns(2)
key = left.selectbox(
    "Indicator",
    list(INDICATORS),
    format_func=lambda k: f"{INDICATORS[k].number}. {INDICATORS[k].title}",
)
years = sorted(frame["year"].unique().to_list())
default_year = latest_year_with_data(frame, key) or years[-1]
year = right.select_slider("Year", options=years, value=default_year)
table = country_table(frame, countries(), key, year)
st.dataframe(table, hide_index=True, width="stretch")
st.caption(f"Indicators from {PAPER_CITATION}.")
