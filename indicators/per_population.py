"""The published counts as the Compare page shows them: as counts, or per 100,000 population.

Not indicators (no target, no status, no trend line): views of the published series for
countries, regions and the world, in the shape of ``compute_indicators``' frame
(``OUTPUT_SCHEMA``), so the same tables, charts and maps draw them. A view's key is
``measures.per_100k_key(measure)`` or the measure's own name (``measures.count_view_of``).

The rules are the indicators' own (docs/methodology.md):

* a country's count is its figure; per 100,000 population it is the figure ÷ the World Bank
  population of the same year × 100,000 (no other year's population stands in, and a year
  without one is no data);
* a region's, a UN M49 subregion's or the world's count is the sum over the countries that
  reported it (a country counts towards its subregion, its region and the world); per
  100,000 it is the ratio of sums over the countries with both figures, never an average of
  rates; both say how many countries they rest on (``countries_counted``), of how many
  (``countries_in_scope``: the countries of the region with any indicator input figure) and
  their share of the estimated victims (``coverage_share``), exactly as the indicators do;
* '<5' stays a range (1 to 4), summed as such; nothing is filled in.
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl
from babel.numbers import format_decimal

from indicators.compute import (
    OUTPUT_SCHEMA,
    WORLD,
    scope_members,
    series_break_rule,
    typed_figures,
)
from indicators.i18n import ENGLISH, number, translator
from indicators.measures import (
    COUNT_VIEW_MEASURES,
    INDICATOR_INPUTS,
    PER_100K,
    SDG_INDICATOR,
    per_100k_key,
)

POPULATION = "population"
NO_POPULATION_NOTE = "No World Bank population figure for this country and year."
ZERO_POPULATION_NOTE = "The population figure is zero, so a rate cannot be computed."


def view_keys(measures: Sequence[str] = COUNT_VIEW_MEASURES) -> list[str]:
    """Every view of these counts: each count, then each per 100,000 population."""
    return [*measures, *(per_100k_key(m) for m in measures)]


def count_views(
    observations: pl.DataFrame,
    countries: pl.DataFrame,
    measures: Sequence[str] = COUNT_VIEW_MEASURES,
    *,
    keys: Sequence[str] | None = None,
) -> pl.DataFrame:
    """Every view of ``measures`` (or only ``keys``) for every country, region and the world,
    every year the indicators cover: ``OUTPUT_SCHEMA`` rows, status ``no_target`` where there
    is a value and ``no_data`` where there is not."""
    wanted = [k for k in view_keys(measures) if keys is None or k in keys]
    inputs = observations.filter(pl.col("measure").is_in(list(INDICATOR_INPUTS)))
    if inputs.height == 0 or not wanted:
        return pl.DataFrame(schema=OUTPUT_SCHEMA)
    first, last = int(inputs["year"].min()), int(inputs["year"].max())  # type: ignore[arg-type]
    present = inputs.select(pl.col("iso3").cast(pl.String)).unique()
    known = scope_members(countries)
    members = pl.concat([
        known,
        present.join(known, on="iso3", how="anti").with_columns(
            pl.lit(None, dtype=pl.String).alias("region"),
            pl.lit(None, dtype=pl.String).alias("subregion")),
    ]).unique("iso3").sort("iso3").with_columns(
        pl.col("iso3").is_in(present["iso3"].implode()).alias("present"))
    weights = _latest_estimates(observations)
    members = members.join(weights, on="iso3", how="left")
    years = pl.DataFrame({"year": list(range(first, last + 1))}, schema={"year": pl.Int32})
    views = pl.DataFrame({
        "indicator": wanted,
        "measure": [_measure_of(k, measures) for k in wanted],
        "per_100k": [k not in measures for k in wanted],
    })
    figures = _figures(observations, list(measures), first, last)
    population = _figures(observations, [POPULATION], first, last).drop("measure").rename(
        {c: f"den_{c}" for c in ("value", "lower", "upper", "source")})
    grid = views.join(members, how="cross").join(years, how="cross")
    parts = (
        grid.join(figures.rename({c: f"num_{c}" for c in ("value", "lower", "upper", "source")}),
                  on=["measure", "iso3", "year"], how="left")
        .join(population, on=["iso3", "year"], how="left")
        .with_columns(
            # a count needs no denominator
            *(pl.when(pl.col("per_100k")).then(pl.col(f"den_{c}")).alias(f"den_{c}")
              for c in ("value", "lower", "upper", "source")),
        )
        .with_columns(
            (pl.col("num_lower").is_not_null()
             & (~pl.col("per_100k") | (pl.col("den_lower") > 0)).fill_null(False))
            .alias("counted"),
        )
    )
    country_rows = _country_rows(parts)
    sums = _sums(parts, members, years, wanted)
    order = {k: i for i, k in enumerate(wanted)}
    scopes = [*members["iso3"].to_list(), *_groups(members), WORLD]
    scope_order = {s: i for i, s in enumerate(scopes)}
    frame = pl.concat([country_rows, sums], how="vertical_relaxed").with_columns(
        pl.col("indicator").replace_strict(order, return_dtype=pl.Int64).alias("_k"),
        pl.col("scope").replace_strict(scope_order, return_dtype=pl.Int64).alias("_s"),
    ).sort("_k", "_s", "year")
    return frame.select([pl.col(c).cast(t) for c, t in OUTPUT_SCHEMA.items()])


def _groups(members: pl.DataFrame) -> list[str]:
    """The regions (sorted), then the subregions (sorted): the order compute_indicators
    gives."""
    return [*sorted(members["region"].drop_nulls().unique().to_list()),
            *sorted(members["subregion"].drop_nulls().unique().to_list())]


def _measure_of(key: str, measures: Sequence[str]) -> str:
    if key in measures:
        return key
    return next(m for m in measures if per_100k_key(m) == key)


def _latest_estimates(observations: pl.DataFrame) -> pl.DataFrame:
    """Each country's latest estimate of victims: the coverage share's weight."""
    return observations.filter(
        (pl.col("measure") == "estimated_victims") & pl.col("value").is_not_null()
    ).sort("year").group_by("iso3").agg(pl.col("value").last().alias("weight")).select(
        pl.col("iso3").cast(pl.String), pl.col("weight").cast(pl.Float64))


def _figures(observations: pl.DataFrame, measures: list[str], first: int,
             last: int) -> pl.DataFrame:
    return typed_figures(observations.filter(
        pl.col("measure").is_in(measures) & pl.col("year").is_between(first, last)
    )).drop("value_status")


def _ratio(num: str, den: str) -> pl.Expr:
    return pl.when(pl.col("per_100k")).then(pl.col(num) / pl.col(den) * PER_100K).otherwise(
        pl.col(num))


def _values() -> list[pl.Expr]:
    """value, lower and upper where the row counts: the count, or num ÷ den × 100,000 (the
    lower end over the higher denominator and the other way round)."""
    counted = pl.col("counted")
    return [
        pl.when(counted).then(_ratio("num_value", "den_value")).alias("value"),
        pl.when(counted).then(_ratio("num_lower", "den_upper")).alias("lower"),
        pl.when(counted).then(_ratio("num_upper", "den_lower")).alias("upper"),
    ]


def _sources_text(column: pl.Expr) -> pl.Expr:
    """Each citation once, sorted, joined with '; ' (null when there are none)."""
    joined = column.list.drop_nulls().list.join("; ").str.split("; ").list.eval(
        pl.element().filter(pl.element() != "").unique().sort()).list.join("; ")
    return pl.when(joined != "").then(joined)


def _country_rows(parts: pl.DataFrame) -> pl.DataFrame:
    # the sources text of each distinct pair of citations (a handful), joined on
    pairs = parts.select("num_source", "den_source").unique().with_columns(
        _sources_text(pl.concat_list("num_source", "den_source")).alias("_sources"))
    parts = parts.join(pairs, on=["num_source", "den_source"], how="left", nulls_equal=True,
                       maintain_order="left")
    counted = pl.col("counted")
    note = (
        pl.when(pl.col("num_lower").is_null() | ~pl.col("per_100k")).then(None)
        .when(pl.col("den_lower").is_null()).then(pl.lit(NO_POPULATION_NOTE))
        .when(pl.col("den_lower") <= 0).then(pl.lit(ZERO_POPULATION_NOTE))
    )
    return parts.select(
        "indicator",
        pl.col("iso3").alias("scope"),
        pl.lit("country").alias("scope_type"),
        "year",
        *_values(),
        pl.lit(None, dtype=pl.Float64).alias("target"),
        pl.when(counted).then(pl.lit("no_target")).otherwise(pl.lit("no_data")).alias("status"),
        # a count view draws no trend line (the counts have no baseline or target)
        pl.lit(None, dtype=pl.String).alias("trend"),
        pl.when(counted).then(pl.lit("own")).alias("basis"),
        pl.lit(None, dtype=pl.String).alias("proxy"),
        note.alias("note"),
        pl.when(counted & pl.col("per_100k")).then(pl.col("year")).alias("denominator_year"),
        counted.cast(pl.Int32).alias("countries_counted"),
        pl.lit(1, dtype=pl.Int32).alias("countries_in_scope"),
        pl.lit(None, dtype=pl.Float64).alias("coverage_share"),
        pl.lit(None, dtype=pl.Float64).alias("projected_at_deadline"),
        pl.lit(None, dtype=pl.Int32).alias("deadline_year"),
        # the published count against the same count the year before (the grid has every year)
        series_break_rule(pl.col("num_value"),
                          pl.col("num_value").shift(1).over("indicator", "iso3",
                                                            order_by="year"))
        .alias("series_break"),
        pl.lit(None, dtype=pl.Int32).alias("break_year"),
        pl.when(pl.col("num_lower").is_not_null()).then(pl.col("_sources")).alias("sources"),
    )


def _sums(parts: pl.DataFrame, members: pl.DataFrame, years: pl.DataFrame,
          keys: list[str]) -> pl.DataFrame:
    """Regions and the world: sums over the countries counted, on the full grid of keys,
    scopes and years (no_data where no country counts)."""
    counted = parts.filter("counted")
    scoped = pl.concat([
        counted.with_columns(pl.lit(WORLD).alias("scope")),
        counted.drop_nulls("region").with_columns(pl.col("region").alias("scope")),
        counted.drop_nulls("subregion").with_columns(pl.col("subregion").alias("scope")),
    ])
    sums = scoped.group_by("indicator", "scope", "year").agg(
        pl.col("per_100k").first(),
        pl.col("num_value").sum(), pl.col("num_lower").sum(), pl.col("num_upper").sum(),
        pl.col("den_value").sum(), pl.col("den_lower").sum(), pl.col("den_upper").sum(),
        pl.col("num_value").is_null().sum().alias("suppressed"),
        (pl.col("num_value").is_null() | (pl.col("per_100k") & pl.col("den_value").is_null()))
        .sum().alias("inexact"),
        pl.len().cast(pl.Int32).alias("countries_counted"),
        pl.col("weight").sum().alias("weight_counted"),
        pl.col("num_source").append(pl.col("den_source")).drop_nulls().unique()
        .alias("all_sources"),
    ).with_columns(
        pl.when(pl.col("inexact") == 0).then(pl.col("num_value")).alias("num_value"),
        pl.lit(True).alias("counted"),
    )
    # every country and territory of the list is in scope (the one universe of "N of M", as
    # in compute_indicators), with or without figures
    in_scope = members
    sizes = pl.concat([
        in_scope.select(pl.lit(WORLD).alias("scope"), "weight"),
        in_scope.drop_nulls("region").select(pl.col("region").alias("scope"), "weight"),
        in_scope.drop_nulls("subregion").select(pl.col("subregion").alias("scope"), "weight"),
    ]).group_by("scope").agg(pl.len().cast(pl.Int32).alias("countries_in_scope"),
                             pl.col("weight").sum().alias("weight_total"))
    subregions = set(members["subregion"].drop_nulls().to_list())
    scopes = pl.DataFrame({"scope": [*_groups(members), WORLD]})
    grid = pl.DataFrame({"indicator": keys}).join(scopes, how="cross").join(years, how="cross")
    table = grid.join(sums, on=["indicator", "scope", "year"], how="left").join(
        sizes, on="scope", how="left").with_columns(pl.col("counted").fill_null(False))
    note = pl.when(pl.col("suppressed") > 0).then(pl.format(
        "{} of the {} countries reported '<5'; the value is a range.", pl.col("suppressed"),
        pl.col("countries_counted")))
    total = pl.col("weight_total")
    return table.select(
        "indicator",
        "scope",
        pl.when(pl.col("scope") == WORLD).then(pl.lit("world"))
        .when(pl.col("scope").is_in(list(subregions))).then(pl.lit("subregion"))
        .otherwise(pl.lit("region")).alias("scope_type"),
        "year",
        *_values(),
        pl.lit(None, dtype=pl.Float64).alias("target"),
        pl.when(pl.col("counted")).then(pl.lit("no_target")).otherwise(pl.lit("no_data"))
        .alias("status"),
        pl.lit(None, dtype=pl.String).alias("trend"),
        pl.when(pl.col("counted")).then(pl.lit("own")).alias("basis"),
        pl.lit(None, dtype=pl.String).alias("proxy"),
        note.alias("note"),
        pl.when(pl.col("counted") & pl.col("per_100k")).then(pl.col("year"))
        .alias("denominator_year"),
        pl.col("countries_counted").fill_null(0),
        pl.col("countries_in_scope").fill_null(0),
        pl.when(pl.col("counted") & (total > 0)).then(pl.col("weight_counted") / total)
        .alias("coverage_share"),
        pl.lit(None, dtype=pl.Float64).alias("projected_at_deadline"),
        pl.lit(None, dtype=pl.Int32).alias("deadline_year"),
        pl.lit(False).alias("series_break"),
        pl.lit(None, dtype=pl.Int32).alias("break_year"),
        pl.when(pl.col("counted")).then(_sources_text(pl.col("all_sources"))).alias("sources"),
    )


def sdg_worked_example(observations: pl.DataFrame, frame: pl.DataFrame, iso3: str, year: int,
                       name: str, lang: str | None = None) -> str:
    """SDG 16.2.2 worked by hand for one country and year, for the methodology page: the
    computation from its detected victims and population, and UNODC's published value where
    there is one (which is what the dashboard shows); '' without the figures."""
    figures = observations.filter((pl.col("iso3") == iso3) & (pl.col("year") == year))
    values = dict(zip(figures["measure"].to_list(), figures["value"].to_list(), strict=True))
    victims, people = values.get("victims_detected"), values.get(POPULATION)
    shown = frame.filter((pl.col("indicator") == SDG_INDICATOR) & (pl.col("scope") == iso3)
                         & (pl.col("year") == year))
    if victims is None or not people or shown.is_empty() or shown["value"][0] is None:
        return ""
    computed = victims / people * PER_100K
    if lang and lang != ENGLISH:
        _ = translator(lang)
        text = _("{name} in {year}: {victims} detected victims ÷ {people} people × {base} = "
                 "{computed} per {base} computed").format(
            name=name, year=year, victims=number(round(victims), lang),
            people=number(round(people), lang), base=number(PER_100K, lang),
            computed=format_decimal(computed, format="0.00", locale=lang))
        if shown["basis"][0] == "published":
            text += _("; UNODC publishes {value} for that year (its own population denominator), "
                      "and that is the value shown").format(value=format_decimal(
                          shown["value"][0], format="0.00", locale=lang))
        return text + "."
    text = (f"{name} in {year}: {victims:,.0f} detected victims ÷ {people:,.0f} people × "
            f"100,000 = {computed:.2f} per 100,000 computed")
    if shown["basis"][0] == "published":
        text += (f"; UNODC publishes {shown['value'][0]:.2f} for that year (its own population "
                 "denominator), and that is the value shown")
    return text + "."
