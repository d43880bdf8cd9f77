"""Releases of a published source, and what a new release revised: pure functions.

Each release of a publisher's series (UNODC GLOTIP, Walk Free GSI, World Bank population) is its
own source (`unodc_glotip_2023`, `unodc_glotip_2024`) and its own batch. A family's figures are,
per country, year and measure, the latest figure any of its committed releases published,
unless a later release withdrew it. A new release is compared with them figure by figure:

- new: the release has a figure the family did not have;
- revised: the release has a different value, status or bounds (old → new);
- withdrawn: the family had a figure the release no longer has;
- unchanged: the same figure again.

Only new and revised figures are written, plus a 'withdrawn' row (no value) for each withdrawn
figure, so rolling the release back restores exactly what was there before. An unchanged
figure keeps the release that first published it.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from indicators.columns import LONG_COLUMNS
from indicators.i18n import (
    ENGLISH,
    N_,
    context_translator,
    country_name,
    localise_value,
    translator,
)
from indicators.measures import (
    BREAKDOWN_SEPARATOR,
    DIMENSIONS,
    MEASURES,
    WITHDRAWN_STATUS,
    group_label,
    measure_group,
    measure_label,
)

KEYS = ["iso3", "year", "measure"]
CHANGES = ("new", "revised", "withdrawn", "unchanged")
_FIGURE = ["value", "value_status", "lower", "upper"]


@dataclass(frozen=True)
class RevisionReport:
    """What a release changed: one row per figure (`figures`), counts per measure
    (`by_measure`), and the figures it revised most."""

    figures: pl.DataFrame
    by_measure: pl.DataFrame

    def counts(self) -> dict[str, int]:
        return {change: int(self.by_measure[change].sum()) for change in CHANGES}

    def largest(self, n: int = 10, *, relative: bool = False) -> pl.DataFrame:
        return largest_revisions(self.figures, n, relative=relative)


def family_figures(
    history: pl.DataFrame,
    batches: pl.DataFrame,
    family_key: str,
    *,
    before_batch: int | None = None,
) -> pl.DataFrame:
    """The figures a family publishes now (or just before `before_batch`): per country, year
    and measure the latest one in a committed batch from any of its releases, unless that
    latest one is a withdrawal.

    `history`: every stored figure with batch_id and source_id (Store.observations(history=
    True)); `batches`: id and status (Store.batches()).
    """
    committed = batches.filter(pl.col("status") == "committed").select(
        pl.col("id").cast(pl.Int64).alias("batch_id"))
    rows = history.with_columns(pl.col("batch_id").cast(pl.Int64)).join(
        committed, on="batch_id", how="semi").filter(
        pl.col("source_id").str.starts_with(family_key + "_"))
    if before_batch is not None:
        rows = rows.filter(pl.col("batch_id") < before_batch)
    latest = rows.sort("batch_id", descending=True).unique(KEYS, keep="first")
    return latest.filter(pl.col("value_status") != WITHDRAWN_STATUS).select(
        *LONG_COLUMNS, "batch_id").sort(KEYS)


def current_figures(history: pl.DataFrame, batches: pl.DataFrame) -> pl.DataFrame:
    """Every family's and uploader's figures together: what the store shows as current."""
    committed = batches.filter(pl.col("status") == "committed").select(
        pl.col("id").cast(pl.Int64).alias("batch_id"))
    rows = history.with_columns(pl.col("batch_id").cast(pl.Int64)).join(
        committed, on="batch_id", how="semi")
    latest = rows.sort("batch_id", descending=True).unique(KEYS, keep="first")
    return latest.filter(pl.col("value_status") != WITHDRAWN_STATUS)


def compare(previous: pl.DataFrame, incoming: pl.DataFrame) -> pl.DataFrame:
    """Each figure of either frame with its old and new value and its change (CHANGES)."""
    old = previous.select(*KEYS, *[pl.col(c).alias(f"old_{c}") for c in _FIGURE],
                          pl.col("source_id").alias("old_source_id"))
    new = incoming.select(*KEYS, *[pl.col(c).alias(f"new_{c}") for c in _FIGURE])
    joined = old.join(new, on=KEYS, how="full", coalesce=True)
    same = pl.all_horizontal(
        pl.col(f"old_{c}").eq_missing(pl.col(f"new_{c}")) for c in _FIGURE)
    return joined.with_columns(
        pl.when(pl.col("old_value_status").is_null()).then(pl.lit("new"))
        .when(pl.col("new_value_status").is_null()).then(pl.lit("withdrawn"))
        .when(same).then(pl.lit("unchanged"))
        .otherwise(pl.lit("revised"))
        .alias("change")
    ).with_columns(_change_size()).sort(KEYS)


def _change_size() -> list[pl.Expr]:
    """The least a revision can have changed a figure: ranges ('<5' is 1–4) count from their
    nearest ends, so '<5' → 3 is no certain change (0). Relative to the old figure's nearer
    end; empty when that is 0."""
    old_low = pl.coalesce("old_lower", "old_value")
    old_high = pl.coalesce("old_upper", "old_value")
    new_low = pl.coalesce("new_lower", "new_value")
    new_high = pl.coalesce("new_upper", "new_value")
    revised = pl.col("change") == "revised"
    up = new_low - old_high
    down = new_high - old_low
    absolute = (
        pl.when(~revised).then(None)
        .when(up > 0).then(up)
        .when(down < 0).then(down)
        .otherwise(0.0)
    )
    base = pl.when(up > 0).then(old_high).otherwise(old_low)
    relative = pl.when(revised & (base > 0)).then(absolute / base)
    return [absolute.alias("change_absolute"), relative.alias("change_relative")]


def revision_report(previous: pl.DataFrame, incoming: pl.DataFrame) -> RevisionReport:
    """Compare a family's figures with a new release's: per figure and per measure."""
    figures = compare(previous, incoming)
    return RevisionReport(figures, counts_by_measure(figures))


def counts_by_measure(figures: pl.DataFrame) -> pl.DataFrame:
    """new / revised / withdrawn / unchanged per measure; a breakdown counts under its measure
    and dimensions ('victims_detected|sex|age'), so the table stays short."""
    groups = {m: measure_group(m) for m in figures["measure"].unique().to_list()}
    grouped = figures.with_columns(
        pl.col("measure").replace_strict(groups, return_dtype=pl.String).alias("group"))
    counts = grouped.group_by("group").agg(
        (pl.col("change") == change).sum().cast(pl.Int64).alias(change) for change in CHANGES)
    labels = {g: group_label(g) for g in counts["group"].to_list()}
    measures, dimensions = list(MEASURES), list(DIMENSIONS)

    def order(group: str) -> str:
        """The catalogue's order of measures, each total first, then its breakdowns by how
        many dimensions they have and in the order of DIMENSIONS."""
        base, *keys = group.split("|")
        position = measures.index(base) if base in measures else len(measures)
        return f"{position:03d}{len(keys)}" + "".join(str(dimensions.index(k)) for k in keys)

    return counts.with_columns(
        pl.col("group").replace_strict(labels, return_dtype=pl.String).alias("label"),
        pl.sum_horizontal(CHANGES).alias("figures"),
        pl.col("group").replace_strict({g: order(g) for g in labels}, return_dtype=pl.String)
        .alias("_order"),
    ).sort("_order").select(pl.col("group").alias("measure"), "label", *CHANGES, "figures")


def largest_revisions(figures: pl.DataFrame, n: int = 10, *,
                      relative: bool = False) -> pl.DataFrame:
    """The n revisions that moved a figure most (absolute, or relative to the old figure)."""
    column = "change_relative" if relative else "change_absolute"
    revised = figures.filter((pl.col("change") == "revised") & pl.col(column).is_not_null())
    return revised.sort(pl.col(column).abs(), *KEYS, descending=[True, False, False, False],
                        nulls_last=True).head(n)


def to_write(report: RevisionReport, incoming: pl.DataFrame, current_owner: pl.DataFrame,
             source_id: str) -> pl.DataFrame:
    """The rows a release writes: its new and revised figures, and a withdrawal for each figure
    it no longer has, where that figure is still the one shown (`current_owner`: the keys whose
    current figure comes from this family). A figure another source has since replaced is left
    as it is."""
    changed = report.figures.filter(pl.col("change").is_in(["new", "revised"])).select(KEYS)
    figures = incoming.join(changed, on=KEYS, how="semi").select(list(LONG_COLUMNS))
    withdrawn = report.figures.filter(pl.col("change") == "withdrawn").select(KEYS).join(
        current_owner.select(KEYS), on=KEYS, how="semi")
    tombstones = withdrawn.select(
        pl.col("iso3").cast(pl.String),
        pl.col("year").cast(pl.Int32),
        pl.col("measure").cast(pl.String),
        pl.lit(None, dtype=pl.Float64).alias("value"),
        pl.lit(WITHDRAWN_STATUS).alias("value_status"),
        pl.lit(None, dtype=pl.Float64).alias("lower"),
        pl.lit(None, dtype=pl.Float64).alias("upper"),
        pl.lit(source_id).alias("source_id"),
        pl.lit("Withdrawn: not in this release.").alias("note"),
    )
    return pl.concat([figures.cast(LONG_COLUMNS), tombstones.cast(LONG_COLUMNS)])


def batch_revisions(history: pl.DataFrame, batches: pl.DataFrame, batch_id: int,
                    family_key: str) -> RevisionReport:
    """The revision report of a release already loaded (for the History page): its batch
    against the family's figures just before it. Figures the batch did not write were in the
    release unchanged."""
    previous = family_figures(history, batches.with_columns(
        pl.when(pl.col("id") == batch_id).then(pl.lit("committed")).otherwise(pl.col("status"))
        .alias("status")), family_key, before_batch=batch_id)
    written = history.filter(pl.col("batch_id") == batch_id)
    kept = written.filter(pl.col("value_status") != WITHDRAWN_STATUS)
    untouched = previous.join(written.select(KEYS), on=KEYS, how="anti")
    release = pl.concat([kept.select(list(LONG_COLUMNS)).cast(LONG_COLUMNS),
                         untouched.select(list(LONG_COLUMNS)).cast(LONG_COLUMNS)])
    return revision_report(previous, release)


# -- words -----------------------------------------------------------------------------------
def figure_text(value: float | None, status: str | None, lower: float | None,
                upper: float | None) -> str:
    """'10,627', '<5' (1–4), '1–4', or '—' when there is no figure."""
    if status is None:
        return "—"
    if value is None and lower is not None and upper is not None:
        if (lower, upper) == (1.0, 4.0):
            return "<5"
        return f"{lower:,.0f}–{upper:,.0f}"
    if value is None:
        return "—"
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"


def revision_lines(report: RevisionReport, n: int = 10) -> list[str]:
    """The report as lines of text: counts per measure, then the largest revisions."""
    table = report.by_measure
    width = max([len("Measure"), *(len(label) for label in table["label"].to_list())])
    lines = [f"{'Measure':<{width}}  {'new':>7}  {'revised':>7}  {'withdrawn':>9}  "
             f"{'unchanged':>9}"]
    for row in table.iter_rows(named=True):
        lines.append(f"{row['label']:<{width}}  {row['new']:>7,}  {row['revised']:>7,}  "
                     f"{row['withdrawn']:>9,}  {row['unchanged']:>9,}")
    totals = report.counts()
    lines.append(f"{'All figures':<{width}}  {totals['new']:>7,}  {totals['revised']:>7,}  "
                 f"{totals['withdrawn']:>9,}  {totals['unchanged']:>9,}")
    for relative in (False, True):
        largest = report.largest(n, relative=relative)
        if largest.is_empty():
            continue
        lines.append("")
        lines.append("Largest revisions" + (" (relative to the old figure):" if relative
                                            else " (absolute):"))
        for row in largest.iter_rows(named=True):
            lines.append("  " + revision_text(row))
    return lines


def measure_words(name: str, lang: str | None = None) -> str:
    """A measure as a table shows it: its code in English ('victims_per_100k', as the file
    names it); in French or Spanish its name with a breakdown's categories, as
    ``measures.measure_label`` writes them ('Victimes de la traite détectées — féminin,
    0–17'); a name that is no measure as it is."""
    if not lang or lang == ENGLISH:
        return name
    return measure_label(name, lang) if name.split(BREAKDOWN_SEPARATOR, 1)[0] in MEASURES \
        else name


# The counts table's words, marked for the catalogs (the table is built in English).
COUNT_HEADERS = (N_("Measure"), N_("New"), N_("Revised"), N_("Withdrawn"), N_("Unchanged"),
                 N_("All figures"))


def counts_table(report: RevisionReport, lang: str | None = None) -> pl.DataFrame:
    """The counts per measure as people read them (the History page): a row per measure and
    kind of breakdown, then the total (in ``lang``: its words and the measures' names)."""
    table = report.by_measure.select(
        pl.col("label").alias("Measure"),
        *(pl.col(c).alias(c.capitalize()) for c in CHANGES),
    )
    totals = report.counts()
    total = pl.DataFrame({"Measure": ["All figures"],
                          **{c.capitalize(): [totals[c]] for c in CHANGES}},
                         schema=table.schema)
    table = pl.concat([table, total])
    if not lang or lang == ENGLISH:
        return table
    _ = translator(lang)
    groups = [*report.by_measure["measure"].to_list(), None]
    words = [_(group_label(g)) if g is not None and g in MEASURES else _(label)
             for g, label in zip(groups, table["Measure"].to_list(), strict=True)]
    return table.with_columns(pl.Series("Measure", words, dtype=pl.String)).rename(
        {c: _(c) for c in table.columns})


def revisions_table(rows: pl.DataFrame, lang: str | None = None) -> pl.DataFrame:
    """Revised figures (``RevisionReport.largest``) as people read them: country, year,
    measure, old → new and how much that certainly moved them (a range counts from its
    nearest ends)."""
    english = not lang or lang == ENGLISH
    records = [{
        "Country": row["iso3"] if english else f"{country_name(row['iso3'], row['iso3'], lang)}"
        f" ({row['iso3']})",
        "Year": row["year"],
        "Measure": measure_label(row["measure"]) if english else measure_words(row["measure"],
                                                                               lang),
        "Old": figure_text(row["old_value"], row["old_value_status"], row["old_lower"],
                           row["old_upper"]),
        "New": figure_text(row["new_value"], row["new_value_status"], row["new_lower"],
                           row["new_upper"]),
        "Change": "—" if row["change_absolute"] is None else f"{row['change_absolute']:+,.0f}",
        "Relative": "—" if row["change_relative"] is None
        else f"{row['change_relative']:+.1%}",
    } for row in rows.iter_rows(named=True)]
    schema = {"Country": pl.String, "Year": pl.Int32, "Measure": pl.String, "Old": pl.String,
              "New": pl.String, "Change": pl.String, "Relative": pl.String}
    table = pl.DataFrame(records, schema=schema)
    if english:
        return table
    _, pgettext = translator(lang), context_translator(lang)
    # 'Change' is a size here (Variation, Variación), as on the Series breaks page
    headers = {c: _(c) for c in table.columns}
    headers.update({"Change": pgettext("series break", "Change"),
                    "Old": pgettext("revision", "Old"), "New": pgettext("revision", "New")})
    return table.with_columns(
        pl.col(c).map_elements(lambda text: localise_value(text, lang), return_dtype=pl.String)
        for c in ("Old", "New", "Change", "Relative")
    ).rename(headers)


REVISION_HEADERS = (N_("Country"), N_("Year"), N_("Relative"))


def revision_text(row: dict) -> str:
    """'GBR 2019 victims_detected: 10,627 → 10,700 (+73, +0.7%)'."""
    old = figure_text(row["old_value"], row["old_value_status"], row["old_lower"],
                      row["old_upper"])
    new = figure_text(row["new_value"], row["new_value_status"], row["new_lower"],
                      row["new_upper"])
    size = []
    if row.get("change_absolute") is not None:
        size.append(f"{row['change_absolute']:+,.0f}")
    if row.get("change_relative") is not None:
        size.append(f"{row['change_relative']:+.1%}")
    tail = f" ({', '.join(size)})" if size else ""
    return f"{row['iso3']} {row['year']} {row['measure']}: {old} → {new}{tail}"
