"""Running the dashboard's pages in Streamlit's AppTest, on a private copy of the bundled
database. Shared by the page tests in this folder."""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

import streamlit as st
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT = 180


def _scan_installed_components_once() -> None:
    """Every new AppTest scans the metadata of every installed distribution for Streamlit
    components (``manifest_scanner.scan_component_manifests``, about 0.15 s, a third of a
    short page's run); what is installed does not change while the tests run, so the first
    scan's answer serves them all (a fresh list each time, as the scan gives)."""
    from streamlit.components.v2 import manifest_scanner

    scan = manifest_scanner.scan_component_manifests
    if getattr(scan, "scanned_once", False):
        return
    found: list = []

    def scanned(max_workers: int | None = None) -> list:
        if not found:
            found.append(scan(max_workers))
        return list(found[0])

    scanned.scanned_once = True  # type: ignore[attr-defined]
    manifest_scanner.scan_component_manifests = scanned


_scan_installed_components_once()


def open_page(page: str | None = None, query: dict[str, str] | None = None,
              session: dict[str, object] | None = None,
              context: dict[str, object] | None = None) -> AppTest:
    """app.py run on ``page`` (e.g. 'pages/compare.py') with ``query`` in the URL and
    ``session`` in its session state (a signed-in person: ``{"contributor": ...}``);
    ``context``: what the browser says of itself (``st.context``: ``{"locale": "fr-FR"}``).

    INDICATORS_DB must already point at the database (monkeypatch.setenv). The caches are
    cleared so no test sees another test's database.
    """
    st.cache_data.clear()
    st.cache_resource.clear()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    at.context.update(context or {})
    for name, value in (session or {}).items():
        at.session_state[name] = value
    if page:
        at.switch_page(page)
    for name, value in (query or {}).items():
        at.query_params[name] = value
    return at.run()


def opened_once(pages: dict[tuple, AppTest], page: str | None,
                query: dict[str, str] | None = None) -> AppTest:
    """``open_page(page, query)`` run once for the tests of a module that only read what it
    shows (``pages``: the module's ``read_only_pages``, tests/pages/conftest.py): the first to
    ask opens it on its own private copy of the bundled data, the others read that same run.
    A test that clicks, types or writes opens its own page instead."""
    key = (page, tuple(sorted((query or {}).items())))
    if key not in pages:
        pages[key] = open_page(page, query)
    return pages[key]


def texts(at: AppTest) -> str:
    """Every markdown, caption and alert text on the page, for 'is this said' checks."""
    parts = [e.value for e in at.markdown] + [e.value for e in at.caption]
    parts += [e.value for e in at.info] + [e.value for e in at.warning]
    return "\n".join(str(p) for p in parts)


def no_exceptions(at: AppTest) -> None:
    assert [e.value for e in at.exception] == []
    assert [e.value for e in at.error] == []


# English words that French and Spanish never use as words of their own: a text a French or
# Spanish page shows with one of them in it is English left untranslated (proper names and
# quotations aside, which a test names in ``allowed``).
ENGLISH_WORDS = frozenset({
    "the", "of", "and", "with", "for", "from", "to", "is", "are", "this", "which", "each",
    "by", "was", "were", "have", "not", "than", "data", "year", "years", "country",
    "countries", "share", "show", "shows", "shown", "download", "chart", "target", "victims",
    "persons", "convicted", "prosecuted", "detected", "none", "all", "only", "when", "where",
    "what", "how", "why", "about", "between", "since", "range", "off", "track",
})
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")  # words in any script: 'allá' is not 'all'


def _chart_texts(spec: dict) -> list[str]:
    """The words a chart shows: its title, axis titles, tick labels, legend and hover names,
    annotations (with the footer), and hover templates."""
    layout = spec.get("layout", {})
    found: list[str] = []

    def text_of(value: object) -> None:
        if isinstance(value, dict):
            value = value.get("text")
        if isinstance(value, str):
            found.append(value)

    text_of(layout.get("title"))
    for name, axis in layout.items():
        if name.startswith(("xaxis", "yaxis")) and isinstance(axis, dict):
            text_of(axis.get("title"))
            found += [str(t) for t in axis.get("ticktext") or []]
    found += [str(a.get("text", "")) for a in layout.get("annotations") or []]
    for trace in spec.get("data", []):
        text_of(trace.get("name"))
        for key in ("hovertemplate", "text", "hovertext"):
            value = trace.get(key)
            if isinstance(value, str):
                found.append(value)
            elif isinstance(value, list):
                found += [str(v) for v in value if isinstance(v, str)]
        text_of(trace.get("legendgrouptitle"))
    return found


def shown_texts(at: AppTest) -> list[str]:
    """Every text a person reads on the page AppTest ran: titles, headers, markdown, captions,
    alerts, widget labels, help and options, metrics, tables' headers and text cells, tabs and
    expanders, and the words of every Plotly chart."""
    import json

    found: list[str] = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "info", "warning",
                 "error", "success", "text", "latex", "code"):
        found += [str(e.value) for e in at.get(kind)]
    for kind in ("selectbox", "multiselect", "radio", "checkbox", "toggle", "button",
                 "text_input", "number_input", "slider", "select_slider", "text_area",
                 "date_input", "download_button", "segmented_control", "pills",
                 "color_picker", "time_input", "file_uploader"):
        for widget in at.get(kind):
            proto = getattr(widget, "proto", None)
            for attribute in ("label", "help", "placeholder"):
                value = getattr(proto, attribute, None)
                if isinstance(value, str) and value:
                    found.append(value)
            options = getattr(proto, "options", None)
            if options is not None:
                found += [str(o) for o in options]
    for kind in ("tab", "expander", "status"):
        for element in at.get(kind):
            label = getattr(element, "label", None) or getattr(
                getattr(element, "proto", None), "label", None)
            if isinstance(label, str):
                found.append(label)
    for metric in at.get("metric"):
        found += [str(metric.label), str(metric.value)]
    for table in list(at.dataframe) + list(at.table):
        frame = table.value
        found += [str(c) for c in frame.columns]
        for column in frame.columns:
            found += [v for v in frame[column].tolist() if isinstance(v, str)]
    for chart in at.get("plotly_chart"):
        found += _chart_texts(json.loads(chart.proto.spec))
    return found


def english_left(at: AppTest, allowed: tuple[str, ...] | list[str] = ()) -> list[str]:
    """The texts of a French or Spanish page (``shown_texts``) that still hold English words
    (``english_in``). [] when none."""
    return english_in(shown_texts(at), allowed)


def english_in(texts: Iterable[str], allowed: tuple[str, ...] | list[str] = ()) -> list[str]:
    """The ``texts`` that still hold English words (``ENGLISH_WORDS``), once the ``allowed``
    proper names and quotations (publication titles, the paper's quoted wording, UNODC's own
    names) are taken out of them. [] when none."""
    left = []
    for text in texts:
        rest = re.sub(r"\\(.)", r"\1", text)  # markdown's escapes ('\\(' is '(')
        rest = re.sub(r"<br\s*/?>", " ", rest)  # a chart's line breaks
        rest = rest.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">")
        for name in sorted(allowed, key=len, reverse=True):
            rest = rest.replace(name, " ")
        # markup, links, templates' placeholders, code (what a person types: `country, year`),
        # measure codes (victims_detected) and file names (data_glotip.xlsx) are not words
        rest = re.sub(r"<[^>]+>|https?://\S+|%\{[^}]*\}|\{[^}]*\}|`[^`]*`"
                      r"|\b\w+(?:_\w+)+\b|[\w.-]+\.(?:xlsx|csv|json|pdf|png|svg|zip|md)\b"
                      r"|\b[\w.-]+/[\w./-]*",  # and folders (data/)
                      " ", rest)
        words = {w.lower() for w in _WORD.findall(rest) if not w.isupper()}  # not ISO codes
        if words & ENGLISH_WORDS:
            left.append(text)
    return sorted(set(left))


def open_on(page: str | None, query: dict[str, str]) -> AppTest:
    """``open_page`` on ``page`` in the language of the query's ``lang``, set in the session as
    app.py's ``choose_language`` sets it from the link: once a process has run app.py, AppTest
    runs a page switched to on its own, without app.py (the Overview's link is tested with
    app.py in test_overview_languages)."""
    from pages.shared import LANG

    return open_page(page, query, session={LANG: query.get("lang", "en")})


def count_builds(monkeypatch, builders: dict[object, tuple[str, ...]]) -> list[str]:
    """Each call of the named functions (``{module: (name, ...)}``) noted by name in the list
    returned, the functions still doing their work: what a page run built."""
    built: list[str] = []
    for module, names in builders.items():
        for name in names:
            real = getattr(module, name)

            def counted(*args, _real=real, _name=name, **kwargs):
                built.append(_name)
                return _real(*args, **kwargs)

            monkeypatch.setattr(module, name, counted)
    return built


def visit(page: str | None, query: dict[str, str] | None = None) -> AppTest:
    """Another session's first view of ``page`` (None: the Overview), with the process's
    caches as they are (``open_page`` empties them)."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    if page:
        at.switch_page(page)
    for name, value in (query or {}).items():
        at.query_params[name] = value
    return at.run()
