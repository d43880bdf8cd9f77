"""Anti-Trafficking Indicators: the dashboard's entry point (navigation, theme, connection)."""

import streamlit as st

from pages.shared import open_store

st.set_page_config(
    page_title="Anti-Trafficking Indicators",
    page_icon="⚖",
    layout="wide",
    initial_sidebar_state="expanded",
)

open_store()

navigation = st.navigation(
    [
        st.Page("pages/overview.py", title="Overview", icon="🏠", default=True),
    ]
)
navigation.run()
