"""Walk Free, Global Slavery Index 2023: estimated people in modern slavery, by country (2021).

The CSV is kept as found: a padded header cell, numbers as quoted text with thousands
separators and padding, "-" and empty cells for missing. Missing stays missing, never zero.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from indicators.countries import match_country
from indicators.settings import DATA_DIR
from indicators.store import Source

FILE = DATA_DIR / "walkfree_gsi_2023" / "Global_Slavery_Index_2023.csv"
ESTIMATE_YEAR = 2021

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

COLUMN_TO_MEASURE = {
    "Estimated number of people in modern slavery": "estimated_victims",
    "Population": "population",
}

MISSING_TEXT = ("", "-")

# Names this file uses for a country that would be ambiguous elsewhere (checked by hand).
NAME_OVERRIDES = {"georgia": "GEO"}


class UnknownCountryError(ValueError):
    """A name in the published file that no rule maps to one country."""


def read_published(path: str | Path = FILE) -> pl.DataFrame:
    """The CSV as text, header names stripped of their padding."""
    frame = pl.read_csv(path, infer_schema_length=0, encoding="utf8")
    return frame.rename({c: c.strip() for c in frame.columns})


def parse_number(text: pl.Expr) -> pl.Expr:
    """'  38,928,000 ' → 38928000.0; '-' and empty → null."""
    cleaned = text.str.strip_chars().str.replace_all(",", "")
    return pl.when(cleaned.is_in(MISSING_TEXT) | cleaned.is_null()).then(None).otherwise(
        cleaned.cast(pl.Float64, strict=False)
    )


def iso3_codes(published: pl.DataFrame) -> pl.DataFrame:
    """Country name → ISO3 for every row; an unmatched or ambiguous name stops the import."""
    names = published["Country"].str.strip_chars().to_list()
    codes = []
    for row_number, name in enumerate(names, start=2):
        match = match_country(name, overrides=NAME_OVERRIDES)
        if match.iso3 is None:
            raise UnknownCountryError(
                f"{FILE.name}, row {row_number}, column 'Country', value '{name}': no single "
                f"country matches (candidates: {', '.join(match.candidates) or 'none'})."
            )
        codes.append(match.iso3)
    return pl.DataFrame({"Country": names, "iso3": codes})


def to_long(published: pl.DataFrame) -> pl.DataFrame:
    """Estimated victims and population for 2021, as estimates; gaps dropped, not zeroed."""
    codes = iso3_codes(published)
    with_codes = published.with_columns(pl.col("Country").str.strip_chars()).join(
        codes.unique(), on="Country", how="left"
    )
    parts = []
    for column, measure in COLUMN_TO_MEASURE.items():
        parts.append(
            with_codes.select(
                pl.col("iso3"),
                pl.lit(ESTIMATE_YEAR, dtype=pl.Int32).alias("year"),
                pl.lit(measure).alias("measure"),
                parse_number(pl.col(column)).alias("value"),
                pl.lit("estimate").alias("value_status"),
                pl.lit(None, dtype=pl.Float64).alias("lower"),
                pl.lit(None, dtype=pl.Float64).alias("upper"),
                pl.lit(SOURCE.id).alias("source_id"),
                pl.lit(None, dtype=pl.String).alias("note"),
            )
        )
    return pl.concat(parts).filter(pl.col("value").is_not_null())


def country_names(published: pl.DataFrame) -> pl.DataFrame:
    codes = iso3_codes(published)
    return codes.select("iso3", pl.col("Country").alias("alias")).unique()
