"""Indicator rows shaped for reading: cards, tables and the data behind every chart.

Formatting and selection only (no indicator maths): pages, charts and exports call these so a
value reads the same everywhere. Each ``*_data`` function returns exactly the rows one chart
draws; the chart's CSV download is that frame.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import polars as pl

from indicators.compute import WORLD, mark_series_breaks
from indicators.measures import (
    CONTEXT_MEASURES,
    DATA_SHARING_PROXY_NOTE,
    DENOMINATOR_NOTE,
    INDICATORS,
    MEASURES,
    PROXY_BASES,
    REPORTING_PROXY_NOTE,
    SERIES_BREAK_WORDS,
    format_value,
    indicator_meta,
    measures_summary,
    percent_text,
    status_text,
    trend_words,
)
from indicators.settings import SERIES_BREAK_FACTOR

WORLD_NAME = "World"
NO_DATA = "no data"
SUPPRESSED_TEXT = "<5"

# Coverage states of one figure (a country, a year, a measure), for the coverage charts.
COVERAGE_STATES: dict[str, str] = {
    "reported": "Reported figure",
    "suppressed": "Reported as '<5' (1 to 4)",
    "estimate": "Estimate",
    "missing": "No figure",
}

VOLUNTARY_REPORTING_NOTE = (
    "Reporting is voluntary: countries send UNODC what their authorities recorded, in the "
    "years they chose to, so the set of countries changes from year to year. A regional or "
    "world value covers only the countries that reported that year; read it with its "
    "coverage."
)
DETECTED_NOT_PREVALENCE_NOTE = (
    "Detected victims, prosecutions and convictions measure what the authorities saw and did, "
    "not how much trafficking there is: a rise can mean better detection as much as more crime."
)


def unlabelled(note: str) -> str:
    """A note without its leading 'Proxy: ' or 'Denominator: ' label."""
    head, _, rest = note.partition(": ")
    return rest[0].upper() + rest[1:] if rest and head in ("Proxy", "Denominator") else note


CAVEATS: tuple[tuple[str, str], ...] = (
    ("The denominator", unlabelled(DENOMINATOR_NOTE)
     + " It is one estimate, for 2021, set against every year's figures: the rates show the "
     "size of the gap, not a precise yearly ratio."),
    ("Proxies (they can be switched off)", "Indicator 2: " + unlabelled(REPORTING_PROXY_NOTE)
     + " Indicator 3: " + unlabelled(DATA_SHARING_PROXY_NOTE)),
    ("Voluntary reporting", VOLUNTARY_REPORTING_NOTE),
    ("What the counts measure", DETECTED_NOT_PREVALENCE_NOTE),
    ("'<5' and gaps", "UNODC publishes counts from 1 to 4 as '<5'. They are kept as ranges "
     "(1 to 4), so a value built on one is a range too, drawn as a band or a hatched bar. A "
     "missing figure is a gap, shown as 'no data', never as zero."),
)


# -- names -------------------------------------------------------------------------------------
def scope_names(countries: pl.DataFrame) -> dict[str, str]:
    """ISO3 → country name, region → region, WORLD → World."""
    names = dict(zip(countries["iso3"].to_list(), countries["name"].to_list(), strict=True))
    for region in countries["region"].drop_nulls().unique().to_list():
        names[region] = region
    names[WORLD] = WORLD_NAME
    return names


def scope_label(scope: str, names: dict[str, str]) -> str:
    """How a scope reads in a picker: 'World', 'Europe (region)', 'United Kingdom'."""
    if scope == WORLD:
        return WORLD_NAME
    name = names.get(scope, scope)
    return f"{name} (region)" if name == scope and len(scope) != 3 else name


def formula_words(indicator: str) -> str:
    """An indicator's formula with measure names replaced by their labels."""
    text = indicator_meta(indicator).formula
    for name in sorted(MEASURES, key=len, reverse=True):
        text = text.replace(name, MEASURES[name].label.lower())
    return text.replace(" / ", " ÷ ")


def axis_title(indicator: str) -> str:
    meta = indicator_meta(indicator)
    # a share's ticks say their unit ('1 in 1,000', '10%')
    return f"{meta.short} (%)" if meta.unit == "change" else meta.short


def country_values_are_flags(indicator: str) -> bool:
    """Indicator 3 counts countries: a single country's value is its 1/0 sharing flag."""
    return indicator == "data_sharing_countries"


# -- the one universe, the one year rule ---------------------------------------------------------
UNIVERSE_WORDS = "countries and territories"


def universe(countries: pl.DataFrame) -> int:
    """How many countries and territories every "N of M" counts against: the country list
    (``store.countries()``), with or without figures. The computation's world row says the
    same (``countries_in_scope``)."""
    return countries.height


def of_universe(count: int, total: int) -> str:
    """'86 of 246 countries and territories'."""
    return f"{count:,} of {total:,} {UNIVERSE_WORDS}"


@dataclass(frozen=True)
class YearChoice:
    year: int | None
    reason: str
    recommended: bool = True


def latest_year_with_data(frame: pl.DataFrame, indicator: str, scope: str = WORLD) -> int | None:
    rows = frame.filter(
        (pl.col("indicator") == indicator)
        & (pl.col("scope") == scope)
        & (pl.col("status") != "no_data")
    )
    return None if rows.is_empty() else int(rows["year"].max())


def default_year(frame: pl.DataFrame) -> YearChoice:
    """The year every page shows unless one is chosen: the latest year in which at least half
    as many countries and territories have a figure (of any indicator) as in the best year.

    The newest year often has only the first few countries' figures (UNODC's 2021 column): a
    world value over 60 countries is not comparable with one over 140, and a country profile
    showing that year would mix it with earlier ones. One rule, one year, on every page, for
    every indicator; a card whose own figure is for another year says so (``card``).
    """
    counts = (
        frame.filter((pl.col("scope_type") == "country") & (pl.col("status") != "no_data"))
        .group_by("year").agg(pl.col("scope").n_unique().alias("n")).sort("year")
    )
    if counts.is_empty():
        return YearChoice(None, "No year has the figures the indicators need.")
    best = int(counts["n"].max())
    best_year = int(counts.filter(pl.col("n") == best)["year"].max())
    chosen = counts.filter(pl.col("n") * 2 >= best).row(-1, named=True)
    latest = counts.row(-1, named=True)
    reason = (f"{chosen['year']} is the latest year with figures for at least half as many "
              f"{UNIVERSE_WORDS} as the best year ({chosen['n']}; the most is {best}, in "
              f"{best_year}).")
    if latest["year"] != chosen["year"]:
        reason += f" {latest['year']} has figures for only {latest['n']}."
    return YearChoice(int(chosen["year"]), reason)


def recommended_year(frame: pl.DataFrame, indicator: str | None = None,
                     scope: str = WORLD) -> YearChoice:
    """The default year (``default_year``): one rule for every indicator and scope."""
    del indicator, scope
    return default_year(frame)


# -- cards -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Card:
    indicator: str
    number: int
    title: str
    paper_wording: str
    year: int | None
    value_text: str
    target_text: str
    status: str
    status_text: str
    coverage_text: str
    proxy: str | None
    note: str | None
    sources: str
    trend: list[tuple[int, float | None]]
    year_note: str = ""
    projection_text: str = ""
    definition: str = ""
    series: pl.DataFrame = field(default_factory=pl.DataFrame, compare=False, repr=False)
    basis: str | None = None
    trend_direction: str | None = None  # improving / worsening / flat / none
    trend_text: str = ""
    break_text: str = ""
    value_hover: str = ""  # the exact value (a percent), for a tooltip


THIN_COVERAGE_COUNTRIES = 5


def share_text(share: float) -> str:
    """A coverage share as a percentage; a small non-zero share is '<1%', never '0%'."""
    if 0 < share < 0.005:
        return "<1%"
    return f"{share * 100:.0f}%"


_PROXY_WORDS = {
    "reporting_increase": "victims detected by the authorities (UNODC) stand in for victims "
    "reported, which this country does not publish",
    "data_sharing_countries": "it counts as sharing data because it reported figures to UNODC "
    "that year; no data-sharing flag of its own",
}


def coverage_text(row: dict) -> str:
    """Whose figures a value rests on: a country's own, a proxy, or "N of M countries and
    territories" (the one universe), with the share of estimated victims they hold."""
    counted, total = row.get("countries_counted") or 0, row.get("countries_in_scope")
    is_country = row.get("scope_type") == "country"
    basis = row.get("basis")
    if not counted:
        if is_country:
            reason = f" {row['note']}" if row.get("note") else ""
            return f"This country does not have the figures this needs that year.{reason}"
        return "No country has the figures this needs."
    if is_country:
        if basis in PROXY_BASES:
            return f"From a proxy: {_PROXY_WORDS.get(row.get('indicator') or '', 'see the note')}."
        return "This country has the figures."
    text = of_universe(counted, total) if total else f"{counted} {UNIVERSE_WORDS}"
    share = row.get("coverage_share")
    if share is not None:
        text += f", {share_text(share)} of estimated victims"
    if basis == "proxy":
        text += "; all from a proxy"
    elif basis == "partly_proxy":
        text += "; partly from a proxy"
    if counted < THIN_COVERAGE_COUNTRIES:
        text += (f". Only {counted} countr{'y' if counted == 1 else 'ies'}: this value speaks "
                 "for them, not for the whole")
    return text


def _sources_of(row: dict) -> str:
    return row.get("sources") or "—"


def series(frame: pl.DataFrame, indicator: str, scope: str) -> pl.DataFrame:
    """One scope's yearly rows for one indicator: year, value, lower, upper, status, target,
    and `thin` (a region's or the world's year with under half its best coverage)."""
    return _series_of(frame.filter(
        (pl.col("indicator") == indicator) & (pl.col("scope") == scope)
    ).sort("year"))


def _series_of(rows: pl.DataFrame) -> pl.DataFrame:
    """``series`` of one scope's rows of one indicator, in year order."""
    best = rows["countries_counted"].max() or 0
    return rows.select(
        "year", "value", "lower", "upper", "status", "target",
        ((pl.col("scope_type") != "country") & pl.col("lower").is_not_null()
         & (pl.col("countries_counted") * 2 < best)).alias("thin"),
        pl.col("series_break").fill_null(False).alias("series_break"),
    )


def _since(baseline_year: int | None) -> str:
    return f"since {baseline_year}" if baseline_year else "since the baseline year"


def break_sentence(row: dict, indicator: str, baseline_year: int | None = None) -> str:
    """The series-break warning a value carries, or ''. The figure itself is never changed."""
    year = row.get("year")
    if row.get("series_break") and year is not None:
        return (f"Possible break in the series (check the source): the count behind this value "
                f"changed more than {SERIES_BREAK_FACTOR:g}-fold from {year - 1} to {year}.")
    if indicator == "reporting_increase" and row.get("break_year") is not None:
        return (f"The change {_since(baseline_year)} spans a possible break in the series in "
                f"{row['break_year']} (check the source).")
    return ""


def projection_text(row: dict, indicator: str, baseline_year: int | None = None) -> str:
    """Where the trend line reaches by the deadline (targets with a deadline only), never
    below zero: a line that falls further 'falls to zero by 2025'."""
    projected = row.get("projected_at_deadline")
    if projected is None:
        return ""
    meta = indicator_meta(indicator)
    head = "Projection: the trend line"
    deadline = row.get("deadline_year")
    floor = -1.0 if meta.unit == "change" else 0.0
    if projected <= floor:
        end = "falls to −100% (none reported)" if meta.unit == "change" else "falls to zero"
        return f"{head} {end} by {deadline}, the deadline."
    per = " per 100,000 people" if meta.unit == "per_100k" else ""
    return (f"{head} reaches {format_value(projected, meta.unit)}{per} in {deadline}, the "
            "deadline.")


def trend_text(row: dict, baseline_year: int | None = None, *, with_break: bool = True) -> str:
    """'Trend since 2015: improving.' (towards the target), told apart from the status; says
    when the line spans a possible break in the series (unless ``with_break`` is false)."""
    direction = row.get("trend")
    if direction is None:
        return ""
    if direction == "none":
        return f"Trend: none yet (fewer than 3 yearly values {_since(baseline_year)})."
    text = f"Trend {_since(baseline_year)}: {trend_words(direction)}."
    if with_break and row.get("break_year") is not None:
        text += (f" The line spans a possible break in the series in {row['break_year']} "
                 "(check the source).")
    return text


COUNTRY_DATA_SHARING_TARGET = "sharing active (1 = yes) every year; world: 60+ countries"


def target_text_for(indicator: str, row: dict) -> str:
    """The target as it applies at this level: a country's data-sharing target is its flag."""
    if indicator == "data_sharing_countries" and row.get("scope_type") == "country":
        return COUNTRY_DATA_SHARING_TARGET
    return indicator_meta(indicator).target_text


def value_hover(row: dict, unit: str) -> str:
    """The exact value for a tooltip: '0.010%' beside '1 in 9,900'."""
    if unit != "share":
        return ""
    if row.get("value") is not None:
        return percent_text(row["value"])
    if row.get("lower") is not None and row.get("upper") is not None:
        low, high = percent_text(row["lower"]), percent_text(row["upper"])
        return low if low == high else f"{low}–{high}"
    return ""


def card(
    frame: pl.DataFrame,
    indicator: str,
    scope: str = WORLD,
    year: int | None = None,
    baseline_year: int | None = None,
    *,
    page_year: YearChoice | None = None,
) -> Card:
    """One indicator for one scope, in the chosen year, or else in the default year
    (``default_year``; pass it as ``page_year`` when showing several cards). When the scope has
    no figure in the default year, the card shows its latest figure before it (or, with none,
    its first after it) and says so in ``year_note``."""
    meta = indicator_meta(indicator)
    ordered = frame.filter(
        (pl.col("indicator") == indicator) & (pl.col("scope") == scope)
    ).sort("year")
    records = ordered.to_dicts()  # a few dozen years at most
    with_data = [r["year"] for r in records if r["status"] != "no_data"]
    year_note = ""
    if year is not None:
        chosen: int | None = year
    else:
        wanted = (page_year or default_year(frame)).year
        chosen = wanted
        if wanted is not None and with_data and wanted not in with_data:
            earlier = [y for y in with_data if y < wanted]
            chosen = earlier[-1] if earlier else with_data[0]
            where = "the latest before it" if earlier else "the first after it"
            year_note = (f"No figure for {wanted} (the year the page shows); this is "
                         f"{chosen}'s, {where}.")
    trend = [(int(r["year"]), r["value"] if r["value"] is not None else r["lower"])
             for r in records]
    row = next((r for r in records if r["year"] == chosen), {}) if chosen is not None else {}
    measure = MEASURES.get(indicator)
    return Card(
        indicator=indicator,
        number=meta.number,
        title=meta.title,
        paper_wording=meta.paper_wording,
        year=chosen,
        value_text=format_value(row.get("value"), meta.unit, lower=row.get("lower"),
                                upper=row.get("upper")),
        target_text=target_text_for(indicator, row),
        status=row.get("status") or "no_data",
        status_text=status_text(row.get("status"), row.get("basis")),
        coverage_text=coverage_text(row) if row else "No country has the figures this needs.",
        proxy=row.get("proxy"),
        note=row.get("note"),
        sources=_sources_of(row) if row else "—",
        trend=trend,
        year_note=year_note,
        projection_text=projection_text(row, indicator, baseline_year) if row else "",
        definition=measure.definition if measure else "",
        series=_series_of(ordered),
        basis=row.get("basis"),
        trend_direction=row.get("trend"),
        # indicator 2's break sentence already says what its change (and trend) spans
        trend_text=trend_text(row, baseline_year,
                              with_break=indicator != "reporting_increase") if row else "",
        break_text=break_sentence(row, indicator, baseline_year) if row else "",
        value_hover=value_hover(row, meta.unit) if row else "",
    )


# -- the data behind each chart ----------------------------------------------------------------
_DATA_COLUMNS = (
    "indicator", "scope", "name", "scope_type", "year", "value", "lower", "upper", "value_text",
    "status", "status_text", "basis", "trend", "series_break", "break_year", "target",
    "countries_counted", "countries_in_scope", "coverage_share", "denominator_year", "source",
    "proxy", "note",
)


def _shape(rows: pl.DataFrame, indicator: str, names: dict[str, str]) -> pl.DataFrame:
    meta = indicator_meta(indicator)
    records = []
    for row in rows.iter_rows(named=True):
        records.append({
            "indicator": indicator,
            "scope": row["scope"],
            "name": names.get(row["scope"], row["scope"]),
            "scope_type": row["scope_type"],
            "year": row["year"],
            "value": row["value"],
            "lower": row["lower"],
            "upper": row["upper"],
            "value_text": format_value(row["value"], meta.unit, lower=row["lower"],
                                       upper=row["upper"]),
            "status": row["status"],
            "status_text": status_text(row["status"], row.get("basis")),
            "basis": row.get("basis"),
            "trend": row.get("trend"),
            "series_break": bool(row.get("series_break")),
            "break_year": row.get("break_year"),
            "target": row["target"],
            "countries_counted": row["countries_counted"],
            "countries_in_scope": row["countries_in_scope"],
            "coverage_share": row["coverage_share"],
            "denominator_year": row["denominator_year"],
            "source": _sources_of(row) if row["status"] != "no_data" else "",
            "proxy": row["proxy"],
            "note": row["note"],
        })
    schema = {
        "indicator": pl.String, "scope": pl.String, "name": pl.String, "scope_type": pl.String,
        "year": pl.Int32, "value": pl.Float64, "lower": pl.Float64, "upper": pl.Float64,
        "value_text": pl.String, "status": pl.String, "status_text": pl.String,
        "basis": pl.String, "trend": pl.String, "series_break": pl.Boolean,
        "break_year": pl.Int32, "target": pl.Float64, "countries_counted": pl.Int32,
        "countries_in_scope": pl.Int32,
        "coverage_share": pl.Float64, "denominator_year": pl.Int32, "source": pl.String,
        "proxy": pl.String, "note": pl.String,
    }
    return pl.DataFrame(records, schema=schema).select(_DATA_COLUMNS)


def lines_data(
    frame: pl.DataFrame,
    indicator: str,
    scopes: Sequence[str],
    years: tuple[int, int],
    names: dict[str, str],
) -> pl.DataFrame:
    """The rows a line chart draws: each scope (in the order given) for every year in range.

    For indicator 3 a single country's value is a 1/0 flag, not a count of countries; those
    rows are left out of the line chart (the table and the map show them).
    """
    wanted = [s for s in scopes if not (country_values_are_flags(indicator)
                                        and is_country_code(s))]
    rows = frame.filter(
        (pl.col("indicator") == indicator)
        & pl.col("scope").is_in(wanted)
        & pl.col("year").is_between(years[0], years[1])
    )
    order = {s: i for i, s in enumerate(wanted)}
    rows = rows.with_columns(pl.col("scope").replace_strict(order, default=len(order))
                             .alias("_order")).sort("_order", "year").drop("_order")
    return _shape(rows, indicator, names)


def is_country_code(scope: str) -> bool:
    """ISO3 codes are three capital letters; regions are names and the world is WORLD."""
    return scope != WORLD and len(scope) == 3 and scope.isalpha() and scope.isupper()


def ranking_data(
    frame: pl.DataFrame,
    indicator: str,
    year: int,
    scopes: Sequence[str],
    names: dict[str, str],
) -> pl.DataFrame:
    """The rows a ranking bar chart draws: each scope in one year, highest value first (a
    range ranks by its lower end), scopes without data last."""
    rows = frame.filter(
        (pl.col("indicator") == indicator)
        & pl.col("scope").is_in(list(scopes))
        & (pl.col("year") == year)
    )
    shaped = _shape(rows, indicator, names)
    return shaped.with_columns(
        pl.coalesce("value", "lower").alias("_rank")
    ).sort(["_rank", "name"], descending=[True, False], nulls_last=True).drop("_rank")


def latest_figures(
    frame: pl.DataFrame,
    indicator: str,
    year: int,
    first_year: int,
    names: dict[str, str],
    regions: dict[str, str] | None = None,
) -> pl.DataFrame:
    """Every country's latest figure from ``first_year`` up to ``year`` (the map and table).

    A country with no figure in that window gets one row with status 'no_data' and no year.
    """
    country_rows = frame.filter(
        (pl.col("indicator") == indicator) & (pl.col("scope_type") == "country")
    )
    with_data = country_rows.filter(
        (pl.col("status") != "no_data") & pl.col("year").is_between(first_year, year)
    ).sort("year").group_by("scope", maintain_order=True).last()
    missing = (
        country_rows.select("scope").unique()
        .join(with_data.select("scope"), on="scope", how="anti")
    )
    empty = country_rows.filter(pl.col("year") == year).join(missing, on="scope", how="semi")
    empty = empty.with_columns(pl.lit(None, dtype=pl.Int32).alias("year"))
    shaped = _shape(pl.concat([with_data, empty.select(with_data.columns)]), indicator, names)
    region_of = regions or {}
    shaped = shaped.with_columns(
        pl.col("scope").replace_strict(region_of, default=None, return_dtype=pl.String)
        .alias("region")
    )
    return shaped.with_columns(pl.coalesce("value", "lower").alias("_rank")).sort(
        ["_rank", "name"], descending=[True, False], nulls_last=True
    ).drop("_rank")


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
        pl.concat_str([
            pl.when(pl.col("series_break")).then(pl.lit(BREAK_NOTE)),
            pl.col("note"), pl.col("proxy"),
        ], separator=" ", ignore_nulls=True).fill_null("").alias("Note"),
    )


BREAK_NOTE = SERIES_BREAK_WORDS[0].upper() + SERIES_BREAK_WORDS[1:] + "."


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
                                      upper=row["upper"]),
                "Status": status_text(row["status"], row.get("basis")),
                "Year": row["year"],
                "Estimate year": row["denominator_year"],
                "Source": _sources_of(row),
                "Note": " ".join(p for p in (row["note"], row["proxy"]) if p) or "",
                "sort_value": row["value"] if row["value"] is not None else row["lower"],
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


# -- raw figures -------------------------------------------------------------------------------
def figure_text(value: float | None, value_status: str | None, lower: float | None,
                upper: float | None) -> str:
    """One published figure as people read it: '1,240', '<5', '136,000 (estimate)'."""
    if value is None and lower is not None and upper is not None:
        if value_status == "suppressed" and lower == 1 and upper == 4:
            return SUPPRESSED_TEXT
        return f"{lower:,.0f}–{upper:,.0f}"
    if value is None:
        return NO_DATA
    text = f"{value:,.0f}"
    return f"{text} (estimate)" if value_status == "estimate" else text


def measure_series(
    observations: pl.DataFrame, iso3: str, measures: Iterable[str] | None = None
) -> pl.DataFrame:
    """One country's published figures over time, with their source and whether each is a
    possible break in its series (``compute.mark_series_breaks``): the raw-measures chart and
    table."""
    wanted = list(measures) if measures is not None else list(MEASURES)
    rows = observations.filter((pl.col("iso3") == iso3) & pl.col("measure").is_in(wanted))
    order = {m: i for i, m in enumerate(wanted)}
    records = []
    for row in rows.iter_rows(named=True):
        source = row.get("source_citation") or row.get("source_id") or ""
        records.append({
            "iso3": iso3,
            "measure": row["measure"],
            "label": MEASURES[row["measure"]].label if row["measure"] in MEASURES
            else row["measure"],
            "unit": MEASURES[row["measure"]].unit if row["measure"] in MEASURES else "",
            "year": row["year"],
            "value": row["value"],
            "value_status": row["value_status"],
            "lower": row["lower"] if row["value"] is None else row["value"],
            "upper": row["upper"] if row["value"] is None else row["value"],
            "value_text": figure_text(row["value"], row["value_status"], row["lower"],
                                      row["upper"]),
            "source": source,
            "note": row.get("note"),
            "_order": order.get(row["measure"], len(order)),
        })
    schema = {
        "iso3": pl.String, "measure": pl.String, "label": pl.String, "unit": pl.String,
        "year": pl.Int32, "value": pl.Float64, "value_status": pl.String, "lower": pl.Float64,
        "upper": pl.Float64, "value_text": pl.String, "source": pl.String, "note": pl.String,
        "_order": pl.Int64,
    }
    # a jump of more than 3 times from one year to the next is marked, never smoothed away
    return mark_series_breaks(
        pl.DataFrame(records, schema=schema).sort("_order", "year").drop("_order"))


def coverage_strip_data(
    observations: pl.DataFrame, iso3: str, years: tuple[int, int],
    measures: Sequence[str] | None = None,
) -> pl.DataFrame:
    """Which measures one country has for which years: every measure × year, with a state."""
    wanted = list(measures) if measures is not None else [
        m for m in MEASURES if m not in CONTEXT_MEASURES
    ]
    rows = observations.filter(pl.col("iso3") == iso3)
    grid = pl.DataFrame({"measure": wanted}).join(
        pl.DataFrame({"year": list(range(years[0], years[1] + 1))},
                     schema={"year": pl.Int32}),
        how="cross",
    )
    return _with_state(grid, rows, ["measure", "year"]).with_columns(
        pl.col("measure").replace_strict({m: MEASURES[m].label for m in wanted},
                                         default=pl.col("measure")).alias("label"),
        pl.lit(iso3).alias("iso3"),
    ).select("iso3", "measure", "label", "year", "state", "value_text", "source")


def coverage_matrix(
    observations: pl.DataFrame,
    countries: pl.DataFrame,
    measure: str,
    years: tuple[int, int],
    region: str | None = None,
) -> pl.DataFrame:
    """Countries × years for one measure (the methodology heatmap).

    Rows: every country in the store that has any figure at all (of any measure), within the
    region if one is given, sorted by region and name.
    """
    present = observations.select("iso3").unique()
    chosen = countries.join(present, on="iso3", how="semi")
    if region:
        chosen = chosen.filter(pl.col("region") == region)
    grid = chosen.select("iso3", "name", pl.col("region").fill_null("—")).join(
        pl.DataFrame({"year": list(range(years[0], years[1] + 1))},
                     schema={"year": pl.Int32}),
        how="cross",
    ).with_columns(pl.lit(measure).alias("measure"))
    rows = observations.filter(pl.col("measure") == measure)
    return _with_state(grid, rows, ["iso3", "measure", "year"]).sort(
        "region", "name", "year"
    ).select("iso3", "name", "region", "measure", "year", "state", "value_text", "source")


def _with_state(grid: pl.DataFrame, rows: pl.DataFrame, keys: list[str]) -> pl.DataFrame:
    citation = (
        pl.col("source_citation").fill_null(pl.col("source_id"))
        if "source_citation" in rows.columns else pl.col("source_id")
    )
    figures = rows.select(
        *[pl.col(k) for k in keys if k in rows.columns],
        pl.col("value"), pl.col("value_status"), pl.col("lower"), pl.col("upper"),
        citation.alias("source"),
    )
    joined = grid.join(figures, on=[k for k in keys if k in rows.columns], how="left")
    return joined.with_columns(
        pl.when(pl.col("value_status").is_null()).then(pl.lit("missing"))
        .otherwise(pl.col("value_status")).alias("state"),
        pl.struct("value", "value_status", "lower", "upper").map_elements(
            lambda r: figure_text(r["value"], r["value_status"], r["lower"], r["upper"])
            if r["value_status"] else NO_DATA,
            return_dtype=pl.String,
        ).alias("value_text"),
    )


def coverage_summary(observations: pl.DataFrame, years: tuple[int, int]) -> pl.DataFrame:
    """Measures × years: how many countries have a figure (methodology overview heatmap)."""
    counts = observations.filter(pl.col("year").is_between(years[0], years[1])).group_by(
        "measure", "year"
    ).agg(pl.col("iso3").n_unique().cast(pl.Int32).alias("countries"))
    measures = [m for m in MEASURES if m in set(observations["measure"].unique().to_list())]
    grid = pl.DataFrame({"measure": measures}).join(
        pl.DataFrame({"year": list(range(years[0], years[1] + 1))},
                     schema={"year": pl.Int32}),
        how="cross",
    )
    return grid.join(counts, on=["measure", "year"], how="left").with_columns(
        pl.col("countries").fill_null(0),
        pl.col("measure").replace_strict({m: MEASURES[m].label for m in measures})
        .alias("label"),
    ).select("measure", "label", "year", "countries")


# -- sources -----------------------------------------------------------------------------------
def source_coverage(observations: pl.DataFrame, sources: pl.DataFrame) -> pl.DataFrame:
    """Each source: publisher, release, licence and what it covers in the store."""
    stats = observations.group_by("source_id").agg(
        pl.len().alias("figures"),
        pl.col("iso3").n_unique().alias("countries"),
        pl.col("year").min().alias("first_year"),
        pl.col("year").max().alias("last_year"),
        pl.col("measure").unique().sort().alias("measures"),
    )
    joined = sources.join(stats, left_on="id", right_on="source_id", how="left")
    records = []
    for row in joined.iter_rows(named=True):
        summary = measures_summary(row["measures"] or [])
        years = (
            f"{row['first_year']}–{row['last_year']}"
            if row["first_year"] is not None and row["first_year"] != row["last_year"]
            else str(row["first_year"] or "—")
        )
        records.append({
            "Publisher": row["publisher"],
            "Title": row["title"],
            "Release": row["edition"] or "—",
            "Licence": row["licence"] or "—",
            "Years": years,
            "Countries": row["countries"] or 0,
            "Figures": row["figures"] or 0,
            "Measures": summary or "—",
            "Link": row["url"] or "",
            "Retrieved": row["retrieved"] or "—",
        })
    schema = {
        "Publisher": pl.String, "Title": pl.String, "Release": pl.String, "Licence": pl.String,
        "Years": pl.String, "Countries": pl.Int64, "Figures": pl.Int64, "Measures": pl.String,
        "Link": pl.String, "Retrieved": pl.String,
    }
    return pl.DataFrame(records, schema=schema)


def sources_used(source_texts: Iterable[str | None], sources: pl.DataFrame) -> pl.DataFrame:
    """The rows of the sources table behind a chart, from its 'source' cells.

    A cell may join several citations with '; '; each is matched to a source by citation or
    id. Citations that match nothing (an upload's free text) come back as rows with only a
    citation, so the footer still names them.
    """
    wanted: list[str] = []
    for text in source_texts:
        for part in (text or "").split("; "):
            part = part.strip()
            if part and part != "—" and part not in wanted:
                wanted.append(part)
    by_citation = {r["citation"]: r for r in sources.iter_rows(named=True) if r["citation"]}
    by_id = {r["id"]: r for r in sources.iter_rows(named=True)}
    rows: list[dict] = []
    seen: set[str] = set()
    for part in wanted:
        row = by_citation.get(part) or by_id.get(part)
        key = row["id"] if row else part
        if key in seen:
            continue
        seen.add(key)
        rows.append(row if row else {"id": part, "publisher": None, "title": None,
                                     "edition": None, "citation": part})
    schema = {"id": pl.String, "publisher": pl.String, "title": pl.String,
              "edition": pl.String, "citation": pl.String}
    return pl.DataFrame(
        [{k: r.get(k) for k in schema} for r in rows], schema=schema
    ).sort("id")


def data_as_of(sources: pl.DataFrame) -> str:
    """'UNODC data portal release of 30 May 2023 …; Walk Free GSI 2023 …' from the sources."""
    parts = []
    for row in sources.iter_rows(named=True):
        if row.get("publisher") and row.get("edition"):
            parts.append(f"{row['publisher']} {row['edition']}")
        elif row.get("edition"):
            parts.append(row["edition"])
    return "; ".join(parts)


# -- page pickers and tables -----------------------------------------------------------------------
def scope_options(frame: pl.DataFrame, countries: pl.DataFrame, names: dict[str, str]
                  ) -> list[str]:
    """What the Compare page offers: the world, the regions, then every country with at least
    one indicator value, by name."""
    with_figures = set(frame.filter(
        (pl.col("scope_type") == "country") & (pl.col("status") != "no_data")
    )["scope"].unique().to_list())
    regions = sorted(countries["region"].drop_nulls().unique().to_list())
    codes = sorted((c for c in countries["iso3"].to_list() if c in with_figures),
                   key=lambda c: names.get(c, c))
    return [WORLD, *regions, *codes]


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


def raw_count_measures() -> list[str]:
    """The counts a country profile draws over time: UNODC's, then uploaded ones (not the
    yes/no flag, not Walk Free's one-year estimates)."""
    from indicators.measures import GLOTIP_MEASURES

    rest = [m for m in MEASURES if not MEASURES[m].is_flag and m not in GLOTIP_MEASURES
            and m not in ("estimated_victims", *CONTEXT_MEASURES)]
    return [*GLOTIP_MEASURES, *rest]


def figures_table(series: pl.DataFrame) -> pl.DataFrame:
    """A country's figures for reading: measure, year, figure as published, kind, source."""
    return series.select(
        pl.col("label").alias("Measure"),
        pl.col("year").alias("Year"),
        pl.col("value_text").alias("Figure"),
        pl.col("value_status").alias("Kind"),
        pl.col("source").alias("Source"),
        pl.col("note").fill_null("").alias("Note"),
    ).sort("Measure", "Year")


def measures_table() -> pl.DataFrame:
    """The measure catalogue for the methodology page."""
    return pl.DataFrame([
        {
            "Measure": m.label,
            "Unit": m.unit,
            "Definition": m.definition,
            "Used by": "; ".join(
                f"{INDICATORS[k].title} (indicator {INDICATORS[k].number})" for k in m.used_by
                if k in INDICATORS
            ) or "—",
            "Code": m.name,
        }
        for m in MEASURES.values()
    ])


# -- the paper's figures beside ours ---------------------------------------------------------------
@dataclass(frozen=True)
class PaperComparison:
    """One of the paper's context figures, how its measure differs from ours, and the nearest
    ratios computed from the published figures (world, one year), labelled as such."""

    figure: str
    label: str
    quote: str
    where: str
    differs: str
    ours: tuple[str, ...]  # "Persons convicted per person prosecuted, world, 2020: 24–25% …"


def paper_comparisons(frame: pl.DataFrame, observations: pl.DataFrame,
                      year: int) -> tuple[str, tuple[PaperComparison, ...]]:
    """The sentence giving our own world conviction rate in ``year`` (indicator 1) and why it
    is smaller, and each of the paper's context figures with its comparison."""
    from indicators import paper
    from indicators.compute import context_ratios

    ratios = {r["key"]: r for r in context_ratios(observations, year).iter_rows(named=True)}
    world = frame.filter((pl.col("indicator") == "conviction_rate") & (pl.col("scope") == WORLD)
                         & (pl.col("year") == year))
    if world.height and world["lower"][0] is not None:
        row = world.row(0, named=True)
        ours = (f"{paper.OUR_CONVICTION_RATE} The world's, {year}: "
                f"{format_value(row['value'], 'share', lower=row['lower'], upper=row['upper'])} "
                f"({value_hover(row, 'share')}), over {row['countries_counted']} countries.")
    else:
        ours = paper.OUR_CONVICTION_RATE
    items = []
    for item in paper.CONTEXT_FIGURES:
        lines = []
        for key in item.compare_with:
            r = ratios.get(key)
            if r is None or r["lower"] is None:
                lines.append(f"{paper.OUR_RATIOS[key]}, world, {year}: no data.")
                continue
            text = format_value(r["value"], "share", lower=r["lower"], upper=r["upper"])
            extra = (f"; {r['suppressed']} reported '<5', so it is a range"
                     if r["suppressed"] else "")
            lines.append(f"{paper.OUR_RATIOS[key]}, world, {year}: {text} (UNODC figures, a "
                         f"ratio of sums over the {r['countries']} countries with both{extra}).")
        items.append(PaperComparison(item.figure, item.label, item.quote, item.where,
                                     item.differs, tuple(lines)))
    return ours, tuple(items)
