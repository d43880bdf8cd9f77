"""Tables a contributor reads before and after an import: the preview, the history, a batch.

Pure functions from frames to frames; the Upload and History pages and the CLI show them as
they are. Every value is text written for people ('1,240', '<5', 'no data').

Each builder takes an optional ``lang`` ('fr', 'es'): its column names and words in that language
(English, as before, without one). The CLI keeps English.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import polars as pl

from indicators.countries import country_table
from indicators.i18n import ENGLISH, N_, country_name, parse_language, translator
from indicators.problems import Problem, localised, problems_frame
from indicators.releases import measure_words
from indicators.upload.checks import number_texts

if TYPE_CHECKING:  # the import pipeline (and pandera under it) only for the tables of an import
    from indicators.upload.pipeline import Prepared

CHANGE_ORDER = {"changed": 0, "new": 1, "unchanged": 2}
CHANGE_WORDS = {"changed": N_("changed"), "new": N_("new"),
                "unchanged": N_("unchanged (not stored again)")}
BATCH_KINDS = {
    "bundled": N_("published data (bundled)"),
    "release": N_("published data (new release)"),
    "upload": N_("upload (web page)"),
    "cli": N_("import (command line)"),
    "rollback": N_("rollback"),
}
BATCH_STATUSES = {"committed": N_("published"), "rolled_back": N_("rolled back"),
                  "submitted": N_("awaiting review"), "rejected": N_("rejected")}
# Column names of the tables, marked for the catalogs (the tables are built in English and
# renamed by ``_in``).
HEADERS = (
    N_("Row"), N_("Country"), N_("Year"), N_("Measure"), N_("Your series now"),
    N_("In your file"), N_("Change"), N_("Official figure"), N_("Years"), N_("New"),
    N_("Changed"), N_("Unchanged"), N_("Kind"), N_("Column"), N_("Value"), N_("Problem"),
    N_("What to do"), N_("Batch"), N_("When"), N_("What"), N_("Status"), N_("Organisation"),
    N_("Contributor"), N_("File"), N_("Rolls back batch"), N_("Reviewed by"),
    N_("Review note"), N_("Submitted"), N_("Before"), N_("After"), N_("Who"), N_("Note"),
)


def _code(lang: str | None) -> str:
    return parse_language(lang) or ENGLISH


def _in(table: pl.DataFrame, lang: str | None) -> pl.DataFrame:
    """``table`` with its column names in ``lang`` (as it is in English)."""
    if _code(lang) == ENGLISH:
        return table
    _ = translator(lang)
    return table.rename({c: _(c) for c in table.columns})


def _words(words: dict[str, str], lang: str | None) -> dict[str, str]:
    """A table of words (``CHANGE_WORDS``, ``BATCH_STATUSES`` …) in ``lang``."""
    _ = translator(lang)
    return {key: _(word) for key, word in words.items()}


def _names(lang: str | None = None) -> dict[str, str]:
    """Each country's name by its ISO3 code: UNODC's in English, CLDR's in French and Spanish
    (``i18n.country_name``)."""
    names = dict(country_table().select("iso3", "name").iter_rows())
    if _code(lang) == ENGLISH:
        return names
    return {iso3: country_name(iso3, name, lang) for iso3, name in names.items()}


def _country(column: str = "iso3", lang: str | None = None) -> pl.Expr:
    """'Kenya (KEN)': the country's name (its code when it has none) and its code."""
    code = pl.col(column)
    name = code.replace_strict(_names(lang), default=code, return_dtype=pl.String)
    return pl.format("{} ({})", name, code)


def _measure(lang: str | None = None) -> pl.Expr:
    """The ``measure`` column in ``lang`` (``measure_words``)."""
    if _code(lang) == ENGLISH:
        return pl.col("measure")
    return pl.col("measure").map_elements(lambda m: measure_words(m, lang),
                                          return_dtype=pl.String)


# What the bundled data's batches name as their contributor (``bundled.py``), in words.
CONTRIBUTOR_WORDS = {"bundled data": N_("bundled data")}


def _texts(frame: pl.DataFrame, prefix: str = "", lang: str | None = None) -> pl.Series:
    value, status = frame[f"{prefix}value"], frame[f"{prefix}value_status"]
    written = number_texts(value, status, frame[f"{prefix}lower"], frame[f"{prefix}upper"])
    no_data = translator(lang)("no data")
    return pl.select(pl.when(status.is_null() & value.is_null()).then(pl.lit(no_data))
                     .otherwise(written).alias("text"))["text"]


def _official_texts(diff: pl.DataFrame, lang: str | None = None) -> pl.Series:
    """The official figure of each row ('no official figure' where there is none)."""
    none = translator(lang)("no official figure")
    if "official_value_status" not in diff.columns:
        return pl.Series("official", [none] * diff.height, dtype=pl.String)
    written = number_texts(diff["official_value"], diff["official_value_status"])
    return pl.select(pl.when(diff["official_value_status"].is_null())
                     .then(pl.lit(none)).otherwise(pl.lit(written))
                     .alias("official"))["official"]


def changes_table(prepared: Prepared, lang: str | None = None) -> pl.DataFrame:
    """Every figure in the file: what your organisation's series holds now, what the file
    says, and the official figure beside it (a contributed figure never replaces it)."""
    diff = prepared.diff.join(
        prepared.figures.select("iso3", "year", "measure", "_row"),
        on=["iso3", "year", "measure"], how="left")
    now = number_texts(diff["old_value"], diff["old_value_status"], diff["old_lower"],
                       diff["old_upper"])
    table = diff.select(
        pl.col("_row").alias("Row"),
        _country(lang=lang).alias("Country"),
        pl.col("year").alias("Year"),
        _measure(lang).alias("Measure"),
        pl.when(pl.col("old_value_status").is_null())
        .then(pl.lit(translator(lang)("no data")))
        .otherwise(pl.lit(now)).alias("Your series now"),
        pl.lit(_texts(diff, lang=lang)).alias("In your file"),
        pl.col("change").replace_strict(_words(CHANGE_WORDS, lang), return_dtype=pl.String)
        .alias("Change"),
        pl.lit(_official_texts(diff, lang)).alias("Official figure"),
        pl.col("change").replace_strict(CHANGE_ORDER, return_dtype=pl.Int64).alias("_order"),
    )
    return _in(table.sort(["_order", "Country", "Measure", "Year"]).drop("_order"), lang)


def summary_table(prepared: Prepared, lang: str | None = None) -> pl.DataFrame:
    """Counts per country and measure: how many figures are new, changed or unchanged."""
    diff = prepared.diff
    grouped = diff.group_by("iso3", "measure").agg(
        (pl.col("change") == "new").sum().alias("New"),
        (pl.col("change") == "changed").sum().alias("Changed"),
        (pl.col("change") == "unchanged").sum().alias("Unchanged"),
        pl.col("year").min().alias("_first"),
        pl.col("year").max().alias("_last"),
    ).sort("iso3", "measure")
    return _in(grouped.select(
        _country(lang=lang).alias("Country"),
        _measure(lang).alias("Measure"),
        pl.when(pl.col("_first") == pl.col("_last")).then(pl.col("_first").cast(pl.String))
        .otherwise(pl.format("{}–{}", "_first", "_last")).alias("Years"),
        pl.col("New").cast(pl.Int64),
        pl.col("Changed").cast(pl.Int64),
        pl.col("Unchanged").cast(pl.Int64),
    ), lang)


def problems_table(problems: list[Problem], lang: str | None = None) -> pl.DataFrame:
    """Problems as a person reads them: what, where, and what to do."""
    _ = translator(lang)
    frame = problems_frame([localised(p, lang) for p in problems])
    return _in(frame.select(
        pl.col("severity").replace_strict({"error": _("Error"), "warning": _("Warning")})
        .alias("Kind"),
        pl.col("row").alias("Row"),
        pl.col("column").alias("Column"),
        pl.col("value").fill_null("").alias("Value"),
        pl.col("message").alias("Problem"),
        pl.col("fix").alias("What to do"),
    ), lang)


def problem_lines(problems: list[Problem], limit: int = 100, lang: str | None = None) -> str:
    """Problems as plain text to read one by one: where, what is wrong, what to do."""
    _ = translator(lang)
    ordered = problems_frame([localised(p, lang) for p in problems]).head(limit)
    blocks = []
    for p in ordered.iter_rows(named=True):
        where = [_("Row {row}").format(row=p["row"]) if p["row"] is not None
                 else _("The file")]
        if p["column"]:
            where.append(_("column '{column}'").format(column=p["column"]))
        if p["value"] not in (None, ""):
            value = p["value"] if len(p["value"]) <= 60 else p["value"][:59] + "…"
            where.append(_("value '{value}'").format(value=value))
        kind = _("Warning") if p["severity"] == "warning" else _("Error")
        # TRANSLATORS: 'Error: Row 3, column 'year'': the kind of problem, then where it is
        head = _("{kind}: {where}").format(kind=kind, where=", ".join(where))
        blocks.append(f"{head}\n  {p['message']}\n  → {p['fix']}")
    if len(problems) > limit:
        blocks.append(_("… and {count} more: see the table below, or download the list.")
                      .format(count=len(problems) - limit))
    return "\n\n".join(blocks)


def history_table(batches: pl.DataFrame, lang: str | None = None) -> pl.DataFrame:
    """Every batch, newest first, with who sent it and what it changed."""
    return _in(batches.sort("id", descending=True).select(
        pl.col("id").alias("Batch"),
        pl.col("created_at").dt.strftime("%Y-%m-%d %H:%M UTC").alias("When"),
        pl.col("kind").replace_strict(_words(BATCH_KINDS, lang), default=pl.col("kind"))
        .alias("What"),
        pl.col("status").replace_strict(_words(BATCH_STATUSES, lang), default=pl.col("status"))
        .alias("Status"),
        pl.col("organisation").fill_null("").alias("Organisation"),
        pl.col("contributor").replace(_words(CONTRIBUTOR_WORDS, lang)).fill_null("")
        .alias("Contributor"),
        pl.coalesce(pl.col("file_name"), pl.col("note")).fill_null("").alias("File"),
        pl.col("rows_new").alias("New"),
        pl.col("rows_changed").alias("Changed"),
        pl.col("rows_unchanged").alias("Unchanged"),
        pl.col("rolls_back").cast(pl.String).fill_null("").alias("Rolls back batch"),
        pl.col("reviewed_by").fill_null("").alias("Reviewed by"),
        pl.col("review_note").fill_null("").alias("Review note"),
    ), lang)


def review_table(batches: pl.DataFrame, lang: str | None = None) -> pl.DataFrame:
    """The batches awaiting review, oldest first: who sent what, and what it would change in
    its organisation's series."""
    return _in(batches.filter(pl.col("status") == "submitted").sort("id").select(
        pl.col("id").alias("Batch"),
        pl.col("created_at").dt.strftime("%Y-%m-%d %H:%M UTC").alias("Submitted"),
        pl.col("organisation").fill_null("").alias("Organisation"),
        pl.col("contributor").fill_null("").alias("Contributor"),
        pl.col("file_name").fill_null("").alias("File"),
        pl.col("rows_new").alias("New"),
        pl.col("rows_changed").alias("Changed"),
    ), lang)


def batch_changes_table(diff: pl.DataFrame, lang: str | None = None) -> pl.DataFrame:
    """What one batch wrote: each figure and the value it replaced."""
    before = number_texts(diff["old_value"], diff["old_value_status"])
    after = number_texts(diff["new_value"], diff["new_value_status"], diff["lower"],
                         diff["upper"])
    change = pl.col("change")
    if _code(lang) != ENGLISH:
        change = change.replace(_words(CHANGE_WORDS, lang))
    return _in(diff.select(
        _country(lang=lang).alias("Country"),
        pl.col("year").cast(pl.Int32).alias("Year"),
        _measure(lang).alias("Measure"),
        pl.when(pl.col("old_value_status").is_null())
        .then(pl.lit(translator(lang)("no data")))
        .otherwise(pl.lit(before)).alias("Before"),
        pl.lit(after).alias("After"),
        change.alias("Change"),
    ), lang)


def with_official(diff: pl.DataFrame, figures: pl.DataFrame | None) -> pl.DataFrame:
    """A batch's diff (``Store.batch_diff``) with the official figure of each key beside it
    (``official_value``, ``official_value_status``), from the current figures of every series
    (``Snapshot.figures``)."""
    key = ["iso3", "year", "measure"]
    if figures is None or figures.is_empty():
        return diff.with_columns(pl.lit(None, pl.Float64).alias("official_value"),
                                 pl.lit(None, pl.String).alias("official_value_status"))
    official = figures.filter(pl.col("series_kind") == "official").select(
        *key, pl.col("value").alias("official_value"),
        pl.col("value_status").alias("official_value_status"))
    official = official.cast({k: diff.schema[k] for k in key})
    return diff.join(official, on=key, how="left", maintain_order="left")


def review_changes_table(diff: pl.DataFrame, figures: pl.DataFrame | None,
                         lang: str | None = None) -> pl.DataFrame:
    """What a batch awaiting review would publish (``batch_changes_table``), with the official
    figure beside each one, and each figure's source and note as the organisation wrote them
    (what readers will see beside it: the reviewer reads them before approving)."""
    joined = with_official(diff, figures)
    _ = translator(lang)
    return batch_changes_table(joined, lang).with_columns(
        pl.lit(_official_texts(joined, lang)).alias(_("Official figure")),
        joined["source"].fill_null("").alias(_("Source")),
        joined["note"].fill_null("").alias(_("Note")))


EVENT_WORDS = {"submitted": N_("submitted for review"),
               "approved": N_("approved and published"), "rejected": N_("rejected"),
               "published": N_("published"), "adopted": N_("correction adopted"),
               "rolled back": N_("rolled back"), "rollback": N_("rollback recorded")}


def events_table(events: pl.DataFrame, lang: str | None = None) -> pl.DataFrame:
    """The audit trail of a batch (``Store.batch_events``): what happened, who, when, why."""
    return _in(events.select(
        pl.col("happened_at").dt.strftime("%Y-%m-%d %H:%M:%S UTC").alias("When"),
        pl.col("event").replace_strict(_words(EVENT_WORDS, lang), default=pl.col("event"))
        .alias("What"),
        pl.col("actor").replace(_words(CONTRIBUTOR_WORDS, lang)).fill_null("").alias("Who"),
        pl.col("note").fill_null("").alias("Note"),
    ), lang)
