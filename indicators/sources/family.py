"""What every published source offers the loader: read a release, shape it, name it.

A *family* is one publisher's series (UNODC GLOTIP, Walk Free GSI, World Bank population). Each
release of it is its own source, with an id that starts with the family key
(`unodc_glotip_2023`, `unodc_glotip_2025`), and its own batch. data/ may bundle more than one
release of a family: the current one, and earlier ones loaded before it as its history.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import polars as pl

from indicators.catalogue import PublishedFamily
from indicators.store import Source
from indicators.tables.header import SourceTable

RELEASE_LABEL = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$")


@dataclass(frozen=True)
class Shaped:
    """A release as figures: the long frame, and what was left out and why (counts)."""

    long: pl.DataFrame
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class SourceFamily:
    key: str
    name: str  # as people say it: "UNODC GLOTIP"
    bundled: Source  # the current release bundled in data/
    bundled_file: Path
    read: Callable[[Path], SourceTable]
    frame: Callable[[SourceTable], pl.DataFrame]
    shape: Callable[[pl.DataFrame, str], Shaped]
    country_names: Callable[[pl.DataFrame], pl.DataFrame]
    release_in_file: Callable[[SourceTable], str | None]
    release_source: Callable[[str, SourceTable], Source]
    # Earlier releases bundled in data/ as the current one's history, oldest first.
    history: tuple[tuple[Source, Path], ...] = ()

    @property
    def bundled_releases(self) -> tuple[tuple[Source, Path], ...]:
        """Every release bundled in data/, in the order `indicators init` loads them: the
        history oldest first, the current release last."""
        return (*self.history, (self.bundled, self.bundled_file))

    def source_id(self, label: str) -> str:
        return f"{self.key}_{label}"

    def owns(self, source_id: str) -> bool:
        return source_id.startswith(self.key + "_")


def label_in_file_name(path: Path) -> str | None:
    """A date or year in the file's name: 'population_2025-07-01.csv' → '2025-07-01'."""
    found = re.search(r"(?<!\d)((?:19|20)\d{2}(?:-\d{2}-\d{2})?)(?!\d)", path.stem)
    return found.group(1) if found else None


# Dates in title rows: the pattern, and where year, month and day sit among its groups.
_TITLE_DATES = ((r"(\d{1,2})/(\d{1,2})/(\d{4})", (2, 1, 0)),  # 15/05/2025
                (r"(\d{4})-(\d{2})-(\d{2})", (0, 1, 2)))  # 2025-05-15


def date_in_title(table: SourceTable) -> dt.date | None:
    """The first date in the title rows above a table's header ('15/05/2025' or
    '2025-05-15'; a cell that only looks like one, such as '31/02/2025', is passed over)."""
    for row in table.above:
        for cell in row:
            for pattern, order in _TITLE_DATES:
                match = re.search(pattern, cell or "")
                if match is None:
                    continue
                parts = [int(g) for g in match.groups()]
                try:
                    return dt.date(*(parts[i] for i in order))
                except ValueError:
                    continue
    return None


def release_year_in_title(table: SourceTable) -> str | None:
    """The release year from the title rows ('30/05/2023' → '2023'), or None."""
    found = date_in_title(table)
    return str(found.year) if found else None


def aliases(published: pl.DataFrame, name_column: str,
            place: Callable[[pl.DataFrame], pl.Series]) -> pl.DataFrame:
    """Each name a source file gives a country (its ``name_column``) as an alias of the ISO3
    code ``place`` put it on (a Series named 'iso3', one row per row of the file): sorted, each
    pair once, rows not placed (aggregates, unknown names) left out. Empty when the file has no
    such column."""
    if name_column not in published.columns:
        return pl.DataFrame(schema={"iso3": pl.String, "alias": pl.String})
    return (
        published.select(pl.col(name_column).alias("alias"))
        .with_columns(place(published).alias("iso3"))
        .filter(pl.col("iso3").is_not_null() & pl.col("alias").is_not_null())
        .select("iso3", "alias")
        .unique()
        .sort("iso3", "alias")
    )


def family_in(module_name: str, published: PublishedFamily) -> SourceFamily:
    """The family whose importer is the module `module_name` (pass `__name__`): its bundled
    `SOURCE` and `FILE` (and `HISTORY`, earlier bundled releases, if it has any), and its
    functions `read`, `frame`, `shape`, `country_names`, `release_source` and
    `release_in_file` (by default, the year of the date in the title rows), under the
    catalogue's key and name."""
    module = sys.modules[module_name]
    return SourceFamily(
        key=published.key,
        name=published.name,
        bundled=module.SOURCE,
        bundled_file=module.FILE,
        read=module.read,
        frame=module.frame,
        shape=module.shape,
        country_names=module.country_names,
        release_in_file=getattr(module, "release_in_file", release_year_in_title),
        release_source=module.release_source,
        history=getattr(module, "HISTORY", ()),
    )


def release_of(family: PublishedFamily, bundled: Source, label: str, *, edition: str,
               citation: str, title: str | None = None) -> Source:
    """Another release of the family of the bundled source: the same publisher, address and
    licence, its own id, edition and citation, retrieved today."""
    return replace(bundled, id=f"{family.key}_{label}", title=title or bundled.title,
                   edition=edition, retrieved=dt.date.today().isoformat(), citation=citation)
