"""What the server builds when it starts (``pages.shared.warm_up``, run by app.py in a thread
of its own, where a failure only reaches the server's log): the first visitor finds the
Compare choices and the count views already made."""

from __future__ import annotations

import pytest
import streamlit as st

from indicators import i18n, views
from pages import compare_figures, shared


def test_the_server_start_builds_the_first_views(db, monkeypatch):
    st.cache_resource.clear()
    shared.warm_up()
    snapshot = shared.live().current()

    def not_again(*args, **kwargs):
        raise AssertionError("built again: the warm-up did not build it")

    monkeypatch.setattr(views, "scope_options", not_again)
    years, options = compare_figures._compare_choices(snapshot.version, i18n.ENGLISH, snapshot)
    assert years[0] <= 2019 <= years[-1]
    assert "GBR" in options and "WORLD" in options
    with pytest.raises(AssertionError, match="built again"):  # French: made on first use
        compare_figures._compare_choices(snapshot.version, "fr", snapshot)
    st.cache_resource.clear()
