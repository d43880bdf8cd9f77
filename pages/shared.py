"""What every page shares: the one database connection and cached reads through the library.

Streamlit lives here and in the pages only; the library below knows nothing about it.
"""

from __future__ import annotations

import functools
import html
import json
import os
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from urllib.parse import urlencode, urlsplit

import plotly.graph_objects as go
import polars as pl
import streamlit as st
from plotly.basedatatypes import BaseFigure
from streamlit.delta_generator import DeltaGenerator
from streamlit.runtime.scriptrunner import get_script_run_ctx

from indicators import (
    bundle,
    charts,
    figure_export,
    i18n,
    per_population,
    report,
    series_views,
    view_charts,
    views,
)
from indicators.api import links
from indicators.brief import BriefError
from indicators.i18n import N_
from indicators.live import LiveData, process_live
from indicators.measures import (
    INDICATORS,
)
from indicators.page_state import RECOMMENDED
from indicators.page_state import shown as shown_in_notice
from indicators.settings import (
    WORLD_GEOJSON,
    IndicatorSettings,
)
from indicators.store import DataVersion, Snapshot, Store, StoreError
from pages.caching import per_version
from pages.phone import phone_spec


@st.cache_resource(show_spinner="Opening the database…", max_entries=1)
def live() -> LiveData:
    """The process's view of the database: the current figures in memory, reloaded when any
    process (this one, the command line, another app process or machine) changes them.

    An empty database on first start is filled from the bundled published files. The read
    API (/api/v1/, indicators.api) serves the same LiveData: each new cache here opens it anew.
    """
    return process_live(fresh=True)


def data() -> Snapshot:
    """The figures this page shows: those taken when its run began (``show_latest``, called
    by app.py at the start of every run of a whole page), so that one page never mixes two
    data versions. A part of the page that runs alone (a fragment) shows the same figures as
    the rest; the page's watch (``follow_the_database``) redraws it all when they change."""
    snapshot = st.session_state.get(SHOWN)
    if isinstance(snapshot, Snapshot):
        return snapshot
    return show_latest()


def show_latest() -> Snapshot:
    """Take the newest figures for this run of the page; on a database that cannot be read at
    all, a clear message and the way back, and the page stops there.

    (Taken once per run: a change that lands while a long run is drawing the page would
    otherwise show in its lower half only, and the watch, seeing the new version already
    taken, would never redraw the upper half.)"""
    try:
        snapshot = live().current()
    except StoreError as exc:
        st.cache_resource.clear()  # open it afresh next time (a restored or restarted database)
        st.session_state.pop(SHOWN, None)
        _ = tr()
        st.error(_("The dashboard cannot open its database.") + f" {exc}")
        st.stop()
        raise
    st.session_state[SHOWN] = snapshot
    return snapshot


def open_store() -> Store:
    """The store itself, for the pages that write (uploads, rollbacks)."""
    data()
    return live().store


SHOWN = "_figures_shown"  # the Snapshot this session's page shows


def shown_version() -> DataVersion:
    """The data version this session's page shows."""
    return data().version


def data_changed() -> None:
    """After this process wrote: look at the database again at once, and show what it holds
    now for the rest of this run."""
    live().check_soon()
    show_latest()


# How often a page that shows figures looks for new ones (seconds): with the data check's own
# interval (settings.DATA_CHECK_SECONDS) a change made elsewhere shows within five seconds.
# INDICATORS_WATCH_SECONDS changes it (the browser tests' shared read-only server).
WATCH_SECONDS = float(os.environ.get("INDICATORS_WATCH_SECONDS") or 2.0)


def _database_banner(watched: LiveData) -> None:
    if watched.problem:
        _ = tr()
        since = watched.problem_since.strftime("%H:%M") if watched.problem_since else \
            _("a moment")
        loaded = watched.loaded_at.strftime("%H:%M") if watched.loaded_at else _("earlier")
        st.warning(
            _("The database is not answering since {since}: the figures shown are those loaded "
              "at {loaded}, and uploads wait until it is back. The dashboard reconnects by "
              "itself. If this lasts, check the database server.").format(
                since=since, loaded=loaded) + f" ({plain(watched.problem)})",
            icon=":material/cloud_off:",
        )


def _running_alone() -> bool:
    """Whether this fragment run is this fragment alone (Streamlit runs the fragments queued
    together in one run: a choice's parts queued with a timed check run after it)."""
    ctx = get_script_run_ctx()
    return len(getattr(ctx, "fragment_ids_this_run", None) or ()) <= 1


def _watched() -> LiveData | None:
    """The process's view of the database; None when it cannot be opened at all (a damaged
    file, a server that never answered): the page's own ``data()`` then says so in one
    sentence and stops."""
    try:
        return live()
    except StoreError:
        return None


def _follow_the_database() -> None:
    if st.session_state.get(PARTS_PENDING) and _running_alone():
        st.session_state[PARTS_PENDING] = None  # a choice's parts were stopped: redraw all
        st.rerun()
    watched = _watched()
    if watched is None:
        return  # the page itself shows the message
    try:
        version = watched.version()  # from memory: the check itself runs in the background
    except StoreError:
        return  # the page itself shows the message
    shown = st.session_state.get(SHOWN)
    if isinstance(shown, Snapshot) and version != shown.version:
        st.rerun()
    _announce_file_failures()
    _database_banner(watched)


def follow_the_database() -> None:
    """On the pages that show figures: every few seconds, rerun the page when another process
    (an import, a rollback, another machine) has changed the figures, or when a file made on
    click has failed (``file_button``); while the database cannot be reached, say so. (Not on
    the pages with buttons that write: a fragment that reruns on a timer can swallow a
    button's click.)"""
    st.session_state[PARTS_PENDING] = None  # a run of the whole page draws every part
    st.fragment(_follow_the_database, run_every=WATCH_SECONDS)()


def database_banner() -> None:
    """On the pages that write: the same warning as above, shown with each run."""
    watched = _watched()
    if watched is not None:
        _database_banner(watched)


def page_start(title: str, *, writes: bool = False) -> tuple[i18n.Translate, str]:
    """A page's first lines: its title (marked with ``N_`` where the page calls this) in the
    session's language, then the watch on the database (``follow_the_database``; on the pages
    that write, ``database_banner``). Returns the page's ``_`` and language."""
    _ = tr()
    st.title(_(title))
    if writes:
        database_banner()
    else:
        follow_the_database()
    return _, language()


# Frames below are shared by every session without copying (st.cache_resource, through
# pages.caching.per_version): polars frames are never changed in place here, every operation
# makes a new one.
@per_version(32)
def _indicators(version: DataVersion, baseline_year: int, use_proxies: bool,
                _snapshot: Snapshot) -> pl.DataFrame:
    settings = IndicatorSettings(baseline_year=baseline_year, use_proxies=use_proxies)
    return report.indicator_frame_from(_snapshot.observations, _snapshot.countries, settings)


def indicators(settings: IndicatorSettings) -> pl.DataFrame:
    """All indicator rows for these settings, computed once per data version."""
    snapshot = data()
    return _indicators(snapshot.version, settings.baseline_year, settings.use_proxies, snapshot)


@per_version(4)
def _count_views(version: DataVersion, _snapshot: Snapshot) -> pl.DataFrame:
    return per_population.count_views(_snapshot.observations, _snapshot.countries)


# -- a contributed series, computed when a reader asks for it ----------------------------------
@per_version(16)
def _series_indicators(version: DataVersion, baseline_year: int, use_proxies: bool,
                       series: str, _snapshot: Snapshot) -> pl.DataFrame:
    settings = IndicatorSettings(baseline_year=baseline_year, use_proxies=use_proxies)
    return report.indicator_frame_from(_snapshot.picked(prefer=series), _snapshot.countries,
                                       settings)


@per_version(8)
def _series_count_views(version: DataVersion, series: str, _snapshot: Snapshot
                        ) -> pl.DataFrame:
    return per_population.count_views(_snapshot.picked(prefer=series), _snapshot.countries)


def series_indicators(settings: IndicatorSettings, series: str) -> pl.DataFrame:
    """All indicator rows computed with ``series`` (a contributing organisation) preferred
    (``Snapshot.picked``), once per data version, settings and series."""
    snapshot = data()
    return _series_indicators(snapshot.version, settings.baseline_year, settings.use_proxies,
                              series, snapshot)


def series_frame(settings: IndicatorSettings, key: str, series: str) -> pl.DataFrame:
    """The rows behind a Compare view computed with ``series`` preferred (``_frame_for``)."""
    snapshot = data()
    if key in INDICATORS:
        return series_indicators(settings, series)
    return _series_count_views(snapshot.version, series, snapshot)


# The Series box's help on Compare and on the Country profile (``_(SERIES_HELP_…)``).
SERIES_HELP_COMPARE = N_(
    "The official figures (UNODC, Walk Free, World Bank), or a contributing organisation's "
    "published series: its values are then shown beside the official ones, below the map.")
SERIES_HELP_COUNTRY = N_(
    "The official figures (UNODC, Walk Free, World Bank), or a contributing organisation's "
    "published series: its values are then shown beside the official ones.")


def series_options(key: str, query: dict[str, str], apply: bool, notices: list[str]
                   ) -> list[str]:
    """The Series box's options (the official figures, then each organisation with published
    figures), with the box's value ``st.session_state[key]`` set from the link's ``series=``
    when the page applies its link, and back to the official figures when the chosen
    organisation has no published figures any more (its batch rolled back)."""
    organisations = data().contributed_series()
    options = series_views.series_choices(organisations)
    raw = query.get("series")
    if apply:
        st.session_state[key] = series_views.parse_series(
            raw if isinstance(raw, str) else None, organisations, notices)
    elif st.session_state.get(key) not in options:
        st.session_state[key] = options[0]
    return options


def basis_notes(indicator: str, iso3s: list[str] | None, years: tuple[int, int]
                ) -> list[str]:
    """What the values of ``indicator`` rest on when it is not plain official, for these
    countries (None: all) and years (``series_views.indicator_basis_notes``), in this
    session's language."""
    snapshot = data()
    return series_views.indicator_basis_notes(snapshot.observations, snapshot.adoptions,
                                              indicator, iso3s=iso3s, years=years,
                                              lang=language())


def _frame_for(version: DataVersion, baseline_year: int, use_proxies: bool, key: str,
               snapshot: Snapshot) -> pl.DataFrame:
    """The rows behind a Compare view: the indicators' frame for an indicator, the published
    counts' (as counts or per 100,000 population) for a count view."""
    if key in INDICATORS:
        return _indicators(version, baseline_year, use_proxies, snapshot)
    return _count_views(version, snapshot)


def countries() -> pl.DataFrame:
    return data().countries


def sources() -> pl.DataFrame:
    return data().sources


def observations() -> pl.DataFrame:
    """The current published and uploaded figures, with their sources."""
    return data().observations


@per_version(8)
def _names(version: DataVersion, _snapshot: Snapshot) -> dict[str, str]:
    return views.scope_names(_snapshot.countries)


def names() -> dict[str, str]:
    """ISO3, region or WORLD → the name people read (UNODC's, in English)."""
    snapshot = data()
    return _names(snapshot.version, snapshot)


@per_version(8)
def _names_in(version: DataVersion, lang: str, _snapshot: Snapshot) -> dict[str, str]:
    return {scope: i18n.place_name(scope, name, lang)
            for scope, name in _names(version, _snapshot).items()}


def shown_names() -> dict[str, str]:
    """``names`` in this session's language: CLDR's names in French and Spanish ('DEU' →
    'Allemagne', 'Alemania'; regions by their UN M49 code), UNODC's in English: the country
    and region choices' ``format_func`` (``place_label``)."""
    snapshot = data()
    return _names_in(snapshot.version, language(), snapshot)


def place_label(scope: str) -> str:
    """A country's, region's or the world's name as a choice shows it, in this session's
    language (the code itself when the data do not name it)."""
    return shown_names().get(scope, scope)


@per_version(8)
def _series_breaks(version: DataVersion, _snapshot: Snapshot) -> pl.DataFrame:
    return views.series_breaks(_snapshot.observations, _names(version, _snapshot))


def series_breaks() -> pl.DataFrame:
    """Every possible break in a series (``views.series_breaks``), once per data version."""
    snapshot = data()
    return _series_breaks(snapshot.version, snapshot)


@st.cache_resource(show_spinner=False)
def world_geojson() -> dict:
    """The country shapes, simplified once per process to what the map can show."""
    return charts.read_geojson(WORLD_GEOJSON, tolerance=charts.MAP_TOLERANCE)


# -- the language ---------------------------------------------------------------------------------
LANG = "_lang"  # this session's language: one of i18n.LANGUAGES
LANG_CHOICE = "lang_choice"  # the sidebar's selector


def language() -> str:
    """The language this session reads: 'en', 'fr' or 'es' (``choose_language``)."""
    chosen = st.session_state.get(LANG)
    return chosen if chosen in i18n.LANGUAGES else i18n.ENGLISH


def tr() -> i18n.Translate:
    """``_`` for this session's language (``i18n.translator``)."""
    return i18n.translator(language())


def choose_language() -> list[str]:
    """Set this run's language (called by app.py at the start of every run): the link's
    ``lang`` when it names one the dashboard speaks; English, with a notice, when it names
    another; without one, the language this session chose before, else the browser's preferred
    one (its locale, then its Accept-Language header), else English. Returns the notices."""
    raw = st.query_params.get("lang")
    notices: list[str] = []
    if raw:
        found = i18n.parse_language(raw)
        if found is None:
            notices.append(  # the language is not known: the notice is in English
                f"The link asked for a language called '{shown_in_notice(raw, 20)}', "
                "which this dashboard does not have; it is shown in English.")
        st.session_state[LANG] = found or i18n.ENGLISH
    elif LANG not in st.session_state:
        headers = st.context.headers
        st.session_state[LANG] = i18n.browser_language(
            st.context.locale, headers.get("Accept-Language") if headers else None)
    return notices


def _language_chosen() -> None:
    lang = st.session_state.get(LANG_CHOICE) or i18n.ENGLISH
    st.session_state[LANG] = lang
    if lang == i18n.ENGLISH:
        if "lang" in st.query_params:
            del st.query_params["lang"]
    else:
        st.query_params["lang"] = lang


def language_selector() -> None:
    """The sidebar's language choice, each language named in itself; a change keeps the page
    and its other choices, and puts ``lang`` in the link (none for English)."""
    _ = tr()
    st.session_state[LANG_CHOICE] = language()
    st.sidebar.selectbox(
        _("Language"), options=list(i18n.LANGUAGES), format_func=i18n.LANGUAGES.__getitem__,
        key=LANG_CHOICE, on_change=_language_chosen,
        help=_("The dashboard's words in English, French or Spanish; the figures are the "
               "same."),
    )


def page_language() -> None:
    """The page's ``<html lang>`` in this session's language, so that a screen reader reads a
    French page in French (WCAG 3.1.1; Streamlit's page always says 'en'). The value is one of
    i18n.LANGUAGES' codes, never text from the link."""
    code = language()
    with st.container(key="page_language"):
        st.html("<style>.st-key-page_language { display: none; }</style>"
                f"<script>document.documentElement.lang = {json.dumps(code)};</script>",
                unsafe_allow_javascript=True)


def with_language(query: dict[str, str]) -> dict[str, str]:
    """``query`` with this session's language added (nothing for English), for a link."""
    lang = language()
    return query if lang == i18n.ENGLISH else {**query, "lang": lang}


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
    """Put the page state in the address bar, so the link reproduces this view (with the
    language, when it is not English)."""
    query = with_language(query)
    if st.query_params.to_dict() != query:
        st.query_params.from_dict(query)
    st.session_state[f"_query:{page}"] = dict(query)
    shown = shown_view()
    shown.queries[page] = dict(query)
    shown.links[page] = view_link(query)


def view_link(query: dict[str, str]) -> str:
    """The page's address with its query: the link that reproduces this view (empty when the
    browser has not said where it is, as in tests without one)."""
    address = st.context.url
    if not address:
        return ""
    if not urlsplit(address).path:
        address += "/"  # the Overview: 'http://host:8501/', not 'http://host:8501'
    return f"{address}?{urlencode(query)}" if query else address


@dataclass
class ShownView:
    """What this session's pages show now: each page's query and link, and each chart drawn
    (by its key, as ``bundle.BundleChart``).

    Plain Python objects, kept in the session: a file made on click runs in a thread of
    Streamlit's own, where ``st.session_state`` cannot be read, and must see the view as it is
    at the click, whichever fragment changed it last."""

    queries: dict[str, dict[str, str]] = field(default_factory=dict)
    links: dict[str, str] = field(default_factory=dict)
    charts: dict[str, bundle.BundleChart] = field(default_factory=dict)
    failures: dict[str, FileFailure] = field(default_factory=dict)


def shown_view() -> ShownView:
    return st.session_state.setdefault("_shown_view", ShownView())


def rerun_parts(*fragment_keys: str):
    """A widget callback that reruns only the named fragments (``st.fragment(key=...)``)
    instead of the whole page: the parts of a page that depend on that widget.

    Draw the widget with ``widget_part``: a widget outside every fragment starts a full run,
    in which Streamlit forgets the session's download files before this callback narrows the
    run, so the download buttons of every part not named would stop working. Name the
    page's files part as well when the choice changes how its buttons are drawn (a brief's
    year in its file name); what a file made on click holds is read at the click
    (``ShownView``), whichever parts were drawn last."""

    def rerun() -> None:
        st.session_state[PARTS_PENDING] = tuple(fragment_keys)
        st.rerun(list(fragment_keys))

    return rerun


# The parts a choice asked for that are not drawn yet (see ``part``).
PARTS_PENDING = "_parts_pending"


def part(key: str) -> Callable[[Callable[[], None]], Callable[[], None]]:
    """``@st.fragment(key=key)`` for a part of a page that ``rerun_parts`` reruns, which also
    notes when the part has finished drawing.

    The pages' check for new figures (``follow_the_database``) reruns on a timer, and a timed
    rerun that arrives while a choice's parts are drawing stops them, and Streamlit does not
    resume them: the chart would keep its old countries. So each choice notes the parts it
    asked for, each part strikes itself off when drawn, and the timed check redraws the page
    when it runs alone and finds a part not drawn (a timed check that runs in the same run as
    the parts, just before them, leaves them be)."""

    def wrap(body: Callable[[], None]) -> Callable[[], None]:
        def drawn() -> None:
            body()
            pending = st.session_state.get(PARTS_PENDING) or ()
            if key in pending:
                st.session_state[PARTS_PENDING] = tuple(k for k in pending if k != key)

        drawn.__name__ = drawn.__qualname__ = body.__name__
        return st.fragment(drawn, key=key)

    return wrap


def widget_part(key: str, draw: Callable[[], object]) -> None:
    """Draw a widget whose callback is ``rerun_parts`` in a fragment of its own (``key``).

    A change of a widget outside every fragment starts a full run, and Streamlit forgets the
    session's download files at the start of a full run, before the callback narrows it to
    the named parts: the PNG, SVG and CSV buttons of every part not named would then answer
    "file not found". A widget inside a fragment starts a run of that fragment instead, which
    forgets nothing, and its callback narrows that run to the named parts."""
    st.fragment(draw, key=key)()


def show_notices(notices: list[str]) -> None:
    for notice in notices:
        st.warning(notice, icon=":material/warning:")


YEAR_HELP = N_("Every page shows the same year by default: the latest with figures for at "
               "least half as many countries as the best year.")


def year_box(label: str, *, key: str, years: list[int], recommended: views.YearChoice,
             on_change: Callable[[], None], help_more: str = "") -> None:
    """A page's year choice: 'recommended' first, named by the latest well-covered year (every
    page's default, ``default_year``: '2022 (recommended)'), then every year, newest first; its
    help says what the default is, then ``help_more``. Drawn in a part of its own
    (``widget_part``, key ``KEY_part``) so that ``on_change`` reruns only its parts."""
    _ = tr()
    options = [RECOMMENDED, *reversed(years)]
    # short enough for the box's width on every page (the help says what the year is)
    latest = _("{year} (recommended)").format(year=recommended.year)
    if key in st.session_state and st.session_state[key] not in options:
        # The browser names its choice by the label it showed: when new figures move the
        # recommended year ('2021: …' became '2022: …'), that label matches no option and
        # comes back as it is. It was 'recommended': it stays so.
        st.session_state[key] = RECOMMENDED
    widget_part(f"{key}_part", lambda: st.selectbox(
        label,
        options=options,
        format_func=lambda y: latest if y == RECOMMENDED and recommended.year else
        (_("Recommended") if y == RECOMMENDED else str(y)),
        key=key,
        help=f"{_(YEAR_HELP)} {help_more}".strip(),
        on_change=on_change,
    ))


def chosen_year(key: str) -> int | None:
    """The year a ``year_box`` holds: None while it is on 'recommended'."""
    pick = st.session_state[key]
    return int(pick) if isinstance(pick, int) or str(pick).isdigit() else None


# -- charts and their downloads ------------------------------------------------------------------
PLOTLY_CONFIG = {
    "topojsonURL": "/app/static/",  # the map's base file, served by the app (works offline)
    "displaylogo": False,
    "modeBarButtonsToRemove": ["select2d", "lasso2d", "autoScale2d"],
    "toImageButtonOptions": {"format": "png", "width": figure_export.EXPORT_WIDTH,
                             "height": figure_export.EXPORT_HEIGHT, "scale": 2},
}


def data_table(data: object, **options: object) -> None:
    """``st.dataframe`` with a missing value written as a dash: Streamlit writes 'None' by
    default, a Python word for a reader (a count's denominator year, a figure without a
    note). A figure that is missing is 'no data' in the table's own words."""
    st.dataframe(data, placeholder="—", **options)  # type: ignore[arg-type]


def chart(shown: Built, *, key: str, stem: str, alt: str | None = None,
          embed: tuple[str, dict[str, str]] | bool = True) -> None:
    """A brief-ready figure, its text alternative, and its three downloads: PNG, SVG (made on
    click) and the CSV of exactly the rows it draws.

    ``alt`` is the chart's one sentence from ``indicators.alt_text`` (by default the one made
    with the figure, ``shown.alt``): screen readers announce it as the chart's name, and it is
    printed under the chart for everyone (the figure's title when a chart has none yet). The
    chart is also kept for the page's 'Download all (ZIP)'.
    ``embed``: the chart's kind and parameters at the API's chart-only address
    (``links.chart_url``), for its Embed snippet; by default (True) an indicator's rows over
    time give the ``lines`` chart's; False: no Embed (a chart the API does not draw alone)."""
    _ = tr()
    words = alt or shown.alt or figure_title(shown.fig)
    # theme=None: the page shows the figure exactly as it is exported.
    st.plotly_chart(shown.spec, config=PLOTLY_CONFIG, key=f"{key}_chart", width="stretch",
                    theme=None, alt=words or None)
    if words:
        st.caption(plain(words))
    shown_view().charts[key] = bundle.BundleChart(stem, shown.drawn, shown.data, words)
    png, svg, csv, api, embed_column, _space = st.columns([1, 1, 1, 1, 1, 2])
    data_api(shown.links, api, embed_column, title=words or stem, chart_only=embed)
    png.download_button(
        _("PNG image"), data=lambda: figure_export.to_png(shown.fig), file_name=f"{stem}.png",
        mime="image/png", key=f"{key}_png", on_click="ignore", icon=":material/image:",
        help=_("1600×900 at double resolution, with the title, sources and notes."),
    )
    svg.download_button(
        _("SVG image"), data=lambda: figure_export.to_svg(shown.fig), file_name=f"{stem}.svg",
        mime="image/svg+xml", key=f"{key}_svg", on_click="ignore", icon=":material/draw:",
        help=_("Vector image for print and slides, with the title, sources and notes."),
    )
    csv.download_button(
        _("Data (CSV)"), data=lambda: shown.csv, file_name=f"{stem}.csv",
        mime="text/csv", key=f"{key}_csv", on_click="ignore", icon=":material/table:",
        help=_("Exactly the rows drawn in this chart."),
    )


def data_api(rows: pl.DataFrame | links.ChartLinks, api: DeltaGenerator, embed: DeltaGenerator, *,
             title: str, chart_only: tuple[str, dict[str, str]] | bool = True) -> None:
    """Beside a chart's CSV button: 'Data API', the read API's answer with the same rows
    (``indicators.api.links``), and 'Embed', the HTML that shows this chart alone on another
    site: an iframe of its chart-only address (``chart_only``; True: the ``lines`` chart of
    an indicator's rows over time), live with the data, and its SVG and PNG for static pages.
    A chart the API cannot draw alone (False, or rows of another kind) has no Embed.
    ``rows``: the chart's rows, or their ``links.ChartLinks`` already worked out."""
    _ = tr()
    found = rows if isinstance(rows, links.ChartLinks) else links.chart_links(rows)
    address = found.address
    if address is None:
        return
    parts = urlsplit(st.context.url or "")
    root = f"{parts.scheme}://{parts.netloc}" if parts.netloc else ""
    api.link_button(_("Data API"), root + address, icon=":material/api:",
                    help=_("The same rows from the dashboard's read API, as JSON (change .json "
                           "to .csv or .parquet), with their sources and how to cite them."))
    if chart_only is True:
        query = found.lines_query
        chart_only = False if query is None else ("lines", query)
    if chart_only is False or chart_only is True:
        return
    kind, query = chart_only
    with embed.popover(_("Embed"), icon=":material/code:"):
        st.caption(_("Paste this into a web page: the chart alone, live with the data (or, "
                     "where a page takes no iframe, its picture)."))
        st.code(links.embed_snippet(root + links.chart_url(kind, query), title),
                language="html")


def figure_title(fig: go.Figure) -> str:
    """A figure's title as plain text (Plotly's markup taken out)."""
    return html.unescape(re.sub(r"<[^>]+>", " ", fig.layout.title.text or "")).strip()


# -- files made on click: briefs and 'Download all' ----------------------------------------------
# A failure is shown for this long after it happened (a page opened later does not bring up an
# old one).
FAILURE_SHOWN_SECONDS = 120.0


@dataclass
class FileFailure:
    """Why a file made on click could not be made: one plain sentence, when, and whether the
    page has been rerun to show it."""

    sentence: str
    at: float = field(default_factory=time.monotonic)
    announced: bool = False


def file_button(label: str, make: Callable[[], bytes], *, key: str, file_name: str, mime: str,
                what: str, icon: str, help: str, errors: DeltaGenerator | None = None) -> None:
    """A download button whose file is made when it is clicked (``make`` runs then, in a
    thread of Streamlit's own; the click reruns nothing, like the charts' PNG and SVG).

    When the file cannot be made, the reason is kept as one plain sentence; the page's
    watcher (``follow_the_database``) reruns the page within seconds and the button's next run
    shows it (``st.error``, in ``errors`` when given), never a traceback. ``what`` names the
    file in that sentence ('The brief', in the session's language)."""
    failures = shown_view().failures
    _ = tr()
    failed = _("{what} could not be made because of an unexpected error (it is logged on the "
               "server); please try again, or tell whoever runs this dashboard.").format(what=what)

    def made() -> bytes:
        try:
            return make()
        except (BriefError, figure_export.ExportError) as exc:
            failures[key] = FileFailure(str(exc))
            raise
        except Exception:
            failures[key] = FileFailure(failed)
            raise  # Streamlit logs it with its traceback; the user reads the sentence

    st.download_button(label, data=made, file_name=file_name, mime=mime, key=key,
                       on_click="ignore", icon=icon, help=help)
    failure = failures.pop(key, None)
    if failure and time.monotonic() - failure.at < FAILURE_SHOWN_SECONDS:
        (errors or st).error(failure.sentence, icon=":material/error:")


def _announce_file_failures() -> None:
    """Rerun the page once when a file made on click has failed since, so its button can say
    why (called every few seconds by ``follow_the_database``)."""
    waiting = [f for f in shown_view().failures.values() if not f.announced]
    for failure in waiting:
        failure.announced = True
    if waiting:
        st.rerun()


def download_all(*, keys: tuple[str, ...], page: str, title: str, file_stem: str,
                 errors: DeltaGenerator | None = None) -> None:
    """'Download all (ZIP)': the charts ``keys`` of this page as they are shown at the click,
    each as PNG, SVG and CSV, with a README.txt that gives the view's link, the sources, their
    release and licence (``bundle.view_zip``), in the session's language."""
    _ = tr()
    shown = shown_view()
    all_sources = sources()
    lang = language()

    def make() -> bytes:
        drawn = [shown.charts[k] for k in keys if k in shown.charts]
        cited = [cell for c in drawn if "source" in c.data.columns
                 for cell in c.data["source"].to_list()]
        return bundle.view_zip(drawn, shown.links.get(page, ""),
                               views.sources_used(cited, all_sources), title=title, lang=lang)

    file_button(
        _("Download all (ZIP)"), make, key=f"{page}_zip", file_name=f"{file_stem}.zip",
        mime="application/zip", what=_("The ZIP file"), icon=":material/folder_zip:",
        help=_("Every chart on this page as PNG, SVG and CSV, with a README.txt that gives the "
               "link to this view, the sources, their release and licence."), errors=errors,
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
    handed over as it is (``charts.figure_dict``: the same dict, copied without plotly's
    deepcopy). Nothing else is asked of this object; exports use the figure itself.
    """

    # The parent's __init__ (which copies every trace) is not called: that copy is the cost.
    def __init__(self, fig: go.Figure | charts.Draft) -> None:
        self.__dict__["_spec"] = phone_spec(charts.figure_dict(fig))

    def to_dict(self) -> dict:
        return self.__dict__["_spec"]


@dataclass(frozen=True)
class Built:
    """A figure, the exact rows it draws, the figure as the page sends it (``_Spec``) and its
    text alternative (made with it, so a rerun that shows a cached figure does not write its
    sentences again).

    What only a download needs is made at the first click that asks for it, once: the
    ``go.Figure`` (``fig``; ``drawn`` is the figure or, for a new selection's chart over time
    or ranking, its ``charts.Draft``, whose dict the page sends) and the rows as the CSV
    file's bytes (``csv``). A new selection then costs the server only what it shows."""

    drawn: go.Figure | charts.Draft
    data: pl.DataFrame
    spec: BaseFigure
    alt: str
    # the read API's address of the rows and the lines chart's parameters, worked out once
    # with the figure rather than on every run that shows it
    links: links.ChartLinks

    @functools.cached_property
    def fig(self) -> go.Figure:
        return charts.as_figure(self.drawn)

    @functools.cached_property
    def csv(self) -> bytes:
        return figure_export.chart_csv(self.data)


def built(fig: go.Figure | charts.Draft, data: pl.DataFrame, alt: str = "") -> Built:
    """Everything a chart on a page shows, made once."""
    return Built(fig, data, _Spec(fig), alt, links.chart_links(data))


def built_view(shown: view_charts.ViewChart) -> Built:
    """``built`` of one of the library's ``view_charts``, its text alternative with it."""
    return built(shown.drawn, shown.data, shown.alt)


def _key() -> tuple[DataVersion, Snapshot]:
    """The cache key of this run's figures (the data version) and the figures themselves."""
    snapshot = data()
    return snapshot.version, snapshot


@per_version(512)
def _default_year(version: DataVersion, baseline_year: int, use_proxies: bool,
                  countries: tuple[str, ...] | None, _snapshot: Snapshot) -> views.YearChoice:
    frame = _indicators(version, baseline_year, use_proxies, _snapshot)
    return views.default_year(frame, countries)


def default_year(settings: IndicatorSettings, countries: tuple[str, ...] | None = None
                 ) -> views.YearChoice:
    """``views.default_year`` under these settings, once per data: the year a page shows
    unless one is chosen, for the countries on screen (None: the world's)."""
    version, snapshot = _key()
    return _default_year(version, settings.baseline_year, settings.use_proxies, countries,
                         snapshot)


def recommended_year(settings: IndicatorSettings, scopes: Sequence[str] | None = None
                     ) -> views.YearChoice:
    """The default year (one rule for every indicator: ``default_year``) for the scopes on
    screen: their countries (a region's or a subregion's members, ``views.countries_of``);
    the world's when the world is among them or none is given."""
    return default_year(settings, views.countries_of(countries(), scopes or ()))


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
