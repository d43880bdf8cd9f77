"""The catalogue of published source families: which series a publisher releases.

A family is one publisher's series; each of its releases is a source whose id starts with the
family key (`unodc_glotip_2023`). The importers that read a family's files live in
`indicators/sources/`; this list sits below them and below `indicators/upload/`, so the upload
checks can tell a published figure from a contributed one without importing the importers.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl


@dataclass(frozen=True)
class PublishedFamily:
    key: str  # the start of every release's source id
    name: str  # as people say it: "UNODC GLOTIP"


UNODC_GLOTIP = PublishedFamily("unodc_glotip", "UNODC GLOTIP")
WALKFREE_GSI = PublishedFamily("walkfree_gsi", "Walk Free GSI")
WORLDBANK_POPULATION = PublishedFamily("worldbank_population", "World Bank population")
UNODC_SDG = PublishedFamily("unodc_sdg", "UNODC SDG data")

PUBLISHED: dict[str, PublishedFamily] = {
    f.key: f for f in (UNODC_GLOTIP, WALKFREE_GSI, WORLDBANK_POPULATION, UNODC_SDG)
}


def family_of(source_id: str) -> PublishedFamily | None:
    """The published family a source belongs to, or None (a contributed source)."""
    return next((f for f in PUBLISHED.values() if source_id.startswith(f.key + "_")), None)


def is_published(source_id: pl.Expr) -> pl.Expr:
    """True where a source id names a release of a published family."""
    return pl.any_horizontal(source_id.str.starts_with(f"{key}_") for key in PUBLISHED)
