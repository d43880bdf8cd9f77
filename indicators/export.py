"""Files users take away: CSV that spreadsheets cannot execute, and figure images."""

from __future__ import annotations

import io
from pathlib import Path

import polars as pl

# Cells a spreadsheet would run as a formula (OWASP CSV injection guidance).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise_cell(text: str | None) -> str | None:
    """Prefix a cell that a spreadsheet would read as a formula with an apostrophe."""
    if text and text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


def neutralise_frame(frame: pl.DataFrame) -> pl.DataFrame:
    """Every text column made formula-safe; numbers are left as numbers. Only the columns
    with a cell to change are rewritten (most have none: one look at all of them first)."""
    pattern = "^[=+\\-@\t\r]"
    texts = [name for name, dtype in frame.schema.items() if dtype == pl.String]
    risky = frame.select(pl.col(texts).str.contains(pattern).any()).row(0) if texts else ()
    if not any(risky):
        return frame
    return frame.with_columns(
        pl.when(pl.col(name).str.contains(pattern))
        .then(pl.lit("'") + pl.col(name))
        .otherwise(pl.col(name))
        .alias(name)
        for name, found in zip(texts, risky, strict=True)
        if found
    )


def safe_csv_text(frame: pl.DataFrame) -> str:
    flat = frame.select(
        pl.col(c).cast(pl.String) if isinstance(t, pl.List | pl.Struct) else pl.col(c)
        for c, t in frame.schema.items()
    ) if any(isinstance(t, pl.List | pl.Struct) for t in frame.schema.values()) else frame
    buffer = io.StringIO()
    neutralise_frame(flat).write_csv(buffer)
    return buffer.getvalue()


def safe_csv_bytes(frame: pl.DataFrame) -> bytes:
    """UTF-8 with a byte-order mark so Excel opens accents correctly."""
    return ("\ufeff" + safe_csv_text(frame)).encode("utf-8")


def write_safe_csv(frame: pl.DataFrame, path: str | Path) -> None:
    Path(path).write_bytes(safe_csv_bytes(frame))


def observations_for_export(observations: pl.DataFrame, sources: pl.DataFrame) -> pl.DataFrame:
    """Current figures with the full source record beside each one, and their series (official
    or contributed by an organisation) and basis (how the indicators use it; empty for a
    figure shown beside the one they use) when the frame has them."""
    src = sources.select(
        pl.col("id").alias("source_id"),
        pl.col("publisher").alias("source_publisher"),
        pl.col("title").alias("source_title"),
        pl.col("edition").alias("source_edition"),
        pl.col("url").alias("source_url"),
        pl.col("licence").alias("source_licence"),
    )
    series = [c for c in ("series_kind", "series", "basis") if c in observations.columns]
    return observations.select(
        "iso3", "year", "measure", "value", "value_status", "lower", "upper", "source_id",
        "batch_id", "note", *series,
    ).join(src, on="source_id", how="left")
