"""What every page shares: the one database connection and cached reads through the library.

Streamlit lives here and in the pages only; the library below knows nothing about it.
"""

from __future__ import annotations

import polars as pl
import streamlit as st

from indicators import report
from indicators.bundled import init_database
from indicators.settings import IndicatorSettings, db_path
from indicators.store import Store, StoreError


@st.cache_resource(show_spinner="Opening the database…")
def _store() -> Store:
    path = db_path()
    fresh = not path.exists()
    store = Store(path)
    if fresh or store.observation_count() == 0:
        init_database(store)
    return store


def open_store() -> Store:
    """The process-wide store; on a damaged file, a clear message and a way back."""
    try:
        return _store()
    except StoreError as exc:
        st.error(f"The dashboard cannot open its database. {exc}")
        st.stop()
        raise


@st.cache_data(show_spinner=False, max_entries=32)
def _indicators(version: tuple[int, int], baseline_year: int, use_proxies: bool) -> pl.DataFrame:
    del version  # part of the cache key only
    settings = IndicatorSettings(baseline_year=baseline_year, use_proxies=use_proxies)
    return report.indicator_frame(open_store(), settings)


def indicators(settings: IndicatorSettings) -> pl.DataFrame:
    """All indicator rows for these settings, recomputed only when the data change."""
    store = open_store()
    return _indicators(store.data_version(), settings.baseline_year, settings.use_proxies)


@st.cache_data(show_spinner=False, max_entries=8)
def _countries(version: tuple[int, int]) -> pl.DataFrame:
    del version
    return open_store().countries()


def countries() -> pl.DataFrame:
    return _countries(open_store().data_version())


@st.cache_data(show_spinner=False, max_entries=8)
def _sources(version: tuple[int, int]) -> pl.DataFrame:
    del version
    return open_store().sources()


def sources() -> pl.DataFrame:
    return _sources(open_store().data_version())
