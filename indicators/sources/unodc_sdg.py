"""UNODC's SDG indicator data set: SDG 16.2.2 as its custodian publishes it.

UNODC is the custodian agency of SDG indicator 16.2.2 ("Number of victims of human trafficking
per 100,000 population, by sex, age and form of exploitation") and publishes the rate itself,
per country and year, in a workbook that holds every SDG indicator it is custodian of. The
dashboard's own computation (detected victims ÷ World Bank population × 100,000) differs from
it where UNODC divides by another population (Republic of Moldova 2007: 10.37 computed, 7.74
published), so the published rate is shown wherever there is one (docs/methodology.md).

Only indicator 16.2.2's national rate is kept (series "Victims of human trafficking per 100,000
population", sex Total, age Total) as the measure `victims_per_100k`. The rows by sex, age and
form of exploitation are left out and counted: no view draws them yet, and the counts behind
them are UNODC GLOTIP's breakdowns, which are loaded. The workbook has no regional or world
rows for 16.2.2; regions and the world stay computed.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl

from indicators.catalogue import UNODC_SDG
from indicators.countries import country_table, match_published_name
from indicators.problems import ImportRejected, Problem
from indicators.settings import DATA_DIR
from indicators.sources.family import Shaped, aliases, date_in_title, family_in, release_of
from indicators.store import Source
from indicators.tables.header import (
    Column,
    SourceTable,
    parse_number,
    read_cells,
    read_source_table,
    read_years,
    require_any,
)

FAMILY_KEY = UNODC_SDG.key
FILE = DATA_DIR / "unodc_sdg_2025" / "sdg_dataset.xlsx"
ROW = "_row"
MEASURE = "victims_per_100k"

SOURCE = Source(
    id="unodc_sdg_2025",
    publisher="UNODC",
    title="SDG indicator data (UNODC as custodian agency): 16.2.2, victims of human "
    "trafficking per 100,000 population",
    edition="SDG data set, release of 15 May 2025 (16.2.2: years 2007–2024)",
    url="https://dataunodc.un.org",  # the data portal; this copy: PROVENANCE.md
    licence="UNODC data portal terms of use (attribution to UNODC required)",
    retrieved="2026-12-06",
    citation="UNODC, SDG indicator data (release 15 May 2025)",
)
_BUNDLED_DATE = dt.date(2025, 5, 15)

COLUMNS = (
    Column("indicator"),
    Column("series"),
    Column("geo", ("country", "country name"), required=False),
    Column("iso3_code", ("iso3", "iso code", "iso3 code"), required=False),
    Column("Year"),
    Column("sex"),
    Column("age"),
    Column("value"),
)

INDICATOR = "16.2.2"
NATIONAL_SERIES = "victims of human trafficking per 100,000 population"
TOTAL = "total"

REASON_OTHER_INDICATOR = "another SDG indicator (only 16.2.2 is loaded)"
REASON_BREAKDOWN = ("16.2.2 by sex, age or form of exploitation (the national rate is loaded; "
                    "the counts by sex, age and form come from UNODC GLOTIP)")
REASON_NO_COUNTRY = "no country of the list (no ISO3 code or name that can be placed)"
REASON_EMPTY = "no value"


def read(path: str | Path = FILE) -> SourceTable:
    """The data table under its header row (row 3 in UNODC's file), wherever that is."""
    return require_any(read_source_table(path, COLUMNS), ("iso3_code", "geo"),
                       "Use UNODC's file as released, or restore one of those columns.")


def frame(table: SourceTable) -> pl.DataFrame:
    """The rows of indicator 16.2.2, the year as a number (`year` is text in UNODC's file);
    a year or a rate that is not one stops the import. Other indicators are not read."""
    mine = table.frame.filter(_indicator() == INDICATOR)
    sub = SourceTable(mine, table.file_name, table.header_row, table.above, table.sheet,
                      table.missing_optional)
    years = read_years(sub, "Give the year as four digits, as UNODC's file does.")
    read_cells(sub, "value", parse_number, "This is not a number.",
               "Write the rate as a number, or leave the cell empty.", required=False)
    return mine.with_columns(years.alias("Year")).with_columns(
        pl.lit(table.frame.height - mine.height, dtype=pl.Int64).alias("_other_rows"))


def _indicator() -> pl.Expr:
    return pl.col("indicator").cast(pl.String).str.strip_chars()


def _folded(column: str) -> pl.Expr:
    return pl.col(column).cast(pl.String).str.strip_chars().str.to_lowercase()


def read_published(path: str | Path = FILE) -> pl.DataFrame:
    return frame(read(path))


def release_source(label: str, table: SourceTable) -> Source:
    """The Source of one release, named after its label and the date in its title rows."""
    found = date_in_title(table)  # the release's date, in the title rows
    if label == SOURCE.id.removeprefix(FAMILY_KEY + "_") and found in (_BUNDLED_DATE, None):
        return SOURCE
    when = f"{found:%-d %B %Y}" if found else label
    return release_of(UNODC_SDG, SOURCE, label,
                      edition=f"SDG data set, release {'of ' * bool(found)}{when}",
                      citation=f"UNODC, SDG indicator data (release {when})")


def countries(published: pl.DataFrame) -> pl.Series:
    """`iso3` of each row: its code when that is a country of the list, else its name when
    one country has it (null: left out)."""
    known = set(country_table()["iso3"].to_list())
    code = (pl.col("iso3_code").cast(pl.String).str.strip_chars().str.to_uppercase()
            if "iso3_code" in published.columns else pl.lit(None, dtype=pl.String))
    by_code = published.select(pl.when(code.is_in(known)).then(code)).to_series()
    if "geo" not in published.columns:
        return by_code.rename("iso3")
    names = {name: match_published_name(name).iso3
             for name in published["geo"].drop_nulls().unique().to_list()}
    by_name = published["geo"].replace_strict(names, default=None, return_dtype=pl.String)
    return by_code.fill_null(by_name).rename("iso3")


def shape(published: pl.DataFrame, source_id: str = SOURCE.id) -> Shaped:
    """The national rates of 16.2.2 as the long frame, and what was left out and why."""
    if ROW not in published.columns:
        published = published.with_row_index(ROW, offset=4).with_columns(
            pl.col(ROW).cast(pl.Int64))
    other = int(published["_other_rows"][0]) if ("_other_rows" in published.columns
                                                 and published.height) else 0
    national = ((_folded("series") == NATIONAL_SERIES) & (_folded("sex") == TOTAL)
                & (_folded("age") == TOTAL))
    value = parse_number(pl.col("value").cast(pl.String))
    rows = published.with_columns(countries(published), value.alias("_value")).with_columns(
        pl.when(~national).then(pl.lit(REASON_BREAKDOWN))
        .when(pl.col("iso3").is_null()).then(pl.lit(REASON_NO_COUNTRY))
        .when(pl.col("_value").is_null()).then(pl.lit(REASON_EMPTY))
        .alias("_excluded"))
    kept = rows.filter(pl.col("_excluded").is_null())
    long = kept.select(
        pl.col("iso3"),
        pl.col("Year").cast(pl.Int32).alias("year"),
        pl.lit(MEASURE).alias("measure"),
        pl.col("_value").alias("value"),
        pl.lit("reported").alias("value_status"),
        pl.lit(None, dtype=pl.Float64).alias("lower"),
        pl.lit(None, dtype=pl.Float64).alias("upper"),
        pl.lit(source_id).alias("source_id"),
        pl.lit(None, dtype=pl.String).alias("note"),
    )
    duplicated = long.filter(pl.len().over("iso3", "year") > 1)
    if duplicated.height:
        first = duplicated.row(0, named=True)
        raise ImportRejected([Problem(
            f"{first['iso3']} {first['year']} has more than one national rate of 16.2.2.",
            "Keep one row per country and year (sex Total, age Total), as UNODC's file has.",
            "")])
    left_out = rows.filter(pl.col("_excluded").is_not_null()).group_by("_excluded").len()
    notes = [f"{n:,} rows left out: {reason}." for reason, n in left_out.sort("_excluded").rows()]
    if other:
        notes.insert(0, f"{other:,} rows left out: {REASON_OTHER_INDICATOR}.")
    return Shaped(long, tuple(notes))


def to_long(published: pl.DataFrame, source_id: str = SOURCE.id) -> pl.DataFrame:
    return shape(published, source_id).long


def country_names(published: pl.DataFrame) -> pl.DataFrame:
    """UNODC's names (the `geo` column) as aliases of the countries they were placed on."""
    return aliases(published, "geo", countries)


FAMILY = family_in(__name__, UNODC_SDG)
