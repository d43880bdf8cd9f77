"""A chart as a file: PNG (1600×900 at scale 2) and SVG through kaleido, CSV of its data.

kaleido drives Debian's Chromium (``settings.browser_path()``). One kaleido process is started
on the first export and reused (the first image takes a few seconds, the next ones well under
one); calls are serialised, and results are cached by the figure's JSON so a second click
costs nothing. Everything is offline: plotly.js comes from the plotly package, MathJax is off,
and maps read the base topology from ``static/`` through a file:// URL.
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import copy
import logging
import threading
from collections import OrderedDict
from pathlib import Path

import plotly.graph_objects as go
import plotly.io as pio
import polars as pl

from indicators.citation import csv_line
from indicators.export import safe_csv_text
from indicators.settings import STATIC_DIR, browser_path

# choreographer (kaleido's browser driver) logs a message from Chromium it cannot read and then
# ignores ("JSONError decoding message. Ignoring") with its traceback through Python's last-resort
# handler, that is on the command line's stderr; what matters to an export arrives as an
# exception, so only its critical messages are let through.
logging.getLogger("choreographer").setLevel(logging.CRITICAL)

EXPORT_WIDTH = 1600
EXPORT_HEIGHT = 900
EXPORT_SCALE = 2
TOPOJSON_URL = STATIC_DIR.resolve().as_uri() + "/"
_CACHE_SIZE = 32
START_TIMEOUT = 60
RENDER_TIMEOUT = 120
# The export tab is reloaded after this many images (kaleido: after every one); see _Kaleido.
RELOAD_EVERY = 20

_lock = threading.Lock()
_cache: OrderedDict[tuple[str, str], bytes] = OrderedDict()

# plotly.io's own exports (pio.write_image) find the map file offline too.
pio.defaults.topojson = TOPOJSON_URL


class ExportError(RuntimeError):
    """The image could not be made; the message says why in plain words."""


def export_size(fig: go.Figure) -> tuple[int, int]:
    """1600×900, or taller when the figure itself is taller (a long heatmap)."""
    height = fig.layout.height or EXPORT_HEIGHT
    return EXPORT_WIDTH, max(EXPORT_HEIGHT, int(height))


class _Exporter:
    """One kaleido browser on its own event-loop thread, started on first use, with timeouts
    (a hung browser never blocks a page for good) and one restart after a failure."""

    def __init__(self) -> None:
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._kaleido: object | None = None

    def _alive(self) -> bool:
        return self._kaleido is not None and self._thread is not None and \
            self._thread.is_alive()

    def start(self) -> None:
        if self._alive():
            return
        import kaleido

        path = browser_path()
        if not Path(path).exists():
            raise ExportError(
                f"Images cannot be made: no Chromium at {path}. Install Debian's chromium or "
                "set BROWSER_PATH."
            )
        loop = asyncio.new_event_loop()
        thread = threading.Thread(target=loop.run_forever, name="kaleido-export", daemon=True)
        thread.start()

        class _Kaleido(kaleido.Kaleido):
            """kaleido reloads its tab after every image, so the next image starts on a clean
            page, and makes the caller wait for that reload (about 200 ms, four times the
            drawing of a line chart; a brief's charts took three times as long with it). Here
            a tab is reloaded after every ``RELOAD_EVERY`` images, which keeps its memory in
            check, and in the background: the caller has its image at once, and the next
            image waits for the tab only if it is still reloading. The images are the same
            either way (tests/unit/test_figure_export.py). A tab whose reload failed goes back
            too; its next image fails and the export browser is restarted (``_render``)."""

            _reloads: set[asyncio.Future] = set()
            _images = 0

            async def _return_kaleido_tab(self, tab: object) -> None:
                self._images += 1
                if self._images % RELOAD_EVERY:
                    await self.tabs_ready.put(tab)
                    return

                async def _reload_then_return() -> None:
                    # A failed reload (the browser closing under it) is not this task's to
                    # report: the tab's next image fails and the browser is restarted.
                    try:
                        with contextlib.suppress(Exception):
                            await tab.reload()  # type: ignore[attr-defined]
                    finally:
                        await self.tabs_ready.put(tab)

                task = asyncio.ensure_future(_reload_then_return())
                self._reloads.add(task)
                task.add_done_callback(self._reloads.discard)

        async def _open() -> object:
            browser = _Kaleido(path=path, mathjax=False)
            await browser.open()
            return browser

        try:
            self._kaleido = asyncio.run_coroutine_threadsafe(_open(), loop).result(
                timeout=START_TIMEOUT
            )
        except Exception as exc:
            loop.call_soon_threadsafe(loop.stop)
            raise ExportError(
                f"Images cannot be made: the export browser did not start ({exc!r})."
            ) from exc
        self._loop, self._thread = loop, thread
        # Close the browser at exit before Python removes its profile folder: atexit runs
        # last-registered first, and the folder's own clean-up (a weakref finalizer) was
        # registered when the browser started; removed while Chromium still writes, it fails
        # with a traceback.
        atexit.unregister(self.stop)
        atexit.register(self.stop)

    def stop(self) -> None:
        loop, browser, thread = self._loop, self._kaleido, self._thread
        self._loop = self._kaleido = self._thread = None
        if loop is None or thread is None or not thread.is_alive():
            return
        if browser is not None:
            try:
                asyncio.run_coroutine_threadsafe(browser.close(), loop).result(timeout=15)
            except Exception:  # noqa: BLE001, S110 - closing a broken browser is best effort
                pass
        loop.call_soon_threadsafe(loop.stop)

    def render(self, fig_dict: dict, opts: dict) -> bytes:
        self.start()
        assert self._loop is not None and self._kaleido is not None
        future = asyncio.run_coroutine_threadsafe(
            self._kaleido.calc_fig(fig_dict, opts=opts, topojson=TOPOJSON_URL),  # type: ignore[attr-defined]
            self._loop,
        )
        return future.result(timeout=RENDER_TIMEOUT)


_exporter = _Exporter()
atexit.register(_exporter.stop)


def _render(fig_dict: dict, fmt: str, width: int, height: int, scale: float) -> bytes:
    opts = {"format": fmt, "width": width, "height": height, "scale": scale}
    with _lock:
        try:
            result = _exporter.render(fig_dict, opts)
        except ExportError:
            raise
        except Exception:  # noqa: BLE001 - a dead browser: start a fresh one, try once more
            _exporter.stop()
            try:
                result = _exporter.render(fig_dict, opts)
            except Exception as exc:
                raise ExportError(
                    f"The {fmt.upper()} could not be made: the export browser failed "
                    f"({type(exc).__name__})."
                ) from exc
    return result if isinstance(result, bytes) else str(result).encode("utf-8")


def warm_up() -> None:
    """Start the export browser now (a few seconds), so a later export does not wait for it:
    the CLI starts it while it reads the database. Raises ExportError without Chromium."""
    with _lock:
        _exporter.start()


def stop_exporter() -> None:
    """Close the export browser (tests and shutdown); the next export starts a new one."""
    with _lock:
        _exporter.stop()


def _for_export(fig: go.Figure, width: int, height: int) -> dict:
    """The figure as a dict at export size; the layout keeps everything else."""
    exported = copy.deepcopy(fig.to_plotly_json())
    layout = exported.setdefault("layout", {})
    layout["width"] = width
    layout["height"] = height
    return exported


def figure_bytes(fig: go.Figure, fmt: str, *, scale: float | None = None,
                 size: tuple[int, int] | None = None) -> bytes:
    """PNG or SVG bytes of a figure at export size (or ``size``, width × height in layout
    pixels: the brief prints narrower figures so their text reads at A4), cached by the
    figure's JSON."""
    if fmt not in ("png", "svg"):
        raise ValueError(f"Unknown image format {fmt!r}; use 'png' or 'svg'.")
    width, height = size if size is not None else export_size(fig)
    chosen_scale = scale if scale is not None else (EXPORT_SCALE if fmt == "png" else 1)
    key = (fig.to_json() + f"|{width}x{height}@{chosen_scale}", fmt)
    with _lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
    data = _render(_for_export(fig, width, height), fmt, width, height, chosen_scale)
    with _lock:
        _cache[key] = data
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
    return data


def to_png(fig: go.Figure) -> bytes:
    """1600×900 layout pixels at scale 2: a 3200×1800 PNG (taller for tall figures)."""
    return figure_bytes(fig, "png")


def to_svg(fig: go.Figure) -> bytes:
    """The same figure as SVG, title and footer included as text."""
    return figure_bytes(fig, "svg")


def chart_csv(data: pl.DataFrame) -> bytes:
    """Exactly the rows behind a chart, formula-neutralised, UTF-8 with a BOM, after the
    citation line the read API's CSV answers start with (``# Cite as: ...``, a comment that
    ``read_csv(..., comment_prefix="#")`` skips), crediting the original publishers."""
    return ("\ufeff" + csv_line() + safe_csv_text(data)).encode("utf-8")


def file_stem(*parts: object) -> str:
    """A safe file name from words: 'conviction-rate-2003-2021'."""
    text = "-".join(str(p) for p in parts if p not in (None, ""))
    cleaned = "".join(c.lower() if c.isalnum() else "-" for c in text)
    while "--" in cleaned:
        cleaned = cleaned.replace("--", "-")
    return cleaned.strip("-") or "chart"
