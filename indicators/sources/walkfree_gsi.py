"""Walk Free, Global Slavery Index: estimated people in modern slavery, by country.

The CSV is kept as found: a padded header cell, numbers as quoted text with thousands
separators and padding, "-" and empty cells for missing. Missing stays missing, never zero.
The header is found by its column names (any row, any order), so a re-saved copy or an
.xlsx of the same table loads the same figures.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from indicators.catalogue import WALKFREE_GSI
from indicators.countries import match_published_name
from indicators.problems import ImportRejected, Problem
from indicators.settings import DATA_DIR
from indicators.sources.family import Shaped, family_in, label_in_file_name, release_of
from indicators.store import Source
from indicators.tables.header import Column, SourceTable, read_source_table

FAMILY_KEY = WALKFREE_GSI.key
FILE = DATA_DIR / "walkfree_gsi_2023" / "Global_Slavery_Index_2023.csv"
ESTIMATE_YEAR = 2021
# The year each edition's estimates are for (GSI 2023 rests on the 2021 Global Estimates).
ESTIMATE_YEARS = {"2023": 2021, "2018": 2016, "2016": 2016}
ROW = "_row"

SOURCE = Source(
    id="walkfree_gsi_2023",
    publisher="Walk Free",
    title="Global Slavery Index 2023: estimated prevalence of modern slavery by country",
    edition="GSI 2023 (estimates for 2021)",
    url="https://www.walkfree.org/global-slavery-index/",
    licence="Walk Free terms of use (attribution to Walk Free required)",
    retrieved="2026-11-24",
    citation="Walk Free, Global Slavery Index 2023",
)

ESTIMATE_COLUMN = "Estimated number of people in modern slavery"
COLUMNS = (
    Column("Country"),
    Column("Population", ("total population",), required=False),
    Column("Region", required=False),
    Column("Estimated prevalence of modern slavery per 1,000 population", required=False),
    Column(ESTIMATE_COLUMN, ("estimated number of people in modern slavery (number)",)),
)

COLUMN_TO_MEASURE = {
    ESTIMATE_COLUMN: "estimated_victims",
    "Population": "gsi_population",
}

MISSING_TEXT = ("", "-")

# Names this file uses for a country that would be ambiguous elsewhere (checked by hand).
NAME_OVERRIDES = {"georgia": "GEO"}


class UnknownCountryError(ImportRejected):
    """A name in the published file that no rule maps to one country."""


def read(path: str | Path = FILE) -> SourceTable:
    return read_source_table(path, COLUMNS)


def frame(table: SourceTable) -> pl.DataFrame:
    """The rows as text (the population column may be missing: its figures are then absent)."""
    rows = table.frame
    if "Population" not in rows.columns:
        rows = rows.with_columns(pl.lit(None, dtype=pl.String).alias("Population"))
    return rows


def read_published(path: str | Path = FILE) -> pl.DataFrame:
    """The CSV as text, header names as the importer knows them, and `_row`."""
    return frame(read(path))


def release_in_file(table: SourceTable) -> str | None:
    """Walk Free's table does not say its edition; its file name usually does."""
    return label_in_file_name(Path(table.file_name))


def release_source(label: str, table: SourceTable) -> Source:  # noqa: ARG001 - one signature
    if label == "2023":
        return SOURCE
    return release_of(
        WALKFREE_GSI, SOURCE, label,
        title=f"Global Slavery Index {label}: estimated prevalence of modern slavery by country",
        edition=f"GSI {label} (estimates for {estimate_year(label)})",
        citation=f"Walk Free, Global Slavery Index {label}")


def estimate_year(label: str) -> int:
    """The year an edition's estimates are for; an unknown edition stops with a plain message."""
    year = ESTIMATE_YEARS.get(label[:4])
    if year is None:
        raise ImportRejected([Problem(
            f"The year Walk Free's Global Slavery Index {label} estimates are for is not "
            "known to the dashboard.",
            "Add the edition and its estimate year to ESTIMATE_YEARS in "
            "indicators/sources/walkfree_gsi.py.")])
    return year


def parse_number(text: pl.Expr) -> pl.Expr:
    """'  38,928,000 ' → 38928000.0; '-' and empty → null."""
    cleaned = text.str.strip_chars().str.replace_all(",", "")
    return pl.when(cleaned.is_in(MISSING_TEXT) | cleaned.is_null()).then(None).otherwise(
        cleaned.cast(pl.Float64, strict=False)
    )


def iso3_codes(published: pl.DataFrame) -> pl.DataFrame:
    """Country name → ISO3 for every row; an unmatched or ambiguous name stops the import."""
    names = published["Country"].str.strip_chars().to_list()
    rows = published[ROW].to_list() if ROW in published.columns else list(
        range(2, published.height + 2))
    codes, problems = [], []
    for row_number, name in zip(rows, names, strict=True):
        match = match_published_name(name, overrides=NAME_OVERRIDES)
        if match.iso3 is None:
            problems.append(Problem(
                f"No single country matches (candidates: {', '.join(match.candidates) or 'none'}).",
                "Write the country's name as Walk Free does, or its ISO3 code.",
                "", int(row_number), "Country", name))
        codes.append(match.iso3)
    if problems:
        raise UnknownCountryError(problems)
    return pl.DataFrame({"Country": names, "iso3": codes}, schema={"Country": pl.String,
                                                                   "iso3": pl.String})


def shape(published: pl.DataFrame, source_id: str = SOURCE.id) -> Shaped:
    """Estimated victims and the population Walk Free used, as estimates; gaps dropped."""
    year = ESTIMATE_YEAR if source_id == SOURCE.id else estimate_year(
        source_id.removeprefix(FAMILY_KEY + "_"))
    codes = iso3_codes(published)
    with_codes = published.with_columns(pl.col("Country").str.strip_chars()).join(
        codes.unique(), on="Country", how="left"
    )
    parts = []
    for column, measure in COLUMN_TO_MEASURE.items():
        if column not in with_codes.columns:
            continue
        parts.append(
            with_codes.select(
                pl.col("iso3"),
                pl.lit(year, dtype=pl.Int32).alias("year"),
                pl.lit(measure).alias("measure"),
                parse_number(pl.col(column)).alias("value"),
                pl.lit("estimate").alias("value_status"),
                pl.lit(None, dtype=pl.Float64).alias("lower"),
                pl.lit(None, dtype=pl.Float64).alias("upper"),
                pl.lit(source_id).alias("source_id"),
                pl.lit(None, dtype=pl.String).alias("note"),
            )
        )
    long = pl.concat(parts)
    _refuse_unreadable(published)
    missing = long.filter(pl.col("value").is_null()).group_by("measure").len().sort("measure")
    notes = tuple(f"{n:,} countries without a figure for {measure} (no data, not zero)."
                  for measure, n in missing.rows())
    return Shaped(long.filter(pl.col("value").is_not_null()), notes)


def _refuse_unreadable(published: pl.DataFrame) -> None:
    """A cell that is neither a number nor Walk Free's '-' or empty is not read as missing."""
    problems = []
    for column in COLUMN_TO_MEASURE:
        if column not in published.columns:
            continue
        text = pl.col(column).str.strip_chars()
        bad = published.filter(text.is_not_null() & ~text.is_in(MISSING_TEXT)
                               & parse_number(pl.col(column)).is_null())
        rows = bad[ROW].to_list() if ROW in bad.columns else [None] * bad.height
        for row, value in zip(rows, bad[column].to_list(), strict=True):
            problems.append(Problem("This is not a number.",
                                    "Write the number, or '-' where Walk Free gives none.",
                                    "", row, column, value))
    if problems:
        raise ImportRejected(problems)


def to_long(published: pl.DataFrame, source_id: str = SOURCE.id) -> pl.DataFrame:
    """Estimated victims and population for the estimate year, as estimates."""
    return shape(published, source_id).long


def country_names(published: pl.DataFrame) -> pl.DataFrame:
    codes = iso3_codes(published)
    return codes.select("iso3", pl.col("Country").alias("alias")).unique()


FAMILY = family_in(__name__, WALKFREE_GSI)
