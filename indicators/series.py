"""Series, and the one written rule that picks the figure an indicator uses.

Every figure belongs to a series: the **official** series (the published releases of UNODC,
Walk Free and the World Bank, loaded by ``indicators init`` and ``indicators source load``) or
the **contributed** series of one organisation (its uploads, published once a second person
approved them). A contributed figure never replaces another series' figure: the store keeps the
current figure of every series, and this module picks, for each country, year and measure, the
one the indicators use:

1. the reader's chosen contributed series, where it has the figure (``prefer``);
2. else a contributed correction that a reviewer adopted (both names are on record);
3. else the official figure;
4. else, for a measure no official series publishes (victims reported, victims prosecuted, the
   data-sharing flag), the newest approved contributed figure.

A contributed figure of a measure the official series publishes is shown beside the official one
and used only by rule 1 or 2. Pure Polars: frames in, frame out.
"""

from __future__ import annotations

import polars as pl

from indicators.i18n import N_
from indicators.measures import MEASURES, base_measure

OFFICIAL = "official"
CONTRIBUTED = "contributed"
# Batch kinds whose figures are the official series; every other kind with figures is an
# organisation's contribution.
OFFICIAL_KINDS: tuple[str, ...] = ("bundled", "release")
UNNAMED = "Unnamed contributor"

# What each picked figure rests on (the ``basis`` column).
BASIS_OFFICIAL = "official"
BASIS_CONTRIBUTED = "contributed"  # a measure no official series publishes
BASIS_ADOPTED = "adopted correction"
BASIS_CHOSEN = "chosen series"
BASES: tuple[str, ...] = (BASIS_CHOSEN, BASIS_ADOPTED, BASIS_OFFICIAL, BASIS_CONTRIBUTED)

SOURCE_RULE = N_(
    "Each indicator uses the official figure (UNODC, Walk Free, World Bank) where one is "
    "published. A contributing organisation's figure is used for the measures no official series "
    "publishes (victims reported, victims prosecuted, cross-border data sharing), where a "
    "reviewer adopted it as a correction of the official figure, or where you choose that "
    "organisation's series. A contributed figure is public only after a second person approved it."
)

KEY = ("iso3", "year", "measure")


def unpublished_measures() -> frozenset[str]:
    """Measures no official series publishes: contributed series are their only source."""
    return frozenset(name for name, m in MEASURES.items() if not m.published)


def is_published_measure(measure: str) -> bool:
    """Whether an official series publishes this measure (breakdowns follow their base)."""
    found = MEASURES.get(base_measure(measure))
    return found.published if found is not None else True


def series_label(series_kind: str | None, series: str | None) -> str:
    """How a series is named to readers: 'official' or 'contributed by Test NGO'."""
    if series_kind == CONTRIBUTED:
        return f"contributed by {series or UNNAMED}"
    return OFFICIAL


def pick_figures(figures: pl.DataFrame, adoptions: pl.DataFrame | None = None, *,
                 prefer: str | None = None) -> pl.DataFrame:
    """One figure per country, year and measure, picked by the rule above.

    ``figures``: the current figure of every series (the store's long columns plus batch_id,
    ``series_kind`` and ``series``). ``adoptions``: rows of (batch_id, iso3, year, measure) a
    reviewer adopted. ``prefer``: a contributing organisation whose figures the reader asked for.
    Returns ``figures``' rows that were picked, in their order, with a ``basis`` column.
    """
    kinds = figures["series_kind"]
    adopted_keys = adoptions if adoptions is not None and adoptions.height else None
    if prefer is None and adopted_keys is None and (kinds == OFFICIAL).all():
        return figures.with_columns(pl.lit(BASIS_OFFICIAL).alias("basis"))
    unpublished = sorted(unpublished_measures())
    frame = figures.with_row_index("_order")
    if adopted_keys is not None:
        marks = adopted_keys.select(
            pl.col("batch_id").cast(frame["batch_id"].dtype), *(pl.col(k).cast(frame[k].dtype)
                                                                for k in KEY)
        ).unique().with_columns(pl.lit(True).alias("_adopted"))
        frame = frame.join(marks, on=["batch_id", *KEY], how="left", maintain_order="left")
    else:
        frame = frame.with_columns(pl.lit(None, pl.Boolean).alias("_adopted"))
    base = pl.col("measure").str.split("|").list.first()
    contributed = pl.col("series_kind") == CONTRIBUTED
    basis = (
        pl.when(contributed & (pl.col("series") == pl.lit(prefer)))
        .then(pl.lit(BASIS_CHOSEN))
        .when(contributed & pl.col("_adopted").fill_null(False))
        .then(pl.lit(BASIS_ADOPTED))
        .when(~contributed)
        .then(pl.lit(BASIS_OFFICIAL))
        .when(base.is_in(unpublished))
        .then(pl.lit(BASIS_CONTRIBUTED))
        .otherwise(pl.lit(None, pl.String))
    )
    rank = (pl.when(pl.col("basis") == BASIS_CHOSEN).then(0)
            .when(pl.col("basis") == BASIS_ADOPTED).then(1)
            .when(pl.col("basis") == BASIS_OFFICIAL).then(2)
            .otherwise(3))
    picked = (
        frame.with_columns(basis.alias("basis"))
        .filter(pl.col("basis").is_not_null())
        .with_columns(rank.alias("_rank"))
        .sort(["_rank", "batch_id"], descending=[False, True])
        .unique(subset=list(KEY), keep="first")
        .sort("_order")
    )
    return picked.drop("_order", "_adopted", "_rank")


def with_basis(figures: pl.DataFrame, adoptions: pl.DataFrame | None = None) -> pl.DataFrame:
    """Every series' figure, each with the ``basis`` it has in the indicators when the rule
    picks it, null when it is only shown beside the picked one (exports list both)."""
    picked = pick_figures(figures, adoptions).select(*KEY, "series_kind", "series", "basis")
    return figures.join(picked, on=[*KEY, "series_kind", "series"], how="left",
                        maintain_order="left")


def beside_official(figures: pl.DataFrame) -> pl.DataFrame:
    """The contributed figures of measures the official series publishes, each with the official
    figure of the same key beside it (``official_value``, null where there is none): what a
    page shows as 'Test NGO reports 9,000 (their casework)'."""
    contributed = figures.filter(pl.col("series_kind") == CONTRIBUTED)
    official = figures.filter(pl.col("series_kind") == OFFICIAL).select(
        *KEY, pl.col("value").alias("official_value"),
        pl.col("value_status").alias("official_value_status"),
        pl.col("source_id").alias("official_source_id"))
    return contributed.join(official, on=list(KEY), how="left", maintain_order="left")
