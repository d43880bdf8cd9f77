"""Anti-Trafficking Indicators: the dashboard's entry point (navigation, theme, connection)."""

import streamlit as st

from pages.shared import data

st.set_page_config(
    page_title="Anti-Trafficking Indicators",
    page_icon="⚖",
    layout="wide",
    initial_sidebar_state="expanded",
)

data()  # the figures, read once per data version; a database that cannot be opened says so

# One flat list: Streamlit's menu with section headings puts its <li> items inside <div>s, which
# screen readers cannot count as a list (axe rules list/listitem; docs/accessibility.md).
navigation = st.navigation(
    [
        st.Page("pages/overview.py", title="Overview", icon=":material/home:", default=True),
        st.Page("pages/compare.py", title="Compare countries", icon=":material/show_chart:"),
        st.Page("pages/country.py", title="Country profile", icon=":material/public:"),
        st.Page("pages/methodology.py", title="Data and methodology", icon=":material/menu_book:"),
        st.Page("pages/upload.py", title="Upload figures", icon=":material/upload:"),
        st.Page("pages/history.py", title="History", icon=":material/history:"),
    ]
)
navigation.run()
