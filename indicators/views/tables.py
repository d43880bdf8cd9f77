"""The pages' tables and pickers: the Compare table, a year's country table, the scopes and
countries on offer, and the measure catalogue.
"""

from __future__ import annotations

from collections.abc import Collection

import polars as pl

from indicators.compute import WORLD, scope_members
from indicators.i18n import N_, translator
from indicators.measures import (
    INDICATORS,
    MEASURES,
    SERIES_BREAK_WORDS,
    format_value,
    indicator_meta,
    status_text,
)
from indicators.views.names import _sources_of

TRENDS_SHORT = {"improving": "improving", "worsening": "worsening", "flat": "flat",
                "rising": "rising", "falling": "falling", "unclear": "unclear",
                "none": "none yet"}


def compare_table(latest: pl.DataFrame) -> pl.DataFrame:
    """The Compare page's table: words, not codes; 'no data' where there is no figure."""
    return latest.select(
        pl.col("name").alias("Country"),
        pl.col("scope").alias("ISO3"),
        pl.col("region").fill_null("—").alias("Region"),
        pl.col("value_text").alias("Value"),
        pl.col("status_text").alias("Status"),
        pl.col("trend").replace_strict(TRENDS_SHORT, default=None, return_dtype=pl.String)
        .fill_null("").alias("Trend"),
        pl.col("year").alias("Year of figure"),
        pl.col("denominator_year").alias("Estimate year (denominator)"),
        pl.when(pl.col("source") == "").then(pl.lit("—")).otherwise(pl.col("source"))
        .alias("Source"),
        pl.concat_str([pl.col("note"), pl.col("proxy")], separator=" ", ignore_nulls=True)
        .fill_null("").alias("Note"),
        # last: its header is long, and the source comes first
        break_column().alias(BREAK_COLUMN),
    )


BREAK_NOTE = SERIES_BREAK_WORDS[0].upper() + SERIES_BREAK_WORDS[1:] + "."
BREAK_COLUMN = "Possible break in the series (check the source)"


def break_column() -> pl.Expr:
    """A row's possible break in words (the Series breaks page lists them all): '2017, this
    figure' when the count behind the value broke from the year before; '2017, which the trend
    spans' when the latest break after the baseline year is earlier; 'none' otherwise; '' for
    a row without a figure."""
    return (
        pl.when(pl.col("year").is_null()).then(pl.lit(""))
        .when(pl.col("series_break").fill_null(False))
        .then(pl.format("{}, this figure (from {})", pl.col("year"), pl.col("year") - 1))
        .when(pl.col("break_year").is_not_null())
        .then(pl.format("{}, which the trend spans", pl.col("break_year")))
        .otherwise(pl.lit("none"))
    )


def country_table(
    frame: pl.DataFrame, countries: pl.DataFrame, indicator: str, year: int
) -> pl.DataFrame:
    """Every country for one indicator and year: value in words, status, year of the
    denominator and the sources. Countries without the figures say 'no data'."""
    meta = indicator_meta(indicator)
    rows = frame.filter(
        (pl.col("indicator") == indicator)
        & (pl.col("scope_type") == "country")
        & (pl.col("year") == year)
    ).join(
        countries.select(pl.col("iso3").alias("scope"), "name", "region"), on="scope", how="left"
    )
    records = []
    for row in rows.iter_rows(named=True):
        records.append(
            {
                "Country": row["name"] or row["scope"],
                "ISO3": row["scope"],
                "Region": row["region"] or "—",
                "Value": format_value(row["value"], meta.unit, lower=row["lower"],
                                      upper=row["upper"], target=row.get("target")),
                "Status": status_text(row["status"], row.get("basis")),
                "Year": row["year"],
                "Estimate year": row["denominator_year"],
                "Source": _sources_of(row),
                "Note": " ".join(p for p in (row["note"], row["proxy"]) if p) or "",
                # the one ranking rule (chart_data.RANK_RULE): a range by its upper end
                "sort_value": row["value"] if row["value"] is not None else row["upper"],
            }
        )
    schema = {
        "Country": pl.String, "ISO3": pl.String, "Region": pl.String, "Value": pl.String,
        "Status": pl.String, "Year": pl.Int32, "Estimate year": pl.Int32, "Source": pl.String,
        "Note": pl.String, "sort_value": pl.Float64,
    }
    table = pl.DataFrame(records, schema=schema)
    return table.sort(["sort_value", "Country"], descending=[True, False], nulls_last=True).drop(
        "sort_value"
    )


def scope_options(frame: pl.DataFrame, countries: pl.DataFrame, names: dict[str, str]
                  ) -> list[str]:
    """What the Compare page offers: the world, the regions, the UN M49 subregions, then every
    country with at least one indicator value, by name."""
    with_figures = set(frame.filter(
        (pl.col("scope_type") == "country") & (pl.col("status") != "no_data")
    )["scope"].unique().to_list())
    members = scope_members(countries)
    regions = sorted(members["region"].drop_nulls().unique().to_list())
    subregions = sorted(members["subregion"].drop_nulls().unique().to_list())
    codes = sorted((c for c in countries["iso3"].to_list() if c in with_figures),
                   key=lambda c: names.get(c, c))
    return [WORLD, *regions, *subregions, *codes]


def countries_of(countries: pl.DataFrame, scopes: Collection[str]) -> tuple[str, ...] | None:
    """The countries a set of scopes stands for: a country itself, a region's or a UN M49
    subregion's countries; None (every country) when the world is among them or nothing is
    chosen. What the year rule (``default_year``) counts for the scopes on screen."""
    if not scopes or WORLD in scopes:
        return None
    members = scope_members(countries)
    chosen = list(scopes)
    groups = set(members["region"].drop_nulls()) | set(members["subregion"].drop_nulls())
    inside = members.filter(pl.col("region").is_in(chosen) | pl.col("subregion").is_in(chosen))
    return tuple(sorted(set(inside["iso3"]) | {s for s in chosen if s not in groups}))


def countries_with_figures(observations: pl.DataFrame, countries: pl.DataFrame,
                           names: dict[str, str]) -> list[str]:
    """ISO3 codes of the countries with any published or uploaded figure, by name."""
    present = set(observations["iso3"].unique().to_list())
    return sorted((c for c in countries["iso3"].to_list() if c in present),
                  key=lambda c: names.get(c, c))


def place_of(countries: pl.DataFrame, iso3: str) -> tuple[str | None, str | None]:
    """(region, subregion) of a country, or (None, None)."""
    rows = countries.filter(pl.col("iso3") == iso3)
    if rows.is_empty():
        return None, None
    return rows["region"][0], rows["subregion"][0]


def compared_groups(countries: pl.DataFrame, iso3: str, names: dict[str, str]) -> list[str]:
    """What a country is set against besides the world, smallest first: its UN M49
    subregion and its region, each only when the computation has it as a scope (a key of
    ``scope_names``): ['Western Africa', 'Africa'] for Nigeria."""
    region, subregion = place_of(countries, iso3)
    return [g for g in (subregion, region) if g and g in names]


def against_words(groups: list[str]) -> str:
    """'Western Africa, Africa and the world' (the country page's and brief's wording)."""
    return f"{', '.join(groups) or 'its region'} and the world"


# The measures' units in words, marked for the catalogs (English shows the unit as it is).
UNIT_WORDS: dict[str, str] = {
    "people": N_("people"), "offences": N_("offences"),
    "per 100,000 people": N_("per 100,000 people"),
    "flag (1 = yes, 0 = no)": N_("flag (1 = yes, 0 = no)"),
}


def measures_table(lang: str | None = None) -> pl.DataFrame:
    """The measure catalogue for the methodology page (its words in ``lang``; the codes as
    they are)."""
    _ = translator(lang)
    return pl.DataFrame([
        {
            _(N_("Measure")): _(m.label),
            _(N_("Unit")): _(UNIT_WORDS.get(m.unit, m.unit)) if lang else m.unit,
            _(N_("Definition")): _(m.definition),
            _(N_("Used by")): "; ".join(
                _("{title} (indicator {number})").format(title=_(INDICATORS[k].title),
                                                         number=INDICATORS[k].number)
                for k in m.used_by if k in INDICATORS
            ) or "—",
            _(N_("Code")): m.name,
        }
        for m in MEASURES.values()
    ])
