"""What every published source offers the loader: read a release, shape it, name it.

A *family* is one publisher's series (UNODC GLOTIP, Walk Free GSI, World Bank population). Each
release of it is its own source, with an id that starts with the family key
(`unodc_glotip_2023`, `unodc_glotip_2024`), and its own batch.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from indicators.sources.tables import SourceTable
from indicators.store import Source

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
    bundled: Source  # the release bundled in data/
    bundled_file: Path
    read: Callable[[Path], SourceTable]
    frame: Callable[[SourceTable], pl.DataFrame]
    shape: Callable[[pl.DataFrame, str], Shaped]
    country_names: Callable[[pl.DataFrame], pl.DataFrame]
    release_in_file: Callable[[SourceTable], str | None]
    release_source: Callable[[str, SourceTable], Source]

    def source_id(self, label: str) -> str:
        return f"{self.key}_{label}"

    def owns(self, source_id: str) -> bool:
        return source_id.startswith(self.key + "_")


def label_in_file_name(path: Path) -> str | None:
    """A date or year in the file's name: 'population_2025-07-01.csv' → '2025-07-01'."""
    found = re.search(r"(?<!\d)((?:19|20)\d{2}(?:-\d{2}-\d{2})?)(?!\d)", path.stem)
    return found.group(1) if found else None
