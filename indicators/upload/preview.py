"""Tables a contributor reads before and after an import: the preview, the history, a batch.

Pure functions from frames to frames; the Upload and History pages and the CLI show them as
they are. Every value is text written for people ('1,240', '<5', 'no data').
"""

from __future__ import annotations

import polars as pl

from indicators.countries import country_table
from indicators.problems import Problem, problems_frame
from indicators.upload.checks import number_texts
from indicators.upload.pipeline import Prepared

CHANGE_ORDER = {"changed": 0, "new": 1, "unchanged": 2}
CHANGE_WORDS = {"changed": "changed", "new": "new", "unchanged": "unchanged (not stored again)"}
BATCH_KINDS = {
    "bundled": "published data (bundled)",
    "release": "published data (new release)",
    "upload": "upload (web page)",
    "cli": "import (command line)",
    "rollback": "rollback",
}
BATCH_STATUSES = {"committed": "published", "rolled_back": "rolled back",
                  "submitted": "awaiting review", "rejected": "rejected"}


def _names() -> dict[str, str]:
    return dict(country_table().select("iso3", "name").iter_rows())


def _country(column: str = "iso3") -> pl.Expr:
    """'Kenya (KEN)': the country's name (its code when it has none) and its code."""
    code = pl.col(column)
    name = code.replace_strict(_names(), default=code, return_dtype=pl.String)
    return pl.format("{} ({})", name, code)


def _texts(frame: pl.DataFrame, prefix: str = "") -> pl.Series:
    value, status = frame[f"{prefix}value"], frame[f"{prefix}value_status"]
    written = number_texts(value, status, frame[f"{prefix}lower"], frame[f"{prefix}upper"])
    return pl.select(pl.when(status.is_null() & value.is_null()).then(pl.lit("no data"))
                     .otherwise(written).alias("text"))["text"]


def _official_texts(diff: pl.DataFrame) -> pl.Series:
    """The official figure of each row ('no official figure' where there is none)."""
    if "official_value_status" not in diff.columns:
        return pl.Series("official", ["no official figure"] * diff.height, dtype=pl.String)
    written = number_texts(diff["official_value"], diff["official_value_status"])
    return pl.select(pl.when(diff["official_value_status"].is_null())
                     .then(pl.lit("no official figure")).otherwise(pl.lit(written))
                     .alias("official"))["official"]


def changes_table(prepared: Prepared) -> pl.DataFrame:
    """Every figure in the file: what your organisation's series holds now, what the file
    says, and the official figure beside it (a contributed figure never replaces it)."""
    diff = prepared.diff.join(
        prepared.figures.select("iso3", "year", "measure", "_row"),
        on=["iso3", "year", "measure"], how="left")
    now = number_texts(diff["old_value"], diff["old_value_status"], diff["old_lower"],
                       diff["old_upper"])
    table = diff.select(
        pl.col("_row").alias("Row"),
        _country().alias("Country"),
        pl.col("year").alias("Year"),
        pl.col("measure").alias("Measure"),
        pl.when(pl.col("old_value_status").is_null()).then(pl.lit("no data"))
        .otherwise(pl.lit(now)).alias("Your series now"),
        pl.lit(_texts(diff)).alias("In your file"),
        pl.col("change").replace_strict(CHANGE_WORDS, return_dtype=pl.String).alias("Change"),
        pl.lit(_official_texts(diff)).alias("Official figure"),
        pl.col("change").replace_strict(CHANGE_ORDER, return_dtype=pl.Int64).alias("_order"),
    )
    return table.sort(["_order", "Country", "Measure", "Year"]).drop("_order")


def summary_table(prepared: Prepared) -> pl.DataFrame:
    """Counts per country and measure: how many figures are new, changed or unchanged."""
    diff = prepared.diff
    grouped = diff.group_by("iso3", "measure").agg(
        (pl.col("change") == "new").sum().alias("New"),
        (pl.col("change") == "changed").sum().alias("Changed"),
        (pl.col("change") == "unchanged").sum().alias("Unchanged"),
        pl.col("year").min().alias("_first"),
        pl.col("year").max().alias("_last"),
    ).sort("iso3", "measure")
    return grouped.select(
        _country().alias("Country"),
        pl.col("measure").alias("Measure"),
        pl.when(pl.col("_first") == pl.col("_last")).then(pl.col("_first").cast(pl.String))
        .otherwise(pl.format("{}–{}", "_first", "_last")).alias("Years"),
        pl.col("New").cast(pl.Int64),
        pl.col("Changed").cast(pl.Int64),
        pl.col("Unchanged").cast(pl.Int64),
    )


def problems_table(problems: list[Problem]) -> pl.DataFrame:
    """Problems as a person reads them: what, where, and what to do."""
    frame = problems_frame(problems)
    return frame.select(
        pl.col("severity").replace_strict({"error": "Error", "warning": "Warning"})
        .alias("Kind"),
        pl.col("row").alias("Row"),
        pl.col("column").alias("Column"),
        pl.col("value").fill_null("").alias("Value"),
        pl.col("message").alias("Problem"),
        pl.col("fix").alias("What to do"),
    )


def problem_lines(problems: list[Problem], limit: int = 100) -> str:
    """Problems as plain text to read one by one: where, what is wrong, what to do."""
    ordered = problems_frame(problems).head(limit)
    blocks = []
    for p in ordered.iter_rows(named=True):
        where = [f"Row {p['row']}" if p["row"] is not None else "The file"]
        if p["column"]:
            where.append(f"column '{p['column']}'")
        if p["value"] not in (None, ""):
            value = p["value"] if len(p["value"]) <= 60 else p["value"][:59] + "…"
            where.append(f"value '{value}'")
        kind = "Warning" if p["severity"] == "warning" else "Error"
        blocks.append(f"{kind}: {', '.join(where)}\n  {p['message']}\n  → {p['fix']}")
    if len(problems) > limit:
        blocks.append(f"… and {len(problems) - limit} more: see the table below, or download "
                      "the list.")
    return "\n\n".join(blocks)


def history_table(batches: pl.DataFrame) -> pl.DataFrame:
    """Every batch, newest first, with who sent it and what it changed."""
    return batches.sort("id", descending=True).select(
        pl.col("id").alias("Batch"),
        pl.col("created_at").dt.strftime("%Y-%m-%d %H:%M UTC").alias("When"),
        pl.col("kind").replace_strict(BATCH_KINDS, default=pl.col("kind")).alias("What"),
        pl.col("status").replace_strict(BATCH_STATUSES, default=pl.col("status"))
        .alias("Status"),
        pl.col("organisation").fill_null("").alias("Organisation"),
        pl.col("contributor").fill_null("").alias("Contributor"),
        pl.coalesce(pl.col("file_name"), pl.col("note")).fill_null("").alias("File"),
        pl.col("rows_new").alias("New"),
        pl.col("rows_changed").alias("Changed"),
        pl.col("rows_unchanged").alias("Unchanged"),
        pl.col("rolls_back").cast(pl.String).fill_null("").alias("Rolls back batch"),
        pl.col("reviewed_by").fill_null("").alias("Reviewed by"),
        pl.col("review_note").fill_null("").alias("Review note"),
    )


def review_table(batches: pl.DataFrame) -> pl.DataFrame:
    """The batches awaiting review, oldest first: who sent what, and what it would change in
    its organisation's series."""
    return batches.filter(pl.col("status") == "submitted").sort("id").select(
        pl.col("id").alias("Batch"),
        pl.col("created_at").dt.strftime("%Y-%m-%d %H:%M UTC").alias("Submitted"),
        pl.col("organisation").fill_null("").alias("Organisation"),
        pl.col("contributor").fill_null("").alias("Contributor"),
        pl.col("file_name").fill_null("").alias("File"),
        pl.col("rows_new").alias("New"),
        pl.col("rows_changed").alias("Changed"),
    )


def batch_changes_table(diff: pl.DataFrame) -> pl.DataFrame:
    """What one batch wrote: each figure and the value it replaced."""
    before = number_texts(diff["old_value"], diff["old_value_status"])
    after = number_texts(diff["new_value"], diff["new_value_status"], diff["lower"],
                         diff["upper"])
    return diff.select(
        _country().alias("Country"),
        pl.col("year").cast(pl.Int32).alias("Year"),
        pl.col("measure").alias("Measure"),
        pl.when(pl.col("old_value_status").is_null()).then(pl.lit("no data"))
        .otherwise(pl.lit(before)).alias("Before"),
        pl.lit(after).alias("After"),
        pl.col("change").alias("Change"),
    )


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


def review_changes_table(diff: pl.DataFrame, figures: pl.DataFrame | None) -> pl.DataFrame:
    """What a batch awaiting review would publish (``batch_changes_table``), with the official
    figure beside each one."""
    joined = with_official(diff, figures)
    return batch_changes_table(joined).with_columns(
        pl.lit(_official_texts(joined)).alias("Official figure"))


EVENT_WORDS = {"submitted": "submitted for review", "approved": "approved and published",
               "rejected": "rejected", "published": "published", "adopted": "correction adopted",
               "rolled back": "rolled back", "rollback": "rollback recorded"}


def events_table(events: pl.DataFrame) -> pl.DataFrame:
    """The audit trail of a batch (``Store.batch_events``): what happened, who, when, why."""
    return events.select(
        pl.col("happened_at").dt.strftime("%Y-%m-%d %H:%M:%S UTC").alias("When"),
        pl.col("event").replace_strict(EVENT_WORDS, default=pl.col("event")).alias("What"),
        pl.col("actor").fill_null("").alias("Who"),
        pl.col("note").fill_null("").alias("Note"),
    )
