"""The long observation frame's columns and types, in one light module (no pandera import),
so the store and the command line start fast."""

from __future__ import annotations

import polars as pl

LONG_COLUMNS: dict[str, pl.DataType] = {
    "iso3": pl.String(),
    "year": pl.Int32(),
    "measure": pl.String(),
    "value": pl.Float64(),
    "value_status": pl.String(),
    "lower": pl.Float64(),
    "upper": pl.Float64(),
    "source_id": pl.String(),
    "note": pl.String(),
}
