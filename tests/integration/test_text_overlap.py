"""No two pieces of text print over each other: every chart family (lines, ranking, map,
coverage, victims, places, sparklines, the brief's figures) exported as SVG through the one
export browser, and the briefs (a country's and the world's) as PDF, on the bundled data.

Where the boxes come from:
* a chart: its SVG from ``figure_export`` (kaleido, as the downloads and the brief make it),
  laid out by Chromium (Playwright, one tab for every chart), which gives each line of text
  its box as drawn, the SVG's own transforms, fonts and sizes applied; a scatter trace's
  text labels must not sit on a marker either (a 'break?' label once sat on its ring);
* a brief: the PDF's words with their boxes from poppler's ``pdftotext -bbox``.

Two boxes overlap when they share more than ``SLACK`` in both directions (the boxes include
the font's line spacing, so touching lines are not an overlap). Each family is rendered once.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from indicators import brief, charts, figure_export, views
from indicators.api import images, queries
from indicators.settings import IndicatorSettings
from indicators.store import Store

SLACK = 1.0  # px (a chart) or pt (a PDF)
# Every chart family of indicators/charts/, through the addresses the API draws them at, so
# each is the page's own figure (view_charts).
CHARTS = {
    "lines": ("lines", {"indicator": "identification_rate",
                        "countries": "GBR,NGA,Europe,WORLD"}),
    "lines-conviction": ("lines", {"indicator": "conviction_rate", "countries": "GBR,WORLD"}),
    "ranking": ("ranking", {"indicator": "identification_rate",
                            "countries": "GBR,NGA,GHA,SEN,Europe,WORLD", "year": "2019"}),
    "map": ("map", {"indicator": "identification_rate", "year": "2019"}),
    "figures": ("figures", {"country": "GBR"}),
    "victims-sex-age": ("victims", {"country": "NGA", "split": "sex_age"}),
    "victims-forms": ("victims", {"country": "NGA", "split": "form"}),
    "coverage": ("coverage", {"country": "GBR"}),
    "citizenship": ("citizenship", {"country": "GBR", "year": "2019"}),
    "abroad": ("abroad", {"country": "NGA", "year": "2020"}),
    "coverage-summary": ("coverage-summary", {}),
    "coverage-countries": ("coverage-countries", {"measure": "victims_detected",
                                                  "region": "Africa"}),
}
SPARKLINE_SIZE = (320, 120)  # about a card's right-hand column

MEASURE_JS = """
() => {
  const boxes = [];
  const box = (el, kind, group) => {
    const r = el.getBoundingClientRect();
    if (r.width < 0.5 || r.height < 0.5) return;
    const style = getComputedStyle(el);
    if (style.visibility === 'hidden' || style.display === 'none' || style.opacity === '0')
      return;
    boxes.push({kind, group, text: (el.textContent || '').trim(),
                x0: r.left, y0: r.top, x1: r.right, y1: r.bottom});
  };
  document.querySelectorAll('text').forEach((t) => {
    if (!(t.textContent || '').trim()) return;
    const lines = t.querySelectorAll('tspan.line');
    if (!lines.length) box(t, 'text', null);
    lines.forEach((l) => { if ((l.textContent || '').trim()) box(l, 'text', null); });
  });
  // a scatter trace's text labels against every marker (a label on its own ring or on a
  // neighbouring series' marker)
  document.querySelectorAll('g.trace.scatter g.text text').forEach((t) => {
    if ((t.textContent || '').trim()) box(t, 'label', null);
  });
  document.querySelectorAll('g.trace.scatter g.points path.point').forEach(
    (p) => box(p, 'marker', null));
  return boxes;
}
"""


@dataclass(frozen=True)
class Box:
    kind: str
    group: int | None
    text: str
    x0: float
    y0: float
    x1: float
    y1: float


def overlaps(boxes: list[Box], slack: float = SLACK) -> list[str]:
    """Each pair of texts, or a label and a marker, that overlap, in words."""
    found = []
    texts = [b for b in boxes if b.kind == "text"]
    for a, b in itertools.combinations(texts, 2):
        if _shared(a, b) > slack and _shared(a, b, vertical=True) > slack:
            found.append(f"{a.text!r} over {b.text!r}")
    labels = [b for b in boxes if b.kind == "label"]
    markers = [b for b in boxes if b.kind == "marker"]
    for label, marker in itertools.product(labels, markers):
        if _shared(label, marker) > slack and _shared(label, marker, vertical=True) > slack:
            found.append(f"label {label.text!r} on a marker")
    return sorted(set(found))


def _listed(found: dict[str, list[str]]) -> str:
    return "Text over text:\n" + "\n".join(f"{where}: {p}" for where, problems in found.items()
                                             for p in problems)


def _shared(a: Box, b: Box, vertical: bool = False) -> float:
    if vertical:
        return min(a.y1, b.y1) - max(a.y0, b.y0)
    return min(a.x1, b.x1) - max(a.x0, b.x0)


def test_the_check_sees_an_overlap():
    """The check itself, on boxes made up for it: two words on one spot, a label on a
    marker, and neighbours that only touch."""
    boxes = [Box("text", None, "a", 0, 0, 20, 10), Box("text", None, "b", 10, 5, 30, 15),
             Box("text", None, "c", 30, 0, 50, 10),  # touches b's right edge: fine
             Box("label", None, "break?", 100, 90, 130, 100),
             Box("marker", None, "", 105, 95, 120, 110),
             Box("marker", None, "", 105, 100.5, 120, 110)]  # under the label: fine
    assert overlaps(boxes) == ["'a' over 'b'", "label 'break?' on a marker"]


# -- the charts -----------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def snapshot(bundled_db_template: Path):
    with Store(bundled_db_template, read_only=True) as store:
        return store.snapshot()


@pytest.fixture(scope="module")
def tab(browser):
    """One Chromium tab that lays out every SVG (the export browser makes them), in the
    process's one browser (tests/conftest.py)."""
    page = browser.new_page(viewport={"width": 1700, "height": 1000})
    yield page
    page.close()


def svg_boxes(tab, svg: bytes) -> list[Box]:
    tab.set_content("<!doctype html><html><body style='margin:0'>"
                    + svg.decode("utf-8") + "</body></html>")
    return [Box(**b) for b in tab.evaluate(MEASURE_JS)]


@pytest.fixture(scope="module")
def made_briefs(snapshot) -> dict[str, brief.Brief]:
    settings = IndicatorSettings()
    frame = queries.indicator_frame(snapshot, settings.baseline_year, settings.use_proxies,
                                    None)
    common = dict(frame=frame, observations=snapshot.observations,
                  countries=snapshot.countries, sources=snapshot.sources, settings=settings,
                  made_on=dt.date(2026, 12, 7))
    return {"GBR": brief.country_brief("GBR", **common),
            "NGA": brief.country_brief("NGA", year=2020, **common),
            "WORLD": brief.world_brief(**common)}


def _chart_svgs(snapshot, made_briefs) -> dict[str, bytes]:
    svgs = {}
    for name, (kind, query) in CHARTS.items():
        made = images.build(snapshot, images.ask(snapshot, kind, query))
        svgs[name] = figure_export.to_svg(made.fig)
    settings = IndicatorSettings()
    frame = queries.indicator_frame(snapshot, settings.baseline_year, settings.use_proxies,
                                    None)
    for scope in ("GBR", "WORLD"):
        card = views.card(frame, "identification_rate", scope=scope)
        spark = charts.sparkline(card.series, "identification_rate", highlight_year=card.year)
        svgs[f"sparkline-{scope}"] = figure_export.figure_bytes(spark, "svg",
                                                                size=SPARKLINE_SIZE)
    for scope, made in made_briefs.items():  # the brief's figures at print size
        for chart in made.charts:
            svgs[f"brief-{scope}-{chart.key}"] = figure_export.figure_bytes(
                chart.figure, "svg", size=(brief.PRINT_WIDTH, chart.height))
    return svgs


def test_no_chart_prints_text_over_text(snapshot, made_briefs, tab):
    found = {}
    svgs = _chart_svgs(snapshot, made_briefs)
    for name, svg in svgs.items():
        boxes = svg_boxes(tab, svg)
        assert sum(b.kind == "text" for b in boxes) > 3, name  # the words were found
        if problems := overlaps(boxes):
            found[name] = problems
    assert not found, _listed(found)


# -- the briefs as printed ------------------------------------------------------------------------
WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">'
                  r"(.*?)</word>")


def pdf_boxes(pdf: bytes, tmp_path: Path) -> list[list[Box]]:
    """Each page's words with their boxes (pdftotext -bbox)."""
    path = tmp_path / "brief.pdf"
    path.write_bytes(pdf)
    html = subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True,
                          text=True, encoding="utf-8", check=True).stdout
    return [[Box("text", None, w, float(a), float(b), float(c), float(d))
             for a, b, c, d, w in WORD.findall(page)]
            for page in re.findall(r"<page[^>]*>(.*?)</page>", html, re.S)]


def test_no_brief_prints_text_over_text(made_briefs, tmp_path):
    found = {}
    for scope, made in made_briefs.items():
        pages = pdf_boxes(brief.render(made), tmp_path)
        assert len(pages) == 2, scope
        for number, words in enumerate(pages, 1):
            assert len(words) > 200, (scope, number)
            if problems := overlaps(words):
                found[f"{scope} page {number}"] = problems
    assert not found, _listed(found)


# -- every row of a heatmap keeps its name --------------------------------------------------------
ROW_NAMES_JS = "() => [...document.querySelectorAll('.ytick text')].map(t => t.textContent)"


def test_every_row_of_the_coverage_summary_keeps_its_name(snapshot, made_briefs, tab):
    """Plotly leaves out category names it thinks too crowded: the brief's summary once
    printed 5 of its 9 measures' names (and in French their three-line names ran into each
    other). Each row is named, in print (English and French) and on the page."""
    settings = IndicatorSettings()
    frame = queries.indicator_frame(snapshot, settings.baseline_year, settings.use_proxies,
                                    None)
    french = brief.world_brief(frame=frame, observations=snapshot.observations,
                               countries=snapshot.countries, sources=snapshot.sources,
                               settings=settings, made_on=dt.date(2026, 12, 7), lang="fr")
    printed = {lang: next(c for c in made.charts if c.key == "published-figures")
               for lang, made in (("en", made_briefs["WORLD"]), ("fr", french))}
    svgs = {lang: figure_export.figure_bytes(chart.figure, "svg",
                                             size=(brief.PRINT_WIDTH, chart.height))
            for lang, chart in printed.items()}
    page = images.build(snapshot, images.ask(snapshot, "coverage-summary", {}))
    svgs["page"] = figure_export.to_svg(page.fig)
    rows = printed["en"].data["measure"].n_unique()
    assert rows == 9  # the bundled data's published measures
    shown = {}
    for name, svg in svgs.items():
        tab.set_content("<!doctype html><html><body style='margin:0'>"
                        + svg.decode("utf-8") + "</body></html>")
        names = tab.evaluate(ROW_NAMES_JS)
        assert len(names) == rows, (name, names)
        assert len(set(names)) == rows, (name, names)
        shown[name] = names
    # print gives SDG 16.2.2's rate its short name, on one line; the page its whole name
    assert "Victims per 100,000 people (SDG 16.2.2)" in shown["en"]
    assert "Victimes pour 100\u202f000 habitants (ODD 16.2.2)" in shown["fr"]
    assert any(n.startswith("Victims of trafficking per 100,000") for n in shown["page"])
