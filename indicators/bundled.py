"""Load published releases into the store: the bundled files in data/, and new releases.

`indicators init` loads the releases of each source bundled in data/ (UNODC GLOTIP, Walk Free
GSI, World Bank population; for UNODC the 30 May 2023 release, then the current one of 14 April
2025, so that its revision report is in the history; then UNODC's SDG data set, SDG 16.2.2 as
its custodian publishes it); `indicators source load FAMILY FILE`
loads another release of one of them. Both go the same way: read the file (header found by its
column names), shape it into figures, validate them, compare them with the figures the family
has now (a revision report), and write the new and revised ones, and a withdrawal for each
figure the release no longer has, as one batch. The same file twice changes nothing; a release
can be rolled back like any batch.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

import polars as pl

from indicators.countries import AMBIGUOUS_NAMES, country_table, normalise_name
from indicators.measures import MEASURES
from indicators.problems import ImportRejected, Problem
from indicators.releases import (
    KEYS,
    RevisionReport,
    batch_revisions,
    family_figures,
    revision_report,
    to_write,
)
from indicators.schema import PublishedObservations, to_long_frame
from indicators.sources import unodc_glotip, unodc_sdg, walkfree_gsi, worldbank_population
from indicators.sources.family import RELEASE_LABEL, SourceFamily, label_in_file_name
from indicators.store import BatchMeta, Source, Store, file_sha256
from indicators.tables.header import SourceTable
from indicators.validate import validate_long

# The families bundled from the start, loaded in rounds (below); then the families bundled
# later, each after all of those, so that a database made before a family was bundled and a
# fresh one get the same batch numbers.
_FIRST_FAMILIES = (unodc_glotip.FAMILY, walkfree_gsi.FAMILY, worldbank_population.FAMILY)
_LATER_FAMILIES = (unodc_sdg.FAMILY,)
FAMILIES: dict[str, SourceFamily] = {f.key: f for f in (*_FIRST_FAMILIES, *_LATER_FAMILIES)}


@dataclass(frozen=True)
class BundledSource:
    """A release of a source family bundled in data/ (the current one or an earlier one)."""

    source: Source
    path: Path
    family: SourceFamily


# In rounds: each family's first bundled release, then each family's next one. A database made
# when data/ held one release per source (1 UNODC 2023, 2 Walk Free, 3 World Bank) gets UNODC's
# 2025 release as batch 4 on its next init, and a fresh one gets the same batches. UNODC's SDG
# data set, bundled later, comes after them all (batch 5).
BUNDLED: tuple[BundledSource, ...] = tuple(
    BundledSource(*f.bundled_releases[rank], f)
    for rank in range(max(len(f.bundled_releases) for f in _FIRST_FAMILIES))
    for f in _FIRST_FAMILIES if rank < len(f.bundled_releases)
) + tuple(BundledSource(*release, f) for f in _LATER_FAMILIES for release in f.bundled_releases)



@dataclass(frozen=True)
class InitReport:
    source_id: str
    file_name: str
    batch_id: int | None
    figures: int
    skipped: bool
    reason: str = ""


@dataclass(frozen=True)
class LoadResult:
    """What loading one release did. status: loaded, already_loaded (this exact file),
    no_change (every figure already there), dry_run, or superseded (init only: a later
    release of the family is loaded, the bundled one is not laid over it)."""

    family: str
    source: Source
    file_name: str
    status: str
    figures: int = 0  # figures in the release
    written: int = 0  # rows written (new, revised, withdrawals)
    batch_id: int | None = None
    report: RevisionReport | None = None
    notes: tuple[str, ...] = ()


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
    """Load every bundled release of every source, in order; return what was done per release.

    Idempotent: a release whose figures are all in the store already is skipped, so running it
    twice gives the same database. A database built by an older version of the importers gets
    what they left out (breakdowns, renamed measures, a release bundled since) as one more batch
    per release. A bundled release is never laid over a later release of its family loaded
    since (the 2023 UNODC release is not laid again over the 2025 one).
    """
    store.upsert_measures(measures_frame())
    tables = {b.source.id: b.family.read(b.path) for b in sources}
    frames, names = {}, []
    for b in sources:
        with _problems_name(b.path.name):
            frames[b.source.id] = b.family.frame(tables[b.source.id])
            names.append(b.family.country_names(frames[b.source.id]))
    aliases = pl.concat(names)
    store.upsert_countries(countries_frame(aliases))
    reports = []
    # A family's figures depend on its own releases only, so one read serves every family,
    # until a release is written: the next release of its family is compared with it.
    history, batches = store.observations(history=True), store.batches()
    for bundled in sources:
        family = bundled.family
        result = load_release(
            store, family, bundled.path, label=bundled.source.id.removeprefix(family.key + "_"),
            kind="bundled", table=tables[bundled.source.id], frame=frames[bundled.source.id],
            history=history, batches=batches,
        )
        skipped = result.status != "loaded"
        if not skipped:
            history, batches = store.observations(history=True), store.batches()
        reports.append(InitReport(bundled.source.id, bundled.path.name, result.batch_id,
                                  0 if skipped else result.figures, skipped, result.status))
    return reports


def load_release(
    store: Store,
    family: SourceFamily,
    path: str | Path,
    *,
    label: str | None = None,
    kind: str = "release",
    dry_run: bool = False,
    contributor: str | None = None,
    table: SourceTable | None = None,
    frame: pl.DataFrame | None = None,
    history: pl.DataFrame | None = None,
    batches: pl.DataFrame | None = None,
) -> LoadResult:
    """Load one release of a family as its own source and batch, with its revision report.

    Raises ImportRejected (one plain sentence naming the file and the problem) when the file
    cannot be read or named; nothing is written then.
    """
    path = Path(path)
    bundled = kind == "bundled"
    if not path.is_file():
        raise ImportRejected([Problem(f"There is no file at {path}.",
                                      "Check the path and try again.", path.name)])
    digest = file_sha256(path)
    if not bundled:
        existing = store.find_committed_batch(digest)
        if existing is not None:
            return LoadResult(family.key, family.bundled, path.name, "already_loaded",
                              batch_id=int(existing["id"]))  # type: ignore[arg-type]
    table = table if table is not None else family.read(path)
    label = label or family.release_in_file(table) or label_in_file_name(path)
    if not label:
        raise ImportRejected([Problem(
            "The file does not say which release it is.",
            "Name it with --release, for example --release 2024 (the release's year or date).",
            path.name)])
    if not RELEASE_LABEL.match(label):
        raise ImportRejected([Problem(
            f"'{label}' cannot name a release.",
            "Use letters, digits, '.', '-' or '_' (up to 40), for example 2024 or 2024-06-30.",
            path.name)])
    # A file bundled in data/ is that bundled release, whatever copy of it is there.
    named = (_bundled_source(family, label) if bundled
             else family.release_source(label, table))
    source = replace(named, sha256=digest)
    history = history if history is not None else store.observations(history=True)
    batches = batches if batches is not None else store.batches()
    previous = family_figures(history, batches, family.key)
    if bundled and _later_release_loaded(previous, family, source.id):
        return LoadResult(family.key, source, path.name, "superseded")
    if not bundled:
        _refuse_name_clash(store, source, path.name)
    with _problems_name(path.name):
        frame = frame if frame is not None else family.frame(table)
        shaped = family.shape(frame, source.id)
    long = to_long_frame(shaped.long)
    report = revision_report(previous, long)
    # Only the figures to be written need checking: the others are in the store already.
    changed = report.figures.filter(pl.col("change").is_in(["new", "revised"])).select(KEYS)
    if changed.height:
        validate_long(shaped.long.join(changed, on=KEYS, how="semi"), path.name,
                      PublishedObservations)
    owner = previous.head(0)
    if report.counts()["withdrawn"]:
        owner = store.observations(series="official").filter(
            pl.col("source_id").str.starts_with(family.key + "_"))
    rows = to_write(report, long, owner, source.id)
    status = "dry_run" if dry_run else "loaded"
    if rows.is_empty():
        status = "no_change"
    if status != "loaded":
        return LoadResult(family.key, source, path.name, status, long.height, rows.height,
                          None, report, shaped.notes)
    batch_id = store.commit_batch(
        BatchMeta(
            kind=kind,
            file_name=path.name,
            sha256=digest,
            contributor=contributor or ("bundled data" if bundled else None),
            organisation=source.publisher,
            rows_in_file=long.height,
            note=source.citation,
        ),
        rows,
        [source],
        keep_unchanged=True,
        same_file_again=bundled,
    )
    return LoadResult(family.key, source, path.name, "loaded", long.height, rows.height,
                      batch_id, report, shaped.notes)


def _bundled_source(family: SourceFamily, label: str) -> Source:
    """The bundled release of a family with this label (the current one if none matches)."""
    return next((source for source, _ in family.bundled_releases
                 if source.id == family.source_id(label)), family.bundled)


@contextmanager
def _problems_name(file_name: str) -> Iterator[None]:
    """Problems found while shaping a file name that file."""
    try:
        yield
    except ImportRejected as rejected:
        raise ImportRejected([p if p.file else replace(p, file=file_name)
                              for p in rejected.problems]) from None


def _later_release_loaded(previous: pl.DataFrame, family: SourceFamily, source_id: str) -> bool:
    """Whether the family's latest batch is a release other than this bundled one and the
    bundled ones before it (a later bundled release, or one loaded with `source load`)."""
    if previous.is_empty():
        return False
    ids = [source.id for source, _ in family.bundled_releases]
    up_to_this = ids[:ids.index(source_id) + 1] if source_id in ids else [source_id]
    latest = previous.sort("batch_id").row(-1, named=True)
    return latest["source_id"] not in up_to_this


def _refuse_name_clash(store: Store, source: Source, file_name: str) -> None:
    """Two different files must not share a release name: their figures would cite one
    source row."""
    known = store.sources().filter(pl.col("id") == source.id)
    if known.is_empty() or known["sha256"][0] in (None, source.sha256):
        return
    history = store.observations(history=True).filter(pl.col("source_id") == source.id)
    live = store.batches().filter(pl.col("status") == "committed").join(
        history.select(pl.col("batch_id").cast(pl.Int64).alias("id")).unique(), on="id",
        how="semi")
    if live.is_empty():
        return
    raise ImportRejected([Problem(
        f"A release named '{source.id}' is already loaded from another file.",
        "Give this one its own name with --release (for example --release 2024-06-30).",
        file_name)])


def releases_frame(store: Store) -> pl.DataFrame:
    """Every loaded release: family, source id, edition, its batches and their status, how many
    figures it wrote and how many of the current figures come from it."""
    history = store.observations(history=True)
    batches = store.batches()
    current = store.observations(series="official")
    sources = store.sources()
    families = list(FAMILIES)
    written = history.group_by("source_id", "batch_id").agg(pl.len().alias("written")).join(
        batches.select(pl.col("id").cast(history["batch_id"].dtype).alias("batch_id"),
                       "status", "created_at", "kind"), on="batch_id", how="left")
    current_counts = current.group_by("source_id").agg(pl.len().alias("current"))
    rows = []
    for source in sources.iter_rows(named=True):
        family = next((f for f in families if source["id"].startswith(f + "_")), None)
        if family is None:
            continue
        mine = written.filter(pl.col("source_id") == source["id"]).sort("batch_id")
        cur = current_counts.filter(pl.col("source_id") == source["id"])
        for batch in mine.iter_rows(named=True):
            rows.append({
                "family": family,
                "source_id": source["id"],
                "edition": source["edition"],
                "batch": int(batch["batch_id"]),
                "status": batch["status"],
                "loaded": str(batch["created_at"]),
                "written": int(batch["written"]),
                "current": int(cur["current"][0]) if cur.height else 0,
            })
    schema = {"family": pl.String, "source_id": pl.String, "edition": pl.String,
              "batch": pl.Int64, "status": pl.String, "loaded": pl.String,
              "written": pl.Int64, "current": pl.Int64}
    return pl.DataFrame(rows, schema=schema).sort("family", "batch")


def release_report(store: Store, batch_id: int) -> RevisionReport | None:
    """The revision report of a batch that loaded a published release (for the History page);
    None for other batches (uploads, rollbacks)."""
    history = store.observations(history=True)
    written = history.filter(pl.col("batch_id") == batch_id)["source_id"].unique().to_list()
    family = next((f for f in FAMILIES.values() if any(f.owns(s) for s in written)), None)
    if family is None:
        return None
    return batch_revisions(history, store.batches(), batch_id, family.key)
