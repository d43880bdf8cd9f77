"""What the server builds when it starts, so the first visitor does not wait for it: run by
app.py in a thread of its own when the server starts (not by a page view)."""

from __future__ import annotations

import gc

from indicators import i18n
from indicators import live as live_data
from indicators.compute import WORLD
from indicators.settings import IndicatorSettings
from indicators.store import StoreError
from pages.cards import warm_cards
from pages.compare_figures import warm_default_view
from pages.shared import _count_views, _default_year, _indicators, live


def warm_up() -> None:
    """Build what the first views read (the figures in memory, the indicator grid under the
    default settings, the year shown, the Compare choices, the count views, the Overview's
    world cards and Compare's charts with no link) once, when the server starts, so the first
    visitor does not wait for it. A database that cannot be read is left for the first page
    to explain."""
    try:
        snapshot = live().current()
    except StoreError:
        return
    defaults = IndicatorSettings()
    version = snapshot.version
    world_year = _default_year(version, defaults.baseline_year, defaults.use_proxies, None,
                               snapshot)
    _count_views(version, snapshot)
    # the Overview's world cards and Compare with no link, in English (the other languages
    # and views on first use)
    warm_cards(version, _indicators(version, defaults.baseline_year, defaults.use_proxies,
                                    snapshot),
               scope=WORLD, scope_name=i18n.place_name(WORLD, "World", i18n.ENGLISH),
               page_year=world_year, baseline_year=defaults.baseline_year, lang=i18n.ENGLISH)
    warm_default_view(snapshot)
    _streamlit_first_use()
    _keep_out_of_collections()


def _keep_out_of_collections() -> None:
    """Leave what the server holds for its whole life (the modules, the figures in memory,
    the country shapes, the warmed caches) out of Python's full garbage collections
    (``gc.freeze``): a full collection walked all of it, 40-110 ms of a click's time each time
    one fell in a script run. Objects made later are collected as before; the frozen ones are
    still freed when nothing refers to them, but a reference cycle among them would stay
    (a plotly figure is one), so each new data version, which leaves the last version's
    figures to go, collects them all once and freezes what is left again
    (``live.on_new_version``, in the thread that read the new figures)."""
    _collect_and_freeze()
    live_data.on_new_version(_collect_and_freeze)


def _collect_and_freeze() -> None:
    gc.unfreeze()
    gc.collect()
    gc.freeze()


def _streamlit_first_use() -> None:
    """What Streamlit itself does once per process, on the first page run: compile its emoji
    pattern (to read the page icon) and, at the first element, look at the whole call stack
    to see whether it runs in a terminal (``_maybe_print_use_warning``, which reads the source
    of every module). About 0.2 s of the first visitor's view, done here instead."""
    import streamlit.emojis  # noqa: F401
    from streamlit import delta_generator

    first_use = getattr(delta_generator, "_maybe_print_use_warning", None)
    if callable(first_use):  # a later Streamlit may drop or rename it: then nothing to do
        first_use()
