"""Per country and year: every indicator's numerator and denominator in one frame (the
country parts), and the value, proxy note, basis and citations of each country row.
"""

from __future__ import annotations

import polars as pl

from indicators.compute.breaks import _series_breaks
from indicators.compute.changes import _reporting_parts
from indicators.compute.counts import _count_parts, _data_sharing_parts
from indicators.compute.frame import _INDEX_TYPE, _INPUT_FIELDS, _PUBLISHED_SDG, _Layout
from indicators.compute.rates import _RATE_NUMERATORS, _per_population_parts, _rate_parts
from indicators.compute.schema import _INDEX, _KEYS
from indicators.compute.sources import _masks
from indicators.measures import (
    DATA_SHARING_PROXY_NOTE,
    DENOMINATOR_NOTE,
    INDICATORS,
    PER_100K,
    REPORTING_PROXY_NOTE,
)
from indicators.settings import IndicatorSettings

_PARTS_SCHEMA: dict[str, pl.DataType] = {
    "present": pl.Boolean(),
    "num_value": pl.Float64(),
    "num_lower": pl.Float64(),
    "num_upper": pl.Float64(),
    "den_value": pl.Float64(),
    "den_lower": pl.Float64(),
    "den_upper": pl.Float64(),
    "denominator_year": pl.Int32(),
    "proxied": pl.Boolean(),
    "note": pl.String(),
    "cid1": _INDEX_TYPE(),
    "cid2": _INDEX_TYPE(),
    # SDG 16.2.2 only: UNODC's published rate for the cell and its citation's id (null: none)
    "official": pl.Float64(),
    "cid3": _INDEX_TYPE(),
}

# the columns only SDG 16.2.2's parts have (`_with_published`)
_PUBLISHED_COLUMNS = frozenset({"official", "cid3", "official_status", "official_source"})
_DETAIL_SCHEMA: dict[str, pl.DataType] = {
    **{f"{i}_{f}": t for i in ("in1", "in2") for f, t in _INPUT_FIELDS.items()},
    "n_inputs": pl.Int32(),
    "official_status": pl.String(),
    "official_source": pl.String(),
}


def _country_parts(figures: dict[str, pl.DataFrame], nearest: pl.Series, layout: _Layout,
                   settings: IndicatorSettings, *, detail: bool) -> pl.LazyFrame:
    """Per indicator, every country's cells in order (so row = indicator × cells + cell):
    whether it has a figure (`present`), the numerator, the denominator, whether a proxy stood
    in, the note and the ids of the inputs' citations (`cid1`, `cid2`); with `detail`, the
    inputs' figures. Also `ind`, `cidx` (the country's index), `year` and `_helpers`.

    One lazy plan (each indicator's parts are a few selects over the grid): the caller collects
    it, with what it computes from the parts."""
    grids = {measure: frame.lazy() for measure, frame in figures.items()}
    denominators = grids["estimated_victims"].select(
        pl.all().gather(nearest.cast(_INDEX_TYPE))).with_columns(
        (nearest % layout.years + layout.first).cast(pl.Int32).alias("year"))
    frames = {
        "conviction_rate": _rate_parts(grids, _RATE_NUMERATORS["conviction_rate"],
                                       denominators, layout, detail),
        "reporting_increase": _reporting_parts(grids, settings, layout, detail),
        "data_sharing_countries": _data_sharing_parts(grids, settings, layout, detail),
        "identification_rate": _rate_parts(grids, _RATE_NUMERATORS["identification_rate"],
                                           denominators, layout, detail),
        "victims_prosecuted": _count_parts(grids["victims_prosecuted"], "victims_prosecuted",
                                           layout, detail),
        "victims_per_100k": _with_published(
            _per_population_parts(grids, "victims_detected", layout, detail),
            grids[_PUBLISHED_SDG], detail),
    }
    schema = {**_PARTS_SCHEMA, **(_DETAIL_SCHEMA if detail else {})}
    # SDG 16.2.2's parts alone have a published rate: the others' are null. (Each frame's
    # columns have the schema's types already, which the concatenation checks.)
    parts = pl.concat(
        [frames[key].select(
            pl.col(c) if key == "victims_per_100k" or c not in _PUBLISHED_COLUMNS
            else pl.lit(None, dtype=t).alias(c) for c, t in schema.items())
         for key in _KEYS],
        how="vertical",
    )
    row = pl.int_range(0, pl.len(), dtype=_INDEX_TYPE)
    return parts.with_columns(
        (row // layout.cells).alias("ind"),
        (row % layout.cells // layout.years).alias("cidx"),
        (row % layout.years + layout.first).cast(pl.Int32).alias("year"),
    ).with_columns(_helpers())


def _with_published(parts: pl.LazyFrame, published: pl.LazyFrame,
                    detail: bool) -> pl.LazyFrame:
    """SDG 16.2.2's parts with UNODC's published rate of each cell beside the computed one
    (`official`, its citation `cid3`): a cell with a published rate has a figure even without
    the counts the computation needs. The numerator and denominator stay as computed: regions
    and the world are summed from them, never from published rates."""
    found = pl.col("present") & pl.col("value").is_not_null()
    official = published.select(
        pl.when(found).then(pl.col("value")).alias("official"),
        pl.when(found).then(pl.col("cid")).alias("cid3"),
        *((pl.col("value_status").alias("official_status"),
           pl.col("source").alias("official_source")) if detail else ()),
    )
    return pl.concat([parts, official], how="horizontal").with_columns(
        (pl.col("present") | pl.col("official").is_not_null()).alias("present"))


def _official() -> pl.Expr:
    """Whether a row shows UNODC's published SDG 16.2.2 rate."""
    return pl.col("official").is_not_null()


def _per_indicator(values: dict[str, object], dtype: pl.DataType) -> pl.Expr:
    """A constant per indicator, looked up by the `ind` column."""
    return pl.lit(pl.Series([values[k] for k in _KEYS], dtype=dtype)).gather(pl.col("ind"))


def _is_unit(unit: str) -> pl.Expr:
    return pl.col("ind").is_in([_INDEX[k] for k in _KEYS if INDICATORS[k].unit == unit])


def _helpers() -> list[pl.Expr]:
    """Columns the value expressions read: `_count` (a count indicator), `_offset` (1 for a
    change), `_scale` (100,000 for a rate per 100,000 people), `_defined` (a positive
    denominator)."""
    return [
        _is_unit("count").alias("_count"),
        _per_indicator({k: 1.0 if INDICATORS[k].unit == "change" else 0.0 for k in _KEYS},
                       pl.Float64()).alias("_offset"),
        _per_indicator({k: float(PER_100K) if INDICATORS[k].unit == "per_100k" else 1.0
                        for k in _KEYS}, pl.Float64()).alias("_scale"),
        (pl.col("den_lower").is_not_null() & (pl.col("den_lower") > 0)).alias("_defined"),
    ]


def _values() -> list[pl.Expr]:
    """value, lower and upper from the numerator and denominator columns (and `_helpers`):
    num / den (minus 1 for a change, times 100,000 per 100,000 people) for rates, the
    numerator for counts."""
    offset, defined, count = pl.col("_offset"), pl.col("_defined"), pl.col("_count")
    scale = pl.col("_scale")
    return [
        pl.when(count).then(pl.col(f"num_{c}"))
        .when(defined).then(pl.col(f"num_{c}") / pl.col(f"den_{d}") * scale - offset).alias(c)
        for c, d in (("value", "value"), ("lower", "upper"), ("upper", "lower"))
    ]


def _has_inputs() -> pl.Expr:
    """Whether a country row counts (reads `_helpers`)."""
    return pl.col("num_lower").is_not_null() & (pl.col("_count") | pl.col("_defined"))


def _proxy_rules() -> dict[str, str | None]:
    """The note a proxied row carries, per indicator."""
    rules = {"reporting_increase": REPORTING_PROXY_NOTE,
             "data_sharing_countries": DATA_SHARING_PROXY_NOTE}
    return {k: rules.get(k) for k in _KEYS}


def _rates() -> pl.Expr:
    return pl.col("ind").is_in([_INDEX[k] for k in _RATE_NUMERATORS])


def _country_rows(parts: pl.LazyFrame, layout: _Layout, baseline_year: int) -> pl.LazyFrame:
    present, official = pl.col("present"), pl.col("_official")
    counts = pl.col("_counts")
    own = pl.col("_own")  # the row shows the computed value
    proxy = (  # its place in _PROXY_NOTES
        pl.when(present & pl.col("proxied")).then(_per_indicator(
            {k: None if note is None else _PROXY_NOTES.index(note)
             for k, note in _proxy_rules().items()}, pl.UInt32()))
        .when(present & _rates()).then(pl.lit(_PROXY_NOTES.index(DENOMINATOR_NOTE),
                                              dtype=pl.UInt32))
    )
    sdg = pl.col("ind") == _INDEX["victims_per_100k"]
    basis = (  # _BASES: 0 own, 1 proxy; SDG 16.2.2: 3 published, 4 computed
        pl.when(official).then(pl.lit(3, dtype=pl.UInt8))
        .when(present & counts & sdg).then(pl.lit(4, dtype=pl.UInt8))
        .when(present & counts).then(pl.col("proxied").cast(pl.UInt8))
    )
    parts = parts.with_columns(
        _official().alias("_official"),
        _has_inputs().alias("_counts"),
    ).with_columns(
        (present & ~official).alias("_own"),
        # a published rate cites its own source only (the sums keep citing the counts')
        pl.when(official).then(pl.col("cid3")).otherwise(pl.col("cid1")).alias("cid1"),
        pl.when(~official).then(pl.col("cid2")).alias("cid2"),
    )
    return _series_breaks(parts, layout, baseline_year).select(
        *(pl.when(official).then(pl.col("official")).otherwise(computed).alias(name)
          for computed, name in zip(_values(), ("value", "lower", "upper"), strict=True)),
        pl.lit(pl.Series(_PROXY_NOTES, dtype=pl.String)).gather(proxy).alias("proxy"),
        pl.when(own).then(pl.col("note")).alias("note"),
        basis.alias("_basis"),
        "series_break",
        "break_year",
        pl.when(own).then(pl.col("denominator_year")).alias("denominator_year"),
        (counts | official).cast(pl.Int32).alias("countries_counted"),
        pl.lit(None, dtype=pl.Float64).alias("weight_counted"),
        *_masks(layout),
    )


# the notes of a row that rests on a proxy (a rate's denominator is one)
_PROXY_NOTES = (REPORTING_PROXY_NOTE, DATA_SHARING_PROXY_NOTE, DENOMINATOR_NOTE)
