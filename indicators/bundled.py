"""Build or update the database from the published files in data/.

Idempotent: a source file already imported (same sha256, batch still committed) is skipped, so
running `indicators init` twice gives the same database. A new release of a file becomes a new
batch that supersedes the old figures without deleting them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from indicators.countries import AMBIGUOUS_NAMES, country_table, normalise_name
from indicators.measures import MEASURES
from indicators.sources import unodc_glotip, walkfree_gsi
from indicators.store import BatchMeta, Source, Store, file_sha256
from indicators.validate import validate_long


@dataclass(frozen=True)
class BundledSource:
    source: Source
    path: Path
    read: Callable[[Path], pl.DataFrame]
    to_long: Callable[[pl.DataFrame], pl.DataFrame]
    country_names: Callable[[pl.DataFrame], pl.DataFrame]


BUNDLED: tuple[BundledSource, ...] = (
    BundledSource(
        unodc_glotip.SOURCE,
        unodc_glotip.FILE,
        unodc_glotip.read_published,
        unodc_glotip.to_long,
        unodc_glotip.country_names,
    ),
    BundledSource(
        walkfree_gsi.SOURCE,
        walkfree_gsi.FILE,
        walkfree_gsi.read_published,
        walkfree_gsi.to_long,
        walkfree_gsi.country_names,
    ),
)


@dataclass(frozen=True)
class InitReport:
    source_id: str
    file_name: str
    batch_id: int | None
    figures: int
    skipped: bool


def measures_frame() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "name": [m.name for m in MEASURES.values()],
            "label": [m.label for m in MEASURES.values()],
            "unit": [m.unit for m in MEASURES.values()],
            "definition": [m.definition for m in MEASURES.values()],
            "used_by": [list(m.used_by) for m in MEASURES.values()],
        },
        schema_overrides={"used_by": pl.List(pl.String)},
    )


def countries_frame(extra_aliases: pl.DataFrame) -> pl.DataFrame:
    """The country list with every spelling the bundled sources use, except ambiguous ones."""
    base = country_table()
    names = pl.concat(
        [
            base.select("iso3", pl.col("name").alias("alias")),
            base.select("iso3", pl.col("official_name").alias("alias")),
            extra_aliases.select("iso3", "alias"),
        ]
    )
    names = names.with_columns(
        pl.col("alias").map_elements(normalise_name, return_dtype=pl.String)
    ).filter(~pl.col("alias").is_in(list(AMBIGUOUS_NAMES)) & (pl.col("alias") != ""))
    aliases = names.unique().sort("alias").group_by("iso3").agg(pl.col("alias").alias("aliases"))
    return base.join(aliases, on="iso3", how="left").select(
        "iso3", "name", "region", "subregion",
        pl.col("aliases").fill_null(pl.lit([], dtype=pl.List(pl.String))),  # e.g. Georgia
    )


def init_database(store: Store, sources: tuple[BundledSource, ...] = BUNDLED) -> list[InitReport]:
    """Load every bundled source not yet in the store; return what was done per source."""
    store.upsert_measures(measures_frame())
    published = {b.source.id: b.read(b.path) for b in sources}
    aliases = pl.concat([b.country_names(published[b.source.id]) for b in sources])
    store.upsert_countries(countries_frame(aliases))
    reports = []
    for bundled in sources:
        digest = file_sha256(bundled.path)
        existing = store.find_committed_batch(digest)
        if existing is not None:
            reports.append(
                InitReport(bundled.source.id, bundled.path.name, int(existing["id"]), 0, True)
            )
            continue
        long = validate_long(bundled.to_long(published[bundled.source.id]), bundled.path.name)
        source = Source(**{**bundled.source.__dict__, "sha256": digest})
        batch_id = store.commit_batch(
            BatchMeta(
                kind="bundled",
                file_name=bundled.path.name,
                sha256=digest,
                contributor="bundled data",
                organisation=bundled.source.publisher,
                rows_in_file=long.height,
                note=bundled.source.citation,
            ),
            long,
            [source],
        )
        reports.append(
            InitReport(bundled.source.id, bundled.path.name, batch_id, long.height, False)
        )
    return reports
