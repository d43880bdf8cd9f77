"""One path for every contributed file: read → shape → validate → diff → commit.

Used by `indicators import` and the Upload page alike. `prepare` writes nothing; it either
returns a `Prepared` file to preview, or raises `ImportRejected` with every problem found at
once. `commit` writes the whole file in one transaction, or nothing.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field

import polars as pl

from indicators.auth import Contributor, country_problems
from indicators.i18n import N_
from indicators.problems import ERROR, WARNING, ImportRejected, Problem, said
from indicators.store import BatchMeta, DataVersion, Source, Store
from indicators.tables.read import ReadInfo, read_table
from indicators.upload.checks import (
    above_population,
    plausibility_warnings,
    resolve_duplicates,
)
from indicators.upload.numbers import DecimalMark
from indicators.upload.shape import Layout, shape_long
from indicators.validate import validate_long

UPLOAD_KINDS = ("upload", "cli")


@dataclass
class Prepared:
    """A validated file, ready to preview and commit."""

    file_name: str
    sha256: str
    figures: pl.DataFrame  # the long frame, with _row, _column and _raw for messages
    sources: list[Source]
    diff: pl.DataFrame
    warnings: list[Problem] = field(default_factory=list)
    already_imported: dict[str, object] | None = None
    # the last time this organisation sent this exact file and a reviewer rejected it: id,
    # reviewed_at, reviewed_by, review_note (``Store.find_rejected_batch``)
    rejected_before: dict[str, object] | None = None
    info: ReadInfo | None = None
    layout: Layout | None = None
    decimal: DecimalMark | None = None
    diff_version: DataVersion | None = None  # the data version the diff was taken at

    @property
    def counts(self) -> dict[str, int]:
        changes = self.diff["change"].value_counts()
        found = dict(zip(changes["change"].to_list(), changes["count"].to_list(), strict=True))
        return {k: int(found.get(k, 0)) for k in ("new", "changed", "unchanged")}

    @property
    def nothing_to_import(self) -> bool:
        counts = self.counts
        return counts["new"] + counts["changed"] == 0

    def reading_notes(self) -> list[str]:
        """How the file was understood, in sentences for the preview."""
        notes = []
        if self.info is not None:
            notes.append(self.info.describe())
        if self.layout is not None:
            if self.layout.header_row > 1:
                notes.append(said(N_("The header is on row {row}; the rows above it were not "
                                     "read."), row=self.layout.header_row))
            if self.layout.kind == "long":
                notes.append(said(N_("Layout: long template, one figure per row.")))
            else:
                measures = ", ".join(self.layout.measure_columns.values())
                notes.append(said(N_("Layout: wide template, one column per measure "
                                     "({measures})."), measures=measures))
        separators = self.figures["_raw"].str.contains(r"\d[.,\s']\d").any()
        if self.decimal is not None and separators and (
                self.info is None or self.info.kind == "csv"):
            notes.append(self.decimal.describe())
        return notes


def sort_problems(problems: list[Problem]) -> list[Problem]:
    """Errors first, then warnings; each by row as the spreadsheet numbers them."""
    return sorted(problems, key=lambda p: (p.severity != ERROR, p.row or 0))


@contextmanager
def _stage(seconds: dict[str, float] | None, name: str) -> Iterator[None]:
    start = time.perf_counter()
    try:
        yield
    finally:
        if seconds is not None:
            seconds[name] = seconds.get(name, 0.0) + time.perf_counter() - start


def prepare(data: bytes, file_name: str, store: Store, *,
            organisation: str | None = None,
            person: Contributor | None = None,
            limit_bytes: int | None = None,
            stage_seconds: dict[str, float] | None = None) -> Prepared:
    """Read, shape and validate a file and diff it against the store. Writes nothing.

    The diff compares each figure with ``organisation``'s own published series (a contributed
    figure never replaces another series' figure) and shows the official figure beside it.

    Raises ImportRejected with every problem found (errors and warnings) when the file
    cannot be imported. `stage_seconds`, when given, is filled with the seconds each stage
    took (read, shape, duplicates, validate, plausibility, diff): the import benchmark's
    profile.
    """
    with ThreadPoolExecutor(max_workers=1) as pool:
        # hashlib lets go of the interpreter while it hashes, so the file's fingerprint is
        # computed while the file is read and shaped.
        fingerprint = pool.submit(lambda: hashlib.sha256(data).hexdigest())
        with _stage(stage_seconds, "read"):
            grid = read_table(data, file_name, limit_bytes=limit_bytes)
        with _stage(stage_seconds, "shape"):
            shaped = shape_long(grid, file_name, store.country_aliases())
        problems = [*grid.warnings, *shaped.problems]
        with _stage(stage_seconds, "duplicates"):
            figures, repeated = resolve_duplicates(shaped.figures, file_name)
        problems.extend(repeated)
        problems.extend(country_problems(person, figures, file_name))
        if figures.height:
            with _stage(stage_seconds, "validate"):
                try:
                    validate_long(figures, file_name, keys_resolved=True)
                except ImportRejected as rejected:
                    problems.extend(rejected.problems)
            with _stage(stage_seconds, "plausibility"):
                current = store.observations()
                problems.extend(above_population(figures, current, file_name))
                problems.extend(plausibility_warnings(figures, current, file_name))
        errors = [p for p in problems if p.severity == ERROR]
        if not errors and figures.height == 0 and shaped.layout is not None:
            problems.append(Problem(
                N_("The file has no figures to import."),
                N_("Fill in at least one row with a country, year, measure, value and source."),
                file_name))
            errors = problems
        if errors:
            raise ImportRejected(sort_problems(problems))
        if organisation is None and person is not None and person.organisation:
            organisation = person.organisation
        with _stage(stage_seconds, "diff"):
            diff, diff_version = store.diff_with_version(figures, organisation=organisation)
        sha256 = fingerprint.result()
    return Prepared(
        file_name=file_name,
        sha256=sha256,
        figures=figures,
        sources=shaped.sources,
        diff=diff,
        warnings=sort_problems([p for p in problems if p.severity == WARNING]),
        already_imported=store.find_committed_batch(sha256),
        rejected_before=store.find_rejected_batch(sha256, organisation),
        info=grid.info,
        layout=shaped.layout,
        decimal=shaped.decimal,
        diff_version=diff_version,
    )


def commit(
    prepared: Prepared,
    store: Store,
    *,
    kind: str,
    contributor: str | None,
    organisation: str | None,
) -> int:
    """Submit a prepared file as one batch for review (an organisation's file) or publish it;
    refuse a file that is already in the store. Raises PreviewOutdated, writing nothing, when
    the figures the preview compared against changed since ``prepare``."""
    existing = store.find_committed_batch(prepared.sha256)
    if existing is not None:
        raise ImportRejected([Problem(
            said(N_("This exact file was already imported as batch {batch} on {when}."),
                 batch=existing.get('id'), when=existing.get('created_at')),
            N_("Nothing was changed. To correct figures, upload a corrected file."),
            prepared.file_name,
        )])
    if prepared.nothing_to_import:
        raise ImportRejected([Problem(
            N_("Every figure in this file is already in the database with the same value."),
            N_("Nothing was changed; there is nothing new to import."),
            prepared.file_name,
        )])
    meta = BatchMeta(
        kind=kind,
        file_name=prepared.file_name,
        sha256=prepared.sha256,
        contributor=contributor,
        organisation=organisation,
        rows_in_file=prepared.figures.height,
    )
    return store.commit_batch(meta, prepared.figures, prepared.sources, expected=prepared.diff,
                              expected_version=prepared.diff_version)
