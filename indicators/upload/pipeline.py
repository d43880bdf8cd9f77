"""One path for every contributed file: read → shape → validate → diff → commit.

Used by `indicators import` and the Upload page alike. Nothing is written before `commit`, and
`commit` writes the whole file in one transaction or nothing.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

import polars as pl

from indicators.problems import ERROR, WARNING, ImportRejected, Problem
from indicators.store import BatchMeta, Source, Store
from indicators.upload.read import read_table
from indicators.upload.shape import shape_long
from indicators.validate import validate_long


@dataclass
class Prepared:
    """A validated file, ready to preview and commit."""

    file_name: str
    sha256: str
    figures: pl.DataFrame  # the long frame, with _row and _column for messages
    sources: list[Source]
    diff: pl.DataFrame
    warnings: list[Problem] = field(default_factory=list)
    already_imported: dict[str, object] | None = None

    @property
    def counts(self) -> dict[str, int]:
        changes = self.diff["change"].value_counts()
        found = dict(zip(changes["change"].to_list(), changes["count"].to_list(), strict=True))
        return {k: int(found.get(k, 0)) for k in ("new", "changed", "unchanged")}


def prepare(data: bytes, file_name: str, store: Store) -> Prepared:
    """Read, shape and validate a file and diff it against the store. Writes nothing.

    Raises ImportRejected with every problem found when the file cannot be imported.
    """
    sha256 = hashlib.sha256(data).hexdigest()
    table = read_table(data, file_name)
    shaped = shape_long(table, file_name, store.country_aliases())
    errors = [p for p in shaped.problems if p.severity == ERROR]
    if errors:
        raise ImportRejected(shaped.problems)
    figures = shaped.figures
    validate_long(figures, file_name)
    if figures.height == 0:
        raise ImportRejected(
            [Problem("The file has no figures to import.",
                     "Fill in at least one row with a country, year, measure and value.",
                     file_name)]
        )
    diff = store.diff(figures)
    return Prepared(
        file_name=file_name,
        sha256=sha256,
        figures=figures,
        sources=shaped.sources,
        diff=diff,
        warnings=[p for p in shaped.problems if p.severity == WARNING],
        already_imported=store.find_committed_batch(sha256),
    )


def commit(
    prepared: Prepared,
    store: Store,
    *,
    kind: str,
    contributor: str | None,
    organisation: str | None,
) -> int:
    """Commit a prepared file as one batch; refuse a file that is already in the store."""
    if prepared.already_imported is not None or store.find_committed_batch(prepared.sha256):
        existing = prepared.already_imported or store.find_committed_batch(prepared.sha256) or {}
        raise ImportRejected(
            [Problem(
                f"This exact file was already imported as batch {existing.get('id')} "
                f"on {existing.get('created_at')}.",
                "Nothing was changed. To replace figures, upload a corrected file.",
                prepared.file_name,
            )]
        )
    meta = BatchMeta(
        kind=kind,
        file_name=prepared.file_name,
        sha256=prepared.sha256,
        contributor=contributor,
        organisation=organisation,
        rows_in_file=prepared.figures.height,
    )
    return store.commit_batch(meta, prepared.figures, prepared.sources)
