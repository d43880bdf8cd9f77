"""Anti-Trafficking Indicators: the dashboard's entry point.

Two roles in one file. `streamlit run app.py` (and `make run`, `make serve`) finds ``app``
below, an ``st.App``: the server that answers the pages and, on the same port, the read API
under /api/v1/ (indicators.api). The same file is also the script every page view runs
(navigation, theme, connection); Streamlit runs it with a script context, AppTest too.
"""

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

# imported by the server: the pages and the API together
if get_script_run_ctx(suppress_warning=True) is None:
    from streamlit.runtime.pages_manager import PagesManager

    from indicators.api import routes

    # The pages live in pages/, which Streamlit would otherwise take, on the first run in a
    # process, for an old-style multipage folder: the first visitor saw the folder's file
    # names as a menu until st.navigation below replaced it. st.navigation lists the pages.
    PagesManager.uses_pages_directory = False

    # The figures and the first views' frames are built now, not by the first visitor.
    import threading

    from pages.warm import warm_up

    threading.Thread(target=warm_up, name="indicators-warm-up", daemon=True).start()

    app = st.App("app.py", routes=routes())
else:  # a page view
    from pages.phone import phone_layout
    from pages.shared import (
        choose_language,
        language_selector,
        page_language,
        show_latest,
        tr,
    )

    # "auto": the menu is open on a wide screen and closed on a narrow one (Streamlit's medium
    # breakpoint), where it would otherwise cover the page.
    st.set_page_config(
        page_title="Anti-Trafficking Indicators",
        page_icon="⚖",
        layout="wide",
        initial_sidebar_state="auto",
    )
    phone_layout()  # the charts and the page on a narrow screen (pages/phone.py)

    # The figures this run shows, the newest (read once per data version, and held for the
    # whole run); a database that cannot be opened says so.
    show_latest()

    # The language of this run (the link's ?lang=, else the session's or the browser's), and
    # its choice in the sidebar.
    language_notices = choose_language()
    page_language()  # <html lang>, for screen readers
    _ = tr()

    # One flat list: Streamlit's menu with section headings puts its <li> items inside <div>s,
    # which screen readers cannot count as a list (axe rules list/listitem;
    # docs/accessibility.md).
    navigation = st.navigation(
        [
            st.Page("pages/overview.py", title=_("Overview"), icon=":material/home:", default=True),
            st.Page("pages/compare.py", title=_("Compare countries"), icon=":material/show_chart:"),
            st.Page("pages/country.py", title=_("Country profile"), icon=":material/public:"),
            st.Page("pages/breaks.py", title=_("Series breaks"), icon=":material/timeline:"),
            st.Page("pages/methodology.py", title=_("Data and methodology"),
                    icon=":material/menu_book:"),
            st.Page("pages/upload.py", title=_("Upload figures"), icon=":material/upload:"),
            st.Page("pages/history.py", title=_("History"), icon=":material/history:"),
        ]
    )
    language_selector()
    for notice in language_notices:
        st.warning(notice, icon=":material/translate:")
    navigation.run()
