"""UNODC Global Report on Trafficking in Persons (GLOTIP) country data, as published.

Every row of the workbook's data sheet becomes a figure: the national totals under their plain
measure names (`victims_detected` …) and every breakdown (by sex and age, form of exploitation,
citizenship, country of repatriation) as its own measure (`victims_detected|sex=female|age=0-17`,
see indicators/measures.py). `txtVALUE` is text: "1,240" is 1240 and "<5" is a suppressed count
between 1 and 4, stored with its bounds and no value.

The file may come re-saved: the header is found by its column names, and without the
`Iso3_code` column the countries are found from their names. UNODC's subregional groupings and
rows without a country are left out. Citizenship categories are country names in many
spellings and languages; each is resolved to one country, or kept as a category that says what
it is (own nationals, unknown, stateless, or another group), never guessed.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace
from pathlib import Path

import polars as pl

from indicators.catalogue import UNODC_GLOTIP
from indicators.countries import (
    country_table,
    fold_name,
    is_damaged,
    match_published_name,
    repair_text,
)
from indicators.measures import (
    BREAKDOWN_SEPARATOR,
    DIMENSIONS,
    NATIONALS,
    OTHER_PREFIX,
    STATELESS,
    UNKNOWN,
    is_known_measure,
    measure_label,
)
from indicators.problems import ImportRejected, Problem
from indicators.settings import DATA_DIR
from indicators.sources.family import Shaped, aliases, date_in_title, family_in, release_of
from indicators.store import Source
from indicators.tables.header import (
    Column,
    SourceTable,
    read_source_table,
    read_years,
    require_any,
)

FAMILY_KEY = UNODC_GLOTIP.key
# The current release, and before it the releases bundled as its history (loaded first, in
# this order, so that History shows what each later one revised).
FILE = DATA_DIR / "unodc_glotip_2025" / "data_glotip.xlsx"
FILE_2023 = DATA_DIR / "unodc_glotip" / "data_glotip.xlsx"
ROW = "_row"

SOURCE_2023 = Source(
    id="unodc_glotip_2023",
    publisher="UNODC",
    title="Global Report on Trafficking in Persons: country data",
    edition="data portal release of 30 May 2023 (years 2003–2021)",
    url="https://dataunodc.un.org/dp-trafficking-persons",
    licence="UNODC data portal terms of use (attribution to UNODC required)",
    retrieved="2026-11-24",
    citation="UNODC, Global Report on Trafficking in Persons, data portal (release 30 May 2023)",
)
SOURCE = replace(
    SOURCE_2023,
    id="unodc_glotip_2025",
    edition="data portal release of 14 April 2025 (years 2003–2022)",
    retrieved="2026-12-06",
    citation="UNODC, Global Report on Trafficking in Persons, data portal (release 14 April 2025)",
)
HISTORY: tuple[tuple[Source, Path], ...] = ((SOURCE_2023, FILE_2023),)
# The date in each bundled release's title rows.
_BUNDLED_DATES = {SOURCE_2023.id: dt.date(2023, 5, 30), SOURCE.id: dt.date(2025, 4, 14)}

COLUMNS = (
    Column("Iso3_code", ("iso3", "iso code", "iso3 code"), required=False),
    Column("Country", ("country name",), required=False),
    Column("Region", required=False),
    Column("Subregion", required=False),
    Column("Indicator"),
    Column("Dimension"),
    Column("Category"),
    Column("Sex"),
    Column("Age"),
    Column("Year"),
    Column("Unit of measurement", ("unit",), required=False),
    Column("txtVALUE", ("value", "txt value")),
    Column("Source", required=False),
)

INDICATOR_TO_MEASURE = {
    "Detected trafficking victims": "victims_detected",
    "Persons prosecuted": "persons_prosecuted",
    "Persons convicted": "persons_convicted",
    "Persons brought into formal contact": "suspects",
    "Offences of trafficking in persons": "offences_recorded",
}

SUPPRESSED_TEXT = "<5"
SUPPRESSED_LOWER = 1.0
SUPPRESSED_UPPER = 4.0

# UNODC's subregional groupings (a code, no country name) and a combined territory row: not
# countries. Counting them would double-count the countries they group.
PSEUDO_CODES = ("CAR", "CAS", "EEU", "MCA", "MCN", "SAF", "SAM", "Aruba/Curacao")
# Names in the Country column that are not a country of the map (Sark has no ISO3 code).
NOT_COUNTRIES = ("sark",)
# UNODC writes UN M49 names in its Country column: there "Congo" is the Republic of the Congo
# and "Georgia" the country (checked against Iso3_code in the 30 May 2023 release).
COUNTRY_OVERRIDES = {"congo": "COG", "georgia": "GEO"}
# In citizenship categories "Georgia" can only be the country; "Congo" stays ambiguous there
# (free text typed by each reporting country) and is kept as its own category.
CATEGORY_OVERRIDES = {"georgia": "GEO"}

DIMENSION_KINDS = {
    "total": None,
    "by form of exploitation": "form",
    "by citizenship": "citizenship",
    "by country of repatriation": "repatriation",
}
SEXES = {"total": None, "female": "female", "male": "male", "other": "other",
         "unknown": "unknown"}
AGES = {"total": None, "0 to 17 years": "0-17", "18 years or over": "18+", "unknown": "unknown"}
FORMS = {"sexual exploitation": "sexual_exploitation", "forced labour": "forced_labour",
         "other forms of exploitation": "other_forms"}

# Citizenship and repatriation categories that are not one country (folded text).
NATIONALS_LABELS = ("nationals", "own country", "ciudadanos de su pais")
UNKNOWN_LABELS = ("unknown", "desconocido", "desconocida", "inconnu", "inconnue",
                  "no determinada", "no determinado", "sin determinar", "no registra",
                  "no information", "n/a")
# An empty category cell says nothing, not even "unknown" (Bolivia publishes both in one year).
EMPTY_CATEGORY = "empty"
STATELESS_LABELS = ("stateless",)
# A line that is a total, not a category: left out (the national total is its own row).
TOTAL_LABELS = ("total", "total por ano")
# Groups, former states, free text: kept, each as its own `other:` category, never a country.
OTHER_LABELS = {
    "former czechoslovakia": "former_czechoslovakia",
    "former yugoslavia": "former_yugoslavia",
    "the former netherlands antilles": "former_netherlands_antilles",
    "personnes de nationalite etrangere": "foreign_nationals",
    "(especifique otras nacionalidades)": "other_nationalities_unspecified",
    "(especifique el pais)": "country_unspecified",
    "congo": "congo",  # Republic of the Congo or DR Congo: not said
    "congolese": "congolese",
    "pero": "pero",  # 'PERO' (from Ecuador): a Spanish word, not certainly Peru
    "nationality": "nationality",
    "without": "without",
    "disputed": "disputed",
    "rohingya": "rohingya",
}
_GROUP_PATTERN = re.compile(
    r"^\d|\bothers?\b|\botros\b|^m49 region|\beconomic area\b|^abroad$|\(.*etc\.?\)|^amercias$"
    r"|^central africa$"
)
_OWN_COUNTRY = re.compile(r"\(own country\)$|^domestic \(")

# Why a row of the workbook is not a figure in the store.
REASON_PSEUDO = "a UNODC subregional grouping, not a country"
REASON_NO_COUNTRY = "no country (no ISO3 code and no country name that can be placed)"
REASON_INDICATOR = "an indicator the dashboard does not load"
REASON_SHAPE = "a dimension, sex, age or category this importer does not know"
REASON_TOTAL_LINE = "a 'TOTAL' line inside a citizenship or repatriation breakdown"
REASON_EMPTY = "no value"
REASON_DUPLICATE = "published more than once with different values"


def read(path: str | Path = FILE) -> SourceTable:
    """The data table under its header row, wherever that is; refused in plain words when the
    columns it needs are missing."""
    return require_any(read_source_table(path, COLUMNS), ("Iso3_code", "Country"),
                       "Use the publisher's file as released, or restore one of those columns.")


def frame(table: SourceTable) -> pl.DataFrame:
    """The table's rows with the year as a number; a year that is not one stops the import."""
    years = read_years(table, "Give the year as four digits, as the publisher's file does.")
    return table.frame.with_columns(years.alias("Year"))


def read_published(path: str | Path = FILE) -> pl.DataFrame:
    """The workbook's data rows: every column as text, the year as a number, and `_row`."""
    return frame(read(path))


def release_source(label: str, table: SourceTable) -> Source:
    """The Source of one release, named after its label and the date in its title rows."""
    found = date_in_title(table)  # the release's date, in the title rows
    for bundled in (SOURCE_2023, SOURCE):
        if label == bundled.id.removeprefix(FAMILY_KEY + "_") and found == _BUNDLED_DATES[
                bundled.id]:
            return bundled
    when = f"release of {found:%-d %B %Y}" if found else f"release {label}"
    return release_of(UNODC_GLOTIP, SOURCE, label, edition=f"data portal {when}", citation=(
        f"UNODC, Global Report on Trafficking in Persons, data portal ({when})"))


# -- countries -------------------------------------------------------------------------------
def _fold(published: pl.DataFrame, column: str) -> pl.Expr:
    """A text column folded for comparison ('Total ' and 'TOTAL' are 'total')."""
    values = published[column].unique().to_list()
    table = {v: fold_name(repair_text(v)) for v in values if v is not None}
    return pl.col(column).replace_strict(table, default=None, return_dtype=pl.String)


def reporting_countries(published: pl.DataFrame) -> pl.DataFrame:
    """Each row's reporting country (`iso3`), or null with the reason it is left out.

    With an `Iso3_code` column the code is used (UNODC's groupings and rows without a code or a
    name are left out); without it, the Country name is matched to one country.
    """
    rows = published.with_row_index("_i")
    if "Iso3_code" in rows.columns:
        codes = set(country_table()["iso3"].to_list())
        code = pl.col("Iso3_code").str.strip_chars()
        named = pl.col("Country").is_not_null() if "Country" in rows.columns else pl.lit(True)
        return rows.select(
            "_i",
            pl.when(code.is_in(codes) & named).then(code).alias("iso3"),
            pl.when(code.is_in(list(PSEUDO_CODES)) | (code.is_not_null() & ~named))
            .then(pl.lit(REASON_PSEUDO))
            .when(~code.is_in(codes) | code.is_null() | ~named).then(pl.lit(REASON_NO_COUNTRY))
            .alias("_excluded"),
        )
    names = rows.select("Country").unique()["Country"].to_list()
    resolved: dict[str, str] = {}
    unknown: list[str] = []
    for name in names:
        if name is None or fold_name(name) in NOT_COUNTRIES:
            continue
        match = match_published_name(name, overrides=COUNTRY_OVERRIDES)
        if match.iso3 is None:
            unknown.append(name)
        else:
            resolved[name] = match.iso3
    if unknown:
        first_rows = rows.filter(pl.col("Country").is_in(unknown)).group_by("Country").agg(
            pl.col(ROW).min() if ROW in rows.columns else pl.col("_i").min())
        raise ImportRejected([
            Problem("No single country has this name, and the file has no 'Iso3_code' column "
                    "to tell.", "Use the publisher's file with its Iso3_code column, or write "
                    "the country's name as UNODC does.", "", int(r[1]) if r[1] is not None
                    else None, "Country", r[0])
            for r in first_rows.sort("Country").iter_rows()
        ])
    country = pl.col("Country")
    return rows.select(
        "_i",
        country.replace_strict(resolved, default=None, return_dtype=pl.String).alias("iso3"),
        pl.when(country.is_null()).then(pl.lit(REASON_PSEUDO))
        .when(~country.is_in(list(resolved))).then(pl.lit(REASON_NO_COUNTRY))
        .alias("_excluded"),
    )


def resolve_place(label: str | None) -> tuple[str | None, str]:
    """A citizenship or repatriation category → (category code, kind).

    kind is 'country' (an ISO3 code), 'nationals', 'unknown', 'stateless', 'other' (a group
    or text that is not one country, kept as `other:…`), or 'total' (a total line, left out).
    """
    if label is None or not str(label).strip():
        return OTHER_PREFIX + EMPTY_CATEGORY, "other"
    text = repair_text(str(label)).strip()
    key = fold_name(text)
    special = _special(key)
    if special is not None:
        return special
    if _OWN_COUNTRY.search(key):
        return NATIONALS, "nationals"
    if _GROUP_PATTERN.search(key):
        return OTHER_PREFIX + _slug(key), "other"
    match = match_published_name(text, overrides=CATEGORY_OVERRIDES)
    if match.iso3 is not None:
        return match.iso3, "country"
    if is_damaged(text):
        special = _special_damaged(key)
        if special is not None:
            return special
    return OTHER_PREFIX + _slug(key), "other"


def _special(key: str) -> tuple[str | None, str] | None:
    if key in NATIONALS_LABELS:
        return NATIONALS, "nationals"
    if key in UNKNOWN_LABELS:
        return UNKNOWN, "unknown"
    if key in STATELESS_LABELS:
        return STATELESS, "stateless"
    if key in TOTAL_LABELS:
        return None, "total"
    if key in OTHER_LABELS:
        return OTHER_PREFIX + OTHER_LABELS[key], "other"
    return None


def _special_damaged(key: str) -> tuple[str | None, str] | None:
    pattern = re.compile("".join("." if c in "\ufffd?" else re.escape(c) for c in key))
    labels = (*NATIONALS_LABELS, *UNKNOWN_LABELS, *STATELESS_LABELS, *TOTAL_LABELS,
              *OTHER_LABELS)
    found = [label for label in labels if pattern.fullmatch(label)]
    return _special(found[0]) if len(found) == 1 else None


def _slug(key: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "_", key.replace("\ufffd", "")).strip("_")
    return slug or "unnamed"


def place_resolution(published: pl.DataFrame) -> pl.DataFrame:
    """Every citizenship and repatriation label of the file, its rows and what it became."""
    places = published.filter(
        _fold(published, "Dimension").is_in(["by citizenship", "by country of repatriation"])
    ).group_by("Dimension", "Category").agg(pl.len().alias("rows"))
    resolved = [resolve_place(label) for label in places["Category"].to_list()]
    return places.with_columns(
        pl.Series("category", [r[0] for r in resolved], dtype=pl.String),
        pl.Series("kind", [r[1] for r in resolved], dtype=pl.String),
    ).sort("Dimension", "kind", "Category", nulls_last=True)


# -- figures ---------------------------------------------------------------------------------
def _lookup(values: list[str | None], mapping: dict[str, str | None]) -> dict[str, str | None]:
    return {v: mapping.get(fold_name(v), "?") for v in values if v is not None}


def _breakdown_columns(published: pl.DataFrame) -> pl.DataFrame:
    """base, form, citizenship, repatriation, sex, age for every row ('?' where unknown)."""
    def mapped(column: str, mapping: dict[str, str | None]) -> pl.Expr:
        table = _lookup(published[column].unique().to_list(), mapping)
        return pl.col(column).replace_strict(table, default="?", return_dtype=pl.String)

    indicator = {fold_name(k): v for k, v in INDICATOR_TO_MEASURE.items()}
    pairs = published.select("Dimension", "Category").unique()
    category_codes: dict[tuple[str | None, str | None], tuple[str | None, str | None]] = {}
    for dimension, category in pairs.iter_rows():
        kind = DIMENSION_KINDS.get(fold_name(dimension or ""), "?")
        if kind is None:
            code = None if fold_name(category or "") == "total" else "?"
        elif kind == "form":
            code = FORMS.get(fold_name(category or ""), "?")
        elif kind == "?":
            code = "?"
        else:
            place, what = resolve_place(category)
            code = "#total" if what == "total" else place
        category_codes[(dimension, category)] = (kind, code)
    codes = pl.DataFrame(
        {
            "Dimension": [k[0] for k in category_codes],
            "Category": [k[1] for k in category_codes],
            "_kind": [v[0] for v in category_codes.values()],
            "_code": [v[1] for v in category_codes.values()],
        },
        schema={"Dimension": pl.String, "Category": pl.String, "_kind": pl.String,
                "_code": pl.String},
    )
    joined = published.select("Dimension", "Category").join(
        codes, on=["Dimension", "Category"], how="left", nulls_equal=True, maintain_order="left")
    kind, code = pl.col("_kind"), pl.col("_code")
    return joined.select(
        pl.Series("base", published["Indicator"]).replace_strict(
            _lookup(published["Indicator"].unique().to_list(), indicator), default="?",
            return_dtype=pl.String),
        pl.when(kind == "form").then(code).alias("form"),
        pl.when(kind == "citizenship").then(code).alias("citizenship"),
        pl.when(kind == "repatriation").then(code).alias("repatriation"),
        pl.when(kind == "?").then(pl.lit("?")).alias("_bad_dimension"),
        pl.when((kind.is_null()) & code.is_not_null()).then(pl.lit("?")).alias("_bad_total"),
    ).with_columns(
        published.select(mapped("Sex", SEXES).alias("sex"), mapped("Age", AGES).alias("age"))
    )


def _measure_name(parts: pl.DataFrame) -> pl.Expr:
    pieces = [pl.col("base")]
    for key in DIMENSIONS:
        pieces.append(
            pl.when(pl.col(key).is_not_null())
            .then(pl.lit(f"{BREAKDOWN_SEPARATOR}{key}=") + pl.col(key))
            .otherwise(pl.lit(""))
        )
    return pl.concat_str(pieces)


def shape(published: pl.DataFrame, source_id: str = SOURCE.id) -> Shaped:
    """Every figure of the sheet as the long frame, and what was left out and why."""
    if ROW not in published.columns:
        published = published.with_row_index(ROW, offset=2).with_columns(pl.col(ROW).cast(
            pl.Int64))
    countries = reporting_countries(published)
    parts = _breakdown_columns(published)
    raw = pl.col("txtVALUE").cast(pl.String).str.strip_chars()
    suppressed = raw == SUPPRESSED_TEXT
    value = raw.str.replace_all(",", "").cast(pl.Float64, strict=False)
    rows = pl.concat([published.select(ROW, "Year", "txtVALUE"), countries.drop("_i"), parts],
                     how="horizontal").with_columns(
        _measure_name(parts).alias("measure"),
        pl.when(suppressed).then(None).otherwise(value).alias("value"),
        suppressed.alias("_suppressed"),
    )
    measure_ok = {m: is_known_measure(m) for m in rows["measure"].unique().to_list()}
    bad_shape = (
        (pl.col("_bad_dimension") == "?") | (pl.col("_bad_total") == "?")
        | (pl.col("sex") == "?") | (pl.col("age") == "?") | (pl.col("form") == "?")
        | ~pl.col("measure").replace_strict(measure_ok, return_dtype=pl.Boolean)
    )
    rows = rows.with_columns(
        pl.when(pl.col("_excluded").is_not_null()).then(pl.col("_excluded"))
        .when(pl.col("base") == "?").then(pl.lit(REASON_INDICATOR))
        .when((pl.col("citizenship") == "#total") | (pl.col("repatriation") == "#total"))
        .then(pl.lit(REASON_TOTAL_LINE))
        .when(bad_shape).then(pl.lit(REASON_SHAPE))
        .when(raw.is_null() | (raw == "")).then(pl.lit(REASON_EMPTY))
        .alias("_excluded")
    )
    kept = rows.filter(pl.col("_excluded").is_null())
    unreadable = kept.filter(~pl.col("_suppressed") & pl.col("value").is_null())
    if unreadable.height:
        raise _bad_values(unreadable)
    long = kept.select(
        pl.col(ROW),
        pl.col("iso3"),
        pl.col("Year").cast(pl.Int32).alias("year"),
        pl.col("measure"),
        pl.col("value"),
        pl.when(pl.col("_suppressed")).then(pl.lit("suppressed")).otherwise(pl.lit("reported"))
        .alias("value_status"),
        pl.when(pl.col("_suppressed")).then(pl.lit(SUPPRESSED_LOWER)).alias("lower"),
        pl.when(pl.col("_suppressed")).then(pl.lit(SUPPRESSED_UPPER)).alias("upper"),
        pl.lit(source_id).alias("source_id"),
        pl.lit(None, dtype=pl.String).alias("note"),
    )
    long, duplicates = _one_figure_per_key(long)
    left_out = rows.filter(pl.col("_excluded").is_not_null()).group_by("_excluded").len()
    notes = [f"{n:,} rows left out: {reason}." for reason, n in left_out.sort("_excluded").rows()]
    if duplicates:
        notes.append(f"{duplicates:,} rows left out: {REASON_DUPLICATE} (the workbook does not "
                     "say which is which).")
    return Shaped(long.sort(ROW), tuple(notes))


def _bad_values(rows: pl.DataFrame) -> ImportRejected:
    problems = [
        Problem("This is not a count.", "Write the count, or '<5' as UNODC does.", "",
                int(r[ROW]), "txtVALUE", str(r["txtVALUE"]))
        for r in rows.head(20).iter_rows(named=True)
    ]
    if rows.height > 20:
        problems.append(Problem(f"{rows.height - 20} more values in column 'txtVALUE' are not "
                                "counts.", "Write the count, or '<5' as UNODC does."))
    return ImportRejected(problems)


def _one_figure_per_key(long: pl.DataFrame) -> tuple[pl.DataFrame, int]:
    """Rows published twice with the same value are one figure; with different values, the
    workbook does not say which is which, so neither is kept (and the count is reported)."""
    key = ["iso3", "year", "measure"]
    counted = long.with_columns(
        pl.len().over(key).alias("_n"),
        pl.struct("value", "value_status").n_unique().over(key).alias("_values"),
    )
    conflicting = counted.filter(pl.col("_values") > 1)
    kept = counted.filter(pl.col("_values") == 1).unique(key, keep="first", maintain_order=True)
    return kept.drop("_n", "_values"), conflicting.height


def to_long(published: pl.DataFrame, source_id: str = SOURCE.id) -> pl.DataFrame:
    """The published sheet as the long observation frame (totals and breakdowns)."""
    return shape(published, source_id).long


def national_totals(published: pl.DataFrame) -> pl.DataFrame:
    """Rows that are a country's national total (Dimension = Category = Sex = Age = Total),
    groupings and rows without a country left out."""
    countries = reporting_countries(published)
    total = pl.lit("total")
    indicators = [fold_name(i) for i in INDICATOR_TO_MEASURE]
    return published.with_columns(countries["iso3"].alias("_iso3")).filter(
        (_fold(published, "Dimension") == total) & (_fold(published, "Category") == total)
        & (_fold(published, "Sex") == total) & (_fold(published, "Age") == total)
        & pl.col("_iso3").is_not_null()
        & _fold(published, "Indicator").is_in(indicators)
    ).drop("_iso3")


def country_names(published: pl.DataFrame) -> pl.DataFrame:
    """ISO3 and the name UNODC uses for it, to keep as an alias."""
    return aliases(published, "Country", lambda p: reporting_countries(p)["iso3"])


def parse_count(text: pl.Expr) -> pl.Expr:
    """'1,240' → 1240.0; '<5' and anything else unreadable → null."""
    return text.str.strip_chars().str.replace_all(",", "").cast(pl.Float64, strict=False)


# -- breakdowns against their totals --------------------------------------------------------
def breakdown_exceedances(long: pl.DataFrame) -> pl.DataFrame:
    """Where the parts of a breakdown add up to more than the figure they break down, even at
    the lowest reading of every '<5' (1) and the highest of the whole (4 for '<5').

    For each breakdown figure and each of its dimensions, the whole is the same measure without
    that dimension ('victims_detected|sex=female|age=0-17' is a part of
    'victims_detected|sex=female' over age and of 'victims_detected|age=0-17' over sex). The
    'sex and age unknown' figure is a part of the national total over sex and over age. Only
    UNODC's own figures can do this: nothing here is ever added into a total.
    """
    figures = long.filter(pl.col("measure").str.contains(BREAKDOWN_SEPARATOR, literal=True))
    low = pl.coalesce("lower", "value")
    parts = figures.select("iso3", "year", "measure", low.alias("low"))
    rows: list[dict[str, object]] = []
    for iso3, year, measure, part_low in parts.iter_rows():
        base, *pieces = measure.split(BREAKDOWN_SEPARATOR)
        keys = [p.split("=", 1)[0] for p in pieces]
        wholes = []
        if pieces == ["sex=unknown", "age=unknown"]:
            wholes = [("sex", base), ("age", base)]
        else:
            for i, key in enumerate(keys):
                whole = BREAKDOWN_SEPARATOR.join([base, *pieces[:i], *pieces[i + 1:]])
                wholes.append((key, whole))
        for over, whole in wholes:
            rows.append({"iso3": iso3, "year": year, "whole": whole, "over": over,
                         "part": measure, "low": part_low})
    if not rows:
        return pl.DataFrame(schema={"iso3": pl.String, "year": pl.Int32, "whole": pl.String,
                                    "over": pl.String, "parts": pl.Int64,
                                    "parts_low": pl.Float64, "whole_high": pl.Float64})
    high = pl.coalesce("upper", "value")
    wholes_frame = long.select("iso3", "year", pl.col("measure").alias("whole"),
                               high.alias("whole_high"))
    sums = (
        pl.DataFrame(rows, schema_overrides={"year": pl.Int32, "low": pl.Float64})
        .group_by("iso3", "year", "whole", "over")
        .agg(pl.len().alias("parts"), pl.col("low").sum().alias("parts_low"))
    )
    return (
        sums.join(wholes_frame, on=["iso3", "year", "whole"], how="inner")
        .filter(pl.col("parts_low") > pl.col("whole_high"))
        .sort("iso3", "year", "whole", "over")
    )


def exceedances_table(long: pl.DataFrame) -> pl.DataFrame:
    """breakdown_exceedances with the whole's label, for docs/breakdown_exceptions.csv."""
    over = breakdown_exceedances(long)
    labels = {m: measure_label(m) for m in over["whole"].unique().to_list()}
    return over.select(
        "iso3", "year", "whole",
        pl.col("whole").replace_strict(labels, return_dtype=pl.String).alias("whole_label"),
        "over", pl.col("parts").cast(pl.Int64), "parts_low", "whole_high",
    )


def exceptions_by_release(
        releases: tuple[tuple[Source, Path], ...] = (*HISTORY, (SOURCE, FILE))) -> pl.DataFrame:
    """``exceedances_table`` of every bundled release, each read from its workbook, with the
    release's source id first: docs/breakdown_exceptions.csv
    (``python scripts/breakdown_exceptions.py`` writes it)."""
    return pl.concat([
        exceedances_table(shape(read_published(path), source.id).long).select(
            pl.lit(source.id).alias("release"), pl.all())
        for source, path in releases
    ])


FAMILY = family_in(__name__, UNODC_GLOTIP)
