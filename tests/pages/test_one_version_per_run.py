"""One run of a page shows one data version.

A change that lands while a page is being drawn (an approval made on the command line while a
long run is half-way) must not reach only the lower half of the page: the watch would then see
the new version as shown already and never redraw the upper half, and the page would keep
showing the old count for good (what the two-dashboards browser test once saw on a loaded
machine). The figures are taken when a run begins (app.py, ``show_latest``) and held to its
end; the next run shows the change.

The figure approved here is synthetic and labelled so in its source: the United Kingdom, 2022,
5 persons prosecuted.
"""

from __future__ import annotations

import streamlit as st
from streamlit.testing.v1 import AppTest

from indicators.store import Store
from indicators.upload.pipeline import commit, prepare

FIGURE = (b"country,year,measure,value,source,note\r\n"
          b"GBR,2022,victims_prosecuted,5,SYNTHETIC TEST DATA (one version per run),\r\n")


def _a_run_during_which_an_approval_lands() -> None:
    import streamlit as st

    from pages.shared import data, live, show_latest

    first = show_latest()  # what app.py does when a run begins
    if st.session_state.get("batch") is not None:
        # Half-way through the run, another process approves the batch, and this process's
        # background check has already read it.
        live().store.approve_batch(st.session_state.pop("batch"), reviewer="Ben")
        live().check_soon()
    st.session_state["seen"] = (first.version, data().version, live().version())


def test_a_change_landing_mid_run_waits_for_the_next_run(bundled_db, monkeypatch):
    monkeypatch.setenv("INDICATORS_DB", str(bundled_db))
    st.cache_resource.clear()
    with Store(bundled_db) as store:
        batch = commit(prepare(FIGURE, "gbr-2022.csv", store, organisation="Test NGO"), store,
                       kind="upload", contributor="Ana", organisation="Test NGO")
    at = AppTest.from_function(_a_run_during_which_an_approval_lands, default_timeout=120)
    at.session_state["batch"] = batch
    at.run()
    assert not at.exception
    began, drawn, newest = at.session_state["seen"]
    assert newest != began  # the approval reached the process during the run...
    assert drawn == began  # ...and the rest of the run still drew what it began with

    at.run()  # the next run (the watch asks for one when the versions differ) shows it
    began_next, drawn_next, newest_next = at.session_state["seen"]
    assert began_next == drawn_next == newest_next == newest
    st.cache_resource.clear()
