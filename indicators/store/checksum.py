"""Checksums of a table's content that do not depend on the backend or the row order."""

from __future__ import annotations

import hashlib

import polars as pl

_NULL = "\\N"


def content_checksum(frame: pl.DataFrame) -> str:
    """'rows:sha256' of a table's content, whatever its row order and wherever it was read.

    Every cell becomes text the same way on both backends (numbers by their shortest exact
    form, times in ISO form, lists element by element), rows are sorted, then hashed.
    """
    if frame.width == 0:
        return f"{frame.height}:" + hashlib.sha256(b"").hexdigest()
    cells = []
    for name, dtype in frame.schema.items():
        column = pl.col(name)
        if isinstance(dtype, pl.List):
            text = column.list.eval(pl.element().cast(pl.String).fill_null(_NULL)).list.join(
                "\x1f")
            text = pl.concat_str([pl.lit("["), text, pl.lit("]")])
        elif dtype == pl.Datetime or isinstance(dtype, pl.Datetime):
            text = column.dt.strftime("%Y-%m-%dT%H:%M:%S%.6f")
        elif dtype.is_float():
            text = column.cast(pl.Float64).cast(pl.String)
        elif dtype.is_integer():
            text = column.cast(pl.Int64).cast(pl.String)
        else:
            text = column.cast(pl.String)
        cells.append(text.fill_null(_NULL))
    rows = frame.select(pl.concat_str(cells, separator="\x1e").alias("row"))["row"].sort()
    digest = hashlib.sha256()
    for value in rows.to_list():
        digest.update(value.encode("utf-8"))
        digest.update(b"\n")
    return f"{frame.height}:{digest.hexdigest()}"
