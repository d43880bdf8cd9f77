"""UNODC Global Report on Trafficking in Persons (GLOTIP) country data, as published.

National totals only (Dimension = Category = Sex = Age = "Total"). `txtVALUE` is text: "1,240"
is 1240 and "<5" is a suppressed count between 1 and 4, stored with its bounds and no value.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from indicators.settings import DATA_DIR
from indicators.store import Source

FILE = DATA_DIR / "unodc_glotip" / "data_glotip.xlsx"
SHEET = "data_glotip_1"
HEADER_ROW = 2  # two title rows (publisher and contact, release date) above the header

SOURCE = Source(
    id="unodc_glotip_2023",
    publisher="UNODC",
    title="Global Report on Trafficking in Persons: country data",
    edition="data portal release of 30 May 2023 (years 2003–2021)",
    url="https://dataunodc.un.org/dp-trafficking-persons",
    licence="UNODC data portal terms of use (attribution to UNODC required)",
    retrieved="2026-11-24",
    citation="UNODC, Global Report on Trafficking in Persons, data portal (release 30 May 2023)",
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


def read_published(path: str | Path = FILE) -> pl.DataFrame:
    """The workbook's data sheet as published: every column as text or the year."""
    return pl.read_excel(path, sheet_name=SHEET, read_options={"header_row": HEADER_ROW})


def national_totals(published: pl.DataFrame) -> pl.DataFrame:
    """Rows that are a country's national total.

    Rows without an ISO3 code (Sark) and UNODC's subregional groupings, which carry a code but
    no country name (CAR, CAS, EEU, MCA, MCN, SAF, SAM), are not countries and are left out.
    """
    total = pl.lit("Total")
    return published.filter(
        (pl.col("Dimension") == total)
        & (pl.col("Category") == total)
        & (pl.col("Sex") == total)
        & (pl.col("Age") == total)
        & pl.col("Iso3_code").is_not_null()
        & pl.col("Country").is_not_null()
        & pl.col("Indicator").is_in(list(INDICATOR_TO_MEASURE))
    )


def parse_count(text: pl.Expr) -> pl.Expr:
    """'1,240' → 1240.0; '<5' and anything else unreadable → null."""
    return text.str.strip_chars().str.replace_all(",", "").cast(pl.Float64, strict=False)


def to_long(published: pl.DataFrame) -> pl.DataFrame:
    """The published sheet as the long observation frame."""
    totals = national_totals(published)
    raw = pl.col("txtVALUE").cast(pl.String).str.strip_chars()
    suppressed = raw == SUPPRESSED_TEXT
    return totals.select(
        pl.col("Iso3_code").str.strip_chars().alias("iso3"),
        pl.col("Year").cast(pl.Int32).alias("year"),
        pl.col("Indicator").replace_strict(INDICATOR_TO_MEASURE).alias("measure"),
        pl.when(suppressed).then(None).otherwise(parse_count(raw)).alias("value"),
        pl.when(suppressed).then(pl.lit("suppressed")).otherwise(pl.lit("reported"))
        .alias("value_status"),
        pl.when(suppressed).then(pl.lit(SUPPRESSED_LOWER)).alias("lower"),
        pl.when(suppressed).then(pl.lit(SUPPRESSED_UPPER)).alias("upper"),
        pl.lit(SOURCE.id).alias("source_id"),
        pl.lit(None, dtype=pl.String).alias("note"),
    )


def country_names(published: pl.DataFrame) -> pl.DataFrame:
    """ISO3 and the name UNODC uses for it, to keep as an alias."""
    return (
        national_totals(published)
        .select(pl.col("Iso3_code").alias("iso3"), pl.col("Country").alias("alias"))
        .unique()
    )
