"""The same figure on a phone: a relayout the browser applies when the screen is narrow.

A brief-ready figure is laid out for a wide page and for its 1600×900 export: its subtitle and
footer are cut into lines of 140 and 175 characters, its legend stands beside the plot and the
map's legend to the left of the map. At 390 px that layout overflows (titles cut off at the
right edge, the plot squeezed into a strip beside its legend). The figure itself must not
change (the exports and the briefs are made from it), so ``phone_layout`` only computes, from
the built figure, the layout attributes a narrow screen needs and the figure's own values of
the same attributes; the page ships both inside the figure's ``layout.meta["phone"]`` and a
few lines of script in the page (``app.py``, ``static/phone.js``) hand one or the other to
Plotly.relayout as the screen narrows or widens. The layout rules live here, where they can be
tested without a browser; the script only switches.

On a phone: the title, subtitle and footer are rewrapped to the width of a 390 px screen with
smaller type; every legend goes under the plot, one entry a line, and the footer under the
legend; the map spans the width with its legend under it; small multiples stand in one
column; the years on an axis are spaced so their labels do not collide.
"""

from __future__ import annotations

import html
import math
import numbers
import re
from functools import lru_cache
from itertools import repeat
from typing import Any

from indicators.charts.frame import esc

# The chart's width on a 390 px screen is 358 px (Streamlit's 16 px padding each side); text
# lines are kept within this many pixels, measured with Helvetica's (= Arial's, = Liberation
# Sans's) advance widths, in thousandths of the font size.
CHART_WIDTH = 358
TEXT_WIDTH = 322
TITLE_SIZE = 17
SUBTITLE_SIZE = 13
FOOTER_SIZE = 11
FONT_SIZE = 12
LEGEND_SIZE = 12
LEGEND_ROW = 22  # pixels per legend entry, one a line
MARGIN_SIDE = 10
PLOT_HEIGHT = 300  # a single chart's plot area
PANEL_HEIGHT = 150  # each small multiple's, in one column
MAP_HEIGHT = 200

# Liberation Sans's advance widths (regular, bold), in thousandths of the font size, of the
# printable ASCII characters in order.
_ASCII = " !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`" \
    "abcdefghijklmnopqrstuvwxyz{|}~"
_WIDTHS = dict(zip(_ASCII, (
    (278, 278), (278, 333), (355, 474), (556, 556), (556, 556), (889, 889), (667, 722),
    (191, 238), (333, 333), (333, 333), (389, 389), (584, 584), (278, 278), (333, 333),
    (278, 278), (278, 278), (556, 556), (556, 556), (556, 556), (556, 556), (556, 556),
    (556, 556), (556, 556), (556, 556), (556, 556), (556, 556), (278, 333), (278, 333),
    (584, 584), (584, 584), (584, 584), (556, 611), (1015, 975), (667, 722), (667, 722),
    (722, 722), (722, 722), (667, 667), (611, 611), (778, 778), (722, 722), (278, 278),
    (500, 556), (667, 722), (556, 611), (833, 833), (722, 722), (778, 778), (667, 667),
    (778, 778), (722, 722), (667, 667), (611, 611), (722, 722), (667, 667), (944, 944),
    (667, 667), (667, 667), (611, 611), (278, 333), (278, 278), (278, 333), (469, 584),
    (556, 556), (333, 333), (556, 556), (556, 611), (500, 556), (556, 611), (556, 556),
    (278, 333), (556, 611), (556, 611), (222, 278), (222, 278), (500, 556), (222, 278),
    (833, 889), (556, 611), (556, 611), (556, 611), (556, 611), (333, 389), (500, 556),
    (278, 333), (556, 611), (500, 556), (722, 778), (500, 556), (500, 556), (500, 500),
    (334, 389), (260, 280), (334, 389), (584, 584),
), strict=True))
_OTHER = {"–": 556, "—": 1000, "‘": 222, "’": 222, "“": 333, "”": 333, "…": 1000, "×": 584,
          "÷": 584, "•": 350, "→": 1000, "←": 1000, "≥": 549, "≤": 549, "✔": 800, "✖": 800,
          "✗": 800, "◐": 800, "↗": 1000, "↔": 1000, "○": 800, "◆": 800}
# every character's width above, regular and bold (any other counts as wide as an 'M')
_REGULAR = {**_OTHER, **{c: regular for c, (regular, _bold) in _WIDTHS.items()}}
_BOLD = {**_OTHER, **{c: bold for c, (_regular, bold) in _WIDTHS.items()}}


def _units(text: str, bold: bool) -> int:
    """``text``'s advance width in thousandths of the font size (unknown letters count as
    wide as an 'M')."""
    return sum(map((_BOLD if bold else _REGULAR).get, text, repeat(833)))


def text_width(text: str, size: float, *, bold: bool = False) -> float:
    """``text``'s width in pixels at ``size`` px (unknown letters count as wide as an 'M')."""
    return _units(text, bold) * size / 1000


def wrap_to(text: str, size: float, width: float = TEXT_WIDTH, *, bold: bool = False
            ) -> list[str]:
    """Plain ``text`` cut at spaces into lines no wider than ``width`` pixels (a single word
    wider than that stands alone on its line). Paragraphs ('\\n') start new lines. A line's
    width is its words' and spaces' units added up as it grows (the same sum, so the same
    width, as ``text_width`` of the whole line), not measured again for each word. Remembered
    (``_wrapped``): a new selection's figure repeats most of the words of the one before."""
    return list(_wrapped(str(text), size, width, bold))


@lru_cache(maxsize=1024)
def _wrapped(text: str, size: float, width: float, bold: bool) -> tuple[str, ...]:
    """``wrap_to``'s lines, kept as a tuple (no caller can change the remembered ones)."""
    space = _units(" ", bold)
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line, units = "", 0
        for word in paragraph.split():
            word_units = _units(word, bold)
            if line and (units + space + word_units) * size / 1000 > width:
                lines.append(line)
                line, units = word, word_units
            elif line:
                line, units = f"{line} {word}", units + space + word_units
            else:
                line, units = word, word_units
        lines.append(line)
    return tuple(lines)


def _get(layout: dict, path: str) -> Any:
    """The value at a relayout path ('legend.x', 'annotations[3].text'); None when unset."""
    node: Any = layout
    for part in path.replace("]", "").split("."):
        name, _, index = part.partition("[")
        node = node.get(name) if isinstance(node, dict) else None
        if index and isinstance(node, list):
            node = node[int(index)] if int(index) < len(node) else None
        if node is None:
            return None
    return node


def _legend_entries(spec: dict) -> int:
    """How many entries the figure's legend lists (Plotly's defaults: a trace is listed
    unless it says otherwise; heatmaps and choropleths only when they ask)."""
    layout = spec.get("layout", {})
    if layout.get("showlegend") is False:
        return 0
    count = 0
    for trace in spec.get("data", []):
        shown = trace.get("showlegend")
        if shown is None:
            shown = trace.get("type", "scatter") not in ("heatmap", "choropleth", "pie")
        count += bool(shown)
    return count if count > 1 or layout.get("showlegend") else 0


def _data_span(spec: dict, axis: str) -> float:
    """How far the numbers drawn on x axis ``axis`` ('x', 'x2') reach (an axis without a set
    range: a heatmap's years)."""
    values: list[float] = []
    for trace in spec.get("data", []):
        xs = trace.get("x")
        if trace.get("xaxis", "x") != axis or xs is None or isinstance(xs, dict | str):
            continue
        values.extend(float(v) for v in list(xs)
                      if isinstance(v, numbers.Real) and not isinstance(v, bool))
    return max(values) - min(values) if values else 0


def _grid_rows(spec: dict) -> tuple[int, float, int] | None:
    """A heatmap's named rows: how many, the widest name's width at the phone's size and the
    most lines a name takes ('<br>'); None for a figure without one."""
    for trace in spec.get("data", []):
        names = trace.get("y")
        if trace.get("type") == "heatmap" and isinstance(names, list | tuple) and names \
                and all(isinstance(n, str) for n in names):
            parts = [html.unescape(re.sub(r"<[^>]+>", "", p)) for n in names
                     for p in n.split("<br>")]
            return (len(names), max(text_width(p, FONT_SIZE) for p in parts),
                    max(n.count("<br>") + 1 for n in names))
    return None


def _y_title(layout: dict, meta: dict, left: int, narrow: dict[str, Any]) -> int:
    """The value axis's title, left out on a phone when the subtitle right above the plot
    starts with the same words ('Persons convicted per estimated victim: …'; a unit in
    brackets aside): beside a narrow plot it ran over the tick labels ('1 in 10,000'). The
    tick labels then take the left margin (measured when the figure names them, else from
    the axis's end written with its tick format). Returns the left margin."""
    axis = layout.get("yaxis") or {}
    title = _get(layout, "yaxis.title.text")
    if not title or axis.get("type") == "category":
        return left
    words = html.unescape(re.sub(r"<[^>]+>", "", str(title).replace("<br>", " ")))
    bare = re.sub(r"\s*\([^)]*\)$", "", words).strip()
    if not bare or not str(meta.get("subtitle") or "").startswith(bare):
        return left
    texts = axis.get("ticktext")
    if isinstance(texts, list | tuple) and texts:
        labels = [html.unescape(part) for t in texts for part in str(t).split("<br>")]
    else:
        ends = axis.get("range")
        try:
            labels = [format(float(v), str(axis.get("tickformat") or "")) for v in ends or []]
        except (TypeError, ValueError):
            labels = []
        if not labels:
            return left
    narrow["yaxis.title.text"] = ""
    return max(48, math.ceil(max(text_width(t, FONT_SIZE) for t in labels)) + 14)


def _nice_step(span: float, ticks: int = 5) -> int:
    """A step of 1, 2, 5, 10, … that gives at most ``ticks`` labels over ``span``."""
    for step in (1, 2, 5, 10, 20, 25, 50, 100):
        if span / step <= ticks:
            return step
    return int(10 ** math.ceil(math.log10(span / ticks)))


def phone_layout(spec: dict) -> dict | None:
    """``{"narrow": {...}, "wide": {...}}``: Plotly.relayout updates that lay the figure
    ``spec`` (``fig.to_dict()``) out for a phone, and its own values of the same attributes
    that put it back; None for a figure without the brief frame (a sparkline)."""
    layout = spec.get("layout", {})
    meta = layout.get("meta") or {}
    if not isinstance(meta, dict) or "title" not in meta:
        return None
    annotations = layout.get("annotations") or []
    footer_at = next((i for i, a in enumerate(annotations) if a.get("name") == "footer"), None)
    narrow: dict[str, Any] = {}

    # -- title, subtitle, footer: rewrapped to the phone's width, in smaller type
    title = wrap_to(meta["title"], TITLE_SIZE, bold=True)
    narrow["title.text"] = "<br>".join(f"<b>{esc(line)}</b>" for line in title)
    narrow["title.font.size"] = TITLE_SIZE
    narrow["title.pad.l"] = MARGIN_SIDE
    narrow["title.pad.t"] = 14
    subtitle = wrap_to(meta.get("subtitle") or "", SUBTITLE_SIZE) if meta.get("subtitle") else []
    narrow["title.subtitle.text"] = "<br>".join(esc(line) for line in subtitle)
    narrow["title.subtitle.font.size"] = SUBTITLE_SIZE
    footer: list[str] = []
    for paragraph in meta.get("footer") or []:
        footer.extend(wrap_to(paragraph, FOOTER_SIZE, TEXT_WIDTH + 10))
    narrow["font.size"] = FONT_SIZE

    # -- the plot area: full width; small multiples in one column; the map's own height
    margin = layout.get("margin") or {}
    left = int(margin.get("l") or 80)
    axes = sorted(k for k in layout if k.startswith("xaxis"))
    panels = [k for k in axes if (layout[k].get("visible") is not False)
              and layout[k].get("range") is not None]
    geo = "geo" in layout
    top_axis = any(layout[k].get("side") == "top" for k in axes)
    category_rows = any(layout[k].get("type") == "category" for k in layout
                        if k.startswith("yaxis"))
    old_plot = int(layout.get("height") or 640) - int(margin.get("t") or 0) \
        - int(margin.get("b") or 0)
    if geo:
        plot = MAP_HEIGHT
        narrow["geo.domain.x"] = [0, 1]
        narrow["geo.domain.y"] = [0, 1]
        left = MARGIN_SIDE
    elif len(panels) > 1:
        plot = _one_column(layout, panels, narrow)
    elif category_rows:
        plot = max(old_plot, 160)  # one row per country or measure: keep their height
    else:
        plot = PLOT_HEIGHT
    grid = _grid_rows(spec)
    if grid and not geo:
        # a grid of named rows (which figures exist for which years): the names take the
        # room they need at the phone's size, the years get the rest, and each row is as tall
        # as its name's lines
        rows, widest, lines = grid
        left = min(left, max(48, math.ceil(widest) + 14))
        narrow["yaxis.tickfont.size"] = FONT_SIZE
        plot = max(plot if category_rows else min(plot, old_plot),
                   math.ceil(rows * lines * FONT_SIZE * 1.25) if lines > 1 else 0, 160)
    for key in panels or axes:
        axis = layout[key]
        span = (axis.get("range") or [0, 0])[1] - (axis.get("range") or [0, 0])[0] \
            or _data_span(spec, "x" + key[5:])
        if axis.get("tickformat") == "d" and span > 6:  # years: about five labels
            narrow[f"{key}.dtick"] = max(int(axis.get("dtick") or 1), _nice_step(span))
            narrow[f"{key}.tickangle"] = 0
    if not geo and not grid:
        left = _y_title(layout, meta, left, narrow)
    left = max(left, 48) if not geo else left
    bars_labelled = any(t.get("type") == "bar" and t.get("text") is not None
                        for t in spec.get("data", []))
    right = 64 if bars_labelled else MARGIN_SIDE + 6  # a bar's value written past its end
    for note in annotations:  # labels to the right of the plot (a region's name) keep room
        if note.get("xref") == "paper" and (note.get("x") or 0) >= 1 \
                and note.get("xanchor") == "left":
            size = float((note.get("font") or {}).get("size") or 12)
            words = html.unescape(re.sub(r"<[^>]+>", "", str(note.get("text") or "")))
            right = max(right, math.ceil(text_width(words, size, bold=True)
                                         + (note.get("xshift") or 0) + 6))
    two_line_ticks = False
    for key in panels or axes:
        axis = layout[key]
        values, texts = axis.get("tickvals"), axis.get("ticktext")
        if isinstance(values, list) and isinstance(texts, list) and texts and \
                not key.startswith("yaxis"):
            # as many labelled steps as fit side by side (every other one, every third …)
            label = max(text_width(html.unescape(part), FONT_SIZE) for t in texts
                        for part in str(t).split("<br>")) + 10
            step = math.ceil(len(values) / max(2, (CHART_WIDTH - left - right) // label))
            if step > 1:
                narrow[f"{key}.tickvals"] = values[::step]
                narrow[f"{key}.ticktext"] = texts[::step]
        if isinstance(texts, list) and any("<br>" in str(t) for t in texts):
            two_line_ticks = True
            narrow[f"{key}.tickangle"] = 0
    raised = _labels(layout, footer_at, CHART_WIDTH - 12 - left - right, narrow,
                     plot=plot, top_axis=top_axis)

    # -- what stands above and below the plot
    x_axis = 0 if geo else (34 + (18 if _get(layout, f"{axes[0]}.title.text") else 0)
                            + (15 if two_line_ticks else 0)
                            if axes and not top_axis else 10)
    above = 30 if top_axis else 0  # the years along the top
    top = 14 + 22 * len(title) + (17 * len(subtitle) + 6 if subtitle else 0) + 12 + above \
        + raised
    entries = _legend_entries(spec)
    legend_title = 1 if _get(layout, "legend.title.text") else 0
    legend = (entries + legend_title) * LEGEND_ROW + 8 if entries else 0
    if entries:
        narrow.update({
            # under the plot's left edge; from the figure's when the plot starts far in
            # (names along the left). A legend placed against the figure moves a y-axis
            # title that stands beside it, which only charts with a narrow left margin have.
            "legend.orientation": "v", "legend.x": 0 if left <= 100 else 0.02,
            "legend.xanchor": "left", "legend.xref": "paper" if left <= 100 else "container",
            "legend.y": -(x_axis + 4) / plot,
            "legend.yanchor": "top", "legend.yref": "paper", "legend.tracegroupgap": 0,
            "legend.font.size": LEGEND_SIZE, "legend.bgcolor": "rgba(255,255,255,0)",
            "legend.itemwidth": 30,
        })
        if legend_title:
            narrow["legend.title.side"] = "top"
    bottom = x_axis + legend + 16 * len(footer) + 16
    narrow["margin.t"] = top
    narrow["margin.b"] = bottom
    narrow["margin.l"] = left
    narrow["margin.r"] = right
    # the margins are the ones set here: a legend out of the plot would otherwise push them
    narrow["margin.autoexpand"] = False
    narrow["height"] = top + plot + bottom
    if footer_at is not None:
        narrow[f"annotations[{footer_at}].text"] = "<br>".join(esc(line) for line in footer)
        narrow[f"annotations[{footer_at}].font.size"] = FOOTER_SIZE
        narrow[f"annotations[{footer_at}].xshift"] = -(left - MARGIN_SIDE)
        narrow[f"annotations[{footer_at}].yshift"] = -(x_axis + legend + 6)
    wide = {key: _get(layout, key) for key in narrow}
    return {"narrow": narrow, "wide": wide}


def _labels(layout: dict, footer_at: int | None, width: float, narrow: dict[str, Any], *,
            plot: float = PLOT_HEIGHT, top_axis: bool = False) -> int:
    """The figure's other words (the target's label, 'Baseline', 'Deadline', a region's name):
    each rewrapped to the plot's width (a label cut into lines reads from the left). The
    labels of the year lines along the top of the plot ('Baseline 2015', 'Deadline 2025')
    leave the plot for a band above it, over the end of their line, side by side where they
    fit and else one above the other, and above the target's label where that stands out
    over the plot: in the plot a line of data or the target's line would run through them.
    Returns the pixels the lines above the plot take beyond the figure's usual gap (the top
    margin makes room for them)."""
    raised = 0
    lift = 0.0  # how far the target's label stands out over the top of the plot
    along_top: list[tuple[int, dict, float]] = []
    stacked = 0
    for at, note in enumerate(layout.get("annotations") or []):
        if at == footer_at or not note.get("text"):
            continue
        size = float((note.get("font") or {}).get("size") or 12)
        words = str(note["text"]).replace("<br>", " ").split(" ")
        plain = [html.unescape(re.sub(r"<[^>]+>", "", w)) for w in words]
        lines = [" ".join(words)]
        if text_width(" ".join(plain), size) > width and note.get("xref") in ("paper", "x"):
            lines, line, shown = [], [], ""
            for word, bare in zip(words, plain, strict=True):
                candidate = f"{shown} {bare}" if shown else bare
                if line and text_width(candidate, size) > width:
                    lines.append(" ".join(line))
                    line, shown = [word], bare
                else:
                    line.append(word)
                    shown = candidate
            lines.append(" ".join(line))
            narrow[f"annotations[{at}].text"] = "<br>".join(lines)
            narrow[f"annotations[{at}].align"] = "left"
            if note.get("yanchor") == "bottom":
                raised = max(raised, math.ceil((len(lines) - 1) * size * 1.3))
        if (note.get("xref") == "paper" and note.get("yref") == "paper"
                and note.get("yanchor") == "bottom" and float(note.get("y") or 0) < 0.05):
            # a note at the plot's foot (a ranking's '→ Target: … far beyond the values
            # shown') stood over the last rows' bars and words, cut into lines at a phone's
            # width: it stands above the plot instead, from its left edge
            narrow[f"annotations[{at}].y"] = 1
            narrow[f"annotations[{at}].x"] = 0
            narrow[f"annotations[{at}].xanchor"] = "left"
            narrow[f"annotations[{at}].align"] = "left"
            narrow[f"annotations[{at}].yshift"] = 4
            raised = max(raised, math.ceil(len(lines) * size * 1.3) + 4)
            continue
        if note.get("yanchor") == "bottom":
            lift = max(lift, _over_the_top(layout, note, len(lines) * size * 1.3 + 4, plot))
        year_axis = (layout.get("xaxis" + str(note.get("xref", ""))[1:]) or {}) \
            .get("tickformat") == "d"
        if (str(note.get("yref", "")).endswith("domain") and note.get("y") == 1
                and note.get("yanchor") != "bottom"):  # in the plot, along its top
            if year_axis and not top_axis and note.get("xref", "").startswith("x"):
                along_top.append((at, note, text_width(html.unescape(
                    re.sub(r"<[^>]+>", "", str(note["text"]))), size)))
            else:  # in the plot, one under the other instead of over each other
                if stacked:
                    narrow[f"annotations[{at}].yshift"] = -15 * stacked
                stacked += 1
    if along_top:
        rows = _band(layout, along_top, width + 12, narrow, math.ceil(lift) + 3)
        raised = max(raised, math.ceil(lift) + 3 + BAND_ROW * rows - 10)
    return raised


BAND_ROW = 16  # pixels per row of the year lines' labels above the plot


def _over_the_top(layout: dict, note: dict, height: float, plot: float) -> float:
    """How many pixels a label anchored by its foot stands out above the top of the plot:
    one along the top of the plot all of its height (and its shift), one on the target's
    line what the line's room under the top of the plot leaves of it."""
    yref = str(note.get("yref", ""))
    if yref in ("paper",) or yref.endswith("domain"):
        return height + float(note.get("yshift") or 0) if note.get("y") == 1 else 0
    y_range = (layout.get("yaxis" + yref[1:]) or {}).get("range")
    if not y_range or note.get("y") is None or y_range[1] == y_range[0]:
        return 0
    room = (y_range[1] - float(note["y"])) / (y_range[1] - y_range[0]) * plot
    return max(0.0, height - room)


def _band(layout: dict, labels: list[tuple[int, dict, float]], width: float,
          narrow: dict[str, Any], floor: int) -> int:
    """The year lines' labels laid in rows above the plot, ``floor`` pixels over its top:
    each over its line (the line at its left, or at its right as the figure has it; at its
    right when it would run past the plot), in the lowest row where it touches no other.
    Returns the rows used."""
    rows: list[list[tuple[float, float]]] = []
    for at, note, words in labels:
        axis = layout.get("xaxis" + str(note["xref"])[1:]) or {}
        x_range = axis.get("range") or [0, 1]
        at_px = (float(note["x"]) - x_range[0]) / ((x_range[1] - x_range[0]) or 1) * width
        anchor = note.get("xanchor") or "left"
        if anchor == "left" and at_px + words > width:
            anchor = "right"
        span = (at_px, at_px + words) if anchor == "left" else (at_px - words, at_px)
        row = next((i for i, taken in enumerate(rows)
                    if all(span[1] + 6 <= a or span[0] >= b + 6 for a, b in taken)), None)
        if row is None:
            rows.append([])
            row = len(rows) - 1
        rows[row].append(span)
        narrow[f"annotations[{at}].xanchor"] = anchor
        narrow[f"annotations[{at}].yanchor"] = "bottom"
        narrow[f"annotations[{at}].yshift"] = floor + BAND_ROW * row
    return len(rows)


def _one_column(layout: dict, panels: list[str], narrow: dict[str, Any]) -> int:
    """Small multiples (a grid of panels) restacked in one column, each panel's title moved
    above it; returns the plot area's height."""
    gap = 0.34 / len(panels)  # room for a panel's title and its years
    height = (1 - gap * (len(panels) - 1)) / len(panels)
    annotations = layout.get("annotations") or []
    for index, key in enumerate(panels):
        axis = layout[key]
        y_key = "yaxis" + key[5:]
        old_x, old_y = axis.get("domain") or [0, 1], (layout.get(y_key) or {}).get("domain")
        top = 1 - index * (height + gap)
        narrow[f"{key}.domain"] = [0, 1]
        narrow[f"{y_key}.domain"] = [max(top - height, 0), top]
        for at, note in enumerate(annotations):  # the panel's title, centred above it
            if (note.get("xref") == "paper" and note.get("yref") == "paper" and old_y
                    and abs(note.get("x", -1) - (old_x[0] + old_x[1]) / 2) < 1e-6
                    and abs(note.get("y", -1) - old_y[1]) < 1e-6):
                narrow[f"annotations[{at}].x"] = 0.5
                narrow[f"annotations[{at}].y"] = top
    for key in (k for k in layout if k.startswith("xaxis") and k not in panels
                and layout[k].get("domain")):
        narrow[f"{key}.visible"] = False  # an empty cell of the grid
        narrow["yaxis" + key[5:] + ".visible"] = False
    return PANEL_HEIGHT * len(panels)
