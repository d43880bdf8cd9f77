"""World Bank total population (SP.POP.TOTL) by country and year, 1960 onwards.

The denominator of SDG indicator 16.2.2 (detected victims per 100,000 people). The file mixes
countries with World Bank aggregates (World, income groups, regions such as "Euro area"):
aggregates are not countries and are left out, so they can never be added into a region's sum.
Without the code column, countries are found from their World Bank names.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from indicators.catalogue import WORLDBANK_POPULATION
from indicators.countries import country_table, fold_name, match_published_name
from indicators.problems import ImportRejected, Problem
from indicators.settings import DATA_DIR
from indicators.sources.family import Shaped, aliases, family_in, label_in_file_name, release_of
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

FAMILY_KEY = WORLDBANK_POPULATION.key
FILE = DATA_DIR / "worldbank_population" / "population.csv"
ROW = "_row"

SOURCE = Source(
    id="worldbank_population_2026-03-06",
    publisher="World Bank",
    title="World Development Indicators: Population, total (SP.POP.TOTL)",
    edition="WDI series as packaged on 6 March 2026 (datasets/population; years 1960–2024)",
    url="https://data.worldbank.org/indicator/SP.POP.TOTL",
    licence="CC BY 4.0 (attribution: World Bank, World Development Indicators)",
    retrieved="2026-11-29",
    citation="World Bank, World Development Indicators, Population, total (SP.POP.TOTL)",
)

COLUMNS = (
    Column("Country Name", ("country",), required=False),
    Column("Country Code", ("code", "iso3", "iso3 code"), required=False),
    Column("Year"),
    Column("Value", ("population", "sp.pop.totl")),
)

# The World Bank's aggregates in this series: regions, income and lending groups, the world.
AGGREGATES: dict[str, str] = {
    "AFE": "Africa Eastern and Southern", "AFW": "Africa Western and Central",
    "ARB": "Arab World", "CEB": "Central Europe and the Baltics",
    "CSS": "Caribbean small states", "EAP": "East Asia & Pacific (excluding high income)",
    "EAR": "Early-demographic dividend", "EAS": "East Asia & Pacific",
    "ECA": "Europe & Central Asia (excluding high income)", "ECS": "Europe & Central Asia",
    "EMU": "Euro area", "EUU": "European Union",
    "FCS": "Fragile and conflict affected situations", "HIC": "High income",
    "HPC": "Heavily indebted poor countries (HIPC)", "IBD": "IBRD only",
    "IBT": "IDA & IBRD total", "IDA": "IDA total", "IDB": "IDA blend", "IDX": "IDA only",
    "LAC": "Latin America & Caribbean (excluding high income)",
    "LCN": "Latin America & Caribbean", "LDC": "Least developed countries: UN classification",
    "LIC": "Low income", "LMC": "Lower middle income", "LMY": "Low & middle income",
    "LTE": "Late-demographic dividend",
    "MEA": "Middle East, North Africa, Afghanistan & Pakistan", "MIC": "Middle income",
    "MNA": "Middle East, North Africa, Afghanistan & Pakistan (excluding high income)",
    "NAC": "North America", "OED": "OECD members", "OSS": "Other small states",
    "PRE": "Pre-demographic dividend", "PSS": "Pacific island small states",
    "PST": "Post-demographic dividend", "SAS": "South Asia",
    "SSA": "Sub-Saharan Africa (excluding high income)", "SSF": "Sub-Saharan Africa",
    "SST": "Small states", "TEA": "East Asia & Pacific (IDA & IBRD countries)",
    "TEC": "Europe & Central Asia (IDA & IBRD countries)",
    "TLA": "Latin America & the Caribbean (IDA & IBRD countries)",
    "TMN": "Middle East, North Africa, Afghanistan & Pakistan (IDA & IBRD)",
    "TSA": "South Asia (IDA & IBRD)", "TSS": "Sub-Saharan Africa (IDA & IBRD countries)",
    "UMC": "Upper middle income", "WLD": "World",
}
# Territories the series gives as one figure for several countries of our list.
NOT_ONE_COUNTRY: dict[str, str] = {"CHI": "Channel Islands"}

# World Bank names that the general rules place ambiguously (checked against the codes).
NAME_OVERRIDES = {
    "congo, rep": "COG", "congo, dem. rep": "COD", "korea, rep": "KOR",
    "korea, dem. people's rep": "PRK", "virgin islands (u.s.)": "VIR",
    "british virgin islands": "VGB", "georgia": "GEO",
}

REASON_AGGREGATE = "a World Bank aggregate (region, income group or the world), not a country"
REASON_NOT_ONE = "a territory that stands for several countries (Channel Islands)"
REASON_UNKNOWN_CODE = "a code that is not a country of the list"
REASON_EMPTY = "no value"


def read(path: str | Path = FILE) -> SourceTable:
    return require_any(read_source_table(path, COLUMNS), ("Country Code", "Country Name"),
                       "Use the World Bank's file as released, or restore one of those columns.")


def frame(table: SourceTable) -> pl.DataFrame:
    """Rows with the year as a number; a year or value that is not one stops the import."""
    years = read_years(table, "Give the year as four digits, as the World Bank's file does.")
    read_cells(table, "Value", parse_number, "This is not a number.",
               "Write the population as a number, or leave the cell empty.", required=False)
    return table.frame.with_columns(years.alias("Year"))


def read_published(path: str | Path = FILE) -> pl.DataFrame:
    return frame(read(path))


def release_in_file(table: SourceTable) -> str | None:
    return label_in_file_name(Path(table.file_name))


def release_source(label: str, table: SourceTable) -> Source:  # noqa: ARG001 - one signature
    if label == SOURCE.id.removeprefix(FAMILY_KEY + "_"):
        return SOURCE
    return release_of(WORLDBANK_POPULATION, SOURCE, label, edition=f"WDI series, release {label}",
                      citation=SOURCE.citation + f" (release {label})")


def countries(published: pl.DataFrame) -> pl.DataFrame:
    """`iso3` for each row, or null with the reason it is left out."""
    if "Country Code" in published.columns:
        known = set(country_table()["iso3"].to_list())
        code = pl.col("Country Code").str.strip_chars().str.to_uppercase()
        return published.select(
            pl.when(code.is_in(known)).then(code).alias("iso3"),
            pl.when(code.is_in(list(AGGREGATES))).then(pl.lit(REASON_AGGREGATE))
            .when(code.is_in(list(NOT_ONE_COUNTRY))).then(pl.lit(REASON_NOT_ONE))
            .when(~code.is_in(known) | code.is_null()).then(pl.lit(REASON_UNKNOWN_CODE))
            .alias("_excluded"),
        )
    aggregates = {fold_name(n) for n in AGGREGATES.values()}
    not_one = {fold_name(n) for n in NOT_ONE_COUNTRY.values()}
    resolved: dict[str, str] = {}
    reasons: dict[str, str] = {}
    unknown: list[str] = []
    for name in published["Country Name"].unique().to_list():
        key = fold_name(name or "")
        if key in aggregates:
            reasons[name] = REASON_AGGREGATE
        elif key in not_one:
            reasons[name] = REASON_NOT_ONE
        else:
            match = match_published_name(name, overrides=NAME_OVERRIDES)
            if match.iso3 is None:
                unknown.append(name)
            else:
                resolved[name] = match.iso3
    if unknown:
        raise ImportRejected([
            Problem("No single country has this name, and the file has no 'Country Code' "
                    "column to tell.", "Use the World Bank's file with its Country Code column.",
                    "", None, "Country Name", name)
            for name in sorted(n for n in unknown if n is not None)
        ])
    name = pl.col("Country Name")
    return published.select(
        name.replace_strict(resolved, default=None, return_dtype=pl.String).alias("iso3"),
        name.replace_strict(reasons, default=None, return_dtype=pl.String).alias("_excluded"),
    )


def shape(published: pl.DataFrame, source_id: str = SOURCE.id) -> Shaped:
    """Population by country and year, as the World Bank's estimates; aggregates left out."""
    placed = pl.concat([published, countries(published)], how="horizontal")
    value = parse_number(pl.col("Value"))
    placed = placed.with_columns(
        pl.when(pl.col("_excluded").is_null() & value.is_null()).then(pl.lit(REASON_EMPTY))
        .otherwise(pl.col("_excluded")).alias("_excluded"))
    kept = placed.filter(pl.col("_excluded").is_null())
    long = kept.select(
        pl.col("iso3"),
        pl.col("Year").cast(pl.Int32).alias("year"),
        pl.lit("population").alias("measure"),
        value.alias("value"),
        pl.lit("estimate").alias("value_status"),
        pl.lit(None, dtype=pl.Float64).alias("lower"),
        pl.lit(None, dtype=pl.Float64).alias("upper"),
        pl.lit(source_id).alias("source_id"),
        pl.lit(None, dtype=pl.String).alias("note"),
    )
    left_out = placed.filter(pl.col("_excluded").is_not_null()).group_by("_excluded").agg(
        pl.len(), pl.col("Country Code" if "Country Code" in placed.columns
                         else "Country Name").n_unique().alias("codes"))
    notes = tuple(f"{n:,} rows ({codes} codes) left out: {reason}."
                  for reason, n, codes in left_out.sort("_excluded").rows())
    duplicated = long.filter(pl.len().over("iso3", "year") > 1)
    if duplicated.height:
        first = duplicated.row(0, named=True)
        raise ImportRejected([Problem(
            f"{first['iso3']} {first['year']} appears more than once.",
            "Keep one row per country and year, as the World Bank's file has.", "")])
    return Shaped(long, notes)


def to_long(published: pl.DataFrame, source_id: str = SOURCE.id) -> pl.DataFrame:
    return shape(published, source_id).long


def country_names(published: pl.DataFrame) -> pl.DataFrame:
    """World Bank names as aliases ("Korea, Rep." → KOR), aggregates left out."""
    return aliases(published, "Country Name", lambda p: countries(p)["iso3"])


FAMILY = family_in(__name__, WORLDBANK_POPULATION)
