"""Indicator rows for one scope and year, as the CLI and the pages ask for them."""

from __future__ import annotations

import datetime as dt
import io

import polars as pl

from indicators.compute import WORLD, compute_indicators, indicator_inputs
from indicators.measures import INDICATORS, sdg_basis_sentence, status_text
from indicators.settings import IndicatorSettings
from indicators.store import Store
from indicators.value_text import format_value

INDICATOR_KEYS = tuple(INDICATORS)
OUTPUT_COLUMNS = ("indicator", "scope", "year", "value", "target", "status", "proxy", "inputs")


class ReportError(ValueError):
    """A report was asked for something the data does not have; the message says what."""


def indicator_frame(store: Store, settings: IndicatorSettings) -> pl.DataFrame:
    """All indicators for all scopes and years, from the store's current figures (read in one
    consistent read)."""
    snapshot = store.snapshot()
    return indicator_frame_from(snapshot.observations, snapshot.countries, settings)


def indicator_frame_from(observations: pl.DataFrame, countries: pl.DataFrame,
                         settings: IndicatorSettings) -> pl.DataFrame:
    """All indicators for all scopes and years, from figures already read."""
    return compute_indicators(observations, countries, settings)


def select_rows(
    frame: pl.DataFrame,
    regions: list[str],
    *,
    country: str | None = None,
    region: str | None = None,
    world: bool = False,
    year: int | None = None,
    indicator: str | None = None,
) -> pl.DataFrame:
    """Filter the indicator frame to one scope (default WORLD), one year and one indicator.
    ``region`` names a region or a UN M49 subregion of the frame (or of ``regions``)."""
    if country:
        scope = country.strip().upper()
        if scope not in set(frame.filter(pl.col("scope_type") == "country")["scope"].to_list()):
            raise ReportError(f"No country with the ISO3 code '{country}' in the data.")
    elif region:
        # a region or a UN M49 subregion ('Western Africa'), by name in any case
        groups = frame.filter(pl.col("scope_type").is_in(["region", "subregion"])).select(
            "scope", "scope_type").unique()
        subregions = sorted(groups.filter(pl.col("scope_type") == "subregion")["scope"])
        known = sorted(set(regions) | set(groups["scope"].to_list()) - set(subregions))
        names = {r.lower(): r for r in [*known, *subregions]}
        if region.strip().lower() not in names:
            listed = f"Regions: {', '.join(known)}."
            if subregions:
                listed += f" Subregions: {', '.join(subregions)}."
            raise ReportError(f"No region or subregion '{region}'. {listed}")
        scope = names[region.strip().lower()]
    else:
        del world
        scope = WORLD
    rows = frame.filter(pl.col("scope") == scope)
    if year is not None:
        years = frame["year"]
        if year < years.min() or year > years.max():
            raise ReportError(f"No figures for {year}: the data run from {years.min()} to "
                              f"{years.max()}.")
        rows = rows.filter(pl.col("year") == year)
    if indicator:
        rows = rows.filter(pl.col("indicator") == indicator)
    order = {k: i for i, k in enumerate(INDICATOR_KEYS)}
    return rows.sort(pl.col("indicator").replace_strict(order), "year")


def indicator_report(
    store: Store,
    settings: IndicatorSettings,
    **selection: object,
) -> pl.DataFrame:
    """The selected rows (see `select_rows`) with the figures each rests on (`inputs`, last);
    the inputs are worked out for these rows only."""
    observations, countries = store.observations(), store.countries()
    frame = compute_indicators(observations, countries, settings)
    regions = countries["region"].drop_nulls().unique().to_list()
    rows = select_rows(frame, regions, **selection)  # type: ignore[arg-type]
    return indicator_inputs(observations, countries, settings, rows.drop("sources"))


def texts(row: dict) -> dict[str, str]:
    """The value and status as every page writes them ('1 in 490', '◐ Target met on a
    proxy'), for the JSON and CSV beside the raw numbers."""
    unit = INDICATORS[row["indicator"]].unit
    return {
        "value_text": format_value(row["value"], unit, lower=row["lower"], upper=row["upper"],
                                   target=row.get("target")),
        "status_text": status_text(row["status"], row.get("basis")),
    }


def to_records(rows: pl.DataFrame) -> list[dict[str, object]]:
    """JSON-ready dicts: the output columns first, then the value and status in words, then
    the details (range, coverage, trend, basis)."""
    records = []
    for row in rows.iter_rows(named=True):
        record = {k: row[k] for k in OUTPUT_COLUMNS}
        record.update(texts(row))
        record.update({k: v for k, v in row.items() if k not in OUTPUT_COLUMNS})
        records.append(_jsonable(record))
    return records


def _jsonable(value: object) -> object:
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return value


def to_csv(rows: pl.DataFrame) -> str:
    from indicators.export import safe_csv_text

    words = [texts(row) for row in rows.iter_rows(named=True)]
    rows = rows.with_columns(
        pl.Series("value_text", [w["value_text"] for w in words], dtype=pl.String),
        pl.Series("status_text", [w["status_text"] for w in words], dtype=pl.String),
    )
    flat = rows.with_columns(
        pl.col("inputs")
        .list.eval(
            pl.format(
                "{} {} {}={} ({})",
                pl.element().struct.field("measure"),
                pl.element().struct.field("scope"),
                pl.element().struct.field("year"),
                pl.element().struct.field("value").round(6).cast(pl.String).fill_null(
                    pl.element().struct.field("value_status")
                ),
                pl.element().struct.field("source"),
            )
        )
        .list.join("; ")
        .alias("inputs")
    )
    return safe_csv_text(flat)


def to_table(rows: pl.DataFrame) -> str:
    """A plain-text table for the terminal, with a header row."""
    from indicators.views import TRENDS_SHORT, break_sentence, projection_text, target_text_for

    if rows.is_empty():
        return "No rows.\n"
    out = io.StringIO()
    wide = max(8, *(len(s) for s in rows["scope"].to_list()))  # 'Western Africa'
    out.write(f"{'Indicator':<43} {'Scope':<{wide}} {'Year':<5} {'Value':>18}  "
              f"{'Target':<45} Status; trend\n")
    for row in rows.iter_rows(named=True):
        indicator = INDICATORS[row["indicator"]]
        shown = format_value(row["value"], indicator.unit, lower=row["lower"], upper=row["upper"],
                             target=row.get("target"))
        target = target_text_for(row["indicator"], row)
        status = status_text(row["status"], row.get("basis"))
        if row.get("trend"):
            status += f"; trend {TRENDS_SHORT[row['trend']]}"
        out.write(
            f"{indicator.number}. {indicator.title:<40} {row['scope']:<{wide}} {row['year']:<5} "
            f"{shown:>18}  {target:<45} {status}\n"
        )
        # the projection, never rounded across the target ('+49.6%' against +50%)
        projection = projection_text(row, row["indicator"])
        # SDG 16.2.2: UNODC's published value, or computed where UNODC publishes none
        basis = sdg_basis_sentence(row.get("basis"), row.get("scope_type"))
        for line in (basis, projection, break_sentence(row, row["indicator"]), row["proxy"],
                     row["note"]):
            if line:
                out.write(f"   {line}\n")
    return out.getvalue()
