"""Indicator rows shaped for reading: cards, tables and the data behind every chart.

Formatting and selection only (no indicator maths): pages, charts and exports call these so a
value reads the same everywhere. Each ``*_data`` function returns exactly the rows one chart
draws; the chart's CSV download is that frame.

The rooms, by need: `names` (scope names, labels, the one universe, the caveats), `years`
(the one year rule), `cards` (an indicator's card and its sentences), `chart_data` (the rows
each indicator chart draws), `tables` (the pages' tables and pickers), `figures` (published
figures as read), `coverage` (which figures exist), `sources` (what the figures rest on) and
`paper_comparison` (the paper's context figures beside ours).
"""

from __future__ import annotations

from indicators.views.cards import (
    COUNTRY_DATA_SHARING_TARGET,
    THIN_COVERAGE_COUNTRIES,
    Card,
    break_sentence,
    card,
    coverage_text,
    mixed_years_text,
    projection_text,
    series,
    share_text,
    target_text_for,
    trend_text,
    value_hover,
)
from indicators.views.chart_data import (
    RANK_RULE,
    latest_figures,
    lines_data,
    rank_value,
    ranking_data,
    tie_ranks,
)
from indicators.views.coverage import (
    COVERAGE_STATES,
    coverage_matrix,
    coverage_strip_data,
    coverage_summary,
    in_group,
)
from indicators.views.figures import (
    BREAK_COLUMNS,
    breaks_table,
    figure_text,
    figures_table,
    mark_breaks_with_before,
    measure_series,
    raw_count_measures,
    series_breaks,
)
from indicators.views.names import (
    CAVEATS,
    DETECTED_NOT_PREVALENCE_NOTE,
    NO_DATA,
    SUPPRESSED_TEXT,
    UNIVERSE_WORDS,
    VOLUNTARY_REPORTING_NOTE,
    WORLD_NAME,
    axis_title,
    caveats,
    country_values_are_flags,
    formula_code,
    formula_words,
    is_country_code,
    of_universe,
    scope_kinds,
    scope_label,
    scope_names,
    universe,
    unlabelled,
)
from indicators.views.paper_comparison import (
    PaperComparison,
    paper_comparisons,
)
from indicators.views.sources import (
    citations,
    data_as_of,
    source_coverage,
    sources_used,
)
from indicators.views.tables import (
    BREAK_NOTE,
    TRENDS_SHORT,
    against_words,
    compare_table,
    compared_groups,
    countries_of,
    countries_with_figures,
    country_table,
    measures_table,
    place_of,
    scope_options,
)
from indicators.views.years import (
    YearChoice,
    default_year,
    latest_year_with_data,
    recommended_year,
    year_reason,
)

__all__ = [
    "BREAK_NOTE",
    "CAVEATS",
    "caveats",
    "COUNTRY_DATA_SHARING_TARGET",
    "COVERAGE_STATES",
    "Card",
    "DETECTED_NOT_PREVALENCE_NOTE",
    "NO_DATA",
    "PaperComparison",
    "SUPPRESSED_TEXT",
    "THIN_COVERAGE_COUNTRIES",
    "TRENDS_SHORT",
    "UNIVERSE_WORDS",
    "VOLUNTARY_REPORTING_NOTE",
    "WORLD_NAME",
    "YearChoice",
    "axis_title",
    "break_sentence",
    "card",
    "compare_table",
    "countries_of",
    "countries_with_figures",
    "country_table",
    "country_values_are_flags",
    "coverage_matrix",
    "coverage_strip_data",
    "coverage_summary",
    "coverage_text",
    "citations",
    "data_as_of",
    "default_year",
    "BREAK_COLUMNS",
    "breaks_table",
    "figure_text",
    "figures_table",
    "formula_code",
    "formula_words",
    "in_group",
    "is_country_code",
    "latest_figures",
    "latest_year_with_data",
    "lines_data",
    "mark_breaks_with_before",
    "measure_series",
    "measures_table",
    "mixed_years_text",
    "of_universe",
    "paper_comparisons",
    "place_of",
    "compared_groups",
    "against_words",
    "projection_text",
    "RANK_RULE",
    "rank_value",
    "ranking_data",
    "raw_count_measures",
    "recommended_year",
    "scope_kinds",
    "scope_label",
    "scope_names",
    "scope_options",
    "series",
    "series_breaks",
    "share_text",
    "source_coverage",
    "sources_used",
    "target_text_for",
    "tie_ranks",
    "trend_text",
    "universe",
    "unlabelled",
    "value_hover",
    "year_reason",
]
