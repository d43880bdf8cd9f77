"""A grid of text cells → the long observation frame, with every problem in plain words.

Two layouts are accepted:

* long: one figure per row, ``country, year, measure, value, source, note``;
* wide: one row per country and year, ``country, year, source, note`` and one column per
  measure (``persons_convicted``, ``victims_detected``, …).

Header names are matched ignoring case, spaces, underscores and accents, with the synonyms
people actually write (``Convictions``, ``Victims identified``, ``ISO3``…). The header may sit
below a few title rows. Row numbers in messages are the ones the contributor sees in their
spreadsheet: the first row of the file is row 1.
"""

from __future__ import annotations

import difflib
import hashlib
import math
import re
import unicodedata
from dataclasses import dataclass, field

import polars as pl

from indicators.countries import CountryMatch, describe_candidates, match_uploaded
from indicators.i18n import N_
from indicators.measures import CONTEXT_MEASURES, MEASURES
from indicators.problems import ERROR, WARNING, Figure, Problem, listed, said
from indicators.store import Source
from indicators.tables.read import ROW_COLUMN, TEMPLATE_HINT, Grid
from indicators.upload.checks import place_of
from indicators.upload.numbers import (
    DecimalMark,
    Parsed,
    decimal_mark,
    is_plain_count,
    may_show_decimal_mark,
    parse_value,
    thousands_reading,
)

EXAMPLE_MARKER = "EXAMPLE – not real data"
HEADER_SEARCH_ROWS = 20
# Measures that are estimates by nature: stored with value_status 'estimate', as Walk Free's are.
ESTIMATED_MEASURES = ("estimated_victims", "population")
# Counts, which are whole numbers: 12.5 victims is refused (an estimate may carry decimals).
WHOLE_COUNTS = frozenset(
    name for name, spec in MEASURES.items()
    if not spec.is_flag and name not in ESTIMATED_MEASURES and name not in CONTEXT_MEASURES)
LONG_TEMPLATE = ("country", "year", "measure", "value", "source", "note")
# The longest source and note a row may have (characters), and what a longer one is told.
TEXT_LIMITS = {"source": 500, "note": 1000}
TOO_LONG = {
    "source": N_("The source is {length} characters long; a source may hold up to {limit}."),
    "note": N_("The note is {length} characters long; a note may hold up to {limit}."),
}
WIDE_FIXED = ("country", "year", "source", "note")

COLUMN_SYNONYMS: dict[str, tuple[str, ...]] = {
    "country": ("country", "countries", "country_name", "name_of_country", "country_or_area",
                "country_territory", "country_or_territory", "nation", "territory", "pais",
                "pays", "land"),
    "country_code": ("iso3", "iso", "iso_3", "iso3_code", "iso_code", "iso_3_code",
                     "iso_alpha_3", "iso_alpha3", "alpha_3", "code", "country_code",
                     "iso3166", "iso_3166", "iso2", "iso_2", "iso2_code"),
    "year": ("year", "yr", "years", "reference_year", "data_year", "year_of_data",
             "reporting_year", "ano", "annee", "anio", "jahr"),
    "measure": ("measure", "measures", "indicator", "indicator_name", "variable", "metric",
                "series", "measure_name", "indicateur", "indicador"),
    "value": ("value", "values", "figure", "figures", "number", "count", "amount", "total",
              "txtvalue", "obs_value", "valeur", "valor", "wert"),
    "source": ("source", "sources", "data_source", "source_of_data", "reference",
               "references", "citation", "fuente", "quelle"),
    "note": ("note", "notes", "comment", "comments", "remark", "remarks", "observation",
             "observations", "footnote", "footnotes", "nota", "notas"),
}

MEASURE_SYNONYMS: dict[str, tuple[str, ...]] = {
    "persons_convicted": ("convictions", "convicted", "people_convicted", "number_convicted",
                          "number_of_convictions", "convicted_persons", "traffickers_convicted",
                          "persons_convicted_of_trafficking", "total_convictions"),
    "persons_prosecuted": ("prosecutions", "prosecuted", "people_prosecuted",
                           "number_prosecuted", "number_of_prosecutions", "prosecuted_persons",
                           "traffickers_prosecuted", "total_prosecutions"),
    "victims_detected": ("detected_victims", "victims_identified", "identified_victims",
                         "victims_identified_detected", "victims_identified_or_detected",
                         "victims_detected_identified", "victims_detected_or_identified",
                         "number_of_victims_identified", "number_of_victims_detected"),
    "estimated_victims": ("estimated_victim", "victims_estimated", "estimate",
                          "estimated_number_of_victims", "estimated_people_in_modern_slavery",
                          "estimated_number_of_people_in_modern_slavery",
                          "people_in_modern_slavery", "estimated_cases",
                          "estimated_trafficking_cases"),
    "data_sharing_active": ("data_sharing", "cross_border_data_sharing",
                            "cross_border_data_sharing_active", "data_sharing_cross_border",
                            "shares_data", "data_shared"),
    "victims_reported": ("reported_victims", "victim_reports", "victims_who_reported",
                         "reports_by_victims", "number_of_victims_reported"),
    "victims_prosecuted": ("prosecuted_victims", "victims_punished", "victims_criminalised",
                           "victims_criminalized"),
    "suspects": ("persons_suspected", "persons_in_formal_contact", "formal_contact"),
    "offences_recorded": ("offences", "offenses", "offenses_recorded", "recorded_offences",
                          "recorded_offenses"),
    "population": ("pop", "total_population"),
}

_RATE = re.compile(r"%|\brate\b|\brates\b|percent|per cent|\bshare\b|\bratio\b", re.IGNORECASE)


def header_key(text: str | None) -> str:
    """'Victims identified / detected (number)' → 'victims_identified_detected'."""
    if text is None:
        return ""
    text = unicodedata.normalize("NFKD", str(text).replace("\ufeff", ""))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = re.sub(r"\(.*?\)|\[.*?\]", " ", text)
    return re.sub(r"[^a-z0-9]+", "_", text).strip("_")


def _lookup() -> tuple[dict[str, str], dict[str, str]]:
    columns = {key: canonical for canonical, keys in COLUMN_SYNONYMS.items() for key in keys}
    measures = {name: name for name in MEASURES}
    for name, measure in MEASURES.items():
        measures.setdefault(header_key(measure.label), name)
    for name, keys in MEASURE_SYNONYMS.items():
        for key in keys:
            measures.setdefault(key, name)
    return columns, measures


COLUMN_KEYS, MEASURE_KEYS = _lookup()


def measure_for(text: str | None) -> str | None:
    """The measure a header or a measure cell names, or None."""
    return MEASURE_KEYS.get(header_key(text))


def is_rate_name(text: str | None) -> bool:
    return bool(text) and bool(_RATE.search(str(text)))


def suggest_measures(text: str) -> list[str]:
    close = difflib.get_close_matches(header_key(text), list(MEASURE_KEYS), n=3, cutoff=0.6)
    found: list[str] = []
    for key in close:
        if MEASURE_KEYS[key] not in found:
            found.append(MEASURE_KEYS[key])
    return found


def source_id_for(text: str) -> str:
    """A stable id for a contributor's source citation."""
    return "contrib_" + hashlib.sha256(text.strip().encode()).hexdigest()[:12]


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA: the column as a spreadsheet labels it."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


@dataclass
class Layout:
    """Which grid column holds what, found from the header row."""

    header_row: int  # the spreadsheet row of the header
    kind: str  # "long" or "wide"
    columns: dict[str, str]  # canonical name → grid column (c0, c1…)
    measure_columns: dict[str, str] = field(default_factory=dict)  # grid column → measure
    rate_columns: list[str] = field(default_factory=list)  # grid columns holding rates
    names: dict[str, str] = field(default_factory=dict)  # grid column → header as written


@dataclass
class Shaped:
    figures: pl.DataFrame
    sources: list[Source]
    problems: list[Problem] = field(default_factory=list)
    layout: Layout | None = None
    decimal: DecimalMark | None = None

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == ERROR]


FIGURE_SCHEMA = {
    "iso3": pl.String, "year": pl.Int32, "measure": pl.String, "value": pl.Float64,
    "value_status": pl.String, "lower": pl.Float64, "upper": pl.Float64,
    "source_id": pl.String, "note": pl.String, "_row": pl.Int64, "_column": pl.String,
    "_raw": pl.String,
}


def empty_figures() -> pl.DataFrame:
    return pl.DataFrame(schema=FIGURE_SCHEMA)


# -- the header ----------------------------------------------------------------------------------
def find_layout(grid: Grid, file_name: str) -> tuple[Layout | None, list[Problem]]:
    """Find the header row and what each column means; problems if it cannot be used."""
    cells = grid.cells
    data_columns = [c for c in cells.columns if c != ROW_COLUMN]
    head = cells.head(HEADER_SEARCH_ROWS)
    first_filled: dict | None = None
    chosen: dict | None = None
    for record in head.iter_rows(named=True):
        texts = {c: (record[c] or "").strip() for c in data_columns}
        if not any(texts.values()):
            continue
        first_filled = first_filled or record
        canon = {COLUMN_KEYS.get(header_key(t)) for t in texts.values()}
        if ({"country", "country_code"} & canon) and "year" in canon:
            chosen = record
            break
    if first_filled is None:
        return None, [Problem(N_("The file has no rows with anything in them."),
                              said(N_("Fill in the template and save it again. {hint}"),
                                   hint=TEMPLATE_HINT),
                              file_name)]
    record = chosen or first_filled
    header_row = int(record[ROW_COLUMN])
    names = {c: (record[c] or "").strip() for c in data_columns if record[c] is not None}
    problems: list[Problem] = []
    columns: dict[str, str] = {}
    measure_columns: dict[str, str] = {}
    rate_columns: list[str] = []
    unused: list[str] = []
    for column, name in names.items():
        if not name:
            continue
        key = header_key(name)
        canonical = COLUMN_KEYS.get(key)
        measure = MEASURE_KEYS.get(key)
        target = canonical or (f"measure:{measure}" if measure else None)
        if target:
            if target in columns or (measure and measure in measure_columns.values()):
                other = columns.get(target) or next(
                    c for c, m in measure_columns.items() if m == measure)
                letters = grid.info.kind == "csv"  # a workbook's empty first columns are not read
                problems.append(Problem(
                    said(N_("Two columns mean the same thing: '{first}'{first_letter} and "
                            "'{second}'{second_letter}."),
                         first=names[other], first_letter=_letter(other, letters),
                         second=name, second_letter=_letter(column, letters)),
                    N_("Keep one of them and delete the other."),
                    file_name, header_row, name, name))
                continue
            if measure and not canonical:
                measure_columns[column] = measure
                columns[target] = column
            else:
                columns[target] = column
        elif is_rate_name(name):
            rate_columns.append(column)
        else:
            unused.append(name)
    has_country = "country" in columns or "country_code" in columns
    long = "measure" in columns and "value" in columns
    kind = "long" if long else "wide"
    missing = []
    if not has_country:
        missing.append("country")
    if "year" not in columns:
        missing.append("year")
    if not long and not measure_columns:
        missing.append(said(N_("measure and value (or one column per measure)")))
    if "source" not in columns:
        missing.append("source")
    markup = ("<!doctype", "<html", "<?xml")
    if missing and any(n.lower().startswith(markup) for n in names.values()):
        problems.append(Problem(
            N_("This looks like a web page or XML saved under a spreadsheet name, not a table "
               "of figures."),
            said(N_("Download the figures again as CSV or .xlsx, or start from the template. "
                    "{hint}"), hint=TEMPLATE_HINT), file_name, header_row, None, None))
        return None, problems
    if missing:
        found = ", ".join(f"'{n}'" for n in names.values() if n) or said(N_("no column name"))
        problems.append(Problem(
            said(N_("The header row is missing the column(s): {missing}. Row {row} has "
                    "{found}."), missing=listed(missing, N_(", ")), row=header_row, found=found),
            N_("Start from the template: country, year, measure, value, source, note "
               "(or the wide template with one column per measure). Column names may be in any "
               "order and any case."),
            file_name, header_row, None, None))
        return None, problems
    if long and measure_columns:
        unused.extend(names[c] for c in measure_columns)
        for column in measure_columns:
            columns.pop(f"measure:{measure_columns[column]}", None)
        measure_columns = {}
    if unused:
        problems.append(Problem(
            said(N_("These columns are not used: {columns}."),
                 columns=", ".join(f"'{u}'" for u in unused)),
            N_("Nothing to do if they are notes to yourself. If one of them holds figures, "
               "rename it to a measure name from the template."),
            file_name, header_row, None, None, WARNING))
    if rate_columns:
        problems.append(Problem(
            said(N_("Rates and percentages are not imported: {columns}. The dashboard "
                    "computes rates itself from the counts."),
                 columns=", ".join(f"'{names[c]}'" for c in rate_columns)),
            N_("Give the counts behind them instead (for example persons_convicted and "
               "estimated_victims)."),
            file_name, header_row, None, None, WARNING))
    if any(p.severity == ERROR for p in problems):
        return None, problems
    layout = Layout(header_row, kind, columns, measure_columns, rate_columns, names)
    return layout, problems


def _letter(column: str, show: bool) -> str:
    return f" (column {column_letter(int(column[1:]))})" if show else ""


# -- rows → figures ------------------------------------------------------------------------------
def shape_long(grid: Grid, file_name: str, aliases: dict[str, str]) -> Shaped:
    """Every figure in the file as the long frame, and every problem found on the way."""
    layout, problems = find_layout(grid, file_name)
    if layout is None:
        return Shaped(empty_figures(), [], problems)
    cells = grid.cells.filter(pl.col(ROW_COLUMN) > layout.header_row)
    cells, ragged = _drop_ragged(cells, layout, grid, file_name)
    problems.extend(ragged)
    problems.extend(_unnamed_columns(cells, layout, grid, file_name))
    rows = _row_frame(cells, layout)
    if rows.height == 0:
        problems.append(Problem(
            N_("The file has a header row but no figures under it."),
            N_("Add one row per figure under the header (see the filled example)."),
            file_name, layout.header_row, None, None))
        return Shaped(empty_figures(), [], problems, layout)
    figures, sources, cell_problems, mark = _figures(rows, layout, grid.info.delimiter, aliases,
                                                     file_name)
    problems.extend(cell_problems)
    return Shaped(figures, sources, problems, layout, mark)


def _drop_ragged(
    cells: pl.DataFrame, layout: Layout, grid: Grid, file_name: str
) -> tuple[pl.DataFrame, list[Problem]]:
    """CSV rows with more cells than the header: usually an unquoted comma in a number."""
    extra = [c for c in cells.columns if c != ROW_COLUMN and c not in layout.names]
    if grid.info.kind != "csv" or not extra:
        return cells, []
    has_extra = pl.any_horizontal(pl.col(c).is_not_null() for c in extra)
    bad = cells.filter(has_extra)
    problems = []
    width = len(layout.names)
    for record in bad.iter_rows(named=True):
        count = sum(1 for c in cells.columns if c != ROW_COLUMN and record[c] is not None)
        problems.append(Problem(
            said(N_("This row has {count} cells but the header has {width} columns, so its "
                    "cells do not line up with the header."), count=count, width=width),
            said(N_("A number written with a thousands separator (1,240) or a note containing "
                    "the separator '{separator}' must be in double quotes. Remove the extra "
                    "separators, or open the file in Excel and save it again."),
                 separator=grid.info.delimiter),
            file_name, int(record[ROW_COLUMN]), None, None))
    return cells.filter(~has_extra), problems


def _unnamed_columns(
    cells: pl.DataFrame, layout: Layout, grid: Grid, file_name: str
) -> list[Problem]:
    """Cells under an empty header cell are not read: say so rather than drop them quietly."""
    filled = [
        c for c, name in layout.names.items()
        if not name and cells.select((pl.col(c).fill_null("").str.strip_chars() != "").any())
        .item()
    ]
    if not filled:
        return []
    where = ", ".join(column_letter(int(c[1:])) for c in filled) if grid.info.kind == "csv" \
        else str(len(filled))
    return [Problem(
        said(N_("The header row has no name for column {columns}, so the cells under it were "
                "not read.") if len(filled) == 1 else
             N_("The header row has no name for columns {columns}, so the cells under them were "
                "not read."), columns=where),
        N_("If they hold figures, give the column a measure name from the template."),
        file_name, layout.header_row, None, None, WARNING)]


def _text(column: str | None) -> pl.Expr:
    if column is None:
        return pl.lit("", dtype=pl.String)
    return pl.col(column).fill_null("").str.strip_chars()


def _row_frame(cells: pl.DataFrame, layout: Layout) -> pl.DataFrame:
    """One line per non-empty spreadsheet row: the row-level cells as trimmed text."""
    col = layout.columns
    code, name = col.get("country_code"), col.get("country")
    country = _text(code) if code else _text(name)
    if code and name:
        country = pl.when(_text(code) != "").then(_text(code)).otherwise(_text(name))
    country_column = pl.lit(layout.names[code] if code else layout.names[name])
    if code and name:
        country_column = pl.when(_text(code) != "").then(
            pl.lit(layout.names[code])).otherwise(pl.lit(layout.names[name]))
    frame = cells.select(
        pl.col(ROW_COLUMN),
        country.alias("country"),
        country_column.alias("_country_column"),
        # the name beside a code, which the code wins over (checked to be the same country)
        (pl.when(_text(code) != "").then(_text(name)).otherwise(pl.lit(""))
         if code and name else pl.lit("")).alias("_country_name"),
        _text(col["year"]).alias("year"),
        _text(col.get("source")).alias("source"),
        _text(col.get("note")).alias("note"),
        *(_text(c).alias(c) for c in [*layout.measure_columns, *layout.rate_columns]),
        *(
            [_text(col["measure"]).alias("measure"), _text(col["value"]).alias("value")]
            if layout.kind == "long" else []
        ),
    )
    content = [c for c in frame.columns
               if c not in (ROW_COLUMN, "_country_column", "_country_name")]
    return frame.filter(pl.any_horizontal(pl.col(c) != "" for c in content))


# Row-level columns every value cell carries along, so no join is needed to put them back.
_ROW_INFO = ["_iso3", "_year", "_row_ok", "source", "note"]


def _value_cells(rows: pl.DataFrame, layout: Layout) -> pl.DataFrame:
    """One line per value cell: row, measure text, value text, the column it came from, and
    the row's own columns (country, year, source, note and whether they are usable)."""
    if layout.kind == "long":
        return rows.select(
            pl.col(ROW_COLUMN), pl.col("measure").alias("measure_text"), pl.col("value"),
            pl.lit(layout.names[layout.columns["value"]]).alias("_column"),
            pl.lit(False).alias("_rate_column"),
            pl.lit(None, dtype=pl.String).alias("_measure"),
            *_ROW_INFO,
        )
    value_columns = [*layout.measure_columns, *layout.rate_columns]
    long = rows.select(ROW_COLUMN, *_ROW_INFO, *value_columns).unpivot(
        index=[ROW_COLUMN, *_ROW_INFO], on=value_columns, variable_name="_grid_column",
        value_name="value",
    )
    names = {c: layout.names[c] for c in value_columns}
    return long.with_columns(
        pl.col("_grid_column").replace_strict(names).alias("_column"),
        pl.col("_grid_column").replace_strict(names).alias("measure_text"),
        pl.col("_grid_column").is_in(layout.rate_columns).alias("_rate_column"),
        pl.col("_grid_column").replace_strict(layout.measure_columns, default=None)
        .alias("_measure"),
    ).drop("_grid_column").sort(ROW_COLUMN, maintain_order=True)


def _lookup_frame(key: str, mapping: dict[str, dict], schema: dict) -> pl.DataFrame:
    """A small frame of what each distinct cell text means, to join back onto the cells."""
    return pl.DataFrame([{key: text, **info} for text, info in mapping.items()],
                        schema={key: pl.String, **schema})


def _may_warn(column: str) -> pl.Expr:
    """Texts `_text_warnings` can flag: they start like a formula or hold a '<'."""
    return pl.col(column).str.contains(r"^[=+\-@]|<")


def _figures(
    rows: pl.DataFrame,
    layout: Layout,
    delimiter: str | None,
    aliases: dict[str, str],
    file_name: str,
) -> tuple[pl.DataFrame, list[Source], list[Problem], DecimalMark]:
    """Cells → figures, as column expressions over the whole file. Python looks at each distinct
    text once (a file repeats its countries, years, measures and sources on every row, and most
    values are plain counts that need no Python at all) and writes problems for failing cells
    only."""
    problems: list[Problem] = []
    year_column = layout.names[layout.columns["year"]]
    source_column = layout.names[layout.columns["source"]]
    note_column = layout.names.get(layout.columns.get("note", ""), "note")
    measure_column = (layout.names[layout.columns["measure"]] if layout.kind == "long"
                      else None)

    # -- row level: country, year, source -------------------------------------------------
    countries = match_uploaded(rows["country"].unique(), aliases)
    years = {text: _year(text) for text in rows["year"].unique()}
    sources = {text: bool(text) and not _is_example(text) for text in rows["source"].unique()}
    row_info = rows.with_columns(
        pl.col("country").replace_strict({t: m.iso3 for t, m in countries.items()},
                                         default=None, return_dtype=pl.String).alias("_iso3"),
        pl.col("year").replace_strict({t: y[0] for t, y in years.items()}, default=None,
                                      return_dtype=pl.Int32).alias("_year"),
        pl.col("source").replace_strict(sources, default=False, return_dtype=pl.Boolean)
        .alias("_source_ok"),
    ).with_columns(
        (pl.col("_iso3").is_not_null() & pl.col("_year").is_not_null() & pl.col("_source_ok"))
        .alias("_row_ok")
    )
    for record in row_info.filter(~pl.col("_row_ok")).iter_rows(named=True):
        line = int(record[ROW_COLUMN])
        country_text = record["country"]
        if not country_text:
            problems.append(Problem(N_("The country is missing."),
                                    N_("Write the country's name or its ISO3 code (e.g. FRA)."),
                                    file_name, line, record["_country_column"], ""))
        elif record["_iso3"] is None:
            problems.append(_country_problem(countries[country_text], file_name, line,
                                             record["_country_column"]))
        year_problem = years[record["year"]][1]
        if year_problem:
            problems.append(Problem(*year_problem, file_name, line, year_column,
                                    record["year"]))
        source = record["source"]
        if not source:
            problems.append(Problem(
                N_("The figure has no source."),
                N_("Say where the figure comes from (publisher and report, e.g. 'Ministry of "
                   "Interior, annual report 2023')."), file_name, line, source_column, ""))
        elif _is_example(source):
            problems.append(Problem(
                N_("This row is the template's made-up example, not a real figure."),
                N_("Delete the example rows before uploading your own figures."),
                file_name, line, source_column, source))
    problems.extend(_name_and_code_apart(rows, countries, aliases, file_name, layout))
    for column, name in (("source", source_column), ("note", note_column)):
        flagged = [t for t in rows.filter(_may_warn(column))[column].unique()
                   if t and _text_warnings(t, "", 0, "")]
        for record in rows.filter(pl.col(column).is_in(flagged)).iter_rows(named=True):
            problems.extend(_text_warnings(record[column], file_name, int(record[ROW_COLUMN]),
                                           name))
        # a source or note is shown beside the figure on every page that draws it: a sentence
        # or two (a 34,000-character note filled the Compare page)
        limit = TEXT_LIMITS[column]
        for record in rows.filter(pl.col(column).str.len_chars() > limit).iter_rows(named=True):
            text = record[column]
            problems.append(Problem(
                said(TOO_LONG[column], length=Figure(f"{len(text):,}"),
                     limit=Figure(f"{limit:,}")),
                N_("Shorten it to a sentence or two; a longer explanation belongs in your own "
                   "report, cited in the source column."),
                file_name, int(record[ROW_COLUMN]), name, text[:60] + "…"))

    # -- cell level: measure and value ------------------------------------------------------
    values = _value_cells(row_info, layout)
    if layout.kind == "long":
        measures = {t: measure_for(t) for t in values["measure_text"].unique()}
        values = values.with_columns(
            pl.col("measure_text").replace_strict(measures, default=None,
                                                  return_dtype=pl.String).alias("_measure"))
    mark = decimal_mark(
        values.filter(may_show_decimal_mark(pl.col("value")))["value"]
        .unique(maintain_order=True).to_list(),
        delimiter)
    # Plain counts (digits only) are numbers whatever the decimal mark and pass every value
    # check; each other distinct text, and each (text, measure) pair, is understood in Python.
    values = values.with_columns(is_plain_count(pl.col("value")).alias("_plain"))
    plain = pl.col("_plain")
    others = values.filter(~plain)
    parsed = {t: parse_value(t, mark.mark) for t in others["value"].unique()}
    verdicts = {
        (raw, measure): (_value_problem(parsed[raw], raw, measure, mark)
                         if measure is not None else None)
        for raw, measure in others.select("value", "_measure").unique().iter_rows()
    }
    verdict_frame = pl.DataFrame(
        {"value": [raw for raw, _ in verdicts], "_measure": [m for _, m in verdicts],
         "_verdict": [v[2] if v else "ok" for v in verdicts.values()]},
        schema={"value": pl.String, "_measure": pl.String, "_verdict": pl.String})
    parsed_frame = _lookup_frame("value", {
        t: {"_kind": r.kind, "_value": r.value, "_lower": r.lower, "_upper": r.upper,
            "_status": r.status} for t, r in parsed.items()},
        {"_kind": pl.String, "_value": pl.Float64, "_lower": pl.Float64, "_upper": pl.Float64,
         "_status": pl.String})
    cells = (
        values.join(parsed_frame, on="value", how="left", maintain_order="left")
        .join(verdict_frame, on=["value", "_measure"], how="left", nulls_equal=True,
              maintain_order="left")
        .with_columns(  # the joins found every other text: what they left empty is plain
            pl.col("_kind").fill_null("number"),
            pl.when(plain).then(pl.col("value").cast(pl.Float64, strict=False))
            .otherwise(pl.col("_value")).alias("_value"),
            pl.col("_status").fill_null("reported"),
            pl.col("_verdict").fill_null("ok"),
        )
    )
    if layout.kind == "wide":
        cells = cells.filter(pl.col("_kind") != "missing")
    good = ((pl.col("_verdict") == "ok") & pl.col("_measure").is_not_null()
            & ~pl.col("_rate_column"))
    # A rate column's cell is a problem only when it is over 100; any other cell that is not
    # good is one.
    rate_over = (pl.col("_kind") == "number") & (pl.col("_value") > 100)
    failing = ~good & (~pl.col("_rate_column") | rate_over)
    for cell in cells.filter(failing).iter_rows(named=True):
        line, raw = int(cell[ROW_COLUMN]), cell["value"]
        result = parsed.get(raw) or parse_value(raw, mark.mark)
        measure_text = cell["measure_text"]
        if cell["_rate_column"]:
            problems.extend(_rate_cell(result, raw, file_name, line, cell["_column"]))
        elif cell["_measure"] is None and not measure_text:
            problems.append(Problem(
                N_("The measure is missing."),
                said(N_("Write one of: {measures}."), measures=_measure_list()),
                file_name, line, measure_column, ""))
        elif cell["_measure"] is None and is_rate_name(measure_text):
            problems.extend(_rate_cell(result, raw, file_name, line, cell["_column"],
                                       long_measure=measure_text))
        elif cell["_measure"] is None:
            problems.append(_unknown_measure(measure_text, file_name, line, measure_column))
        else:
            message, fix, severity = verdicts[(raw, cell["_measure"])]
            problems.append(Problem(message, fix, file_name, line, cell["_column"], raw,
                                    severity))

    accepted = cells.filter(good & pl.col("_row_ok"))
    source_texts = accepted["source"].unique().sort().to_list()
    source_ids = {text: source_id_for(text) for text in source_texts}
    estimated = pl.col("_measure").is_in(ESTIMATED_MEASURES) & (pl.col("_status") == "reported")
    figures = accepted.sort(ROW_COLUMN, maintain_order=True).select(
        pl.col("_iso3").alias("iso3"),
        pl.col("_year").alias("year"),
        pl.col("_measure").alias("measure"),
        pl.col("_value").alias("value"),
        pl.when(estimated).then(pl.lit("estimate")).otherwise(pl.col("_status"))
        .alias("value_status"),
        pl.col("_lower").alias("lower"),
        pl.col("_upper").alias("upper"),
        pl.col("source").replace_strict(source_ids, return_dtype=pl.String).alias("source_id"),
        pl.when(pl.col("note") == "").then(None).otherwise(pl.col("note")).alias("note"),
        pl.col(ROW_COLUMN),
        pl.col("_column"),
        pl.col("value").alias("_raw"),
    ).cast(FIGURE_SCHEMA)  # type: ignore[arg-type]
    found = [Source(id=source_ids[t], publisher=t[:200], title=t, citation=t)
             for t in source_texts]
    return figures, found, problems, mark


def _year(text: str) -> tuple[int | None, tuple[str, str] | None]:
    if not text:
        return None, (N_("The year is missing."),
                      N_("Write the year the figure is for, e.g. 2023."))
    match = re.fullmatch(r"(\d{4})(?:\.0+)?", text)
    if not match:
        return None, (N_("The year is not a four-digit year."),
                      N_("Write one calendar year as four digits, e.g. 2023 (not '2022-23', "
                         "'FY2023' or words)."))
    return int(match.group(1)), None


def _name_and_code_apart(rows: pl.DataFrame, codes: dict[str, CountryMatch],
                         aliases: dict[str, str], file_name: str, layout: Layout
                         ) -> list[Problem]:
    """A row whose country code and country name are two countries ('UGA' beside 'Kenya'):
    the code is used when a row has both, so a slipped column would put the figure on the
    wrong country without a word. A name that names no country is left to the code."""
    pairs = rows.filter(pl.col("_country_name") != "")
    if pairs.height == 0:
        return []
    names = match_uploaded(pairs["_country_name"].unique().to_list(), aliases)
    column = layout.names[layout.columns["country"]]
    problems = []
    for record in pairs.iter_rows(named=True):
        coded, named = codes[record["country"]].iso3, names[record["_country_name"]].iso3
        if coded and named and coded != named:
            problems.append(Problem(
                said(N_("The country name says {named} but the code beside it says {coded}."),
                     named=place_of(named), coded=place_of(coded)),
                N_("Correct the one that is wrong: when a row has both a code and a name, "
                   "the code is used."),
                file_name, int(record[ROW_COLUMN]), column, record["_country_name"]))
    return problems


def _places(candidates: tuple[str, ...]) -> str:
    """'COG (Congo Republic) or COD (DR Congo)' (``describe_candidates``), its 'or' written
    in the page's language: the names stay the English ones a file is asked to use."""
    parts = [describe_candidates((code,)) for code in candidates]
    if len(parts) <= 1:
        return "".join(parts)
    return said(N_("{places} or {last}"), places=", ".join(parts[:-1]), last=parts[-1])


def _country_problem(match: CountryMatch, file_name: str, line: int, column: str) -> Problem:
    text, candidates = match.text, match.candidates
    if match.ambiguous:
        return Problem(
            said(N_("'{text}' could mean more than one place: {places}."), text=text,
                 places=_places(candidates)),
            said(N_("Write the ISO3 code of the one you mean (for example {code})."),
                 code=next((c for c in candidates if re.fullmatch('[A-Z]{3}', c)), 'COG')),
            file_name, line, column, text)
    if match.by_pattern:  # a country's name inside a longer or misspelt text
        return Problem(
            N_("This is not a country's name as the country list writes it."),
            said(N_("Did you mean {places}? If the figure is for that whole country, write its "
                    "English name or its ISO3 code; a figure for a part of a country (a state, "
                    "a province, a city) is not the country's figure."),
                 places=_places(match.close)),
            file_name, line, column, text)
    fix = said(N_("Did you mean {places}? Write the country's English name or its ISO3 code "
                  "(e.g. FRA for France)."), places=_places(match.close)) \
        if match.close else N_("Write the country's English name or its ISO3 code (e.g. FRA "
                               "for France).")
    return Problem(
        N_("This country is not recognised."), fix,
        file_name, line, column, text)


def _unknown_measure(text: str, file_name: str, line: int, column: str | None) -> Problem:
    close = suggest_measures(text)
    fix = said(N_("Did you mean {close}? Use one of: {measures}."), close=" or ".join(close),
               measures=_measure_list()) if close \
        else said(N_("Use one of: {measures}."), measures=_measure_list())
    return Problem(
        said(N_("'{text}' is not a measure the dashboard knows."), text=text), fix,
        file_name, line, column, text)


def _measure_list() -> str:
    return ", ".join(sorted(MEASURES))


# The value problems whose words depend on nothing but the kind of text found
# (``upload.numbers``): what is wrong, what to do, and how grave.
_KIND_PROBLEMS: dict[str, tuple[str, str, str]] = {
    "missing": (N_("No value, so this row is skipped."),
                N_("Fill in the figure, or delete the row if there is none."), WARNING),
    "formula": (N_("This cell holds a spreadsheet formula, not a number."),
                N_("In Excel, copy the column and use Paste Special → Values, then save again."),
                ERROR),
    "not_finite": (N_("This is not a finite number, so it cannot be a count."),
                   N_("Write the figure with digits, e.g. 1240, or leave the cell empty if "
                      "there is no figure."), ERROR),
    "scientific": (N_("This number is in scientific notation, which may have lost digits."),
                   N_("In Excel, format the column as Number with no decimals, then save "
                      "again."), ERROR),
    "other_suppressed": (N_("Only '<5' is understood as a suppressed count."),
                         N_("Give the exact count, or '<5' if it is between 1 and 4."), ERROR),
    "text": (N_("The value is not a number."),
             N_("Write the figure with digits only, e.g. 1240, or '<5' for a count from 1 to 4; "
                "leave the cell empty if there is no figure."), ERROR),
}
# These three come before a flag's own problem; the others after it.
_BEFORE_FLAG = ("missing", "formula", "not_finite")


def _value_problem(
    result: Parsed, raw: str, measure: str, mark: DecimalMark
) -> tuple[str, str, str] | None:
    flag = MEASURES[measure].is_flag
    kind = result.kind
    if kind in _BEFORE_FLAG:
        return _KIND_PROBLEMS[kind]
    if flag and (kind != "number" or result.percent):
        return (said(N_("{measure} must be 0 (no) or 1 (yes)."), measure=measure),
                N_("Write 1 if the country shared trafficking data across borders that year, "
                   "0 if it did not."), ERROR)
    if kind == "ambiguous":
        digits = re.sub(r"\D", "", raw)
        decimal = float(re.sub(r"[^\d.,]", "", raw).replace(",", "."))
        reason = said(N_("the file writes decimals both ways") if mark.conflict
                      else N_("nothing else in the file shows which"))
        return (said(N_("'{raw}' could mean {digits} or {decimal:g}: {reason}."), raw=raw,
                     digits=digits, decimal=decimal, reason=reason),
                said(N_("Write it without a thousands separator ({digits}) if it is a count, or "
                        "with the decimal mark the rest of the file uses."), digits=digits),
                ERROR)
    if kind in _KIND_PROBLEMS:
        return _KIND_PROBLEMS[kind]
    if result.percent:
        value = result.value or 0.0
        if value > 100:
            return (N_("A rate cannot be over 100%."),
                    said(N_("Check how it was computed. The dashboard computes rates itself: give "
                            "the count of {unit} instead."), unit=unit_words(measure)), ERROR)
        return (said(N_("This is a percentage, but {measure} is a count of {unit}."),
                     measure=measure, unit=unit_words(measure)),
                N_("Give the count itself; the dashboard computes rates from the counts."), ERROR)
    if measure in WHOLE_COUNTS and result.value is not None and not result.value.is_integer():
        return _fraction_problem(result.value, raw, measure, mark)
    return None


def _fraction_problem(value: float, raw: str, measure: str,
                      mark: DecimalMark) -> tuple[str, str, str]:
    """A count of people (or offences) that is not a whole number; for '1.234' read with a
    decimal point, the question which was meant."""
    unit = unit_words(measure)
    one = {"people": said(N_("a person")), "offences": said(N_("an offence"))}.get(
        MEASURES[measure].unit, said(N_("one of the {unit}"), unit=unit))
    thousands = thousands_reading(raw)
    if thousands is not None:
        said_mark = said(N_("point") if mark.mark == "." else N_("comma"))
        return (said(N_("Which was meant, {thousands:,} or {value:g}? In this file '{raw}' reads "
                        "as {value:g} (its decimal mark is a {mark}), a fraction of {one}."),
                     thousands=thousands, value=value, raw=raw.strip(), mark=said_mark, one=one),
                said(N_("If you meant {thousands:,} {unit}, write {thousands} with no separator; "
                        "{measure} is a count of {unit}, a whole number, so {value:g} cannot be "
                        "right."), thousands=thousands, unit=unit, measure=measure, value=value),
                ERROR)
    low, high = math.floor(value), math.ceil(value)
    return (said(N_("{value:g} is not a whole number, but {measure} is a count of {unit}."),
                 value=value, measure=measure, unit=unit),
            said(N_("Give the whole number of {unit} as the source counts them (for example "
                    "{low:,} or {high:,}); the dashboard computes rates and averages itself."),
                 unit=unit, low=low, high=high), ERROR)


def unit_words(measure: str) -> str:
    """A measure's unit as a problem's sentence says it ('people', 'personnes' in French)."""
    unit = MEASURES[measure].unit
    return said(UNITS[unit]) if unit in UNITS else unit


UNITS = {"people": N_("people"), "offences": N_("offences")}


def _rate_cell(
    result: Parsed, raw: str, file_name: str, line: int, column: str,
    long_measure: str | None = None,
) -> list[Problem]:
    if result.kind in ("missing",):
        return []
    over = result.kind == "number" and (result.value or 0) > 100
    if over:
        return [Problem(
            N_("A rate cannot be over 100%."),
            N_("Check the figures it was computed from. The dashboard computes rates itself, "
               "so give the counts instead (for example persons_convicted and "
               "estimated_victims)."),
            file_name, line, column, raw)]
    if long_measure is not None:
        return [Problem(
            said(N_("'{measure}' is a rate; rates are not imported, so this row is skipped."),
                 measure=long_measure),
            N_("The dashboard computes rates itself: give the counts instead (for example "
               "persons_convicted and estimated_victims)."),
            file_name, line, column, raw, WARNING)]
    return []


_HTML = re.compile(r"<\s*/?\s*[a-zA-Z!][^>]*>")


def _text_warnings(text: str, file_name: str, line: int, column: str) -> list[Problem]:
    found = []
    if text.startswith(("=", "+", "-", "@")) and len(text) > 1:
        found.append(Problem(
            N_("This text starts like a spreadsheet formula. It is stored as plain text, and "
               "downloads show it with a leading apostrophe so spreadsheets do not run it."),
            N_("Nothing to do, unless the formula's result was meant to be here."),
            file_name, line, column, text, WARNING))
    if _HTML.search(text):
        found.append(Problem(
            N_("This text contains HTML or script tags. It is stored and shown as plain "
               "text, never run."),
            N_("Nothing to do, unless it was pasted by mistake."),
            file_name, line, column, text, WARNING))
    return found


def _is_example(source: str) -> bool:
    key = re.sub(r"[\s\-–—]+", " ", source.lower())
    return "example" in key and "not real data" in key
