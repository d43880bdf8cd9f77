"""What the server builds when it starts (``pages.warm.warm_up``, run by app.py in a thread of
its own, where a failure only reaches the server's log): the first visitor finds the Compare
choices, the count views, the Overview's world cards and Compare's charts with no link already
made (issue 20: no cold start for the first visitor)."""

from __future__ import annotations

import gc
import weakref

import pytest
import streamlit as st

from indicators import charts, i18n, view_charts, views
from indicators import live as live_data
from pages import compare_figures, shared, warm
from pages.warm import warm_up
from tests.pages.apptest_support import count_builds, no_exceptions, visit

BUILDERS = {view_charts: ("lines", "ranking", "world_map", "latest"),
            charts: ("sparkline",), views: ("compare_table",)}


@pytest.fixture(autouse=True)
def _collected_again(monkeypatch):
    """The warm-up freezes what the process holds (a server's whole life), and again at each
    new data version; a test's process goes on to other tests, whose objects are collected
    as before."""
    monkeypatch.setattr(live_data, "_NEW_VERSION_CALLBACKS", [])
    yield
    gc.unfreeze()


def test_what_the_server_holds_from_its_start_is_left_out_of_full_collections(db):
    """A full collection walked every object of the figures in memory and the warmed caches:
    40-110 ms of a click each time one fell in a script run (issue 20's p95). After the
    warm-up they are frozen (``gc.freeze``): the snapshot's objects are in no generation a
    collection walks, and an object made later is."""
    gc.unfreeze()
    st.cache_resource.clear()
    warm_up()
    assert gc.get_freeze_count() > 100_000
    snapshot = shared.live().current()
    later = [snapshot]
    walked = {id(o) for o in gc.get_objects()}
    assert id(snapshot) not in walked
    assert id(later) in walked
    # a new data version (an approved upload) leaves the last version's figures to go: they
    # are collected once, cycles too, and what is left frozen again
    assert live_data._NEW_VERSION_CALLBACKS == [warm._collect_and_freeze]
    gone = _Cycle()
    gone.me = gone
    gc.freeze()
    kept = weakref.ref(gone)
    del gone
    gc.collect()
    assert kept() is not None  # frozen: a full collection leaves the cycle be
    warm._collect_and_freeze()
    assert kept() is None and gc.get_freeze_count() > 100_000
    st.cache_resource.clear()


class _Cycle:
    me: object = None


def test_the_server_start_builds_the_first_views(db, monkeypatch):
    st.cache_resource.clear()
    warm_up()
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


@pytest.mark.parametrize("page", [None, "pages/compare.py"], ids=["overview", "compare"])
def test_the_first_visitor_builds_no_chart(db, monkeypatch, page):
    st.cache_resource.clear()
    warm_up()
    built = count_builds(monkeypatch, BUILDERS)
    at = visit(page)
    no_exceptions(at)
    assert built == []
    # the five cards with a trend (the world has no figure for victims prosecuted), or
    # Compare's three charts
    assert len(at.get("plotly_chart")) == (5 if page is None else 3)
    st.cache_resource.clear()


def test_without_the_warm_up_the_first_visitor_builds_them(db, monkeypatch):
    """The check above can fail: with empty caches the same views build every chart."""
    st.cache_resource.clear()
    built = count_builds(monkeypatch, BUILDERS)
    visit("pages/compare.py")
    assert {"lines", "ranking", "world_map", "latest", "compare_table"} <= set(built)
    st.cache_resource.clear()
