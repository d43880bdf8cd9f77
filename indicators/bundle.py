"""All charts of a view in one download: a ZIP with each chart as PNG, SVG and CSV, and a
README.txt that says where the view lives, what the sources are, their release and licence.

The images come from ``figure_export`` (the same files the single downloads give, and the same
cache), the CSVs from ``figure_export.chart_csv`` (exactly the rows drawn, formula-safe). A
page needs one call: ``view_zip(charts, link, sources)``.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field

import plotly.graph_objects as go
import polars as pl

from indicators import figure_export
from indicators.charts.draft import Draft, as_figure
from indicators.citation import BIBTEX, CITATION
from indicators.i18n import N_, translator
from indicators.views.sources import source_words

PRODUCT = "Anti-Trafficking Indicators (open source)"
FORMATS = ("png", "svg", "csv")


@dataclass(frozen=True)
class BundleChart:
    """One chart of the view: a file name stem, the figure (or its ``Draft``, made a figure
    when the ZIP is), the rows it draws and (when there is one) its text alternative from
    ``indicators.alt_text``."""

    name: str
    figure: go.Figure | Draft = field(compare=False, repr=False)
    data: pl.DataFrame = field(compare=False, repr=False)
    alt: str = ""


def file_names(charts: Sequence[BundleChart]) -> list[str]:
    """Safe, distinct stems: 'conviction-rate-lines', and '-2' after a repeated one."""
    stems: list[str] = []
    for chart in charts:
        stem = figure_export.file_stem(chart.name)
        candidate, n = stem, 2
        while candidate in stems:
            candidate, n = f"{stem}-{n}", n + 1
        stems.append(candidate)
    return stems


def citation_text(lang: str | None = None) -> str:
    """CITATION.txt of a ZIP: how to cite the figures (the line every CSV and API answer
    carries, crediting the original publishers and the dashboard) and a BibTeX entry. The
    words around them in ``lang``; the citation itself stays as every CSV carries it."""
    _ = translator(lang)
    heading, bibtex = _("How to cite these figures:"), _("BibTeX:")
    return f"{heading}\n\n{CITATION}\n\n{bibtex}\n\n{BIBTEX}"


def readme_text(charts: Sequence[BundleChart], link: str, sources: pl.DataFrame,
                made: dt.datetime, title: str = "", lang: str | None = None) -> str:
    """README.txt of a ZIP made at ``made``: the view's link, then each source with its
    release and licence, then the files. One fact per line, 'Name: value', so a person and a
    script can both read it. In ``lang`` (English by default): the names before the colons,
    the sentences and the sources' releases ('Version : portail de données, version du 14
    avril 2025 …'); titles, publishers and licences stay as the sources write them."""
    _ = translator(lang)

    def fact(name: str, value: object) -> str:
        return f"{_(name)} {value}"

    lines = [
        (title or _("Charts")) + f": {PRODUCT}",
        "",
        fact(N_("View:"), link) if link else fact(N_("View:"), _("(no link given)")),
        fact(N_("Made:"), made.strftime('%Y-%m-%d %H:%M %Z').strip()),
        "",
    ]
    if sources.is_empty():
        lines += [_("Source: none: the database has no figures for this view."), ""]
    for row in sources.iter_rows(named=True):
        name = row.get("citation") or row.get("title") or row.get("id")
        lines.append(fact(N_("Source:"), source_words(name, lang)))
        if row.get("publisher"):
            lines.append(fact(N_("Publisher:"), row["publisher"]))
        lines.append(fact(N_("Release:"), source_words(row.get("edition"), lang) or
                          _("not stated")))
        lines.append(fact(N_("Licence:"), row.get("licence") or _("not stated")))
        if row.get("url"):
            lines.append(fact(N_("Link:"), row["url"]))
        lines.append("")
    lines += [
        _("Files: each chart as NAME.png (1600x900 layout pixels at double resolution), "
          "NAME.svg (vector, text selectable) and NAME.csv (exactly the rows the chart draws; "
          "UTF-8; cells a spreadsheet would run as a formula start with an apostrophe; the "
          "first line, '# Cite as: ...', says how to cite them). CITATION.txt: how to cite, "
          "with BibTeX."),
        "",
    ]
    for stem, chart in zip(file_names(charts), charts, strict=True):
        lines.append(fact(N_("Chart:"), stem))
        if chart.alt:
            lines.append(fact(N_("In words:"), chart.alt))
        lines.append(fact(N_("Files:"), f"{stem}.png, {stem}.svg, {stem}.csv"))
        lines.append("")
    lines.append(_("Missing figures are 'no data', never zero; UNODC's '<5' is a range from 1 "
                   "to 4."))
    return "\n".join(lines) + "\n"


def view_zip(
    charts: Sequence[BundleChart],
    link: str,
    sources: pl.DataFrame,
    *,
    title: str = "",
    made: dt.datetime | None = None,
    lang: str | None = None,
) -> bytes:
    """The ZIP of a view: README.txt, CITATION.txt, then NAME.png, NAME.svg and NAME.csv for
    each chart.

    ``sources`` are the rows of ``store.sources()`` behind the charts (e.g.
    ``views.sources_used`` over the charts' 'source' columns). Raises
    ``figure_export.ExportError`` when the images cannot be made (no Chromium). README.txt
    and CITATION.txt in ``lang`` (English by default)."""
    made = made or dt.datetime.now(dt.UTC)
    stamp = made.timetuple()[:6]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        def add(name: str, data: bytes) -> None:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)

        add("README.txt", readme_text(charts, link, sources, made, title, lang).encode("utf-8"))
        add("CITATION.txt", citation_text(lang).encode("utf-8"))
        for stem, chart in zip(file_names(charts), charts, strict=True):
            figure = as_figure(chart.figure)
            add(f"{stem}.png", figure_export.to_png(figure))
            add(f"{stem}.svg", figure_export.to_svg(figure))
            add(f"{stem}.csv", figure_export.chart_csv(chart.data))
    return buffer.getvalue()
