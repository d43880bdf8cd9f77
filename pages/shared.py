"""What every page shares: the one database connection and cached reads through the library.

Streamlit lives here and in the pages only; the library below knows nothing about it.
"""

from __future__ import annotations

from dataclasses import dataclass

import plotly.graph_objects as go
import polars as pl
import streamlit as st
from plotly.basedatatypes import BaseFigure

from indicators import charts, figure_export, report, views
from indicators.bundled import init_database
from indicators.measures import DENOMINATOR_NOTE
from indicators.settings import (
    WORLD_GEOJSON,
    IndicatorSettings,
    db_path,
    read_only_mode,
    snapshot_path,
)
from indicators.store import Store, StoreError


@st.cache_resource(show_spinner="Opening the database…", max_entries=1)
def _store(snapshot_stamp: tuple[int, int] | None = None) -> Store:
    del snapshot_stamp  # part of the cache key only: a newly published snapshot reopens
    path = db_path()
    if read_only_mode():  # a viewer replica: the writer's published copy, opened read-only
        return Store(path, read_only=True)
    fresh = not path.exists()
    store = Store(path, snapshot_to=snapshot_path())
    if fresh or store.observation_count() == 0:
        init_database(store)
    if store.snapshot_to is not None:  # the writer: viewers see exactly this file's content
        store.publish_snapshot(store.snapshot_to)
    return store


def _snapshot_stamp() -> tuple[int, int] | None:
    if not read_only_mode():
        return None
    try:
        stat = db_path().stat()
    except OSError:
        return None
    return (stat.st_ino, stat.st_mtime_ns)


def open_store() -> Store:
    """The process-wide store; on a damaged file, a clear message and a way back."""
    try:
        return _store(_snapshot_stamp())
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


# -- reads for the dashboard pages ---------------------------------------------------------------
@st.cache_data(show_spinner=False, max_entries=4)
def _observations(version: tuple[int, int]) -> pl.DataFrame:
    del version
    return open_store().observations()


def observations() -> pl.DataFrame:
    """The current published and uploaded figures, with their sources."""
    return _observations(open_store().data_version())


@st.cache_data(show_spinner=False, max_entries=8)
def _names(version: tuple[int, int]) -> dict[str, str]:
    del version
    return views.scope_names(open_store().countries())


def names() -> dict[str, str]:
    """ISO3, region or WORLD → the name people read."""
    return _names(open_store().data_version())


@st.cache_resource(show_spinner=False)
def world_geojson() -> dict:
    """The country shapes, simplified once per process to what the map can show."""
    return charts.read_geojson(WORLD_GEOJSON, tolerance=charts.MAP_TOLERANCE)


# -- URL state -----------------------------------------------------------------------------------
def page_query(page: str, widget_keys: tuple[str, ...] = ()) -> tuple[dict[str, str], bool]:
    """The query this page should show, and whether its widgets must be set from it.

    A link (a query the page did not write itself) wins; with no query at all (the page was
    opened from the menu) the page comes back as the user left it in this session. The widgets
    are set again too when any of ``widget_keys`` is missing (Streamlit forgets a page's
    widget values when another page is shown), since fragments read them before they render.
    """
    current = st.query_params.to_dict()
    stored = st.session_state.get(f"_query:{page}")
    if not current and stored:
        return dict(stored), True
    forgotten = any(key not in st.session_state for key in widget_keys)
    return current, current != stored or forgotten


def write_query(page: str, query: dict[str, str]) -> None:
    """Put the page state in the address bar, so the link reproduces this view."""
    if st.query_params.to_dict() != query:
        st.query_params.from_dict(query)
    st.session_state[f"_query:{page}"] = dict(query)


def rerun_parts(*fragment_keys: str):
    """A widget callback that reruns only the named fragments (``st.fragment(key=...)``)
    instead of the whole page: the parts of a page that depend on that widget."""

    def rerun() -> None:
        st.rerun(list(fragment_keys))

    return rerun


def show_notices(notices: list[str]) -> None:
    for notice in notices:
        st.warning(notice, icon=":material/warning:")


# -- charts and their downloads ------------------------------------------------------------------
PLOTLY_CONFIG = {
    "topojsonURL": "/app/static/",  # the map's base file, served by the app (works offline)
    "displaylogo": False,
    "modeBarButtonsToRemove": ["select2d", "lasso2d", "autoScale2d"],
    "toImageButtonOptions": {"format": "png", "width": figure_export.EXPORT_WIDTH,
                             "height": figure_export.EXPORT_HEIGHT, "scale": 2},
}


def chart(shown: Built, *, key: str, stem: str, alt: str | None = None) -> None:
    """A brief-ready figure with its three downloads: PNG, SVG (made on click) and the CSV of
    exactly the rows it draws."""
    # theme=None: the page shows the figure exactly as it is exported.
    st.plotly_chart(shown.spec, config=PLOTLY_CONFIG, key=f"{key}_chart", width="stretch",
                    theme=None)
    fig = shown.fig
    png, svg, csv, _ = st.columns([1, 1, 1, 4])
    png.download_button(
        "PNG image", data=lambda: figure_export.to_png(fig), file_name=f"{stem}.png",
        mime="image/png", key=f"{key}_png", on_click="ignore", icon=":material/image:",
        help="1600×900 at double resolution, with the title, sources and notes.",
    )
    svg.download_button(
        "SVG image", data=lambda: figure_export.to_svg(fig), file_name=f"{stem}.svg",
        mime="image/svg+xml", key=f"{key}_svg", on_click="ignore", icon=":material/draw:",
        help="Vector image for print and slides, with the title, sources and notes.",
    )
    csv.download_button(
        "Data (CSV)", data=shown.csv, file_name=f"{stem}.csv",
        mime="text/csv", key=f"{key}_csv", on_click="ignore", icon=":material/table:",
        help="Exactly the rows drawn in this chart.",
    )


# -- the Compare page's figures, built once per process and shared by every session -----------
# A figure depends only on the data version, the settings and the few choices passed here, so
# two visitors asking for the same view get the same built object. st.cache_resource (not
# st.cache_data) on purpose: cache_data hands every caller an unpickled copy, and unpickling a
# Plotly figure re-validates it, which costs about as much as building it (the map: ~140 ms of
# ~160 ms). Nothing mutates these objects afterwards: st.plotly_chart and figure_export both
# read them through copies (to_dict / deepcopy of to_plotly_json).
class _Spec(BaseFigure):
    """A built figure as st.plotly_chart takes it, its dict made once.

    Streamlit asks a Plotly figure only for ``to_dict()``, which copies every trace and the
    map's country shapes on every run (about 10 ms for the map, on every rerun of every
    session). A cached figure never changes, so its dict is made once, when it is built, and
    handed over as it is. Nothing else is asked of this object; exports use the figure itself.
    """

    # The parent's __init__ (which copies every trace) is not called: that copy is the cost.
    def __init__(self, fig: go.Figure) -> None:
        self.__dict__["_spec"] = fig.to_dict()

    def to_dict(self) -> dict:
        return self.__dict__["_spec"]


@dataclass(frozen=True)
class Built:
    """A figure, the exact rows it draws, those rows as the download's CSV bytes, and the
    figure as the page sends it (``_Spec``)."""

    fig: go.Figure
    data: pl.DataFrame
    csv: bytes
    spec: BaseFigure


def built(fig: go.Figure, data: pl.DataFrame) -> Built:
    """Everything a chart on a page needs, made once."""
    return Built(fig, data, figure_export.chart_csv(data), _Spec(fig))


@st.cache_data(show_spinner=False, max_entries=8)
def _compare_choices(version: tuple[int, int]) -> tuple[list[int], list[str]]:
    base = _indicators(version, IndicatorSettings().baseline_year, IndicatorSettings().use_proxies)
    years = sorted(base["year"].unique().to_list())
    return years, views.scope_options(base, _countries(version), _names(version))


def compare_choices() -> tuple[list[int], list[str]]:
    """The Compare page's choices under the default settings: every year of the indicator
    grid, and every scope that can be picked (``views.scope_options``)."""
    return _compare_choices(open_store().data_version())


@st.cache_data(show_spinner=False, max_entries=64)
def _recommended_year(version: tuple[int, int], baseline_year: int, use_proxies: bool,
                      indicator: str) -> views.YearChoice:
    return views.recommended_year(_indicators(version, baseline_year, use_proxies), indicator)


def recommended_year(settings: IndicatorSettings, indicator: str) -> views.YearChoice:
    """``views.recommended_year`` of this indicator under these settings, once per data."""
    return _recommended_year(open_store().data_version(), settings.baseline_year,
                             settings.use_proxies, indicator)


def _settings(baseline_year: int, use_proxies: bool) -> IndicatorSettings:
    return IndicatorSettings(baseline_year=baseline_year, use_proxies=use_proxies)


@st.cache_resource(show_spinner=False, max_entries=256)
def _compare_lines(version: tuple[int, int], baseline_year: int, use_proxies: bool,
                   indicator: str, scopes: tuple[str, ...], years: tuple[int, int],
                   scale: str) -> Built:
    settings = _settings(baseline_year, use_proxies)
    lines = views.lines_data(_indicators(version, baseline_year, use_proxies), indicator,
                             list(scopes), years, _names(version))
    fig = charts.indicator_lines(
        lines, indicator,
        sources=views.sources_used(lines["source"], _sources(version)),
        baseline_year=settings.baseline_year,
        deadline_year=settings.deadline_year,
        years=years,
        scale=scale,
    )
    return built(fig, lines)


def compare_lines(settings: IndicatorSettings, indicator: str, scopes: list[str],
                  years: tuple[int, int], scale: str) -> Built:
    """The chart over time of the chosen scopes (``charts.indicator_lines``)."""
    return _compare_lines(open_store().data_version(), settings.baseline_year,
                          settings.use_proxies, indicator, tuple(scopes),
                          (int(years[0]), int(years[1])), scale)


@st.cache_resource(show_spinner=False, max_entries=256)
def _compare_ranking(version: tuple[int, int], baseline_year: int, use_proxies: bool,
                     indicator: str, year: int, scopes: tuple[str, ...], scale: str) -> Built:
    ranked = views.ranking_data(_indicators(version, baseline_year, use_proxies), indicator,
                                year, list(scopes), _names(version))
    fig = charts.ranking_bars(
        ranked, indicator, sources=views.sources_used(ranked["source"], _sources(version)),
        year=year, scale=scale,
    )
    return built(fig, ranked)


def compare_ranking(settings: IndicatorSettings, indicator: str, year: int,
                    scopes: list[str], scale: str) -> Built:
    """The ranking of the chosen scopes in one year (``charts.ranking_bars``)."""
    return _compare_ranking(open_store().data_version(), settings.baseline_year,
                            settings.use_proxies, indicator, int(year), tuple(scopes), scale)


@st.cache_resource(show_spinner=False, max_entries=64)
def _compare_latest(version: tuple[int, int], baseline_year: int, use_proxies: bool,
                    indicator: str, year: int, first_year: int
                    ) -> tuple[pl.DataFrame, bytes, pl.DataFrame, bytes]:
    """Every country's latest figure (the map's rows) and the table made from them, each with
    its CSV bytes; shared by the map in both modes and the table."""
    country_frame = _countries(version)
    regions_of = dict(zip(country_frame["iso3"].to_list(), country_frame["region"].to_list(),
                          strict=True))
    latest = views.latest_figures(_indicators(version, baseline_year, use_proxies), indicator,
                                  year, first_year, _names(version), regions_of)
    table = views.compare_table(latest)
    return latest, figure_export.chart_csv(latest), table, figure_export.chart_csv(table)


@st.cache_resource(show_spinner=False, max_entries=64)
def _compare_map(version: tuple[int, int], baseline_year: int, use_proxies: bool,
                 indicator: str, year: int, first_year: int, mode: str) -> Built:
    latest, csv, _, _ = _compare_latest(version, baseline_year, use_proxies, indicator, year,
                                        first_year)
    fig = charts.world_map(
        latest, indicator, geojson=world_geojson(),
        sources=views.sources_used(latest["source"], _sources(version)),
        year=year, first_year=first_year, mode=mode,
    )
    return Built(fig, latest, csv, _Spec(fig))


def compare_map(settings: IndicatorSettings, indicator: str, year: int, first_year: int,
                mode: str) -> Built:
    """Every country's latest figure on the map (``charts.world_map``); the country selection
    plays no part, so changing it reuses the map already built."""
    return _compare_map(open_store().data_version(), settings.baseline_year,
                        settings.use_proxies, indicator, int(year), int(first_year), mode)


def compare_table(settings: IndicatorSettings, indicator: str, year: int,
                  first_year: int) -> tuple[pl.DataFrame, bytes]:
    """The table under the map (``views.compare_table``) and its CSV bytes."""
    _, _, table, csv = _compare_latest(open_store().data_version(), settings.baseline_year,
                                    settings.use_proxies, indicator, int(year),
                                    int(first_year))
    return table, csv


def indicator_card(shown: views.Card, *, scope_name: str, key: str,
                   link: tuple[str, dict[str, str], str] | None = None) -> None:
    """One indicator as a card: value, status in words and icon, target, coverage, year,
    trend. ``link`` is (page, query, label) for the click-through."""
    with st.container(border=True):
        left, middle, right = st.columns([1.2, 1.7, 1.3])
        with left:
            st.markdown(f"**{shown.number}. {shown.title}**")
            st.metric(
                label=f"{scope_name}, {shown.year}" if shown.year else scope_name,
                value=shown.value_text,
                help=f"The paper: “{shown.paper_wording}”",
            )
            st.markdown(f"**{shown.status_text}**")
        with middle:
            st.caption(f"**Target:** {shown.target_text}")
            st.caption(f"**Coverage:** {shown.coverage_text}")
            st.caption(f"**Year:** {shown.year_note}")
            if shown.projection_text:
                st.caption(shown.projection_text)
            if shown.proxy and not shown.proxy.startswith(DENOMINATOR_NOTE):
                st.caption(shown.proxy)
            elif shown.proxy:
                st.caption("Denominator: Walk Free's 2021 estimate (see the note above).")
            if shown.definition and shown.status == "no_data":
                st.caption(shown.definition)
        with right:
            series = shown.series
            if series.height and series["lower"].drop_nulls().len():
                st.plotly_chart(
                    charts.sparkline(series, shown.indicator, highlight_year=shown.year),
                    config={"displayModeBar": False, "staticPlot": False},
                    key=f"{key}_spark", width="stretch", theme=None,
                )
                first, last = series["year"].min(), series["year"].max()
                st.caption(f"{first}–{last}; ◆ the year shown")
            if link:
                page, query, label = link
                st.page_link(page, label=label, icon=":material/show_chart:", query_params=query)


_MARKDOWN_SPECIAL = "\\`*_{}[]()<>#+-.!|~$:"


def plain(text: object) -> str:
    """Data-derived text made literal for st.markdown/st.caption (no links, no formatting)."""
    return "".join("\\" + c if c in _MARKDOWN_SPECIAL else c for c in str(text))


def _leave_legacy_multipage_mode() -> None:
    """Run every page through app.py's navigation, even on a server's very first request.

    Streamlit treats a ``pages/`` folder beside the entry script as a version-1 multipage app
    until the first ``st.navigation`` call in the process. If the first request a fresh server
    gets is a link such as ``/compare?indicator=…``, Streamlit runs ``pages/compare.py`` on its
    own: no navigation menu, no page config, and every later session stays in that mode until
    someone opens ``/``. Turning the flag off and rerunning sends the request through app.py.
    """
    try:
        from streamlit.runtime.pages_manager import PagesManager
    except ImportError:  # a Streamlit without the legacy mode: nothing to leave
        return
    if getattr(PagesManager, "uses_pages_directory", False):
        PagesManager.uses_pages_directory = False
        st.rerun()


_leave_legacy_multipage_mode()
