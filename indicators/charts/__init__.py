"""Brief-ready Plotly figures: one builder per chart, frames in, ``go.Figure`` out.

Every figure explains itself when it leaves the page: a title, a subtitle with the definition
and the target, axis units, a labelled target line, and a footer with the sources, the release
the data are "as of" and the proxy notes. The palette is Okabe-Ito (colour-blind safe); status
is always written (icon and words) as well as coloured; every line has its own dash and marker
so a greyscale print still tells them apart. Missing figures are gaps, never zeros; a value
built on a '<5' figure is a range, drawn as a band or a hatched bar.

The builders are pure: they take the frames from ``indicators.views`` (the exact rows the CSV
download holds) and return a figure; the page shows it, ``figure_export`` writes it as PNG and
SVG, and the unit tests read it.

One module per chart family, around the frame they share:

* ``frame``: palette and line styles, title, subtitle and footer, target line, hover text
* ``axes``: linear and log value axes, their ticks and formats
* ``lines``: over time (``indicator_lines``, ``measure_lines``)
* ``ranking``: one year, highest first (``ranking_bars``)
* ``map``: the world map (``world_map``); ``shapes``: its country shapes
* ``coverage``: which figures exist (``coverage_heatmap``, ``coverage_strip``,
  ``coverage_summary_heatmap``)
* ``sparklines``: a card's trend (``sparkline``)
* ``victims``: who the detected victims are and where they come from (``split_lines``,
  ``citizenship_bars``, ``abroad_bars``)

* ``words``: a view's row (a place, a value, a status, the hover text) in French or Spanish
* ``draft``: a figure as plain data (``Draft``), and a built figure's dict (``figure_dict``).
  The two charts a new Compare selection draws have a builder of their draft
  (``indicator_lines_draft``, ``ranking_bars_draft``): a page sends the draft's dict and makes
  the figure (``as_figure``) only when it is exported.

Every builder takes ``lang`` (a keyword, English by default: the figure it always was); its
titles, axis titles, ticks, legend and hover names, notes and numbers are then in that
language, places by their CLDR names (``i18n.place_name``). The views' rows stay in English
(they are the CSV download); the charts translate them where they draw them.

Everything callers use is importable from here: ``from indicators import charts;
charts.world_map(...)``.
"""

from indicators.charts.axes import (
    LOG_CHANGE_NOTE,
    LOG_NOTE,
    LOG_SPAN,
    LOG_ZERO_NOTE,
    ValueAxis,
    axis_kind,
    count_dtick,
    tick_format,
    tick_text,
    value_axis,
)
from indicators.charts.coverage import (
    COVERAGE_CELL_TEXT,
    COVERAGE_COLOURS,
    coverage_heatmap,
    coverage_strip,
    coverage_summary_heatmap,
)
from indicators.charts.draft import Draft, as_figure, figure_dict
from indicators.charts.frame import (
    CREDIT,
    DASHES,
    EXPORT_HEIGHT,
    EXPORT_WIDTH,
    FONT,
    FOOTER_WRAP,
    GAP_NOTE,
    GRID,
    MUTED,
    NO_SOURCE,
    OKABE_ITO,
    PAGE_HEIGHT,
    RANGE_NOTE,
    SERIES_COLOURS,
    STATUS_COLOURS,
    STATUS_TEXT_COLOURS,
    SUBTITLE_WRAP,
    SYMBOLS,
    TEXT_COLOUR,
    WORLD_COLOUR,
    LineStyle,
    coverage_note,
    esc,
    figure_texts,
    footer_lines,
    indicator_subtitle,
    series_style,
    wrap,
)
from indicators.charts.lines import (
    BREAK_NOTE,
    COLOURED_LINES,
    CONTEXT_GREY,
    DEADLINE_WORDS,
    LEGEND_ROW,
    indicator_lines,
    indicator_lines_draft,
    line_styles,
    measure_lines,
)
from indicators.charts.map import (
    CHOSEN_NOTE,
    COUNT_BREAKS,
    MAP_BLUES,
    MAP_MARKED_OUTLINE,
    MAP_NO_DATA,
    MAP_NO_DATA_OUTLINE,
    MAP_OUTLINE,
    MAP_SPLIT_RANGE,
    SHARE_BREAKS,
    _bin_labels,
    _bin_of,
    value_bins,
    world_map,
)
from indicators.charts.ranking import BAR_BREAK_NOTE, ranking_bars, ranking_bars_draft
from indicators.charts.shapes import (
    MAP_DECIMALS,
    MAP_TOLERANCE,
    centroids,
    read_geojson,
    simplify_geojson,
)
from indicators.charts.sparklines import sparkline
from indicators.charts.victims import (
    BREAKDOWN_NOTE,
    PER_100K_NOTE,
    abroad_bars,
    citizenship_bars,
    place_bars,
    places_alt,
    split_alt,
    split_lines,
)

__all__ = [
    "BAR_BREAK_NOTE", "BREAKDOWN_NOTE", "BREAK_NOTE", "CHOSEN_NOTE", "COLOURED_LINES",
    "CONTEXT_GREY", "COUNT_BREAKS", "LEGEND_ROW",
    "COVERAGE_CELL_TEXT", "COVERAGE_COLOURS", "CREDIT", "DASHES", "DEADLINE_WORDS",
    "EXPORT_HEIGHT", "EXPORT_WIDTH", "FONT", "FOOTER_WRAP", "GAP_NOTE", "GRID",
    "LOG_CHANGE_NOTE", "LOG_NOTE", "LOG_SPAN", "LOG_ZERO_NOTE", "MAP_BLUES", "MAP_DECIMALS",
    "MAP_MARKED_OUTLINE", "MAP_NO_DATA", "MAP_NO_DATA_OUTLINE", "MAP_OUTLINE",
    "MAP_SPLIT_RANGE", "MAP_TOLERANCE", "MUTED", "NO_SOURCE", "OKABE_ITO", "PAGE_HEIGHT",
    "PER_100K_NOTE", "RANGE_NOTE", "SERIES_COLOURS", "SHARE_BREAKS", "STATUS_COLOURS",
    "STATUS_TEXT_COLOURS", "SUBTITLE_WRAP", "SYMBOLS", "TEXT_COLOUR", "WORLD_COLOUR",
    "LineStyle", "ValueAxis", "_bin_labels", "_bin_of", "abroad_bars", "axis_kind",
    "centroids", "citizenship_bars", "count_dtick", "coverage_heatmap", "coverage_note",
    "Draft", "as_figure", "coverage_strip", "coverage_summary_heatmap", "esc", "figure_dict",
    "figure_texts", "footer_lines",
    "indicator_lines", "indicator_lines_draft", "indicator_subtitle", "line_styles",
    "measure_lines", "place_bars", "places_alt",
    "ranking_bars", "ranking_bars_draft", "read_geojson", "series_style", "simplify_geojson",
    "sparkline",
    "split_alt", "split_lines", "tick_format", "tick_text", "value_axis", "value_bins",
    "world_map", "wrap",
]
