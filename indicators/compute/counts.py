"""The counts: victims prosecuted (indicator 5), and the countries sharing data
(indicator 3: a country's own flag, or its reports to UNODC GLOTIP as the proxy).
"""

from __future__ import annotations

import polars as pl

from indicators.compute.frame import (
    _GLOTIP_PROXY_MEASURE,
    _INDEX_TYPE,
    _cell_year,
    _detail,
    _figure,
    _Layout,
    _prefixed,
)
from indicators.measures import GLOTIP_MEASURES
from indicators.settings import IndicatorSettings


def _count_parts(figures: pl.LazyFrame, measure: str, layout: _Layout,
                 detail: bool) -> pl.LazyFrame:
    return figures.select(
        "present",
        pl.col("value").alias("num_value"),
        pl.col("lower").alias("num_lower"),
        pl.col("upper").alias("num_upper"),
        pl.lit(None, dtype=pl.Float64).alias("den_value"),
        pl.lit(None, dtype=pl.Float64).alias("den_lower"),
        pl.lit(None, dtype=pl.Float64).alias("den_upper"),
        pl.lit(None, dtype=pl.Int32).alias("denominator_year"),
        pl.lit(False).alias("proxied"),
        pl.lit(None, dtype=pl.String).alias("note"),
        pl.col("cid").alias("cid1"),
        pl.lit(None, dtype=_INDEX_TYPE).alias("cid2"),
        *_detail(detail, _figure("", pl.lit(measure), _cell_year(layout)), None, pl.lit(1)),
    )


def _data_sharing_parts(figures: dict[str, pl.LazyFrame], settings: IndicatorSettings,
                        layout: _Layout, detail: bool) -> pl.LazyFrame:
    """The country's own flag; else (proxies on) 1 when it reported to UNODC GLOTIP that year:
    the count of its national totals that year, citing the first one's source.

    A country that did not report is not counted as 0: it has no data for that year.
    """
    flags = figures["data_sharing_active"]
    if not settings.use_proxies:
        return _count_parts(flags, "data_sharing_active", layout, detail)
    wanted = ["present", "glotip", "row", "cid", *(["source"] if detail else [])]
    joined = pl.concat(
        [_prefixed(flags, "f_"),
         *(_prefixed(figures[m].select(wanted), f"g{i}_") for i, m in enumerate(GLOTIP_MEASURES))],
        how="horizontal",
    )
    glotip = range(len(GLOTIP_MEASURES))
    joined = joined.with_columns(
        pl.when(pl.col(f"g{i}_present") & pl.col(f"g{i}_glotip")).then(pl.col(f"g{i}_row"))
        .alias(f"g{i}_hit") for i in glotip
    ).with_columns(
        pl.min_horizontal(f"g{i}_hit" for i in glotip).alias("first"),
        pl.sum_horizontal(pl.col(f"g{i}_hit").is_not_null().cast(pl.Int32) for i in glotip)
        .cast(pl.Float64).alias("totals"),
    ).with_columns(
        (~pl.col("f_present") & (pl.col("totals") > 0)).alias("proxied"),
        *(pl.coalesce([pl.when(pl.col(f"g{i}_hit") == pl.col("first"))
                       .then(pl.col(f"g{i}_{field}")) for i in glotip]).alias(f"first_{field}")
          for field in wanted[3:]),
    )

    def first_of(field: str) -> pl.Expr:
        return pl.col(f"first_{field}")

    totals = pl.col("totals")
    flag = pl.col("f_present")
    proxied = pl.col("proxied")
    one = pl.lit(1.0)
    return joined.select(
        (flag | proxied).alias("present"),
        *(pl.when(flag).then(pl.col(f"f_{c}")).when(proxied).then(one).alias(f"num_{c}")
          for c in ("value", "lower", "upper")),
        pl.lit(None, dtype=pl.Float64).alias("den_value"),
        pl.lit(None, dtype=pl.Float64).alias("den_lower"),
        pl.lit(None, dtype=pl.Float64).alias("den_upper"),
        pl.lit(None, dtype=pl.Int32).alias("denominator_year"),
        proxied.alias("proxied"),
        pl.lit(None, dtype=pl.String).alias("note"),
        pl.when(flag).then(pl.col("f_cid")).when(proxied).then(first_of("cid")).alias("cid1"),
        pl.lit(None, dtype=_INDEX_TYPE).alias("cid2"),
        *_detail(detail, {
            "measure": pl.when(flag).then(pl.lit("data_sharing_active"))
            .otherwise(pl.lit(_GLOTIP_PROXY_MEASURE)),
            "year": _cell_year(layout),
            "value": pl.when(flag).then(pl.col("f_value")).otherwise(totals),
            "status": pl.when(flag).then(pl.col("f_value_status")).otherwise(pl.lit("reported")),
            "lower": pl.when(flag).then(pl.col("f_lower")).otherwise(totals),
            "upper": pl.when(flag).then(pl.col("f_upper")).otherwise(totals),
            "source": pl.when(flag).then(pl.col("f_source")).otherwise(first_of("source")),
        } if detail else {}, None, pl.lit(1)),
    )
