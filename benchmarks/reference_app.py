"""The reference for benchmark 4: a one-chart Streamlit page on the same UNODC data.

About the smallest useful dashboard page: the detected victims of six countries over time, one
Plotly line chart, the data read once per process. Compare's first view is measured against
this page's, in the same run, on the same machine (docs/performance.md).

    INDICATORS_DB=data/indicators.duckdb streamlit run benchmarks/reference_app.py
"""

import os

import plotly.express as px
import polars as pl
import streamlit as st

from indicators.store import Store

COUNTRIES = ("GBR", "USA", "PHL", "AUS", "NGA", "NLD")


@st.cache_resource
def figures() -> pl.DataFrame:
    with Store(os.environ["INDICATORS_DB"], read_only=True) as store:
        observations = store.observations()
    return observations.filter(pl.col("measure") == "victims_detected"
                               ).filter(pl.col("iso3").is_in(COUNTRIES)).sort("iso3", "year")


st.set_page_config(page_title="Reference: one chart", layout="wide")
st.title("Detected victims of trafficking")
data = figures()
st.plotly_chart(px.line(data.to_pandas(), x="year", y="value", color="iso3", markers=True,
                        title="Detected trafficking victims (UNODC)"), width="stretch")
